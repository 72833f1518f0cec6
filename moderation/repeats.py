"""Whether a rule's regular expression has counted repeats too large to compile.

A counted repeat ("x{1000}") is unrolled when the regex module compiles it, in every process
that screens comments, at about 270 bytes a step: "x{99999999}" asked for 23 GB, and the app
server's worker was killed for memory as the rule was saved. Repeats inside repeats multiply,
so the product of every smallest count is held under ``REGEX_REPEAT_MAX`` (an open or upper
bound, as in {0,1000}, is not unrolled).

Braces are not always a repeat: in a character class (``[{5}]``), escaped (``\\{5}``), in a
comment (``(?#{5})``, or after ``#`` in a verbose pattern) they are text, and in a verbose
pattern ``x{ 5 }`` is one. Rather than a second parser that could disagree with the regex
module's (sets inside sets, ``\\p{...}``, flags turned on part way), the module itself is asked
about each pair of braces that could be a repeat, with a count it refuses.
"""

from __future__ import annotations

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


def regex_repeats_too_much(pattern: str, *, flags: int) -> bool:
    """Whether ``pattern``'s counted repeats, compiled with ``flags``, multiplied, come to more
    than REGEX_REPEAT_MAX."""
    braces = [found for found in _BRACES.finditer(pattern) if int(found.group(1)) > 1]
    product = 1
    for asked in braces:
        if not _is_repeat(pattern, braces=braces, asked=asked, flags=flags):
            continue
        count = asked.group(1)
        if len(count) > len(str(REGEX_REPEAT_MAX)):  # nor is a count of 5,000 digits read
            return True
        product *= int(count)
        if product > REGEX_REPEAT_MAX:
            return True
    return False


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
