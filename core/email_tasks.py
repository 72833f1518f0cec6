"""Emails sent by background tasks: which failures are worth trying again, and trying them again.

A mail server that answers 4xx (451 "try again later", 421 "too busy", greylisting) or cannot be
reached for now (connection refused, a timeout, the connection dropped, its name not resolved
for now: the resolver's "temporary failure", EAI_AGAIN; a TLS handshake cut short) refuses for a
while, not for good: the email task is queued again (a new task, django-tasks' own
``run_after`` keeping it back) after ``EMAIL_RETRY_SECONDS``, twice that, four times that..., up
to ``EMAIL_RETRIES`` times. A 5xx answer (550 "no such mailbox"), a refused login, an address
the server rejects, is permanent: trying again would get the same answer, so it is not tried
again; so is a mail server whose certificate does not verify, and a mail server's name that
does not exist (EAI_NONAME): the log says why (:func:`why_permanent`), for the operator to put
right.

Neither a task's row nor the log keeps an address: a mail server's refusal names the address it
refused (``SMTPRecipientsRefused`` is keyed by it, a 550 says "<olena@example.com>: no such
mailbox"), and the task backend keeps a failed task's traceback until it is pruned, past the
account's deletion. An email task raises :class:`EmailNotSent` in place of the mail server's
error, with its answer, any address in it written [address] (:func:`answer`); the log says the
same.

Every failed try is logged (WARNING while another is queued, ERROR when none is) with what it was
sending (the moderation action's id, the reply's), and the task's row is marked failed with the
mail server's answer, so each try shows in the task list. The task tried again is a task like any
other: what it sends is recorded as its first try's was (a second run sends nothing).

Every email task sends its email once however many times it runs (its worker lost, and the task
run again; a second task for the same email): :func:`send_once`, by a row per email in the
sending app's own model (moderation.DecisionEmail, discussion.ReplyNotification,
accounts.AccountEmail), written and committed before the email is sent.
"""

from __future__ import annotations

import hashlib
import logging
import re
import smtplib
import socket
import ssl
from collections.abc import Callable
from datetime import timedelta
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.utils import timezone
from django_tasks import TaskContext
from django_tasks.base import Task

logger = logging.getLogger(__name__)


def task_run(context: TaskContext) -> str:
    """The name an email task's run gives itself as its email's sender (``task id#attempt``),
    by which a later attempt of the same task knows an earlier one's record
    (:func:`earlier_attempt`)."""
    return f"{context.task_result.id}#{context.attempt}"


def earlier_attempt(recorded: str, sender: str) -> bool:
    """Whether ``recorded`` (``task id#attempt``, a record's sender) is an earlier attempt of
    ``sender``'s task: one whose worker was lost while it sent (core.workers), so the email it
    was sending is this attempt's to send."""
    task, _, attempt = sender.rpartition("#")
    recorded_task, _, recorded_attempt = recorded.rpartition("#")
    if not task or task != recorded_task:
        return False
    try:
        return int(recorded_attempt) < int(attempt)
    except ValueError:
        return False


def message_id(local: str) -> str:
    """An email's ``Message-ID`` from ``local`` ("reply-12-to-3"): the same for every copy of
    it, so that a copy sent again (its worker lost between the server's yes and the record's
    update) is known for one; the site's address in it, so that two sites sending from one
    domain (staging and production) never share one."""
    site = hashlib.blake2b(settings.SITE_BASE_URL.encode(), digest_size=4).hexdigest()
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<{local}.{site}@{domain}>"


def _sending_claim(
    records: type[Model], *, key: dict[str, Any], defaults: dict[str, Any], sender: str
) -> Model | None:
    """The row of ``records`` (unique per ``key``) saying that ``sender`` is sending its email,
    written now, or taken over from an earlier attempt of the same task; None when it is not
    this run's to send (see :func:`send_once`)."""
    rows = records._default_manager
    record, created = rows.get_or_create(**key, defaults={**defaults, "sender": sender})
    if created:
        return record
    if record.sent_at is not None or not earlier_attempt(record.sender, sender):
        return None
    taken = rows.filter(pk=record.pk, sent_at__isnull=True, sender=record.sender).update(
        sender=sender
    )
    return record if taken else None


def send_once(
    records: type[Model],
    *,
    key: dict[str, Any],
    sender: str,
    send: Callable[[], object],
    defaults: dict[str, Any] | None = None,
) -> bool:
    """Call ``send`` (which sends one email) once however many times its task runs; True when
    it sent, False when the email had been sent already or is being sent by another run.

    ``records`` is the model that records the emails sent (moderation.DecisionEmail,
    discussion.ReplyNotification, accounts.AccountEmail): a row per email, unique per ``key``
    (its fields' values), with a ``sender`` (the run sending it, :func:`task_run`) and a
    ``sent_at`` (empty while it is being sent); ``defaults`` are the other fields of a new row.
    ``sender`` names this run.

    The row is written, and committed, before the email is sent, and marked sent once the mail
    server took it. Sending inside the transaction that writes the row would make the two one on
    PostgreSQL, but on SQLite it would hold the database's one write lock for as long as the
    mail server takes (up to ``EMAIL_TIMEOUT``), and no reader could post a comment meanwhile.
    So a run that finds the row:

    - sent, or being sent by another task, sends nothing;
    - being sent by an earlier attempt of its own task (:func:`earlier_attempt`) sends it. That
      attempt's worker was lost while sending (a task runs again for no other reason,
      core.workers), and whether the mail server had taken the email cannot be known. Losing it
      is the worse outcome, so it is sent again, under the same ``Message-ID``
      (:func:`message_id`), by which mail systems drop a copy they already have: a second copy
      needs the worker to die in the moment between the server's yes and the row's update.

    A send that fails (the server refused it, or could not be reached) deletes the row, and
    raises: the email did not go out, and a later task (a try again) may send it."""
    record = _sending_claim(records, key=key, defaults=defaults or {}, sender=sender)
    if record is None:
        return False
    rows = records._default_manager
    try:
        send()
    except BaseException:
        rows.filter(pk=record.pk, sent_at__isnull=True).delete()
        raise
    rows.filter(pk=record.pk).update(sent_at=timezone.now())
    return True


def _codes(error: BaseException) -> list[int]:
    """The SMTP reply codes in ``error``: one, or one per recipient refused."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return [code for code, _ in error.recipients.values()]
    if isinstance(error, smtplib.SMTPResponseException):
        return [error.smtp_code]
    return []


def transient(error: BaseException) -> bool:
    """Whether the mail server refused ``error``'s email for now (4xx, or not reachable), so it
    is worth sending again later; False for a permanent refusal (5xx) and any other error.

    Not reachable for now: the connection refused, dropped or timed out; the mail server's name
    not resolved for now (the resolver's EAI_AGAIN: its DNS server down or slow); a TLS
    handshake that failed other than on the certificate (the connection closed in the middle of
    it, a server restarting). A certificate that does not verify, and a name that does not
    exist (EAI_NONAME, or any other answer of the resolver's), are not: trying again would meet
    them again."""
    codes = _codes(error)
    if codes:
        return all(400 <= code < 500 for code in codes)
    if isinstance(error, ssl.SSLCertVerificationError):
        return False
    if isinstance(error, socket.gaierror):
        return error.errno == socket.EAI_AGAIN
    return isinstance(
        error,
        smtplib.SMTPServerDisconnected
        | ConnectionError
        | TimeoutError
        | socket.timeout
        | ssl.SSLError,
    )


def why_permanent(error: BaseException) -> str:
    """Why trying ``error``'s email again cannot help (``error`` not :func:`transient`), as the
    log says it: what the operator is to put right."""
    if _codes(error):
        return "the mail server refused it for good (a 5xx answer)"
    if isinstance(error, ssl.SSLCertVerificationError):
        return (
            "the mail server's TLS certificate does not verify (expired, self-signed, or for "
            "another name than EMAIL_HOST); trying again cannot help until it, or EMAIL_HOST, "
            "is put right"
        )
    if isinstance(error, socket.gaierror):
        if error.errno == socket.EAI_NONAME:
            return (
                "the mail server's name (EMAIL_HOST) does not exist; trying again cannot help "
                "until EMAIL_HOST is put right"
            )
        return (
            "the mail server's name (EMAIL_HOST) could not be resolved, and the resolver said "
            "that trying again will not help"
        )
    if isinstance(error, smtplib.SMTPException | OSError):
        return "the mail server's answer will not change"
    return "trying again would fail the same way"


def retry_delay(retry: int) -> timedelta:
    """How long the ``retry``-th try again (1, 2, ...) waits: EMAIL_RETRY_SECONDS, doubled each
    time."""
    return timedelta(seconds=settings.EMAIL_RETRY_SECONDS * 2 ** (retry - 1))


# Anything shaped like an address (local@domain), as a mail server's answer names it.
_ADDRESS = re.compile(r"[^\s<>()\[\]{}'\",;:@]+@[^\s<>()\[\]{}'\",;:@]+")


class EmailNotSent(Exception):
    """An email task's try failed: the mail server's answer (or why it could not be reached),
    with no address in it, as the task's row keeps it."""


def answer(error: BaseException) -> str:
    """``error`` as the log and the task's row keep it: its kind and message, every address in
    it written ``[address]``."""
    return _ADDRESS.sub("[address]", f"{type(error).__name__}: {error}")


def _answer(error: BaseException) -> str:
    return answer(error)


def not_sent(error: BaseException) -> BaseException:
    """What an email task raises for ``error``: an :class:`EmailNotSent` saying the mail
    server's answer without its addresses when the mail server refused the email or could not
    be reached (the traceback then shows only the task's own lines); any other error (a fault
    of ours) as it is, to be mended."""
    if isinstance(error, smtplib.SMTPException | OSError):
        return EmailNotSent(answer(error))
    return error


def email_task_failed(
    task: Task, context: TaskContext, *, kwargs: dict, retry: int, error: BaseException, what: str
) -> None:
    """Log the failure of an email task's try (``retry`` tries before it; ``what`` says what it
    was sending, "moderation action 12 to its author"), and queue the task again, with
    ``kwargs`` and the next ``retry``, when the failure is transient and tries are left. The
    task then raises ``error``, so its row is marked failed with the mail server's answer."""
    task_id = context.task_result.id
    if not transient(error):
        logger.error(
            "Email task id=%s (%s) failed, not tried again (a permanent failure): %s; %s",
            task_id,
            what,
            _answer(error),
            why_permanent(error),
        )
        return
    if not task.get_backend().supports_defer:  # django-tasks' immediate backend, in tests
        logger.error(
            "Email task id=%s (%s) failed, not tried again (its task backend cannot run a task "
            "later): %s",
            task_id,
            what,
            _answer(error),
        )
        return
    if retry >= settings.EMAIL_RETRIES:
        logger.error(
            "Email task id=%s (%s) failed, not tried again (%d tries, EMAIL_RETRIES): %s",
            task_id,
            what,
            retry + 1,
            _answer(error),
        )
        return
    delay = retry_delay(retry + 1)
    again = task.using(run_after=timezone.now() + delay).enqueue(**kwargs, retry=retry + 1)
    logger.warning(
        "Email task id=%s (%s) failed for now, tried again in %ds as task id=%s (try %d of %d): %s",
        task_id,
        what,
        delay.total_seconds(),
        again.id,
        retry + 2,
        settings.EMAIL_RETRIES + 1,
        _answer(error),
    )
