"""The scorers registry: each scorer rates a comment from 0 (fine) to 1 (certainly a problem).

A scorer comes with a default threshold; an operator may change it in the admin
(``ScorerThreshold``). At or above its threshold a scorer holds the comment, and, when it
``ask_first``, a reader posting through the site is first warned and may rephrase.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from discussion.screening import Submission
from moderation.normalise import Normalised


@dataclass(frozen=True)
class ScoringContext:
    submission: Submission
    text: Normalised
    hosts: tuple[str, ...]
    reader_key: str


Scorer = Callable[[ScoringContext], float | None]


@dataclass(frozen=True)
class RegisteredScorer:
    name: str
    score: Scorer
    hold_at: float
    ask_first: bool
    reason: str  # what the reader and the moderator are told, in plain words


_scorers: dict[str, RegisteredScorer] = {}


def register(
    name: str, score: Scorer, *, hold_at: float, reason: str, ask_first: bool = False
) -> None:
    _scorers[name] = RegisteredScorer(name, score, hold_at, ask_first, reason)


def unregister(name: str) -> None:
    _scorers.pop(name, None)


def registered() -> list[RegisteredScorer]:
    return list(_scorers.values())


def register_defaults() -> None:
    from moderation.scorers import akismet, heuristics, toxicity

    heuristics.register_all()
    toxicity.register_scorer()
    akismet.register_scorer()
