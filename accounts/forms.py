"""Forms for readers: the sign-up extra (display name) and sign-in, in the site's words."""

from __future__ import annotations

from allauth.account import forms as allauth_forms
from django import forms

from accounts import services
from accounts.name_forms import DisplayNameField


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


class LoginForm(allauth_forms.LoginForm):
    """allauth's sign-in form, its wording the site's."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""  # labels without a colon, as on the site's other forms
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me signed in on this device"
