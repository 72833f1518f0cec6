"""Measure the moderation queue counts on a site with many comments (default 1,000,000).

Run: BROADSHEET_VAR_DIR=$(mktemp -d) .venv/bin/python bench/moderation_counts.py [rows]
Seeds a throwaway database (never the demo's), then times the admin's queue counts against a
plain grouped count over every review, the design they replaced.
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from discussion.models import Comment, Thread  # noqa: E402
from moderation.models import CommentReview, Report  # noqa: E402
from moderation.selectors import queue_counts  # noqa: E402


def seed(rows: int) -> None:
    thread = Thread.objects.create(title="Bench thread")
    now = timezone.now()
    batch = 20_000
    next_id = 1
    while next_id <= rows:
        ids = range(next_id, min(next_id + batch, rows + 1))
        with transaction.atomic():
            Comment.objects.bulk_create(
                Comment(
                    id=i,
                    thread=thread,
                    depth=0,
                    path=f"{i:012d}",
                    number=i,
                    author_name="R",
                    body="x",
                    html="<p>x</p>",
                    created_at=now,
                )
                for i in ids
            )
            # Nearly everything is approved history; a few wait in the live queues.
            CommentReview.objects.bulk_create(
                CommentReview(
                    comment_id=i,
                    thread=thread,
                    outcome="publish",
                    state="pending"
                    if i % 1000 == 0
                    else "reported"
                    if i % 5000 == 1
                    else "approved",
                )
                for i in ids
            )
            # Each reported comment has its report, still unanswered: the Reported queue.
            reported = [i for i in ids if i % 1000 != 0 and i % 5000 == 1]
            reports = Report.objects.bulk_create(
                Report(comment_id=i, reason=Report.Reason.SPAM, reporter_key=f"bench:{i}")
                for i in reported
            )
            for report in reports:
                CommentReview.objects.filter(comment_id=report.comment_id).update(
                    last_report=report
                )
        next_id += batch


def timed(label: str, fn, repeat: int = 5) -> None:
    best = min(_once(fn) for _ in range(repeat))
    print(f"{label:<40} {best * 1000:8.1f} ms (best of {repeat})")


def _once(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


if __name__ == "__main__":
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    seed(rows)
    print(f"seeded {rows:,} comments with reviews in {time.perf_counter() - started:.0f} s")
    timed("queue_counts() (bounded, per queue)", queue_counts)
    timed(
        "grouped count over every review",
        lambda: list(CommentReview.objects.values("state").annotate(n=Count("id"))),
    )
    print(queue_counts())
