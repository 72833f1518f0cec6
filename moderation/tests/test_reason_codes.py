"""Every reason code the site uses has its words: a label for the transparency report and a
sentence for the author's statement of reasons, never the code itself.

The codes are found in the source, so a code added later without its words fails here: every
``reason_code=`` (an action's, a query's) and every ``.reason_code =``, and every code screening
can give (a ``Verdict``'s codes, and what a step appends to the ``codes`` it hands one). A code
written as a literal, a module's constant or an f-string's fixed start (``f"scorer:{name}"``) is
read; one a moderator picks (``REJECT_REASONS``, ``BAN_REASONS``) is checked from those lists.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from django.conf import settings

from moderation.reasons import (
    ACTION_LABELS,
    BAN_REASONS,
    PLAIN_WORDS,
    REASON_LABELS,
    REJECT_REASONS,
    action_label,
    plain,
)

_NOT_SOURCE = {".venv", ".tools", "tests", "migrations", "bench", "scripts", "var", "node_modules"}
_FALLBACK = plain("a code nobody uses")


def _modules() -> list[tuple[str, ast.Module]]:
    base = Path(settings.BASE_DIR)
    found = []
    for path in sorted(base.rglob("*.py")):
        relative = path.relative_to(base)
        if _NOT_SOURCE & set(relative.parts) or len(relative.parts) < 2:
            continue
        name = ".".join(relative.with_suffix("").parts)
        found.append((name, ast.parse(path.read_text(), filename=str(relative))))
    return found


def _codes_of(node: ast.expr | None, module: str) -> set[str]:
    """The reason codes ``node`` can be, as far as the source says (a code's part before ':')."""
    if node is None:
        return set()
    if isinstance(node, ast.Constant):
        return {node.value.split(":")[0]} if isinstance(node.value, str) and node.value else set()
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        if isinstance(first, ast.Constant):
            return _codes_of(first, module)
        if isinstance(first, ast.FormattedValue):
            return _codes_of(first.value, module)
        return set()
    if isinstance(node, ast.IfExp):
        return _codes_of(node.body, module) | _codes_of(node.orelse, module)
    if isinstance(node, ast.BoolOp):
        return set().union(*(_codes_of(value, module) for value in node.values))
    if isinstance(node, ast.Tuple | ast.List):
        return set().union(set(), *(_codes_of(item, module) for item in node.elts))
    if isinstance(node, ast.Name | ast.Attribute):
        # A module's constant (campaigns.REASON, _HELD_BY_REPORTS); anything else (a variable,
        # self.reason_code) is a code made elsewhere, read there.
        try:
            value = eval(ast.unparse(node), vars(importlib.import_module(module)))  # noqa: S307
        except Exception:
            return set()
        return _codes_of(ast.Constant(value), module) if isinstance(value, str) else set()
    return set()


def _is_verdict(call: ast.Call) -> bool:
    func = call.func
    return (isinstance(func, ast.Name) and func.id == "Verdict") or (
        isinstance(func, ast.Attribute) and func.attr == "Verdict"
    )


def codes_in_use() -> dict[str, set[str]]:
    """Each code the source uses, with the modules that use it."""
    used: dict[str, set[str]] = {}
    for module, tree in _modules():
        found: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == "reason_code":
                        found |= _codes_of(keyword.value, module)
                if _is_verdict(node):
                    codes = node.args[2] if len(node.args) > 2 else None
                    codes = next((k.value for k in node.keywords if k.arg == "codes"), codes)
                    found |= _codes_of(codes, module)
                func = node.func
                if (
                    isinstance(func, ast.Attribute)
                    and func.attr in ("append", "extend")
                    and isinstance(func.value, ast.Name)
                    and func.value.id == "codes"
                ):
                    found |= set().union(set(), *(_codes_of(arg, module) for arg in node.args))
            elif isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Attribute) and target.attr == "reason_code"
                for target in node.targets
            ):
                found |= _codes_of(node.value, module)
        for code in found:
            used.setdefault(code, set()).add(module)
    return used


USED = codes_in_use()
PICKED = {code for code, _label in REJECT_REASONS} | set(BAN_REASONS)


def test_the_source_is_read_for_codes_of_every_kind():
    # Screening's literals, its f-strings, a module's constants, an importer's, an action's.
    assert {"new_commenter", "scorer", "rule_timeout", "suspect_word", "posting_too_fast"} <= set(
        USED
    )
    assert {"coordinated", "reported", "imported_pending", "appeal_upheld"} <= set(USED)


@pytest.mark.parametrize("code", sorted(set(USED) | PICKED))
def test_every_code_in_use_has_a_label_for_the_transparency_report(code):
    where = ", ".join(sorted(USED.get(code, {"moderation.reasons"})))
    # A code that names its action ("appeal_upheld") is said by the action's own label.
    assert code in REASON_LABELS or code in ACTION_LABELS, (
        f"Reason code {code!r} (used in {where}) has no label: add one to "
        "moderation.reasons.REASON_LABELS."
    )


@pytest.mark.parametrize("code", sorted(set(USED) | PICKED))
def test_every_code_in_use_has_its_own_sentence_for_the_author(code):
    where = ", ".join(sorted(USED.get(code, {"moderation.reasons"})))
    if code == "other":  # the one reason whose sentence is the general one
        return
    assert code == "scorer" or code in PLAIN_WORDS, (
        f"Reason code {code!r} (used in {where}) has no sentence for the author: add one to "
        "moderation.reasons.PLAIN_WORDS."
    )
    assert plain(code) != _FALLBACK


def test_a_comment_held_because_it_waited_for_approval_where_it_came_from_says_so():
    assert action_label("hold", "imported_pending") == (
        "Held: waiting for approval where it was imported from"
    )
    assert "community rules" not in plain("imported_pending")
    assert "waiting for a moderator's approval" in plain("imported_pending")


def test_a_code_with_a_rule_number_reads_as_its_reason():
    assert plain("banned_word:12") == PLAIN_WORDS["banned_word"]
    assert plain("scorer:toxicity") == plain("scorer") != _FALLBACK
