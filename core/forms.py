"""Form fields shared by the apps."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator


class WholeTextField(forms.CharField):
    """Text a reader writes, limited on the server only.

    A ``maxlength`` attribute makes the browser cut pasted or long text at the limit without a
    word, and what was past it is lost. The limit is checked when the form is sent instead, and
    the form comes back with the whole text and a message saying how long it is, in the words
    the comment form uses ("Your comment is 5,001 characters long; the limit is 5,000. Please
    shorten it by 1."), with ``what`` for "Your comment": not Django's "Ensure this value has
    at most 2000 characters (it has 2001).", which names no box and groups no thousands.
    """

    def __init__(self, *, what: str, **kwargs) -> None:
        self.what = what
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]

    def widget_attrs(self, widget) -> dict:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs

    def validate(self, value: str) -> None:
        super().validate(value)
        # Django reads a form's bytes that are not UTF-8 (another encoding's "é", 0xE9) as
        # U+FFFD: refused, as a comment's are, rather than kept garbled.
        if "\ufffd" in value:
            raise forms.ValidationError(
                f"{self.what} contains bytes that are not valid text (UTF-8). Please type it "
                "again, or paste it as plain text.",
                code="invalid_utf8",
            )
        limit = self.max_length
        if limit is not None and len(value) > limit:
            raise forms.ValidationError(
                f"{self.what} is {len(value):,} characters long; the limit is {limit:,}. Please "
                f"shorten it by {len(value) - limit:,}.",
                code="max_length",
            )
