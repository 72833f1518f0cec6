"""The display name's field, shared by sign-up and the profile's form for changing the name.

Not in ``accounts.forms``: allauth imports that module for its sign-up form
(``ACCOUNT_SIGNUP_FORM_CLASS``) while its own forms module is still loading, so a view that
imported ``accounts.forms`` first (the profile's, in discussion) would stop the site loading.
"""

from __future__ import annotations

from django import forms
from django.conf import settings


class DisplayNameField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", "Display name")
        kwargs.setdefault(
            "help_text",
            "Shown with your comments. Letters from one alphabet, no hidden characters.",
        )
        # An empty box says what a box of spaces says (accounts.names), not Django's "This
        # field is required.", in sign-up's and the profile's form alike.
        kwargs.setdefault("error_messages", {"required": "Please choose a display name."})
        super().__init__(strip=False, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"maxlength": settings.DISPLAY_NAME_MAX_LENGTH, "autocomplete": "nickname"})
        return attrs


class DisplayNameForm(forms.Form):
    """The profile's "Display name" form. Its checks are the service's
    (``accounts.services.reader_name_choose``), whose refusal the view puts on the field."""

    display_name = DisplayNameField()

    def __init__(self, *args, note: str = "", **kwargs) -> None:
        """``note``: a sentence added to the field's help text (how often the name may change)."""
        super().__init__(*args, **kwargs)
        if note:
            field = self.fields["display_name"]
            field.help_text = f"{field.help_text} {note}"
