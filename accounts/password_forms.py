"""allauth's forms for changing a password and for choosing a new one from a reset link, with
their fields labelled in the site's sentence case (allauth's say "Current Password").

Not in ``accounts.forms``, for the reason ``accounts.email_forms`` gives: allauth imports that
module while its own forms module is still loading, before it has defined these.
"""

from __future__ import annotations

from allauth.account.forms import ChangePasswordForm, ResetPasswordKeyForm
from django import forms

NEW_PASSWORD_LABELS = {"password1": "New password", "password2": "New password (again)"}


def _labelled(form: forms.Form, labels: dict[str, str]) -> None:
    """Each field's label, and the placeholder allauth copies from it, in the site's words."""
    form.label_suffix = ""  # labels without a colon, as on the site's other forms
    for name, label in labels.items():
        form.fields[name].label = label
        form.fields[name].widget.attrs["placeholder"] = label


class SitePasswordChangeForm(ChangePasswordForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _labelled(self, {"oldpassword": "Current password", **NEW_PASSWORD_LABELS})


class SitePasswordResetKeyForm(ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _labelled(self, NEW_PASSWORD_LABELS)
