"""Comment text to safe HTML, once, when the comment is written.

markdown-it-py parses with raw HTML off, so a reader's tags are shown as text; nh3 then cleans the
result against a small allow-list. Links keep only http, https and mailto targets and get
``rel="nofollow ugc noopener"``. A link whose text looks like one address but points to another
is shown with its real target beside it, so nobody is fooled about where it goes.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "hr",
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"

_LOOKS_LIKE_ADDRESS = re.compile(
    r"^\s*(?:[a-z][a-z0-9+.-]*://)?(?:www\.)?([\w-]+(?:\.[\w-]+)+)", re.I
)

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
# Comments carry no remote images: ![alt](url) becomes a plain link like any other.
_markdown.disable(["image"])


def _host(url: str) -> str:
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


def _unmask_misleading_links(tokens: list[Token]) -> None:
    """Where link text looks like an address on another host, show the real target as text."""
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        children: list[Token] = token.children
        rebuilt: list[Token] = []
        i = 0
        while i < len(children):
            child = children[i]
            if child.type != "link_open":
                rebuilt.append(child)
                i += 1
                continue
            close = i + 1
            while close < len(children) and children[close].type != "link_close":
                close += 1
            inner = children[i + 1 : close]
            text = "".join(t.content for t in inner if t.type in {"text", "code_inline"})
            href = str(child.attrGet("href") or "")
            shown = _LOOKS_LIKE_ADDRESS.match(text)
            if shown and shown.group(1).lower().removeprefix("www.") != _host(href):
                plain = Token("text", "", 0)
                plain.content = f"{text} ({href})"
                rebuilt.append(plain)
            else:
                rebuilt.extend(children[i : close + 1])
            i = close + 1
        token.children = rebuilt


def _keep_safe_href(tag: str, attribute: str, value: str) -> str | None:
    """Only absolute http(s) and mailto targets survive; relative and other schemes go. No other
    attribute does: nh3 keeps ``title`` and ``lang`` on every tag unless told (a link's markdown
    title, ``[x](https://a.example "Official")``, became a tooltip in the reader's words)."""
    if tag == "a" and attribute == "href":
        scheme, _, rest = value.partition(":") if ":" in value else ("", "", "")
        scheme = scheme.lower()
        if scheme in ("http", "https") and not rest.startswith("//"):
            # "https:evil.example" is another site on an http page and a path of this one on an
            # https page, whatever the misleading-link check made of it: not a link.
            return None
        return value if scheme in ALLOWED_SCHEMES else None
    if tag == "a" and attribute == "rel":  # the cleaner's own LINK_REL, which it adds
        return value
    return None


# Control characters (C0 but tab and line ends, DEL, C1) are not text: HTML calls them parse
# errors, XML 1.0 cannot hold most of them (a feed carrying one failed), and a terminal's escape
# (ESC [31m) would reach whoever pipes an export into one. They leave the drawn comment; a
# vertical tab or form feed, which is how a line break pasted from a word processor arrives,
# becomes a line break. The text as typed is kept (the author edits it as they wrote it).
_CONTROLS: dict[int, str | None] = {
    code: None for code in [*range(0x00, 0x09), *range(0x0E, 0x20), *range(0x7F, 0xA0)]
}
_CONTROLS.update({0x0B: "\n", 0x0C: "\n"})


# A line that markdown reads as one paragraph of plain text and nothing else: it starts with a
# letter (no list, heading, quote or code block can start so) and holds only letters, digits,
# spaces and the punctuation of ordinary sentences (none that marks up emphasis, code, links,
# entities or tags, or that HTML escapes), and ends with no space (which markdown drops).
_PLAIN = re.compile(r"[A-Za-z](?:[A-Za-z0-9 ,.;:?!'()/-]*[A-Za-z0-9,.;:?!'()/-])?")


def render_comment_html(body: str) -> str:
    """Render a reader's markdown to sanitised HTML."""
    if _PLAIN.fullmatch(body):
        # What the parser and the cleaner below make of such a line, exactly (pinned by
        # test_rendering.py), without the 50 microseconds of running them on each comment.
        return f"<p>{body}</p>"
    return _render_markdown(body)


def _render_markdown(body: str) -> str:
    env: dict = {}
    tokens = _markdown.parse(body.translate(_CONTROLS), env)
    _unmask_misleading_links(tokens)
    raw = _markdown.renderer.render(tokens, _markdown.options, env)
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes=ALLOWED_SCHEMES,
        link_rel=LINK_REL,
        attribute_filter=_keep_safe_href,
        strip_comments=True,
    ).strip()
