"""allauth's sign-up forms (by email, and from a sign-in provider), each saving the account and its
reader profile in one transaction.

Kept apart from accounts.forms: allauth's sign-up form is built on top of the
``ACCOUNT_SIGNUP_FORM_CLASS`` that module holds, so that module cannot import it.
"""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm
from allauth.account.models import EmailAddress
from allauth.account.utils import setup_user_email
from allauth.socialaccount.forms import SignupForm as SocialSignupForm
from django.db import transaction


class SiteSignupForm(SignupForm):
    def save(self, request):
        """allauth's, but the account, its display name (``signup``: the reader profile) and
        its address are saved together or not at all. Two readers signing up at once under
        one name both pass the form's check; the second's name is then refused as it is saved
        (``accounts.services.reader_create``, a ValidationError on ``display_name``), and its
        account must not stay behind without a profile, nor keep its address from a second try.

        The password is hashed first (it is slow), outside the transaction: on SQLite a
        transaction holds the database's one write lock from its start."""
        email = self.cleaned_data.get("email")
        if self.account_already_exists:
            raise ValueError(email)
        adapter = get_adapter()
        user = adapter.save_user(request, adapter.new_user(request), self, commit=False)
        with transaction.atomic():
            adapter.save_new_user(user)
            self.custom_signup(request, user)
            setup_user_email(request, user, [EmailAddress(email=email)] if email else [])
        return user


class SiteSocialSignupForm(SocialSignupForm):
    def save(self, request):
        """allauth's, but the account, its provider link and its display name are saved
        together or not at all (see SiteSignupForm.save): a name taken by another sign-up after
        the form was checked leaves nothing behind. No password to hash here."""
        with transaction.atomic():
            return super().save(request)
