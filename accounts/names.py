"""Display names: what makes two names "the same", and which names are refused.

Two names are the same when their *keys* match. The key is the name after NFKC normalisation,
case folding, collapsed spaces, and a small "skeleton" mapping in the spirit of Unicode TR39:
letters that look alike across Latin, Cyrillic and Greek (and a few digits that pass for letters)
map to one Latin letter. So "Anna", "ANNA" and "Аnna" (with a Cyrillic А) share a key, and
only the first of them to be taken is accepted.

A coarser *loose key* also drops everything in the key that is not a letter, a combining mark or
a digit: punctuation, symbols, emoji and spaces. "Demo Reader", "Demo Reader.", "demo-reader",
"DemoReader" and "Demo  Reader!" share one, as readers cannot tell them apart at a glance. A
member's name may not share its loose key with another member's, and a guest may not post under
a name whose loose key is a member's. Combining marks are kept because scripts such as Devanagari
and Thai write vowels with them: without them "राम" and "रम" would be one name.

Refused outright: control and format characters (bidi overrides and isolates, zero-width
characters), blank-looking fillers, names that mix Latin letters with Cyrillic or Greek ones,
which is how look-alike impersonation is usually typed, and names that pass for the newsroom
itself ("Staff", "Moderator", the publication's name; ``_RESERVED``).
"""

from __future__ import annotations

import functools
import unicodedata

# Cyrillic and Greek letters that render like a Latin letter (lower case, after casefold).
_SKELETON = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j",
        "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y",
        "х": "x", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ь": "b", "г": "r",
        "п": "n", "и": "u",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
        "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ω": "w", "ϲ": "c", "ϳ": "j",
        "μ": "u", "ζ": "z",
        # Latin look-alikes and digits read as letters
        "ı": "i", "ɩ": "i", "ł": "l", "1": "l", "|": "l", "0": "o", "5": "s",
    }
)  # fmt: skip

# Characters that draw nothing but are not in a control or format category.
_BLANK_LOOKING = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800", "\u180e"}


def _script(char: str) -> str | None:
    """The script a letter belongs to, as far as look-alike checks care."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    for script in ("LATIN", "CYRILLIC", "GREEK"):
        if name.startswith(script):
            return script
    return "OTHER"


def normalise(name: str) -> str:
    """The name as it will be shown: NFKC, with runs of spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name).split())


def name_key(name: str) -> str:
    """The key under which a display name must be unique (see the module docstring)."""
    folded = normalise(name).casefold()
    return unicodedata.normalize("NFKC", folded).translate(_SKELETON)


def loose_key_from_key(key: str) -> str:
    """The loose key of a name whose :func:`name_key` is ``key`` (see the module docstring).

    A name with no letter, mark or digit at all ("...") keeps its whole key, so that it is not the
    same as every other such name.
    """
    loose = "".join(char for char in key if unicodedata.category(char)[0] in "LMN")
    return loose or key


def name_loose_key(name: str) -> str:
    """The key under which a display name must not repeat a member's, punctuation and spacing
    aside (see the module docstring)."""
    return loose_key_from_key(name_key(name))


def name_problem(name: str, *, max_length: int) -> str | None:
    """Why ``name`` cannot be a display name, or None when it can."""
    for char in name:
        if char == "\ufffd":
            # What a form's bytes of another encoding (Latin-1's "é", 0xE9) are read as.
            return "Display names cannot contain bytes that are not valid text (UTF-8)."
        category = unicodedata.category(char)
        if category in ("Cc", "Cf") or char in _BLANK_LOOKING:
            return (
                "Display names cannot contain invisible characters or text-direction controls "
                f"(found U+{ord(char):04X})."
            )
        if category in ("Cs", "Co", "Cn"):
            return "Display names can only contain printable characters."
    shown = normalise(name)
    if not shown:
        return "Please choose a display name."
    if len(shown) > max_length:
        return f"Display names can be at most {max_length} characters."
    scripts = {
        script for char in shown if (script := _script(char)) in ("LATIN", "CYRILLIC", "GREEK")
    }
    if len(scripts) > 1:
        return (
            "Display names cannot mix Latin letters with Cyrillic or Greek ones, because such "
            "names can imitate other readers. Please use one alphabet."
        )
    return None


def reserved_problem(name: str) -> str | None:
    """Why ``name`` cannot be chosen by a reader, as one that passes for the newsroom, or None.
    Asked of names readers choose (sign-up, a rename, a guest's comment), not of those an import
    brings, where a site's own "admin" replied in its time."""
    key = name_loose_key(name)
    if key in _reserved_keys():
        return (
            "That name could be taken for the newsroom speaking (its staff, its moderators or "
            "the publication itself). Please choose another."
        )
    if key in _stand_in_keys():
        return (
            "That is what the discussion shows in place of a name (for a deleted account, or a "
            "comment deleted or removed), so readers would take your words for one. "
            "Please choose another."
        )
    return None


# Names a reader could use to pass for the newsroom, beside the publication's own name and its
# staff badge's label (settings): refused in any case, spacing or punctuation ("S.T.A.F.F").
_RESERVED = (
    "staff",
    "admin",
    "administrator",
    "moderator",
    "moderators",
    "moderation",
    "editor",
    "editors",
    "newsroom",
    "the newsroom",
)


# What a thread shows in a name's place (discussion's comment template, and DELETED_ACCOUNT_NAME
# on an erased member's kept comments): a reader under one would pass for an erased reader, or
# for the site's own note, with words of their own under it.
_STAND_INS = (
    "deleted account",
    "comment deleted",
    "comment removed",
    "comment held for review",
)


@functools.lru_cache(maxsize=1)
def _stand_in_keys() -> frozenset[str]:
    return frozenset(name_loose_key(words) for words in _STAND_INS)


def _reserved_keys() -> frozenset[str]:
    from django.conf import settings  # read per call, never at import

    return _reserved_keys_for(settings.WAGTAIL_SITE_NAME, settings.STAFF_BADGE_LABEL)


@functools.lru_cache(maxsize=4)
def _reserved_keys_for(site_name: str, badge: str) -> frozenset[str]:
    """The loose keys of ``_RESERVED``, the publication's name (with and without a leading
    "The") and the staff badge's label: worked out once, as every guest's comment asks."""
    plain = site_name.removeprefix("The ").removeprefix("the ")
    words = (*_RESERVED, site_name, plain, badge)
    return frozenset(key for word in words if word and (key := name_loose_key(word)))
