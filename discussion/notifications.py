"""Reply notification emails: who gets one, when, and what it says.

Reader text only ever reaches an email through the template engine (escaped in the HTML part)
or through :func:`_header_safe` (for the subject), so neither markup nor CR/LF header injection
can get through a display name or a comment.

A reader gets one email per reply, or (``Reader.reply_digest``) one a day: then each reply is
parked as a ``ReplyDigestItem`` and ``manage.py send_reply_digests``, run daily, sends them.

A reply is emailed (or parked, or put in a digest) only while its recipient could read the
article it is under (:func:`discussion.selectors.thread_readable_by_user`): an email would
otherwise carry the text of an unpublished or private article to someone it turns away.
"""

from __future__ import annotations

import unicodedata
from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string

from accounts.notifications import unsubscribe_url
from accounts.selectors import reader_for_user, reader_primary_email
from discussion.models import Comment, ReplyDigestItem
from discussion.selectors import thread_readable_by_user


def _header_safe(text: str, *, limit: int = 60) -> str:
    """``text`` fit for a mail header: control and format characters (CR, LF, bidi) dropped."""
    kept = "".join(char for char in text if unicodedata.category(char)[0] != "C")
    return " ".join(kept.split())[:limit] or "A reader"


def _send(*, to: str, reader_id: int, subject: str, template: str, context: dict) -> None:
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


def reply_notification_send(*, comment_id: int) -> bool:
    """Email (or park for the digest) a reply to its parent's author; True when mail went out."""
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
        ReplyDigestItem.objects.create(user_id=parent.author_id, comment=reply)
        return False
    _send(
        to=address,
        reader_id=reader.pk,
        subject=f"{_header_safe(reply.author_name)} replied to your comment",
        template="reply",
        context={"reader_name": reader.display_name, **_reply_context(reply)},
    )
    return True


def _replies_still_readable(replies: list[Comment], *, user_id: int) -> list[Comment]:
    """The ``replies`` whose article the account can still read (one check per thread): one
    parked yesterday may be under an article since unpublished or made private."""
    readable = {
        thread_id: thread_readable_by_user(thread_id=thread_id, user_id=user_id)
        for thread_id in {reply.thread_id for reply in replies}
    }
    return [reply for reply in replies if readable[reply.thread_id]]


def reply_digests_send() -> int:
    """Send every waiting digest, one email per reader; returns how many emails went out."""
    sent = 0
    items = list(
        ReplyDigestItem.objects.select_related("comment__thread").order_by("user_id", "id")
    )
    for user_id, group in groupby(items, key=lambda item: item.user_id):
        group = list(group)
        with transaction.atomic():
            ReplyDigestItem.objects.filter(pk__in=[item.pk for item in group]).delete()
            reader = reader_for_user(user_id=user_id)
            address = reader_primary_email(user_id=user_id)
            if reader is None or address is None or not reader.notify_replies:
                continue
            replies = _replies_still_readable(
                [item.comment for item in group if item.comment.status == Comment.Status.PUBLISHED],
                user_id=user_id,
            )
            if not replies:
                continue
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
            )
            sent += 1
    return sent
