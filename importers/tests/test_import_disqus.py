"""A Disqus export imported with ``manage.py import_comments disqus FILE``."""

from __future__ import annotations

import pytest

from discussion.models import Comment
from importers.tests.exports import disqus, disqus_post, disqus_thread, run_import
from moderation.models import Rule
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _import(tmp_path, data: bytes, platform: str = "disqus") -> str:
    return run_import(tmp_path, platform, data)


def _old_link(article) -> str:
    return f"https://old.example.com{article.url}"


def test_comments_land_on_the_article_their_address_names(tmp_path):
    article = make_article()
    other = make_article()
    data = disqus(
        disqus_thread("t1", _old_link(article)),
        disqus_thread("t2", _old_link(other)),
        disqus_post("p1", "t1", "<p>First <b>thoughts</b> on this.</p>", name="Olena"),
        disqus_post("p2", "t2", "<p>Elsewhere.</p>", name="Petro"),
    )

    report = _import(tmp_path, data)

    first = Comment.objects.get(thread__page=article)
    assert first.author_name == "Olena"
    assert first.html == "<p>First <strong>thoughts</strong> on this.</p>"
    assert first.created_at.isoformat() == "2024-05-01T09:00:00+00:00"
    assert first.status == Comment.Status.PUBLISHED
    assert Comment.objects.get(thread__page=other).author_name == "Petro"
    assert "2 comments imported" in report


def test_replies_that_come_before_their_parents_are_placed_under_them(tmp_path):
    article = make_article()
    data = disqus(
        disqus_thread("t1", _old_link(article)),
        disqus_post("p3", "t1", "<p>Reply to the reply.</p>", parent="p2"),
        disqus_post("p2", "t1", "<p>A reply.</p>", parent="p1"),
        disqus_post("p1", "t1", "<p>The first comment.</p>"),
    )

    _import(tmp_path, data)

    top = Comment.objects.get(idempotency_key="disqus:p1")
    reply = Comment.objects.get(idempotency_key="disqus:p2")
    deepest = Comment.objects.get(idempotency_key="disqus:p3")
    assert top.parent_id is None
    assert reply.parent_id == top.pk
    assert deepest.parent_id == reply.pk and deepest.root_id == top.pk


def test_a_second_run_and_a_repeated_id_make_no_copies(tmp_path):
    article = make_article()
    data = disqus(
        disqus_thread("t1", _old_link(article)),
        disqus_post("p1", "t1", "<p>Only once.</p>"),
        disqus_post("p1", "t1", "<p>Only once.</p>"),
        disqus_post("p2", "t1", "<p>A reply.</p>", parent="p1"),
    )

    _import(tmp_path, data)
    report = _import(tmp_path, data)

    assert Comment.objects.filter(thread__page=article).count() == 2
    assert "0 comments imported" in report and "3 already here" in report


def test_spam_and_deleted_posts_are_left_out_and_their_replies_move_up(tmp_path):
    article = make_article()
    data = disqus(
        disqus_thread("t1", _old_link(article)),
        disqus_post("p1", "t1", "<p>Kept.</p>"),
        disqus_post("p2", "t1", "<p>Buy pills.</p>", parent="p1", spam=True),
        disqus_post("p3", "t1", "<p>Taken back by its author.</p>", parent="p1", deleted=True),
        disqus_post("p4", "t1", "<p>Answering the removed one.</p>", parent="p3"),
    )

    report = _import(tmp_path, data)

    kept = Comment.objects.get(idempotency_key="disqus:p1")
    assert not Comment.objects.filter(body__contains="pills").exists()
    assert not Comment.objects.filter(body__contains="Taken back").exists()
    assert Comment.objects.get(idempotency_key="disqus:p4").parent_id == kept.pk
    assert "1 deleted" in report and "1 spam" in report


def test_a_reply_whose_parent_is_not_in_the_export_becomes_a_comment(tmp_path):
    article = make_article()
    data = disqus(
        disqus_thread("t1", _old_link(article)),
        disqus_post("p9", "t1", "<p>Its parent was never exported.</p>", parent="p404"),
    )

    report = _import(tmp_path, data)

    assert Comment.objects.get(idempotency_key="disqus:p9").parent_id is None
    assert "1 reply whose parent was not in the export, shown as a comment" in report


def test_a_reply_to_a_comment_whose_parent_is_not_in_the_export_stays_under_it(tmp_path):
    article = make_article()
    data = disqus(
        disqus_thread("t1", _old_link(article)),
        disqus_post("p9", "t1", "<p>Its parent was never exported.</p>", parent="p404"),
        disqus_post("p10", "t1", "<p>An answer to it.</p>", parent="p9"),
    )

    report = _import(tmp_path, data)

    orphan = Comment.objects.get(idempotency_key="disqus:p9")
    assert Comment.objects.get(idempotency_key="disqus:p10").parent_id == orphan.pk
    assert "1 reply whose parent was not in the export, shown as a comment" in report


def test_two_replies_that_answer_each_other_are_both_imported(tmp_path):
    article = make_article()
    data = disqus(
        disqus_thread("t1", _old_link(article)),
        disqus_post("p1", "t1", "<p>One.</p>", parent="p2"),
        disqus_post("p2", "t1", "<p>Two.</p>", parent="p1"),
    )

    report = _import(tmp_path, data)

    top, reply = Comment.objects.order_by("depth")
    assert (top.parent_id, reply.parent_id) == (None, top.pk)
    assert "1 reply whose parent was not in the export, shown as a comment" in report


def test_an_address_with_no_article_here_is_reported_and_skipped(tmp_path):
    make_article()
    data = disqus(
        disqus_thread("t1", "https://old.example.com/2019/gone-story/"),
        disqus_post("p1", "t1", "<p>Nowhere to go.</p>"),
    )

    report = _import(tmp_path, data)

    assert not Comment.objects.exists()
    assert "https://old.example.com/2019/gone-story/" in report
    assert "1 with no article here" in report


def test_a_moved_article_is_found_by_the_last_part_of_its_address(tmp_path):
    article = make_article()
    data = disqus(
        disqus_thread("t1", f"https://old.example.com/2024/05/{article.slug}/"),
        disqus_post("p1", "t1", "<p>Found it.</p>"),
    )

    _import(tmp_path, data)

    assert Comment.objects.get(idempotency_key="disqus:p1").thread.page_id == article.pk


def test_a_comment_this_site_would_refuse_is_reported_not_cut(tmp_path, settings):
    settings.COMMENT_MAX_LENGTH = 20
    article = make_article()
    data = disqus(
        disqus_thread("t1", _old_link(article)),
        disqus_post("p1", "t1", "<p>" + "much too long " * 5 + "</p>"),
        disqus_post("p2", "t1", "<p>Short.</p>"),
    )

    report = _import(tmp_path, data)

    assert list(Comment.objects.values_list("body", flat=True)) == ["Short."]
    assert "1 refused by this site's rules" in report
    assert "p1: Your comment is" in report


def test_invisible_and_direction_characters_leave_an_exported_name(tmp_path):
    article = make_article()
    data = disqus(
        disqus_thread("t1", _old_link(article)),
        disqus_post("p1", "t1", "<p>Hi.</p>", name="Ol\u200bena\u202e  K."),
        disqus_post("p2", "t1", "<p>Hello.</p>", name="\u200b"),
    )

    _import(tmp_path, data)

    assert Comment.objects.get(idempotency_key="disqus:p1").author_name == "Olena K."
    assert Comment.objects.get(idempotency_key="disqus:p2").author_name == "Guest"


def test_the_report_says_how_many_comments_this_sites_screening_held(tmp_path):
    Rule.objects.create(kind=Rule.Kind.SUSPECT, pattern="crook")
    article = make_article()
    data = disqus(
        disqus_thread("t1", _old_link(article)),
        disqus_post("p1", "t1", "<p>The minister is a crook.</p>"),
        disqus_post("p2", "t1", "<p>Short.</p>"),
    )

    report = _import(tmp_path, data)

    assert Comment.objects.get(body="The minister is a crook.").status == Comment.Status.PENDING
    assert (
        "2 comments imported (1 of them held for review: 0 waiting for approval where they came "
        "from, 1 held by this site's screening" in report
    )


def test_a_link_around_an_image_alone_shows_its_address(tmp_path):
    # Images are dropped; a link that held only one (a shared photo) was an empty <a></a>:
    # nothing to see or to click, and a link with no name to a screen reader.
    article = make_article()
    photo = "https://photos.example/kyiv.jpg"
    data = disqus(
        disqus_thread("t1", _old_link(article)),
        disqus_post("p1", "t1", f'<p>Look: <a href="{photo}"><img src="{photo}"></a></p>'),
    )

    _import(tmp_path, data)

    assert Comment.objects.get().html == (
        f'<p>Look: <a href="{photo}" rel="nofollow ugc noopener">{photo}</a></p>'
    )


@pytest.mark.parametrize(
    "tail",
    ["{slug}.html", "{slug}/index.html", "{slug}/amp/", "{slug}.php?id=7"],
    ids=["static page", "index page", "amp copy", "php page"],
)
def test_an_article_whose_old_address_wrapped_its_slug_is_found(tmp_path, tail):
    # A static site's /2022/03/title.html, an index page, an AMP copy's thread: each was
    # "no article here", though its slug is in it.
    article = make_article()
    address = "https://old.example.com/2022/03/" + tail.format(slug=article.slug)
    data = disqus(disqus_thread("t1", address), disqus_post("p1", "t1", "<p>Found it.</p>"))

    _import(tmp_path, data)

    assert Comment.objects.get(idempotency_key="disqus:p1").thread.page_id == article.pk
