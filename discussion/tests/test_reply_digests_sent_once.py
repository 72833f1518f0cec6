"""A reader's daily digest is sent once, and no transaction is open while the mail server
answers: the waiting replies are taken into a ``ReplyDigest``, committed, then the email is sent,
then the digest goes with its replies (discussion.notifications.reply_digests_send). Before, each
digest was sent inside the transaction that deleted its replies: on SQLite that held the
database's one write lock while the mail server answered, and a run that died after the server
took the digest sent it again the next day, as a new email. Real SMTP on loopback (aiosmtpd)."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import Reader
from core.email_tasks import message_id
from discussion.models import ReplyDigest, ReplyDigestItem
from discussion.notifications import reply_digests_send
from discussion.tests.factories import make_comment, make_thread
from discussion.tests.readers import make_reader


def _digest_reader(name: str, email: str):
    """A reader who chose the daily digest, with ``reply`` waiting for it."""
    user = make_reader(name, email=email)
    Reader.objects.filter(user=user).update(reply_digest=True)
    thread = make_thread(title=f"{name}'s story")
    parent = make_comment(thread, "My view.", name=name, user_id=user.pk)
    reply = make_comment(thread, f"A reply to {name}.", name="Bob", parent=parent)
    ReplyDigestItem.objects.create(user=user, comment=reply)
    return user


def _what_another_process_sees() -> list[tuple[int, bool]]:
    """The waiting replies as another connection reads them: (user, taken into a digest)."""
    try:
        return [
            (user_id, digest_id is not None)
            for user_id, digest_id in ReplyDigestItem.objects.values_list("user_id", "digest_id")
        ]
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("smtp_server", [[]], indirect=True)
def test_the_digest_is_taken_and_committed_before_the_mail_server_is_asked(smtp_server):
    ada = _digest_reader("Ada", "ada@example.com")
    smtp_server.looking = _what_another_process_sees

    assert reply_digests_send() == 1

    # While the mail server had the email, another connection saw the reply taken (committed,
    # no transaction holding it), not a write lock or the reply as it waited.
    assert smtp_server.looked == [[(ada.pk, True)]]
    [email] = smtp_server.delivered
    assert str(email["To"]) == "ada@example.com"
    assert str(email["Subject"]) == "1 new reply to your comments"
    assert not ReplyDigestItem.objects.exists() and not ReplyDigest.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("smtp_server", [["451 4.7.1 Try again later"]], indirect=True)
def test_a_refused_digest_waits_for_the_next_run_and_the_others_go_out(smtp_server, caplog):
    ada = _digest_reader("Ada", "ada@example.com")
    _digest_reader("Bea", "bea@example.com")

    with caplog.at_level(logging.ERROR, logger="discussion.notifications"):
        assert reply_digests_send() == 1

    assert [str(email["To"]) for email in smtp_server.delivered] == ["bea@example.com"]
    assert f"Reply digest for user {ada.pk} not sent, its replies wait" in caplog.text
    assert "451" in caplog.text and "ada@example.com" not in caplog.text
    assert list(ReplyDigestItem.objects.values_list("user_id", "digest")) == [(ada.pk, None)]
    assert not ReplyDigest.objects.exists()

    assert reply_digests_send() == 1
    assert [str(email["To"]) for email in smtp_server.delivered] == [
        "bea@example.com",
        "ada@example.com",
    ]
    assert reply_digests_send() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("smtp_server", [[]], indirect=True)
def test_a_digest_left_by_a_run_that_died_is_sent_again_once_under_its_message_id(smtp_server):
    ada = _digest_reader("Ada", "ada@example.com")
    left = ReplyDigest.objects.create(user=ada, sender="digests-dead")
    ReplyDigest.objects.filter(pk=left.pk).update(created_at=timezone.now() - timedelta(hours=2))
    ReplyDigestItem.objects.update(digest=left)

    assert reply_digests_send() == 1
    assert reply_digests_send() == 0

    [email] = smtp_server.delivered
    assert str(email["Message-ID"]) == message_id(f"digest-{left.pk}-to-{ada.pk}")
    assert not ReplyDigest.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("smtp_server", [[]], indirect=True)
def test_a_digest_another_run_is_sending_is_not_sent_by_this_one(smtp_server):
    ada = _digest_reader("Ada", "ada@example.com")
    sending = ReplyDigest.objects.create(user=ada, sender="digests-other")
    ReplyDigestItem.objects.update(digest=sending)

    assert reply_digests_send() == 0

    assert smtp_server.delivered == []
    assert ReplyDigestItem.objects.get().digest == sending
