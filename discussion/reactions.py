"""Reactions ("Recommend"): one per reader per comment, toggled, counted exactly.

Imported by ``discussion.services``: call them from there like every other write.

A reader is "u<user id>" when signed in and "g<guest cookie>" otherwise. The row in ``Reaction``
and the change to ``Comment.reaction_count`` are written in one transaction, with the thread
locked first (the order ``comment_set_status`` uses, so the two never deadlock), so the count
always equals the rows however many requests race.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from discussion import live
from discussion.identity import Commenter
from discussion.models import Comment, Reaction, Thread


class ReactionRefused(Exception):
    """The comment cannot be reacted to (not published, the reader's own, or its discussion
    closed), or the reader cannot be told apart. The message says which, in words the reader
    can be shown."""


REACTIONS_CLOSED = "This discussion is closed, and its recommendations can no longer be changed."


@dataclass(frozen=True)
class ReactionState:
    pressed: bool
    count: int


def reader_key_for(*, user_id: int | None, guest_key: str) -> str:
    """The key a reader's reactions are stored under, or "" when they have none yet."""
    if user_id is not None:
        return f"u{user_id}"
    return f"g{guest_key}" if guest_key else ""


@transaction.atomic
def reaction_toggle(
    *,
    comment: Comment,
    reader_key: str,
    user_id: int | None,
    guest_comment_ids: frozenset[int] = frozenset(),
) -> ReactionState:
    """Add the reader's reaction to ``comment``, or take it back if they had one.

    ``reader_key`` is the guest cookie's value; it is ignored for a signed-in reader (``user_id``).
    ``guest_comment_ids`` are the comments the guest's signed cookie says they wrote
    (``identity.guest_comment_ids``). A reader's own comment is refused: a recommendation is
    what other readers think of it.
    """
    key = reader_key_for(user_id=user_id, guest_key=reader_key)
    if not key:
        raise ReactionRefused("A reader without an account needs a guest cookie to react.")
    thread = Thread.objects.select_for_update().only("id", "is_closed").get(pk=comment.thread_id)
    if thread.is_closed:
        # A closed discussion stands as it was closed, its recommendations with it.
        raise ReactionRefused(REACTIONS_CLOSED)
    current = (
        Comment.objects.select_for_update().only("id", "status", "author_id").get(pk=comment.pk)
    )
    if current.status != Comment.Status.PUBLISHED:
        raise ReactionRefused("Only a published comment can be recommended.")
    # The same rule the page uses to offer Edit and Delete (and to leave out the button).
    if Commenter(user_id=user_id, guest_comment_ids=guest_comment_ids).owns(current):
        raise ReactionRefused("You cannot recommend your own comment.")
    removed, _ = Reaction.objects.filter(comment_id=comment.pk, reader_key=key).delete()
    if removed:
        delta = -1
    else:
        Reaction.objects.create(comment_id=comment.pk, reader_key=key)
        delta = 1
    Comment.objects.filter(pk=comment.pk).update(reaction_count=F("reaction_count") + delta)
    Thread.objects.filter(pk=comment.thread_id).update(version=F("version") + 1)
    count = Comment.objects.filter(pk=comment.pk).values_list("reaction_count", flat=True).get()
    comment.reaction_count = count
    live.thread_touched(comment.thread_id, kind="reaction", data={"id": comment.pk, "count": count})
    return ReactionState(pressed=not removed, count=count)
