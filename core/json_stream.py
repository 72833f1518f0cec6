"""A JSON object written out as it is read, for a download too big to hold whole.

What it writes is, byte for byte, what ``json.dumps(document, indent=2, ensure_ascii=False)``
makes of the same document once all of it is in memory: a value that is an iterator (a selector
reading pages of rows) is written as a list, one item at a time as it comes, and everything else
as ``json.dumps`` writes it. The object's closing brace is written after every value has been
read: a read that fails half-way ends the stream before it, so what was sent is not valid JSON
and cannot pass for the whole file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

PIECE_CHARS = 64 * 1024  # the text handed to the server at a time, about
# json.dumps(value, indent=2, ensure_ascii=False), made once: dumps makes an encoder per call,
# a quarter of the time of each of a download's tens of thousands of small values. It keeps no
# state between calls, so the app's threads share it.
_ENCODER = json.JSONEncoder(indent=2, ensure_ascii=False)


def object_pieces(fields: Iterable[tuple[str, object]]) -> Iterator[bytes]:
    """The JSON object of ``fields`` (name and value, in order) as UTF-8, in pieces of about
    ``PIECE_CHARS`` characters. ``fields`` may be a generator itself, so a value is read only
    when its turn to be written comes."""
    pending: list[str] = []
    size = 0
    for text in _object_text(fields):
        pending.append(text)
        size += len(text)
        if size >= PIECE_CHARS:
            yield "".join(pending).encode()
            pending, size = [], 0
    if pending:
        yield "".join(pending).encode()


def _object_text(fields: Iterable[tuple[str, object]]) -> Iterator[str]:
    empty = True
    yield "{"
    for name, value in fields:
        yield ("\n  " if empty else ",\n  ") + json.dumps(name, ensure_ascii=False) + ": "
        empty = False
        if isinstance(value, Iterator):
            yield from _list_text(value)
        else:
            yield _nested(value, 1)
    yield "}" if empty else "\n}"


def _list_text(items: Iterator[object]) -> Iterator[str]:
    empty = True
    for item in items:
        yield ("[\n    " if empty else ",\n    ") + _nested(item, 2)
        empty = False
    yield "[]" if empty else "\n  ]"


def _nested(value: object, depth: int) -> str:
    """``value`` as json.dumps writes it ``depth`` levels into the document: its lines indented
    two spaces a level more (a newline inside a JSON string is written ``\\n``, so every newline
    here is one between lines)."""
    return _ENCODER.encode(value).replace("\n", "\n" + "  " * depth)
