"""Small helpers for the sentences the site writes around readers' own words."""

from __future__ import annotations

# A sentence that already ends with one of these needs no full stop of its own.
_ENDINGS = (".", "!", "?", "…")


def full_stop(text: str) -> str:
    """``text`` ended with a full stop, unless it already ends a sentence.

    For a sentence that ends with a name readers chose: "…the comment by Graham W." rather than
    "…by Graham W..". Write ``full_stop(f"Featured the comment by {name}")``, or in a template
    ``{{ comment.author_name|full_stop }}`` where the stop would follow the name.
    """
    return text if text.rstrip().endswith(_ENDINGS) else f"{text}."
