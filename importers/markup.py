"""An exported comment's HTML as the markdown a reader would have typed.

Disqus exports a comment as HTML and WordPress as text with some inline HTML. Neither is trusted:
the tags are read by the standard library's HTML parser (which fetches nothing and expands no
entity beyond HTML's own), turned into markdown for what the comment form allows (paragraphs,
line breaks, emphasis, code, quotes, lists and http(s) links), and everything else is kept as its
text. The comment is then stored like any other: ``comment_create`` renders the markdown and
sanitises the result (discussion.rendering), so an import has no way around the allow-list.
Images are dropped (comments carry no remote images); their alt text stays.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# ASCII punctuation that means something to markdown, escaped wherever it appears in text.
_SPECIAL = re.compile(r"([\\`*_\[\]<>#!|~])")
_BLOCKS = {"p", "div", "pre", "blockquote", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "hr"}
# Struck-through text comes in as plain text: the comment form's markdown has no strikethrough.
_EMPHASIS = {"strong": "**", "b": "**", "em": "*", "i": "*"}
_SKIPPED = {"script", "style", "head", "title", "template"}


class _ToMarkdown(HTMLParser):
    def __init__(self, *, newlines_break: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.newlines_break = newlines_break
        self.out: list[str] = []
        # Each open link's address (None for one not kept) and where its text starts in ``out``.
        self.links: list[tuple[str | None, int]] = []
        self.quotes: list[int] = []  # where each open quote's text starts in ``out``
        self.skipping = 0
        self.in_pre = 0

    # Blocks are separated by a blank line; a quote's lines start with "> ".
    def _break(self, blank: bool = True) -> None:
        self.out.append("\n\n" if blank else "\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS:
            self._break()
            if tag == "blockquote":
                self.quotes.append(len(self.out))
            elif tag == "pre":
                self.in_pre += 1
                self.out.append("```\n")
            elif tag == "hr":
                self.out.append("---")
                self._break()
        elif tag == "br":
            self.out.append("  \n")
        elif tag == "li":
            self._break(blank=False)
            self.out.append("- ")
        elif tag in _EMPHASIS:
            self.out.append(_EMPHASIS[tag])
        elif tag == "code" and not self.in_pre:
            self.out.append("`")
        elif tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            safe = re.match(r"https?://", href, re.I) and not re.search(r"[\s()<>]", href)
            keep = href if safe else None
            if keep:
                self.out.append("[")
            self.links.append((keep, len(self.out)))
        elif tag == "img":
            alt = (dict(attrs).get("alt") or "").strip()
            if alt:
                self.handle_data(alt)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            if tag == "pre" and self.in_pre:
                self.in_pre -= 1
                self.out.append("\n```")
            elif tag == "blockquote" and self.quotes:
                start = self.quotes.pop()
                quoted = re.sub(r"\n{3,}", "\n\n", "".join(self.out[start:])).strip("\n")
                self.out[start:] = ["\n".join(f"> {line}".rstrip() for line in quoted.split("\n"))]
            self._break()
        elif tag in _EMPHASIS:
            self.out.append(_EMPHASIS[tag])
        elif tag == "code" and not self.in_pre:
            self.out.append("`")
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            if href:
                if not "".join(self.out[start:]).strip():
                    # Its text was an image alone (dropped): the address is shown instead of an
                    # empty link, which has nothing to see or to click, and no name to be read.
                    self.out.append(_SPECIAL.sub(r"\\\1", href))
                self.out.append(f"]({href})")

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.in_pre:
            self.out.append(data.replace("```", "'''"))
            return
        text = _SPECIAL.sub(r"\\\1", data)
        if self.newlines_break:
            # WordPress keeps the newlines its author typed: two are a new paragraph, one a line
            # break (as WordPress shows them).
            text = re.sub(r"\n[ \t]*\n\s*", "\n\n", text.replace("\r\n", "\n"))
            text = re.sub(r"(?<!\n)\n(?!\n)", "  \n", text)
        else:
            text = re.sub(r"\s+", " ", text)
        self.out.append(text)


def html_to_markdown(html: str, *, newlines_break: bool = False) -> str:
    """``html`` (an exported comment) as markdown source, with surplus blank lines removed."""
    parser = _ToMarkdown(newlines_break=newlines_break)
    parser.feed(html)
    parser.close()
    text = "".join(parser.out)
    lines = [line.rstrip() if not line.endswith("  ") else line for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return text.strip()
