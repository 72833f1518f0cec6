"""Form fields shared by the apps."""

from __future__ import annotations

from django import forms


class WholeTextField(forms.CharField):
    """Text a reader writes, limited on the server only.

    A ``maxlength`` attribute makes the browser cut pasted or long text at the limit without a
    word, and what was past it is lost. The limit is checked when the form is sent instead, and
    the form comes back with the whole text and a message saying how long it is.
    """

    def widget_attrs(self, widget) -> dict:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs
