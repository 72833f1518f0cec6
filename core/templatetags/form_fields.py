"""Template filters for drawing a form's fields: ``{% load form_fields %}``."""

from __future__ import annotations

import copy

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def focused_if_invalid(field: BoundField) -> SafeString:
    """``{{ form.text|focused_if_invalid }}``: the field's widget, with ``autofocus`` when the
    form came back refusing what is in it.

    A page drawn again after a refused POST then opens with focus in the first field to fix
    (the only one given ``autofocus``, as a page may have one), as
    site.js does for a form that htmx swaps in. A screen reader reads its label, "invalid" and
    the error that Django's ``aria-describedby`` ties to it, which a ``role=alert`` in a page
    just loaded does not reliably announce.
    """
    form = field.form
    if not form.errors:
        return SafeString(str(field))
    first_to_fix = next((f.name for f in form.visible_fields() if f.errors), None)
    if field.name == first_to_fix:
        return field.as_widget(attrs={"autofocus": True})
    if field.field.widget.attrs.get("autofocus"):
        # One ``autofocus`` a page, on the first field to fix: a field a form focuses when it
        # is new (allauth's first) gives way to it, as do later fields refused too.
        widget = copy.copy(field.field.widget)
        widget.attrs = {k: v for k, v in widget.attrs.items() if k != "autofocus"}
        return field.as_widget(widget=widget)
    return SafeString(str(field))
