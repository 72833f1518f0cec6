"""Numbers read from what a request carries (a query string, a header, a form's field)."""

from __future__ import annotations

BIGINT_MAX = 2**63 - 1  # the largest id a bigint column holds


def ascii_int(text: str, *, most: int = BIGINT_MAX) -> int | None:
    """``text`` as a whole number when it is ASCII digits alone and at most ``most``; else None.

    ``str.isdigit()`` alone is not enough: "²" and "①" are digits to it and ``int()`` refuses
    them (a 500 where the request deserved to be read as carrying no number), and "١" (an
    Arabic-Indic one) ``int()`` reads as 1.
    """
    if not text or len(text) > 19 or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if value <= most else None
