"""Comments posted at the same moment to one thread, each from its own database connection.

Saving a comment locks the thread row first, and on PostgreSQL takes the comment's id from its
sequence before the insert, so these check that the numbers, the counters, the paths and the
idempotency key still come out exact when posts really overlap. SQLite runs
one writer at a time (IMMEDIATE transactions), so only PostgreSQL can show a race here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from discussion.models import Comment, Thread
from discussion.services import comment_create
from discussion.tests.factories import make_comment, make_thread

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite takes one writer at a time"
    ),
]

POSTERS = 8


def _all_at_once(jobs: list[Callable[[], object]]) -> list[object]:
    """Run each job on its own thread (and connection), released together; their results."""
    start = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(n: int) -> None:
        try:
            start.wait()
            results[n] = jobs[n]()
        except Exception as error:  # noqa: BLE001 - handed back to the test to show
            results[n] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_top_level_comments_and_replies_posted_together_are_numbered_and_counted_exactly():
    thread = make_thread()
    root = make_comment(thread, "The first comment.")
    version = Thread.objects.get(pk=thread.pk).version

    def top_level(n: int) -> Callable[[], Comment]:
        return lambda: comment_create(thread=thread, body=f"Top {n}.", author_name=f"T{n}")

    def reply(n: int) -> Callable[[], Comment]:
        return lambda: comment_create(
            thread=thread, body=f"Reply {n}.", author_name=f"R{n}", parent_id=root.pk
        )

    results = _all_at_once(
        [top_level(n) for n in range(POSTERS)] + [reply(n) for n in range(POSTERS)]
    )

    assert [r for r in results if not isinstance(r, Comment)] == []
    numbers = sorted(
        Comment.objects.filter(thread=thread, depth=0).values_list("number", flat=True)
    )
    assert numbers == list(range(1, POSTERS + 2))
    thread.refresh_from_db()
    root.refresh_from_db()
    assert thread.comment_count == 2 * POSTERS + 1
    assert thread.top_level_count == POSTERS + 1
    assert thread.version == version + 2 * POSTERS
    assert root.reply_count == POSTERS
    paths = Comment.objects.filter(thread=thread).values_list("id", "path")
    assert all(path.endswith(f"{pk:012d}") for pk, path in paths)


def test_one_idempotency_key_sent_by_several_requests_at_once_makes_one_comment():
    thread = make_thread()

    def send() -> Comment:
        return comment_create(
            thread=thread, body="Sent twice.", author_name="Ann", idempotency_key="same-key"
        )

    results = _all_at_once([send for _ in range(4)])

    assert [r for r in results if not isinstance(r, Comment)] == []
    assert len({comment.pk for comment in results}) == 1
    assert Comment.objects.filter(thread=thread).count() == 1
    thread.refresh_from_db()
    assert (thread.comment_count, thread.top_level_count) == (1, 1)
