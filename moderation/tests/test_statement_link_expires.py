"""The link to a comment's statement of reasons emailed to its author opens the page for as long
as an appeal may be made (``MODERATION_APPEAL_DAYS`` after it was sent), not for ever: a
forwarded or leaked email opened the author's page, and took an appeal in their name, for good.
An expired link lands on a page that says so and what to do (sign in, or open it in the browser
the comment was written in), not on "There is no page at this address."."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from discussion.models import Comment
from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation import statement_links
from moderation.actions import RejectComment
from moderation.models import Appeal
from newsroom.tests.factories import make_article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("email_tasks_run_as_queued")]


def _later(monkeypatch, days: float) -> None:
    """Move Django's clock on by ``days``."""
    now = timezone.now() + timedelta(days=days)
    monkeypatch.setattr(timezone, "now", lambda: now)


def _main(response) -> str:
    return " ".join(
        BeautifulSoup(response.content, "html.parser").select_one("main").get_text().split()
    )


@pytest.fixture
def emailed_link(client, moderator, mailoutbox, django_capture_on_commit_callbacks, settings):
    """A guest's comment, posted with their address, rejected: the link in their email."""
    settings.SITE_BASE_URL = "https://news.example"
    settings.MODERATION_APPEAL_DAYS = 30
    client.post(
        make_article().url,
        {"body": "The minister is a moron.", "author_name": "Olena",
         "author_email": "olena@example.com", "idempotency_key": ""},
    )  # fmt: skip
    comment = Comment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        RejectComment(comment=comment, user=moderator, reason_code="abuse").execute()
    [email] = mailoutbox
    return re.search(r"https://news\.example(\S+)", email.body).group(1)


def test_after_the_appeal_window_the_link_says_it_has_expired_and_what_to_do(
    emailed_link, monkeypatch
):
    _later(monkeypatch, 29.9)
    assert Client().get(emailed_link).status_code == 200  # on the window's last day, it opens
    _later(monkeypatch, 0.2)

    response = Client().get(emailed_link)

    assert response.status_code == 410
    text = _main(response)
    assert text.startswith("This link has expired")
    assert "for 30 days, as long as a decision on it may be appealed" in text
    assert "the browser you commented in" in text
    assert "It attacks or insults a person." not in text  # the statement itself stays closed
    altered = emailed_link[:-3] + ("aaa" if not emailed_link.endswith("aaa") else "bbb")
    assert Client().get(altered).status_code == 404  # a key not made for it opens nothing still


def test_an_appeal_sent_through_an_expired_link_is_not_sent_and_its_text_comes_back(
    emailed_link, monkeypatch
):
    _later(monkeypatch, 31)

    response = Client().post(emailed_link, {"text": "It is about a minister's policy."})

    assert response.status_code == 410
    assert "Your appeal was not sent." in _main(response)
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("#unsent-text").get_text() == "It is about a minister's policy."
    assert not Appeal.objects.exists()


def test_a_members_expired_link_leads_to_sign_in_and_back_to_the_statement(
    django_user_model, moderator, monkeypatch, settings
):
    settings.MODERATION_APPEAL_DAYS = 30
    olena = django_user_model.objects.create_user("olena", "olena@example.com", "pw-long-enough")
    comment = comment_create(thread=make_thread(), body="A moron.", author_name="Olena",
                             user_id=olena.pk)  # fmt: skip
    RejectComment(comment=comment, user=moderator, reason_code="abuse").execute()
    link = statement_links.statement_path(comment_id=comment.pk, reader_key=f"user:{olena.pk}")
    _later(monkeypatch, 31)

    response = Client().get(link)

    assert response.status_code == 410
    sign_in = BeautifulSoup(response.content, "html.parser").find("a", string="Sign in")
    statement = reverse("moderation:statement", args=[comment.pk])
    assert sign_in["href"] == f"{reverse('account_login')}?next={quote(statement)}"
    client = Client()
    client.force_login(olena)
    assert client.get(statement).status_code == 200


def test_a_link_emailed_before_links_were_dated_lasts_as_long_from_the_decision(
    emailed_link, monkeypatch
):
    """Such a key carries no date: it counts from the comment's newest decision, when its
    email was sent, so one sent the day before an upgrade still opens the page."""
    comment = Comment.objects.get()
    undated = statement_links._undated_key(comment.pk, comment.review.reader_key)
    link = f"{emailed_link.split('?')[0]}?key={undated}"

    assert Client().get(link).status_code == 200
    _later(monkeypatch, 31)
    assert Client().get(link).status_code == 410
