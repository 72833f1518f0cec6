"""An export that lists comments out of date order (Disqus lists them as its database returns
them, WordPress newest first) is read, oldest or newest first, in the order they were written:
each top-level comment takes its place in the numbered list by its own date."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from discussion.models import Comment
from discussion.services import comment_create, thread_ensure
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


def _listed(client, url: str) -> list[tuple[str, str]]:
    """(number, text) of each top-level comment the page lists, following "show more"."""
    listed = []
    while url:
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        for item in soup.select("ol#comment-list > li.comment"):
            listed.append((item["value"], item.select_one(".comment__body").get_text(strip=True)))
        more = soup.select_one("#comments-more a")
        url = more["href"] if more is not None else ""
    return listed


def test_disqus_comments_out_of_date_order_are_listed_by_their_dates(client, settings, tmp_path):
    settings.COMMENTS_PAGE_SIZE = 2  # the order holds across "show more" pages too
    article = make_article()
    data = disqus(
        disqus_thread("t1", f"https://old.example.com{article.url}"),
        disqus_post("p2", "t1", "<p>Second.</p>", when="2024-05-02T09:00:00Z"),
        disqus_post("p4", "t1", "<p>Fourth.</p>", when="2024-05-04T09:00:00Z"),
        disqus_post("p1", "t1", "<p>First.</p>", when="2024-05-01T09:00:00Z"),
        disqus_post("p3", "t1", "<p>Third.</p>", when="2024-05-03T09:00:00Z"),
    )

    _import(tmp_path, "disqus", data)

    oldest = [("1", "First."), ("2", "Second."), ("3", "Third."), ("4", "Fourth.")]
    assert _listed(client, article.url) == oldest
    assert _listed(client, f"{article.url}?sort=newest") == oldest[::-1]


def test_wordpress_comments_imported_under_a_readers_are_listed_before_it(
    client, settings, tmp_path
):
    article = make_article()
    thread = thread_ensure(page=article)
    comment_create(
        thread=thread,
        body="Posted here, today.",
        author_name="Ada",
        created_at=timezone.now() - timedelta(hours=1),
    )
    data = wordpress(
        wp_item(
            "41",
            f"https://old.example.com{article.url}",
            article.slug,
            wp_comment("12", "Later on WordPress.", when="2024-05-03 10:00:00"),
            wp_comment("11", "Earlier on WordPress.", when="2024-05-02 10:00:00"),
        )
    )

    _import(tmp_path, "wordpress", data)

    assert _listed(client, article.url) == [
        ("1", "Earlier on WordPress."),
        ("2", "Later on WordPress."),
        ("3", "Posted here, today."),
    ]


def test_running_an_earlier_imports_file_again_puts_its_comments_in_date_order(client, tmp_path):
    article = make_article()
    data = disqus(
        disqus_thread("t1", f"https://old.example.com{article.url}"),
        disqus_post("p2", "t1", "<p>Second.</p>", when="2024-05-02T09:00:00Z"),
        disqus_post("p1", "t1", "<p>First.</p>", when="2024-05-01T09:00:00Z"),
    )
    _import(tmp_path, "disqus", data)
    # As an import made before imports were put in date order left them: in the file's order.
    second, first = Comment.objects.filter(thread__page=article).order_by("id")
    Comment.objects.filter(pk=second.pk).update(number=1)
    Comment.objects.filter(pk=first.pk).update(number=2)

    _import(tmp_path, "disqus", data)

    assert _listed(client, article.url) == [("1", "First."), ("2", "Second.")]
