"""Coordinated campaigns: the same comment, near enough, from several readers within hours.

A troll farm or a brigade shows itself inside one site as many readers (accounts, guests,
addresses) posting copies of one text, often lightly reworded, across articles in a short
time. No single comment breaks a rule, so the word rules and scorers pass each one; seen
together they are one voice pretending to be many. This finds them after the comments are saved,
off the posting path (the scheduler's every pass, ``manage.py run_scheduler``, or
``manage.py scan_campaigns`` from cron), so posting pays nothing for it:

1. **Look at what is new.** Each reader's comment saved since the last pass (its review's
   ``lookalike_checked`` is false) gets its MinHash bands (moderation.lookalike); a text under
   eight words gets none.
2. **Find the bands several readers share.** One GROUP BY per band over the last
   ``MODERATION_CAMPAIGN_HOURS``: the band values that at least ``MODERATION_CAMPAIGN_READERS``
   different readers' comments have.
3. **Measure.** Comments sharing such a band are compared word pair by word pair; those at least
   ``lookalike.NEAR`` alike are one group. A group from enough different readers is a campaign.
4. **Act.** The campaign is recorded (or grown) and each of its comments still published and not
   yet approved by a moderator is held, with the reason its author reads ("one of N
   near-identical comments from M readers"). A moderator then removes them all with a reason, or
   dismisses the campaign (its held comments are published again, and later copies are left
   alone).

Nothing leaves the server; nothing is learned from readers' texts beyond these bands.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.formats import date_format

from discussion.models import Comment
from moderation import lookalike
from moderation.actions import (
    PERMISSION,
    ActionError,
    ApproveComment,
    HoldComment,
    NothingToHold,
    RejectComment,
    check_note,
)
from moderation.models import Campaign, CommentReview, ModerationAction
from moderation.normalise import normalise

BATCH = 500
MOST_BATCHES = 40  # a pass looks at 20,000 new comments at most; the next pass goes on
REASON = "coordinated"
_BANDS = [f"lookalike_{band}" for band in range(lookalike.BANDS)]


@dataclasses.dataclass
class ScanReport:
    looked_at: int = 0
    campaigns: list[int] = dataclasses.field(default_factory=list)
    held: int = 0


def campaigns_scan(*, now: datetime | None = None) -> ScanReport:
    """One pass: look at the new comments, then find and act on campaigns among the recent."""
    now = now or timezone.now()
    since = now - timedelta(hours=settings.MODERATION_CAMPAIGN_HOURS)
    report = ScanReport()
    new_bands = 0
    for _ in range(MOST_BATCHES):
        looked, banded = _look_at_new(since)
        report.looked_at += looked
        new_bands += banded
        if looked < BATCH:
            break
    if not new_bands:
        return report  # a campaign forms or grows only when a new comment joins it
    for group in _groups(since):
        campaign, held = _record(group)
        report.campaigns.append(campaign.pk)
        report.held += held
    return report


def _look_at_new(since: datetime) -> tuple[int, int]:
    """Band the next ``BATCH`` reviews not yet looked at; how many, and how many got bands."""
    # Read through the reviews' time index (review_created) over the window only: an index of
    # the reviews not yet looked at would take an entry from every comment posted, a cost on the
    # posting path (docs/bench-history.md, sixteenth session), to save a few milliseconds a pass
    # here.
    # A comment older than the window is never looked at.
    rows = list(
        CommentReview.objects.filter(created_at__gte=since, lookalike_checked=False)
        .order_by("created_at", "id")
        .values_list("id", "comment__body")[:BATCH]
    )
    updates = []
    banded = 0
    for review_id, body in rows:
        values = lookalike.bands(normalise(body).folded)
        banded += values is not None
        fields = dict(zip(_BANDS, values or (None,) * lookalike.BANDS, strict=True))
        updates.append(CommentReview(pk=review_id, lookalike_checked=True, **fields))
    CommentReview.objects.bulk_update(updates, ["lookalike_checked", *_BANDS], batch_size=BATCH)
    return len(rows), banded


@dataclasses.dataclass
class _Member:
    review_id: int
    comment_id: int
    reader_key: str
    thread_id: int
    campaign_id: int | None
    state: str
    status: str
    created_at: datetime
    body: str
    bands: tuple[int | None, ...]
    pairs: frozenset[str]


def _groups(since: datetime) -> list[list[_Member]]:
    """Groups of near-identical recent comments from at least the configured number of readers."""
    needed = settings.MODERATION_CAMPAIGN_READERS
    recent = CommentReview.objects.filter(created_at__gte=since)
    shared = Q()
    for band in _BANDS:
        values = list(
            recent.filter(**{f"{band}__isnull": False})
            .values(band)
            .annotate(readers=Count("reader_key", distinct=True))
            .filter(readers__gte=needed)
            .values_list(band, flat=True)
        )
        if values:
            shared |= Q(**{f"{band}__in": values})
    if not shared:
        return []
    members = [
        _Member(
            *row[:9],
            bands=tuple(row[9:]),
            pairs=lookalike.shingles(normalise(row[8]).folded),
        )
        for row in recent.filter(shared)
        .order_by("id")
        .values_list(
            "id",
            "comment_id",
            "reader_key",
            "thread_id",
            "campaign_id",
            "state",
            "comment__status",
            "comment__created_at",
            "comment__body",
            *_BANDS,
        )
    ]
    # Union-find over the members, joining two that share a band value and are alike enough.
    parent = list(range(len(members)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    buckets: dict[tuple[int, int], list[int]] = {}
    for i, member in enumerate(members):
        for band, value in enumerate(member.bands):
            if value is not None:
                buckets.setdefault((band, value), []).append(i)
    for bucket in buckets.values():
        first = bucket[0]
        for other in bucket[1:]:
            if root(other) != root(first) and (
                lookalike.likeness(members[first].pairs, members[other].pairs) >= lookalike.NEAR
            ):
                parent[root(other)] = root(first)
    groups: dict[int, list[_Member]] = {}
    for i, member in enumerate(members):
        groups.setdefault(root(i), []).append(member)
    return [
        group for group in groups.values() if len({member.reader_key for member in group}) >= needed
    ]


def _record(group: list[_Member]) -> tuple[Campaign, int]:
    """Record ``group`` as a campaign (the one its members already belong to, if any) and hold its
    comments that are published and not yet approved by a moderator; the campaign and how many
    were held."""
    with transaction.atomic():
        known = sorted({m.campaign_id for m in group if m.campaign_id is not None})
        if known:
            campaign = Campaign.objects.select_for_update().get(pk=known[0])
        else:
            first = min(group, key=lambda m: m.created_at)
            campaign = Campaign.objects.create(
                sample=first.body[:2000], first_seen=first.created_at, last_seen=first.created_at
            )
        CommentReview.objects.filter(pk__in=[m.review_id for m in group]).update(campaign=campaign)
        totals = CommentReview.objects.filter(campaign=campaign).aggregate(
            comments=Count("id"),
            readers=Count("reader_key", distinct=True),
            threads=Count("thread", distinct=True),
            # When its comments were posted, as the campaign's page says (an import's or a
            # backdated comment is screened later than it was written).
            first=Min("comment__created_at"),
            last=Max("comment__created_at"),
        )
        campaign.comment_count = totals["comments"]
        campaign.author_count = totals["readers"]
        campaign.thread_count = totals["threads"]
        campaign.first_seen, campaign.last_seen = totals["first"], totals["last"]
        if campaign.status == Campaign.Status.REMOVED:
            campaign.status = Campaign.Status.OPEN  # new copies since: a moderator looks again
        campaign.save()
    if campaign.status == Campaign.Status.DISMISSED:
        return campaign, 0
    note = (
        f"It is one of {campaign.comment_count:,} near-identical comments posted by "
        f"{campaign.author_count:,} different readers within "
        f"{settings.MODERATION_CAMPAIGN_HOURS} hours."
    )
    held = 0
    for member in group:
        if member.status != Comment.Status.PUBLISHED:
            continue
        if member.state != CommentReview.State.UNMODERATED:
            continue  # a moderator approved it, or it waits already
        comment = Comment.objects.filter(pk=member.comment_id).first()
        if comment is None:
            continue  # deleted by its author since the scan read it, with no reply to keep
        try:
            HoldComment(
                comment=comment,
                automated=True,
                unless_approved=True,
                reason_code=REASON,
                note=note,
                evidence={"campaign": campaign.pk},
            ).execute()
        except NothingToHold:
            continue  # approved, decided otherwise or deleted since the scan read it
        held += 1
    return campaign, held


def campaign_decision_claim(*, campaign: Campaign, user, status: str) -> None:
    """Take the decision on ``campaign``, once: refused, doing nothing, when it is not waiting for
    one (decided already, in another tab or by another moderator). Claimed before any comment is
    touched, in one statement, so two decisions sent at once cannot both be taken; and a second
    "remove" cannot reject again a comment a moderator has published since, on its author's
    appeal or from the Rejected queue."""
    if not user.has_perm(PERMISSION):
        raise PermissionDenied("You do not have permission to moderate comments.")
    claimed = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.OPEN).update(
        status=status, decided_by=user, decided_at=timezone.now()
    )
    if not claimed:
        decided = Campaign.objects.select_related("decided_by").get(pk=campaign.pk)
        raise ActionError(campaign_decided_already(decided))


def campaign_decided_already(campaign: Campaign) -> str:
    """What a moderator reads when they decide on a campaign decided already."""
    who = campaign.decided_by.get_username() if campaign.decided_by else "a moderator"
    when = date_format(timezone.localtime(campaign.decided_at), "j M Y H:i")
    outcome = {
        Campaign.Status.REMOVED: "its comments were removed",
        Campaign.Status.DISCOUNTED: "its recommendations were discounted",
        Campaign.Status.KEPT: "its comments were kept up",
    }.get(campaign.status, "it was dismissed as not a campaign")
    return (
        f"Campaign {campaign.pk} was decided already ({outcome} by {who}, {when}), so nothing "
        "was done. Decide on any of its comments from the queues."
    )


def campaign_remove(*, campaign: Campaign, user, note: str = "") -> int:
    """Reject every comment of the campaign not already rejected or deleted, with the campaign's
    reason (each author reads it and may appeal); how many. A note too long for an author
    (``actions.check_note``), or a campaign decided already, is refused before any comment is
    touched."""
    check_note(note)
    campaign_decision_claim(campaign=campaign, user=user, status=Campaign.Status.REMOVED)
    removed = 0
    comments = Comment.objects.filter(review__campaign=campaign).exclude(
        status__in=(Comment.Status.REJECTED, Comment.Status.DELETED)
    )
    for comment in comments.order_by("id").iterator(chunk_size=200):
        try:
            RejectComment(comment=comment, user=user, reason_code=REASON, note=note).execute()
        except ActionError:
            continue  # rejected or deleted since it was read: decided without this removal
        removed += 1
    return removed


@dataclasses.dataclass(frozen=True)
class Dismissed:
    published: int  # held comments published again
    edited: int  # held comments their authors edited since, left in the Pending queue


def campaign_dismiss(*, campaign: Campaign, user) -> Dismissed:
    """Not a campaign: publish again the comments detection held (and only those), and leave
    later copies alone.

    A held comment its author has edited since the campaign was found is not published: the
    moderator judged the campaign, not that new text, which waits in the Pending queue to be
    read on its own (and approved there from its card, which carries the text it shows).

    A campaign decided already is refused, doing nothing: once its comments were removed,
    dismissing it would publish none of them (each is published again from the Rejected queue,
    or on its author's appeal), yet say it was not a campaign."""
    campaign_decision_claim(campaign=campaign, user=user, status=Campaign.Status.DISMISSED)
    held_for_it = ModerationAction.objects.filter(
        kind=ModerationAction.Kind.HOLD, reason_code=REASON, evidence__campaign=campaign.pk
    ).values_list("comment_id", flat=True)
    comments = Comment.objects.filter(
        pk__in=list(held_for_it),
        status=Comment.Status.PENDING,
        review__campaign=campaign,
        review__state=CommentReview.State.PENDING,
    )
    unedited = Q(edited_at__isnull=True) | Q(edited_at__lte=campaign.created_at)
    released = 0
    for comment in comments.filter(unedited).order_by("id"):
        try:
            ApproveComment(comment=comment, user=user).execute()
        except ActionError:
            continue  # deleted by its author since it was read
        released += 1
    return Dismissed(published=released, edited=comments.exclude(unedited).count())
