"""What a comment's reply-emails switch says once pressed: true to what will be sent, the
profile's email choice included (it comes first: Never sends no reply email at all)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.core import mail

from accounts.services import reader_set_notifications
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from discussion.tests.readers import make_reader
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _switch_on(client, comment):
    landed = client.post(
        f"/discussion/comments/{comment.pk}/reply-emails/", {"reply_emails": "on"}, follow=True
    )
    return BeautifulSoup(landed.content, "html.parser").select_one(".messages")


def test_turning_a_comments_reply_emails_on_says_none_are_sent_while_the_profile_says_never(
    client, django_capture_on_commit_callbacks
):
    ada = make_reader("Ada", email="ada@example.com")
    reader_set_notifications(reader=ada.reader, notify_replies=False)
    thread = thread_ensure(page=make_article())
    comment = make_comment(thread, "My own words.", user_id=ada.pk)
    comment.notify_replies = False
    comment.save(update_fields=["notify_replies"])
    client.force_login(ada)

    said = _switch_on(client, comment)

    assert said.get_text() == (
        "Reply emails for this comment are on, but your profile’s email choice is Never, so no "
        "reply emails are sent to you. Change it on your profile."
    )
    assert said.select_one("a")["href"] == f"/readers/{ada.reader.pk}/#reply-emails"
    # And it is so: a reply sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(thread, "I disagree.", name="Bob", parent=comment)
    assert mail.outbox == []


def test_turning_a_comments_reply_emails_on_says_so_when_the_profile_sends_them(client):
    ada = make_reader("Ada", email="ada@example.com")
    comment = make_comment(thread_ensure(page=make_article()), "Mine.", user_id=ada.pk)
    client.force_login(ada)

    said = _switch_on(client, comment)

    assert said.get_text() == "Reply emails for this comment are on."
    assert said.select_one("a") is None


def _own_controls(client, article, comment):
    page = BeautifulSoup(client.get(article.url).content, "html.parser")
    return page.select_one(f"#c-{comment.pk} .comment__own")


def test_a_comment_says_reply_emails_are_off_by_the_profile_instead_of_offering_to_mute(client):
    # The switch read "Mute reply emails" while the profile's choice, Never, sent none at all.
    ada = make_reader("Ada", email="ada@example.com")
    article = make_article()
    comment = make_comment(thread_ensure(page=article), "Mine.", user_id=ada.pk)
    client.force_login(ada)
    assert _own_controls(client, article, comment).button.get_text() == "Mute reply emails"

    reader_set_notifications(reader=ada.reader, notify_replies=False)
    controls = _own_controls(client, article, comment)

    assert controls.button is None
    assert "Mute reply emails" not in controls.get_text()
    link = controls.select_one("a.comment__reply-emails")
    assert link.get_text() == "Reply emails are off in your profile"
    assert link["href"] == f"/readers/{ada.reader.pk}/#reply-emails"


def test_the_switch_comes_back_when_the_profile_sends_reply_emails_again(client):
    ada = make_reader("Ada", email="ada@example.com")
    reader_set_notifications(reader=ada.reader, notify_replies=False)
    article = make_article()
    comment = make_comment(thread_ensure(page=article), "Mine.", user_id=ada.pk)
    client.force_login(ada)
    assert _own_controls(client, article, comment).button is None

    reader_set_notifications(reader=ada.reader, notify_replies=True)

    assert _own_controls(client, article, comment).button.get_text() == "Mute reply emails"
