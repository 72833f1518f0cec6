"""Near-identical texts, found without reading every pair side by side: MinHash with LSH bands.

A comment's shingles are its word pairs (of the normalised, folded text, so spacing, case,
punctuation, look-alike letters and invisible characters do not matter). Two texts' likeness is
the Jaccard index of their shingle sets; a copy with a word or two changed, the form a
coordinated campaign's comments take when their senders are told to "use your own words", keeps
most of its pairs.

Each text gets ``HASHES`` MinHash values, grouped in ``BANDS`` bands of two, and each band is kept
as one 32-bit number beside the comment's review. Two texts whose likeness is J share a given
band with probability J²: at J = 0.6 at least one of six bands matches 93% of the time, at 0.8
99.8%, while unrelated texts almost never do. So moderation.campaigns finds the candidates with
one GROUP BY per band, then measures their likeness exactly.

Texts of fewer than ``MIN_WORDS`` words get no bands: "Slava Ukraini!" or "Well said." written
by a thousand readers is agreement, not a campaign.
"""

from __future__ import annotations

import hashlib

import regex

MIN_WORDS = 8
HASHES = 12
BANDS = 6  # of HASHES // BANDS values each
NEAR = 0.6  # the likeness (Jaccard index of word pairs) from which two texts are copies
_WORD = regex.compile(r"\w+")
_PRIME = (1 << 61) - 1
# Fixed coefficients for the MinHash family (a * x + b mod p): the same on every process and
# every run, so bands written by one process are compared with another's.
_COEFFICIENTS = [
    (
        int.from_bytes(hashlib.blake2b(f"a{i}".encode(), digest_size=8).digest()) % _PRIME | 1,
        int.from_bytes(hashlib.blake2b(f"b{i}".encode(), digest_size=8).digest()) % _PRIME,
    )
    for i in range(HASHES)
]


def shingles(folded: str) -> frozenset[str]:
    """The text's word pairs; empty for a text under ``MIN_WORDS`` words."""
    words = _WORD.findall(folded)
    if len(words) < MIN_WORDS:
        return frozenset()
    return frozenset(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))


def bands(folded: str) -> tuple[int, ...] | None:
    """The text's ``BANDS`` band values (signed 32-bit, as the database keeps them), or None."""
    pairs = shingles(folded)
    if not pairs:
        return None
    base = [
        int.from_bytes(hashlib.blake2b(pair.encode(), digest_size=8).digest()) % _PRIME
        for pair in pairs
    ]
    minima = [min((a * x + b) % _PRIME for x in base) for a, b in _COEFFICIENTS]
    per_band = HASHES // BANDS
    values = []
    for band in range(BANDS):
        chunk = minima[band * per_band : (band + 1) * per_band]
        digest = hashlib.blake2b(repr(chunk).encode(), digest_size=4).digest()
        values.append(int.from_bytes(digest, signed=True))
    return tuple(values)


def likeness(a: frozenset[str], b: frozenset[str]) -> float:
    """The Jaccard index of two shingle sets."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
