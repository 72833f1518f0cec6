"""The screening registry: the hook through which other apps judge a comment before it is saved.

``discussion`` owns the registry and never imports the apps that fill it; an app registers its
steps in ``AppConfig.ready()``. Each step sees a :class:`Submission` and may return a
:class:`Verdict` to hold or reject it; returning ``None`` lets the comment through to the next
step. With no steps registered, every valid comment is published.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

Outcome = Literal["publish", "hold", "reject"]


@dataclass(frozen=True)
class Submission:
    thread_id: int
    body: str
    author_name: str
    user_id: int | None
    parent_id: int | None
    ip_address: str | None


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    reasons: tuple[str, ...] = field(default_factory=tuple)


ScreeningStep = Callable[[Submission], Verdict | None]

_steps: list[tuple[int, str, ScreeningStep]] = []


def register_step(name: str, step: ScreeningStep, *, order: int = 100) -> None:
    """Add a step; steps run in ``order``, and registering a name again replaces it."""
    unregister_step(name)
    _steps.append((order, name, step))
    _steps.sort(key=lambda item: item[0])


def unregister_step(name: str) -> None:
    _steps[:] = [item for item in _steps if item[1] != name]


def screen(submission: Submission) -> Verdict:
    """Run the steps in order; the first reject ends screening, a hold is kept as the verdict."""
    held: list[str] = []
    for _order, _name, step in list(_steps):
        verdict = step(submission)
        if verdict is None or verdict.outcome == "publish":
            continue
        if verdict.outcome == "reject":
            return verdict
        held.extend(verdict.reasons)
    if held:
        return Verdict("hold", tuple(held))
    return Verdict("publish")
