"""Writes a reader makes to their own comments: edit, delete, and erase on account deletion.

Kept beside ``services.py`` (same rules: keyword-only arguments, one path per change) because
``comment_create`` and screening change there often; these functions share only the text checks.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core import db
from discussion import author_removals, live, screening
from discussion.edit_window import EDIT_GRACE_FACTOR, edit_save_deadline, edit_window_open
from discussion.errors import CommentForbidden, CommentRefused
from discussion.models import Comment, CommentRevision, Thread
from discussion.rendering import render_comment_html
from discussion.services import _body_problem

DELETED_ACCOUNT_NAME = "Deleted account"


def _owns(comment: Comment, *, user_id: int | None, guest_comment_ids: frozenset[int]) -> bool:
    if comment.author_id is not None:
        return user_id is not None and comment.author_id == user_id
    return comment.pk in guest_comment_ids


def _keep_revision(comment: Comment) -> None:
    CommentRevision.objects.create(
        comment=comment,
        body=comment.body,
        html=comment.html,
        written_at=comment.edited_at or comment.created_at,
    )


def _lock_thread(thread_id: int) -> None:
    """Hold the thread's row lock, as ``comment_create`` does, so counters stay exact."""
    Thread.objects.select_for_update().only("id").get(pk=thread_id)


def _status_now(comment: Comment) -> str | None:
    """The comment's status as its row says now (None: it is gone), locked until the caller's
    transaction ends."""
    return (
        Comment.objects.select_for_update().filter(pk=comment.pk).values_list("status", flat=True)
    ).first()


def _count_unpublished(comment: Comment) -> None:
    """Take a comment that was published out of its thread's and its root's counts."""
    Thread.objects.filter(pk=comment.thread_id).update(comment_count=F("comment_count") - 1)
    if comment.root_id:
        Comment.objects.filter(pk=comment.root_id, reply_count__gt=0).update(
            reply_count=F("reply_count") - 1
        )


def comment_edit(
    *,
    comment: Comment,
    body: str,
    user_id: int | None,
    guest_comment_ids: frozenset[int] = frozenset(),
    guest_key: str = "",
    opened_token: str = "",
    now: datetime | None = None,
) -> Comment:
    """Replace the text of one's own comment within the edit window, keeping the old text.

    ``guest_key`` is a guest's cookie: screening then knows the edit as the same reader's who
    posted the comment (their history, their limits), not as a name at no address.

    ``opened_token`` is the signed time the edit page was opened (``edit_window``): from a page
    opened within the window, the edit may be saved for ten windows after that. Without a good
    one, the window alone decides.

    Raises :class:`CommentForbidden` when the comment is not the reader's, and
    :class:`CommentRefused` (changing nothing) when the time has passed or the text is bad.
    """
    now = now or timezone.now()
    if not _owns(comment, user_id=user_id, guest_comment_ids=guest_comment_ids):
        raise CommentForbidden("This is not your comment, so you cannot edit it.")
    if comment.status not in (Comment.Status.PUBLISHED, Comment.Status.PENDING):
        raise CommentRefused({"__all__": "This comment can no longer be edited."})
    if now > edit_save_deadline(comment=comment, token=opened_token):
        minutes = settings.COMMENT_EDIT_WINDOW_MINUTES
        raise CommentRefused(
            {
                "__all__": f"Comments can be edited for {minutes} minutes after posting, and "
                f"changes made on a page opened in that time can be saved for "
                f"{minutes * EDIT_GRACE_FACTOR} minutes after it was opened. That time has "
                "passed, so nothing was changed."
            }
        )
    if problem := _body_problem(body):
        raise CommentRefused({"body": problem})
    body = body.strip()
    if body == comment.body:
        return comment
    submission = screening.Submission(
        thread_id=comment.thread_id,
        body=body,
        author_name=comment.author_name,
        user_id=user_id,
        guest_key="" if user_id else guest_key,
        parent_id=comment.parent_id,
        ip_address=None,
        # Not "reader": an edit is not a new post, so posting rate limits do not apply. Word
        # and link rules do, and so do the holds on the reader and the page (pre-moderation,
        # first comments) and on a text a moderator approved: new words must not reach readers
        # by a way round the review a new comment would get.
        source="edit",
        confirmed=True,
        comment_id=comment.pk,
        staff=comment.author_is_staff,  # written as staff: edited under the same trust
    )
    screened_status = comment.status
    verdict = screening.screen(submission)
    if verdict.outcome == "reject":
        raise CommentRefused(
            {"body": " ".join(verdict.reasons) or "This edit was refused."}, codes=verdict.codes
        )
    with transaction.atomic():
        _lock_thread(comment.thread_id)
        if _status_now(comment) != screened_status:
            # A moderator decided (approved, rejected) while the edit was screened, and the
            # verdict may rest on what was true before: nothing is saved on a stale verdict.
            raise CommentRefused(
                {
                    "__all__": "A moderator acted on this comment while you were editing it, "
                    "so nothing was changed. Open it again to edit it."
                }
            )
        _keep_revision(comment)
        if verdict.outcome != "publish" and comment.status == Comment.Status.PUBLISHED:
            comment.status = Comment.Status.PENDING  # held for review, like a new comment
            _count_unpublished(comment)
        comment.body = body
        comment.html = render_comment_html(body)
        comment.edited_at = now
        comment.save(update_fields=["body", "html", "edited_at", "status"])
        # The same hooks as a new comment's, in this transaction: an edit held for review is
        # recorded (why, and in the moderators' queue) with the change, never without it.
        for row in screening.run_on_saved(comment, submission, verdict):
            db.insert(row)
        Thread.objects.filter(pk=comment.thread_id).update(version=F("version") + 1)
        live.thread_touched(comment.thread_id)
    return comment


def _comment_remove(comment: Comment, *, shell_name: str | None = None) -> Comment | None:
    """Remove a comment; with replies it stays as a "deleted" shell so they still read.

    Runs inside the caller's transaction with the thread locked, so no reply can arrive
    between the check for replies and the change.
    """
    was_published = comment.status == Comment.Status.PUBLISHED
    if comment.children.exists():
        if comment.status != Comment.Status.DELETED and shell_name is None:
            _keep_revision(comment)
        comment.status = Comment.Status.DELETED
        comment.body = ""
        comment.html = ""
        if shell_name is not None:
            comment.author_name = shell_name
            comment.author_id = None
        comment.save(update_fields=["status", "body", "html", "author_name", "author"])
        if was_published:
            Thread.objects.filter(pk=comment.thread_id).update(comment_count=F("comment_count") - 1)
        return comment
    if was_published:
        _count_unpublished(comment)
    comment.delete()
    return None


def comment_delete(
    *,
    comment: Comment,
    user_id: int | None,
    guest_comment_ids: frozenset[int] = frozenset(),
    now: datetime | None = None,
) -> Comment | None:
    """Delete one's own comment; returns the shell left behind, or None when it is gone.

    A signed-in reader may delete their comment at any time; a guest only within the edit
    window (their signed cookie says which comments are theirs).
    """
    if not _owns(comment, user_id=user_id, guest_comment_ids=guest_comment_ids):
        raise CommentForbidden("This is not your comment, so you cannot delete it.")
    if comment.status == Comment.Status.DELETED:
        raise CommentRefused({"__all__": "This comment is already deleted."})
    if comment.author_id is None and not edit_window_open(comment, now=now):
        raise CommentRefused(
            {"__all__": "The time in which a guest can delete their comment has passed."}
        )
    with transaction.atomic():
        _lock_thread(comment.thread_id)
        comment.refresh_from_db()
        author_removals.removing([comment.pk])
        left = _comment_remove(comment)
        Thread.objects.filter(pk=comment.thread_id).update(version=F("version") + 1)
        live.thread_touched(comment.thread_id)
    return left


@transaction.atomic
def comments_of_reader_erase(*, user_id: int, mode: str) -> int:
    """Before an account is deleted: keep its comments under "Deleted account", or remove them.

    Returns how many comments were touched. Earlier versions go with the personal data in both
    modes; with "remove", comments that have replies leave an anonymous shell.
    """
    comments = list(Comment.objects.filter(author_id=user_id).order_by("-depth", "-id"))
    thread_ids = sorted({comment.thread_id for comment in comments})
    for thread_id in thread_ids:
        _lock_thread(thread_id)
    CommentRevision.objects.filter(comment__author_id=user_id).delete()
    if mode == "keep":
        Comment.objects.filter(author_id=user_id).update(
            author_name=DELETED_ACCOUNT_NAME, author=None
        )
    else:
        author_removals.removing([comment.pk for comment in comments])
        for comment in comments:
            comment.refresh_from_db()
            _comment_remove(comment, shell_name=DELETED_ACCOUNT_NAME)
    Thread.objects.filter(pk__in=thread_ids).update(version=F("version") + 1)
    for thread_id in thread_ids:
        live.thread_touched(thread_id)
    return len(comments)


def comments_of_member_rename(*, user_id: int, display_name: str) -> int:
    """A member changed their display name: their comments show it, as on peer platforms.

    Called by ``accounts.services`` (through ``accounts.renames``) inside the transaction that
    saves the name. One UPDATE names the member's comments anew, whatever their state: a
    moderator's record of what was decided about them is in moderation's own rows, which keep
    no copy of the name, and the member's earlier names are in their name history
    (``accounts.models.ReaderNameChange``) for moderators to see. Each thread those comments
    are on gets a new version, and after commit its page's and thread's cache tokens move, all
    in one write (``live.threads_touched``). The fragments drawn of a comment are keyed by the
    name drawn (a reply's by its parent's too), so they are drawn again. Returns how many
    comments changed.
    """
    mine = Comment.objects.filter(author_id=user_id).exclude(author_name=display_name)
    threads = list(
        Thread.objects.filter(pk__in=mine.values("thread_id")).values_list("pk", "page_id")
    )
    changed = mine.update(author_name=display_name)
    Thread.objects.filter(pk__in=[pk for pk, _page in threads]).update(version=F("version") + 1)
    live.threads_touched(threads)
    return changed


def comment_set_reply_emails(*, comment: Comment, user_id: int | None, on: bool) -> Comment:
    """The per-comment switch: email me (or not) about replies to this one comment."""
    if comment.author_id is None or comment.author_id != user_id:
        raise CommentForbidden("This is not your comment.")
    Comment.objects.filter(pk=comment.pk).update(notify_replies=on)
    comment.notify_replies = on
    return comment
