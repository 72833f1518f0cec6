"""A WordPress export (WXR) imported with ``manage.py import_comments wordpress FILE``."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.models import Comment
from importers.tests.exports import run_import, wordpress, wp_comment, wp_item
from moderation.models import ModerationAction
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _import(tmp_path, data: bytes) -> str:
    return run_import(tmp_path, "wordpress", data, filename="export.wxr")


def test_a_posts_comments_keep_their_paragraphs_replies_and_times(tmp_path):
    article = make_article()
    data = wordpress(
        wp_item(
            "41",
            f"https://old.example.com/?p=41{article.url}",
            article.slug,
            wp_comment("7", "A reply, before its parent.", parent="6"),
            wp_comment("6", "First line\nsecond line\n\nA new <em>paragraph</em>."),
        )
    )

    _import(tmp_path, data)

    parent = Comment.objects.get(idempotency_key="wordpress:6")
    assert parent.html == ("<p>First line<br>\nsecond line</p>\n<p>A new <em>paragraph</em>.</p>")
    assert parent.created_at.isoformat() == "2024-05-02T10:00:00+00:00"
    assert Comment.objects.get(idempotency_key="wordpress:7").parent_id == parent.pk


def test_a_comment_waiting_for_approval_is_held_for_this_sites_moderators(tmp_path):
    article = make_article()
    data = wordpress(
        wp_item(
            "41", "https://old.example.com/x/", article.slug, wp_comment("6", "Hmm.", approved="0")
        )
    )

    report = _import(tmp_path, data)

    comment = Comment.objects.get(idempotency_key="wordpress:6")
    assert comment.status == Comment.Status.PENDING
    assert ModerationAction.objects.filter(comment=comment, automated=True).exists()
    assert "1 of them held for review: 1 waiting for approval where they came from" in report


def test_the_hold_of_a_comment_waiting_there_names_the_platform_as_it_is_spelt(tmp_path):
    # Moderators read "Waiting for approval on wordpress when it was imported."
    article = make_article()
    waiting = wp_comment("6", "Hmm.", approved="0")
    _import(tmp_path, wordpress(wp_item("41", "https://old.example.com/x/", article.slug, waiting)))

    hold = ModerationAction.objects.get(comment__idempotency_key="wordpress:6", automated=True)
    assert hold.note == "Waiting for approval on WordPress when it was imported."


def test_the_transparency_report_says_why_an_imported_comment_was_held_in_plain_words(
    tmp_path, client
):
    article = make_article()
    waiting = wp_comment("6", "Hmm.", approved="0")
    _import(tmp_path, wordpress(wp_item("41", "https://old.example.com/x/", article.slug, waiting)))

    page = BeautifulSoup(client.get("/transparency/").content, "html.parser")

    actions = [li.get_text() for li in page.select("table.transparency tbody tr li")]
    assert actions == ["Held: waiting for approval where it was imported from (1)"]


def test_spam_trash_pingbacks_and_trackbacks_are_left_out(tmp_path):
    article = make_article()
    data = wordpress(
        wp_item(
            "41",
            "https://old.example.com/x/",
            article.slug,
            wp_comment("1", "Kept."),
            wp_comment("2", "Cheap watches.", approved="spam"),
            wp_comment("3", "Binned.", approved="trash"),
            wp_comment("4", "Linked from my blog.", kind="pingback"),
            wp_comment("5", "Trackback.", kind="trackback"),
        )
    )

    report = _import(tmp_path, data)

    assert list(Comment.objects.values_list("body", flat=True)) == ["Kept."]
    assert "2 pingbacks or trackbacks" in report and "1 spam" in report and "1 deleted" in report


def test_a_comment_dated_in_the_future_is_refused_with_the_reason(tmp_path):
    article = make_article()
    data = wordpress(
        wp_item(
            "41",
            "https://old.example.com/x/",
            article.slug,
            wp_comment("6", "From the far future.", when="9999-12-31 23:59:59"),
            wp_comment("7", "From the past."),
        )
    )

    report = _import(tmp_path, data)

    assert list(Comment.objects.values_list("body", flat=True)) == ["From the past."]
    assert "6: Dated 9999-12-31, in the future." in report


def test_comments_with_no_date_are_counted_in_the_report(tmp_path):
    article = make_article()
    undated = wp_comment("6", "When was this?", when="").replace(
        "<wp:comment_date><![CDATA[]]></wp:comment_date>", ""
    )
    data = wordpress(wp_item("41", "https://old.example.com/x/", article.slug, undated))

    report = _import(tmp_path, data)

    assert Comment.objects.get().body == "When was this?"
    assert "1 comment had no date in the export and is dated at this import" in report


def test_posts_and_pages_with_no_comments_are_not_reported_as_missing_articles(tmp_path):
    article = make_article()
    data = wordpress(
        wp_item("40", "https://old.example.com/about/", "about"),
        wp_item("41", "https://old.example.com/gone/", "gone", wp_comment("5", "Lost post.")),
        wp_item("42", "https://old.example.com/x/", article.slug, wp_comment("6", "Kept.")),
    )

    report = _import(tmp_path, data)

    assert "3 discussions read, 1 of those with comments has no article here" in report
    assert "https://old.example.com/gone/" in report
    assert "/about/" not in report
