"""A reader cannot recommend or report their own comment: the service refuses, and the page
offers neither (it shows the count as plain text, and their Edit and Delete instead).

A signed-in reader owns what their account wrote; a guest owns the comments their signed cookie
lists (``discussion.identity``), the same rule that offers them Edit and Delete.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from core.ratelimit import wait_in_words
from discussion.models import Comment, Reaction
from discussion.services import ReactionRefused, reaction_toggle, thread_ensure
from discussion.tests.factories import make_comment
from discussion.tests.readers import make_reader
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def article():
    return make_article()


@pytest.fixture
def ada():
    return make_reader("Ada")


def _count(comment: Comment) -> int:
    return Comment.objects.get(pk=comment.pk).reaction_count


def _react(client: Client, comment: Comment, **extra):
    return client.post(reverse("discussion:comment_react", args=[comment.pk]), **extra)


def _page(client: Client, article) -> BeautifulSoup:
    response = client.get(article.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def _comment(article, body: str = "The council should publish the figures.", **kwargs) -> Comment:
    """A published comment (through ``comment_create``, screening and all)."""
    comment = make_comment(thread_ensure(page=article), body, **kwargs)
    assert comment.status == Comment.Status.PUBLISHED
    return comment


OTHER = "The figures are on page four."


def _guest_posts(client: Client, article, body: str) -> Comment:
    """A guest comments through the article's form, as a browser does (and gets its cookies)."""
    response = client.post(
        article.url, {"body": body, "author_name": "Ira", "idempotency_key": body[:20]}
    )
    assert response.status_code == 302
    comment = Comment.objects.get(body=body)
    assert comment.status == Comment.Status.PUBLISHED
    return comment


# The service


def test_a_signed_in_reader_cannot_recommend_their_own_comment(article, ada):
    own = _comment(article, user_id=ada.pk)

    with pytest.raises(ReactionRefused, match="You cannot recommend your own comment."):
        reaction_toggle(comment=own, reader_key="", user_id=ada.pk)

    assert _count(own) == 0 and not Reaction.objects.exists()


def test_a_guest_cannot_recommend_a_comment_their_cookie_says_they_wrote(article):
    own = _comment(article)

    with pytest.raises(ReactionRefused, match="You cannot recommend your own comment."):
        reaction_toggle(
            comment=own, reader_key="guest-ira", user_id=None, guest_comment_ids=frozenset({own.pk})
        )

    assert _count(own) == 0 and not Reaction.objects.exists()


def test_a_guest_who_wrote_one_comment_can_still_recommend_anothers(article):
    own, other = _comment(article), _comment(article, OTHER)

    state = reaction_toggle(
        comment=other, reader_key="guest-ira", user_id=None, guest_comment_ids=frozenset({own.pk})
    )

    assert state.pressed and _count(other) == 1


# The Recommend view, when a reader presses it on their own comment anyway (an old page)


def test_with_htmx_pressing_recommend_on_ones_own_comment_says_why_in_its_place(
    client, article, ada
):
    own = _comment(article, user_id=ada.pk)
    client.force_login(ada)

    response = _react(client, own, **HTMX)

    assert response.status_code == 422  # site.js lets htmx swap it in
    swapped = BeautifulSoup(response.content, "html.parser").select_one(f"#react-{own.pk}")
    assert swapped.select_one("[role=alert]").get_text() == "You cannot recommend your own comment."
    assert swapped.select_one("button") is None
    assert _count(own) == 0


def test_without_javascript_pressing_recommend_on_ones_own_comment_says_why(client, article):
    own = _guest_posts(client, article, "I read the figures on the train.")

    response = _react(client, own)

    page = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 409
    assert page.select_one("[role=alert]").get_text() == "You cannot recommend your own comment."
    assert page.find("a", href=f"{article.url}?c={own.pk}#c-{own.pk}") is not None
    assert _count(own) == 0


# The page


def test_a_signed_in_readers_own_comment_offers_no_recommend_button_or_report_link(
    client, article, ada
):
    own, other = _comment(article, user_id=ada.pk), _comment(article, OTHER)
    client.force_login(ada)

    page = _page(client, article)

    assert page.select(f"#c-{own.pk} .reaction__button, #c-{own.pk} .comment__report") == []
    assert page.select_one(f"#c-{other.pk} .reaction__button") is not None
    assert page.select_one(f"#c-{other.pk} .comment__report") is not None


def test_a_guests_own_comment_offers_no_recommend_button_or_report_link(client, article):
    other = _comment(article, OTHER)
    own = _guest_posts(client, article, "I read the figures on the train.")

    page = _page(client, article)

    assert page.select(f"#c-{own.pk} .reaction__button, #c-{own.pk} .comment__report") == []
    assert page.select_one(f"#c-{other.pk} .reaction__button") is not None
    assert page.select_one(f"#c-{other.pk} .comment__report") is not None


def test_ones_own_comment_shows_how_many_recommended_it_as_plain_text(client, article, ada):
    own = _comment(article, user_id=ada.pk)
    reaction_toggle(comment=own, reader_key="guest-someone", user_id=None)
    client.force_login(ada)

    count = _page(client, article).select_one(f"#react-{own.pk}")

    assert "reaction--count" in count["class"]
    assert count.get_text() == "Recommend: 1"


def test_a_block_drawn_for_its_author_and_one_drawn_for_others_are_kept_apart(article, ada):
    """comments_more keeps each comment's drawing (comment_block_keys): whoever draws it first,
    the author gets theirs without the button, and every other reader gets the button."""
    own = _comment(article, user_id=ada.pk)
    url = reverse("discussion:comments_more", args=[own.thread_id])
    author, guest = Client(), Client()
    author.force_login(ada)
    caches["fragments"].clear()

    def buttons(client: Client) -> list:
        response = client.get(url, **HTMX)
        return BeautifulSoup(response.content, "html.parser").select(f"#react-{own.pk} button")

    drawn = [len(buttons(guest)), len(buttons(author)), len(buttons(guest)), len(buttons(author))]

    assert drawn == [1, 0, 1, 0]


def test_edits_are_limited_per_address_and_the_refused_text_comes_back(client, article, settings):
    settings.COMMENT_EDIT_RATE_LIMIT = "2/m"
    ada = make_reader("Ada")
    comment = _comment(article, user_id=ada.pk, name="Ada")
    client.force_login(ada)
    url = reverse("discussion:comment_edit", args=[comment.pk])
    for n in range(2):
        assert client.post(url, {"body": f"Edit number {n}."}).status_code == 302
    refused = client.post(url, {"body": "A third edit in a minute."})
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 60
    page = BeautifulSoup(refused.content, "html.parser")
    assert "Too many edits" in page.get_text()
    assert page.find("textarea").get_text() == "A third edit in a minute."
    assert Comment.objects.get(pk=comment.pk).body == "Edit number 1."


def test_deletions_are_limited_per_address_and_a_refused_one_deletes_nothing(
    client, article, settings
):
    settings.COMMENT_EDIT_RATE_LIMIT = "2/d"  # the wait said is the day's rest, not "a minute"
    ada = make_reader("Ada")
    first, second, third = (
        _comment(article, f"Comment number {n}.", user_id=ada.pk, name="Ada") for n in range(3)
    )
    client.force_login(ada)
    for comment in (first, second):
        client.post(reverse("discussion:comment_delete", args=[comment.pk]))

    refused = client.post(reverse("discussion:comment_delete", args=[third.pk]))

    wait = int(refused["Retry-After"])
    assert refused.status_code == 429 and 1 <= wait <= 86400
    said = BeautifulSoup(refused.content, "html.parser").get_text(" ")
    assert f"Too many deletions; {wait_in_words(wait)}." in said
    assert Comment.objects.get(pk=third.pk).status == Comment.Status.PUBLISHED
