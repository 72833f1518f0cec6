"""Forms for readers: the sign-up extra (display name) and changing the display name."""

from __future__ import annotations

from allauth.account import forms as allauth_forms
from django import forms
from django.conf import settings

from accounts import services


class DisplayNameField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", "Display name")
        kwargs.setdefault(
            "help_text",
            "Shown with your comments. Letters from one alphabet, no hidden characters.",
        )
        super().__init__(strip=False, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"maxlength": settings.DISPLAY_NAME_MAX_LENGTH, "autocomplete": "nickname"})
        return attrs


class SignupForm(forms.Form):
    """allauth adds these fields to its sign-up form and calls :meth:`signup` afterwards."""

    display_name = DisplayNameField()

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"]
        if problem := services.display_name_problem(name):
            raise forms.ValidationError(problem)
        return name

    def signup(self, request, user) -> None:
        services.reader_create(user=user, display_name=self.cleaned_data["display_name"])


class DisplayNameForm(forms.Form):
    display_name = DisplayNameField()


class LoginForm(allauth_forms.LoginForm):
    """allauth's sign-in form, its wording the site's."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""  # labels without a colon, as on the site's other forms
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me signed in on this device"
