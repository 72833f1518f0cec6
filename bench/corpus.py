"""The words the benchmark's comments are made of, shared by Broadsheet's seeder and Isso's.

Standard library only: Isso's seeder imports this file from Isso's own virtualenv. The texts are
plain markdown (some emphasis, some second paragraphs, no links, nothing a screening rule holds),
the same pool on both sides so both systems store and serve comparable comments.
"""

from __future__ import annotations

import random

_TEXT = (
    "the minister said council budget housing rail strike report week people city plan year "
    "government public school hospital water energy prices inquiry evidence policy vote local "
    "residents election campaign funding court ruling decision question answer reason problem "
    "history service transport road bridge river coast village market workers union wages "
    "interview statement figures data survey analysis debate committee members agreement talks "
    "border trade export import deal season team match result fans stadium club coach players "
    "story reporting article headline editor readers comment view point argument fair wrong "
    "right better worse simply really perhaps certainly clearly still again already never"
)
_WORDS = _TEXT.split()

_FIRST_NAMES = "Anna Ben Chloe Dev Elena Femi Grace Hugo Ines Jon Kemi Liam Maya Nils Omar Priya"
POOL_SIZE = 64


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 18))]
    if rng.random() < 0.2:
        i = rng.randrange(len(words))
        words[i] = f"*{words[i]}*"
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice([".", ".", ".", "?", "!"])


def bodies(count: int = POOL_SIZE, seed: int = 4) -> list[str]:
    """``count`` comment texts, 60 to about 700 characters, always the same for one seed."""
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        paragraphs = []
        for _ in range(1 if rng.random() < 0.7 else 2):
            paragraphs.append(" ".join(_sentence(rng) for _ in range(rng.randint(1, 4))))
        texts.append("\n\n".join(paragraphs))
    return texts


def author_names(count: int = 500, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    first = _FIRST_NAMES.split()
    return [f"{rng.choice(first)} {chr(65 + rng.randrange(26))}." for _ in range(count)]
