"""allauth's adapters with Broadsheet's checks on email addresses and its display names."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import get_next_redirect_url
from allauth.core import context as allauth_context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from accounts import account_emails, services, signup_checks
from accounts.tasks import account_email_send
from core import locks
from core.client import client_network
from core.site_urls import site_url


class SignedUpAlready(Exception):
    """The address has had an account since this sign-up's form was checked: the same form sent
    twice at once (a double click, a retry), the second checked before the first was saved."""


class ReaderAccountAdapter(DefaultAccountAdapter):
    # The problems allauth's forms say when they refuse what a reader typed, in the site's words
    # (allauth reads them from here): "That is not your current password." where allauth asks
    # a reader who typed one to "Please type your current password.".
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": (
            "The email address or the password is not correct: check both and try again."
        ),
        "enter_current_password": "That is not your current password.",
        "incorrect_password": "That is not your password.",
        "duplicate_email": "This is already your email address.",
        "too_many_login_attempts": (
            "Too many tries to sign in with this address: wait a few minutes, then try again."
        ),
    }

    def get_client_ip(self, request: HttpRequest) -> str:
        """Where the client is, for allauth's throttles per address (failed sign-ins, sign-ups,
        reset mails): its network, as every other limit of the site counts it
        (core.client.client_network): X-Forwarded-For believed only from TRUSTED_PROXIES, and an
        IPv6 client's whole /64. allauth's own read REMOTE_ADDR alone, so behind the site's
        proxy every reader shared one count."""
        return client_network(request)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials) -> str:
        """The key of allauth's throttle on failed sign-ins per account: the login typed, as
        allauth compares it (lower case). allauth's began with the request's host and port, from
        the Host header, so a client that varied it (``localhost:8001``, ``:8002``...) had five
        fresh guesses at an account's password with each. The accounts are the same whatever
        host a request names."""
        return credentials.get("email", credentials.get("username", "")).lower()

    def add_message(
        self, request: HttpRequest, level: int, message_template: str | None = None, *args, **kwargs
    ) -> None:
        """allauth's messages, drawn from the site's account/messages; but not "Your password
        is changed." after a reset link's new password is saved: the page it leads to says so
        in its heading (account/password_reset_from_key_done.html), and twice is once too many
        to hear."""
        if (
            message_template == "account/messages/password_changed.txt"
            and request.resolver_match is not None
            and request.resolver_match.url_name == "account_reset_password_from_key"
        ):
            return
        super().add_message(request, level, message_template, *args, **kwargs)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's emails name the publication and its address (accounts/templates/account/
        email), not the host the request came in on, which is all allauth knows.

        Written here, as allauth writes them, and queued as a task (accounts.tasks), sealed:
        the reader does not wait on the mail server, and a refusal for now is tried again
        (accounts.account_emails). django-tasks-db writes the task's row at once, in the
        transaction open when allauth sends, if any (core.task_queue): the account pages that
        change something open one around the change and its email
        (accounts.views._NoticeWithItsChange), so the two commit together."""
        context = {
            "site_name": settings.WAGTAIL_SITE_NAME,
            "site_url": settings.SITE_BASE_URL,
            **{key: _on_the_site(key, value) for key, value in context.items()},
        }
        request = allauth_context.request
        if template_prefix == "account/email/email_deleted" and context.get(
            "deleted_email"
        ) == getattr(request, "unconfirmed_address_cancelled", None):
            # A change of address cancelled before it was confirmed (views.EmailView).
            template_prefix = "account/email/email_change_cancelled"
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        account_email_send.enqueue(template=template_prefix, sealed=account_emails.seal(message))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        """The emailed link carries the page the reader was on when they signed up (``next``),
        wrapped in the sign-in page: confirming does not sign anyone in (a link in a mailbox
        must not be a key to the account), so the reader confirms, signs in, and is back where
        they started."""
        url = super().get_email_confirmation_url(request, emailconfirmation)
        target = get_next_redirect_url(request) if request is not None else None
        if not target:
            return url
        sign_in = reverse("account_login")
        if not target.startswith(sign_in):
            target = f"{sign_in}?{urlencode({'next': target})}"
        return f"{url}?{urlencode({'next': target})}"

    def save_user(self, request, user, form, commit: bool = True):
        """allauth's, but the account is saved only if its address has none yet, checked with
        the address locked: two sign-ups of one address at once otherwise both passed the
        form's check, and the second failed on the first's username (a server error, where the
        reader pressed twice) or made a second account for the address. The password is hashed
        before the lock (it is slow), never while the transaction holds it."""
        user = super().save_user(request, user, form, commit=False)
        if commit:
            self.save_new_user(user)
        return user

    def save_new_user(self, user) -> None:
        """Save ``user``, made by :meth:`save_user` with ``commit=False``, if its address has no
        account yet (SignedUpAlready if it has), checked with the address locked."""
        with transaction.atomic():
            locks.wait_in_transaction(f"sign-up:{user.email.casefold()}")
            if get_user_model().objects.filter(email__iexact=user.email).exists():
                raise SignedUpAlready(user.email)
            user.save()

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        if problem := signup_checks.email_problem(email):
            raise forms.ValidationError(problem)
        return email


def _on_the_site(key: str, value):
    """A link allauth made for an email (``activate_url``, ``password_reset_url``,
    ``signup_url``) at SITE_BASE_URL (core.site_urls), as every other link the site emails.
    allauth makes them from the request's Host header: a request sent to another name the site
    answers to (ALLOWED_HOSTS: a www. name, an internal one, a wildcard) had a reader's password
    reset key emailed in a link to that host, which whoever sent the request chose."""
    if not (key.endswith("_url") and isinstance(value, str)):
        return value
    parts = urlsplit(value)
    if not parts.netloc:
        return value
    return site_url(urlunsplit(("", "", parts.path, parts.query, parts.fragment)))


class ReaderSocialAccountAdapter(DefaultSocialAccountAdapter):
    """A reader arriving from a sign-in provider still confirms a display name (the sign-up
    form's ``display_name`` field saves it); this suggests the provider's name, or the first
    free variant of it, so most readers only press the button."""

    def get_signup_form_initial_data(self, sociallogin) -> dict:
        initial = super().get_signup_form_initial_data(sociallogin)
        data = sociallogin.account.get_provider().extract_common_fields(
            sociallogin.account.extra_data
        )
        wanted = data.get("name") or " ".join(
            part for part in (data.get("first_name"), data.get("last_name")) if part
        )
        if wanted:
            initial["display_name"] = services.reader_free_name(wanted=wanted)
        return initial
