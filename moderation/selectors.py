"""Reads for the queues, the statement of reasons and the transparency report."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncHour, TruncMonth
from django.utils import timezone

from moderation.models import Appeal, CommentReview, ModerationAction, Report

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


def queue_counts() -> dict[str, int]:
    """Per-queue counts, each a bounded scan of the ``review_queue`` index, plus open appeals.

    A grouped count over every review would read the whole index, which grows with the approved
    history; capping each queue keeps the admin's counts as fast on a million comments as on ten.
    """
    counts = {
        key: _capped_count(CommentReview.objects.filter(state=key))
        for key, _label in QUEUES
        if key != "appeals"
    }
    counts["appeals"] = _capped_count(Appeal.objects.filter(status=Appeal.Status.OPEN))
    return counts


def queue_page(
    *,
    state: str,
    thread_id: int | None = None,
    reader_key: str = "",
    reason: str = "",
    search: str = "",
    before: int | None = None,
    limit: int = 25,
) -> list[CommentReview]:
    """Newest first, keyset-paged on id, with the comment and its parent for context."""
    reviews: QuerySet[CommentReview] = CommentReview.objects.filter(state=state)
    if thread_id:
        reviews = reviews.filter(thread_id=thread_id)
    if reader_key:
        reviews = reviews.filter(reader_key=reader_key)
    if reason:
        reviews = reviews.filter(
            Q(codes__icontains=reason) | Q(comment__reports__reason=reason)
        ).distinct()
    if search:
        reviews = reviews.filter(
            Q(comment__body__icontains=search) | Q(comment__author_name__icontains=search)
        )
    if before:
        reviews = reviews.filter(id__lt=before)
    page = list(
        reviews.select_related("comment", "comment__parent", "thread").order_by("-id")[:limit]
    )
    _attach_history(page)
    return page


def _attach_history(reviews: list[CommentReview]) -> None:
    keys = {review.reader_key for review in reviews if review.reader_key}
    history: dict[str, dict[str, int]] = {}
    for key, state, n in (
        CommentReview.objects.filter(reader_key__in=keys)
        .values_list("reader_key", "state")
        .annotate(n=Count("id"))
    ):
        history.setdefault(key, {})[state] = n
    ids = [review.comment_id for review in reviews]
    reports: dict[int, list[Report]] = {}
    for report in Report.objects.filter(comment_id__in=ids).order_by("id"):
        reports.setdefault(report.comment_id, []).append(report)
    for review in reviews:
        review.history = history.get(review.reader_key, {})
        review.report_list = reports.get(review.comment_id, [])


def open_appeals(limit: int = 50) -> list[Appeal]:
    return list(
        Appeal.objects.filter(status=Appeal.Status.OPEN)
        .select_related("comment", "action")
        .order_by("id")[:limit]
    )


def statement_for(comment_id: int) -> list[ModerationAction]:
    """Every decision about a comment, newest first: its statement of reasons."""
    return list(
        ModerationAction.objects.filter(comment_id=comment_id)
        .prefetch_related("appeals")
        .order_by("-id")
    )


def monthly_report(*, months: int = 12) -> list[dict]:
    """Counts per month: actions by kind and reason, automated or human, reports, appeals."""
    since = (timezone.now() - timedelta(days=31 * months)).replace(day=1)
    rows: dict[datetime, dict] = {}

    def row(month: datetime) -> dict:
        return rows.setdefault(
            month,
            {"month": month, "actions": {}, "automated": 0, "human": 0, "reports": 0,
             "appeals": 0, "reversals": 0},
        )  # fmt: skip

    for month, kind, reason, automated, n in (
        ModerationAction.objects.filter(created_at__gte=since)
        .annotate(month=TruncMonth("created_at"))
        .values_list("month", "kind", "reason_code", "automated")
        .annotate(n=Count("id"))
    ):
        entry = row(month)
        label = f"{kind}:{reason}" if reason else kind
        entry["actions"][label] = entry["actions"].get(label, 0) + n
        entry["automated" if automated else "human"] += n
        if kind == ModerationAction.Kind.APPEAL_UPHELD:
            entry["reversals"] += n
    for month, n in (
        Report.objects.filter(created_at__gte=since)
        .annotate(month=TruncMonth("created_at"))
        .values_list("month")
        .annotate(n=Count("id"))
    ):
        row(month)["reports"] += n
    for month, n in (
        Appeal.objects.filter(created_at__gte=since)
        .annotate(month=TruncMonth("created_at"))
        .values_list("month")
        .annotate(n=Count("id"))
    ):
        row(month)["appeals"] += n
    return [rows[month] for month in sorted(rows, reverse=True)]


def hourly_activity(*, hours: int = 48) -> list[dict]:
    """Comments per hour, how many were held, over the last ``hours``: the dashboard charts."""
    since = timezone.now() - timedelta(hours=hours)
    counts = (
        CommentReview.objects.filter(created_at__gte=since)
        .annotate(hour=TruncHour("created_at"))
        .values_list("hour")
        .annotate(total=Count("id"), held=Count("id", filter=Q(outcome="hold")))
    )
    return [{"hour": hour, "total": total, "held": held} for hour, total, held in sorted(counts)]
