"""docs/bad-input.md names, for each row of the design's bad input, the tests that prove it: each
name must still be a test, or an auditor following the table finds nothing."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "bad-input.md"
NODE_ID = re.compile(r"`([a-z_/]*tests/[a-z0-9_/]*\.py)::([a-z0-9_]+)`")


def test_every_test_named_in_docs_bad_input_md_is_a_test_of_its_file():
    named = NODE_ID.findall(DOCS.read_text())
    missing = [
        f"{path}::{name}"
        for path, name in named
        if not (ROOT / path).is_file()
        or not re.search(rf"^(async )?def {name}\(", (ROOT / path).read_text(), re.MULTILINE)
    ]
    assert len(named) > 100
    assert missing == []
