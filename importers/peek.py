"""Which platform's export a file is, from its first bytes: so that the admin's upload form can
say "this is a Disqus export, choose Disqus" before anything is stored or queued, rather than the
import stopping later.

Only the start of the file is read, and its XML with the readers' own safe parser
(``defusedxml``, a DOCTYPE refused): an upload is a stranger's file until it is read.
"""

from __future__ import annotations

import io
from xml.etree.ElementTree import Element

from defusedxml import DTDForbidden
from defusedxml.ElementTree import iterparse

DISQUS_ROOT = "{http://disqus.com}disqus"
WORDPRESS = "http://wordpress.org/export/"  # then the format's version: 1.0/, 1.1/, 1.2/

# Enough to reach the root element: a WordPress export opens with about a kilobyte of comments
# before its <rss>, and a Broadsheet export's header line is shorter still.
HEAD_BYTES = 64 * 1024

# What a file starts with before its first sign of XML or JSON: a UTF-8 byte order mark
# (Windows editors add one) and blank space.
_LEADING = b"\xef\xbb\xbf \t\r\n"

# How gzip and zip files start: Disqus emails its export gzipped.
_ARCHIVES = (b"\x1f\x8b", b"PK\x03\x04")


def is_blank(head: bytes) -> bool:
    """Nothing in the file but what may come before an export (an empty file)."""
    return not head.lstrip(_LEADING)


def starts_like_xml(head: bytes) -> bool:
    return head.lstrip(_LEADING).startswith(b"<")


def starts_like_broadsheet(head: bytes) -> bool:
    """A Broadsheet export's header line: a JSON object naming its format."""
    start = head.lstrip(_LEADING)
    return start.startswith(b"{") and b'"broadsheet-comments"' in start.split(b"\n", 1)[0]


def is_archive(head: bytes) -> bool:
    return head.startswith(_ARCHIVES)


def declares_a_doctype(head: bytes) -> bool:
    """XML whose start declares a DOCTYPE (where entities are declared), which no platform's
    export has and the readers refuse unread: an entity may expand without end ("billion
    laughs"). Told apart so that the form can say so, rather than "not an export" of a file
    whose root element is an export's."""
    if not starts_like_xml(head):
        return False
    try:
        for _ in iterparse(io.BytesIO(head), events=("start",), forbid_dtd=True):
            return False  # the root element came first: no DOCTYPE before it
    except DTDForbidden:
        return True
    except Exception:  # ParseError and the rest: not XML this can read, whatever else it is
        return False
    return False


def export_platform(head: bytes) -> str | None:
    """``"disqus"``, ``"wordpress"`` or ``"broadsheet"``: the platform whose export starts with
    ``head`` (a file's first HEAD_BYTES); None for anything else.

    Only the root element is looked at: a file cut short, or with a bad comment further on, is
    still its platform's, and the import's own check of the whole file says what is wrong."""
    if starts_like_broadsheet(head):
        return "broadsheet"
    if not starts_like_xml(head):
        return None
    root, namespaces = _xml_root(head)
    if root is None:
        return None
    # A <disqus> without Disqus's namespace is still meant as one: the Disqus reader says what
    # it lacks, which is more use than "not an export".
    if root.tag == DISQUS_ROOT or root.tag == "disqus":
        return "disqus"
    if root.tag == "rss" and any(uri.startswith(WORDPRESS) for uri in namespaces):
        return "wordpress"
    return None


def _xml_root(head: bytes) -> tuple[Element | None, list[str]]:
    """The root element of the XML that ``head`` starts, and the namespaces declared up to it
    (None if the XML cannot be read that far: not XML, a DOCTYPE, an entity)."""
    namespaces: list[str] = []
    try:
        for event, item in iterparse(
            io.BytesIO(head), events=("start-ns", "start"), forbid_dtd=True
        ):
            if event == "start-ns":
                namespaces.append(item[1])
            else:
                return item, namespaces
    except Exception:  # ParseError, DTDForbidden, EntitiesForbidden, ...: not an export
        return None, namespaces
    return None, namespaces
