"""A WordPress export (WXR) imported with ``manage.py import_comments wordpress FILE``."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from discussion.models import Comment
from importers.tests.exports import wordpress, wp_comment, wp_item
from moderation.models import ModerationAction
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _import(tmp_path, data: bytes) -> str:
    path = tmp_path / "export.wxr"
    path.write_bytes(data)
    out = io.StringIO()
    call_command("import_comments", "wordpress", str(path), "--quiet", stdout=out)
    return out.getvalue()


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
