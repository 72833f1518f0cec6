"""gzip's checksum of a cached page, combined from its parts' (core.pagecache.crc32_combine)."""

from __future__ import annotations

import random
import zlib

from core.pagecache import crc32_combine


def test_combining_two_parts_checksums_gives_the_checksum_of_the_whole():
    rng = random.Random(2026)
    for length in [0, 1, 2, 31, 32, 64, 1000, 65_536, 372_165, *rng.sample(range(200_000), 40)]:
        first = rng.randbytes(rng.randrange(0, 3000))
        second = rng.randbytes(length)
        combined = crc32_combine(zlib.crc32(first), zlib.crc32(second), len(second))
        assert combined == zlib.crc32(first + second), length
