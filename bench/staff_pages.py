"""Time the staff side (Wagtail admin, moderation) on a site seeded by ``bench.seed`` and
``bench.staff_seed``: each page's wall time (the median of a few requests, after one to warm
up) and its query count, with its slowest query.

    python -m bench.staff_pages SEED.json STAFF.json [OUT.json]

In-process, through Django's test client signed in as the seeded superuser, with the bench
seeder's environment (DATABASE_URL, REDIS_URL, SECRET_KEY, BROADSHEET_VAR_DIR). ``testserver``
must be in ALLOWED_HOSTS.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from discussion.models import Comment, Thread  # noqa: E402
from moderation.models import Appeal, Campaign, CommentReview  # noqa: E402

RUNS = int(os.environ.get("STAFF_PAGES_RUNS", "3"))


def pages(seed: dict, staff: dict) -> list[tuple[str, str]]:
    section = Thread.objects.get(pk=seed["article_10k"]["thread_id"]).page.get_parent()
    article = seed["article_10k"]["id"]
    thread = seed["article_10k"]["thread_id"]
    heavy = staff["heavy_reader_key"]
    deep = CommentReview.objects.filter(state="unmoderated").order_by("id").values("id")[5:6]
    deep_id = deep[0]["id"] if deep else 1
    campaign = Campaign.objects.filter(status="open").order_by("id").first()
    pending = CommentReview.objects.filter(state="pending").order_by("-id").first()
    rejected = Comment.objects.filter(status="rejected").order_by("-id").first()
    appeal = Appeal.objects.filter(status="open").order_by("id").first()
    pending_thread = pending.thread_id if pending else thread
    return [
        ("admin home", "/admin/"),
        ("moderation dashboard", "/admin/moderation/"),
        ("queue pending", "/admin/moderation/queue/pending/"),
        ("queue reported", "/admin/moderation/queue/reported/"),
        ("queue unmoderated", "/admin/moderation/queue/unmoderated/"),
        ("queue approved", "/admin/moderation/queue/approved/"),
        ("queue rejected", "/admin/moderation/queue/rejected/"),
        ("queue appeals", "/admin/moderation/queue/appeals/"),
        (
            "queue appeals one",
            f"/admin/moderation/queue/appeals/?appeal={appeal.pk if appeal else 1}",
        ),
        ("queue unmoderated deep", f"/admin/moderation/queue/unmoderated/?before={deep_id}"),
        ("queue pending by author", f"/admin/moderation/queue/pending/?author={heavy}"),
        ("queue approved by author", f"/admin/moderation/queue/approved/?author={heavy}"),
        ("queue unmoderated by author", f"/admin/moderation/queue/unmoderated/?author={heavy}"),
        ("queue pending by article", f"/admin/moderation/queue/pending/?article={pending_thread}"),
        ("queue unmoderated by article", f"/admin/moderation/queue/unmoderated/?article={thread}"),
        ("queue pending by reason", "/admin/moderation/queue/pending/?reason=spam"),
        ("queue unmoderated by reason", "/admin/moderation/queue/unmoderated/?reason=spam"),
        (
            "queue unmoderated by reason none",
            "/admin/moderation/queue/unmoderated/?reason=nothingmatches",
        ),
        ("queue pending search", "/admin/moderation/queue/pending/?q=benchsuspect"),
        ("queue unmoderated search", "/admin/moderation/queue/unmoderated/?q=nothingmatches"),
        ("queue counts", "/admin/moderation/counts/"),
        ("reader record heavy", f"/admin/moderation/readers/?reader={heavy}"),
        ("reader record banned", "/admin/moderation/readers/?reader=guest:bannedguest1"),
        ("campaigns", "/admin/moderation/campaigns/"),
        ("campaign detail", f"/admin/moderation/campaigns/{campaign.pk if campaign else 1}/"),
        ("transparency (admin menu -> public)", "/transparency/"),
        ("transparency csv", "/transparency/?format=csv"),
        ("statement (public)", f"/moderation/comments/{rejected.pk if rejected else 1}/why/"),
        ("explorer section", f"/admin/pages/{section.pk}/"),
        (
            "explorer section ordered",
            f"/admin/pages/{section.pk}/?ordering=-latest_revision_created_at",
        ),
        ("explorer section p20", f"/admin/pages/{section.pk}/?p=20"),
        ("page edit 10k article", f"/admin/pages/{article}/edit/"),
        ("page delete 10k article", f"/admin/pages/{article}/delete/"),
        ("page delete section", f"/admin/pages/{section.pk}/delete/"),
        ("admin search", "/admin/pages/search/?q=story"),
        ("discussions snippets", "/admin/snippets/discussion/thread/"),
        ("discussions by count", "/admin/snippets/discussion/thread/?ordering=-comment_count"),
        ("discussions search", "/admin/snippets/discussion/thread/?q=story"),
        ("discussions p50", "/admin/snippets/discussion/thread/?p=50"),
        ("discussion edit", f"/admin/snippets/discussion/thread/edit/{thread}/"),
        ("rules", "/admin/snippets/moderation/rule/"),
        ("moderation by page", "/admin/snippets/moderation/moderationsettings/"),
        ("users", "/admin/users/"),
        ("users search", "/admin/users/?q=member-1"),
        ("reports site history", "/admin/reports/site-history/"),
        ("reports aging pages", "/admin/reports/aging-pages/"),
        ("reports locked", "/admin/reports/locked/"),
    ]


def measure(client: Client, url: str) -> dict:
    times = []
    status = None
    queries = []
    for run in range(RUNS + 1):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            elapsed = time.perf_counter() - t0
        status = response.status_code
        if run:
            times.append(elapsed)
        queries = ctx.captured_queries
    slowest = max(queries, key=lambda q: float(q["time"]), default={"time": "0", "sql": ""})
    return {
        "status": status,
        "ms": round(1000 * statistics.median(times), 1),
        "queries": len(queries),
        "db_ms": round(1000 * sum(float(q["time"]) for q in queries), 1),
        "slowest_ms": round(1000 * float(slowest["time"]), 1),
        "slowest": slowest["sql"][:400],
    }


def main() -> None:
    with open(sys.argv[1]) as handle:
        seed = json.load(handle)
    with open(sys.argv[2]) as handle:
        staff = json.load(handle)
    only = os.environ.get("STAFF_PAGES_ONLY", "")
    client = Client()
    client.force_login(get_user_model().objects.get(pk=staff["editor"]))
    results = {}
    for name, url in pages(seed, staff):
        if only and only not in name:
            continue
        result = measure(client, url)
        results[name] = {"url": url, **result}
        print(
            f"{name:38} {result['status']} {result['ms']:8.1f} ms {result['queries']:4d} q "
            f"db {result['db_ms']:7.1f} ms  slowest {result['slowest_ms']:6.1f} ms",
            flush=True,
        )
    if len(sys.argv) > 3:
        with open(sys.argv[3], "w") as handle:
            json.dump(results, handle, indent=1)


if __name__ == "__main__":
    main()
