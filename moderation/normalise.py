"""Text as the word rules see it, so the usual tricks for slipping a word past a filter fail.

The reader's text is stored and shown exactly as typed; only matching uses these forms:

- NFKC folds full-width and styled letters (ｉｄｉｏｔ, 𝐢𝐝𝐢𝐨𝐭) into plain ones;
- case folding (İ, ß, upper case);
- format characters go: zero-width spaces and joiners, soft hyphens, bidi controls;
- Cyrillic and Greek letters that look Latin, and digits used as letters, read as Latin;
- letters spelled out with gaps ("i d i o t", "i.d.i.o.t", "i-d-i-o-t") are joined up;
- runs of one letter shrink to one ("idiooooot"), in a separate form matched the same way.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Look-alike letters, by what they look like rather than how they sound.
_LOOKALIKES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i",
        "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ɡ": "g", "һ": "h", "ӏ": "l",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
        "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "γ": "y",
        # digits and signs used as letters
        "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s",
        "!": "i", "|": "l",
    }
)  # fmt: skip

# Three or more single letters each followed by a separator: "i d i o t", "i.d.i.o.t".
_SPELLED_OUT = re.compile(r"(?<!\w)(?:\w[\s.\-_*·•,+/\\]+){2,}\w(?!\w)")
_SEPARATORS = re.compile(r"[\s.\-_*·•,+/\\]+")
_REPEATS = re.compile(r"(\w)\1+")
_SPACES = re.compile(r"\s+")


def _is_format(char: str) -> bool:
    # Cf: zero-width space/joiners, soft hyphen, word joiner, BOM, bidi embeddings and isolates.
    return unicodedata.category(char) == "Cf"


def fold(text: str) -> str:
    """NFKC, case fold and drop format characters: the form links and names are read in."""
    if text.isascii():
        # The same, without a look at each letter: ASCII has no format characters, NFKC leaves
        # it as it is, and its case folding is lower case.
        return text.lower()
    text = unicodedata.normalize("NFKC", text)
    text = "".join(char for char in text if not _is_format(char))
    return unicodedata.normalize("NFKC", text.casefold())


def skeleton(text: str) -> str:
    """``fold`` plus look-alike letters read as Latin and diacritics dropped."""
    text = fold(text).translate(_LOOKALIKES)
    if not text.isascii():  # ASCII (look-alikes read as Latin) has no diacritics to drop
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SPACES.sub(" ", text).strip()


def join_spelled_out(text: str) -> str:
    return _SPELLED_OUT.sub(lambda match: _SEPARATORS.sub("", match.group(0)), text)


def squeeze(text: str) -> str:
    return _REPEATS.sub(r"\1", text)


@dataclass(frozen=True)
class Normalised:
    folded: str  # for links and scorers
    forms: tuple[str, ...]  # every form the word rules are matched against
    runs: tuple[str, ...] = ()  # each run of spelled-out letters, joined ("zorkbat")


def normalise(text: str) -> Normalised:
    base = skeleton(text)
    joined = join_spelled_out(base)
    forms = dict.fromkeys((base, joined, squeeze(base), squeeze(joined)))
    runs = []
    for match in _SPELLED_OUT.finditer(base):
        run = _SEPARATORS.sub("", match.group(0))
        runs += [run, squeeze(run)]
    return Normalised(folded=fold(text), forms=tuple(forms), runs=tuple(dict.fromkeys(runs)))
