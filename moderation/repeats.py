"""Whether a rule's regular expression has counted repeats too large to compile.

A counted repeat ("x{1000}") is unrolled when the regex module compiles it, in every process
that screens comments, at about 270 bytes a step: "x{99999999}" asked for 23 GB, and the app
server's worker was killed for memory as the rule was saved. A repeat inside a repeat is
unrolled once for each step of the one outside, so nested counts multiply; repeats one after
another ("a{100}b{101}") are unrolled once each, so they add. The steps, each repeat's smallest
count times the counts of the repeats around it, summed, are held under ``REGEX_REPEAT_MAX`` (an
open or upper bound, as in {0,1000}, is not unrolled).

Braces are not always a repeat: in a character class (``[{5}]``), escaped (``\\{5}``), in a
comment (``(?#{5})``, or after ``#`` in a verbose pattern) they are text, and in a verbose
pattern ``x{ 5 }`` is one. Rather than a second parser that could disagree with the regex
module's (sets inside sets, ``\\p{...}``, flags turned on part way), the module itself is asked
about each pair of braces that could be a repeat, with a count it refuses. Which repeats are
inside which, it is asked too: by how much a repeat's compiled pattern grows (``__sizeof__``
counts the unrolled code) when that repeat goes from two steps to four, with the repeats that
follow it at two steps and then at four. Only a repeat around it changes that growth (see
:class:`_Nesting`).
"""

from __future__ import annotations

import math
import re

import regex

REGEX_REPEAT_MAX = 10_000

# Braces that could be a counted repeat: a smallest count, maybe a comma and a largest, with
# the spaces a verbose pattern allows. Only a smallest count of 2 or more is unrolled into more
# than the text once.
_BRACES = re.compile(r"\{\s*(\d+)\s*(?:,\s*\d*\s*)?\}")
# A smallest count no repeat may have: where braces are a repeat, the module refuses the
# pattern at them while parsing it, before anything is unrolled.
_REFUSED_COUNT = "9" * 20


# How many counted repeats (of two steps or more) the module is asked about, two or three
# compiles each, before a pattern is refused without asking. Before nesting was asked, 14 were
# refused whatever they were (their counts multiplied), and no rule needs 32.
REGEX_REPEATS_COUNTED_MAX = 32
# The steps a repeat is given as the module is asked which repeats are inside which: two, not
# one, so that no repeat's text is packed with its neighbours' into one string (which changes
# the compiled size by more than the repeat itself).
_FEW, _MORE = 2, 4


def regex_repeats_too_much(pattern: str, *, flags: int) -> bool:
    """Whether ``pattern``'s counted repeats, compiled with ``flags``, come to more than
    REGEX_REPEAT_MAX steps: nested ones multiplied, ones that follow each other added."""
    braces = [found for found in _BRACES.finditer(pattern) if int(found.group(1)) > 1]
    repeats = [
        found for found in braces if _is_repeat(pattern, braces=braces, asked=found, flags=flags)
    ]
    if any(len(found.group(1)) > len(str(REGEX_REPEAT_MAX)) for found in repeats):
        return True  # nor is a count of 5,000 digits read
    counts = [int(found.group(1)) for found in repeats]
    if sum(counts) > REGEX_REPEAT_MAX:  # too many steps even if none is inside another
        return True
    if len(counts) * math.prod(counts) <= REGEX_REPEAT_MAX:  # few enough if all were nested
        return False
    if len(repeats) > REGEX_REPEATS_COUNTED_MAX:
        return True
    parents = _Nesting(pattern, repeats=repeats, flags=flags).parents()
    if parents is None:  # a probe did not compile: counted as nested, to be safe
        return math.prod(counts) > REGEX_REPEAT_MAX
    return _steps(counts, parents) > REGEX_REPEAT_MAX


def _steps(counts: list[int], parents: list[int | None]) -> int:
    """The steps unrolled: each repeat's count times the counts of the repeats around it."""
    steps = 0
    for index, count in enumerate(counts):
        outer = parents[index]
        while outer is not None:
            count *= counts[outer]
            outer = parents[outer]
        steps += count
    return steps


class _Nesting:
    """Which repeat each of ``repeats`` (in the order of their braces) is directly inside, asked
    of the regex module.

    A repeat given _MORE steps instead of _FEW grows the compiled pattern (``__sizeof__`` counts
    the unrolled code) by more when a repeat around it has _MORE steps too, and by exactly as
    much when the other repeat only comes before or after it. A repeat's braces come after
    those of every repeat inside it, so the ones around a repeat are all later in the pattern,
    and the one directly around it is the first of those."""

    def __init__(self, pattern: str, *, repeats: list[re.Match[str]], flags: int) -> None:
        self.pattern, self.repeats, self.flags = pattern, repeats, flags

    def size(self, more: set[int]) -> int:
        """The compiled size with the repeats of the indexes ``more`` at _MORE steps, the
        others at _FEW (their largest counts, not unrolled, dropped); ValueError if that does
        not compile."""
        probe = ""
        last = 0
        for index, found in enumerate(self.repeats):
            # From the smallest count to the closing brace: "{5, 10}" becomes "{4}".
            probe += self.pattern[last : found.start(1)] + str(_MORE if index in more else _FEW)
            last = found.end() - 1
        probe += self.pattern[last:]
        try:
            return regex.compile(probe, self.flags, cache_pattern=False).__sizeof__()
        except regex.error as refusal:
            raise ValueError(str(refusal)) from refusal

    def parents(self) -> list[int | None] | None:
        """For each repeat, the index of the one directly around it (None for none); None if
        one of the module's probes does not compile."""
        count = len(self.repeats)
        try:
            few = self.size(set())
            alone = [self.size({index}) for index in range(count)]
            # with_later[i]: the repeats from i on at _MORE steps.
            with_later = [self.size(set(range(first, count))) for first in range(count)]
            with_later.append(few)
            parents: list[int | None] = [None] * count
            for index in reversed(range(count)):
                growth = alone[index] - few
                if with_later[index] - with_later[index + 1] == growth:
                    continue  # no later repeat is around it
                # The repeat just after it is the one around it, or in a repeat that follows it
                # inside the one around it: so the one around it is the first of that repeat and
                # the ones around that (already found) that has it inside.
                later = index + 1
                while parents[index] is None:
                    if later is None:
                        raise ValueError("no repeat around it, yet one grows it")
                    if self.size({index, later}) - alone[later] != growth:
                        parents[index] = later
                    later = parents[later]
        except ValueError:
            return None
        return parents


def _is_repeat(
    pattern: str, *, braces: list[re.Match[str]], asked: re.Match[str], flags: int
) -> bool:
    """Whether the regex module reads the braces ``asked`` as a counted repeat: given a count
    too large for a repeat, it refuses the pattern there. Every other pair's smallest count is 1
    meanwhile, so nothing else is unrolled as the module is asked."""
    probe = ""
    start = end = 0
    last = 0
    for found in braces:
        probe += pattern[last : found.start(1)]
        if found is asked:
            start = len(probe) - (found.start(1) - found.start())
            probe += _REFUSED_COUNT
            end = len(probe) + (found.end() - found.end(1))
        else:
            probe += "1"
        last = found.end(1)
    probe += pattern[last:]
    try:
        # Not kept in the module's cache of compiled patterns, where the rules' own are.
        regex.compile(probe, flags, cache_pattern=False)
    except regex.error as refusal:
        # Refused elsewhere, the pattern does not compile at all, which Rule.clean says.
        return refusal.pos is not None and start <= refusal.pos < end
    except ValueError:  # (?V0) against VERSION1: it does not compile, which Rule.clean says
        return False
    return False
