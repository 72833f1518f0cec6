"""The screening registry: the hook through which other apps judge a comment before it is saved.

``discussion`` owns the registry and never imports the apps that fill it; an app registers its
steps in ``AppConfig.ready()``. Each step sees a :class:`Submission` and may return a
:class:`Verdict` to hold or reject it; returning ``None`` lets the comment through to the next
step. With no steps registered, every valid comment is published.

A step may also attach evidence (reason ``codes`` and ``scores``) to any verdict, a publishing one
included; :func:`screen` merges it into the final verdict, and ``comment_create`` hands that
verdict to the ``on_saved`` hooks inside the transaction that saves the comment, so an app can
record why a comment was held (its statement of reasons) in the same commit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from wagtail.models import Page

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
    # The thread's page, when the caller has just read it (the article a reader posted to): a
    # step that needs it (its path, when it was published) reads it here instead of querying it
    # again. None: such a step looks it up by ``thread_id``.
    page: Page | None = None
    # Scratch space for the steps of this one screening (and its on_saved hooks): a read that
    # two steps need, such as the reader's standing, is made once and kept here. It lives and
    # dies with the submission, so nothing read for one comment can go stale for the next.
    memo: dict = field(default_factory=dict, init=False, compare=False, repr=False)


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    reasons: tuple[str, ...] = field(default_factory=tuple)
    codes: tuple[str, ...] = field(default_factory=tuple)
    scores: Mapping[str, float] = field(default_factory=dict)


ScreeningStep = Callable[[Submission], Verdict | None]
SavedHook = Callable[["Comment", Submission, Verdict], None]

_steps: list[tuple[int, str, ScreeningStep]] = []
_on_saved: dict[str, SavedHook] = {}


def register_step(name: str, step: ScreeningStep, *, order: int = 100) -> None:
    """Add a step; steps run in ``order``, and registering a name again replaces it."""
    unregister_step(name)
    _steps.append((order, name, step))
    _steps.sort(key=lambda item: item[0])


def unregister_step(name: str) -> None:
    _steps[:] = [item for item in _steps if item[1] != name]


def register_on_saved(name: str, hook: SavedHook) -> None:
    """Call ``hook(comment, submission, verdict)`` inside the transaction that saves a comment.

    Also when its author's edit is saved: ``submission.source`` is then ``"edit"``, the comment
    already has its hooks' records from when it was made, and its status is the edit's outcome
    (a published comment an edit held is pending).

    The comment has its id and ``path``. On PostgreSQL the hooks run before the thread is locked
    and before the comment's row is written (both in one statement just after): its thread's
    counters are not yet updated, a new top-level comment has no ``number`` yet, and a query
    for the comment does not find it yet, but a row a hook writes may refer to it (keys are
    checked at commit). On SQLite, which has no sequence to take the id from first, they run
    once the comment is counted and saved. If the comment is refused after the hooks ran (its
    thread closed meanwhile), their rows go with it.
    """
    _on_saved[name] = hook


def unregister_on_saved(name: str) -> None:
    _on_saved.pop(name, None)


def run_on_saved(comment: Comment, submission: Submission, verdict: Verdict) -> None:
    for hook in list(_on_saved.values()):
        hook(comment, submission, verdict)


def screen(submission: Submission) -> Verdict:
    """Run the steps in order; the first reject ends screening, a hold is kept as the verdict.

    Codes and scores from every step that ran are kept on the verdict returned.
    """
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
