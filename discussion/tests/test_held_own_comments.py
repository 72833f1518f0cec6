"""A reader's own comments that wait for review show in place on the thread, to them alone: held
top-level comments and held replies alike, for a signed-in reader and for a guest."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from discussion.models import Comment
from discussion.services import comment_set_status, thread_ensure
from discussion.tests.factories import make_comment
from discussion.tests.readers import make_reader
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _shown(client: Client, url: str) -> set[int]:
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    return {int(li["id"].removeprefix("c-")) for li in soup.select("li.comment[id^=c-]")}


def _hold(*comments: Comment) -> None:
    for comment in comments:
        comment_set_status(comment=comment, status=Comment.Status.PENDING)


@pytest.fixture
def article_thread():
    article = make_article()
    thread = thread_ensure(page=article)
    return article, thread, make_comment(thread, "Somebody else's comment.", name="Cy")


def test_a_signed_in_readers_held_comment_and_reply_show_to_them_alone(client, article_thread):
    article, thread, other = article_thread
    ada = make_reader("Ada")
    held = make_comment(thread, "My held comment.", name="Ada", user_id=ada.pk)
    held_reply = make_comment(thread, "My held reply.", name="Ada", user_id=ada.pk, parent=other)
    _hold(held, held_reply)
    client.force_login(ada)
    stranger = Client()
    stranger.force_login(make_reader("Bo"))

    assert _shown(client, article.url) == {other.pk, held.pk, held_reply.pk}
    assert _shown(stranger, article.url) == _shown(Client(), article.url) == {other.pk}


def test_a_guests_held_reply_shows_to_the_guest_alone(client, article_thread):
    article, thread, other = article_thread
    form = {"body": "My reply.", "author_name": "Dee", "idempotency_key": "", "parent": other.pk}
    assert client.post(article.url, form).status_code == 302
    reply = Comment.objects.get(thread=thread, parent=other)
    _hold(reply)

    assert _shown(client, article.url) == {other.pk, reply.pk}
    assert _shown(Client(), article.url) == {other.pk}


def test_the_link_to_a_readers_own_held_comment_opens_it_for_them_and_nobody_else(
    client, article_thread
):
    article, thread, _other = article_thread
    ada = make_reader("Ada")
    held = make_comment(thread, "My held comment.", name="Ada", user_id=ada.pk)
    _hold(held)
    client.force_login(ada)

    mine = client.get(f"/c/{held.pk}/")
    theirs = Client().get(f"/c/{held.pk}/")

    assert mine.status_code == 302 and mine["Location"].endswith(f"#c-{held.pk}")
    assert held.pk in _shown(client, mine["Location"])
    assert theirs.status_code == 404
