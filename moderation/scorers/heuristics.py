"""Cheap signals shipped by default: shouting, repeated characters, link density, repeats."""

from __future__ import annotations

import hashlib
import re

from moderation.scorers import ScoringContext, register

_LETTER = re.compile(r"[^\W\d_]")
_RUN = re.compile(r"(.)\1{4,}", re.DOTALL)


def text_hash(folded: str) -> str:
    return hashlib.sha256(" ".join(folded.split()).encode()).hexdigest()


def shouting(ctx: ScoringContext) -> float | None:
    letters = _LETTER.findall(ctx.submission.body)
    if len(letters) < 20:
        return None  # "NO." or an acronym is not shouting
    return sum(letter.isupper() for letter in letters) / len(letters)


def repeated_characters(ctx: ScoringContext) -> float | None:
    longest = max((len(match.group(0)) for match in _RUN.finditer(ctx.submission.body)), default=0)
    return min(1.0, longest / 20) if longest else 0.0


def link_density(ctx: ScoringContext) -> float | None:
    words = max(1, len(ctx.submission.body.split()))
    links = len(ctx.hosts)
    if links < 2:
        return 0.0  # one source cited is normal; unknown domains are the links step's business
    # Four links, or two links in a dozen words, is what spam looks like.
    return min(1.0, max(links / 4, links * 6 / words))


def same_text_again(ctx: ScoringContext) -> float | None:
    from moderation.pipeline import history

    # Only for people posting: an import or the demo may carry the same short line twice.
    if not ctx.reader_key or ctx.submission.source != "reader":
        return None
    # Read with the reader's standing, in the one query screening makes about their past.
    return 1.0 if history(ctx.submission).repeated else 0.0


def register_all() -> None:
    register("shouting", shouting, hold_at=0.8, reason="written mostly in capital letters")
    register(
        "repeated_characters",
        repeated_characters,
        hold_at=0.75,
        reason="contains long runs of one repeated character",
    )
    register("link_density", link_density, hold_at=1.0, reason="contains many links")
    register(
        "same_text_again",
        same_text_again,
        hold_at=1.0,
        reason="is the same text as an earlier comment by the same reader",
    )
