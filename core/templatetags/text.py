"""Template filters over the site's own sentences: ``{% load text %}``."""

from __future__ import annotations

from django import template

from core import text

register = template.Library()


@register.filter(is_safe=True)
def full_stop(value: object) -> str:
    """``{{ name|full_stop }}``: the name and a full stop, unless it already ends with one."""
    return text.full_stop(str(value))


@register.simple_tag
def sentence_endings() -> str:
    """``{% sentence_endings %}``: the marks after which :func:`full_stop` adds none, for site.js
    to end a name as the server does."""
    return "".join(text.SENTENCE_ENDINGS)


@register.filter(is_safe=True)
def xml_text(value: object) -> str:
    """``{{ article.title|xml_text }}``: the text less what XML 1.0 cannot hold
    (``core.text.xml_text``), for a document a machine parses as XML."""
    return text.xml_text(str(value))
