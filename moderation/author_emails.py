"""A moderation decision emailed to its comment's author, once, from a background task.

The decision's email is queued as a task with the action, its row written in the action's
transaction (moderation.actions._tell_author, core.task_queue), so the moderator's request never
waits for the mail server, and a mail server that refuses it for now has it tried again
(core.email_tasks).

The task is given ids only, the action's and its author's account's (none for a guest): the task
backend keeps its row, arguments and all, until it is pruned, and an address, a comment's words
or a statement's key kept there would outlive the account's deletion and the comment's removal.
What the email says is written here, when the task runs, from the action (:func:`decision_text`);
an account deleted, or a comment removed, by then is sent nothing, and the log says why.

It is sent once however many times its task runs, by its ``DecisionEmail`` row, unique per
action and recipient, as every email task's is (core.email_tasks.send_once): the row is
written, and committed, before the email is sent, and marked sent once the mail server took it.
A run that finds the row sent, or being sent by another task, sends nothing; one that finds it
being sent by an earlier attempt of its own task (whose worker was lost while sending) sends it
again under the same ``Message-ID``. A send that fails deletes the row, so a task that tries
again may send it.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone

from core.email_tasks import message_id, send_once
from discussion.models import Comment, Thread
from moderation import statement_links
from moderation.models import CommentReview, DecisionEmail, ModerationAction
from moderation.reasons import BAN_REASONS, plain
from newsroom.links import absolute

logger = logging.getLogger(__name__)
Kind = ModerationAction.Kind
# Decisions about a reader's ban, logged with no comment: the ban, and its appeal's answer.
_ABOUT_A_BAN = (Kind.BAN, Kind.APPEAL_UPHELD, Kind.APPEAL_DENIED)


@dataclass(frozen=True)
class DecisionText:
    subject: str
    message: str
    link_label: str


def decision_text(action: ModerationAction) -> DecisionText | None:
    """What the email of ``action`` says, before the comment and the link (None for an action
    whose author is not emailed)."""
    note = action.note
    if action.kind == Kind.REJECT:
        removed = bool((action.evidence or {}).get("was_published"))  # readers had it
        return DecisionText(
            "Your comment was removed" if removed else "Your comment was not published",
            f"{plain(action.reason_code)}\n"
            + (f"The moderator's note: {note}\n" if note else "")
            + f"\nYou can appeal within {settings.MODERATION_APPEAL_DAYS:,} days, on the page "
            "below.",
            "The decision, and how to appeal",
        )
    if action.kind == Kind.WARN:
        return DecisionText(
            "A warning from the moderators",
            f"A moderator warned you about this comment. {plain(action.reason_code)}"
            + (f"\nThe moderator's note: {note}" if note else ""),
            "The warning, on the site",
        )
    # An appeal is decided once: the statement offers no second appeal of the decision.
    if action.kind == Kind.APPEAL_UPHELD:
        return DecisionText(
            "Your appeal was decided",
            "Your appeal was upheld and your comment is published again.",
            "The decision, on the site",
        )
    if action.kind == Kind.APPEAL_DENIED:
        return DecisionText(
            "Your appeal was decided",
            f"Your appeal was turned down. {note}",
            "The decision, on the site",
        )
    return None


def _message(action: ModerationAction, comment: Comment, text: DecisionText) -> str:
    """The email's body: which comment it is about (the article's headline, and the start of
    the text), the decision, and a link to the comment's statement of reasons, where the author
    reads it and appeals (a reader with comments on several stories could not tell which one was
    meant). The link carries the key that opens it where the email is read, which may not be
    where they commented, dated from the decision."""
    headline = Thread.objects.filter(pk=comment.thread_id).values_list("title", flat=True).first()
    excerpt = " ".join(comment.body.split())
    excerpt = excerpt if len(excerpt) <= 120 else excerpt[:119].rstrip() + "…"
    reader_key = (
        CommentReview.objects.filter(comment=comment).values_list("reader_key", flat=True).first()
    )
    why = absolute(
        statement_links.statement_path(
            comment_id=comment.pk, reader_key=reader_key or "", made_at=action.created_at
        )
    )
    return (
        f"Your comment on “{headline or 'an article'}”:\n\n“{excerpt}”\n\n{text.message}\n\n"
        f"{text.link_label}: {why}"
    )


def _ban_text(action: ModerationAction) -> DecisionText | None:
    """What the email of a decision about a member's ban says (the ban, or its appeal's answer),
    before the link to the ban's statement (None for anything else)."""
    if action.kind == Kind.BAN:
        until = (action.evidence or {}).get("until")
        ends = (
            f"until {timezone.localtime(datetime.fromisoformat(until)):%-d %B %Y, %H:%M}"
            if until
            else "with no end date"
        )
        reason = BAN_REASONS.get(action.reason_code)
        return DecisionText(
            "You cannot comment for now",
            f"A moderator banned you from commenting on this site, {ends}."
            + (f"\nThe moderators' reason: {reason}." if reason else "")
            + (f"\nThe moderator's note: {action.note}" if action.note else "")
            + f"\n\nYou can appeal within {settings.MODERATION_APPEAL_DAYS:,} days, on the page "
            "below (signed in).",
            "The decision, and how to appeal",
        )
    if action.kind == Kind.APPEAL_UPHELD:
        return DecisionText(
            "Your appeal was decided",
            "Your appeal was upheld and your ban is lifted: you can comment again.",
            "The decision, on the site",
        )
    if action.kind == Kind.APPEAL_DENIED:
        return DecisionText(
            "Your appeal was decided",
            f"Your appeal of your ban was turned down. {action.note}",
            "The decision, on the site",
        )
    return None


def _ban_email(action: ModerationAction, user_id: int | None) -> tuple[str, str, str] | None:
    """A decision about a ban, emailed to the member banned (a guest's ban names no address)."""
    text = _ban_text(action)
    if text is None or user_id is None or action.reader_key != f"user:{user_id}":
        logger.info("Moderation action %s: no email about a ban, no member to tell.", action.pk)
        return None
    address = get_user_model().objects.filter(pk=user_id).values_list("email", flat=True).first()
    if not address:
        logger.info("Moderation action %s: no email about a ban, no address.", action.pk)
        return None
    link = absolute(reverse("moderation:ban"))
    return address, text.subject, f"{text.message}\n\n{text.link_label}: {link}"


def decision_email(*, action_id: int, user_id: int | None) -> tuple[str, str, str] | None:
    """The email telling the author of ``action_id``'s comment of it, as (address, subject,
    body), written now from the database; None, logged with the reason, when there is no one to
    tell any more: the action or its comment gone, the comment deleted by its author, the
    account ``user_id`` (None: a guest, emailed at the address they gave) deleted or no longer
    the comment's author, no address."""
    action = ModerationAction.objects.filter(pk=action_id).select_related("comment").first()
    if action is not None and action.comment_id is None and action.kind in _ABOUT_A_BAN:
        return _ban_email(action, user_id)
    why_not = None
    if action is None:
        why_not = "the action is gone"
    elif (text := decision_text(action)) is None:
        why_not = f"a {action.kind} action tells its author nothing"
    elif (comment := action.comment) is None or comment.status == Comment.Status.DELETED:
        why_not = "its comment is gone"
    elif user_id is not None and comment.author_id != user_id:
        why_not = "the author's account is gone"
    else:
        if user_id is None:
            address = comment.author_email
        else:
            address = (
                get_user_model().objects.filter(pk=user_id).values_list("email", flat=True).first()
            )
        if not address:
            why_not = "the author has no address"
    if why_not is not None:
        logger.info("Moderation action %s: no email to its author, %s.", action_id, why_not)
        return None
    return address, text.subject, _message(action, comment, text)


def _recipient(address: str) -> str:
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()


def decision_email_send(*, action_id: int, user_id: int | None, sender: str = "") -> bool:
    """Email moderation action ``action_id`` to its comment's author (the account ``user_id``,
    or None for a guest), once (core.email_tasks.send_once, by its ``DecisionEmail`` row); True
    when mail went out. ``sender`` names the run (the task's id and attempt)."""
    email = decision_email(action_id=action_id, user_id=user_id)
    if email is None:
        return False
    address, subject, message = email
    recipient = _recipient(address)
    mail = EmailMessage(
        subject,
        message,
        None,
        [address],
        headers={"Message-ID": message_id(f"moderation-{action_id}-to-{recipient[:16]}")},
    )
    return send_once(
        DecisionEmail,
        key={"action_id": action_id, "recipient": recipient},
        sender=sender,
        send=mail.send,
    )
