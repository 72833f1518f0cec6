"""allauth's form on /accounts/email/, in the site's words.

Not in ``accounts.forms``: allauth imports that module for its sign-up form
(``ACCOUNT_SIGNUP_FORM_CLASS``) while its own forms module is still loading, before it has
defined ``AddEmailForm``. allauth loads this one only when the page is asked for
(``ACCOUNT_FORMS["add_email"]``).
"""

from __future__ import annotations

from allauth.account.forms import AddEmailForm


class NewEmailForm(AddEmailForm):
    """With ACCOUNT_CHANGE_EMAIL the address given here replaces the reader's own once it is
    confirmed. Drawn by allauth/elements/fields.html, as the other account forms are."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""  # labels without a colon, as on the site's other forms
        self.fields["email"].label = "New email address"
