"""An export that lists replies out of date order (WordPress lists a post's comments newest
first, Disqus as its database returns them) shows each comment's replies under it in the order
they were written, oldest first, each with its own replies under it: not in the file's order."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from discussion.models import Comment
from discussion.services import comment_create, thread_ensure
from importers.services import BATCH
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


_import = run_import


def _replies(client, url: str, root: Comment) -> list[str]:
    """The text of each reply the article's page shows under ``root``, in its order."""
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    return [
        item.select_one(".comment__body").get_text(strip=True)
        for item in soup.select(f"#replies-{root.pk} > li.comment")
    ]


def _root(article, body: str) -> Comment:
    return Comment.objects.get(thread__page=article, depth=0, body=body)


def test_wordpress_replies_out_of_date_order_read_oldest_first(client, settings, tmp_path):
    settings.REPLIES_SHOWN = 10
    article = make_article()
    data = wordpress(
        wp_item(
            "41",
            f"https://old.example.com{article.url}",
            article.slug,
            # In the order of WordPress's rows, which is not their dates' when comments were
            # moved in from elsewhere or their dates corrected: the comment, its third reply, an
            # answer to the second reply (before it), the first reply and the second.
            wp_comment("11", "The comment.", when="2024-05-02 10:00:00"),
            wp_comment("12", "Third reply.", parent="11", when="2024-05-05 10:00:00"),
            wp_comment("13", "Answer to the second.", parent="15", when="2024-05-06 10:00:00"),
            wp_comment("14", "First reply.", parent="11", when="2024-05-03 10:00:00"),
            wp_comment("15", "Second reply.", parent="11", when="2024-05-04 10:00:00"),
        )
    )

    _import(tmp_path, "wordpress", data)

    assert _replies(client, article.url, _root(article, "The comment.")) == [
        "First reply.",
        "Second reply.",
        "Answer to the second.",
        "Third reply.",
    ]


def test_disqus_replies_out_of_date_order_read_oldest_first_with_their_own_replies(
    client, settings, tmp_path
):
    settings.REPLIES_SHOWN = 10
    article = make_article()
    data = disqus(
        disqus_thread("t1", f"https://old.example.com{article.url}"),
        disqus_post("p1", "t1", "<p>The comment.</p>", when="2024-05-01T09:00:00Z"),
        disqus_post("r3", "t1", "<p>Latest reply.</p>", parent="p1", when="2024-05-04T09:00:00Z"),
        disqus_post(
            "a2", "t1", "<p>Answer to the late one.</p>", parent="r3", when="2024-05-06T09:00:00Z"
        ),
        disqus_post(
            "a1", "t1", "<p>Answer to the early one.</p>", parent="r1", when="2024-05-05T09:00:00Z"
        ),
        disqus_post("r1", "t1", "<p>Earliest reply.</p>", parent="p1", when="2024-05-02T09:00:00Z"),
        disqus_post("r2", "t1", "<p>Middle reply.</p>", parent="p1", when="2024-05-03T09:00:00Z"),
    )

    _import(tmp_path, "disqus", data)

    assert _replies(client, article.url, _root(article, "The comment.")) == [
        "Earliest reply.",
        "Answer to the early one.",
        "Middle reply.",
        "Latest reply.",
        "Answer to the late one.",
    ]


def test_a_reply_earlier_than_a_whole_batch_of_replies_before_it_in_the_file_reads_first(
    client, tmp_path
):
    article = make_article()
    later = [
        disqus_post(
            f"r{n}",
            "t1",
            f"<p>Reply {n}.</p>",
            parent="p1",
            when=f"2024-05-02T{n // 60:02d}:{n % 60:02d}:00Z",
        )
        for n in range(BATCH)
    ]
    data = disqus(
        disqus_thread("t1", f"https://old.example.com{article.url}"),
        disqus_post("p1", "t1", "<p>The comment.</p>", when="2024-05-01T09:00:00Z"),
        *later,
        disqus_post("r", "t1", "<p>Earliest reply.</p>", parent="p1", when="2024-05-01T10:00:00Z"),
    )

    _import(tmp_path, "disqus", data)

    # The page shows the first REPLIES_SHOWN (3) of them.
    assert _replies(client, article.url, _root(article, "The comment.")) == [
        "Earliest reply.",
        "Reply 0.",
        "Reply 1.",
    ]


def test_replies_imported_under_a_comment_with_a_readers_reply_read_before_it(
    client, settings, tmp_path
):
    article = make_article()
    data = disqus(
        disqus_thread("t1", f"https://old.example.com{article.url}"),
        disqus_post("p1", "t1", "<p>The comment.</p>", when="2024-05-01T09:00:00Z"),
    )
    _import(tmp_path, "disqus", data)
    root = _root(article, "The comment.")
    comment_create(
        thread=thread_ensure(page=article),
        parent_id=root.pk,
        body="A reader's reply, today.",
        author_name="Ada",
        created_at=timezone.now() - timedelta(hours=1),
    )
    data = disqus(
        disqus_thread("t1", f"https://old.example.com{article.url}"),
        disqus_post("p1", "t1", "<p>The comment.</p>", when="2024-05-01T09:00:00Z"),
        disqus_post(
            "r2", "t1", "<p>Later on Disqus.</p>", parent="p1", when="2024-05-03T09:00:00Z"
        ),
        disqus_post(
            "r1", "t1", "<p>Earlier on Disqus.</p>", parent="p1", when="2024-05-02T09:00:00Z"
        ),
    )

    _import(tmp_path, "disqus", data)

    assert _replies(client, article.url, root) == [
        "Earlier on Disqus.",
        "Later on Disqus.",
        "A reader's reply, today.",
    ]


def test_running_an_earlier_imports_file_again_puts_its_replies_in_date_order(client, tmp_path):
    article = make_article()
    data = disqus(
        disqus_thread("t1", f"https://old.example.com{article.url}"),
        disqus_post("p1", "t1", "<p>The comment.</p>", when="2024-05-01T09:00:00Z"),
        disqus_post("r2", "t1", "<p>Later reply.</p>", parent="p1", when="2024-05-03T09:00:00Z"),
        disqus_post("a2", "t1", "<p>Its answer.</p>", parent="r2", when="2024-05-04T09:00:00Z"),
        disqus_post("r1", "t1", "<p>Earlier reply.</p>", parent="p1", when="2024-05-02T09:00:00Z"),
    )
    _import(tmp_path, "disqus", data)
    # As an import made before replies were put in date order left them: each reply's path ends
    # in its own id, so they read in the file's order.
    root = _root(article, "The comment.")
    for reply in Comment.objects.filter(root=root).order_by("depth"):
        parent = Comment.objects.get(pk=reply.parent_id)
        path = f"{parent.path}/{reply.pk:0{Comment.PATH_STEP}d}"
        Comment.objects.filter(pk=reply.pk).update(path=path)
    assert _replies(client, article.url, root)[0] == "Later reply."

    _import(tmp_path, "disqus", data)

    assert _replies(client, article.url, root) == ["Earlier reply.", "Later reply.", "Its answer."]
