"""Reply notification emails: who gets one, when, and what it says.

Reader text only ever reaches an email through the template engine (escaped in the HTML part)
or through :func:`_header_safe` (for the subject), so neither markup nor CR/LF header injection
can get through a display name or a comment.

A reader gets one email per reply, or (``Reader.reply_digest``) one a day: then each reply is
parked as a ``ReplyDigestItem`` and ``manage.py send_reply_digests``, run daily, sends them.

A reply is emailed (or parked, or put in a digest) only while its recipient could read the
article it is under (:func:`discussion.selectors.thread_readable_by_user`): an email would
otherwise carry the text of an unpublished or private article to someone it turns away.

A reply is told to its recipient once, however many times its task runs: each time it is emailed
or parked, a ``ReplyNotification`` row records it, unique per reply and recipient
(:func:`reply_notification_send` says how).
"""

from __future__ import annotations

import logging
import unicodedata
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.notifications import unsubscribe_url
from accounts.selectors import reader_for_user, reader_primary_email
from core.email_tasks import answer, message_id, send_once
from discussion.models import Comment, ReplyDigest, ReplyDigestItem, ReplyNotification
from discussion.selectors import thread_readable_by_user

logger = logging.getLogger(__name__)


def _header_safe(text: str, *, limit: int = 60) -> str:
    """``text`` fit for a mail header: control and format characters (CR, LF, bidi) dropped."""
    kept = "".join(char for char in text if unicodedata.category(char)[0] != "C")
    return " ".join(kept.split())[:limit] or "A reader"


def _send(
    *,
    to: str,
    reader_id: int,
    subject: str,
    template: str,
    context: dict,
    headers: dict[str, str] | None = None,
) -> None:
    unsubscribe = unsubscribe_url(reader_id=reader_id)
    context = {**context, "unsubscribe_url": unsubscribe, "site_name": settings.WAGTAIL_SITE_NAME}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"discussion/email/{template}.txt", context),
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            **(headers or {}),
        },
    )
    message.attach_alternative(
        render_to_string(f"discussion/email/{template}.html", context), "text/html"
    )
    message.send()


def _reply_context(reply: Comment) -> dict:
    return {
        "reply": reply,
        "thread_title": reply.thread.title,
        "reply_url": f"{settings.SITE_BASE_URL}/c/{reply.pk}/",
    }


def reply_notification_send(*, comment_id: int, sender: str = "") -> bool:
    """Email (or park for the digest) a reply to its parent's author, once; True when mail went
    out. ``sender`` names the run (the task's id and attempt, ``id#2``).

    Once, however many times it runs (a task whose worker was lost runs again, core.workers; a
    reply held and approved again queues a second task), by its ``ReplyNotification`` row, unique
    per reply and recipient:

    - **Parked for the digest:** the row and the ``ReplyDigestItem`` are written in one
      transaction, so the reply is parked exactly once.
    - **Emailed:** by :func:`core.email_tasks.send_once`: the row is written, and committed,
      before the email is sent (no transaction spans the mail server's answer: on SQLite it
      would hold the one write lock, and no reader could post a comment meanwhile), and marked
      sent once the mail server has taken it. A run that finds the row sent, or being sent by
      another task, sends nothing; one that finds it being sent by an earlier attempt of its own
      task (whose worker was lost while sending) sends it again, under the same ``Message-ID``:
      losing it is the worse outcome (the reader never hears of the reply). A send that fails
      deletes the row, so a later task may send it.
    """
    reply = (
        Comment.objects.filter(pk=comment_id, status=Comment.Status.PUBLISHED)
        .select_related("parent", "thread")
        .first()
    )
    if reply is None or reply.parent is None:
        return False
    parent = reply.parent
    if not parent.notify_replies:
        return False
    if parent.author_id is None or parent.author_id == reply.author_id:
        return False
    reader = reader_for_user(user_id=parent.author_id)
    if reader is None or not reader.notify_replies:
        return False
    address = reader_primary_email(user_id=parent.author_id)
    if address is None:
        return False
    if not thread_readable_by_user(thread_id=reply.thread_id, user_id=parent.author_id):
        return False
    if reader.reply_digest:
        with transaction.atomic():
            _, parked = ReplyNotification.objects.get_or_create(
                reply=reply,
                user_id=parent.author_id,
                defaults={"via": ReplyNotification.Via.DIGEST, "sent_at": timezone.now()},
            )
            if parked:
                ReplyDigestItem.objects.create(user_id=parent.author_id, comment=reply)
        return False
    return send_once(
        ReplyNotification,
        key={"reply": reply, "user_id": parent.author_id},
        defaults={"via": ReplyNotification.Via.EMAIL},
        sender=sender,
        send=lambda: _send(
            to=address,
            reader_id=reader.pk,
            subject=f"{_header_safe(reply.author_name)} replied to your comment",
            template="reply",
            context={"reader_name": reader.display_name, **_reply_context(reply)},
            headers={"Message-ID": _reply_message_id(reply_id=reply.pk, user_id=parent.author_id)},
        ),
    )


def _reply_message_id(*, reply_id: int, user_id: int) -> str:
    """The reply email's ``Message-ID``, the same for every copy of it (core.email_tasks)."""
    return message_id(f"reply-{reply_id}-to-{user_id}")


def _replies_still_readable(replies: list[Comment], *, user_id: int) -> list[Comment]:
    """The ``replies`` whose article the account can still read (one check per thread): one
    parked yesterday may be under an article since unpublished or made private."""
    readable = {
        thread_id: thread_readable_by_user(thread_id=thread_id, user_id=user_id)
        for thread_id in {reply.thread_id for reply in replies}
    }
    return [reply for reply in replies if readable[reply.thread_id]]


# A digest taken into sending this long ago and still there was left by a run that died: its
# mail server conversation (EMAIL_TIMEOUT, seconds) is long over.
DIGEST_LOST_AFTER = timedelta(hours=1)


def _digest_message_id(*, digest_id: int, user_id: int) -> str:
    """A digest's ``Message-ID``, the same for every copy of it (core.email_tasks)."""
    return message_id(f"digest-{digest_id}-to-{user_id}")


def _digest_claims(*, user_id: int, sender: str) -> list[ReplyDigest]:
    """The digests of ``user_id`` that are ``sender``'s to send: one left unsent by a run that
    died (taken over: it is sent again under its ``Message-ID``), and one of the replies waiting
    now (taken into it, and committed, before any is sent)."""
    claims = []
    lost = ReplyDigest.objects.filter(
        user_id=user_id, created_at__lt=timezone.now() - DIGEST_LOST_AFTER
    ).exclude(sender=sender)
    for digest in lost:
        if ReplyDigest.objects.filter(pk=digest.pk, sender=digest.sender).update(sender=sender):
            claims.append(digest)
    with transaction.atomic():
        digest = ReplyDigest.objects.create(user_id=user_id, sender=sender)
        if ReplyDigestItem.objects.filter(user_id=user_id, digest__isnull=True).update(
            digest=digest
        ):
            claims.append(digest)
        else:  # another run took them first
            digest.delete()
    return claims


def _digest_send(digest: ReplyDigest) -> bool:
    """Email ``digest``, taken by this run; True when mail went out. Its replies go with it once
    the mail server took it, or when there is nothing to send (the reader stopped the emails,
    has no address, or can no longer read any of them); a send that fails puts them back to
    wait for the next run, and raises."""
    user_id = digest.user_id
    reader = reader_for_user(user_id=user_id)
    address = reader_primary_email(user_id=user_id)
    replies = []
    if reader is not None and address is not None and reader.notify_replies:
        items = ReplyDigestItem.objects.filter(digest=digest).select_related("comment__thread")
        replies = _replies_still_readable(
            [
                item.comment
                for item in items.order_by("id")
                if item.comment.status == Comment.Status.PUBLISHED
            ],
            user_id=user_id,
        )
    if not replies:
        ReplyDigest.objects.filter(pk=digest.pk).delete()
        return False
    try:
        _send(
            to=address,
            reader_id=reader.pk,
            subject=f"{len(replies)} new repl{'y' if len(replies) == 1 else 'ies'} "
            "to your comments",
            template="digest",
            context={
                "reader_name": reader.display_name,
                "replies": [_reply_context(reply) for reply in replies],
            },
            headers={"Message-ID": _digest_message_id(digest_id=digest.pk, user_id=user_id)},
        )
    except BaseException:
        with transaction.atomic():
            ReplyDigestItem.objects.filter(digest=digest).update(digest=None)
            ReplyDigest.objects.filter(pk=digest.pk).delete()
        raise
    ReplyDigest.objects.filter(pk=digest.pk).delete()  # with its replies
    return True


def reply_digests_send(*, sender: str = "") -> int:
    """Send every waiting digest, one email per reader; returns how many emails went out.
    ``sender`` names the run (a new one each run when not given).

    Sent once, and with no transaction open while the mail server answers (on SQLite that
    would hold the database's one write lock, and no reader could post meanwhile): each
    reader's waiting replies are taken into a ``ReplyDigest``, committed, then the email is
    sent, then the digest and its replies are deleted. A run that dies after the mail server
    took a digest and before the deletion leaves it taken: a later run sends it again, an hour
    on at the earliest (:data:`DIGEST_LOST_AFTER`), under the same ``Message-ID``, by which mail
    systems drop a copy they already have; whether the first copy went out cannot be known, and
    losing the replies is the worse outcome. A digest the mail server refuses, or that cannot
    reach it, is logged and its replies wait for the next run; the other readers' are sent."""
    sender = sender or f"digests-{uuid.uuid4().hex[:12]}"
    sent = 0
    user_ids = sorted(
        set(ReplyDigestItem.objects.values_list("user_id", flat=True).distinct())
        | set(ReplyDigest.objects.values_list("user_id", flat=True).distinct())
    )
    for user_id in user_ids:
        for digest in _digest_claims(user_id=user_id, sender=sender):
            try:
                sent += _digest_send(digest)
            except Exception as error:
                logger.error(
                    "Reply digest for user %s not sent, its replies wait for the next run: %s",
                    user_id,
                    answer(error),
                )
    return sent
