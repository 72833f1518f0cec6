"""Reader text to HTML: the rows of shared/design/bad-input.md about text and markup."""

from __future__ import annotations

import random

import pytest
from bs4 import BeautifulSoup

from discussion.rendering import render_comment_html


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "<math><mtext><style><img src=x onerror=alert(1)>",
    ],
)
def test_typed_html_is_shown_as_text(body):
    html = render_comment_html(body)
    assert "<script" not in html and "<img" not in html and "<svg" not in html
    assert "&lt;" in html


@pytest.mark.parametrize(
    "body",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](java&#x09;script:alert(1))",
        "[x](&#x6A;avascript:alert(1))",
        "[x](javascript://%0Aalert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html,<script>alert(1)</script>)",
        "<javascript:alert(1)>",
    ],
)
def test_dangerous_link_targets_never_become_live_links(body):
    html = render_comment_html(body)
    assert "href=" not in html


def test_image_syntax_cannot_break_out_of_an_attribute():
    soup = BeautifulSoup(render_comment_html('![a](x" onerror="alert(1))'), "html.parser")
    attributes = [name for tag in soup.find_all(True) for name in tag.attrs]
    assert not [name for name in attributes if name.startswith("on")]
    assert soup.find("img") is None


@pytest.mark.parametrize(
    "body",
    [
        "[my site](http://x/?'onmouseover='alert(1)'x=')",
        "See http://x/?'onmouseover='alert(1)'x=' for more",
        '[my site](<http://x/?"onmouseover="alert(1)"x=">)',
        "[my site](ftp://x/file)",
    ],
)
def test_a_link_with_quotes_in_its_address_stays_one_attribute_of_http_or_https(body):
    """Isso's 2026 advisory: a website address whose quotes closed the attribute they were in.
    Broadsheet takes no website field; the addresses readers can give are links in the text."""
    soup = BeautifulSoup(render_comment_html(body), "html.parser")
    attributes = [name for tag in soup.find_all(True) for name in tag.attrs]
    assert not [name for name in attributes if name.startswith("on")]
    targets = [a["href"] for a in soup.find_all("a", href=True)]
    assert all(target.startswith(("http://", "https://")) for target in targets)


@pytest.mark.parametrize(
    "body", ["![map](https://example.com/map.png)", "![x](data:image/png;base64,AAAA)"]
)
def test_images_are_not_rendered(body):
    assert "<img" not in render_comment_html(body)


def test_link_text_that_names_another_domain_shows_the_real_target():
    html = render_comment_html("[bbc.co.uk](https://evil.example/login)")
    assert "<a" not in html
    assert "bbc.co.uk (https://evil.example/login)" in html


def test_link_text_naming_its_own_domain_stays_a_link():
    html = render_comment_html("[en.wikipedia.org/wiki/X](https://en.wikipedia.org/wiki/X)")
    assert 'href="https://en.wikipedia.org/wiki/X"' in html


def test_links_get_nofollow_ugc_noopener():
    html = render_comment_html(
        "[the memorandum](https://en.wikipedia.org/wiki/Budapest_Memorandum)"
    )
    assert 'rel="nofollow ugc noopener"' in html


def test_a_link_keeps_its_address_and_nothing_else_the_reader_typed():
    # No tooltip in the reader's words over a link ("Official statement"), and no language tag.
    html = render_comment_html('[the ministry](https://mfa.example/ "Official statement")')
    assert html == (
        '<p><a href="https://mfa.example/" rel="nofollow ugc noopener">the ministry</a></p>'
    )


@pytest.mark.parametrize("target", ["https:evil.example", "http:evil.example/x", "HTTPS:/x"])
def test_an_address_without_its_slashes_is_not_made_a_link(target):
    # Browsers read it as another site or as a page of this one, depending on the page's scheme.
    assert "href=" not in render_comment_html(f"[the ministry]({target})")


def test_mailto_links_are_allowed_and_relative_ones_are_not():
    assert 'href="mailto:desk@example.com"' in render_comment_html(
        "[mail](mailto:desk@example.com)"
    )
    assert "href=" not in render_comment_html("[admin](/admin/)")


def test_markdown_emphasis_lists_and_quotes_render():
    html = render_comment_html("*one* **two**\n\n- a\n- b\n\n> quoted")
    for tag in ("<em>", "<strong>", "<ul>", "<li>", "<blockquote>"):
        assert tag in html


def test_control_characters_leave_the_drawn_comment_and_a_pasted_line_break_stays_one():
    typed = "Red \x1b[31malert\x1b[0m\x07 here\x7f\x85.\x0bSecond line\x0cthird."

    html = render_comment_html(typed)

    assert not [c for c in html if ord(c) < 0x20 and c not in "\t\n\r" or 0x7F <= ord(c) < 0xA0]
    assert "Red [31malert[0m here." in html
    assert "here.\nSecond line\nthird." in html


def test_a_plain_line_is_drawn_as_markdown_draws_it():
    """A line of plain sentences is drawn without the parser (discussion.rendering._PLAIN), and
    exactly as the parser and the cleaner draw it: checked over many lines made of the letters,
    digits, spaces and punctuation the shortcut takes, in every arrangement a seeded draw makes."""
    from discussion.rendering import _PLAIN, _render_markdown

    alphabet = "abcXYZ0189 ,.;:?!'()/-" + " " * 6
    draw = random.Random(4)
    taken = 0
    for _ in range(6000):
        line = "".join(draw.choice(alphabet) for _ in range(draw.choice([1, 2, 4, 9, 30, 90])))
        if _PLAIN.fullmatch(line):
            taken += 1
            assert render_comment_html(line) == _render_markdown(line), line
    assert taken > 1000
    sentence = "Comment 4f2a on the council housing plan and what residents said."
    assert _PLAIN.fullmatch(sentence)
    assert render_comment_html(sentence) == f"<p>{sentence}</p>" == _render_markdown(sentence)


@pytest.mark.parametrize(
    "body",
    [
        " Leading space",
        "Trailing space ",
        "1. a list",
        "- a list",
        "a *word*",
        "a_b_c",
        "a & b",
        'say "hi"',
        "two\nlines",
        "[a](https://example.com)",
        "é accent",
        "a `code`",
        "a <b>",
    ],
)
def test_anything_else_is_drawn_by_the_parser(body):
    from discussion.rendering import _PLAIN

    assert not _PLAIN.fullmatch(body)
