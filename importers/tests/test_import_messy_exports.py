"""Exports as a migrating newsroom meets them, messier than the platforms' own: comments with no
id, and WordPress comments of kinds and statuses this importer does not take."""

from __future__ import annotations

import pytest

from discussion.models import Comment
from importers.tests.exports import (
    disqus,
    disqus_post,
    disqus_thread,
    run_import,
    wordpress,
    wp_comment,
    wp_item,
)
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _import(tmp_path, data: bytes, platform: str) -> str:
    return run_import(tmp_path, platform, data)


def test_comments_with_no_id_are_refused_each_with_the_reason_not_merged_into_one(tmp_path):
    # The second was counted "already here" (both took the key "disqus:"), and lost unsaid.
    article = make_article()
    data = disqus(
        disqus_thread("t1", f"https://old.example.com{article.url}"),
        disqus_post("", "t1", "<p>One without an id.</p>"),
        disqus_post("", "t1", "<p>Another without an id.</p>"),
        disqus_post("p3", "t1", "<p>One with an id.</p>"),
    )

    report = _import(tmp_path, data, "disqus")

    assert list(Comment.objects.values_list("body", flat=True)) == ["One with an id."]
    assert "1 comment imported" in report and "0 already here" in report
    assert "2 refused by this site's rules:" in report
    assert "  (no id): It has no id in the export, so it cannot be imported once only." in report


def test_wordpress_comments_of_other_kinds_and_unknown_statuses_are_counted_as_such(tmp_path):
    # All of them were counted as "pingbacks or trackbacks".
    article = make_article()
    data = wordpress(
        wp_item(
            "1",
            f"https://old.example.com{article.url}",
            article.slug,
            wp_comment("1", "A reader's comment."),
            wp_comment("2", "A pingback.", kind="pingback"),
            wp_comment("3", "Order shipped.", kind="order_note"),
            wp_comment("4", "Five stars.", kind="review"),
            wp_comment("5", "Who knows.", approved="limbo"),
        )
    )

    report = _import(tmp_path, data, "wordpress")

    assert Comment.objects.count() == 1
    assert (
        "not imported: 2 of other kinds than comments (order_note, review), "
        "1 pingback or trackback, 1 with a status this importer does not know (limbo)"
    ) in report


def test_comments_read_before_their_discussion_are_placed_once_it_is_read(tmp_path):
    # Disqus lists every thread first; a file merged by hand may not. Comments a batch (200)
    # or more before their thread were left out as "with no article here", for good.
    article = make_article()
    posts = [disqus_post(f"p{n}", "t1", f"<p>Comment {n}.</p>") for n in range(210)]
    posts.append(disqus_post("lost", "t9", "<p>In a discussion the file never has.</p>"))
    data = disqus(*posts, disqus_thread("t1", f"https://old.example.com{article.url}"))

    report = _import(tmp_path, data, "disqus")

    assert Comment.objects.filter(thread__page=article).count() == 210
    assert "210 comments imported" in report
    assert "not imported: 1 in no discussion of the export" in report
