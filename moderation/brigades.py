"""Coordinated recommending and coordinated reporting: brigades that write nothing of their own.

moderation.campaigns finds many readers posting one text. A brigade can also push a comment to the
top of "Most reactions" by recommending it all at once, or take a commenter's comments down by
reporting several of them from the same few places. No text is posted, so only the numbers show
it. This looks for both in the same scheduler pass as the text campaigns (``manage.py
run_scheduler``, ``manage.py scan_campaigns``), off the posting and recommending paths, and lists
what it finds as campaigns of their own kinds under Campaigns. It never acts on readers
or comments by itself: a moderator decides.

**Coordinated recommending.** A comment with at least ``MODERATION_RECOMMENDING_REACTIONS``
recommendations within the last ``MODERATION_RECOMMENDING_MINUTES`` is looked at (those with
their network recorded: pressed since it was, not loaded in bulk as the demo's are). A
recommendation in that burst is *suspect* when its reader is new to the site (no recommendation
and no comment before the window: a fresh guest cookie or a sleeping account) or when its
network (``Reaction.network``) sent more than one of the burst. When suspect ones are at least
``MODERATION_RECOMMENDING_SHARE`` percent of the burst, it is listed, with how many
recommendations, from how many networks, how many readers new. A moderator may discount the
suspect ones (:func:`recommending_discount`: removed through ``discussion.services.
reactions_remove``, with an audit entry on the comment) or dismiss it.

**Coordinated reporting.** Reports within the last ``MODERATION_REPORTING_HOURS`` are grouped by the
author of the comment reported. A place (a report's network, or its reporter: one reader moving
between networks is one voice too) that reported at least ``MODERATION_REPORTING_COMMENTS`` of one
author's comments is a mass reporter, and the author's comments they reported are listed as one
campaign. Towards the automatic hold, reports already count once per network on each comment
(``services._hold_if_reported_enough``), so three places reporting everything of one author can
still take each comment down: the listing is how a moderator sees that, and :func:`reporting_keep`
puts them back up at once (``ApproveComment``, which answers their reports).

A burst (or a mass report) after a moderator decided on one is a new campaign: only what came
after the decision counts towards it.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from discussion.models import Comment, Reaction
from discussion.services import reactions_remove
from moderation.actions import Action, ActionError, ApproveComment
from moderation.campaigns import campaign_decision_claim
from moderation.models import Campaign, CommentReview, ModerationAction, Report

RECOMMENDING_REASON = "coordinated_recommending"
_HELD_BY_REPORTS = "reported"  # services._HELD_BY_REPORTS
_AT_ONCE = 500  # keys or ids in one IN (well inside SQLite's limit of variables)


@dataclasses.dataclass
class BrigadeReport:
    recommending: list[int] = dataclasses.field(default_factory=list)
    reporting: list[int] = dataclasses.field(default_factory=list)


def brigades_scan(*, now: datetime | None = None) -> BrigadeReport:
    """One pass: list (or bring up to date) the coordinated recommending and reporting found."""
    now = now or timezone.now()
    return BrigadeReport(recommending=_recommending_scan(now), reporting=_reporting_scan(now))


def _chunks(values: Iterable, size: int = _AT_ONCE) -> Iterable[list]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _latest(kind: str, field: str, values: Iterable) -> dict:
    """The newest campaign of ``kind`` for each of ``values`` (of ``field``)."""
    latest: dict = {}
    for chunk in _chunks(values):
        for campaign in Campaign.objects.filter(kind=kind, **{f"{field}__in": chunk}).order_by(
            "id"
        ):
            latest[getattr(campaign, field)] = campaign
    return latest


def _since_decision(campaign: Campaign | None, since: datetime) -> datetime:
    """From when rows count: the window's start, or a decided campaign's decision if later."""
    if campaign is None or campaign.status == Campaign.Status.OPEN or campaign.decided_at is None:
        return since
    return max(since, campaign.decided_at)


# --- coordinated recommending --------------------------------------------------------------


def _recommending_scan(now: datetime) -> list[int]:
    since = now - timedelta(minutes=settings.MODERATION_RECOMMENDING_MINUTES)
    needed = settings.MODERATION_RECOMMENDING_REACTIONS
    # The window's reactions through their time index, grouped: the comments with a burst.
    # Only recommendations pressed with their network recorded: one without was loaded in bulk
    # (the demo's readers, all "new" as they arrive at once) or made before networks were kept.
    pressed = Reaction.objects.filter(created_at__gte=since, network__isnull=False)
    busy = list(
        pressed.order_by()
        .values("comment_id")
        .annotate(n=Count("id"))
        .filter(n__gte=needed)
        .values_list("comment_id", flat=True)
    )
    if not busy:
        return []
    latest = _latest(Campaign.Kind.RECOMMENDING, "comment_id", busy)
    bursts: dict[int, list[tuple]] = defaultdict(list)
    for chunk in _chunks(busy):
        for row in (
            pressed.filter(comment_id__in=chunk)
            .order_by("id")
            .values_list("id", "comment_id", "reader_key", "network", "created_at")
        ):
            if row[4] > _since_decision(latest.get(row[1]), since):
                bursts[row[1]].append(row)
    bursts = {comment_id: rows for comment_id, rows in bursts.items() if len(rows) >= needed}
    known = _readers_known_before(
        {row[2] for rows in bursts.values() for row in rows}, before=since
    )
    found = []
    for comment_id, rows in bursts.items():
        evidence = _burst_evidence(rows, known)
        if evidence["suspect"] * 100 < settings.MODERATION_RECOMMENDING_SHARE * len(rows):
            continue
        campaign = _recommending_record(comment_id, rows, evidence, latest.get(comment_id))
        if campaign is not None:
            found.append(campaign.pk)
    return found


def _readers_known_before(reader_keys: set[str], *, before: datetime) -> set[str]:
    """Those of ``reader_keys`` ("u<id>", "g<cookie>") with any history on the site before
    ``before``: a recommendation (the ``reaction_reader`` index) or a comment (its review's
    ``review_reader`` index, where readers are "user:<id>" and "guest:<cookie>")."""
    known: set[str] = set()
    for chunk in _chunks(reader_keys):
        known.update(
            Reaction.objects.filter(reader_key__in=chunk, created_at__lt=before)
            .order_by()
            .values_list("reader_key", flat=True)
            .distinct()
        )
    as_commenters = {_commenter_key(key): key for key in reader_keys - known}
    for chunk in _chunks(as_commenters):
        for key in (
            CommentReview.objects.filter(reader_key__in=chunk, created_at__lt=before)
            .order_by()
            .values_list("reader_key", flat=True)
            .distinct()
        ):
            known.add(as_commenters[key])
    return known


def _commenter_key(reaction_key: str) -> str:
    """A reaction's reader ("u5", "gAbc") as moderation names commenters ("user:5", "guest:Abc")."""
    return ("user:" if reaction_key.startswith("u") else "guest:") + reaction_key[1:]


def _burst_evidence(rows: list[tuple], known: set[str]) -> dict:
    """What a moderator is shown of a burst, and the recommendations a discount would take."""
    per_network = Counter(row[3] for row in rows)
    new_readers = {row[2] for row in rows if row[2] not in known}
    suspect = [row[0] for row in rows if row[2] in new_readers or per_network[row[3]] > 1]
    return {
        "reactions": len(rows),
        "networks": len(per_network),
        "new_readers": len(new_readers),
        "suspect": len(suspect),
        "minutes": settings.MODERATION_RECOMMENDING_MINUTES,
        "reaction_ids": suspect,
    }


def _unchanged(latest: Campaign | None, **counted) -> bool:
    """Whether ``latest`` is open and shows what this pass counted already."""
    if latest is None or latest.status != Campaign.Status.OPEN:
        return False
    return all(latest.evidence.get(key) == value for key, value in counted.items())


def _recommending_record(
    comment_id: int, rows: list[tuple], evidence: dict, latest: Campaign | None
) -> Campaign | None:
    if _unchanged(latest, reactions=evidence["reactions"], reaction_ids=evidence["reaction_ids"]):
        return latest
    with transaction.atomic():
        if latest is not None and latest.status == Campaign.Status.OPEN:
            campaign = Campaign.objects.select_for_update().get(pk=latest.pk)
            if campaign.status != Campaign.Status.OPEN:
                return None  # decided while this pass counted: the next pass starts afresh
        else:
            body = Comment.objects.filter(pk=comment_id).values_list("body", flat=True).first()
            if body is None:
                return None
            campaign = Campaign(
                kind=Campaign.Kind.RECOMMENDING, comment_id=comment_id, sample=body[:2000]
            )
        campaign.evidence = evidence
        campaign.comment_count = 1
        campaign.thread_count = 1
        campaign.author_count = len({row[2] for row in rows})  # readers who recommended
        campaign.first_seen = rows[0][4]
        campaign.last_seen = rows[-1][4]
        campaign.save()
    return campaign


class DiscountRecommendations(Action):
    """Take a coordinated push's recommendations off a comment (its suspect ones), through the
    service that takes reactions away, with the audit entry on the comment."""

    kind = ModerationAction.Kind.DISCOUNT

    def __init__(self, *, campaign: Campaign, **kwargs):
        super().__init__(reason_code=RECOMMENDING_REASON, **kwargs)
        self.campaign = campaign

    def _execute(self) -> ModerationAction:
        campaign_decision_claim(
            campaign=self.campaign, user=self.user, status=Campaign.Status.DISCOUNTED
        )
        evidence = self.campaign.evidence
        comment = Comment.objects.filter(pk=self.campaign.comment_id).first()
        if comment is None:
            raise ActionError("Its author deleted this comment, so nothing was done.")
        removed = reactions_remove(
            comment_id=comment.pk, reaction_ids=evidence.get("reaction_ids", [])
        )
        self.evidence = {
            "campaign": self.campaign.pk,
            "removed": removed,
            **{key: evidence.get(key) for key in ("reactions", "networks", "new_readers")},
        }
        return self._log(comment=comment)


def recommending_discount(*, campaign: Campaign, user, note: str = "") -> int:
    """Discount a coordinated-recommending campaign's suspect recommendations; how many were
    taken away (those their readers took back since are not counted). Refused, doing nothing,
    for a campaign of another kind or one decided already
    (``campaigns.campaign_decision_claim``)."""
    if campaign.kind != Campaign.Kind.RECOMMENDING:
        raise ActionError("Only recommendations can be discounted.")
    entry = DiscountRecommendations(campaign=campaign, user=user, note=note).execute()
    return entry.evidence["removed"]


# --- coordinated reporting -----------------------------------------------------------------


def _reporting_scan(now: datetime) -> list[int]:
    since = now - timedelta(hours=settings.MODERATION_REPORTING_HOURS)
    needed = settings.MODERATION_REPORTING_COMMENTS
    recent = Report.objects.filter(created_at__gte=since, comment__isnull=False)
    # Through the reports' time index: the authors with enough of their comments reported.
    authors = list(
        recent.order_by()
        .values("comment__review__reader_key")
        .annotate(n=Count("comment_id", distinct=True))
        .filter(n__gte=needed)
        .exclude(comment__review__reader_key="")
        .values_list("comment__review__reader_key", flat=True)
    )
    if not authors:
        return []
    latest = _latest(Campaign.Kind.REPORTING, "reader_key", authors)
    per_author: dict[str, list[tuple]] = defaultdict(list)
    for chunk in _chunks(authors):
        for row in (
            recent.filter(comment__review__reader_key__in=chunk)
            .order_by("id")
            .values_list(
                "id",
                "comment_id",
                "reporter_key",
                "network",
                "created_at",
                "comment__review__reader_key",
            )
        ):
            if row[4] > _since_decision(latest.get(row[5]), since):
                per_author[row[5]].append(row)
    found = []
    for author, rows in per_author.items():
        # A place is a report's network, and its reporter too: one reader moving between
        # networks (a phone) is as much one voice as one network shared by several cookies.
        reported_by: dict[str, set[int]] = defaultdict(set)
        for row in rows:
            for place in _places(row):
                reported_by[place].add(row[1])
        mass = {place for place, comments in reported_by.items() if len(comments) >= needed}
        if not mass:
            continue
        theirs = [row for row in rows if mass.intersection(_places(row))]
        campaign = _reporting_record(author, theirs, latest.get(author))
        if campaign is not None:
            found.append(campaign.pk)
    return found


def _places(row: tuple) -> tuple[str, ...]:
    """Where a report came from: its network (if recorded) and its reporter."""
    reporter = f"reader {row[2]}"
    return (f"network {row[3]}", reporter) if row[3] else (reporter,)


def _reporting_record(author: str, rows: list[tuple], latest: Campaign | None) -> Campaign | None:
    comment_ids = sorted({row[1] for row in rows})
    if _unchanged(latest, reports=len(rows), comment_ids=comment_ids):
        return latest  # listed already, and no report since: a pass with nothing new writes nothing
    evidence = {
        "reports": len(rows),
        "comments": len(comment_ids),
        "networks": len({row[3] for row in rows if row[3]}),
        "reporters": len({row[2] for row in rows}),
        "held": ModerationAction.objects.filter(
            comment_id__in=comment_ids,
            kind=ModerationAction.Kind.HOLD,
            reason_code=_HELD_BY_REPORTS,
        )
        .values("comment_id")
        .distinct()
        .count(),
        "hours": settings.MODERATION_REPORTING_HOURS,
        "comment_ids": comment_ids,
    }
    with transaction.atomic():
        if latest is not None and latest.status == Campaign.Status.OPEN:
            campaign = Campaign.objects.select_for_update().get(pk=latest.pk)
            if campaign.status != Campaign.Status.OPEN:
                return None
        else:
            body = Comment.objects.filter(pk=comment_ids[0]).values_list("body", flat=True).first()
            campaign = Campaign(kind=Campaign.Kind.REPORTING, reader_key=author, sample=body or "")
        campaign.sample = campaign.sample[:2000]
        campaign.evidence = evidence
        campaign.comment_count = len(comment_ids)
        campaign.author_count = evidence["reporters"]
        campaign.thread_count = (
            Comment.objects.filter(pk__in=comment_ids).values("thread_id").distinct().count()
        )
        campaign.first_seen = rows[0][4]
        campaign.last_seen = rows[-1][4]
        campaign.save()
    return campaign


@dataclasses.dataclass(frozen=True)
class Kept:
    kept: int  # comments kept up or published again, their reports dismissed
    skipped: int  # held for another reason, rejected, deleted, or edited since: left as they are


def reporting_keep(*, campaign: Campaign, user) -> Kept:
    """A mass report: keep its comments up. Each one reported (the reports still open) that is
    published, or that the reports took down and its author has not edited since, is approved
    (``ApproveComment``: its reports dismissed, the audit entry saying so, a taken-down one
    published again). Refused, doing nothing, for another kind or a campaign decided already."""
    if campaign.kind != Campaign.Kind.REPORTING:
        raise ActionError("Only a mass report's comments can be kept up this way.")
    campaign_decision_claim(campaign=campaign, user=user, status=Campaign.Status.KEPT)
    held_by_reports = ModerationAction.objects.filter(
        kind=ModerationAction.Kind.HOLD, reason_code=_HELD_BY_REPORTS
    ).values_list("comment_id", flat=True)
    ids = campaign.evidence.get("comment_ids", [])
    unedited = Q(edited_at__isnull=True) | Q(edited_at__lte=campaign.last_seen)
    comments = Comment.objects.filter(pk__in=ids, review__last_report__isnull=False).filter(
        Q(status=Comment.Status.PUBLISHED)
        | (Q(status=Comment.Status.PENDING, pk__in=held_by_reports) & unedited)
    )
    kept = 0
    for comment in comments.order_by("id"):
        try:
            ApproveComment(comment=comment, user=user).execute()
        except ActionError:
            continue  # decided or deleted since it was read
        kept += 1
    return Kept(kept=kept, skipped=len(ids) - kept)


def brigade_dismiss(*, campaign: Campaign, user) -> None:
    """Not a brigade: nothing was done to anyone, so nothing is undone; it leaves the list."""
    campaign_decision_claim(campaign=campaign, user=user, status=Campaign.Status.DISMISSED)
