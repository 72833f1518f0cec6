"""A private article's discussion is as closed as the article.

An editor can put an article, or a section above it, behind a Wagtail view restriction: a
password, a login, or a group. Wagtail checks it when it serves the article page. The discussion
is also served in pieces (more comments, more replies, new comments, the reply form, a comment's
link, Recommend, the live stream), and each of those answers as a missing discussion would to a
reader the article would turn away, and works as before for one it lets in.
"""

from __future__ import annotations

import asyncio

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from api.tests.helpers import article_with_comments
from discussion.models import Comment
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from discussion.tests.streams import open_stream
from newsroom.tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

PASSWORD = "embargo-2026"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _restrict(page, kind: str = PageViewRestriction.PASSWORD) -> PageViewRestriction:
    return PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password=PASSWORD if kind == "password" else ""
    )


@pytest.fixture
def private():
    """A password-protected article with two comments, the first with a reply."""
    article, thread = article_with_comments(2, replies_each=1)
    restriction = _restrict(article)
    first = Comment.objects.filter(thread=thread, depth=0).order_by("id").first()
    return article, thread, first, restriction


def _reads(thread, comment) -> dict[str, tuple[str, dict]]:
    """Each way the discussion is read in pieces: (address, extra request headers)."""
    return {
        "more comments": (f"/discussion/threads/{thread.pk}/comments/", HTMX),
        "more replies": (f"/discussion/comments/{comment.pk}/replies/", {}),
        "new comments": (f"/discussion/threads/{thread.pk}/comments/new/?ids={comment.pk}", {}),
        "reply form": (f"/discussion/comments/{comment.pk}/reply/", HTMX),
        "comment link": (f"/c/{comment.pk}/", {}),
        "report form": (f"/moderation/comments/{comment.pk}/report/", {}),
    }


@pytest.mark.parametrize(
    "what",
    ["more comments", "more replies", "new comments", "reply form", "comment link", "report form"],
)
def test_a_reader_without_the_password_gets_not_found_and_no_comment_text(client, private, what):
    _article, thread, first, _restriction = private
    address, headers = _reads(thread, first)[what]

    answer = client.get(address, **headers)

    assert answer.status_code == 404
    assert b"Comment number 0" not in answer.content
    assert b"Reply 0" not in answer.content


@pytest.mark.parametrize(
    "what",
    ["more comments", "more replies", "new comments", "reply form", "comment link", "report form"],
)
def test_a_reader_who_gave_the_password_reads_the_discussion_as_before(client, private, what):
    article, thread, first, restriction = private
    entered = client.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, article.pk]),
        {"password": PASSWORD, "return_url": article.url},
    )
    assert entered.status_code == 302
    address, headers = _reads(thread, first)[what]

    answer = client.get(address, **headers)

    assert answer.status_code in (200, 302)
    if what == "comment link":
        assert answer["Location"].startswith(article.url)
    elif what == "more replies":
        assert b"Reply 0" in answer.content
    elif what != "reply form":
        assert b"Comment number 0" in answer.content


def test_recommend_on_a_private_article_is_refused_and_counts_nothing(client, private):
    _article, _thread, first, _restriction = private

    answer = client.post(f"/discussion/comments/{first.pk}/react/", **HTMX)

    assert answer.status_code == 404
    first.refresh_from_db()
    assert first.reaction_count == 0


def test_a_section_behind_a_login_closes_its_articles_discussions_to_guests_only(client):
    article, thread = article_with_comments(1)
    _restrict(article.get_parent(), PageViewRestriction.LOGIN)
    address = f"/discussion/threads/{thread.pk}/comments/"

    assert client.get(address, **HTMX).status_code == 404
    client.force_login(get_user_model().objects.create_user("member", password="x" * 12))
    signed_in = client.get(address, **HTMX)
    assert signed_in.status_code == 200
    assert b"Comment number 0" in signed_in.content


def test_a_public_article_next_to_a_private_one_still_answers(client, private):
    article, thread = article_with_comments(1)

    answer = client.get(f"/discussion/threads/{thread.pk}/comments/", **HTMX)

    assert answer.status_code == 200
    assert b"Comment number 0" in answer.content


def test_an_unpublished_articles_discussion_is_not_found(client):
    article, thread = article_with_comments(1)
    article.unpublish()

    answer = client.get(f"/discussion/threads/{thread.pk}/comments/", **HTMX)

    assert answer.status_code == 404


def _stream_status(thread_id: int, cookie: str = "") -> int:
    """The status the live stream answers, through the production ASGI application."""
    sent = asyncio.run(
        open_stream(
            thread_id,
            cookie=cookie,
            # The reader leaves once the stream has said something (or was refused).
            leave_when=lambda sent: any(message.get("body") for message in sent),
        )
    )
    return sent[0]["status"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_live_stream_of_a_private_article_opens_only_for_a_reader_it_lets_in(client):
    # The stream's check runs on a thread of its own, hence committed rows.
    article, thread = article_with_comments(1)
    restriction = _restrict(article)

    assert _stream_status(thread.pk) == 404
    client.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, article.pk]),
        {"password": PASSWORD, "return_url": article.url},
    )
    session = client.cookies["sessionid"].value
    assert _stream_status(thread.pk, f"sessionid={session}") == 200


def test_an_alias_of_a_private_article_keeps_its_discussion_closed_too(client):
    # Wagtail copies the restriction onto a new alias, but an alias is kept private by its
    # original's restrictions alone: with its copy gone it is still private.
    original, _thread = article_with_comments(1)
    _restrict(original)
    alias = original.create_alias(parent=make_section("Elsewhere"), update_slug="copy")
    PageViewRestriction.objects.filter(page=alias).delete()
    alias_thread = thread_ensure(page=alias)
    make_comment(alias_thread, "Said under the alias.")

    answer = client.get(f"/discussion/threads/{alias_thread.pk}/comments/", **HTMX)

    assert answer.status_code == 404
    assert b"Said under the alias" not in answer.content


def _comment(body: str) -> dict:
    return {"body": body, "author_name": "Olena", "idempotency_key": "", "parent": ""}


@pytest.mark.parametrize("where", ["article", "section"])
def test_the_private_article_asks_for_the_password_and_takes_no_comment_without_it(client, where):
    # The route to an article is found in one query that also reads whether a restriction
    # can apply (newsroom.routing); a restriction on the article or above it must still stop
    # both the reading and the posting.
    article, thread = article_with_comments(1)
    _restrict(article if where == "article" else article.get_parent())

    shown = client.get(article.url)
    posted = client.post(article.url, _comment("Let me in."))

    assert b'name="password"' in shown.content
    assert article.standfirst.encode() not in shown.content
    assert b'name="password"' in posted.content
    assert not Comment.objects.filter(thread=thread, body="Let me in.").exists()


def test_with_the_password_the_private_article_shows_and_takes_comments(client):
    article, thread = article_with_comments(1)
    restriction = _restrict(article)
    client.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, article.pk]),
        {"password": PASSWORD, "return_url": article.url},
    )

    shown = client.get(article.url)
    posted = client.post(article.url, _comment("Now I can say it."))

    assert article.standfirst.encode() in shown.content
    assert posted.status_code == 302
    assert Comment.objects.filter(thread=thread, body="Now I can say it.").exists()


def test_the_password_page_is_in_the_sites_layout_and_reads_nothing_of_the_discussion(client):
    article, _thread = article_with_comments(2)
    _restrict(article)

    with CaptureQueriesContext(connection) as queries:
        shown = client.get(article.url)

    html = shown.content.decode()
    assert 'class="skip-link"' in html and 'name="robots" content="noindex"' in html
    assert '<label for="id_password">Password</label>' in html
    assert article.title not in html
    assert not [q for q in queries.captured_queries if "discussion_comment" in q["sql"]]


def test_a_wrong_password_comes_back_with_the_reason_beside_the_field(client, private):
    article, thread, _first, restriction = private

    answer = client.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, article.pk]),
        {"password": "guess", "return_url": article.url},
    )

    html = answer.content.decode()
    assert "The password you have entered is not correct" in html
    assert 'aria-invalid="true" aria-describedby="id_password-error"' in html
    assert client.get(f"/discussion/threads/{thread.pk}/comments/", **HTMX).status_code == 404


@pytest.mark.parametrize("listing", ["front page", "section"])
def test_a_private_article_is_not_listed_on_the_front_page_or_its_section(client, listing):
    public, _thread = article_with_comments(0)
    private_one = make_article(section=public.get_parent(), title="Embargoed until Tuesday")
    _restrict(private_one)
    address = "/" if listing == "front page" else public.get_parent().url

    html = client.get(address).content.decode()

    assert public.title in html
    assert "Embargoed until Tuesday" not in html
