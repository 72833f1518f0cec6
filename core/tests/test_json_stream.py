"""core.json_stream writes a document as it is read, byte for byte as json.dumps(indent=2)
writes it whole, so a download that streams is the same file it was."""

from __future__ import annotations

import json

import pytest

from core import json_stream

DOCUMENT = {
    "plain": "Zoë said “quoted”\nand a tab\t, </script> & \u2028",
    "number": 3,
    "nothing": None,
    "nested": {"list": [1, {"deep": [True, False]}], "empty": {}, "none": []},
    "rows": [{"id": 1, "body": "Line one\nline two"}, {"id": 2, "tags": ["a", "b"]}],
    "no_rows": [],
    "one_row": [[]],
}


def _streamed(document: dict, lists: set[str]) -> str:
    fields = ((name, iter(value) if name in lists else value) for name, value in document.items())
    return b"".join(json_stream.object_pieces(fields)).decode()


@pytest.mark.parametrize("lists", [set(), {"rows", "no_rows", "one_row"}])
def test_the_streamed_document_is_what_json_dumps_writes(lists):
    assert _streamed(DOCUMENT, lists) == json.dumps(DOCUMENT, indent=2, ensure_ascii=False)


def test_an_empty_object_is_written_as_json_dumps_writes_it():
    assert _streamed({}, set()) == "{}"


def test_a_long_document_comes_in_pieces_and_ends_only_after_its_last_value(monkeypatch):
    monkeypatch.setattr(json_stream, "PIECE_CHARS", 100)
    rows = [{"id": n, "body": "x" * 40} for n in range(50)]

    def failing():
        yield from rows[:10]
        raise RuntimeError("the database went away")

    pieces = list(json_stream.object_pieces([("rows", iter(rows))]))
    assert len(pieces) > 10
    assert json.loads(b"".join(pieces)) == {"rows": rows}

    sent: list[bytes] = []
    with pytest.raises(RuntimeError):
        for piece in json_stream.object_pieces([("rows", failing())]):
            sent.append(piece)
    assert sent  # written as it was read, until the failure
    with pytest.raises(json.JSONDecodeError):
        json.loads(b"".join(sent))
