"""Streaming readers for comment exports: Disqus XML and WordPress WXR.

Each reader yields the export's threads and comments one at a time, as it reaches them, so an
export of any size is read in bounded memory: ``defusedxml``'s ``iterparse`` with
``forbid_dtd=True`` (a DOCTYPE, and with it every entity trick, billion laughs and ``file://``
included, is refused before any element is read), and each element is cleared once read.
Nothing here touches the network: avatars, author websites and images in comments are text in
the export and stay that way.
"""

from __future__ import annotations

import codecs
import ipaddress
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO, Literal
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException, DTDForbidden
from defusedxml.ElementTree import iterparse

from importers.exports import made_by_this_site
from importers.markup import html_to_markdown
from importers.peek import (
    WORDPRESS,
    is_archive,
    is_blank,
    starts_like_broadsheet,
    starts_like_xml,
)

DISQUS = "{http://disqus.com}"
DISQUS_ID = "{http://disqus.com/disqus-internals}id"

# "shell": a comment deleted with its replies kept, as a Broadsheet export has it (its words
# gone): imported as an empty shell, so that its replies stay under it. "other_kind": a
# WordPress comment of a kind that is not a reader's comment, nor a pingback or trackback (a
# WooCommerce order note or review); "unknown_status": one whose status WordPress never writes.
State = Literal[
    "published",
    "pending",
    "spam",
    "rejected",
    "deleted",
    "skipped",
    "shell",
    "other_kind",
    "unknown_status",
]


@dataclass(frozen=True)
class SourceThread:
    """A discussion in the export: the page it was under (its address and, where known, slug)."""

    key: str
    url: str
    slug: str = ""
    title: str = ""


@dataclass(frozen=True)
class SourceComment:
    key: str  # the export's own id for the comment
    thread_key: str
    parent_key: str | None
    author_name: str
    author_email: str
    ip_address: str | None
    created_at: datetime | None
    body: str  # markdown, converted from the export's HTML
    state: State
    detail: str = ""  # for "other_kind" and "unknown_status": the kind or status, as written


class ExportError(Exception):
    """The file is not an export this reader can take (and nothing was read from it)."""


class Counted:
    """A binary stream that counts what has been read from it, and refuses to read past ``cap``
    bytes (a stream's size is not known beforehand)."""

    def __init__(self, stream: BinaryIO, *, cap: int) -> None:
        self.stream = stream
        self.cap = cap
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        return self._counted(self.stream.read(size))

    def readline(self, size: int = -1) -> bytes:
        return self._counted(self.stream.readline(size))

    def _counted(self, chunk: bytes) -> bytes:
        self.read_bytes += len(chunk)
        if self.read_bytes > self.cap:
            raise ExportError(
                f"The export is larger than the import limit of {self.cap:,} bytes "
                "(IMPORT_MAX_MB); nothing past that point was read."
            )
        return chunk


def _raw(element, path: str) -> str:
    """The text of ``element``'s child at ``path``, as written (a comment keeps its newlines)."""
    found = element.find(path)
    return (found.text or "") if found is not None else ""


def _text(element, path: str) -> str:
    return _raw(element, path).strip()


def _flag(element, path: str) -> bool:
    return _text(element, path).lower() == "true"


def _address(raw: str) -> str | None:
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return None


def _when(raw: str, fmt: str) -> datetime | None:
    try:
        return datetime.strptime(raw.strip(), fmt).replace(tzinfo=UTC)
    except ValueError:
        return None


def _in_utc(value: datetime) -> datetime:
    """``value`` in UTC (UTC if it names no zone). Raises OverflowError for a moment that is
    outside years 1 to 9999 in UTC (1 January of year 1 east of Greenwich), which no date holds."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _disqus_when(raw: str) -> datetime | None:
    """A Disqus time: ``2024-05-01T09:00:00Z`` as Disqus writes it, or any ISO 8601 time a tool
    on the export's way wrote instead (a fraction of a second, an offset from UTC). None for one
    that cannot be read or kept: the comment is dated at the import, and the report counts it."""
    try:
        return _in_utc(datetime.fromisoformat(raw.strip()))
    except (ValueError, OverflowError):
        return None


_HEAD_BYTES = 1024  # enough for a Broadsheet export's header line


class _FirstBytes:
    """A stream that keeps the first bytes read from it, and the last chunk, so a file the XML
    parser cannot read can be told apart: another platform's export chosen by mistake, no
    export at all, an empty or compressed file, or one in another encoding than it declares."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.head = b""
        self.last = b""
        self.declared = b""  # the encoding its first line names, if a single-byte one
        self.checked = False  # whether a chunk with other bytes than ASCII has been looked at

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        if not self.head:
            self.head = chunk[:_HEAD_BYTES]
            declared = _DECLARED_ENCODING.match(self.head.lstrip(codecs.BOM_UTF8))
            if declared and declared.group(1).lower().startswith(_SINGLE_BYTE):
                self.declared = declared.group(1)
        if chunk:
            self.last = chunk
        if self.declared and not self.checked and not chunk.isascii():
            self._single_byte_as_declared(chunk)
        return chunk

    def _single_byte_as_declared(self, chunk: bytes) -> None:
        """Refuse a file that declares a single-byte encoding (Latin-1, Windows-1252) and is in
        UTF-8, at its first bytes that are not ASCII, before they are read: text in those
        encodings is next to never valid UTF-8 (an "é" is one byte, which UTF-8 never has alone),
        and read as declared, UTF-8's "é" is imported as "Ã©"."""
        self.checked = True
        start = 0  # the chunk may start inside a character
        while start < min(3, len(chunk)) and 0x80 <= chunk[start] < 0xC0:
            start += 1
        try:
            codecs.getincrementaldecoder("utf-8")().decode(chunk[start:], final=False)
        except UnicodeDecodeError:
            return  # in the encoding it declares, as far as can be told
        name = self.declared.decode("ascii")
        raise ExportError(
            f"The export cannot be read: it declares its encoding as {name} in its first line, "
            "but it is in UTF-8, and read as it declares, its accented letters would be "
            'imported garbled ("é" as "Ã©"). Change its first line to <?xml version="1.0" '
            'encoding="utf-8"?>, and import it again.'
        )


# expat's code for "not well-formed (invalid token)": among others, a byte that is not of the
# encoding the file declares.
_INVALID_TOKEN = 4
_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
# Encodings of a byte a character, in which an export might say it is written.
_SINGLE_BYTE = (b"iso-8859", b"iso8859", b"latin", b"windows-125", b"cp125", b"l1")


def _events(stream, *, platform: str) -> Iterator[tuple[str, object]]:
    read = _FirstBytes(stream)
    try:
        yield from iterparse(read, events=("start", "end"), forbid_dtd=True)
    except ExportError:
        raise
    except Exception as exc:  # ParseError, DTDForbidden, EntitiesForbidden, ...
        if is_blank(read.head):
            raise ExportError("The export is empty.") from exc
        if starts_like_broadsheet(read.head):
            raise ExportError(
                f"This looks like a Broadsheet export (JSON), not a {platform} export: "
                "choose Broadsheet."
            ) from exc
        raise ExportError(f"The export cannot be read: {_unreadable(exc, read)}.") from exc


def _not_utf8(read: _FirstBytes) -> bool:
    """Whether the file is meant as UTF-8 (it declares no other encoding, and has no UTF-16 byte
    order mark) and the chunk the parser stopped in is not."""
    if read.head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    declared = _DECLARED_ENCODING.match(read.head.lstrip(codecs.BOM_UTF8))
    if declared and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        return False
    # The chunk may start inside a character (continuation bytes) and end inside another.
    chunk = read.last
    start = 0
    while start < min(3, len(chunk)) and 0x80 <= chunk[start] < 0xC0:
        start += 1
    try:
        codecs.getincrementaldecoder("utf-8")().decode(chunk[start:], final=False)
    except UnicodeDecodeError:
        return True
    return False


def _unreadable(exc: Exception, read: _FirstBytes) -> str:
    """Why the XML could not be read, in words for the person importing it (the parser's own
    exception names, such as ``DTDForbidden(name='lolz', system_id=None, ...)``, say nothing to
    an editor)."""
    if is_archive(read.head):
        return (
            "it is compressed (a .gz or .zip archive); unpack it and import the export file inside"
        )
    if isinstance(exc, ParseError) and exc.code == _INVALID_TOKEN and _not_utf8(read):
        line, column = exc.position
        return (
            f"it is not in UTF-8, the encoding it declares (line {line}, column {column} holds "
            "bytes that are not UTF-8): it was saved in another encoding, such as Latin-1 or "
            "Windows-1252. Open it in an editor and save it as UTF-8, or name its encoding in "
            'its first line (<?xml version="1.0" encoding="windows-1252"?>), and import it again'
        )
    if isinstance(exc, DTDForbidden):
        return (
            f"it declares a document type (<!DOCTYPE {exc.name[:40]}>), which comment exports "
            "never have and which XML entity attacks need, so it is refused"
        )
    if isinstance(exc, DefusedXmlException):  # entities or external references
        return "it declares XML entities or external references, which are refused for safety"
    if isinstance(exc, ParseError):
        return f"it is not well-formed XML ({exc}); it may be cut short, or not XML at all"
    return f"{exc.__class__.__name__}: {exc}"


def read_disqus(stream) -> Iterator[SourceThread | SourceComment]:
    """A Disqus export (``<disqus>``: its ``<thread>`` elements, then its ``<post>`` elements)."""
    depth = 0
    root = None
    for event, element in _events(stream, platform="Disqus"):
        if event == "start":
            depth += 1
            if root is None:
                root = element
                if element.tag == "disqus":
                    raise ExportError(
                        "This is not a Disqus export: its <disqus> root lacks Disqus's namespace "
                        '(xmlns="http://disqus.com").'
                    )
                if element.tag != f"{DISQUS}disqus":
                    raise ExportError("This is not a Disqus export (its root is not <disqus>).")
            continue
        depth -= 1
        if depth != 1:  # only the root's children are read whole
            continue
        if element.tag == f"{DISQUS}thread":
            yield SourceThread(
                key=element.get(DISQUS_ID, ""),
                url=_text(element, f"{DISQUS}link"),
                title=_text(element, f"{DISQUS}title"),
            )
        elif element.tag == f"{DISQUS}post":
            thread = element.find(f"{DISQUS}thread")
            parent = element.find(f"{DISQUS}parent")
            state: State = "published"
            if _flag(element, f"{DISQUS}isSpam"):
                state = "spam"
            elif _flag(element, f"{DISQUS}isDeleted"):
                state = "deleted"
            yield SourceComment(
                key=element.get(DISQUS_ID, ""),
                thread_key=thread.get(DISQUS_ID, "") if thread is not None else "",
                parent_key=parent.get(DISQUS_ID) if parent is not None else None,
                author_name=_text(element, f"{DISQUS}author/{DISQUS}name")
                or _text(element, f"{DISQUS}author/{DISQUS}username"),
                author_email=_text(element, f"{DISQUS}author/{DISQUS}email"),
                ip_address=_address(_text(element, f"{DISQUS}ipAddress")),
                created_at=_disqus_when(_text(element, f"{DISQUS}createdAt")),
                body=html_to_markdown(_text(element, f"{DISQUS}message")),
                state=state,
            )
        root.clear()  # what was read is not kept


_WP_STATES: dict[str, State] = {
    "1": "published",
    "approve": "published",
    "0": "pending",
    "hold": "pending",
    "spam": "spam",
    "trash": "deleted",
    "post-trashed": "deleted",
}


def read_wordpress(stream) -> Iterator[SourceThread | SourceComment]:
    """A WordPress export (WXR: RSS whose ``<item>`` elements carry ``<wp:comment>`` elements)."""
    wp = None
    channel = None
    for event, element in _events(stream, platform="WordPress"):
        tag = element.tag
        if event == "start":
            if channel is None and tag == "channel":
                channel = element
            elif wp is None and tag.startswith("{" + WORDPRESS):
                wp = tag[: tag.index("}") + 1]
            continue
        if tag == "rss" and channel is None:
            raise ExportError("This is not a WordPress export (no <channel> in it).")
        if tag != "item" or wp is None:
            continue
        thread = SourceThread(
            key=_text(element, f"{wp}post_id"),
            url=_text(element, "link"),
            slug=_text(element, f"{wp}post_name"),
            title=_text(element, "title"),
        )
        yield thread
        for comment in element.iterfind(f"{wp}comment"):
            kind = _text(comment, f"{wp}comment_type")
            approved = _text(comment, f"{wp}comment_approved")
            state = _WP_STATES.get(approved, "unknown_status")
            detail = approved if state == "unknown_status" else ""
            if kind in ("pingback", "trackback"):  # not readers' words
                state, detail = "skipped", ""
            elif kind not in ("", "comment"):  # a plugin's: an order note, a product review
                state, detail = "other_kind", kind
            parent = _text(comment, f"{wp}comment_parent")
            created = _when(_text(comment, f"{wp}comment_date_gmt"), "%Y-%m-%d %H:%M:%S")
            yield SourceComment(
                key=_text(comment, f"{wp}comment_id"),
                thread_key=thread.key,
                parent_key=parent if parent not in ("", "0") else None,
                author_name=_text(comment, f"{wp}comment_author"),
                author_email=_text(comment, f"{wp}comment_author_email"),
                ip_address=_address(_text(comment, f"{wp}comment_author_IP")),
                created_at=created
                or _when(_text(comment, f"{wp}comment_date"), "%Y-%m-%d %H:%M:%S"),
                body=html_to_markdown(_raw(comment, f"{wp}comment_content"), newlines_break=True),
                state=state,
                detail=detail,
            )
        if channel is not None:
            channel.clear()
    if channel is None:
        raise ExportError("This is not a WordPress export (no <channel> in it).")


READERS = {"disqus": read_disqus, "wordpress": read_wordpress}


LINE_MAX = 1024 * 1024  # no line of an export is near this: a comment is at most a few KiB
_BROADSHEET_STATES: dict[str, State] = {
    "published": "published",
    "pending": "pending",
    "rejected": "rejected",
    "deleted": "shell",
}


# JSON's kinds of value, as the person fixing the file reads them (not Python's type names).
_JSON_KINDS = {
    int: "a whole number",
    str: "text (a JSON string)",
    bool: "true or false",
    float: "a number with a fraction",
    list: "a list",
    dict: "an object",
}


def _field(line: int, record: dict, name: str, kinds: tuple[type, ...], *, required: bool = True):
    value = record.get(name)
    if value is None and not required:
        return None
    # bool is an int to Python; an id or a count of true is a mistake, not a number.
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        wanted = " or ".join(_JSON_KINDS[kind] for kind in kinds)
        if value is None:
            problem = "missing" if name not in record else "null"
            raise ExportError(f"Line {line}: {name!r} is {problem}; it must be {wanted}.")
        got = _JSON_KINDS.get(type(value), type(value).__name__)
        raise ExportError(f"Line {line}: {name!r} must be {wanted}, not {got}.")
    return value


def _iso(line: int, raw: str | None) -> datetime | None:
    if raw is None:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise ExportError(f"Line {line}: {raw[:40]!r} is not a date and time.") from None
    try:
        return _in_utc(value)
    except OverflowError:
        raise ExportError(
            f"Line {line}: {raw[:40]!r} is out of the range of dates (years 1 to 9999 in UTC)."
        ) from None


def read_broadsheet(stream) -> Iterator[SourceThread | SourceComment]:
    """A Broadsheet export (importers.exports): JSON Lines, a header line first.

    Each line must be a JSON object whose fields have the types the export writes; fields it
    does not know are ignored. A line that is not (bad JSON, nested past Python's limit, longer
    than ``LINE_MAX``, a field of the wrong type) stops the import with its number.
    """
    number = 0
    while True:
        raw = stream.readline(LINE_MAX + 1)
        if not raw:
            break
        number += 1
        if len(raw) > LINE_MAX:
            raise ExportError(f"Line {number} is longer than {LINE_MAX:,} bytes.")
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except RecursionError:
            raise ExportError(f"Line {number} is nested too deeply to be an export's.") from None
        except ValueError as exc:  # JSONDecodeError, and bytes that are not UTF-8
            if number == 1 and starts_like_xml(raw):
                raise ExportError(
                    "This looks like an XML file (a Disqus or WordPress export?), not a "
                    "Broadsheet export: choose Disqus or WordPress."
                ) from None
            raise ExportError(f"Line {number} is not valid JSON: {exc}.") from None
        if not isinstance(record, dict):
            raise ExportError(f"Line {number} is not a JSON object.")
        if number == 1:
            if record.get("format") != "broadsheet-comments" or record.get("version") != 1:
                raise ExportError("This is not a Broadsheet export (version 1).")
            if made_by_this_site(record.get("site")):
                raise ExportError(
                    "This export was made by this site: its comments are here already, and "
                    "importing it would copy every one."
                )
            continue
        kind = record.get("type")
        if kind == "thread":
            yield SourceThread(
                key=str(_field(number, record, "id", (int,))),
                url=_field(number, record, "url", (str,)),
                slug=_field(number, record, "slug", (str,), required=False) or "",
                title=_field(number, record, "title", (str,), required=False) or "",
            )
        elif kind == "comment":
            parent = _field(number, record, "parent_id", (int,), required=False)
            status = _field(number, record, "status", (str,))
            if status not in _BROADSHEET_STATES:
                raise ExportError(f"Line {number}: {status[:20]!r} is not a comment's status.")
            yield SourceComment(
                key=str(_field(number, record, "id", (int,))),
                thread_key=str(_field(number, record, "thread_id", (int,))),
                parent_key=str(parent) if parent is not None else None,
                author_name=_field(number, record, "author_name", (str,)),
                author_email=_field(number, record, "author_email", (str,), required=False) or "",
                ip_address=None,
                created_at=_iso(number, _field(number, record, "created_at", (str,))),
                body=_field(number, record, "body", (str,)),
                state=_BROADSHEET_STATES[status],
            )
        else:
            raise ExportError(f'Line {number}: \'type\' must be "thread" or "comment".')
    if number == 0:
        raise ExportError("The export is empty.")


READERS["broadsheet"] = read_broadsheet
