"""Reads for the queues, the statement of reasons and the transparency report."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connections, models
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncHour, TruncMonth
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from accounts import data_exports
from accounts.models import ReaderNameChange
from accounts.selectors import reader_names_before
from core.client import network_of
from core.db import Read, read_together
from core.numbers import ascii_int
from discussion import reaction_checks
from discussion.models import Comment, Thread
from moderation.models import (
    PUBLISHED_REVIEW_STATES,
    Appeal,
    Campaign,
    CommentReview,
    ModerationAction,
    ModerationSettings,
    ReaderNote,
    ReaderStanding,
    Report,
    report_networks,
)
from moderation.reasons import BAN_REASONS, action_label

QUEUES = [
    ("pending", "Pending"),
    ("reported", "Reported"),
    ("unmoderated", "Unmoderated"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("appeals", "Appeals"),
]


COUNT_CAP = 10_000


def _capped_count(queryset: QuerySet) -> int:
    """Count up to ``COUNT_CAP + 1`` rows: a bounded range scan of an index, however many rows
    the table holds. The queues show "10,000+" beyond the cap, which is all a moderator needs."""
    return queryset.order_by().values("id")[: COUNT_CAP + 1].count()


def _queue_condition(state: str) -> Q:
    """What puts a review in a queue, as a condition: :func:`_in_queue`'s filter, and what
    :func:`queue_counts` counts each queue by when it counts one reader's reviews.

    Reported: every comment with a report no moderator has answered (``last_report``), whether
    it is still published or the Nth report took it down. Every path that takes a comment out of
    readers' reach for good clears it (a moderator's rejection, ``actions._decided``; its
    author's deletion or their account's erasure, ``services.reports_close``), and a report is
    recorded only on a comment still published (``services.report_create``, with the comment
    locked), so the review's own column says it: the queue and its count read the
    ``review_reported`` index alone, never the comment's row for each. Every other queue is the
    review's ``state``.
    """
    if state == CommentReview.State.REPORTED:
        return Q(last_report__isnull=False)
    return Q(state=state)


def _in_queue(state: str) -> QuerySet[CommentReview]:
    """The reviews a queue lists."""
    return CommentReview.objects.filter(_queue_condition(state))


def queue_counts(*, reader_key: str = "") -> dict[str, int]:
    """Per-queue counts, plus open appeals: what each queue's tab lists.

    With ``reader_key``, each review queue counts that reader's comments alone, as the queue
    filtered to them lists them (its tabs keep the author filter): one grouped query on the
    ``review_reader`` index, as bounded as the reader's history, which each of their cards
    already counts. Appeals, which have no filters, count every open appeal either way.

    Without, each queue is a bounded scan of an index. A grouped count over every review would
    read the whole index, which grows with the approved history; capping each queue keeps the
    admin's counts as fast on a million comments as on ten.
    """
    reviews = [key for key, _label in QUEUES if key != "appeals"]
    if reader_key:
        counts = CommentReview.objects.filter(reader_key=reader_key).aggregate(
            **{key: Count("id", filter=_queue_condition(key)) for key in reviews}
        )
    else:
        counts = {key: _capped_count(_in_queue(key)) for key in reviews}
    counts["appeals"] = _capped_count(Appeal.objects.filter(status=Appeal.Status.OPEN))
    return counts


@dataclass(frozen=True)
class SearchStopped:
    """Where a search of a queue (its text search or reason filter) stopped short of the queue's
    end: it looked through the ``depth`` newest comments it had not looked at yet
    (``MODERATION_QUEUE_SEARCH_DEPTH``), back to one posted at ``since``, and ``before`` asks
    for the next, older ones."""

    depth: int
    since: datetime | None
    before: int


@dataclass(frozen=True)
class QueuePage:
    reviews: list[CommentReview]
    older: int | None  # the ``before`` that asks for the next, older page; None on the last
    # Set when a search found less than a page among the comments it looked through and older
    # ones are left: none of the queue's other pages were searched.
    stopped: SearchStopped | None = None


def queue_page(
    *,
    state: str,
    thread_id: int | None = None,
    reader_key: str = "",
    reason: str = "",
    search: str = "",
    before: int | None = None,
    limit: int = 25,
) -> QueuePage:
    """Newest first, keyset-paged, with the comment and its parent for context.

    The Reported queue is newest report first (paged on the report's id); the others newest
    comment first (paged on the review's id).

    A text search (``search``: the comment's words, its author's name, or a name they had) and
    the reason filter match what no index holds, so each page of them looks through the
    ``MODERATION_QUEUE_SEARCH_DEPTH`` newest comments of the queue (after ``before``) and no
    more: on a queue of 257,000 comments a search for what matched nothing read every one of
    them (2.4 s). When it finds less than a page there and older comments are left, the page
    says where it stopped (``QueuePage.stopped``) and how to search on from there.
    """
    reviews: QuerySet[CommentReview] = _in_queue(state)
    key = "last_report_id" if state == CommentReview.State.REPORTED else "id"
    if thread_id:
        reviews = reviews.filter(thread_id=thread_id)
    if reader_key:
        reviews = reviews.filter(reader_key=reader_key)
    if before:
        reviews = reviews.filter(**{f"{key}__lt": before})
    edge = None
    if reason or search:
        depth = settings.MODERATION_QUEUE_SEARCH_DEPTH
        # The oldest of the ``depth`` comments this page looks through, and whether any is
        # older: an index's range, read newest first, as a page of the unfiltered queue is.
        edges = list(reviews.order_by(f"-{key}").values_list(key, flat=True)[depth - 1 : depth + 1])
        if len(edges) == 2:
            edge = edges[0]
            reviews = reviews.filter(**{f"{key}__gte": edge})
    if reason:
        # A report's reason as a subquery, not a join: the join made one row per report, and the
        # DISTINCT that took them out again read and sorted the whole queue before its first
        # page (the Unmoderated queue of 300,000 comments: 4 s), where this reads the queue's
        # index newest first and stops at a page.
        reported_so = Report.objects.filter(comment_id=OuterRef("comment_id"), reason=reason)
        reviews = reviews.filter(Q(codes__icontains=reason) | Exists(reported_so))
    if search:
        # A member's comments show the name they have now: a name they had also finds them.
        had_it = ReaderNameChange.objects.filter(old_name__icontains=search)
        reviews = reviews.filter(
            Q(comment__body__icontains=search)
            | Q(comment__author_name__icontains=search)
            | Q(comment__author_id__in=had_it.values("reader__user_id"))
        )
    if state == CommentReview.State.REPORTED:
        reviews = _with_earlier_approval(reviews)
    reviews = reviews.annotate(
        decided=Subquery(_decisions_on(OuterRef("comment_id"))[:1]),
        **_brigades_open(),
    )
    page = list(
        # The author's account too: a member's card says when it was made.
        reviews.select_related("comment", "comment__parent", "comment__author", "thread").order_by(
            f"-{key}"
        )[:limit]
    )
    _attach_history(page)
    if state == CommentReview.State.REJECTED:
        _attach_appeals(page)
    if len(page) == limit:
        return QueuePage(page, getattr(page[-1], key))
    if edge is None:
        return QueuePage(page, None)
    return QueuePage(page, None, _search_stopped(key, edge))


def _search_stopped(key: str, edge: int) -> SearchStopped:
    """Where a search stopped: at the comment whose ``key`` (the review's id, or in the
    Reported queue its newest report's) is ``edge``. Its time says how far back that is, but
    not in the Reported queue, which is in the order of the reports, not of the comments."""
    since = None
    if key == "id":
        since = (
            CommentReview.objects.filter(pk=edge)
            .values_list("comment__created_at", flat=True)
            .first()
        )
    return SearchStopped(depth=settings.MODERATION_QUEUE_SEARCH_DEPTH, since=since, before=edge)


# What a moderator does to put a comment's text before readers: after one of these, that text
# is what a person approved.
_APPROVALS = (
    ModerationAction.Kind.APPROVE,
    ModerationAction.Kind.FEATURE,
    ModerationAction.Kind.APPEAL_UPHELD,
)


# What decides where a comment stands (published, held, removed), by a moderator or automatically:
# a queue card carries the newest of these it was shown with (``CommentReview.decided``), and an
# approve or reject from it is refused when there is a newer one (actions.DecidedSince).
# Warnings, bans and taking a comment out of the featured strip do not change where it stands.
DECISIONS = (
    ModerationAction.Kind.HOLD,
    ModerationAction.Kind.APPROVE,
    ModerationAction.Kind.REJECT,
    ModerationAction.Kind.FEATURE,
    ModerationAction.Kind.APPEAL_UPHELD,
    ModerationAction.Kind.APPEAL_DENIED,
)


def _decisions_on(comment_id) -> QuerySet:
    """The ids of the decisions on a comment (``comment_id``: an id or an ``OuterRef``), newest
    first, on the ``action_comment`` index."""
    return (
        ModerationAction.objects.filter(comment_id=comment_id, kind__in=DECISIONS)
        .order_by("-id")
        .values("id")
    )


def decision_since(*, comment_id: int, seen: int) -> ModerationAction | None:
    """The newest decision on the comment made after decision ``seen`` (0: none was), with who
    made it; None when there is none, and the comment stands as the moderator's card showed it."""
    return (
        ModerationAction.objects.filter(comment_id=comment_id, kind__in=DECISIONS, id__gt=seen)
        .select_related("actor")
        .order_by("-id")
        .first()
    )


def _brigades_open() -> dict:
    """The open coordinated recommending of a card's comment, and the open mass report against
    its author (moderation.brigades), for the card to say so: a subquery each in the queue
    page's own query (``campaign_comment`` and ``campaign_reader`` indexes), no query more."""
    open_ = Campaign.objects.filter(status=Campaign.Status.OPEN).order_by("-id").values("pk")
    return {
        "recommending_campaign": Subquery(
            open_.filter(kind=Campaign.Kind.RECOMMENDING, comment_id=OuterRef("comment_id"))[:1]
        ),
        "reporting_campaign": Subquery(
            open_.filter(kind=Campaign.Kind.REPORTING, reader_key=OuterRef("reader_key"))[:1]
        ),
    }


def decision(*, action_id: int) -> ModerationAction | None:
    """A decision on a comment (``DECISIONS``), with who made it; None for any other entry."""
    return (
        ModerationAction.objects.filter(pk=action_id, kind__in=DECISIONS, comment__isnull=False)
        .select_related("actor")
        .first()
    )


def queue_listing(review: CommentReview, *, status: str) -> str:
    """The queue that lists a review now (its label), for a moderator told to open it again
    there: Reported while a report is unanswered on a comment still there, else its state's."""
    if review.last_report_id and status in (Comment.Status.PUBLISHED, Comment.Status.PENDING):
        state = CommentReview.State.REPORTED
    else:
        state = review.state
    return dict(QUEUES).get(state, "")


def moderator_approved(*, comment_id: int | None) -> bool:
    """Whether a moderator has ever approved, featured or restored on appeal ``comment_id`` (one
    query on the ``action_comment`` index): an edit of it is then read by a moderator first."""
    if comment_id is None:
        return False
    return ModerationAction.objects.filter(comment_id=comment_id, kind__in=_APPROVALS).exists()


def _with_earlier_approval(reviews: QuerySet[CommentReview]) -> QuerySet[CommentReview]:
    """Each review with ``approved_at`` and ``approved_by`` (the moderator's user name; None when
    the account is gone): the newest approval of its comment by a moderator, or None for both.

    Read in the page's own query (two subqueries on the ``action_comment`` index, for the rows
    shown), not one query per card. Every approval answers the comment's open reports
    (``actions._decided``), so on a card in the Reported queue it came before them.
    """
    approvals = ModerationAction.objects.filter(
        comment_id=OuterRef("comment_id"), kind=ModerationAction.Kind.APPROVE, automated=False
    ).order_by("-id")
    name = f"actor__{get_user_model().USERNAME_FIELD}"
    return reviews.annotate(
        approved_at=Subquery(approvals.values("created_at")[:1]),
        approved_by=Subquery(approvals.values(name)[:1]),
    )


# How far back "Reject their last 7 days" reaches (actions.RejectRecentComments).
RECENT_DAYS = 7
# A review whose comment is no longer there to reject: rejected already, or deleted by its author
# (a shell kept for its replies; one deleted without replies has no review left).
GONE = Q(state=CommentReview.State.REJECTED) | Q(comment__status=Comment.Status.DELETED)


def recent_reviews(*, reader_keys: Iterable[str], days: int = RECENT_DAYS) -> QuerySet:
    """The reviews of every comment these readers posted in the last ``days``: the window
    "Reject their last 7 days" works through, those gone already (``GONE``) included."""
    since = timezone.now() - timedelta(days=days)
    return CommentReview.objects.filter(reader_key__in=list(reader_keys), created_at__gte=since)


def recent_to_reject(*, reader_keys: Iterable[str], days: int = RECENT_DAYS) -> dict[str, int]:
    """How many of each reader's comments of the last ``days`` are still there to reject: what
    "Reject their last 7 days" would reject, which its confirming box says. One query for a
    page of cards; a reader with none is not in the answer."""
    return {
        key: counts[0] for key, counts in recent_to_reject_counts(reader_keys, days=days).items()
    }


def recent_to_reject_counts(
    reader_keys: Iterable[str], *, days: int = RECENT_DAYS
) -> dict[str, tuple[int, int]]:
    """:func:`recent_to_reject`'s number for each reader, with how many of those comments a
    moderator approved (the action rejects them too, so its confirming box says so rather than
    overrule a colleague unawares). One query."""
    keys = {key for key in reader_keys if key}
    if not keys:
        return {}
    rows = (
        recent_reviews(reader_keys=keys, days=days)
        .exclude(GONE)
        .values_list("reader_key")
        .annotate(
            n=Count("id"),
            approved=Count("id", filter=Q(state=CommentReview.State.APPROVED)),
        )
        .order_by()
    )
    return {key: (n, approved) for key, n, approved in rows}


def waiting_threads(*, also: int | None = None, limit: int = 200) -> list[Thread]:
    """Articles with comments waiting for a moderator (pending, or with open reports), by title:
    the queue's article filter. ``also`` adds the article being filtered on, so it shows."""
    waiting = CommentReview.objects.filter(
        Q(state=CommentReview.State.PENDING) | Q(last_report__isnull=False)
    ).values("thread_id")
    wanted = (Q(id__in=waiting) | Q(id=also)) if also else Q(id__in=waiting)
    return list(
        Thread.objects.filter(wanted).only("id", "title", "page").order_by("title", "id")[:limit]
    )


def reader_label(reader_key: str) -> str:
    """A reader as a moderator knows them: the name on their newest comment, member or guest.

    The reader key (``user:2``, ``guest:<cookie>``) is for machines; the queue shows this.
    """
    review = (
        CommentReview.objects.filter(reader_key=reader_key)
        .select_related("comment")
        .only("comment__author_name", "comment__author_id")
        .order_by("-id")
        .first()
    )
    return author_label(review.comment) if review else "an unknown reader"


def earlier_names(reader_key: str) -> list[ReaderNameChange]:
    """A member's changes of display name, newest first, for the queue filtered to them: their
    comments show the name they have now. Empty for a guest."""
    prefix, _, number = reader_key.partition(":")
    user_id = ascii_int(number) if prefix == "user" else None
    if user_id is None:
        return []
    return reader_names_before(user_ids=[user_id]).get(user_id, [])


def ban_refusal(*, reader_key: str) -> str | None:
    """What a banned reader reads when their comment is refused: until when, and the reason the
    moderator gave, in plain words. None when there is no ban to speak of (lifted a moment ago).
    Two small reads, made only for a banned reader."""
    standing = ReaderStanding.objects.filter(reader_key=reader_key).first()
    if standing is None:
        return None
    until = (
        f" until {timezone.localtime(standing.banned_until):%-d %B %Y, %H:%M}"
        if standing.banned_until
        else ""
    )
    sentences = [f"You cannot comment on this site{until}."]
    ban = (
        ModerationAction.objects.filter(kind=ModerationAction.Kind.BAN, reader_key=reader_key)
        .only("reason_code", "note")
        .first()  # the newest: ModerationAction is ordered by -id
    )
    if ban is not None and ban.reason_code in BAN_REASONS:
        sentences.append(f"The moderators' reason: {BAN_REASONS[ban.reason_code]}.")
    if ban is not None and ban.note.strip():
        sentences.append(f"Their note: “{ban.note.strip()}”")
    return " ".join(sentences)


@dataclass(frozen=True)
class BanStatement:
    """A reader's newest ban, as its statement of reasons says it (``ban_statement``)."""

    ban: ModerationAction
    in_force: bool  # the reader cannot comment now because of it
    until: datetime | None  # when it ends (None: permanent)
    lifted: ModerationAction | None  # a moderator's lifting of it, or an appeal's upholding
    appeal: Appeal | None
    appeal_answer: ModerationAction | None  # the decision on the appeal, with its note
    # The reader's comment the ban was made from (its card's ban keeps it in its evidence): the
    # facts the decision rests on, which the statement shows them. None for a ban made otherwise.
    over: Comment | None = None

    @property
    def reason(self) -> str:
        return BAN_REASONS.get(self.ban.reason_code, "")


def ban_statement(*, reader_key: str) -> BanStatement | None:
    """The statement of reasons for ``reader_key``'s newest ban: when and why it was made, by a
    moderator or automatically, until when, whether it holds now, and its appeal with the answer.
    None for a reader never banned. Three small reads on the ``reader_key`` of actions, and the
    comment the ban was made from when its evidence names one."""
    if not reader_key:
        return None
    ban = (
        ModerationAction.objects.filter(kind=ModerationAction.Kind.BAN, reader_key=reader_key)
        .order_by("-id")
        .first()
    )
    if ban is None:
        return None
    standing = ReaderStanding.objects.filter(reader_key=reader_key).first()
    # Actions after the ban: a lifting, or an appeal's answer (the newest of each).
    later = {
        entry.kind: entry
        for entry in ModerationAction.objects.filter(
            reader_key=reader_key,
            pk__gt=ban.pk,
            comment__isnull=True,
            kind__in=(
                ModerationAction.Kind.UNBAN,
                ModerationAction.Kind.APPEAL_UPHELD,
                ModerationAction.Kind.APPEAL_DENIED,
            ),
        ).order_by("id")
    }
    appeal = Appeal.objects.filter(action=ban).first()
    in_force = bool(
        standing is not None
        and standing.banned
        and (standing.banned_until is None or standing.banned_until > timezone.now())
        and ModerationAction.Kind.UNBAN not in later
        and ModerationAction.Kind.APPEAL_UPHELD not in later
    )
    until = standing.banned_until if in_force and standing is not None else None
    if not in_force:
        until = _ban_until(ban)
    answer = None
    if appeal is not None and appeal.status != Appeal.Status.OPEN:
        answer = later.get(
            ModerationAction.Kind.APPEAL_UPHELD
            if appeal.status == Appeal.Status.UPHELD
            else ModerationAction.Kind.APPEAL_DENIED
        )
    return BanStatement(
        ban=ban,
        in_force=in_force,
        until=until,
        lifted=later.get(ModerationAction.Kind.APPEAL_UPHELD)
        or later.get(ModerationAction.Kind.UNBAN),
        appeal=appeal,
        appeal_answer=answer,
        over=ban_made_from(ban),
    )


def _evidence_comment(ban: ModerationAction) -> int | None:
    """The id of the comment a ban was made from, as its evidence names it (``{"comment":
    id}``, from the comment's card), or None."""
    comment_id = ban.evidence.get("comment") if isinstance(ban.evidence, dict) else None
    return comment_id if isinstance(comment_id, int) else None


def ban_made_from(ban: ModerationAction) -> Comment | None:
    """The comment a ban was made from, with its thread; None when its evidence names none (or
    the comment is gone)."""
    comment_id = _evidence_comment(ban)
    if comment_id is None:
        return None
    return Comment.objects.select_related("thread").filter(pk=comment_id).first()


def _ban_until(ban: ModerationAction) -> datetime | None:
    """The end a ban was given when it was made (``BanReader`` keeps it in its evidence)."""
    until = (ban.evidence or {}).get("until")
    if not until:
        return None
    try:
        return datetime.fromisoformat(until)
    except ValueError:
        return None


def reaction_refusal(user_id: int | None, guest_key: str) -> reaction_checks.Refusal | None:
    """Why a reader banned from commenting may not recommend comments either, while the ban
    lasts (registered with ``discussion.reaction_checks``): the ban's own words (until when, and
    the moderators' reason), as a refused comment says them, with the link to the ban's statement
    and its appeal. None for anyone not banned now. One small read for every recommendation
    added; two more only for a banned reader."""
    key = f"user:{user_id}" if user_id is not None else f"guest:{guest_key}" if guest_key else ""
    if not key:
        return None
    standing = (
        ReaderStanding.objects.filter(reader_key=key, banned=True).only("banned_until").first()
    )
    if standing is None or (
        standing.banned_until is not None and standing.banned_until <= timezone.now()
    ):
        return None
    said = ban_refusal(reader_key=key)
    if said is None:  # lifted a moment ago
        return None
    return reaction_checks.Refusal(
        f"{said} While the ban lasts, you cannot recommend comments either.",
        link=reverse("moderation:ban"),
        link_label="Why, and how to appeal the ban",
    )


def author_label(comment: Comment) -> str:
    return f"{comment.author_name} ({'member' if comment.author_id else 'guest'})"


# The states a card's author line counts, in its order.
_HISTORY = ("pending", "approved", "unmoderated", "rejected")


def _histories(keys: Iterable[str]) -> dict[str, dict[str, int]]:
    """How many of each reader's comments are in each queue, by reader key (one grouped
    query).

    Read from the ``review_reader_state`` index alone (``COUNT(*)``, not of a column it lacks):
    a page of cards by readers of long standing counts every comment they ever wrote, and read
    from the table that was a row fetched for each (25 readers with 35,800 comments between them:
    570 ms on PostgreSQL, 13 ms from the index)."""
    history: dict[str, dict[str, int]] = {}
    for key, state, n in (
        CommentReview.objects.filter(reader_key__in=keys)
        .values_list("reader_key", "state")
        .annotate(n=Count("*"))
        .order_by()
    ):
        history.setdefault(key, {})[state] = n
    return history


def _history_counts(history: dict[str, int]) -> list[tuple[str, int]]:
    """A card's author line: (queue, count) in ``_HISTORY``'s order, each linking to its queue
    for that reader alone."""
    return [(state, history.get(state, 0)) for state in _HISTORY]


def _attach_history(reviews: list[CommentReview]) -> None:
    keys = {review.reader_key for review in reviews if review.reader_key}
    history = _histories(keys)
    standings = {
        standing.reader_key: standing
        for standing in ReaderStanding.objects.filter(reader_key__in=keys)
    }
    recent = recent_to_reject_counts(keys)
    # How many notes moderators kept about each (their record's), for the card's link to it.
    notes = dict(
        ReaderNote.objects.filter(reader_key__in=keys)
        .values_list("reader_key")
        .annotate(n=Count("id"))
    )
    # A banned reader's open appeal of their ban, for their cards (read only when a reader on
    # the page is banned, so a page of readers in good standing costs no query more).
    banned = [key for key, standing in standings.items() if standing.banned]
    ban_appeals = (
        dict(
            Appeal.objects.filter(
                status=Appeal.Status.OPEN, comment__isnull=True, action__reader_key__in=banned
            ).values_list("action__reader_key", "pk")
        )
        if banned
        else {}
    )
    ids = [review.comment_id for review in reviews]
    reports: dict[int, list[Report]] = {}
    for report in Report.objects.filter(comment_id__in=ids).order_by("id"):
        reports.setdefault(report.comment_id, []).append(report)
    for review in reviews:
        review.history = history.get(review.reader_key, {})
        # Each links to its queue for this reader alone: the card's line is their history.
        review.history_counts = _history_counts(review.history)
        review.standing = _standing_now(standings.get(review.reader_key))
        review.ban_appeal_id = ban_appeals.get(review.reader_key)
        review.notes_count = notes.get(review.reader_key, 0)
        # What "Reject their last 7 days" would reject, said beside it before it is confirmed.
        review.recent_to_reject, review.recent_approved = recent.get(review.reader_key, (0, 0))
        review.report_list = reports.get(review.comment_id, [])
        # Fewer networks than reports is what one reader under several cookies looks like.
        review.report_networks = report_networks(r.network for r in review.report_list)
        review.author_label = author_label(review.comment)
    _attach_earlier_names(reviews)


@dataclass(frozen=True)
class StandingNow:
    """What moderators have done to a reader that holds now, for their cards: a ban in force
    (``banned``; ``banned_until`` None for one with no end), pre-moderation, and warnings."""

    banned: bool
    banned_until: datetime | None
    premoderate: bool
    warnings: int


def _standing_now(standing: ReaderStanding | None) -> StandingNow | None:
    """``standing`` as it holds now (a ban whose end has passed is over), or None if nothing
    moderators did to the reader holds."""
    if standing is None:
        return None
    banned = standing.banned and (
        standing.banned_until is None or standing.banned_until > timezone.now()
    )
    now = StandingNow(
        banned=banned,
        banned_until=standing.banned_until if banned else None,
        premoderate=standing.premoderate,
        warnings=standing.warnings,
    )
    return now if now.banned or now.premoderate or now.warnings else None


def _attach_earlier_names(reviews: list[CommentReview]) -> None:
    """Each member's earlier display names (``earlier_names`` on the review), newest first: the
    comment shows the name its author has now. One query, and none for guests alone."""
    members = {review.comment.author_id for review in reviews if review.comment.author_id}
    changes = reader_names_before(user_ids=members) if members else {}
    for review in reviews:
        shown = review.comment.author_name
        had = (change.old_name for change in changes.get(review.comment.author_id, []))
        review.earlier_names = [name for name in dict.fromkeys(had) if name != shown]


def reported_by(user_id: int | None, guest_key: str, comment_ids: list[int]) -> set[int]:
    """The ids among ``comment_ids`` that this reader (an account, else a guest cookie) has
    reported; registered with ``discussion.reported`` so a thread marks them. One query."""
    key = f"user:{user_id}" if user_id is not None else f"guest:{guest_key}"
    return set(
        Report.objects.filter(reporter_key=key, comment_id__in=comment_ids).values_list(
            "comment_id", flat=True
        )
    )


def _attach_appeals(reviews: list[CommentReview]) -> None:
    """Each rejected comment's appeal (``appeal`` on the review; None if its author made none):
    the open one, else the newest decided. One query, for the Rejected queue's cards, so a
    moderator reading them sees which their authors appealed and reaches the appeal from there.
    """
    appeals: dict[int, Appeal] = {}
    ids = [review.comment_id for review in reviews]
    for appeal in Appeal.objects.filter(comment_id__in=ids).order_by("id"):
        if (
            appeals.get(appeal.comment_id) is None
            or appeals[appeal.comment_id].status != Appeal.Status.OPEN
        ):
            appeals[appeal.comment_id] = appeal
    for review in reviews:
        review.appeal = appeals.get(review.comment_id)


def open_appeals(limit: int = 50, *, appeal_id: int | None = None) -> list[Appeal]:
    """The oldest open appeals; with ``appeal_id``, that appeal alone, while it is open (a
    rejected comment's card links to its appeal so)."""
    appeals = Appeal.objects.filter(status=Appeal.Status.OPEN)
    if appeal_id:
        appeals = appeals.filter(pk=appeal_id)
    found = list(
        # The card names the article, and the moderator whose decision is appealed.
        appeals.select_related("comment", "comment__thread", "action", "action__actor").order_by(
            "id"
        )[:limit]
    )
    bans = [appeal for appeal in found if appeal.comment_id is None]
    keys = {appeal.action.reader_key for appeal in bans}
    names = reader_names(keys)
    standings = {
        standing.reader_key: standing
        for standing in (ReaderStanding.objects.filter(reader_key__in=keys) if keys else ())
    }
    histories = _histories(keys) if keys else {}
    # The comment whose card the ban was made from (the ban's evidence), which the appeal often
    # answers: shown on the card.
    from_ids = {_evidence_comment(appeal.action) for appeal in bans} - {None}
    banned_over = (
        Comment.objects.select_related("thread").in_bulk(list(from_ids)) if from_ids else {}
    )
    for appeal in bans:
        # A ban's appeal has no comment: its card names the reader as their comments did.
        appeal.reader_name = names.get(appeal.action.reader_key, "")
        appeal.history_counts = _history_counts(histories.get(appeal.action.reader_key, {}))
        appeal.banned_over = banned_over.get(_evidence_comment(appeal.action))
        appeal.ban_until = _ban_until(appeal.action)
        # An appeal stays open past the end of a timed ban, or a lifting: the card says so.
        now = _standing_now(standings.get(appeal.action.reader_key))
        appeal.ban_over = now is None or not now.banned
    return found


def reader_names(reader_keys: Iterable[str]) -> dict[str, str]:
    """The name each reader last commented under, by reader key (one query): how a card names a
    reader when it has no comment of theirs to show (a ban's appeal)."""
    keys = list(reader_keys)
    if not keys:
        return {}
    newest = (
        CommentReview.objects.filter(reader_key__in=keys)
        .values("reader_key")
        .annotate(newest=models.Max("id"))
        .values("newest")
    )
    return dict(
        CommentReview.objects.filter(pk__in=Subquery(newest)).values_list(
            "reader_key", "comment__author_name"
        )
    )


def newest_decision_at(*, comment_id: int) -> datetime | None:
    """When the newest moderation action on a comment was taken (None if none was): when the
    email its author was sent about it left, for a link from before links were dated
    (``statement_links.link_state``). One query on the ``action_comment`` index."""
    return (
        ModerationAction.objects.filter(comment_id=comment_id)
        .order_by("-id")
        .values_list("created_at", flat=True)
        .first()
    )


def statement_for(comment_id: int) -> list[ModerationAction]:
    """Every decision about a comment, newest first: its statement of reasons."""
    return list(
        ModerationAction.objects.filter(comment_id=comment_id)
        .prefetch_related("appeals")
        .order_by("-id")
    )


def monthly_report(*, months: int = 12) -> list[dict]:
    """Counts per month: actions by kind and reason, automated or human, reports, appeals.

    Each row is counted by when things happened, so a month's figures stay as published once it
    is over: ``appeals`` counts every appeal sent that month, whatever became of it;
    ``withdrawn`` the appeals withdrawn that month, whenever sent, their author having deleted
    the comment before a moderator decided (neither upheld nor turned down, so in no action's
    count), as ``reversals`` counts the appeals upheld that month. Counted by the month each
    appeal was sent, a withdrawal would change a month already published.

    ``actions`` counts by code (``reject:spam``), for the CSV; ``by_reason`` by the same actions
    in plain words ("Rejected: spam"), most frequent first, for the page.

    Counted afresh: the public page reads :func:`transparency_report`, the same from the cache.
    """
    since, current = _report_months(months)
    return _months_listed(_months_counted(since=since), current=current)


# The public report's figures of finished months are counted once a day at most (they do not
# change once the month is over; the day bounds what a change of the code that counts them
# leaves behind); this month's every MODERATION_TRANSPARENCY_CACHE_SECONDS.
FINISHED_MONTHS_SECONDS = 24 * 3600


def transparency_report(*, months: int = 12) -> list[dict]:
    """:func:`monthly_report` for the public transparency page and its CSV, from the cache: the
    finished months, counted once, and this month, counted again after
    ``MODERATION_TRANSPARENCY_CACHE_SECONDS`` (the page says how far behind it may be). Every
    reader of the page counted a year of moderation actions (45,000 of them: 60 ms, growing
    with the site). The keys name the months they hold, so a new month starts new entries."""
    since, current = _report_months(months)
    key = f"moderation:transparency:{settings.TIME_ZONE}:{since:%Y-%m}:{current:%Y-%m}"
    finished = cache.get_or_set(
        f"{key}:finished",
        lambda: _months_counted(since=since, until=current),
        FINISHED_MONTHS_SECONDS,
    )
    this_month = cache.get(f"{key}:current")
    if this_month is None:
        this_month = _months_counted(since=current)
        cache.set(f"{key}:current", this_month, settings.MODERATION_TRANSPARENCY_CACHE_SECONDS)
    return _months_listed({**finished, **this_month}, current=current)


def _report_months(months: int) -> tuple[datetime, datetime]:
    """The report's first day (midnight on the first day of its oldest month) and this month's,
    in the newsroom's time zone (the months' own, TruncMonth's): from this time of day, that
    month's figures left out its first hours, and changed as the day went on."""
    now = timezone.localtime()
    since = (now - timedelta(days=31 * months)).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )
    return since, now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _months_counted(*, since: datetime, until: datetime | None = None) -> dict[datetime, dict]:
    """Each month's counts from ``since`` to ``until`` (or now), for :func:`monthly_report`."""
    rows: dict[datetime, dict] = {}

    def row(month: datetime) -> dict:
        return rows.setdefault(month, _month_row(month))

    def within(field: str) -> dict:
        return {f"{field}__gte": since, **({f"{field}__lt": until} if until else {})}

    for month, kind, reason, automated, n in (
        ModerationAction.objects.filter(**within("created_at"))
        .annotate(month=TruncMonth("created_at"))
        .values_list("month", "kind", "reason_code", "automated")
        .annotate(n=Count("id"))
    ):
        entry = row(month)
        # An upheld appeal's reason is its kind: "appeal_upheld", not "appeal_upheld:appeal_upheld".
        code = f"{kind}:{reason}" if reason and reason != kind else kind
        entry["actions"][code] = entry["actions"].get(code, 0) + n
        label = action_label(kind, reason)
        entry["by_reason"][label] = entry["by_reason"].get(label, 0) + n
        entry["automated" if automated else "human"] += n
        if kind == ModerationAction.Kind.APPEAL_UPHELD:
            entry["reversals"] += n
    for month, n in (
        Report.objects.filter(**within("created_at"))
        .annotate(month=TruncMonth("created_at"))
        .values_list("month")
        .annotate(n=Count("id"))
    ):
        row(month)["reports"] += n
    for month, n in (
        Appeal.objects.filter(**within("created_at"))
        .annotate(month=TruncMonth("created_at"))
        .values_list("month")
        .annotate(n=Count("id"))
    ):
        row(month)["appeals"] += n
    for month, n in (
        Appeal.objects.filter(status=Appeal.Status.WITHDRAWN)
        # Those migration 0013 withdrew have no time: they stay where they were first counted.
        .annotate(withdrawn_at=Coalesce("decided_at", "created_at"))
        .filter(**within("withdrawn_at"))
        .annotate(month=TruncMonth("withdrawn_at"))
        .values_list("month")
        .annotate(n=Count("id"))
    ):
        row(month)["withdrawn"] += n
    return rows


def _month_row(month: datetime) -> dict:
    return {"month": month, "actions": {}, "by_reason": {}, "automated": 0, "human": 0,
            "reports": 0, "appeals": 0, "withdrawn": 0, "reversals": 0}  # fmt: skip


def _months_listed(rows: dict[datetime, dict], *, current: datetime) -> list[dict]:
    """``rows`` newest month first, each reason's count most frequent first. Every month from
    the first with anything in it to this one: a quiet month is a row of zeros, not a gap that
    the chart and table would close up without saying so."""
    listed = {
        month: {**entry, "by_reason": dict(entry["by_reason"])} for month, entry in rows.items()
    }
    if listed:
        month = min(listed)
        while month < current:
            month = (month + timedelta(days=32)).replace(day=1)
            listed.setdefault(month, _month_row(month))
    for entry in listed.values():
        entry["by_reason"] = sorted(entry["by_reason"].items(), key=lambda kv: (-kv[1], kv[0]))
    return [listed[month] for month in sorted(listed, reverse=True)]


def hourly_activity(*, hours: int = 48) -> list[dict]:
    """Comments posted per hour, how many were held, over the last ``hours``: the dashboard charts.

    One row for every hour of the window, oldest first and the current hour last, quiet hours as
    zeros: a chart of only the busy hours would set a morning's comments beside the night's, and
    read as one busy stretch. Hours are whole UTC hours (each ``hour`` an aware datetime), so
    they are the same in every time zone, a half-hour one included.

    By when the comment was posted, not when it was screened: imported comments (the demo's
    from 2022, a Disqus archive) are screened today, but were not posted in these hours. A
    comment's review is made as it is posted, so the review's indexed time still bounds the scan.
    """
    now = timezone.now().astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    slots = [now - timedelta(hours=back) for back in range(hours - 1, -1, -1)]
    since = slots[0]
    counts = dict(
        (hour, (total, held))
        for hour, total, held in CommentReview.objects.filter(
            created_at__gte=since, comment__created_at__gte=since
        )
        .annotate(hour=TruncHour("comment__created_at", tzinfo=UTC))
        .values_list("hour")
        .annotate(total=Count("id"), held=Count("id", filter=Q(outcome="hold")))
    )
    return [
        {"hour": hour, "total": counts.get(hour, (0, 0))[0], "held": counts.get(hour, (0, 0))[1]}
        for hour in slots
    ]


@dataclass(frozen=True)
class ReaderHistory:
    """What screening asks of a reader's past, read in one query as a comment arrives."""

    has_standing: bool  # a moderator has restricted or warned them at some time
    banned: bool  # banned now (a timed ban that has run out is over)
    premoderate: bool
    trusted: int  # comments of theirs published and not taken down, counted up to the limit
    repeated: bool  # an earlier comment of theirs had this text
    # The moderation settings nearest the page commented on (itself, else its section, else the
    # site's home page): "" and None where none of them says.
    mode: str = ""
    close_after_days: int | None = None


def reader_history(
    *, reader_key: str, text_hash: str, trusted_limit: int, page_path: str | None = None
) -> ReaderHistory:
    """:func:`reader_history_read`'s answer, read on its own."""
    read = reader_history_read(
        reader_key=reader_key,
        text_hash=text_hash,
        trusted_limit=trusted_limit,
        page_path=page_path,
    )
    return read_together([read], alias=CommentReview.objects.db)[0]


def reader_history_read(
    *, reader_key: str, text_hash: str, trusted_limit: int, page_path: str | None = None
) -> Read:
    """The reader's standing, their published comments counted up to ``trusted_limit`` (a
    bounded scan of the ``review_reader_published`` index, however much they have written or
    have waiting) and whether they posted ``text_hash`` before (``review_repeat``); with
    ``page_path``, also the moderation settings in force for that page. One statement, a read to
    send with others (core.db.read_together), whose value is the :class:`ReaderHistory`."""
    alias = CommentReview.objects.db
    steplen = Page.steplen
    ancestors = (
        [page_path[:i] for i in range(steplen, len(page_path) + 1, steplen)] if page_path else []
    )
    limit = int(trusted_limit)
    if limit < 0:
        raise ValueError(f"trusted_limit must be 0 or more, not {trusted_limit!r}")
    sql = _reader_history_sql(alias, limit, len(ancestors))
    params = [
        # As a DateTimeField stores it (SQLite compares the text).
        connections[alias].ops.adapt_datetimefield_value(timezone.now()),
        reader_key,
        reader_key,
        text_hash,
        *ancestors,
        *ancestors,
        reader_key,
    ]
    return Read(sql, params, _reader_history_from)


@functools.lru_cache(maxsize=32)
def _reader_history_sql(alias: str, limit: int, ancestors: int) -> str:
    """:func:`reader_history_read`'s statement for a trusted ``limit`` and a page with
    ``ancestors`` paths (0: no page), made once per shape: its values are all parameters, bar
    the limit (below)."""
    quote = connections[alias].ops.quote_name
    review, standing = quote(CommentReview._meta.db_table), quote(ReaderStanding._meta.db_table)
    nearest = "NULL, NULL"
    if ancestors:
        marks = ", ".join(["%s"] * ancestors)
        nearest_settings = (
            f"SELECT {{column}} FROM {quote(ModerationSettings._meta.db_table)} ms "  # noqa: S608
            f"INNER JOIN {quote(Page._meta.db_table)} p ON p.id = ms.page_id "
            f"WHERE p.path IN ({marks}) AND {{present}} ORDER BY p.depth DESC LIMIT 1"
        )
        nearest = (
            "(" + nearest_settings.format(column="ms.mode", present="ms.mode <> ''") + "), "
            "("
            + nearest_settings.format(
                column="ms.close_after_days", present="ms.close_after_days IS NOT NULL"
            )
            + ")"
        )
    # The limit, a setting's whole number, is the statement's text, not a parameter: with
    # ``LIMIT %s`` PostgreSQL cannot cost a plan made once for every value (it guesses a tenth of
    # the reader's rows), and so planned this statement again on every comment (no generic plan
    # in pg_prepared_statements), about 0.3 ms of its CPU a comment.
    # The published states, too, are the statement's text (the model's own constants), as the
    # condition of the ``review_reader_published`` index is: only a statement that says them can
    # be planned on that index, whatever its values.
    published = ", ".join(f"'{state}'" for state in PUBLISHED_REVIEW_STATES)
    return (
        "SELECT s.id, s.banned AND (s.banned_until IS NULL OR s.banned_until > %s), "  # noqa: S608
        "s.premoderate, "
        # In the reader's index order, so that it stops at the limit: without an order, the plan
        # PostgreSQL prepares for any reader read the whole index range of the reader (a bitmap
        # scan), 1.2 ms for a reader of 15,000 comments, and more with each comment.
        f"(SELECT COUNT(*) FROM (SELECT 1 FROM {review} WHERE reader_key = %s "
        f"AND state IN ({published}) ORDER BY id DESC LIMIT {limit:d}) trusted), "
        f"EXISTS (SELECT 1 FROM {review} WHERE reader_key = %s AND text_hash = %s), "
        f"{nearest} FROM (SELECT 1 AS one) reader LEFT JOIN {standing} s ON s.reader_key = %s"
    )


def _reader_history_from(row: tuple) -> ReaderHistory:
    standing_id, banned, premoderate, trusted, repeated, mode, close = row
    return ReaderHistory(
        has_standing=standing_id is not None,
        banned=bool(banned),
        premoderate=bool(premoderate),
        trusted=int(trusted),
        repeated=bool(repeated),
        mode=mode or "",
        close_after_days=close,
    )


def page_close_after_days(*, page_path: str) -> int | None:
    """``close_after_days`` of the nearest page that sets it: the page itself, else its section,
    else the site's home page (as screening reads it in :func:`reader_history`); None where
    none does."""
    steplen = Page.steplen
    ancestors = [page_path[:i] for i in range(steplen, len(page_path) + 1, steplen)]
    return (
        ModerationSettings.objects.filter(page__path__in=ancestors, close_after_days__isnull=False)
        .order_by("-page__depth")
        .values_list("close_after_days", flat=True)
        .first()
    )


# --- campaigns (moderation.campaigns) ------------------------------------------------------

CAMPAIGNS_SHOWN = 50
CAMPAIGN_COMMENTS_SHOWN = 100


def campaigns_for_review() -> tuple[list, list]:
    """Open campaigns, most recently active first, and the latest decided ones."""
    campaigns = Campaign.objects.select_related("decided_by")
    open_ = list(
        campaigns.filter(status=Campaign.Status.OPEN).order_by("-last_seen")[:CAMPAIGNS_SHOWN]
    )
    decided = list(
        campaigns.exclude(status=Campaign.Status.OPEN).order_by("-decided_at", "-pk")[
            :CAMPAIGNS_SHOWN
        ]
    )
    return open_, decided


@dataclass(frozen=True)
class CampaignNetworks:
    """Where a campaign's comments were posted from: how many different networks (an IPv4
    address or an IPv6 /64 each, ``core.client.network_of``, as reports and rate limits count
    places), and how many of its comments have no address recorded (imported, or posted by the
    demo or a command), which no network count can include."""

    networks: int
    unrecorded: int


def campaign_networks(*, campaign_id: int) -> CampaignNetworks:
    """Counted from each comment's review (``CommentReview.ip_address``, the address it was
    posted from): one grouped query over the campaign's reviews (``review_campaign`` index)."""
    networks: set[str] = set()
    unrecorded = 0
    for address, n in (
        CommentReview.objects.filter(campaign_id=campaign_id)
        .order_by()
        .values("ip_address")
        .annotate(n=Count("id"))
        .values_list("ip_address", "n")
    ):
        if address:
            networks.add(network_of(address))
        else:
            unrecorded += n
    return CampaignNetworks(networks=len(networks), unrecorded=unrecorded)


def campaign_comments(*, campaign_id: int) -> list:
    """A campaign's newest comments with their articles and moderation states."""
    return list(
        Comment.objects.filter(review__campaign_id=campaign_id)
        .select_related("thread", "review")
        .order_by("-id")[:CAMPAIGN_COMMENTS_SHOWN]
    )


def brigade_comments(*, campaign: Campaign) -> list:
    """The comment a coordinated-recommending campaign pushed, or the comments a mass report
    targeted (moderation.brigades), with their articles and moderation states."""
    if campaign.kind == Campaign.Kind.RECOMMENDING:
        ids = [campaign.comment_id] if campaign.comment_id else []
    else:
        ids = campaign.evidence.get("comment_ids", [])[:CAMPAIGN_COMMENTS_SHOWN]
    return list(
        Comment.objects.filter(pk__in=ids).select_related("thread", "review").order_by("-id")
    )


def reader_moderation_export(*, user_id: int) -> dict:
    """For the reader's data download (accounts.data_exports): the address each of their
    comments was posted from, the reports they sent, with their own note and the network they
    came from, their appeals, the decisions moderators (and the automatic checks) made about
    them and their comments, as each comment's statement of reasons tells them, and what
    restricts them now (ban, pre-moderation, warnings), and what moderators noted about them
    (``ReaderNote``: the text and its date), oldest first. Six queries however many rows, but
    for the sections that grow with what the reader did (an address per comment, their reports,
    appeals and decisions): those are read a page at a time as the download is written
    (``data_exports.pages``), one query a page.

    The addresses are personal data the reader may ask for (GDPR Art. 15), kept for
    IP_RETENTION_DAYS: one cleared (or never recorded, as an imported comment's) is "". Only the
    account's own comments: a guest's under the same name are not theirs to see."""
    key = f"user:{user_id}"
    # Read through their comments, a page of them by id as discussion reads them for the
    # download, each page bounded on both sides of the join (data_exports.pages).
    addresses = Comment.objects.filter(author_id=user_id, review__isnull=False).values(
        "id", "review__ip_address"
    )
    reports = Report.objects.filter(reporter_key=key)
    # Their comments' appeals, and their bans' (which have no comment: ``decision_id`` says which).
    appeals = Appeal.objects.filter(
        Q(comment__author_id=user_id) | Q(comment__isnull=True, action__reader_key=key)
    )
    decisions = ModerationAction.objects.filter(Q(comment__author_id=user_id) | Q(reader_key=key))
    standing = ReaderStanding.objects.filter(reader_key=key).first()
    notes = ReaderNote.objects.filter(reader_key=key).order_by("id")
    return {
        # What moderators noted about them (the text and when; not which moderator).
        "moderator_notes": [
            {"text": row["text"], "written_at": row["created_at"].isoformat()}
            for row in notes.values("text", "created_at")
        ],
        "comment_addresses": (
            {"comment_id": row["id"], "ip_address": row["review__ip_address"] or ""}
            for page in data_exports.pages(addresses, same=("review__comment_id",))
            for row in page
        ),
        "reports": (
            {
                "comment_id": row["comment_id"],
                "reason": row["reason"],
                "note": row["text"],
                "reported_at": row["created_at"].isoformat(),
                "network": row["network"] or "",
            }
            for page in data_exports.pages(
                reports.values("id", "comment_id", "reason", "text", "created_at", "network")
            )
            for row in page
        ),
        "appeals": (
            {
                "comment_id": row["comment_id"],
                "decision_id": row["action_id"],
                "text": row["text"],
                "status": row["status"],
                "sent_at": row["created_at"].isoformat(),
                "decided_at": row["decided_at"].isoformat() if row["decided_at"] else None,
            }
            for page in data_exports.pages(
                appeals.values(
                    "id", "comment_id", "action_id", "text", "status", "created_at", "decided_at"
                )
            )
            for row in page
        ),
        "decisions": (
            _decision_exported(row)
            for page in data_exports.pages(decisions.values("id", *_DECISION_FIELDS))
            for row in page
        ),
        "standing": {
            "banned": bool(standing and standing.banned),
            "banned_until": (
                standing.banned_until.isoformat() if standing and standing.banned_until else None
            ),
            "premoderated": bool(standing and standing.premoderate),
            "warnings": standing.warnings if standing else 0,
        },
    }


_DECISION_FIELDS = ("comment_id", "kind", "reason_code", "automated", "note", "created_at")


def _decision_exported(row: dict) -> dict:
    """One decision as its statement of reasons says it: what was done and why, by the
    automatic checks or a moderator, with the moderator's note (an automatic one's note is the
    rule's, for moderators, so the page leaves it out, and so does this)."""
    return {
        "comment_id": row["comment_id"],
        "decision": action_label(row["kind"], row["reason_code"]),
        "by": "our automatic checks" if row["automated"] else "a moderator",
        "note": "" if row["automated"] else row["note"],
        "decided_at": row["created_at"].isoformat(),
    }


# --- the admin's home page -----------------------------------------------------------------


@dataclass(frozen=True)
class Waiting:
    """What waits for a moderator, as the admin's home page shows it: each count bounded as the
    queues' tabs are (``COUNT_CAP``)."""

    pending: int
    reported: int
    appeals: int
    campaigns: int

    @property
    def anything(self) -> bool:
        return bool(self.pending or self.reported or self.appeals or self.campaigns)


def waiting_for_moderators() -> Waiting:
    """Four bounded index scans: the Pending and Reported queues, open appeals and open
    campaigns."""
    return Waiting(
        pending=_capped_count(_in_queue(CommentReview.State.PENDING)),
        reported=_capped_count(_in_queue(CommentReview.State.REPORTED)),
        appeals=_capped_count(Appeal.objects.filter(status=Appeal.Status.OPEN)),
        campaigns=_capped_count(Campaign.objects.filter(status=Campaign.Status.OPEN)),
    )


# --- A reader's record: everything moderators and the checks decided about them ------------

RECORD_PAGE_SIZE = 50
NOTES_SHOWN = 50


@dataclass(frozen=True)
class ReaderRecord:
    """One reader's record (``reader_record``): who they are to moderators, what holds now,
    their comments by queue, and a page of the decisions about them, newest first."""

    reader_key: str
    name: str  # the name of their newest comment ("" if none is left)
    member: bool
    standing: StandingNow | None
    history_counts: list[tuple[str, int]]
    actions: list[ModerationAction]
    older: int | None  # the ``before`` that asks for the next, older page; None on the last
    notes: list[ReaderNote]  # moderators' notes about them, newest first (NOTES_SHOWN at most)
    notes_count: int  # how many there are in all


def reader_record(*, reader_key: str, before: int | None = None) -> ReaderRecord | None:
    """``reader_key``'s record, or None for a key no comment or decision carries (a key typed
    or pasted wrong). The decisions are keyset-paged on the actions' ``action_reader`` index
    (``before``: an action's id, from ``older``), each with its moderator and its comment and
    article; the page costs the same queries however long the record is."""
    if not reader_key:
        return None
    history = _histories([reader_key]).get(reader_key, {})
    entries = ModerationAction.objects.filter(reader_key=reader_key)
    if before is not None:
        entries = entries.filter(pk__lt=before)
    page = list(
        entries.select_related("actor", "comment", "comment__thread").order_by("-id")[
            : RECORD_PAGE_SIZE + 1
        ]
    )
    if not history and not page and before is None:
        return None
    older = page[RECORD_PAGE_SIZE - 1].pk if len(page) > RECORD_PAGE_SIZE else None
    page = page[:RECORD_PAGE_SIZE]
    # A ban is about the reader, not a comment, but one made from a comment's card names it in
    # its evidence: the row shows that comment (one query for the page's bans).
    from_ids = {_evidence_comment(entry) for entry in page if entry.comment_id is None} - {None}
    banned_over = (
        Comment.objects.select_related("thread").in_bulk(list(from_ids)) if from_ids else {}
    )
    appeal_kinds = (ModerationAction.Kind.APPEAL_UPHELD, ModerationAction.Kind.APPEAL_DENIED)
    for entry in page:
        entry.label = action_label(entry.kind, entry.reason_code)
        if entry.kind in appeal_kinds and (entry.evidence or {}).get("ban"):
            # The reader's appeal of a ban, not of a comment's removal (actions.DecideAppeal).
            entry.label = f"Ban {entry.label[0].lower()}{entry.label[1:]}"
        entry.until = _ban_until(entry) if entry.kind == ModerationAction.Kind.BAN else None
        entry.about = entry.comment or banned_over.get(_evidence_comment(entry))
    standing = ReaderStanding.objects.filter(reader_key=reader_key).first()
    notes = list(
        ReaderNote.objects.filter(reader_key=reader_key)
        .select_related("author")
        .order_by("-id")[: NOTES_SHOWN + 1]
    )
    notes_count = (
        len(notes)
        if len(notes) <= NOTES_SHOWN
        else ReaderNote.objects.filter(reader_key=reader_key).count()
    )
    return ReaderRecord(
        reader_key=reader_key,
        name=reader_names([reader_key]).get(reader_key, ""),
        member=reader_key.startswith("user:"),
        standing=_standing_now(standing),
        history_counts=_history_counts(history),
        actions=page,
        older=older,
        notes=notes[:NOTES_SHOWN],
        notes_count=notes_count,
    )
