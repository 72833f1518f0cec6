"""An import's report counts in the singular for one, and in the plural otherwise."""

from __future__ import annotations

from collections import Counter

from importers.services import ImportReport


def test_one_of_each_is_said_in_the_singular():
    report = ImportReport(
        threads=1, unmatched=1, orphans=1, skipped=Counter({"pingbacks or trackbacks": 1})
    )

    lines = report.lines()

    assert "1 discussion read, 1 of those with comments has no article here" in lines
    assert "1 reply whose parent was not in the export, shown as a comment" in lines
    assert "not imported: 1 pingback or trackback" in lines


def test_several_are_said_in_the_plural():
    report = ImportReport(
        threads=3, unmatched=2, orphans=2, skipped=Counter({"pingbacks or trackbacks": 2})
    )

    lines = report.lines()

    assert "3 discussions read, 2 of those with comments have no article here" in lines
    assert "2 replies whose parent was not in the export, shown as comments" in lines
    assert "not imported: 2 pingbacks or trackbacks" in lines
