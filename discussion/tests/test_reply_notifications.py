"""Reply emails: sent after commit to the parent's author, escaped, with one-click unsubscribe."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.urls import clear_script_prefix, set_script_prefix

from accounts.models import Reader
from discussion.models import Comment
from discussion.tests.factories import make_comment, make_thread
from discussion.tests.readers import make_reader

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def ada():
    return make_reader("Ada", email="ada@example.com")


def _reply(thread, parent, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reply = make_comment(thread, kwargs.pop("body", "I disagree."), parent=parent, **kwargs)
    return reply, callbacks


def test_a_reply_emails_the_parents_author_after_commit(ada, django_capture_on_commit_callbacks):
    thread = make_thread(title="Council votes")
    parent = make_comment(thread, "My view.", name="Ada", user_id=ada.pk)
    _reply(thread, parent, django_capture_on_commit_callbacks, name="Bob")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.com"]
    assert message.subject == "Bob replied to your comment"
    assert "I disagree." in message.body and "Council votes" in message.body


def test_no_email_is_queued_before_the_comment_commits(ada, django_capture_on_commit_callbacks):
    thread = make_thread()
    parent = make_comment(thread, "My view.", name="Ada", user_id=ada.pk)
    with django_capture_on_commit_callbacks(execute=False):
        make_comment(thread, "Reply.", name="Bob", parent=parent)
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.filter(task_path__endswith="reply_notification_send").count()
    assert queued == 0 and mail.outbox == []


def test_a_reply_rolled_back_with_its_transaction_sends_nothing_afterwards(
    ada, django_capture_on_commit_callbacks
):
    # A caller's transaction that fails after the comment was made (an import, a later step)
    # takes the comment back, and with it every email, live event and cache purge.
    thread = make_thread()
    parent = make_comment(thread, "My view.", name="Ada", user_id=ada.pk)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        make_comment(thread, "Reply.", name="Bob", parent=parent)
        raise RuntimeError("a later step failed")
    assert callbacks == []
    assert mail.outbox == []
    assert Comment.objects.filter(parent=parent).count() == 0


def test_the_email_has_one_click_unsubscribe_headers(ada, django_capture_on_commit_callbacks):
    thread = make_thread()
    parent = make_comment(thread, "My view.", name="Ada", user_id=ada.pk)
    _reply(thread, parent, django_capture_on_commit_callbacks, name="Bob")
    headers = mail.outbox[0].extra_headers
    assert (
        headers["List-Unsubscribe"].startswith("<http")
        and "/accounts/unsubscribe/" in (headers["List-Unsubscribe"])
    )
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.parametrize(
    "written_in",
    ["/news/", "/"],  # a reader's request under the prefix (tasks run at once); the task worker
    ids=["a request", "the worker"],
)
def test_the_unsubscribe_link_names_the_sites_path_prefix_once(
    ada, settings, django_capture_on_commit_callbacks, written_in
):
    """SITE_BASE_URL ends in the prefix (docs/deploy.md, "Under a path prefix"). In a request
    under it Django's reversed paths carry the prefix too: the link was /news/news/..."""
    settings.SITE_BASE_URL = "https://news.example/news"
    thread = make_thread()
    parent = make_comment(thread, "My view.", name="Ada", user_id=ada.pk)
    set_script_prefix(written_in)  # what Django's handler does with the request's SCRIPT_NAME
    try:
        _reply(thread, parent, django_capture_on_commit_callbacks, name="Bob")
    finally:
        clear_script_prefix()
    message = mail.outbox[0]
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link.startswith("https://news.example/news/accounts/unsubscribe/")
    assert f"Stop these emails: {link}" in message.body


def test_reader_text_is_escaped_in_the_html_part(ada, django_capture_on_commit_callbacks):
    thread = make_thread()
    parent = make_comment(thread, "My view.", name="Ada", user_id=ada.pk)
    _reply(
        thread,
        parent,
        django_capture_on_commit_callbacks,
        name='"><svg onload=alert(1)>',
        body="<script>alert(1)</script>",
    )
    html, mimetype = mail.outbox[0].alternatives[0]
    assert mimetype == "text/html"
    assert "<script>" not in html and "<svg" not in html
    assert "&lt;script&gt;" in html


def test_a_name_cannot_inject_mail_headers(ada, django_capture_on_commit_callbacks):
    from discussion.notifications import _header_safe

    assert _header_safe("Bob\r\nBcc: victim@example.com") == "BobBcc: victim@example.com"
    thread = make_thread()
    parent = make_comment(thread, "My view.", name="Ada", user_id=ada.pk)
    _reply(thread, parent, django_capture_on_commit_callbacks, name="Bob")
    assert "\n" not in mail.outbox[0].subject


def test_a_name_with_a_line_break_kept_from_before_the_check_leaves_the_subject_one_line(
    ada, django_capture_on_commit_callbacks
):
    # Names with a CR or LF are refused as a comment is made (test_comment_create.py); a row
    # from before that check, or written by hand, still never adds a header to the email.
    thread = make_thread()
    parent = make_comment(thread, "My view.", name="Ada", user_id=ada.pk)
    with django_capture_on_commit_callbacks(execute=False):
        reply = make_comment(thread, "I disagree.", name="Bob", parent=parent)
    Comment.objects.filter(pk=reply.pk).update(author_name="Bob\r\nBcc: victim@example.com")
    from discussion.notifications import reply_notification_send

    assert reply_notification_send(comment_id=reply.pk)

    sent = mail.outbox[0].message()
    assert sent["Subject"] == "BobBcc: victim@example.com replied to your comment"
    assert (sent.get_all("Bcc"), mail.outbox[0].recipients()) == (None, ["ada@example.com"])


def test_no_email_for_replying_to_oneself(ada, django_capture_on_commit_callbacks):
    thread = make_thread()
    parent = make_comment(thread, "My view.", name="Ada", user_id=ada.pk)
    _reply(thread, parent, django_capture_on_commit_callbacks, name="Ada", user_id=ada.pk)
    assert mail.outbox == []


def test_no_email_after_unsubscribing(ada, client, django_capture_on_commit_callbacks):
    thread = make_thread()
    parent = make_comment(thread, "My view.", name="Ada", user_id=ada.pk)
    _reply(thread, parent, django_capture_on_commit_callbacks, name="Bob")
    link = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = link.split("testserver", 1)[-1].split("8000", 1)[-1]
    client.get(path)  # a mail scanner
    assert Reader.objects.get(user=ada).notify_replies is True
    client.post(path)  # the one-click POST, without a CSRF token
    assert Reader.objects.get(user=ada).notify_replies is False
    mail.outbox.clear()
    _reply(thread, parent, django_capture_on_commit_callbacks, name="Carol")
    assert mail.outbox == []


def test_a_tampered_unsubscribe_link_changes_nothing(ada, client):
    from accounts.notifications import unsubscribe_token

    token = unsubscribe_token(reader_id=ada.reader.pk)
    response = client.post(f"/accounts/unsubscribe/{token[:-2]}xx/")
    assert response.status_code == 400
    assert b"not valid" in response.content
    assert Reader.objects.get(user=ada).notify_replies is True


def test_guests_get_no_email(django_capture_on_commit_callbacks):
    thread = make_thread()
    parent = make_comment(thread, "Guest view.", name="Visitor")
    _reply(thread, parent, django_capture_on_commit_callbacks, name="Bob")
    assert mail.outbox == []


def test_replies_to_guests_and_to_oneself_queue_no_email_task(
    ada, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # kept queued
    thread = make_thread()
    guest = make_comment(thread, "Guest view.", name="Visitor")
    own = make_comment(thread, "My view.", name="Ada", user_id=ada.pk)
    _reply(thread, guest, django_capture_on_commit_callbacks, name="Bob")
    _reply(thread, own, django_capture_on_commit_callbacks, name="Ada", user_id=ada.pk)
    assert not DBTaskResult.objects.filter(task_path__endswith="reply_notification_send").exists()
    _reply(thread, own, django_capture_on_commit_callbacks, name="Bob")  # this one may email
    assert DBTaskResult.objects.filter(task_path__endswith="reply_notification_send").count() == 1


def test_a_muted_comment_sends_no_reply_email(ada, django_capture_on_commit_callbacks):
    from discussion.own_comments import comment_set_reply_emails

    thread = make_thread()
    parent = make_comment(thread, "My view.", name="Ada", user_id=ada.pk)
    comment_set_reply_emails(comment=parent, user_id=ada.pk, on=False)
    _reply(thread, parent, django_capture_on_commit_callbacks, name="Bob")
    assert mail.outbox == []


def test_the_profile_switch_turns_reply_emails_off_and_on(ada, client):
    client.force_login(ada)
    client.post("/accounts/notifications/", {"reply_emails": "off"})
    assert Reader.objects.get(user=ada).notify_replies is False
    client.post("/accounts/notifications/", {"reply_emails": "on"})
    assert Reader.objects.get(user=ada).notify_replies is True


def test_a_daily_digest_reader_gets_one_email_for_several_replies(
    ada, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from accounts.services import reader_set_notifications

    reader_set_notifications(reader=ada.reader, notify_replies=True, reply_digest=True)
    thread = make_thread()
    parent = make_comment(thread, "My view.", name="Ada", user_id=ada.pk)
    _reply(thread, parent, django_capture_on_commit_callbacks, name="Bob", body="First reply.")
    _reply(thread, parent, django_capture_on_commit_callbacks, name="Cy", body="<b>Second</b>.")
    assert mail.outbox == []
    call_command("send_reply_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.subject == "2 new replies to your comments"
    assert "First reply." in digest.body and "<b>Second</b>." in digest.body
    assert "&lt;b&gt;Second&lt;/b&gt;" in digest.alternatives[0][0]
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    call_command("send_reply_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1  # nothing sent twice


def test_the_profile_offers_a_daily_digest(ada, client):
    client.force_login(ada)
    client.post("/accounts/notifications/", {"reply_emails": "daily"})
    reader = Reader.objects.get(user=ada)
    assert reader.notify_replies is True and reader.reply_digest is True


def test_the_scheduler_sends_waiting_digests_without_cron(
    ada, django_capture_on_commit_callbacks, settings
):
    from io import StringIO

    from django.core.management import call_command

    from accounts.services import reader_set_notifications

    settings.REPLY_DIGEST_HOUR = 0  # due at any hour of the day
    reader_set_notifications(reader=ada.reader, notify_replies=True, reply_digest=True)
    thread = make_thread()
    parent = make_comment(thread, "My view.", name="Ada", user_id=ada.pk)
    _reply(thread, parent, django_capture_on_commit_callbacks, name="Bob", body="A reply.")
    call_command("run_scheduler", once=True, stdout=StringIO())
    assert [message.subject for message in mail.outbox] == ["1 new reply to your comments"]
