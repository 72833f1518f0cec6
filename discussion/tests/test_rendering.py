"""Reader text to HTML: the rows of shared/design/bad-input.md about text and markup."""

from __future__ import annotations

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
