"""Small helpers for the sentences the site writes around readers' own words."""

from __future__ import annotations

import re

# A sentence that already ends with one of these needs no full stop of its own. site.js reads
# them from the page (discussion/_status_region.html) for the sentences it writes itself.
SENTENCE_ENDINGS = (".", "!", "?", "…")


def full_stop(text: str) -> str:
    """``text`` ended with a full stop, unless it already ends a sentence.

    For a sentence that ends with a name readers chose: "…the comment by Graham W." rather than
    "…by Graham W..". Write ``full_stop(f"Featured the comment by {name}")``, or in a template
    ``{{ comment.author_name|full_stop }}`` where the stop would follow the name.
    """
    return text if text.rstrip().endswith(SENTENCE_ENDINGS) else f"{text}."


# Bidi embeddings and overrides (U+202A-U+202E) and isolates (U+2066-U+2069): they show the
# letters after them in an order other than the one they are stored, and screened, in (typed as
# "citsatprolb" inside an override, a word shows as "blorptastic"), and one left open can reorder
# the rest of a line. The marks (U+200E, U+200F, U+061C) only place neutral characters and stay.
_DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def direction_control_problem(text: str, *, what: str) -> str | None:
    """Why ``text`` cannot be taken because of a text-direction control, or None: ``what`` is
    what the reader wrote, as the sentence begins ("Your comment")."""
    if match := _DIRECTION_CONTROLS.search(text):
        return (
            f"{what} contains an invisible text-direction control (U+{ord(match.group()):04X}), "
            "which can make words show in a different order from the one they were typed in. "
            "Please remove it; it often comes with pasted text."
        )
    return None


# What XML 1.0 cannot hold (its Char production): C0 controls other than tab, line feed and
# carriage return, lone surrogates, and U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = "\x0b\x0c"  # vertical tab (Word's line break as text) and form feed


def xml_text(text: str) -> str:
    """``text`` fit for an XML document (a feed, a sitemap): a vertical tab or form feed read as
    the space it separates words by, any other character XML 1.0 cannot hold left out.

    Readers' comments and editors' headlines may hold them (pasted from Word), and one is
    enough to make a whole document unreadable to the machine it is for.
    """
    return _NOT_XML.sub(lambda found: " " if found[0] in _LINE_BREAKS else "", text)
