"""Importing another platform's comments: every comment goes through ``comment_create``.

``comments_import`` reads an export as it streams (importers.formats) and places each comment on
the article its page address names (newsroom.selectors.article_for_address):

- **Once only.** Each comment's idempotency key is the platform and its id there, so the same
  comment twice in one file, or a second run of the file, finds the comment already made.
  That makes an import resumable: run it again after a failure, and it carries on from where
  it stopped, in the same order.
- **Replies in place.** A reply whose parent has not been read yet (exports do not promise
  parents first) waits, in memory, until its parent is placed. A reply to a comment that is not
  imported (spam, deleted, refused) answers the nearest comment above it that is; a reply whose
  parent never appears becomes a top-level comment.
- **Nothing fetched.** Avatars, websites and images are never requested (importers.formats).
- **Screened as content.** Comments are saved as trusted content (``source="direct"``): the
  checks for people posting (rate limits, first-comment holds) do not apply, the site's word
  rules and scorers do. A comment the site refuses (too long, a banned word, a member's name) is
  counted with its reason and left out; nothing is cut to fit.
- **Pending stays pending.** A comment waiting for approval on the old platform is held for
  this site's moderators.

Comments are committed ``BATCH`` at a time, so a failure loses at most one batch's progress;
each batch is screened before its transaction opens, so that no call outside (Akismet) is made
while it holds write locks and readers' comments wait (see :func:`comments_import`).
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from core.task_queue import task_enqueue
from core.workers import stop_asked
from discussion.errors import CommentRefused
from discussion.models import Comment, Thread
from discussion.screening import Verdict
from discussion.selectors import comment_by_idempotency_key, comments_by_idempotency_keys
from discussion.services import (
    comment_create,
    comment_screen,
    comment_shell_create,
    thread_ensure,
    thread_number_by_date,
    thread_replies_by_date,
)
from importers.formats import READERS, Counted, ExportError, SourceComment, SourceThread
from importers.models import PLATFORM_NAMES, ImportRun
from moderation import live_queue
from moderation.actions import HoldComment
from newsroom.selectors import article_for_address

BATCH = 200
# Characters of comment text a batch holds in memory at most (each batch is read whole before
# it is screened): past it the batch ends early, so a file of huge comments is still imported
# in bounded memory. 200 comments of COMMENT_MAX_LENGTH's default (5,000) are a million.
BATCH_TEXT = 8_000_000
# A comment dated later than this after the import is refused: it would head every newest-first
# list and feed for good. (A day covers clocks and time zones that disagree.)
FUTURE_SLACK = timedelta(days=1)
KEY_MAX = 64  # Comment.idempotency_key's length
EXAMPLES_KEPT = 20  # refusals and unmatched addresses listed in the report
# Comments not imported, by their state in the export, as the report names them.
_LEFT_OUT = {
    "spam": "spam",
    "rejected": "rejected by moderators",
    "deleted": "deleted",
    "skipped": "pingbacks or trackbacks",
    "other_kind": "of other kinds than comments",
    "unknown_status": "with a status this importer does not know",
}
# The ones above that change for a single comment ("1 pingback or trackback").
_LEFT_OUT_ONE = {
    "pingbacks or trackbacks": "pingback or trackback",
    "of other kinds than comments": "of another kind than comments",
}
DETAILS_KEPT = 5  # kinds or statuses named in the report for each of those left out


@dataclass
class ImportReport:
    threads: int = 0
    unmatched: int = 0  # discussions whose page is no article here
    threads_unmatched: list[str] = field(default_factory=list)  # the first few addresses
    imported: int = 0
    held: int = 0
    held_there: int = 0  # of them, waiting for approval on the old platform
    already: int = 0
    skipped: Counter = field(default_factory=Counter)  # spam, deleted, pingbacks, no article
    # For those of them left out for their kind or status: the first few kinds or statuses.
    skipped_details: dict[str, list[str]] = field(default_factory=dict)
    refused: int = 0
    refusals: list[tuple[str, str]] = field(default_factory=list)  # (export id, reason)
    orphans: int = 0
    shells: int = 0  # of those imported, deleted comments kept as empty shells for their replies
    undated: int = 0  # imported with no date in the export: dated at the import

    def lines(self) -> list[str]:
        held = f"{self.held:,} of them held for review"
        if self.held:
            held += (
                f": {self.held_there:,} waiting for approval where they came from, "
                f"{self.held - self.held_there:,} held by this site's screening (its moderation "
                "queue says why)"
            )
        out = [
            _counted(self.threads, "discussion read", "discussions read")
            + f", {self.unmatched:,} of those with comments "
            + ngettext("has no article here", "have no article here", self.unmatched),
            f"{self.imported:,} comment{'' if self.imported == 1 else 's'} imported ({held}), "
            f"{self.already:,} already here",
        ]
        if self.undated:
            out.append(
                f"{self.undated:,} "
                + (
                    "comment had no date in the export and is"
                    if self.undated == 1
                    else "comments had no date in the export and are"
                )
                + " dated at this import"
            )
        if self.shells:
            out.append(
                _counted(
                    self.shells,
                    "deleted comment kept as an empty shell for its replies",
                    "deleted comments kept as empty shells for their replies",
                )
            )
        if self.orphans:
            out.append(
                _counted(
                    self.orphans,
                    "reply whose parent was not in the export, shown as a comment",
                    "replies whose parent was not in the export, shown as comments",
                )
            )
        if self.skipped:
            out.append(
                "not imported: "
                + ", ".join(
                    _counted(count, _LEFT_OUT_ONE.get(why, why), why)
                    + (
                        f" ({', '.join(sorted(details))})"
                        if (details := self.skipped_details.get(why))
                        else ""
                    )
                    for why, count in sorted(self.skipped.items())
                )
            )
        if self.refused:
            out.append(f"{self.refused:,} refused by this site's rules:")
            out.extend(f"  {key}: {reason}" for key, reason in self.refusals)
        if self.threads_unmatched:
            out.append("addresses with no article here (first few):")
            out.extend(f"  {url or '(none given)'}" for url in self.threads_unmatched)
        return out


def _counted(count: int, one: str, many: str) -> str:
    """A count and what it counts, in the singular for one: "1 discussion read", "3 discussions
    read" (never "1 discussions read")."""
    return f"{count:,} {ngettext(one, many, count)}"


def _key(platform: str, source_key: str) -> str:
    key = f"{platform}:{source_key}"
    if len(key) <= KEY_MAX:
        return key
    return f"{platform}:{hashlib.sha256(source_key.encode()).hexdigest()[:40]}"


def _clean_name(raw: str) -> str:
    """An exported name as a display name: invisible and control characters out, spaces folded,
    cut to the site's length. Empty becomes "Guest"."""
    kept = "".join(ch for ch in raw if unicodedata.category(ch) not in ("Cc", "Cf"))
    name = " ".join(kept.split())[: settings.DISPLAY_NAME_MAX_LENGTH].strip()
    return name or "Guest"


def _clean_email(raw: str) -> str:
    try:
        validate_email(raw.strip())
    except ValidationError:
        return ""
    return raw.strip()


class _Importer:
    def __init__(self, platform: str, report: ImportReport) -> None:
        self.platform = platform
        self.report = report
        self.threads: dict[str, Thread | None] = {}
        self.unmatched: dict[str, str] = {}  # discussions with no article here -> their address
        self.not_placed: dict[str, str | None] = {}  # export id -> its parent's (not imported)
        self.waiting: dict[str, list[SourceComment]] = defaultdict(list)
        # Comments read before their discussion (a file whose threads do not all come first, as
        # Disqus writes them, but some after the comments: exports merged by hand), by its key:
        # placed once it is read (released into ``thread_came``), and counted as in no
        # discussion if it never is.
        self.awaiting_thread: dict[str, list[SourceComment]] = defaultdict(list)
        self.thread_came: list[SourceComment] = []
        # Verdicts reached outside the write transaction (see comments_import): export id ->
        # (whether it was screened as a reply, the verdict). A reply read before its parent is
        # saved is screened when it is read, and keeps its verdict while it waits: placed with
        # its parent, not in a transaction of its own after it. Each is used once (_place), so
        # this holds no more than the comments read and not yet placed.
        self.screened: dict[str, tuple[bool, Verdict]] = {}
        # How many comments the transaction open now has placed (or refused): past BATCH, the
        # rest wait for the next, so a long reply chain is written BATCH at a time as the file is.
        self.placed = 0
        # Comments ready to be placed (under this parent id) that have no verdict yet, or that
        # came past BATCH: screened if need be, then placed, in the next, short, transaction.
        self.later: list[tuple[SourceComment, int | None]] = []
        # Threads the transaction open now has placed comments on (or found them on, when the
        # file is run again): renumbered by date before it commits (comments_import).
        self.touched: set[int] = set()
        # And, for each, the comments it has placed replies under (or found them under): their
        # replies put in date order before it commits.
        self.parents: defaultdict[int, set[int]] = defaultdict(set)
        # Which comments are here already, by (thread id, export id): (their id, their
        # parent's id), or None for one that is not. The batch at hand's comments, and the
        # parents they answer, are looked up in one query before it is screened (each was asked
        # about on its own, three or four times, with its parent: two thirds of an import's
        # queries); those it places are noted as they are. Emptied before each batch, so it holds
        # a batch's worth; anything else is asked of the database when it comes up.
        self.known: dict[tuple[int, str], tuple[int, int | None] | None] = {}

    def thread(self, source: SourceThread) -> None:
        self.report.threads += 1
        article = article_for_address(url=source.url, slug=source.slug)
        if article is None:
            # Reported when its first comment comes: a WordPress export lists every post and
            # page, most of them with no comments to place.
            self.unmatched[source.key] = source.url
            self.threads[source.key] = None
            return
        self.threads[source.key] = thread_ensure(page=article)

    def _thread_read(self, source: SourceThread) -> None:
        """Take in a discussion, and release the comments that came before it."""
        self.thread(source)
        self.thread_came.extend(self.awaiting_thread.pop(source.key, []))

    def _parent_above(self, parent_key: str | None) -> str | None:
        """The nearest comment above that is (or may yet be) imported."""
        seen = set()
        while parent_key is not None and parent_key in self.not_placed and parent_key not in seen:
            seen.add(parent_key)
            parent_key = self.not_placed[parent_key]
        return parent_key

    def _leave_out(self, comment: SourceComment) -> list[SourceComment]:
        """Note ``comment`` as not imported; its replies (returned) answer the comment above."""
        self.not_placed[comment.key] = comment.parent_key
        return self.waiting.pop(comment.key, [])

    def comment(self, source: SourceComment) -> None:
        """Place ``source``, then every reply that was waiting for it, and theirs: in a loop,
        not by recursion, so a reply chain of any length in any order is placed (a hostile
        file cannot exhaust the stack)."""
        ready = [source]
        while ready:
            ready.extend(self._one(ready.pop()))

    def _one(self, source: SourceComment) -> list[SourceComment]:
        """Place (or leave out, or set waiting) one comment; the replies it releases."""
        if source.thread_key not in self.threads:  # its discussion comes later, if at all
            self.awaiting_thread[source.thread_key].append(source)
            return []
        thread = self.threads[source.thread_key]
        if thread is None:
            self.report.skipped["with no article here"] += 1
            if (url := self.unmatched.pop(source.thread_key, None)) is not None:
                self.report.unmatched += 1
                if len(self.report.threads_unmatched) < EXAMPLES_KEPT:
                    self.report.threads_unmatched.append(url)
            return []
        if not source.key:
            return self._refused(
                source, "It has no id in the export, so it cannot be imported once only."
            )
        if source.state in _LEFT_OUT:
            why = _LEFT_OUT[source.state]
            self.report.skipped[why] += 1
            details = self.report.skipped_details.setdefault(why, [])
            if source.detail and source.detail not in details and len(details) < DETAILS_KEPT:
                details.append(source.detail[:40])
            return self._leave_out(source)
        parent_key = self._parent_above(source.parent_key)
        parent_id = None
        if parent_key is not None:
            parent = self._here(thread, parent_key)
            if parent is None:
                self.waiting[parent_key].append(source)
                return []
            parent_id = parent[0]
        return self._place(thread, source, parent_id)

    def _here(self, thread: Thread, source_key: str) -> tuple[int, int | None] | None:
        """The comment of ``thread`` made from the export's ``source_key``, as (its id, its
        parent's id), or None if there is none."""
        known = (thread.pk, source_key)
        if known not in self.known:
            found = comment_by_idempotency_key(
                thread_id=thread.pk, key=_key(self.platform, source_key)
            )
            self.known[known] = (found.pk, found.parent_id) if found is not None else None
        return self.known[known]

    def _look_up(self, items: list[SourceThread | SourceComment]) -> None:
        """Note which of ``items``' comments, and of the comments they answer, are here
        already: one query for the batch."""
        self.known = {}
        wanted = {}
        for item in items:
            if isinstance(item, SourceComment) and item.key:
                thread = self.threads.get(item.thread_key)
                if thread is None:
                    continue
                wanted[(thread.pk, item.key)] = _key(self.platform, item.key)
                parent_key = self._parent_above(item.parent_key)
                if parent_key is not None:
                    wanted[(thread.pk, parent_key)] = _key(self.platform, parent_key)
        found = comments_by_idempotency_keys(
            thread_ids={thread_id for thread_id, _ in wanted}, keys=wanted.values()
        )
        for (thread_id, source_key), key in wanted.items():
            self.known[(thread_id, source_key)] = found.get((thread_id, key))

    def screen(self, items: list[SourceThread | SourceComment]) -> None:
        """Outside any transaction, before ``items`` are placed: take in their discussions, and
        screen each comment. A reply whose parent is not saved yet (it comes later in the file,
        or in this batch) is screened as a reply now, so that it can be placed as soon as its
        parent is, in the same transaction."""
        for item in items:
            if isinstance(item, SourceThread):
                self._thread_read(item)
        self._look_up([*self.thread_came, *items])
        for item in items:
            if isinstance(item, SourceThread):
                continue
            thread = self.threads.get(item.thread_key)
            if (
                thread is None
                or not item.key  # refused when it is placed
                or item.state in _LEFT_OUT
                or item.state == "shell"  # no words to screen
                or item.key in self.screened
            ):
                continue
            parent_key = self._parent_above(item.parent_key)
            parent = self._here(thread, parent_key) if parent_key is not None else None
            self._screen(
                thread,
                item,
                parent[0] if parent is not None else None,
                reply_to_unsaved=parent_key is not None and parent is None,
            )

    def _screen(
        self,
        thread: Thread,
        source: SourceComment,
        parent_id: int | None,
        *,
        reply_to_unsaved: bool = False,
    ) -> None:
        """Screen ``source`` as a comment under ``parent_id`` (or as a reply to a comment not
        saved yet), unless it has been screened so already, is here already, or is refused
        before screening (dated in the future)."""
        reply = parent_id is not None or reply_to_unsaved
        if source.state == "shell":  # no words to screen
            return
        if (done := self.screened.get(source.key)) is not None and done[0] == reply:
            return
        if self._here(thread, source.key) is not None:
            return
        if _future(source):
            return
        verdict = comment_screen(
            thread=thread, **self._fields(source, parent_id), reply_to_unsaved=reply_to_unsaved
        )
        self.screened[source.key] = (reply, verdict)

    def _fields(self, source: SourceComment, parent_id: int | None) -> dict:
        """What ``comment_screen`` and ``comment_create`` are told of ``source`` alike."""
        return {
            "body": source.body,
            "author_name": _clean_name(source.author_name),
            "author_email": _clean_email(source.author_email),
            "parent_id": parent_id,
            "ip_address": source.ip_address,
            "source": "direct",
        }

    def place_later(self, write: Callable[[Callable[[], None]], None]) -> None:
        """Screen and place the comments set aside, for want of a verdict or past BATCH: each
        round screened outside any transaction, then placed by ``write`` (in a transaction),
        until none is left (the replies a round places can release others)."""
        while self.later:
            ready, self.later = self.later, []
            for source, parent_id in ready:
                self._screen(self.threads[source.thread_key], source, parent_id)

            def place(ready: list[tuple[SourceComment, int | None]] = ready) -> None:
                for source, parent_id in ready:
                    for released in self._place(self.threads[source.thread_key], source, parent_id):
                        self.comment(released)

            write(place)

    def _place(
        self, thread: Thread, source: SourceComment, parent_id: int | None
    ) -> list[SourceComment]:
        key = _key(self.platform, source.key)
        screened = self.screened.pop(source.key, None)
        if (found := self._here(thread, source.key)) is not None:
            self.report.already += 1
            # Run again, the file puts in date order what an import before that did not.
            self._touch(thread, found[1])
            return self.waiting.pop(source.key, [])
        if _future(source):
            return self._refused(source, f"Dated {source.created_at:%Y-%m-%d}, in the future.")
        if source.state == "shell":
            return self._place_shell(thread, source, parent_id)
        if screened is None or screened[0] != (parent_id is not None) or self.placed >= BATCH:
            # Not screened, or screened as a reply and now to go to the top (its parent never
            # came): screened and placed next, with no transaction open while it is screened.
            # Or this transaction has placed BATCH already: placed in the next.
            if screened is not None:
                self.screened[source.key] = screened
            self.later.append((source, parent_id))
            return []
        self.placed += 1
        try:
            made = comment_create(
                thread=thread,
                idempotency_key=key,
                created_at=source.created_at,
                verdict=screened[1],
                **self._fields(source, parent_id),
            )
        except CommentRefused as refusal:
            return self._refused(
                source, " ".join(m for ms in refusal.message_dict.values() for m in ms)
            )
        self.report.imported += 1
        self.known[(thread.pk, source.key)] = (made.pk, made.parent_id)
        self._touch(thread, made.parent_id)
        self.report.undated += source.created_at is None
        if source.state == "pending" and made.status == Comment.Status.PUBLISHED:
            HoldComment(
                comment=made,
                automated=True,
                reason_code="imported_pending",
                note=(
                    "Waiting for approval on "
                    f"{PLATFORM_NAMES.get(self.platform, self.platform)} when it was imported."
                ),
            ).execute()
        if source.state == "pending" or made.status == Comment.Status.PENDING:
            self.report.held += 1
            self.report.held_there += source.state == "pending"
        return self.waiting.pop(source.key, [])

    def _place_shell(
        self, thread: Thread, source: SourceComment, parent_id: int | None
    ) -> list[SourceComment]:
        """A comment deleted with its replies kept, placed as an empty shell for them."""
        if self.placed >= BATCH:
            self.later.append((source, parent_id))
            return []
        self.placed += 1
        try:
            made = comment_shell_create(
                thread=thread,
                author_name=_clean_name(source.author_name),
                parent_id=parent_id,
                idempotency_key=_key(self.platform, source.key),
                created_at=source.created_at,
            )
        except CommentRefused as refusal:
            return self._refused(
                source, " ".join(m for ms in refusal.message_dict.values() for m in ms)
            )
        self.report.imported += 1
        self.known[(thread.pk, source.key)] = (made.pk, made.parent_id)
        self.report.shells += 1
        self.report.undated += source.created_at is None
        self._touch(thread, made.parent_id)
        return self.waiting.pop(source.key, [])

    def _touch(self, thread: Thread, parent_id: int | None) -> None:
        """Note a comment placed (or found) on ``thread``, under ``parent_id`` if a reply."""
        self.touched.add(thread.pk)
        if parent_id is not None:
            self.parents[thread.pk].add(parent_id)

    def _refused(self, source: SourceComment, reason: str) -> list[SourceComment]:
        self.report.refused += 1
        if len(self.report.refusals) < EXAMPLES_KEPT:
            self.report.refusals.append((source.key or "(no id)", reason))
        return self._leave_out(source)

    def orphans(self) -> None:
        """Replies whose parent never came: each becomes a comment of its own (set aside to be
        screened and placed, with the replies waiting for it). One whose parent is itself
        waiting, or set aside, waits for it; if every one does (a hostile file's loop of
        replies), the first goes to the top."""
        coming = {child.key for children in self.waiting.values() for child in children}
        coming.update(source.key for source, _parent_id in self.later)
        parents = [key for key in self.waiting if key not in coming] or list(self.waiting)[:1]
        for parent in parents:
            for child in self.waiting.pop(parent):
                self.report.orphans += 1
                for released in self._place(self.threads[child.thread_key], child, None):
                    self.comment(released)


def _future(source: SourceComment) -> bool:
    return source.created_at is not None and source.created_at > timezone.now() + FUTURE_SLACK


def _batches(
    items: Iterable[SourceThread | SourceComment],
) -> Iterator[list[SourceThread | SourceComment]]:
    """``items`` BATCH at a time, or fewer where their text reaches BATCH_TEXT."""
    batch: list[SourceThread | SourceComment] = []
    text = 0
    for item in items:
        batch.append(item)
        text += len(item.body) if isinstance(item, SourceComment) else 0
        if len(batch) == BATCH or text >= BATCH_TEXT:
            yield batch
            batch, text = [], 0
    if batch:
        yield batch


def comments_import(
    items: Iterable[SourceThread | SourceComment],
    *,
    platform: str,
    progress: Callable[[ImportReport], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import what ``items`` (an importers.formats reader) yields; see the module's docstring.

    ``stop`` is asked after each batch is committed: when it says so, :class:`ImportInterrupted`
    is raised there, with everything read so far placed (running the import again carries on).

    ``BATCH`` items at a time: their comments are screened first, with no transaction open
    (screening may wait for Akismet), then placed in one transaction, which holds the database's
    write lock (SQLite) or the thread's row (PostgreSQL) only while it writes. A reply read
    before its parent was screened (as a reply) when it was read, and is placed in the
    transaction that places its parent, BATCH comments at most: so a reply chain in reverse
    order is written BATCH at a time, not in a transaction for each reply. What is left over
    (past BATCH, or a reply that goes to the top as its parent never came, and is screened
    again) is placed in short transactions after it. ``progress`` is called inside each of
    those transactions, so what it keeps (the run's count of comments imported) is committed
    with the comments it counts, or not at all.
    """
    report = ImportReport()
    importer = _Importer(platform, report)

    def write(place: Callable[[], None]) -> None:
        # The batch's holds reach the moderators' open queues as one event when it commits.
        with transaction.atomic(), live_queue.decisions_gathered():
            importer.placed = 0
            place()
            # Each comment took the next number as it was saved, and each reply its place under
            # its parent, in the file's order; the threads' orders (oldest and newest first) and
            # each parent's replies (oldest first) follow the comments' own dates.
            for thread_id in sorted(importer.touched):
                thread_number_by_date(thread_id=thread_id)
                thread_replies_by_date(
                    thread_id=thread_id, parent_ids=importer.parents.pop(thread_id, ())
                )
            importer.touched.clear()
            if progress is not None:
                progress(report)

    for batch in _batches(items):
        importer.screen(batch)

        def place(batch: list[SourceThread | SourceComment] = batch) -> None:
            came, importer.thread_came = importer.thread_came, []
            for item in [*came, *batch]:
                if isinstance(item, SourceComment):
                    importer.comment(item)

        write(place)
        importer.place_later(write)
        if stop is not None and stop():
            raise ImportInterrupted(report)
    for waiting in importer.awaiting_thread.values():  # their discussion never came
        report.skipped["in no discussion of the export"] += len(waiting)
    importer.awaiting_thread.clear()
    while importer.waiting:
        importer.orphans()
        importer.place_later(write)
    return report


class ImportInterrupted(Exception):
    """An import told to stop (its task worker was, :func:`core.workers.stop_asked`), which
    stopped after a batch was committed: ``report`` says what it had imported."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__("the import was told to stop")
        self.report = report


class ImportStopped(Exception):
    """A file import that stopped with a reason a person can act on: the file was refused
    before anything was imported (``nothing_imported``), or it stopped part-way, keeping what it
    had imported (running it again carries on)."""

    def __init__(self, message: str, *, nothing_imported: bool) -> None:
        super().__init__(message)
        self.nothing_imported = nothing_imported


def file_import(
    stream: BinaryIO,
    *,
    platform: str,
    size: int | None,
    name: str = "The export",
    checking: Callable[[], None] | None = None,
    progress: Callable[[ImportReport, int], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import an export file: refused whole if over ``IMPORT_MAX_MB`` or if it cannot be read to
    its end (a seekable file of known ``size`` is read through once first), then imported.

    ``checking`` is called before that first reading, ``progress`` with the report and the bytes
    read after each batch. Raises :class:`ImportStopped`, and :class:`ImportInterrupted` when
    ``stop`` says so after a batch. One path for the command and the admin's upload.
    """
    cap = settings.IMPORT_MAX_MB * 1024 * 1024
    reader = READERS[platform]
    if size is not None:
        if size > cap:
            raise ImportStopped(
                f"{name} is {size:,} bytes; the import limit is {cap:,} (IMPORT_MAX_MB="
                f"{settings.IMPORT_MAX_MB}). Nothing was imported.",
                nothing_imported=True,
            )
        if checking is not None:
            checking()
        try:
            for _item in reader(Counted(stream, cap=cap)):
                pass
        except ExportError as exc:
            raise ImportStopped(f"{exc} Nothing was imported.", nothing_imported=True) from exc
        stream.seek(0)
    counted = Counted(stream, cap=cap)
    try:
        return comments_import(
            reader(counted),
            platform=platform,
            progress=(lambda report: progress(report, counted.read_bytes)) if progress else None,
            stop=stop,
        )
    except ExportError as exc:
        raise ImportStopped(
            f"{exc} Comments imported before this point are kept; importing the file again "
            "carries on from there.",
            nothing_imported=counted.read_bytes == 0,
        ) from exc


def import_run_create(*, platform: str, upload: UploadedFile, user) -> ImportRun:
    """Keep an uploaded export and queue its import (importers.tasks.import_run): the run and
    its task's row are committed together (core.task_queue), so a worker takes the import once
    the run is saved, and a run is never left waiting for a task that was never queued. The
    caller has checked the platform and the file's size (importers.forms)."""
    from importers.tasks import import_run  # noqa: PLC0415 - the task module imports this one

    run = ImportRun(platform=platform, file_name=upload.name[:255], size=upload.size)
    run.created_by = user
    run.file.save(_stored_name(upload.name), upload, save=False)
    with transaction.atomic():
        run.save()
        task_enqueue(import_run, run_id=run.pk)
    return run


def _stored_name(name: str) -> str:
    """A safe name on disk for an upload: the site's own, never a path the uploader chose."""
    return f"{secrets.token_hex(8)}{'.xml' if name.lower().endswith('.xml') else ''}"


def import_run_execute(*, run_id: int) -> str:
    """Run an uploaded import (the task), keeping its progress and report on the run. The file
    is deleted afterwards, whatever happened (an export holds readers' addresses, and what it
    held is in the database now; an import stopped part-way carries on when uploaded again),
    except when the task worker is told to stop (SIGTERM, Ctrl-C): once, and the import stops
    after the batch it is on; twice, and the worker ends the task there. Then the run stops as
    if the worker were lost (:func:`import_run_lost`), keeping its file to be run again."""
    run = ImportRun.objects.get(pk=run_id)
    if run.status != ImportRun.Status.QUEUED:  # a task delivered twice
        return run.status

    def keep(**fields) -> None:
        ImportRun.objects.filter(pk=run.pk).update(**fields)

    def progress(report: ImportReport, read_bytes: int) -> None:
        keep(status=ImportRun.Status.IMPORTING, read_bytes=read_bytes, imported=report.imported)

    status, fields, stopped = ImportRun.Status.FAILED, {}, False
    try:
        with run.file.open("rb") as stream:
            report = file_import(
                stream,
                platform=run.platform,
                size=run.size,
                name=f"“{run.file_name}”",
                checking=lambda: keep(status=ImportRun.Status.CHECKING),
                progress=progress,
                stop=stop_asked,
            )
    except ImportInterrupted:
        # The worker was told to stop: the batches committed are kept, and so is the file, to
        # be run again.
        stopped = True
        import_run_lost(run_id=run.pk, between_batches=True)
        return ImportRun.Status.FAILED
    except ImportStopped as exc:
        fields = {"problem": str(exc)}
    except FileNotFoundError:
        fields = {"problem": "The uploaded file is no longer on this server. Upload it again."}
    except Exception:
        fields = {
            "problem": "The import failed unexpectedly; the task worker's log says why. "
            "Comments imported before that are kept; uploading the file again carries on."
        }
        raise
    except BaseException:  # SystemExit: the worker, told twice to stop, ends the task here
        stopped = True
        import_run_lost(run_id=run.pk, stopped=True)
        raise
    else:
        status = ImportRun.Status.DONE
        fields = {
            "report": "\n".join(report.lines()),
            "imported": report.imported,
            "read_bytes": run.size,
        }
    finally:
        if not stopped:
            keep(status=status, finished_at=timezone.now(), **fields)
            run.file.delete(save=False)
    return status


def import_run_lost(*, run_id: int, stopped: bool = False, between_batches: bool = False) -> None:
    """The task worker importing run ``run_id`` stopped without finishing it (killed, out of
    memory, its machine lost; core.workers found it), or, ``stopped``, was told twice to stop
    and ended it part-way, or, ``between_batches``, was told to stop and the import stopped
    after a batch: the run stops, saying so. What it imported is kept, and its file too,
    so that it can be run again (:func:`import_run_again`)."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.finished:
            return
        what = (
            "importing this file"
            if run.status == ImportRun.Status.IMPORTING
            else "checking this file"
        )
        if between_batches:
            how = (
                f"was told to stop while {what}, and stopped once the comments it was writing "
                "were saved"
            )
        elif stopped:
            how = (
                f"was stopped while {what} (told twice to stop, it did not wait for the import "
                "to finish)"
            )
        else:
            how = f"stopped while {what} (it was killed, or its machine stopped)"
        so_far = "nothing was imported"
        if run.imported:
            so_far = f"{run.imported:,} " + ngettext(
                "comment was imported before it stopped, and is kept",
                "comments were imported before it stopped, and are kept",
                run.imported,
            )
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRun.Status.FAILED,
            finished_at=timezone.now(),
            problem=f"The task worker {how}: {so_far}. Run it again: comments already imported "
            "are not imported twice.",
        )


class RunAgainRefused(Exception):
    """An import that cannot be run again, with the reason to show."""


def import_run_again(*, run_id: int) -> ImportRun:
    """Queue a stopped import again, from its file kept on the server: comments it imported
    before it stopped are found by their key and not made twice. Raises
    :class:`RunAgainRefused`, changing nothing, for a run that has not stopped or whose file is
    gone."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None:
            raise RunAgainRefused("There is no such import.")
        if run.status != ImportRun.Status.FAILED:
            raise RunAgainRefused(
                "This import has not stopped: it is "
                f"{run.get_status_display().lower()}. Nothing was changed."
            )
        if not run.file or not run.file.storage.exists(run.file.name):
            raise RunAgainRefused(
                "The uploaded file is no longer on this server, so this import cannot be run "
                "again. Upload the file again: comments already imported are not imported twice."
            )
        run.status = ImportRun.Status.QUEUED
        run.problem = run.report = ""
        run.read_bytes = run.imported = 0
        run.finished_at = None
        run.save(
            update_fields=["status", "problem", "report", "read_bytes", "imported", "finished_at"]
        )
        from importers.tasks import import_run  # noqa: PLC0415 - the task module imports this one

        task_enqueue(import_run, run_id=run.pk)  # committed with the run, or not at all
    return run
