"""The screening registry: the hook through which other apps judge a comment before it is saved.

``discussion`` owns the registry and never imports the apps that fill it; an app registers its
steps in ``AppConfig.ready()``. Each step sees a :class:`Submission` and may return a
:class:`Verdict` to hold or reject it; returning ``None`` lets the comment through to the next
step. With no steps registered, every valid comment is published.

A step may also attach evidence (reason ``codes`` and ``scores``) to any verdict, a publishing one
included; :func:`screen` merges it into the final verdict, and ``comment_create`` hands that
verdict to the ``on_saved`` hooks and saves the rows they return with the comment, so an app
records why a comment was held (its statement of reasons) in the same commit, never without it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from core import ratelimit

if TYPE_CHECKING:
    from django.db.models import Model
    from wagtail.models import Page

    from core.db import Read
    from discussion.models import Comment

Outcome = Literal["publish", "hold", "reject"]


@dataclass(frozen=True)
class Submission:
    thread_id: int
    body: str
    author_name: str
    user_id: int | None
    parent_id: int | None
    ip_address: str | None
    # "reader" when a person posted through the site (the form, later the API); anything else
    # ("direct": the demo loader, importers, tests) is trusted content that skips the checks
    # meant for people, such as rate limits and first-comment holds.
    source: str = "direct"
    author_email: str = ""  # a guest's optional address (accounts have theirs on the user)
    guest_key: str = ""  # a signed guest cookie's value, when the reader has one
    confirmed: bool = False  # the reader saw the "are you sure?" warning and posted anyway
    # The comment an edit changes (``source="edit"``): a step may ask what was decided about it
    # before (a moderator approved its earlier text, say). None for a new comment.
    comment_id: int | None = None
    # The thread's page, when the caller has just read it (the article a reader posted to): a
    # step that needs it (its path, when it was published) reads it here instead of querying it
    # again. None: such a step looks it up by ``thread_id``.
    page: Page | None = None
    # The caller's own rate limits, (prefix, key, rate) as core.ratelimit.count_each takes them
    # (the comment form's, per address): counted with the steps' own in one round trip to the
    # cache; over any of them, the comment is refused with the code "posting_too_fast" (as it is
    # over a step's own limits: every rate-limit refusal of a comment carries that code).
    limits: tuple[tuple[str, str, str], ...] = ()
    # A member of the newsroom's staff (the comment gets the staff badge): not held as a new
    # commenter, nor by a page's pre-moderation. Rules, links, scorers, rate limits and a
    # moderator's choice to pre-moderate that person still apply.
    staff: bool = False
    # A reply whose parent is not saved yet, so has no ``parent_id`` to give: an import reads
    # replies before their parents (comment_screen's ``reply_to_unsaved``).
    reply_to_unsaved: bool = False
    # Scratch space for the steps of this one screening (and its on_saved hooks): a read that
    # two steps need, such as the reader's standing, is made once and kept here. It lives and
    # dies with the submission, so nothing read for one comment can go stale for the next.
    memo: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    @property
    def is_reply(self) -> bool:
        """Whether the comment answers another. Steps ask this, never which comment it answers:
        an import screens a reply before its parent is saved, and the verdict stands for the
        reply under whichever comment it is then saved."""
        return self.parent_id is not None or self.reply_to_unsaved


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    reasons: tuple[str, ...] = field(default_factory=tuple)
    codes: tuple[str, ...] = field(default_factory=tuple)
    scores: Mapping[str, float] = field(default_factory=dict)


ScreeningStep = Callable[[Submission], Verdict | None]
SavedHook = Callable[["Comment", Submission, Verdict], "Iterable[Model] | None"]
AfterSavedHook = Callable[["Comment", Submission, Verdict], None]
ReadHook = Callable[[Submission], "Read | None"]
Limit = tuple[str, str, str]
LimitsHook = Callable[[Submission], list[Limit]]

_steps: list[tuple[int, str, ScreeningStep]] = []
_on_saved: dict[str, SavedHook] = {}
_after_saved: dict[str, AfterSavedHook] = {}
_reads: dict[str, ReadHook] = {}
_limits: dict[str, LimitsHook] = {}
_OVER = "screening:limits_over"  # the memo's set of the submission's limits that are over


def register_read(name: str, hook: ReadHook) -> None:
    """Call ``hook(submission)`` before a comment is screened, for a read its steps will need
    (the reader's history, say), sent with the comment's own reads: on PostgreSQL all of them in
    one round trip (core.db.read_together), rather than a round trip each as the steps ask.

    The hook returns a ``core.db.Read`` on the comment's database whose ``take`` keeps what it
    read in ``submission.memo`` for the steps, or None when there is nothing to read ahead (the
    steps then read what they need themselves). The read is made even when the comment is then
    refused before screening (a retried submit, a form error), so it should be one cheap
    statement.
    """
    _reads[name] = hook


def unregister_read(name: str) -> None:
    _reads.pop(name, None)


def reads(submission: Submission) -> list[Read]:
    """The registered hooks' reads for ``submission``."""
    return [read for hook in list(_reads.values()) if (read := hook(submission)) is not None]


def register_step(name: str, step: ScreeningStep, *, order: int = 100) -> None:
    """Add a step; steps run in ``order``, and registering a name again replaces it."""
    unregister_step(name)
    _steps.append((order, name, step))
    _steps.sort(key=lambda item: item[0])


def unregister_step(name: str) -> None:
    _steps[:] = [item for item in _steps if item[1] != name]


def register_on_saved(name: str, hook: SavedHook) -> None:
    """Call ``hook(comment, submission, verdict)`` when a comment is saved, and save the rows it
    returns with the comment.

    A hook returns the new rows that belong with the comment (unsaved model instances, such as
    the record of why it was held), or None. They are written with the comment or not at all: on
    PostgreSQL in the very statement that counts the comment on its thread and inserts it, so a
    comment refused there (its thread closed a moment ago) leaves none of them; on SQLite, in
    the comment's transaction, after it. A row without its own id gets one from the database,
    set on the instance once it is written.

    The comment has its id and ``path``. On PostgreSQL the hook runs before anything is
    written: the thread's counters are not yet updated, a new top-level comment has no
    ``number`` yet, and a query does not find the comment yet. On SQLite, which has no sequence
    to take the id from first, it runs once the comment is counted and inserted. Either way a
    hook writes nothing itself for a new comment: what it returns is saved with the comment.

    Also when its author's edit is saved: ``submission.source`` is then ``"edit"``, the comment
    already has its hooks' records from when it was made, its status is the edit's outcome (a
    published comment an edit held is pending), and the hook runs inside the edit's transaction
    with the comment saved, so it may write what it changes itself; rows it returns are inserted
    there too.
    """
    _on_saved[name] = hook


def unregister_on_saved(name: str) -> None:
    _on_saved.pop(name, None)


def run_on_saved(comment: Comment, submission: Submission, verdict: Verdict) -> list[Model]:
    """Run every hook; the rows they returned, to be saved with the comment."""
    rows: list[Model] = []
    for hook in list(_on_saved.values()):
        rows.extend(hook(comment, submission, verdict) or ())
    return rows


def register_after_saved(name: str, hook: AfterSavedHook) -> None:
    """Call ``hook(comment, submission, verdict)`` once a new comment and its ``on_saved`` rows
    are written (those rows have their ids then), in the transaction its caller may hold (an
    import's batch): a hook defers what it does outside the database with
    ``transaction.on_commit``, which then runs once the comment commits, or at once when nothing
    holds a transaction, and never for a comment that was not saved."""
    _after_saved[name] = hook


def unregister_after_saved(name: str) -> None:
    _after_saved.pop(name, None)


def run_after_saved(comment: Comment, submission: Submission, verdict: Verdict) -> None:
    for hook in list(_after_saved.values()):
        hook(comment, submission, verdict)


def register_limits(name: str, hook: LimitsHook) -> None:
    """Call ``hook(submission)`` for the rate limits an app's steps apply to it (prefix, key,
    rate): :func:`screen` counts them, and the caller's own (``Submission.limits``), in one round
    trip to the cache before any step runs, and a step asks :func:`limits_over` about its own.
    """
    _limits[name] = hook


def unregister_limits(name: str) -> None:
    _limits.pop(name, None)


def limits_over(submission: Submission, limits: list[Limit]) -> bool:
    """Whether any of ``limits`` is over its rate for this submission: as :func:`screen` counted
    them, or, for a step run on its own, counted now."""
    over = submission.memo.get(_OVER)
    if over is None or not all(limit in over for limit in limits):
        return any(ratelimit.count_each(list(limits)))
    return any(over[limit] for limit in limits)


def callers_limits_over(submission: Submission) -> bool:
    """Count the caller's own limits alone (a comment refused before screening, so its steps'
    limits are not counted): whether any is over."""
    limits = list(submission.limits)
    over = ratelimit.count_each(limits)
    submission.memo[_OVER] = dict(zip(limits, over, strict=True))
    return any(over)


def retry_after(submission: Submission) -> int | None:
    """Seconds until every limit this submission was counted over starts a new window (what a
    refusal's ``Retry-After`` says), or None when none was counted over. No cache is asked: the
    windows are fixed (core.ratelimit)."""
    over = submission.memo.get(_OVER) or {}
    waits = [ratelimit.seconds_to_next_window(rate) for (_p, _k, rate), hit in over.items() if hit]
    return max(waits, default=None)


def screen(submission: Submission) -> Verdict:
    """Run the steps in order; the first reject ends screening, a hold is kept as the verdict.

    Codes and scores from every step that ran are kept on the verdict returned. First the rate
    limits, the caller's and the steps' (:func:`register_limits`), are counted together.
    """
    own = list(submission.limits)
    limits = own + [limit for hook in list(_limits.values()) for limit in hook(submission)]
    if limits:
        over = ratelimit.count_each(limits)
        submission.memo[_OVER] = dict(zip(limits, over, strict=True))
        if any(over[: len(own)]):
            return Verdict(
                "reject",
                ("You are posting faster than this site allows.",),
                ("posting_too_fast",),
            )
    held: list[str] = []
    codes: list[str] = []
    scores: dict[str, float] = {}
    for _order, _name, step in list(_steps):
        verdict = step(submission)
        if verdict is None:
            continue
        codes.extend(verdict.codes)
        scores.update(verdict.scores)
        if verdict.outcome == "publish":
            continue
        if verdict.outcome == "reject":
            return Verdict("reject", verdict.reasons, tuple(codes), scores)
        held.extend(verdict.reasons)
    if held:
        return Verdict("hold", tuple(held), tuple(codes), scores)
    return Verdict("publish", (), tuple(codes), scores)
