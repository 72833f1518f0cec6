"""Reasons and refusals as authors read them: in plain words, each said once, never a code, and
true whatever the site's settings are."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client

from discussion.models import Comment
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from moderation.actions import RejectComment
from moderation.models import Rule
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _post(client, article, body: str) -> Comment:
    client.post(article.url, {"body": body, "author_name": "Olena", "idempotency_key": ""})
    return Comment.objects.get(author_name="Olena")


def _statement(client, comment) -> str:
    response = client.get(f"/moderation/comments/{comment.pk}/why/")
    page = BeautifulSoup(response.content, "html.parser").select_one("ol.statement")
    return " ".join(page.get_text(" ", strip=True).split())


def test_an_edit_refused_for_a_banned_word_gives_no_rule_number(client):
    Rule.objects.create(kind=Rule.Kind.BANNED, pattern="zorkbat")
    comment = _post(client, make_article(), "A fair point.")

    response = client.post(f"/discussion/comments/{comment.pk}/edit/", {"body": "You zorkbat."})

    error = BeautifulSoup(response.content, "html.parser").select_one("main").get_text()
    assert "Your comment uses a word or phrase this site does not allow." in error
    assert "rule" not in error.replace("community rules", "").lower()


def test_a_held_comment_gives_each_reason_once(client):
    comment = _post(client, make_article(), "The minister is a moron, see http://evil.example/")

    text = _statement(client, comment)

    assert "It uses “moron”, which a moderator checks first." in text
    assert "It links to evil.example, which a moderator checks first." in text
    assert "a word or phrase that a moderator checks" not in text
    assert "not on our list of known sites" not in text


@pytest.mark.usefixtures("email_tasks_run_as_queued")
def test_the_rejection_email_gives_the_appeal_time_the_site_allows(
    settings, django_user_model, django_capture_on_commit_callbacks
):
    settings.MODERATION_APPEAL_DAYS = 30
    comment = make_comment(thread_ensure(page=make_article()), "Buy now.", name="Spammer")
    Comment.objects.filter(pk=comment.pk).update(author_email="spammer@example.com")
    comment.refresh_from_db()
    moderator = django_user_model.objects.create_superuser("boss", "b@example.com", "pw-long-1")

    with django_capture_on_commit_callbacks(execute=True):
        RejectComment(comment=comment, user=moderator, reason_code="spam").execute()

    assert "appeal within 30 days" in mail.outbox[0].body
    assert "six months" not in mail.outbox[0].body


def test_a_comment_held_by_one_report_does_not_say_several_readers_reported_it(client, settings):
    settings.MODERATION_REPORTS_TO_HOLD = 1
    comment = _post(client, make_article(), "A fair point.")
    assert comment.status == Comment.Status.PUBLISHED
    reader = Client()
    reader.post(f"/moderation/comments/{comment.pk}/report/", {"reason": "spam", "text": ""})

    text = _statement(client, comment)

    assert "It was reported to the moderators, so a moderator will look at it." in text
    assert "Several" not in text


def test_a_comment_held_by_a_regular_expression_quotes_the_words_it_found_not_the_expression(
    client,
):
    Rule.objects.create(kind=Rule.Kind.SUSPECT, pattern=r"zorb\w+", is_regex=True)
    comment = _post(client, make_article(), "The zorbification of the talks goes on.")

    statement = _statement(client, comment)

    assert "It uses “zorbification”, which a moderator checks first." in statement
    assert "\\w" not in statement
