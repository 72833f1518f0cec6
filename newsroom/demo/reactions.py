"""Readers' recommendations for the demo's comments, written in bulk.

They are written by ``discussion.services.reactions_add_many``, which leaves the rows and counts
the Recommend button's ``reaction_toggle`` would, in a few statements for the lot (on a fresh
load about 30 times faster than one toggle each). Each is from a distinct demo reader: a guest key
no browser holds (signed guest cookies cannot be forged), and never a comment's author, as the
demo's comments are guests' and carry no key of their own.

- The reference thread: each comment is recommended by as many readers as its
  ``recommended_by`` in ``content.REFERENCE_COMMENTS`` says.
- The long thread: drawn once, from a fixed seed, as attention falls on a busy thread. Early
  comments are read by everyone: most get none to five, and about one top-level comment in ten
  (one reply in fifty) catches on with dozens. Readers drift away as the thread grows, so by a few
  hundred comments in, a comment mostly gets none (one in fifty still gets a few). Each comment's
  draw depends only on the comments before it, so a thread topped up later keeps what it had.
  About 1,500 recommendations for 10,000 comments.

Loading again adds only what is missing: a demo reader's recommendation is made only where it is
not there yet (toggling it again would take it back), so nothing is counted twice. Comments readers
added are left alone, and a demo comment a moderator removed is passed by.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Any

from discussion.models import Comment, Reaction, Thread
from discussion.services import (
    ReactionRefused,
    reaction_toggle,
    reactions_add_many,
    reader_key_for,
)

DEMO_READERS: tuple[str, ...] = tuple(f"demo-reader-{n:02d}" for n in range(1, 81))
_SEED = 20220329

_USUAL_COUNTS, _USUAL_WEIGHTS = range(6), (30, 25, 18, 12, 9, 6)  # none to five, fewer the more
_POPULAR_COUNTS = (24, 72)
_POPULAR_CHANCE = {True: 0.10, False: 0.02}  # by whether the comment is top-level
_ATTENTION_SPAN = 250  # comments into the thread by which attention has fallen to a third
_STRAGGLER_CHANCE = 0.02  # a comment far down the thread that still gets a few


def reference_recommenders(comments: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    """Who recommends each comment of a curated thread (its ``recommended_by``), in the order
    the loader posts them: each comment, then its replies, depth first."""
    rng = random.Random(_SEED)
    planned: list[tuple[str, ...]] = []

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            planned.append(tuple(rng.sample(DEMO_READERS, item.get("recommended_by", 0))))
            walk(item.get("replies", []))

    walk(comments)
    return planned


def long_thread_recommenders(items: Sequence[dict[str, Any]]) -> list[tuple[str, ...]]:
    """Who recommends each generated comment of the long thread (``content.long_thread_comments``
    items, in order)."""
    rng = random.Random(_SEED)
    planned: list[tuple[str, ...]] = []
    for position, item in enumerate(items):
        attention = math.exp(-position / _ATTENTION_SPAN)
        if rng.random() < _POPULAR_CHANCE[item["parent"] is None] * attention:
            count = rng.randint(*_POPULAR_COUNTS)
        elif rng.random() < max(attention, _STRAGGLER_CHANCE):
            count = rng.choices(_USUAL_COUNTS, weights=_USUAL_WEIGHTS)[0]
        else:
            count = 0
        planned.append(tuple(rng.sample(DEMO_READERS, count)))
    return planned


def reactions_ensure(
    *, thread: Thread, comment_ids: Sequence[int | None], recommenders: Sequence[tuple[str, ...]]
) -> int:
    """Have ``recommenders[i]`` recommend comment ``comment_ids[i]`` (None: a demo comment that is
    gone), each where they have not yet, in one transaction; return how many were added."""
    demo_keys = {reader_key_for(user_id=None, guest_key=reader) for reader in DEMO_READERS}
    made = set(
        Reaction.objects.filter(comment__thread=thread, reader_key__in=demo_keys).values_list(
            "comment_id", "reader_key"
        )
    )
    missing = [
        (comment_id, reader)
        for comment_id, readers in zip(comment_ids, recommenders, strict=False)
        if comment_id is not None
        for reader in readers
        if (comment_id, reader_key_for(user_id=None, guest_key=reader)) not in made
    ]
    if not missing:
        return 0
    return reactions_add_many(thread_id=thread.pk, guest_reactions=missing)


def curated_comment_ids(*, thread: Thread, comments: list[dict[str, Any]]) -> list[int | None]:
    """The id of each comment of a curated thread, in the order of :func:`reference_recommenders`
    (None where it is gone). One query; readers' own comments match none."""
    by_text: dict[tuple[str, str, int | None], list[int]] = {}
    rows = thread.comments.filter(author_id__isnull=True).order_by("id")
    for pk, name, body, parent_id in rows.values_list("id", "author_name", "body", "parent_id"):
        by_text.setdefault((name, body, parent_id), []).append(pk)
    found: list[int | None] = []

    def walk(items: list[dict[str, Any]], parent_id: int | None) -> None:
        for item in items:
            matches = by_text.get((item["name"].strip(), item["body"].strip(), parent_id))
            comment_id = matches.pop(0) if matches else None
            found.append(comment_id)
            # The replies of a comment that is gone are not looked for: none can match.
            walk(item.get("replies", []), comment_id if comment_id is not None else -1)

    walk(comments, None)
    return found


# A push: fresh guests on two networks (documentation addresses, RFC 5737) recommending one
# comment within minutes, pressed as the Recommend button does (with their networks), so the
# scheduler's pass lists it as coordinated recommending (moderation.brigades).
PUSH_READERS: tuple[str, ...] = tuple(f"demo-push-{n:02d}" for n in range(1, 15))
PUSH_NETWORKS = ("198.51.100.23", "198.51.100.24")


def push_ensure(*, comment: Comment) -> int:
    """Have the push's readers recommend ``comment`` where they have not yet; how many did.
    A comment no longer published (held since, by a moderator or a campaign) takes none."""
    there = set(
        Reaction.objects.filter(
            comment=comment,
            reader_key__in=[reader_key_for(user_id=None, guest_key=r) for r in PUSH_READERS],
        ).values_list("reader_key", flat=True)
    )
    added = 0
    for n, reader in enumerate(PUSH_READERS):
        if reader_key_for(user_id=None, guest_key=reader) in there:
            continue
        try:
            reaction_toggle(
                comment=comment,
                reader_key=reader,
                user_id=None,
                network=PUSH_NETWORKS[n % len(PUSH_NETWORKS)],
            )
        except ReactionRefused:
            break
        added += 1
    return added
