"""Parsing the query string's awkward parts: cursors, id lists and repeated parameters.

Anything a client can type is checked here before it reaches the database, so bad input is a
400 with a sentence saying what to send, never a 500 (docs: /work/shared/design/bad-input.md).
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Annotated

from django.http import HttpRequest
from ninja.errors import HttpError
from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

MAX_ID = 2**63 - 1  # the largest id a 64-bit column holds; bigger numbers would overflow a lookup
MAX_COUNT_IDS = 50
COUNTED_SORTS = ("reactions", "replies")  # their cursors carry the count as well as the id


# A number as this API writes one: ASCII digits, and no leading zero (a lone 0 is left to the
# range checks). pydantic alone reads "6.0", "+6", " 6", "06" and "6_0" as 6; refusing them keeps
# one spelling per address, so a cache (the page cache, a CDN) keeps one copy of each page.
_PLAIN_NUMBER = re.compile(r"0|[1-9][0-9]*")
_NOT_PLAIN = (
    "write it in plain digits 0-9, with no sign, spaces, decimal point, exponent, underscores "
    "or leading zeros, e.g. 6"
)


def _plain_number(value: object) -> object:
    """Refuse a number written any way but plain digits, before pydantic reads it as an int."""
    if isinstance(value, str) and _PLAIN_NUMBER.fullmatch(value) is None:
        raise PydanticCustomError("plain_number", _NOT_PLAIN)
    return value


# Query parameters written in plain digits: an id, and a count (a page's limit). The bounds sit
# here, on the integer, rather than on ``Query``: beside a validator they would reach the OpenAPI
# document as pydantic's own "ge" and "le", not as its minimum and maximum.
PlainId = Annotated[int, Field(ge=1, le=MAX_ID), BeforeValidator(_plain_number)]
PlainCount = Annotated[int, Field(ge=1), BeforeValidator(_plain_number)]


def refuse_repeats(request: HttpRequest, names: tuple[str, ...]) -> None:
    """``?limit=5&limit=500`` is ambiguous: say so rather than guess which one was meant."""
    for name in names:
        if len(request.GET.getlist(name)) > 1:
            raise HttpError(400, f"Give {name} at most once.")


def refuse_nul(name: str, value: str | None) -> None:
    # PostgreSQL refuses NUL in text, so one reaching a query would be a database error.
    if value is not None and "\x00" in value:
        raise HttpError(400, f"{name} may not contain NUL characters.")


def cursor_encode(*, sort: str, after: int | str) -> str:
    """An opaque token for where a page ended, and the sort it belongs to.

    ``after`` is the selector's own cursor: the last comment's id for "oldest" and "newest",
    "<count>.<id>" for the counted sorts ("reactions", "replies").
    """
    return base64.urlsafe_b64encode(f"{sort}:{after}".encode()).decode().rstrip("=")


def cursor_decode(*, cursor: str, sort: str) -> int | str:
    """The selector's cursor inside ``cursor``, or a 400 for anything this API did not hand out.

    A cursor is only good for the sort that made it: "newest" and "oldest" both carry an id, but
    one read the other way would skip or repeat comments, so it is refused. Only the spelling
    ``cursor_encode`` gives is taken: base64 decoding alone also read padding, characters
    outside the alphabet (it skips them) and other trailing bits as the same cursor, which the
    OpenAPI document's pattern (``CURSOR_PATTERN``) refuses, and each would be one more address
    of the same page for a cache to keep.
    """
    refused = HttpError(400, _CURSOR_REFUSED)
    if _CURSOR_SHAPE.fullmatch(cursor) is None:
        raise refused
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, ValueError):
        raise refused from None
    cursor_sort, _, after = raw.partition(":")
    parts = after.split(".")
    if cursor_sort != sort or len(parts) != (2 if sort in COUNTED_SORTS else 1):
        raise refused
    if not all(_is_number(part) for part in parts) or int(parts[-1]) == 0:
        raise refused
    decoded = int(after) if len(parts) == 1 else after
    if cursor_encode(sort=sort, after=decoded) != cursor:
        raise refused
    return decoded


_CURSOR_REFUSED = (
    "cursor is not one this API gave out: send the next_cursor of the page before unchanged, "
    "with the same sort, or no cursor for the first page."
)


def _b64_length(size: int) -> int:
    """How many characters unpadded base64 writes for ``size`` bytes."""
    return -(-size * 4 // 3)


def _cursor_shape(sort: str) -> str:
    """The cursors of ``sort``, as a regular expression: the base64 of "<sort>:" as far as it
    fills whole groups of three bytes, then the alphabet, as long as the shortest and the
    longest cursor that sort is handed."""
    lead = f"{sort}:".encode()
    fixed = base64.urlsafe_b64encode(lead[: len(lead) - len(lead) % 3]).decode()
    counted = sort in COUNTED_SORTS
    shortest = _b64_length(len(lead) + len("0.1" if counted else "1"))
    longest = _b64_length(len(lead) + len(str(MAX_ID)) * (2 if counted else 1) + counted)
    return f"{fixed}[A-Za-z0-9_-]{{{shortest - len(fixed)},{longest - len(fixed)}}}"


CURSOR_SORTS = ("oldest", "newest", *COUNTED_SORTS)
# The cursor's shape, in the OpenAPI document, so that a generated client or a schema fuzzer
# does not offer cursor=0 as a valid value; and checked first by cursor_decode, so the document
# never refuses a cursor the API takes. A cursor of this shape is still refused if it is not
# one handed out (for this sort, and naming a comment of this thread).
_CURSOR_SHAPE = re.compile("|".join(f"(?:{_cursor_shape(sort)})" for sort in CURSOR_SORTS))
CURSOR_PATTERN = f"^(?:{_CURSOR_SHAPE.pattern})$"
Cursor = Annotated[str, Field(json_schema_extra={"pattern": CURSOR_PATTERN})]


def _is_number(text: str) -> bool:
    return 0 < len(text) <= 19 and text.isascii() and text.isdigit() and int(text) <= MAX_ID


def _numbers_up_to(largest: int) -> str:
    """A regular expression for the whole numbers 1 to ``largest`` in plain digits: those with
    fewer digits, those with as many that are smaller at the first digit where they differ, and
    ``largest`` itself."""
    digits = str(largest)
    alternatives = [f"[1-9][0-9]{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    for at, digit in enumerate(digits):
        lowest, below = (1 if at == 0 else 0), int(digit) - 1
        if below < lowest:
            continue
        smaller = str(lowest) if below == lowest else f"[{lowest}-{below}]"
        rest = len(digits) - at - 1
        alternatives.append(digits[:at] + smaller + (f"[0-9]{{{rest}}}" if rest else ""))
    alternatives.append(digits)
    return "(?:" + "|".join(alternatives) + ")"


# What article_ids_parse takes, for the OpenAPI document, where a generated client reads it: up
# to MAX_COUNT_IDS ids of 1 to MAX_ID in plain digits, separated by commas (empty places between
# commas are skipped). Documented only: the parser's own refusals say what is wrong in words,
# where a mismatch with this would say only that it does not match.
ARTICLE_IDS_PATTERN = rf"^,*(?:{_numbers_up_to(MAX_ID)}(?:,+|$)){{1,{MAX_COUNT_IDS}}}$"
ArticleIds = Annotated[str, Field(json_schema_extra={"pattern": ARTICLE_IDS_PATTERN})]


def article_ids_parse(raw: str) -> list[int]:
    """``1,2,3`` as distinct ids in the order given; at most ``MAX_COUNT_IDS`` of them."""
    refuse_nul("ids", raw)
    # No spaces around the ids: one spelling per list, as for a single id (_PLAIN_NUMBER).
    items = [item for item in raw.split(",") if item]
    if not items:
        raise HttpError(400, "Give ids as a comma-separated list of article ids, e.g. ids=1,2,3.")
    if len(items) > MAX_COUNT_IDS:
        raise HttpError(400, f"Give at most {MAX_COUNT_IDS} ids in one request.")
    if not all(_is_id(item) for item in items):
        raise HttpError(
            400,
            "ids must be positive whole numbers in plain digits (no sign, decimal point or "
            "leading zero), separated by commas.",
        )
    return list(dict.fromkeys(int(item) for item in items))


def _is_id(text: str) -> bool:
    # The length check comes first: int() of thousands of digits is slow, then refused by Python.
    return len(text) <= 19 and _PLAIN_NUMBER.fullmatch(text) is not None and 0 < int(text) <= MAX_ID
