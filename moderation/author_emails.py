"""A moderation decision emailed to its comment's author, once, from a background task.

The decision's email (what it says is written by the action, moderation.actions._tell_author)
is queued as a task when the action commits, so the moderator's request never waits for the mail
server, and a mail server that refuses it for now has it tried again (core.email_tasks).

It is sent once however many times its task runs, by its ``DecisionEmail`` row, unique per
action and recipient, as the reply email is by its ``ReplyNotification``
(discussion.notifications.reply_notification_send): the row is written, and committed, before
the email is sent, and marked sent once the mail server took it. A run that finds the row sent,
or being sent by another task, sends nothing; one that finds it being sent by an earlier attempt
of its own task (whose worker was lost while sending) sends it again under the same
``Message-ID``. A send that fails deletes the row, so a task that tries again may send it.
"""

from __future__ import annotations

import hashlib

from django.core.mail import EmailMessage
from django.utils import timezone

from core.email_tasks import earlier_attempt, message_id
from moderation.models import DecisionEmail, ModerationAction


def _recipient(address: str) -> str:
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()


def _sending_claim(*, action_id: int, recipient: str, sender: str) -> DecisionEmail | None:
    """The row saying that ``sender`` is emailing the action's decision to ``recipient``,
    written now, or taken over from an earlier attempt of the same task; None when it is not
    this run's to send."""
    record, created = DecisionEmail.objects.get_or_create(
        action_id=action_id, recipient=recipient, defaults={"sender": sender}
    )
    if created:
        return record
    if record.sent_at is not None or not earlier_attempt(record.sender, sender):
        return None
    taken = DecisionEmail.objects.filter(
        pk=record.pk, sent_at__isnull=True, sender=record.sender
    ).update(sender=sender)
    return record if taken else None


def decision_email_send(
    *, action_id: int, address: str, subject: str, message: str, sender: str = ""
) -> bool:
    """Email ``message`` to ``address``, the author told of moderation action ``action_id``,
    once; True when mail went out. ``sender`` names the run (the task's id and attempt)."""
    if not ModerationAction.objects.filter(pk=action_id).exists():
        return False
    recipient = _recipient(address)
    sending = _sending_claim(action_id=action_id, recipient=recipient, sender=sender)
    if sending is None:
        return False
    email = EmailMessage(
        subject,
        message,
        None,
        [address],
        headers={"Message-ID": message_id(f"moderation-{action_id}-to-{recipient[:16]}")},
    )
    try:
        email.send()
    except BaseException:
        DecisionEmail.objects.filter(pk=sending.pk, sent_at__isnull=True).delete()
        raise
    DecisionEmail.objects.filter(pk=sending.pk).update(sent_at=timezone.now())
    return True
