"""Every address that pages through something, asked for a page with a parameter no link of
the site makes (bad-input.md, "Requests": ``?page=-1``, ``0``, ``99999999``, ``abc``, a repeated
parameter): read as the first page (clamped) or refused with a 4xx, never a server error. The
JSON API's own parameters are in api/tests/test_bad_input.py.

One scene for every address, each address and odd value a subtest: setting the scene up is what
costs, and the addresses only read it. Each address starts from empty caches, as a test of its
own would.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache, caches
from django.test import Client

from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from newsroom.models import ArticleAuthor, Author
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

ODD_VALUES = {
    "negative": "-1",
    "zero": "0",
    "past-the-end": "99999999",
    "letters": "abc",
    "past-64-bits": "9" * 30,
    "nul": "%00",
    "lone-surrogate": "%ED%A0%80",
    "other-digits": "%D9%A1",  # Arabic-Indic 1, a digit to isdigit()
    "path-like": "1/2/abc",
}

# (address, its paging parameter, whether htmx asks for it, the answers an odd value may get)
PAGED = {
    "article-after": ("{article}", "after", False, {200}),
    "article-comment-link": ("{article}", "c", False, {200}),
    "article-sort": ("{article}", "sort", False, {200}),
    "more-comments": ("/discussion/threads/{thread}/comments/", "after", True, {200}),
    "more-comments-sort": ("/discussion/threads/{thread}/comments/", "sort", True, {200}),
    "more-replies-after": ("/discussion/comments/{root}/replies/", "after", False, {200}),
    "more-replies-before": ("/discussion/comments/{root}/replies/", "before", False, {200}),
    "more-replies-shown": ("/discussion/comments/{root}/replies/", "shown", True, {200}),
    "new-comments": ("/discussion/threads/{thread}/comments/new/", "ids", True, {200}),
    "embed-after": ("/embed/articles/{article_id}/", "after", False, {200}),
    "embed-sort": ("/embed/articles/{article_id}/", "sort", False, {200}),
    "search": ("/search/?q=council", "page", False, {200}),
    "author": ("/authors/odd-pager/", "before", False, {200}),
    # A part of the sitemap that does not exist is not found, as a page that does not exist.
    "sitemap": ("/sitemap.xml", "p", False, {404}),
}


@pytest.fixture
def addresses() -> dict[str, str]:
    article = make_article(title="Council plan")
    ArticleAuthor.objects.create(
        page=article, author=Author.objects.create(name="Odd Pager", slug="odd-pager")
    )
    thread = thread_ensure(page=article)
    root = make_comment(thread, "A first comment.")
    make_comment(thread, "A reply.", parent=root)
    return {
        "article": article.url,
        "article_id": str(article.pk),
        "thread": str(thread.pk),
        "root": str(root.pk),
    }


def test_an_odd_paging_parameter_reads_as_the_first_page_or_a_4xx_never_a_500(addresses, subtests):
    for where, (address, name, htmx, answers) in PAGED.items():
        # Each address from empty caches (rate limits and rendered fragments live there), as
        # a test of its own would start.
        cache.clear()
        caches["fragments"].clear()
        url = address.format(**addresses)
        joiner = "&" if "?" in url else "?"
        extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        odd = {**ODD_VALUES, "repeated": f"1&{name}=abc"}
        for case, value in odd.items():
            with subtests.test(where=where, value=case):
                response = Client().get(f"{url}{joiner}{name}={value}", **extra)

                assert response.status_code in answers, (where, case, response.status_code)
