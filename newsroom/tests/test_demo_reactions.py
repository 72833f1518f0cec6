"""The demo's comments are recommended as a real discussion's are, with the rows and counts the
Recommend button's own write leaves, and loading the demo again counts nothing twice."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from discussion.models import Comment, Reaction, Thread
from newsroom.demo import content
from newsroom.tests.conftest import LONG_THREAD as SHARED_LOAD_LONG_THREAD

pytestmark = pytest.mark.django_db

LONG_THREAD = 40


def _load_demo() -> str:
    out = StringIO()
    call_command("load_demo", long_thread=LONG_THREAD, prepare_images=False, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(demo_loaded_once) -> None:
    """The demo as one load left it (newsroom/tests/conftest.py), with the long thread's first
    ``LONG_THREAD`` comments."""
    assert LONG_THREAD == SHARED_LOAD_LONG_THREAD


def _thread(*, long: bool = False) -> Thread:
    if long:
        slug = next(spec["slug"] for spec in content.RELATED_ARTICLES if spec.get("long_thread"))
    else:
        slug = content.REFERENCE_ARTICLE["slug"]
    return Thread.objects.get(page__slug=slug)


def _walk(items: list[dict]) -> list[dict]:
    return [found for item in items for found in (item, *_walk(item.get("replies", [])))]


def _recommendations() -> dict[int, int]:
    return dict(Comment.objects.values_list("id", "reaction_count"))


def test_the_reference_threads_comments_are_recommended_as_its_content_says(demo):
    # The readers' comments (the reporter's reply, content.STAFF_REPLY, is nobody's to rate).
    comments = _thread().comments.filter(author_is_staff=False).order_by("id")

    counts = [comment.reaction_count for comment in comments]
    assert counts == [item["recommended_by"] for item in _walk(content.REFERENCE_COMMENTS)]
    # Most get a handful or none; a few catch on with dozens.
    assert sum(count <= 5 for count in counts) > len(counts) / 2
    assert sum(count >= 24 for count in counts) >= 2


def test_the_long_threads_first_comments_are_recommended_too_mostly_by_a_handful(demo):
    counts = list(_thread(long=True).comments.values_list("reaction_count", flat=True))

    assert len(counts) == LONG_THREAD
    assert sum(counts) > 0
    assert sum(count <= 5 for count in counts) > len(counts) / 2


def test_every_count_is_the_demo_readers_reactions_behind_it_none_of_them_the_author(demo):
    rows = dict(Comment.objects.annotate(rows=Count("reactions")).values_list("id", "rows"))

    assert sum(rows.values()) > 0
    assert _recommendations() == rows
    # Guests' keys that are no comment's author: the demo's comments carry no key of their own.
    assert not Comment.objects.filter(reactions__isnull=False, author__isnull=False).exists()
    keys = set(Reaction.objects.values_list("reader_key", flat=True))
    assert all(key.startswith(("gdemo-reader-", "gdemo-push-")) for key in keys)


def test_loading_the_demo_again_leaves_every_recommendation_as_it_was(demo):
    before = set(Reaction.objects.values_list("comment_id", "reader_key"))
    counts = _recommendations()
    assert before

    again = _load_demo()

    assert set(Reaction.objects.values_list("comment_id", "reader_key")) == before
    assert _recommendations() == counts
    assert "Recommendations:" not in again


def test_a_demo_loaded_before_recommendations_gets_them_on_its_next_load(demo):
    counts = _recommendations()
    Reaction.objects.all().delete()
    Comment.objects.update(reaction_count=0)

    again = _load_demo()

    assert f"Recommendations: {sum(counts.values()):,} added." in again
    assert _recommendations() == counts
