"""Template filters over the site's own sentences: ``{% load text %}``."""

from __future__ import annotations

from django import template

from core import text

register = template.Library()


@register.filter(is_safe=True)
def full_stop(value: object) -> str:
    """``{{ name|full_stop }}``: the name and a full stop, unless it already ends with one."""
    return text.full_stop(str(value))
