"""Writes to threads and comments. Every comment is made by :func:`comment_create`."""

from __future__ import annotations

import contextlib
import copy
import functools
import re
import threading
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import NoReturn

import regex
from cachetools import LRUCache
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Page

from accounts.names import name_problem, reserved_problem
from core import db
from core.task_queue import QueuedTask, task_enqueue, task_queued
from core.text import direction_control_problem
from discussion import live, screening, selectors
from discussion.errors import CommentRefused
from discussion.models import Comment, Thread
from discussion.reactions import (  # noqa: F401  (writes are called from services)
    REACTIONS_CLOSED,
    ReactionRefused,
    ReactionState,
    reaction_toggle,
    reactions_add_many,
    reactions_remove,
    reader_key_for,
)
from discussion.rendering import render_comment_html
from discussion.tasks import reply_notification_send

_SURROGATE = re.compile("[\ud800-\udfff]")


def thread_ensure(*, page: Page) -> Thread:
    """The thread under ``page``, made on first use."""
    thread, _ = Thread.objects.get_or_create(page=page, defaults={"title": page.title[:255]})
    return thread


def thread_published(*, page: Page) -> Thread:
    """The thread under ``page``, which has just been published: made if it has none, and
    titled with the headline just published.

    The thread's title is what names the article wherever its page is not read (a reader's
    profile, reply emails and digests, the moderation queue and its filter, data exports), so a
    headline corrected after publication is corrected there too. One UPDATE, which also bumps
    the thread's version, and only when the headline changed; then the caches that show the
    thread go stale once the publish commits.
    """
    title = page.title[:255]
    retitled = (
        Thread.objects.filter(page=page)
        .exclude(title=title)
        .update(title=title, version=F("version") + 1)
    )
    thread = thread_ensure(page=page)
    if retitled:
        live.thread_touched(thread.pk, page_id=page.pk)
    return thread


def thread_page_deleting(*, page: Page) -> None:
    """``page`` is about to be deleted and its thread to lose it: the thread keeps, with its
    title, whether anyone could read the article at that moment (live, and behind no view
    restriction of its own or an ancestor's). A reader's profile names a deleted article only
    if so, so deleting an article withdrawn or made private first does not bring its headline
    back into sight."""
    threads = Thread.objects.filter(page_id=page.pk)
    if not threads.exists():
        return
    readable = page.live and not page.get_view_restrictions().exists()
    threads.exclude(listed=readable).update(listed=readable)


_THREADS: LRUCache = LRUCache(maxsize=4096)
_THREADS_LOCK = threading.Lock()


def thread_for_comment(*, page: Page) -> Thread:
    """The thread a new comment on ``page`` goes to: :func:`thread_ensure`, remembered by this
    app process, so a comment's POST does not read the thread before it writes.

    Which thread a page has never changes (a thread goes only with its page, and the key holds
    the page's ``translation_key``, unique to each page even where SQLite reuses a deleted
    page's id). Its flags may be out of date here, and need not be: :func:`comment_create`
    reads them again whenever they refuse a comment, and saving checks them once more with the
    thread row locked, so a closed thread takes nothing and a reopened one refuses nobody. Its
    counters are not read on this path. Each call gets its own copy.
    """
    key = (page.pk, str(page.translation_key))
    with _THREADS_LOCK:
        kept = _THREADS.get(key)
    if kept is None:
        kept = thread_ensure(page=page)
        with _THREADS_LOCK:
            _THREADS[key] = copy.copy(kept)
        return kept
    return copy.copy(kept)


def threads_forget() -> None:
    with _THREADS_LOCK:
        _THREADS.clear()


def thread_set_closed(*, thread: Thread, closed: bool) -> Thread:
    return thread_update(thread=thread, is_closed=closed, guests_allowed=thread.guests_allowed)


def thread_update(*, thread: Thread, is_closed: bool, guests_allowed: bool | None) -> Thread:
    """Open or close a thread and set who may comment; readers' cached pages go stale at once."""
    Thread.objects.filter(pk=thread.pk).update(
        is_closed=is_closed, guests_allowed=guests_allowed, version=F("version") + 1
    )
    thread.refresh_from_db(fields=["is_closed", "guests_allowed", "version"])
    threads_forget()  # this process's next comment reads the new flags at once
    live.thread_touched(thread.pk, page_id=thread.page_id)
    return thread


# A thread's top-level comments renumbered by their dates: the numbers the thread has, smallest
# first, handed out oldest first (by ``created_at``, then id), so the set of numbers is unchanged
# (``top_level_count`` still counts past the largest, and a gap left by a removed comment stays)
# and only comments whose place moved are written. One statement, in the database, whatever the
# thread's size; PostgreSQL and SQLite (3.33+) both take ``UPDATE ... FROM``.
_NUMBERS_BY_DATE_SQL = """
    UPDATE discussion_comment
       SET number = placed.number
      FROM (
        SELECT MAX(id) AS id, MAX(number) AS number
          FROM (SELECT id, NULL AS number,
                       ROW_NUMBER() OVER (ORDER BY created_at, id) AS place
                  FROM discussion_comment WHERE thread_id = %s AND depth = 0
                UNION ALL
                SELECT NULL, number, ROW_NUMBER() OVER (ORDER BY number, id)
                  FROM discussion_comment WHERE thread_id = %s AND depth = 0) AS places
         GROUP BY place
      ) AS placed
     WHERE discussion_comment.id = placed.id AND discussion_comment.number <> placed.number
"""


@transaction.atomic
def thread_number_by_date(*, thread_id: int) -> int:
    """Give the thread's top-level comments their numbers in the order they were written; how
    many moved.

    A comment is numbered when it is saved, which for a reader's is when it was written. An
    import saves comments written long ago in the order its file lists them (importers call
    this after each batch), and oldest and newest first read the numbers (selectors._page_query
    says why), so without this they listed imported comments in the file's order. The thread's
    row is locked first, as a new comment locks it to take its number, and its version bumped
    so cached pages of it go stale, when any comment moved.
    """
    thread = Thread.objects.select_for_update().filter(pk=thread_id).only("page_id").first()
    if thread is None:
        return 0
    with db.read_cursor(connection) as cursor:
        cursor.execute(_NUMBERS_BY_DATE_SQL, [thread_id, thread_id])
        moved = cursor.rowcount
    if moved:
        Thread.objects.filter(pk=thread_id).update(version=F("version") + 1)
        live.thread_touched(thread_id, page_id=thread.page_id)
    return moved


# The replies under some parents put in the order they were written (``created_at``, then id).
# A reply's path ends in a step of PATH_STEP digits, its id when it is saved, and siblings read
# in the order of their steps. Each parent's replies hand their steps out again, smallest first,
# oldest first: the set of steps under a parent is unchanged, so a reply a reader posts later,
# whose step is its own, larger, id, still comes last. The two orders are paired by place as
# thread numbers are (above), grouped rather than joined: a join of the two rankings was planned
# as a nested loop, quadratic (a minute for 10,000 replies to one comment on PostgreSQL, where
# 0.5 s now). Only the replies whose step changed are written. ``{parents}`` is a list of
# placeholders, filled twice with the parents' ids.
_REPLY_STEPS_BY_DATE_SQL = """
    UPDATE discussion_comment
       SET path = SUBSTR(path, 1, LENGTH(path) - {step}) || placed.step
      FROM (
        SELECT MAX(id) AS id, MAX(step) AS step
          FROM (SELECT id, parent_id, NULL AS step,
                       ROW_NUMBER() OVER (PARTITION BY parent_id ORDER BY created_at, id) AS place
                  FROM discussion_comment
                 WHERE thread_id = %s AND parent_id IN ({parents})
                UNION ALL
                SELECT NULL, parent_id, SUBSTR(path, LENGTH(path) - {last}),
                       ROW_NUMBER() OVER (
                           PARTITION BY parent_id ORDER BY SUBSTR(path, LENGTH(path) - {last})
                       )
                  FROM discussion_comment
                 WHERE thread_id = %s AND parent_id IN ({parents})) AS places
         GROUP BY parent_id, place
      ) AS placed
     WHERE discussion_comment.id = placed.id
       AND SUBSTR(discussion_comment.path, LENGTH(discussion_comment.path) - {last}) <> placed.step
"""
# Then every path below some comments (none above another) is written again from its parent's,
# the step each reply ends in kept, so that a reply's own replies move with it: a recursive walk
# down the parent index, in the database (never a thread read into memory), writing only the
# rows whose path changed. PostgreSQL and SQLite (3.33+) both take ``UPDATE ... FROM`` and a
# ``WITH RECURSIVE`` in it. ``{tops}`` is a list of placeholders for the comments' ids.
_PATHS_BELOW_SQL = """
    UPDATE discussion_comment
       SET path = walked.path
      FROM (
        WITH RECURSIVE walk(id, path) AS (
            SELECT id, CAST(path AS TEXT) FROM discussion_comment WHERE id IN ({tops})
            UNION ALL
            SELECT reply.id,
                   walk.path || '/' || SUBSTR(reply.path, LENGTH(reply.path) - {last})
              FROM walk JOIN discussion_comment AS reply ON reply.parent_id = walk.id
        )
        SELECT id, path FROM walk
      ) AS walked
     WHERE discussion_comment.id = walked.id AND discussion_comment.path <> walked.path
"""
_PARENTS_PER_STATEMENT = 300  # well under SQLite's limit on a statement's parameters


@transaction.atomic
def thread_replies_by_date(*, thread_id: int, parent_ids: Iterable[int]) -> int:
    """Put the replies to each of ``parent_ids`` (comments of the thread) in the order they
    were written, oldest first, each with its own replies under it; how many took a new place.

    A reply's place under its parent is its path (replies read in path order), which ends in its
    id, so replies saved in the order an import's file lists them read in that order, whatever
    their dates (an export may list a later reply before an earlier one). Importers call this
    after each batch with the parents they placed replies under. The thread's row is locked
    first, as a new comment locks it, and its version bumped so cached pages of it go stale,
    when any reply moved. In the database, a few statements per 300 parents, whatever the
    thread's size; only the parents' paths are read.
    """
    parents = sorted(set(parent_ids))
    if not parents:
        return 0
    thread = Thread.objects.select_for_update().filter(pk=thread_id).only("page_id").first()
    if thread is None:
        return 0
    # The parents none of the others is above, read before any path changes: the walks start
    # from them, whose paths stay as they are (a reply's path changes only under a parent
    # that is in the list).
    tops, above = [], ""
    paths = Comment.objects.filter(thread_id=thread_id, pk__in=parents).order_by("path")
    for pk, path in paths.values_list("pk", "path").iterator():
        if not (above and path.startswith(above)):
            tops.append(pk)
            above = f"{path}/"
    last = Comment.PATH_STEP - 1
    moved = 0
    with connection.cursor() as cursor:
        for chunk in _chunks(parents):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                _REPLY_STEPS_BY_DATE_SQL.format(parents=marks, step=Comment.PATH_STEP, last=last),
                [thread_id, *chunk, thread_id, *chunk],
            )
            moved += cursor.rowcount
        if moved:
            for chunk in _chunks(tops):
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(_PATHS_BELOW_SQL.format(tops=marks, last=last), chunk)
    if moved:
        Thread.objects.filter(pk=thread_id).update(version=F("version") + 1)
        live.thread_touched(thread_id, page_id=thread.page_id)
    return moved


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _PARENTS_PER_STATEMENT):
        yield ids[start : start + _PARENTS_PER_STATEMENT]


def _email_problem(address: str) -> str | None:
    """Why a guest's optional email address cannot be kept, or None if it can."""
    try:
        validate_email(address)
    except ValidationError:
        return "That doesn't look like an email address; check it, or leave the box empty."
    return None


def _text_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored as typed, or None if it can."""
    if "\x00" in text:
        return "contains a NUL character, which is not allowed"
    if "\ufffd" in text:
        return "contains bytes that are not valid text (UTF-8)"
    if _SURROGATE.search(text):
        return "contains invalid unicode (a lone surrogate)"
    return None


def guests_allowed(thread: Thread) -> bool:
    """May someone without an account comment here? The thread's choice, else the site's."""
    if thread.guests_allowed is not None:
        return thread.guests_allowed
    return not settings.COMMENTS_REQUIRE_ACCOUNT


def _body_problem(body: str) -> str | None:
    stripped = body.strip()
    if problem := _text_problem(body):
        return f"Your comment {problem}."
    if problem := direction_control_problem(body, what="Your comment"):
        return problem
    if not _SEEN.search(stripped):
        # Nothing a reader could see: white space, control characters (drawing a comment drops
        # them) or format characters (a zero-width space draws as nothing). Taken, it was a
        # published comment with no words.
        return "Please write your comment first: the box is empty."
    limit = settings.COMMENT_MAX_LENGTH
    # Characters as the reader sees them (grapheme clusters): a flag, an emoji with a skin tone
    # or a family, an accent typed as a second key, each counts one. Never more than the code
    # points, so they are counted only when the code points are over.
    if len(stripped) <= limit:
        return None
    characters = _GRAPHEME.findall(stripped)
    # A character joins as many code points as it is sent with (a letter under any number of
    # accents, emoji joined to emoji): counted as one each, a comment of megabytes passed.
    if (parts := max(map(len, characters))) > CHARACTER_MAX_PARTS:
        return (
            f"Your comment has one character made of {parts:,} parts (marks stacked on a "
            f"letter, or symbols joined into one); a character may have at most "
            f"{CHARACTER_MAX_PARTS}. Please take the extra marks out."
        )
    if (length := len(characters)) > limit:
        return (
            f"Your comment is {length:,} characters long; the limit is {limit:,}. Please "
            f"shorten it by {length - limit:,}."
        )
    return None


# The most code points one character (grapheme cluster) of a comment may join: more than any
# alphabet's letter with its accents or any emoji sequence (a family with skin tones is 11), so
# that COMMENT_MAX_LENGTH characters stay at most this many times as many code points.
CHARACTER_MAX_PARTS = 32


_GRAPHEME = regex.compile(r"\X")
_SEEN = regex.compile(r"[^\s\p{Cc}\p{Cf}]")


def comment_preview(*, body: str) -> str:
    """What ``body`` would look like as a comment: checked as ``comment_create`` checks a body
    (empty, too long, text that cannot be stored, direction controls), then rendered and
    sanitised exactly as it would be stored. Raises ``CommentRefused`` (on ``body``) with the
    same words as a post would; saves and counts nothing.

    Not screened: a preview that said which words or links moderation holds would let anyone
    probe the site's rules without posting. The post itself is screened as ever.
    """
    if problem := _body_problem(body):
        raise CommentRefused({"body": problem})
    return render_comment_html(body.strip())


_CLOSED = "This discussion is closed, so it takes no new comments."
_TOO_FAST = "You are posting faster than this site allows."
_MEMBERS_ONLY = "Please sign in to comment here; this discussion is for members."
_PARENT_GONE = "The comment you are replying to does not exist (any more)."
# What a comment may answer: a reader, only what readers can see (a deleted comment stays as a
# shell for its replies); content with no reader behind it (the demo, an import) keeps its
# conversations whole, also under a comment this site's rules hold for a moderator.
_REPLYABLE = {
    True: (Comment.Status.PUBLISHED, Comment.Status.DELETED),
    False: (Comment.Status.PUBLISHED, Comment.Status.DELETED, Comment.Status.PENDING),
}


def _validate(
    *,
    thread: Thread,
    body: str,
    author_name: str,
    parent: Comment | None,
    parent_id: int | None,
    source: str,
    guest: bool,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if thread.is_closed:
        errors["__all__"] = _CLOSED
    if problem := _body_problem(body):
        errors["body"] = problem
    name = author_name.strip()
    if problem := _text_problem(author_name):
        errors["author_name"] = f"Your display name {problem}."
    elif not name:
        errors["author_name"] = "Please give a display name to show with your comment."
    elif len(name) > settings.DISPLAY_NAME_MAX_LENGTH:
        errors["author_name"] = (
            f"Display names can be at most {settings.DISPLAY_NAME_MAX_LENGTH} characters."
        )
    elif guest and (problem := name_problem(name, max_length=settings.DISPLAY_NAME_MAX_LENGTH)):
        # A guest's name is typed with the comment, so it is held to the rules an account's
        # name was held to when it was chosen: no text-direction controls or invisible
        # characters, no blank-looking fillers, no Latin mixed with Cyrillic or Greek.
        errors["author_name"] = problem
    elif guest and source == "reader" and (problem := reserved_problem(name)):
        # Nor may a reader pass for the newsroom; an import keeps its site's own "admin".
        errors["author_name"] = problem
    if parent_id is not None:
        if parent is None:
            errors["parent"] = _PARENT_GONE
        elif parent.thread_id != thread.pk:
            errors["parent"] = "The comment you are replying to belongs to another discussion."
        elif parent.status not in _REPLYABLE[source == "reader"]:
            errors["parent"] = "The comment you are replying to is not published."
        elif parent.depth >= Comment.MAX_DEPTH:
            errors["parent"] = (
                "This conversation is nested as deeply as it can go; "
                "please reply to an earlier comment in it."
            )
    return errors


def _submission(
    *,
    thread: Thread,
    body: str,
    author_name: str,
    user_id: int | None,
    parent_id: int | None,
    ip_address: str | None,
    source: str,
    author_email: str,
    guest_key: str = "",
    confirmed: bool = False,
    page: Page | None = None,
    limits: tuple[tuple[str, str, str], ...] = (),
    author_is_staff: bool = False,
    reply_to_unsaved: bool = False,
) -> screening.Submission:
    """What screening sees of a comment: the same for :func:`comment_screen` and
    :func:`comment_create`."""
    return screening.Submission(
        thread_id=thread.pk,
        body=body.strip(),
        author_name=author_name.strip(),
        user_id=user_id,
        parent_id=parent_id,
        ip_address=ip_address,
        source=source,
        guest_key=guest_key,
        confirmed=confirmed,
        author_email="" if user_id is not None else author_email.strip(),
        page=page,
        limits=limits,
        staff=author_is_staff and user_id is not None,
        reply_to_unsaved=reply_to_unsaved and parent_id is None,
    )


def comment_screen(
    *,
    thread: Thread,
    body: str,
    author_name: str,
    user_id: int | None = None,
    parent_id: int | None = None,
    ip_address: str | None = None,
    source: str = "direct",
    author_email: str = "",
    reply_to_unsaved: bool = False,
) -> screening.Verdict:
    """Screen a comment as :func:`comment_create` would, saving nothing: the verdict to hand it
    as ``verdict``, with the same arguments.

    ``reply_to_unsaved`` screens a reply whose parent is not saved yet (an import reads replies
    before their parents), which has no ``parent_id`` to give. Screening asks only whether a
    comment is a reply (``Submission.is_reply``), so the verdict stands for it saved under any
    parent.

    For a caller that saves comments inside a transaction of its own (an import writes a batch
    at a time): screening may wait for a service outside (Akismet, up to AKISMET_TIMEOUT), and
    run inside that transaction it would hold the database's write lock (SQLite) or the thread's
    row (PostgreSQL) all the while, keeping readers' comments waiting. Call it outside any
    transaction. Rate limits are not counted here: they are for readers, who post one at a time.
    """
    submission = _submission(
        thread=thread,
        body=body,
        author_name=author_name,
        user_id=user_id,
        parent_id=parent_id,
        ip_address=ip_address,
        source=source,
        author_email=author_email,
        reply_to_unsaved=reply_to_unsaved,
    )
    if _text_problem(body) is None and _text_problem(author_name) is None:
        db.read_together(screening.reads(submission), alias=Comment.objects.db)
    return screening.screen(submission)


def comment_create(
    *,
    thread: Thread,
    body: str,
    author_name: str,
    user_id: int | None = None,
    parent_id: int | None = None,
    idempotency_key: str = "",
    ip_address: str | None = None,
    created_at: datetime | None = None,
    source: str = "direct",
    guest_key: str = "",
    confirmed: bool = False,
    author_email: str = "",
    page: Page | None = None,
    limits: tuple[tuple[str, str, str], ...] = (),
    author_is_staff: bool = False,
    verdict: screening.Verdict | None = None,
) -> Comment:
    """Validate, screen and save one comment, or raise :class:`CommentRefused` saving nothing.

    ``source="reader"`` marks a comment a person posted through the site; screening applies its
    checks for people (rate limits, first-comment holds) only to those. See
    :class:`discussion.screening.Submission`.

    A repeated ``idempotency_key`` in the same thread returns the comment made the first time, so
    a double-clicked or retried submit makes exactly one comment.

    ``page`` is the thread's page when the caller has just read it (the article a reader posted
    to), so screening need not read it again.

    ``limits`` are the caller's own rate limits, (prefix, key, rate) as core.ratelimit counts
    them (the comment form's, per address): counted once for every comment that is not a
    retried submit, with screening's own when it is screened (one round trip), else on their
    own. Over any of them, the comment is refused with the code ``posting_too_fast``, whatever
    else is wrong with it; over screening's own (a reader's, an address's), with that code too.
    Such a refusal's ``retry_after`` says when the limits it was over count afresh.

    ``author_is_staff`` marks a member of the newsroom's staff (``posting.is_staff``): the comment
    keeps it, and shows it as a badge, whatever becomes of their account later.

    ``verdict`` is what :func:`comment_screen` said of this comment, given the same arguments
    (or, for a reply screened before its parent was saved, ``reply_to_unsaved`` for
    ``parent_id``), for a caller that saves it inside a transaction of its own (an import's
    batch): it stands for screening here, which may wait for a service outside (Akismet) and so
    must not run while that transaction holds write locks. Everything else is checked here as
    ever.
    """
    if page is not None and page.pk != thread.page_id:
        raise ValueError(f"Page {page.pk} is not the page of thread {thread.pk}.")
    if verdict is not None and limits:
        raise ValueError("A comment screened beforehand has its rate limits counted there.")
    author_email = "" if user_id is not None else author_email.strip()
    submission = _submission(
        thread=thread,
        body=body,
        author_name=author_name,
        user_id=user_id,
        parent_id=parent_id,
        ip_address=ip_address,
        source=source,
        guest_key=guest_key,
        confirmed=confirmed,
        author_email=author_email,
        page=page,
        limits=limits,
        author_is_staff=author_is_staff,
    )
    # The key is the client's own string (the JSON API takes any): one the database cannot hold
    # (a NUL is an error on PostgreSQL, not a miss) is never looked up, and refuses the comment.
    key_problem = _text_problem(idempotency_key)
    # Nor is a guest's name the database cannot hold compared with members' (a name of NULs
    # alone keeps them in its loose key); _validate refuses it, in the words the body's has.
    name_text_problem = _text_problem(author_name)
    # What the post reads before it writes, sent together (one round trip on PostgreSQL): a
    # comment this submit already made and whether a guest's name is a member's, the comment a
    # reply answers, the id the comment will take, and what the screening steps will need (the
    # reader's history).
    lookups = (
        selectors.comment_post_lookups_read(
            thread_id=thread.pk,
            key="" if key_problem else idempotency_key,
            guest_name=author_name if user_id is None and not name_text_problem else None,
        )
        if idempotency_key or user_id is None
        else None
    )
    parent_read = (
        selectors.comment_parent_read(comment_id=parent_id) if parent_id is not None else None
    )
    id_read = db.next_id_read(Comment)
    ahead = [read for read in (lookups, parent_read, id_read) if read is not None]
    # Text the database cannot store (a NUL) is refused below; its steps' reads are not made.
    storable = _text_problem(body) is None and name_text_problem is None
    screening_reads = screening.reads(submission) if storable and verdict is None else []
    answers = db.read_together(ahead + screening_reads, alias=Comment.objects.db)
    name_taken = False
    if lookups is not None:
        existing, name_taken = answers[0]
        if existing is not None:
            return existing
    comment_id = answers[len(ahead) - 1] if id_read is not None else None
    parent = answers[ahead.index(parent_read)] if parent_read is not None else None
    if thread.is_closed or (user_id is None and not guests_allowed(thread)):
        # The thread as given refuses this comment; make sure it still does. (An open thread is
        # not read again here: saving checks it once more, with the row locked.)
        thread.refresh_from_db(fields=["is_closed", "guests_allowed"])
    errors = _validate(
        thread=thread,
        body=body,
        author_name=author_name,
        parent=parent,
        parent_id=parent_id,
        source=source,
        guest=user_id is None,
    )
    if user_id is None and not guests_allowed(thread) and "__all__" not in errors:
        errors["__all__"] = _MEMBERS_ONLY
    if user_id is None and "author_name" not in errors and name_taken:
        # A guest may not post under a member's name, or one that only looks like it (in
        # letters that look alike, or punctuation, symbols and spaces added or left out).
        errors["author_name"] = (
            "That name belongs to a member. If it is yours, sign in; otherwise please choose "
            "another."
        )
    if author_email and (problem := _email_problem(author_email)):
        errors["author_email"] = problem
    if key_problem:
        errors["idempotency_key"] = f"The submit's idempotency key {key_problem}."
    if errors:
        if limits and screening.callers_limits_over(submission):
            raise CommentRefused(
                {"__all__": _TOO_FAST},
                codes=("posting_too_fast",),
                retry_after=screening.retry_after(submission),
            )
        raise CommentRefused(errors)

    if verdict is None:
        verdict = screening.screen(submission)
    if verdict.outcome == "reject":
        # The reason sits beside the field it is about: the address, or else the text.
        field = "author_email" if "banned_email_domain" in verdict.codes else "body"
        too_fast = "posting_too_fast" in verdict.codes
        raise CommentRefused(
            {field: " ".join(verdict.reasons) or "This comment was refused."},
            codes=verdict.codes,
            retry_after=screening.retry_after(submission) if too_fast else None,
        )
    status = Comment.Status.PUBLISHED if verdict.outcome == "publish" else Comment.Status.PENDING
    # Rendered before the transaction, which on SQLite holds the database's write lock throughout.
    html = render_comment_html(submission.body)

    try:
        return _comment_insert(
            thread=thread,
            comment_id=comment_id,
            parent=parent,
            status=status,
            html=html,
            idempotency_key=idempotency_key,
            created_at=created_at or timezone.now(),
            submission=submission,
            verdict=verdict,
            author_is_staff=author_is_staff and user_id is not None,
        )
    except IntegrityError:
        # A concurrent submit with the same key won the race: answer with its comment.
        if idempotency_key:
            existing = Comment.objects.filter(
                thread=thread, idempotency_key=idempotency_key
            ).first()
            if existing is not None:
                return existing
        # The comment replied to was deleted (its author removed it) after it was read above.
        if parent_id is not None and not Comment.objects.filter(pk=parent_id).exists():
            raise CommentRefused({"parent": _PARENT_GONE}) from None
        raise


# What a shell is made with, for the moment before its words are taken out (comment_shell_create).
_SHELL_TEXT = "(deleted)"


@transaction.atomic
def comment_shell_create(
    *,
    thread: Thread,
    author_name: str,
    parent_id: int | None = None,
    idempotency_key: str = "",
    created_at: datetime | None = None,
) -> Comment:
    """A deleted comment's shell, as another site's export keeps one (its words gone, its place
    kept for its replies): made as every comment is (:func:`comment_create`: its number, path and
    counts, checked the same way, and refused the same way), then, in the same transaction,
    deleted and emptied, as its author's deletion leaves a comment that has replies
    (own_comments). Not screened: it has no words of anyone's to screen."""
    comment = comment_create(
        thread=thread,
        body=_SHELL_TEXT,
        author_name=author_name,
        parent_id=parent_id,
        idempotency_key=idempotency_key,
        created_at=created_at,
        verdict=screening.Verdict(outcome="publish"),
    )
    if comment.status == Comment.Status.DELETED:  # made already (the same key)
        return comment
    comment_set_status(comment=comment, status=Comment.Status.DELETED)
    Comment.objects.filter(pk=comment.pk).update(body="", html="")
    comment.body = comment.html = ""
    return comment


def _comment_insert(
    *,
    thread: Thread,
    comment_id: int | None,
    parent: Comment | None,
    status: str,
    html: str,
    idempotency_key: str,
    created_at: datetime,
    submission: screening.Submission,
    verdict: screening.Verdict,
    author_is_staff: bool,
) -> Comment:
    """Save the screened ``submission`` (its text, author and address are what gets stored), with
    the rows the screening hooks return for it (moderation's record of the verdict).

    On PostgreSQL the comment takes its id from its sequence, and then one statement, in a
    transaction of its own, counts it on its thread (whose row it locks), bumps the thread's
    version, counts a published reply on its root, and inserts the comment and the hooks' rows:
    only where the thread, read locked, still takes the comment (open, and open to guests for a
    guest's). So concurrent posts to one thread get exact numbers and counters, a thread closed
    meanwhile refuses the comment with nothing written, and the thread's row is locked for that
    one statement and its commit, with no round trip between (the comment was once inserted and
    then updated with its number and path, which wrote the row and an entry in each of its
    indexes twice, and its review was one more statement inside an explicit transaction).
    """
    published = status == Comment.Status.PUBLISHED
    comment = Comment(
        thread=thread,
        parent=parent,
        root_id=(parent.root_id or parent.pk) if parent else None,
        depth=parent.depth + 1 if parent else 0,
        author_name=submission.author_name,
        author_email=submission.author_email,
        author_id=submission.user_id,
        author_is_staff=author_is_staff,
        body=submission.body,
        html=html,
        status=status,
        idempotency_key=idempotency_key,
        created_at=created_at,
    )
    bump_root = comment.root_id if published and parent is not None else None
    # Only a member can be emailed, and never about their own reply: anything else would queue a
    # task with nobody to tell (a demo or an import of guests' threads queued thousands).
    tell_parent = (
        published and parent is not None and parent.author_id not in (None, submission.user_id)
    )
    comment.pk = comment_id  # taken from its sequence with the post's reads (PostgreSQL)
    if comment.pk is None:
        reply_email = _insert_one_writer(
            comment,
            thread=thread,
            bump_root=bump_root,
            published=published,
            submission=submission,
            verdict=verdict,
            tell_parent=tell_parent,
        )
    else:
        comment.path = _path(parent, comment.pk)
        rows = screening.run_on_saved(comment, submission, verdict)
        # The email to the parent's author is queued by a row of the same statement: committed
        # with the comment, or not at all.
        reply_email = _reply_email_queued(comment) if tell_parent else None
        if reply_email is not None and reply_email.row is not None:
            rows = [*rows, reply_email.row]
        # Inside a caller's transaction (an import, a test), a savepoint: a duplicate refused by
        # the database then leaves that transaction usable for the lookup that follows.
        with transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext():
            counted = _count_and_insert(
                comment,
                rows,
                bump_root=bump_root,
                published=published,
                member=submission.user_id is not None,
            )
        if counted is None:
            _refuse(thread, submission)
        comment.number, thread.is_closed, thread.guests_allowed = counted
        if parent is not None:
            comment.number = None
    screening.run_after_saved(comment, submission, verdict)
    live.thread_touched(
        thread.pk,
        page_id=thread.page_id,
        kind="comment" if published else None,
        data={"id": comment.pk, "parent": comment.parent_id, "root": comment.root_id},
    )
    if reply_email is not None:
        reply_email.written()
    return comment


def _refuse(thread: Thread, submission: screening.Submission) -> NoReturn:
    """Why the thread, read locked, did not take the comment: closed, or for members only."""
    thread.refresh_from_db(fields=["is_closed", "guests_allowed"])  # DoesNotExist: it is gone
    if submission.user_id is None and not thread.is_closed and not guests_allowed(thread):
        raise CommentRefused({"__all__": _MEMBERS_ONLY})
    # Closed, or reopened in the moment since it refused the comment.
    raise CommentRefused({"__all__": _CLOSED})


@transaction.atomic
def _insert_one_writer(
    comment: Comment,
    *,
    thread: Thread,
    bump_root: int | None,
    published: bool,
    submission: screening.Submission,
    verdict: screening.Verdict,
    tell_parent: bool,
) -> QueuedTask | None:
    """Save ``comment`` where there is no sequence to take its id from first (SQLite, which
    takes one writer at a time): counted, refused if the thread no longer takes it, inserted,
    given its path (which holds the id), and then the screening hooks' rows and, if
    ``tell_parent``, the task that emails the parent's author (returned), in the same
    transaction."""
    parent = comment.parent
    top_level_count, is_closed, guests = _thread_count(
        thread.pk, top_level=parent is None, bump_root=bump_root, published=published
    )
    thread.is_closed, thread.guests_allowed = is_closed, guests
    if thread.is_closed:
        raise CommentRefused({"__all__": _CLOSED})
    if submission.user_id is None and not guests_allowed(thread):
        raise CommentRefused({"__all__": _MEMBERS_ONLY})
    comment.number = top_level_count if parent is None else None
    db.insert(comment)
    with db.read_cursor(connection) as cursor:
        cursor.execute(
            _COMMENT_PATH_SQL,
            [parent.pk if parent else None, _path(None, comment.pk), comment.pk],
        )
        comment.path = cursor.fetchone()[0]
    for row in screening.run_on_saved(comment, submission, verdict):
        db.insert(row)
    if not tell_parent:
        return None
    reply_email = _reply_email_queued(comment)
    if reply_email.row is not None:
        db.insert(reply_email.row)
    return reply_email


def _path(parent: Comment | None, comment_id: int) -> str:
    step = f"{comment_id:0{Comment.PATH_STEP}d}"
    return f"{parent.path}/{step}" if parent is not None else step


# Counting a new comment, in fixed text; the values go in as parameters. The thread row's update
# locks it until commit, and returns what the locked row says: the new ``top_level_count`` (the
# number of a new top-level comment), ``is_closed`` and ``guests_allowed``. PostgreSQL and SQLite
# (3.35+) both answer ``UPDATE ... RETURNING``.
_THREAD_COUNT_SQL = """
    UPDATE discussion_thread
       SET version = version + 1,
           top_level_count = top_level_count + %s,
           comment_count = comment_count + %s
     WHERE id = %s
    RETURNING top_level_count, is_closed, guests_allowed
"""
# A new comment's path: its parent's, read now, then its own step. Now, not when the post read
# the parent: the thread is locked by then (the comment counted on it), so no import's batch
# can be putting the parent's replies in date order (thread_replies_by_date, which locks the
# thread too), and a parent that batch moved is read where it now is. A path made from the parent
# read before put the reply under the parent's old place, until another batch wrote it again.
_COMMENT_PATH_SQL = """
    UPDATE discussion_comment
       SET path = COALESCE(
               (SELECT above.path || '/' FROM discussion_comment AS above WHERE above.id = %s), ''
           ) || %s
     WHERE id = %s
    RETURNING path
"""
_ROOT_REPLIES_SQL = "UPDATE discussion_comment SET reply_count = reply_count + 1 WHERE id = %s"
# On PostgreSQL the count, a published reply's count on its root, the new comment's row and the
# rows saved with it (the screening hooks') are one statement, in a transaction of its own. The
# thread's update takes the comment only while the thread does (open, and open to guests for a
# guest's comment: the member flag and the site's default go in as parameters); everything else
# reads it, so nothing is written when it refuses, and the thread row is always locked first: two
# posts cannot deadlock.
_COUNT_AND_INSERT_PG = """
    WITH counted AS (
        UPDATE discussion_thread
           SET version = version + 1,
               top_level_count = top_level_count + %s,
               comment_count = comment_count + %s
         WHERE id = %s AND NOT is_closed AND (%s OR COALESCE(guests_allowed, %s))
        RETURNING top_level_count, is_closed, guests_allowed
    ),
    placed AS (
        SELECT COALESCE(
                   (SELECT path || '/' FROM discussion_comment WHERE id = %s FOR SHARE), ''
               ) || %s AS path
    ),
    root AS (
        UPDATE discussion_comment SET reply_count = reply_count + 1
         WHERE id = %s AND EXISTS (SELECT 1 FROM counted)
    ),
    inserted AS ({insert}){rows}
    SELECT top_level_count, is_closed, guests_allowed, (SELECT path FROM placed){returned}
      FROM counted
"""


@functools.lru_cache(maxsize=16)
def _count_and_insert_sql(insert: str, rows: tuple[tuple[str, str | None], ...]) -> str:
    return _COUNT_AND_INSERT_PG.format(
        insert=insert,
        rows="".join(f",\n    saved{n} AS ({text})" for n, (text, _) in enumerate(rows)),
        returned="".join(
            f", (SELECT {column} FROM saved{n})"  # noqa: S608 (a quoted column name)
            for n, (_, column) in enumerate(rows)
            if column is not None
        ),
    )


def _count_and_insert(
    comment: Comment, rows: list, *, bump_root: int | None, published: bool, member: bool
) -> tuple[int, bool, bool | None] | None:
    """Count ``comment`` on its thread, bump the thread's version, count a published reply on its
    root (``bump_root``), and insert ``comment`` (its id taken, its path made from its parent's
    as it stands once the thread is locked, and set on ``comment``), numbered from the count if it
    is a top-level comment, and ``rows``: one statement (PostgreSQL).

    Returns the thread row's new ``top_level_count``, ``is_closed`` and ``guests_allowed``, read
    with the row locked; None, having written nothing, when the thread does not take the comment
    (closed, for members only and ``member`` is false, or gone).
    """
    top_level = comment.parent_id is None
    inserts = [
        db.insert_select(
            comment,
            computed={
                "number": "counted.top_level_count" if top_level else "NULL",
                # Its parent's path as it stands with the thread locked (_COMMENT_PATH_SQL says
                # why). FOR SHARE reads the parent's latest version, as the import's batch that
                # held the lock left it, where the statement's snapshot, taken before it waited
                # for the lock, has the old one (KEY SHARE would lock that old one, not wait).
                # Taken after the thread's lock, as every writer takes a comment's: no deadlock.
                "path": "(SELECT path FROM placed)",
            },
            source="counted",
        ),
        *(db.insert_select(row, source="counted") for row in rows),
    ]
    params = [
        int(top_level),
        int(published),
        comment.thread_id,
        member,
        not settings.COMMENTS_REQUIRE_ACCOUNT,
        comment.parent_id,
        _path(None, comment.pk),
        bump_root,
    ]
    for insert in inserts:
        params.extend(insert.params)
    text = _count_and_insert_sql(
        inserts[0].text, tuple((insert.text, insert.returns) for insert in inserts[1:])
    )
    with db.read_cursor(connection) as cursor:
        cursor.execute(text, params)
        row = cursor.fetchone()
    if row is None:
        return None
    comment.path = row[3]
    returned = iter(row[4:])
    for insert in inserts:
        insert.saved(next(returned) if insert.returns is not None else None)
    top_level_count, is_closed, guests = row[:3]
    return top_level_count, bool(is_closed), guests


def _thread_count(
    thread_id: int, *, top_level: bool, bump_root: int | None, published: bool
) -> tuple[int, bool, bool | None]:
    """Count a new comment on its thread and bump the thread's version, and count a published
    reply on its root, ``bump_root`` (SQLite, a statement each).

    Returns the thread row's new ``top_level_count``, ``is_closed`` and ``guests_allowed``, read
    with the row locked.
    """
    with db.read_cursor(connection) as cursor:
        cursor.execute(_THREAD_COUNT_SQL, [int(top_level), int(published), thread_id])
        row = cursor.fetchone()
        if row is not None and bump_root is not None:
            cursor.execute(_ROOT_REPLIES_SQL, [bump_root])
    if row is None:
        raise Thread.DoesNotExist(f"Thread {thread_id} does not exist.")
    top_level_count, is_closed, guests = row
    return top_level_count, bool(is_closed), None if guests is None else bool(guests)


def _reply_email_queued(comment: Comment) -> QueuedTask:
    """The task that emails ``comment``'s parent's author (it decides whether they want it),
    for the caller to write with the comment (core.task_queue.task_queued)."""
    return task_queued(reply_notification_send, comment_id=comment.pk)


_COUNTED = Comment.Status.PUBLISHED


@transaction.atomic
def comment_set_status(*, comment: Comment, status: str) -> Comment:
    """Move a comment to ``status`` (approve, reject, hold), keeping the counters exact.

    Only published comments are counted, so moving into or out of "published" changes the
    thread's ``comment_count`` and, for a reply, its root's ``reply_count``. The thread version is
    bumped whatever changed, so cached pages are rebuilt.
    """
    if status not in Comment.Status.values:
        raise ValueError(f"unknown comment status {status!r}")
    Thread.objects.select_for_update().only("id").get(pk=comment.thread_id)
    current = Comment.objects.select_for_update().only("id", "status", "root_id").get(pk=comment.pk)
    if current.status == status:
        return comment
    delta = int(status == _COUNTED) - int(current.status == _COUNTED)
    Comment.objects.filter(pk=comment.pk).update(status=status)
    thread_updates: dict = {"version": F("version") + 1}
    if delta:
        thread_updates["comment_count"] = F("comment_count") + delta
        if current.root_id:
            Comment.objects.filter(pk=current.root_id).update(reply_count=F("reply_count") + delta)
    Thread.objects.filter(pk=comment.thread_id).update(**thread_updates)
    live.thread_touched(
        comment.thread_id,
        kind="comment" if status == _COUNTED else None,
        data={"id": comment.pk, "parent": comment.parent_id, "root": current.root_id},
    )
    if (
        current.status in (Comment.Status.PENDING, Comment.Status.REJECTED)
        and status == _COUNTED
        and current.root_id
    ):
        # A reply held for review tells its parent's author only once it is approved, and one
        # rejected once it is published again (on appeal, or a moderator's second look): the
        # task is queued in this transaction, committed with the decision. A reply told of
        # before it was taken down is not told again (its ReplyNotification row).
        task_enqueue(reply_notification_send, comment_id=comment.pk)
    comment.status = status
    return comment


@transaction.atomic
def comment_set_featured(*, comment: Comment, featured: bool) -> Comment:
    """Show ``comment`` in the featured strip above its thread, or take it out of it."""
    Thread.objects.select_for_update().only("id").get(pk=comment.thread_id)
    Comment.objects.filter(pk=comment.pk).update(is_featured=featured)
    Thread.objects.filter(pk=comment.thread_id).update(version=F("version") + 1)
    live.thread_touched(comment.thread_id)
    comment.is_featured = featured
    return comment
