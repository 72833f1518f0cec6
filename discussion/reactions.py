"""Reactions ("Recommend"): one per reader per comment, toggled, counted exactly.

Imported by ``discussion.services``: call them from there like every other write.

A reader is "u<user id>" when signed in and "g<guest cookie>" otherwise. The row in ``Reaction``
and the change to ``Comment.reaction_count`` are written in one transaction, with the thread
locked first (the order ``comment_set_status`` uses, so the two never deadlock), so the count
always equals the rows however many requests race.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from core import retention
from discussion import live, reaction_checks
from discussion.identity import Commenter
from discussion.models import Comment, Reaction, Thread


class ReactionRefused(Exception):
    """The comment cannot be reacted to (not published, the reader's own, or its discussion
    closed), the reader may not recommend (an app's check: ``discussion.reaction_checks``), or
    the reader cannot be told apart. The message says which, in words the reader
    can be shown; ``link`` (named by ``link_label``) is where they read more, if anywhere."""

    def __init__(self, message: str, *, link: str = "", link_label: str = ""):
        super().__init__(message)
        self.link, self.link_label = link, link_label


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
    network: str | None = None,
) -> ReactionState:
    """Add the reader's reaction to ``comment``, or take it back if they had one.

    ``reader_key`` is the guest cookie's value; it is ignored for a signed-in reader (``user_id``).
    ``guest_comment_ids`` are the comments the guest's signed cookie says they wrote
    (``identity.guest_comment_ids``). A reader's own comment is refused: a recommendation is
    what other readers think of it. ``network`` is where the press came from
    (``core.client.client_network``), kept with a new reaction for moderation to see bursts from
    few places.
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
        # Taking one back is always allowed; adding one, only where no app's rule forbids it
        # (a reader banned from commenting, say).
        if reason := reaction_checks.refusal(
            user_id=user_id, guest_key="" if user_id is not None else reader_key
        ):
            raise ReactionRefused(reason.message, link=reason.link, link_label=reason.link_label)
        Reaction.objects.create(comment_id=comment.pk, reader_key=key, network=network)
        delta = 1
    Comment.objects.filter(pk=comment.pk).update(reaction_count=F("reaction_count") + delta)
    Thread.objects.filter(pk=comment.thread_id).update(version=F("version") + 1)
    count = Comment.objects.filter(pk=comment.pk).values_list("reaction_count", flat=True).get()
    comment.reaction_count = count
    live.thread_touched(comment.thread_id, kind="reaction", data={"id": comment.pk, "count": count})
    return ReactionState(pressed=not removed, count=count)


@transaction.atomic
def reactions_remove(*, comment_id: int, reaction_ids: Iterable[int]) -> int:
    """Take away those of ``reaction_ids`` that are still on the comment (a moderator discounting
    a coordinated push: moderation.brigades); how many went.

    As :func:`reaction_toggle` takes one back: under the thread's lock, the count set again from
    the rows, the thread's version bumped (its cached pages redraw) and the new count sent to
    open pages. A closed discussion is no exception: the push is taken out of its counts too.
    """
    comment = Comment.objects.only("id", "thread_id").get(pk=comment_id)
    Thread.objects.select_for_update().only("id").get(pk=comment.thread_id)
    removed, _ = Reaction.objects.filter(comment_id=comment_id, pk__in=list(reaction_ids)).delete()
    if not removed:
        return 0
    count = Reaction.objects.filter(comment_id=comment_id).count()
    Comment.objects.filter(pk=comment_id).update(reaction_count=count)
    Thread.objects.filter(pk=comment.thread_id).update(version=F("version") + 1)
    live.thread_touched(comment.thread_id, kind="reaction", data={"id": comment_id, "count": count})
    return removed


def reaction_networks_of_reader_empty(*, user_id: int) -> int:
    """Forget where a member's recommendations came from when they delete their account
    (``accounts.erasures``, in the deletion's transaction): the recommendations stay counted, as
    a deleted account's always have, without the networks (personal data, kept only for
    moderation's look for bursts). One update on the ``reaction_reader`` index."""
    return (
        Reaction.objects.filter(reader_key=reader_key_for(user_id=user_id, guest_key=""))
        .exclude(network=None)
        .update(network=None)
    )


def reaction_networks_clear(*, before: datetime, batch: int, mark: str) -> int:
    """Forget where recommendations made before ``before`` came from (core.retention, daily,
    after IP_RETENTION_DAYS): they stay counted, with the network null, as a recommendation
    loaded in bulk has it, which moderation's look for bursts (minutes old) never reads.
    Batches found through the ``reaction_created`` index; how many were cleared."""
    return retention.clear_before(
        Reaction.objects.filter(network__isnull=False),
        before=before,
        cleared={"network": None},
        batch=batch,
        time_field="created_at",
        mark=mark,
    )


_COUNTED_AT_ONCE = 500  # comments whose counts one UPDATE sets again (well inside SQLite's limit)


@transaction.atomic
def reactions_add_many(*, thread_id: int, guest_reactions: Iterable[tuple[int, str]]) -> int:
    """Add many guests' recommendations to one thread at once: each (comment id, guest key) that
    is not there yet, on a published comment of the thread. Return how many were added.

    For recommendations that no reader is pressing a button for (the demo's readers, loaded in
    bulk): the rows and counts are what :func:`reaction_toggle` would leave after adding each in
    turn, written in a few statements rather than eight apiece. A guest key names no author, so
    no comment is anyone's own here; a closed discussion takes none, as it takes no toggle. The
    counts are set again from the rows, so they equal them whatever was there before.
    """
    thread = Thread.objects.select_for_update().only("id", "is_closed").get(pk=thread_id)
    if thread.is_closed:
        raise ReactionRefused(REACTIONS_CLOSED)
    wanted: dict[tuple[int, str], None] = {}
    for comment_id, guest_key in guest_reactions:
        key = reader_key_for(user_id=None, guest_key=guest_key)
        if not key:
            raise ReactionRefused("A reader without an account needs a guest cookie to react.")
        wanted[(comment_id, key)] = None
    comment_ids = {comment_id for comment_id, _key in wanted}
    published = set(
        Comment.objects.filter(
            thread_id=thread_id, pk__in=comment_ids, status=Comment.Status.PUBLISHED
        ).values_list("pk", flat=True)
    )
    there = set(
        Reaction.objects.filter(
            comment_id__in=published, reader_key__in={key for _c, key in wanted}
        ).values_list("comment_id", "reader_key")
    )
    new = [
        Reaction(comment_id=comment_id, reader_key=key)
        for comment_id, key in wanted
        if comment_id in published and (comment_id, key) not in there
    ]
    if not new:
        return 0
    Reaction.objects.bulk_create(new, batch_size=_COUNTED_AT_ONCE)
    counted = sorted({reaction.comment_id for reaction in new})
    rows = (
        Reaction.objects.filter(comment_id=OuterRef("pk"))
        .order_by()
        .values("comment_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    for start in range(0, len(counted), _COUNTED_AT_ONCE):
        Comment.objects.filter(pk__in=counted[start : start + _COUNTED_AT_ONCE]).update(
            reaction_count=Coalesce(Subquery(rows), Value(0))
        )
    Thread.objects.filter(pk=thread_id).update(version=F("version") + 1)
    live.thread_touched(thread_id)
    return len(new)
