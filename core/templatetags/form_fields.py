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
    return _widget(field, attrs={})


@register.filter
def tied_to_its_problems(field: BoundField, form_errors_id: str) -> SafeString:
    """``{{ field|tied_to_its_problems:"form-errors" }}``: the field's widget as
    :func:`focused_if_invalid` draws it, described (``aria-describedby``) first by its own
    error, then by the form's box of problems with the whole form (the element
    ``form_errors_id``) when the form has any, then by its help text; and invalid while either
    problem stands.

    Its own error first: a screen reader reads what is wrong before a help text that may be a
    list of rules (a new password's), where Django puts the help text first. The box too: a
    sign-in refused because "the email address or the password is not correct" is about both
    boxes, and a reader who tabs to either would otherwise hear nothing of it.
    """
    form = field.form
    whole_form_refused = bool(form.non_field_errors())
    described_by = [
        f"{field.auto_id}_error" if field.errors else "",
        form_errors_id if whole_form_refused else "",
        f"{field.auto_id}_helptext" if field.help_text else "",
    ]
    attrs: dict[str, str | bool] = {}
    if ids := " ".join(filter(None, described_by)):
        attrs["aria-describedby"] = ids
    if field.errors or whole_form_refused:
        attrs["aria-invalid"] = "true"
    return _widget(field, attrs=attrs)


def _widget(field: BoundField, *, attrs: dict[str, str | bool]) -> SafeString:
    """The field drawn as ``str(field)`` draws it, its widget given ``attrs``, and
    ``autofocus`` on the first field to fix alone."""
    form = field.form
    widget = None
    if form.errors:
        first_to_fix = next((f.name for f in form.visible_fields() if f.errors), None)
        if field.name == first_to_fix:
            attrs = {**attrs, "autofocus": True}
        elif field.field.widget.attrs.get("autofocus"):
            # One ``autofocus`` a page, on the first field to fix: a field a form focuses when
            # it is new (allauth's first) gives way to it, as do later fields refused too.
            widget = copy.copy(field.field.widget)
            widget.attrs = {k: v for k, v in widget.attrs.items() if k != "autofocus"}
    drawn = field.as_widget(widget=widget, attrs=attrs)
    if field.field.show_hidden_initial:
        drawn += field.as_hidden(only_initial=True)
    return SafeString(drawn)
