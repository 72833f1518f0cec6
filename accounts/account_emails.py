"""allauth's emails (address confirmation, password reset, login codes, the notices of a change
to the account) sent by a background task, as the site's other emails are (core.email_tasks).

allauth writes each email in the reader's request, as it always did (ReaderAccountAdapter.
send_mail and allauth's templates: the same words, the same links); the request then only queues
it, so the reader never waits on the mail server, a mail server that refuses it for now has it
tried again, and a refusal is logged, where it was a server error (a 500) or lost.

The email carries a key to the account (a reset link, a confirmation link, a code), and the task
backend keeps a task's arguments until its row is pruned: the task is given the email sealed
(:func:`seal`: Fernet, with a key made from SECRET_KEY), never in clear, and nothing else of the
reader's but which of allauth's emails it is. Whoever can read the database but not SECRET_KEY
reads neither the address nor the key in it; whoever has SECRET_KEY can make those keys anyway.
A SECRET_KEY rotated away (kept in SECRET_KEY_FALLBACKS, from the environment) still opens what
was sealed before (MultiFernet: the current key, then each fallback; docs/deploy.md, "Changing
the secret key").

Every copy of one email, a second run of its task or a try again, carries the same
``Message-ID`` (sealed with it), by which mail systems drop a copy they already have.

It is sent once however many times its task runs, by its ``AccountEmail`` row, unique per
``Message-ID``, as every email task's is (core.email_tasks.send_once): the row is written, and
committed, before the email is sent, and marked sent once the mail server took it. A run that
finds the row sent, or being sent by another task, sends nothing; one that finds it being sent
by an earlier attempt of its own task (whose worker was lost while sending) sends it again. A
send that fails deletes the row, so a task that tries again may send it. The rows are deleted
with the tasks' own rows, once TASK_RESULTS_KEEP_DAYS have passed
(:func:`account_email_records_prune`): no task is left to send their emails again by then.
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import timedelta

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import AccountEmail
from core.email_tasks import message_id, send_once
from core.secret_keys import secret_keys

_SALT = "accounts.account_emails"


class Unreadable(Exception):
    """A sealed email that no key of this site opens (SECRET_KEY changed with no fallback)."""


def _fernet() -> MultiFernet:
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    salted_hmac(_SALT, "seal", secret=s, algorithm="sha256").digest()
                )
            )
            for s in secret_keys()
        ]
    )


def seal(message: EmailMessage) -> str:
    """``message`` (allauth's, as rendered) sealed for the task's arguments, with the
    ``Message-ID`` every copy of it will carry."""
    email = {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": {
            **message.extra_headers,
            "Message-ID": message_id(f"account-{uuid.uuid4().hex}"),
        },
        "alternatives": [
            [content, mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
    }
    return _fernet().encrypt(json.dumps(email).encode()).decode()


def unseal(sealed: str) -> EmailMultiAlternatives:
    """The email :func:`seal` sealed, ready to send."""
    try:
        email = json.loads(_fernet().decrypt(sealed.encode()))
    except InvalidToken as error:
        raise Unreadable(
            "no key of this site opens it: SECRET_KEY was changed, and the key it was sealed "
            "with is not in SECRET_KEY_FALLBACKS"
        ) from error
    message = EmailMultiAlternatives(
        email["subject"],
        email["body"],
        email["from_email"],
        email["to"],
        headers=email["headers"],
    )
    for content, mimetype in email["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message


def account_email_send(*, sealed: str, sender: str = "") -> bool:
    """Send the email :func:`seal` sealed, once (core.email_tasks.send_once, by its
    ``AccountEmail`` row); True when it went out, False when it had been sent already (or is
    being sent by another task). ``sender`` names the run (the task's id and attempt,
    ``id#2``)."""
    message = unseal(sealed)
    return send_once(
        AccountEmail,
        key={"message_id": message.extra_headers["Message-ID"]},
        sender=sender,
        send=message.send,
    )


def account_email_records_prune(*, days: int) -> int:
    """Delete the ``AccountEmail`` rows written more than ``days`` days ago, as the scheduler
    prunes finished tasks' rows (TASK_RESULTS_KEEP_DAYS): a row is only needed while a task may
    still send its email (a lost worker's, run again within minutes; a try again, within
    EMAIL_RETRIES' delays). How many were deleted."""
    deleted, _ = AccountEmail.objects.filter(
        created_at__lt=timezone.now() - timedelta(days=days)
    ).delete()
    return deleted
