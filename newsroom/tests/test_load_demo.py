"""The demo loader under settings of its own: with screening's defaults (readers' comments held
for a moderator, a campaign found), and under an operator's rules made before it; and the
generated long thread's shape. What one load with the tests' settings leaves, and what a second
run keeps, is tested on one shared load in test_demo_as_loaded.py."""

from __future__ import annotations

from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command

from discussion.models import Comment
from discussion.services import comment_create, thread_ensure
from newsroom.demo import content
from newsroom.models import ArticlePage, NewsImage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("new_site")]


@pytest.fixture
def demo_as_shipped(settings, tmp_path):
    """The demo loaded with screening's defaults (the tests' own settings turn off the hold on
    a new commenter's first comments)."""
    settings.VAR_DIR = tmp_path
    settings.MODERATION_TRUST_FIRST_COMMENTS = 2
    out = StringIO()
    call_command("load_demo", long_thread=40, prepare_images=False, stdout=out)
    return out.getvalue()


def test_the_demo_leaves_readers_comments_waiting_in_the_moderation_queue(
    demo_as_shipped, admin_client
):
    queue = BeautifulSoup(
        admin_client.get("/admin/moderation/queue/pending/").content, "html.parser"
    ).get_text(" ", strip=True)

    for held in content.HELD_COMMENTS:
        assert held["name"] in queue
    assert "A moderator reads a new commenter's first 2 comments." in queue
    assert "It links to example.net" in queue
    waiting = len(content.HELD_COMMENTS) + len(content.CAMPAIGN_COMMENTS)
    assert f"Moderation queue: {waiting} comments waiting for review" in demo_as_shipped


def test_a_second_run_adds_no_second_copy_of_the_held_comments(demo_as_shipped):
    held = Comment.objects.filter(status=Comment.Status.PENDING).count()

    call_command("load_demo", long_thread=40, prepare_images=False, stdout=StringIO())

    waiting = len(content.HELD_COMMENTS) + len(content.CAMPAIGN_COMMENTS)
    assert Comment.objects.filter(status=Comment.Status.PENDING).count() == held == waiting


def test_a_second_run_counts_the_whole_queue_readers_comments_held_since_included(
    demo_as_shipped,
):
    article = ArticlePage.objects.get(slug=content.REFERENCE_ARTICLE["slug"])
    comment_create(
        thread=thread_ensure(page=article),
        body="My first comment here, so a moderator reads it first.",
        author_name="Newcomer",
        guest_key="a-new-guest",
        source="reader",
    )
    again = StringIO()

    call_command("load_demo", long_thread=40, prepare_images=False, stdout=again)

    waiting = len(content.HELD_COMMENTS) + len(content.CAMPAIGN_COMMENTS) + 1
    assert f"Moderation queue: {waiting} comments waiting for review" in again.getvalue()


def test_the_demo_shows_a_coordinated_campaign_and_a_push_found_by_detection(demo_as_shipped):
    from moderation.models import Campaign

    campaign = Campaign.objects.get(kind=Campaign.Kind.TEXT)
    push = Campaign.objects.get(kind=Campaign.Kind.RECOMMENDING)

    assert (campaign.comment_count, campaign.author_count, campaign.thread_count) == (4, 4, 2)
    assert campaign.status == Campaign.Status.OPEN
    numbers = {k: push.evidence[k] for k in ("reactions", "networks", "new_readers")}
    assert numbers == {"reactions": 14, "networks": 2, "new_readers": 14}
    assert push.comment.thread.page.slug == next(
        spec["slug"] for spec in content.RELATED_ARTICLES if spec.get("long_thread")
    )
    assert "/admin/moderation/campaigns/" in demo_as_shipped


def test_the_long_thread_has_replies_several_levels_deep_and_busy_sub_threads():
    items = list(content.long_thread_comments(2000))
    depth: list[int] = []
    replies_under: dict[int, int] = {}
    for index, item in enumerate(items):
        parent = item["parent"]
        depth.append(0 if parent is None else depth[parent] + 1)
        root = index
        while items[root]["parent"] is not None:
            root = items[root]["parent"]
        if parent is not None:
            replies_under[root] = replies_under.get(root, 0) + 1
    assert max(depth) == 6 and all(depth.count(level) for level in range(7))
    assert max(replies_under.values()) > 100  # a sub-thread needs "Show more replies" twice
    assert 0.5 < depth.count(0) / len(items) < 0.7


def test_demo_image_texts_fit_their_database_columns():
    limits = {
        "alt": NewsImage._meta.get_field("description").max_length,
        "caption": NewsImage._meta.get_field("caption").max_length,
        "credit": NewsImage._meta.get_field("credit").max_length,
        "title": NewsImage._meta.get_field("title").max_length,
    }
    for meta in content.IMAGES.values():
        for key, limit in limits.items():
            assert len(meta[key]) <= limit, (key, meta[key])


def test_the_demo_loads_under_an_operators_rules_that_hold_and_refuse_some_of_its_comments(
    settings, tmp_path
):
    """Rules made before the demo is loaded screen its comments as any others: a held comment
    waits in the queue with its replies under it, a refused one is left out with its replies,
    and the command finishes and says how many it left out."""
    from moderation.models import Rule

    settings.VAR_DIR = tmp_path
    Rule.objects.create(kind=Rule.Kind.SUSPECT, pattern="Budapest Memorandum")
    Rule.objects.create(kind=Rule.Kind.BANNED, pattern="no-fly zone")
    out = StringIO()

    call_command("load_demo", long_thread=40, prepare_images=False, stdout=out)

    held = Comment.objects.get(body__startswith="The countries that signed the Budapest")
    assert held.status == Comment.Status.PENDING
    assert Comment.objects.filter(parent=held, body__startswith="Worth remembering").exists()
    assert not Comment.objects.filter(body__contains="no-fly zone").exists()
    assert "Demo comments left out:" in out.getvalue()
    assert "Reference article:" in out.getvalue()


def test_a_reader_still_cannot_reply_to_a_comment_held_for_a_moderator():
    from discussion.errors import CommentRefused
    from moderation.models import Rule
    from newsroom.tests.factories import make_article

    Rule.objects.create(kind=Rule.Kind.SUSPECT, pattern="crook")
    thread = thread_ensure(page=make_article())
    held = comment_create(thread=thread, body="He is a crook.", author_name="A")
    assert held.status == Comment.Status.PENDING

    with pytest.raises(CommentRefused) as refusal:
        comment_create(
            thread=thread,
            body="I agree.",
            author_name="B",
            parent_id=held.pk,
            source="reader",
            guest_key="g2",
        )

    assert "not published" in refusal.value.message_dict["parent"][0]


def test_without_collected_static_files_it_says_to_collect_them_and_loads_nothing(
    settings, tmp_path
):
    settings.STATIC_ROOT = tmp_path / "static"  # collectstatic has not run: no manifest
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }

    with pytest.raises(CommandError, match="collectstatic --no-input"):
        call_command("load_demo", long_thread=0, stdout=StringIO())

    assert not ArticlePage.objects.exists()
