"""Template filters for drawing a form's fields: ``{% load form_fields %}``."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def focused_if_invalid(field: BoundField) -> SafeString:
    """``{{ form.text|focused_if_invalid }}``: the field's widget, with ``autofocus`` when the
    form came back refusing what is in it.

    A page drawn again after a refused POST then opens with focus in the field to fix (a
    browser honours the first ``autofocus`` on a page, so with several, the first of them), as
    site.js does for a form that htmx swaps in. A screen reader reads its label, "invalid" and
    the error that Django's ``aria-describedby`` ties to it, which a ``role=alert`` in a page
    just loaded does not reliably announce.
    """
    if field.errors:
        return field.as_widget(attrs={"autofocus": True})
    return SafeString(str(field))
