"""Thin views: sign-in and sign-up (allauth's, saying what they are for), publisher sign-on and
the one-click unsubscribe page, with its undo."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from allauth.account import views as allauth_views
from allauth.account.utils import get_next_redirect_url
from allauth.core import ratelimit as allauth_ratelimit
from allauth.core.internal.ratelimit import get_rates
from allauth.socialaccount import views as socialaccount_views
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, get_script_prefix, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts import services
from accounts.adapter import SignedUpAlready
from accounts.notifications import reader_from_unsubscribe_token, reader_id_from_unsubscribe_token
from accounts.selectors import reader_for_user
from accounts.session_ended import session_ended, signed_in_to_finish
from accounts.sign_in_for import sign_in_for
from accounts.sso import SsoRefused, sso_token_check_unused, sso_token_read
from core import cache as shared_cache
from core import ratelimit
from core.cache import UNREACHABLE
from core.client import client_network
from core.middleware import RETRY_AFTER_SECONDS, UNREACHABLE_DETAIL, unreachable_in_place


def _safe_next(request: HttpRequest, raw: str) -> str:
    if raw and url_has_allowed_host_and_scheme(
        raw, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return raw
    return _front_page()


def _front_page() -> str:
    """The front page, reversed: under the site's path prefix, when it has one."""
    return reverse("wagtail_serve", args=[""])


class _SaysWhatItIsFor:
    """Adds ``sign_in_for`` to allauth's page: the page ``next`` leads to, when signing in is
    what keeps this reader from it (accounts.sign_in_for); None for any other ``next``."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sign_in_for"] = sign_in_for(
            request=self.request, next_url=get_next_redirect_url(self.request)
        )
        return context


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """``handler429``, which allauth's throttles answer with (the sign-in, sign-up and password
    reset forms answer their own: _KeptWhenRefusedUnread): while Redis does not answer, the
    site's 503 page, saying the site cannot take changes and handing back a form's typed text,
    where allauth's bare "429 Too Many Requests" told a reader they had tried too often;
    otherwise allauth's own."""
    from allauth.core.internal.ratelimit import handler429

    from core.views import unavailable

    # allauth counts a throttle it could not count, its lock in the cache not taken, as over
    # the limit; core.cache has noted why, and skips Redis for a moment.
    if shared_cache.skipping():
        request.throttle_unanswered = True
        return unavailable(request, UNREACHABLE_DETAIL)
    return handler429(request)


class _NoticeWithItsChange:
    """A change to the account and the email allauth sends about it (the notice that the
    password or the address was changed, an address's confirmation link) commit together, or
    not at all: the email's task row (accounts.adapter.send_mail) is written in the change's
    transaction, as the site's own emails are (core.task_queue). allauth saves the change, then
    queues the email, each committed on its own: an app process killed between the two (a
    deploy, the out-of-memory killer) left the password changed and its owner never told.

    Around ``form_valid``, after the form's checks (the current password's among them, a slow
    hash on SQLite's write lock otherwise); the new password's hash is made inside, once per
    change, which allauth's throttle bounds."""

    def form_valid(self, form):
        with transaction.atomic():
            return super().form_valid(form)


class _KeptWhenRefusedUnread:
    """On an allauth form page, a POST that allauth's throttle refused draws the form again with
    what the reader typed (never a password: Django's password boxes are drawn empty) and why it
    was not sent, where allauth answered its bare "429 Too Many Requests" page: a 429 with
    Retry-After and ``too_many`` when over the limit (``throttle_action`` of
    ACCOUNT_RATE_LIMITS), or a 503 when the throttle could not count, Redis not answering
    (core.middleware.unreachable_in_place). Nothing was checked, so nothing was changed."""

    throttle_action: str
    too_many: str  # its {wait} said from Retry-After (core.ratelimit.say_wait)
    # Said after UNREACHABLE_DETAIL, above the form, while Redis does not answer.
    kept_detail = "What you typed is still here."

    def typed_in_form(self) -> bool:
        """Whether the POST came from the page's form (rather than another button on the
        page), so that what it sent is what to draw it with."""
        return True

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if getattr(request, "throttle_unanswered", False):  # set by too_many_requests
            if self.typed_in_form():
                again = _form_unread(self, f"{UNREACHABLE_DETAIL} {self.kept_detail}")
            else:
                again = _form_unread(self, UNREACHABLE_DETAIL, empty=True)
            return unreachable_in_place(again)
        if request.method != "GET" and response.status_code == 429:
            wait = _throttle_wait(self.throttle_action)
            refused = ratelimit.say_wait(self.too_many, wait)
            return _form_unread(self, refused, status=429, retry_after=wait)
        return response


def _throttle_wait(action: str) -> int:
    """Seconds until allauth's throttle on ``action`` surely has room again: its windows slide,
    so the longest of the action's rates."""
    rates = get_rates(app="allauth.account", action=action)
    return max((int(rate.duration) for rate in rates), default=RETRY_AFTER_SECONDS)


def _form_unread(
    view,
    reason: str,
    *,
    empty: bool = False,
    status: int | None = None,
    retry_after: int = RETRY_AFTER_SECONDS,
) -> HttpResponse:
    """An allauth form page drawn again with what was sent (never a password), or ``empty``
    (another button on the page sent it, which typed nothing into the form), and ``reason``
    above it: nothing was checked, so nothing was changed. With ``status``, answered as that,
    with Retry-After."""
    if empty:
        form_kwargs = view.get_form_kwargs()
        form_kwargs.pop("data", None)
        form_kwargs.pop("files", None)
        form = view.get_form_class()(**form_kwargs)
    else:
        form = view.get_form()
    # Not validated: a sign-in form's clean() tries the password, which is not to be done
    # while the throttle on failed sign-ins cannot count.
    form.cleaned_data = {}
    form._errors = ErrorDict()
    form._errors["__all__"] = form.error_class([reason], error_class="nonfield")
    again = view.render_to_response(view.get_context_data(form=form))
    again["Cache-Control"] = "no-store"
    if status is not None:
        again.status_code = status
        again["Retry-After"] = str(retry_after)
    return again


TOO_MANY_SIGN_INS = (
    "Too many sign-ins from your address. Nothing was checked: {wait}, then try again. "
    "What you typed is still here."
)
TOO_MANY_SIGN_UPS = (
    "Too many sign-ups from your address. Nothing was saved: {wait}, then press the "
    "button again. What you typed is still here."
)
TOO_MANY_RESETS = (
    "Too many password reset requests. No email was sent: {wait}, then try again. What "
    "you typed is still here."
)


class SignInView(_KeptWhenRefusedUnread, _SaysWhatItIsFor, allauth_views.LoginView):
    throttle_action, too_many = "login", TOO_MANY_SIGN_INS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Sent here by a form pressed after the session had ended (accounts.session_ended).
        context["session_ended"] = session_ended(get_next_redirect_url(self.request))
        return context


class SignUpView(_KeptWhenRefusedUnread, _SaysWhatItIsFor, allauth_views.SignupView):
    throttle_action, too_many = "signup", TOO_MANY_SIGN_UPS

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except SignedUpAlready:
            # The same form sent twice at once: the first press's request made the account and
            # sends its confirmation link, so this one leads to the same page and sends nothing
            # (allauth's "you already have an account" email would use up the address's
            # allowance of emails, and the link would not be sent).
            return redirect("account_email_verification_sent")
        except ValidationError as refusal:
            # The display name was taken by another sign-up after this form was checked (two
            # readers pressing at once): nothing of this one was saved (SiteSignupForm), and the
            # form comes back as they filled it in, the reason by the name.
            form.add_error(None, refusal)
            return self.form_invalid(form)


class SocialSignUpView(socialaccount_views.SignupView):
    """allauth's last step of signing up through a sign-in provider (the display name).

    Each send counts against allauth's throttle on sign-ups (``ACCOUNT_RATE_LIMITS["signup"]``,
    per address), as the sign-up form's do: each one says whether a display name is free, and
    allauth's own view here counted none. Past it the form comes back with the name typed."""

    def post(self, request, *args, **kwargs):
        if allauth_ratelimit.consume(request, action="signup"):
            return super().post(request, *args, **kwargs)
        if shared_cache.skipping():  # allauth counts a throttle it could not count as over
            return unreachable_in_place(
                _form_unread(self, UNREACHABLE_DETAIL + " What you typed is still here.")
            )
        wait = _throttle_wait("signup")
        refused = ratelimit.say_wait(TOO_MANY_SIGN_UPS, wait)
        return _form_unread(self, refused, status=429, retry_after=wait)

    def form_valid(self, form):
        # allauth forgets the provider's pending sign-in as it starts saving; kept here, so
        # that a refused name can be sent again.
        pending = self.request.session.get(_PENDING_SOCIAL_SIGN_UP)
        try:
            return super().form_valid(form)
        except ValidationError as refusal:
            # The display name was taken by another sign-up after this form was checked: nothing
            # of this one was saved (SiteSocialSignupForm), and the form comes back, the reason
            # by the name.
            self.request.session[_PENDING_SOCIAL_SIGN_UP] = pending
            form.add_error(None, refusal)
            return self.form_invalid(form)


# Where allauth keeps a provider's sign-in while the reader chooses a display name
# (allauth.socialaccount.internal.flows.signup).
_PENDING_SOCIAL_SIGN_UP = "socialaccount_sociallogin"


class PasswordResetView(_KeptWhenRefusedUnread, allauth_views.PasswordResetView):
    throttle_action, too_many = "reset_password", TOO_MANY_RESETS


TOO_MANY_NEW_PASSWORDS = (
    "Too many new passwords from your address. Your password was not changed: {wait}, then "
    "try again."
)


class PasswordResetFromKeyView(
    _NoticeWithItsChange, _KeptWhenRefusedUnread, allauth_views.PasswordResetFromKeyView
):
    """The page the password reset email's link opens, where the reader types a new password
    twice: refused by the throttle (``reset_password_from_key``, per address), or while Redis
    does not answer, the form comes back empty (passwords are never drawn again), saying the
    password was not changed. The link still works once the wait is over: its key stays in the
    session, as allauth keeps it."""

    throttle_action, too_many = "reset_password_from_key", TOO_MANY_NEW_PASSWORDS
    kept_detail = "Your password was not changed."
    # allauth sets these once it has checked the link's key, after its throttle: a refused POST
    # had nothing checked, so its form is drawn for no account and no key.
    reset_user = None
    key = None

    def logout(self) -> None:
        """A reader signed in to another account is signed out by Save the new password (a
        POST), not as the link's page opens: allauth did it on the GET, so any page could sign a
        reader out by sending their browser to a reset link of an account of its own."""
        if self.request.method == "POST":
            super().logout()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["signed_in_to_another"] = (
            self.reset_user is not None and user.is_authenticated and user.pk != self.reset_user.pk
        )
        return context


# allauth's throttle (ACCOUNT_RATE_LIMITS) on the emailed confirmation link's button, per address;
# allauth counts none there. An action of the project's own: allauth names none for it.
CONFIRM_EMAIL_KEY = "confirm_email_key"
TOO_MANY_CONFIRMATIONS = (
    "Too many confirmations from your address. Nothing was confirmed: {wait}, then press "
    "Confirm again."
)


class ConfirmEmailView(allauth_views.ConfirmEmailView):
    """The page an emailed confirmation link opens: its Confirm button's POST counts against
    ``ACCOUNT_RATE_LIMITS["confirm_email_key"]`` per address, as the password reset link's page
    counts against ``reset_password_from_key``. Past it the page comes back, 429, with the
    reason and the button, and nothing is confirmed.

    A reader signed in to another account is signed out only by Confirm, never by opening the
    link: allauth signed them out on the GET, so any page could sign a reader out by sending
    their browser to a link of its own account's (a logout on GET, which the site refuses
    elsewhere: ACCOUNT_LOGOUT_ON_GET). The page says that Confirm signs them out."""

    def logout_other_user(self, confirmation) -> None:
        if self.request.method == "POST":
            super().logout_other_user(confirmation)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        confirmation = context.get("confirmation")
        user = self.request.user
        context["signed_in_to_another"] = (
            confirmation is not None
            and user.is_authenticated
            and user.pk != confirmation.email_address.user_id
        )
        return context

    def post(self, *args, **kwargs) -> HttpResponse:
        if allauth_ratelimit.consume(self.request, action=CONFIRM_EMAIL_KEY):
            # The address confirmed (made the account's, in place of the old) and the notice to
            # the old address commit together (see _NoticeWithItsChange).
            with transaction.atomic():
                return super().post(*args, **kwargs)
        if shared_cache.skipping():  # allauth counts a throttle it could not count as over
            return too_many_requests(self.request)
        try:
            self.object = self.get_object()
        except Http404:
            self.object = None
        wait = _throttle_wait(CONFIRM_EMAIL_KEY)
        refused = ratelimit.say_wait(TOO_MANY_CONFIRMATIONS, wait)
        response = self.render_to_response(self.get_context_data(refused=refused))
        response.status_code = 429
        response["Retry-After"] = str(wait)
        return response


TOO_MANY_EMAIL_CHANGES = (
    "Too many changes to your email addresses. Nothing was changed: {wait}, then try "
    "again. What you typed is still here."
)
TOO_MANY_PASSWORD_CHANGES = (
    "Too many password changes. Your password was not changed: {wait}, then try again."  # noqa: S105
)


class EmailView(_KeptWhenRefusedUnread, allauth_views.EmailView):
    """The page that changes a reader's email address (ACCOUNT_CHANGE_EMAIL): refused by the
    throttle, or while Redis does not answer, the new address typed comes back in its box.
    Each of its changes (an address added, its change cancelled) commits with the email sent
    about it (see _NoticeWithItsChange): its POST is one transaction, past the throttle."""

    throttle_action, too_many = "manage_email", TOO_MANY_EMAIL_CHANGES

    def post(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().post(request, *args, **kwargs)

    def typed_in_form(self) -> bool:
        # "Send the link again" and "Cancel the change" post the address waiting to be
        # confirmed from their own small form: it was not typed in the box.
        return "action_add" in self.request.POST

    def _action_remove(self, request, *args, **kwargs):
        """ "Cancel the change" takes off an address never confirmed: the owner is told the
        change was cancelled (adapter.send_mail reads this mark), not that an address was
        taken off their account, which it never was on."""
        address = self._get_email_address(request)
        if address is not None and not address.verified:
            request.unconfirmed_address_cancelled = address.email
        return super()._action_remove(request, *args, **kwargs)

    def _action_send(self, request, *args, **kwargs):
        """ "Send the link again": allauth sends no link to an address it sent one to within
        ``ACCOUNT_RATE_LIMITS["confirm_email"]`` (3 minutes), and said nothing, so a reader
        pressing it for a link that had not come yet was left to think it was sent, or that the
        button did nothing. The page says no new link went, and when to ask again."""
        response = super()._action_send(request, *args, **kwargs)
        address = self._get_email_address(request)
        if address is not None and not address.verified and not self._did_send_verification_email:
            wait = ratelimit.wait_in_words(_throttle_wait("confirm_email"))
            messages.error(
                request,
                f"No new link was sent: one went to {address.email} a moment ago. Look for it "
                f"(in your spam folder too), or {wait}, then press Send the link again.",
            )
        return response


class PasswordChangeView(
    _NoticeWithItsChange, _KeptWhenRefusedUnread, allauth_views.PasswordChangeView
):
    """Refused by the throttle, or while Redis does not answer, the form comes back empty
    (passwords are never drawn again), saying the password was not changed."""

    throttle_action, too_many = "change_password", TOO_MANY_PASSWORD_CHANGES
    kept_detail = "Your password was not changed."


TOO_MANY_REAUTHENTICATIONS = (
    "Too many tries of your password. Nothing was checked: {wait}, then try again."
)
TOO_MANY_PASSWORD_SETS = (
    "Too many password changes. Your password was not set: {wait}, then try again."  # noqa: S105
)


class ReauthenticateView(_KeptWhenRefusedUnread, allauth_views.ReauthenticateView):
    """ "Confirm it is you", asking for the password before a change to the account: refused by
    the throttle, or while Redis does not answer, the form comes back empty (the password is
    never drawn again), saying it was not checked."""

    throttle_action, too_many = "reauthenticate", TOO_MANY_REAUTHENTICATIONS
    kept_detail = "Your password was not checked."

    def get_context_data(self, **kwargs):
        """With what the page being gone on to says of itself: a view that answers with a file
        (the reader's data download) leaves the browser on this page once the password is
        confirmed, so the page says beforehand what Confirm does and offers the way back
        (``reauthentication_context``, a function of the request set on that view)."""
        context = super().get_context_data(**kwargs)
        view = _view_at(get_next_redirect_url(self.request) or "")
        about = getattr(view, "reauthentication_context", None)
        if about is not None:
            context.update(about(self.request))
        return context


def _view_at(url: str):
    """The view that answers ``url`` (a path on this site, under its script prefix), or None."""
    prefix = get_script_prefix()
    path = urlsplit(url).path
    if not path.startswith(prefix):
        return None
    try:
        return resolve("/" + path[len(prefix) :]).func
    except Resolver404:
        return None


class PasswordSetView(_NoticeWithItsChange, _KeptWhenRefusedUnread, allauth_views.PasswordSetView):
    """An account with no password yet (signed up through single sign-on) choosing one: refused
    by the throttle (allauth counts it as a password change), or while Redis does not answer,
    the form comes back empty, saying no password was set."""

    throttle_action, too_many = "change_password", TOO_MANY_PASSWORD_SETS
    kept_detail = "Your password was not set."


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """/admin/login/, in place of Wagtail's own sign-in form: staff sign in on the site's
    sign-in page, the one form there is, with allauth's throttle on failed sign-ins and its
    check that the address is verified. Wagtail's form had neither, and signed in any account.

    Nothing sent here is read as a password: a POST is answered as a GET, with the redirect.
    The admin sends here whoever it turns away (Wagtail's WAGTAILADMIN_LOGIN_URL is left at
    this address), so an account already signed in that cannot open the admin is told so,
    rather than sent to sign in again, which would send it straight back.
    """
    next_url = get_next_redirect_url(request) or reverse("wagtailadmin_home")
    if not request.user.is_authenticated:
        return redirect_to_login(next_url, login_url=reverse("account_login"))
    if request.user.has_perm("wagtailadmin.access_admin"):
        return redirect(next_url)
    return render(
        request,
        "accounts/admin_sign_in_refused.html",
        {"sign_in_again": f"{reverse('account_login')}?{urlencode({'next': next_url})}"},
        status=403,
    )


@require_http_methods(["GET", "POST"])
def sso(request: HttpRequest) -> HttpResponse:
    """GET shows who the token names and a button; the POST (with our CSRF token) signs in.

    Signing in only on our own POST means a link alone can never switch the session of whoever
    opens it to another account (login CSRF), and a mail scanner or link preview spends nothing.
    """
    token = request.POST.get("token") if request.method == "POST" else request.GET.get("token")
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    # Per address behind the site's trusted proxies (core.client): counting the proxy's address
    # would let one busy reader lock everyone out.
    rate = settings.SSO_RATE
    try:
        too_many = ratelimit.over_rates([(client_network(request), rate)], prefix="sso")
    except UNREACHABLE:
        # Not counted, Redis not answering (core.cache): no one is signed in, and the page says
        # why, to come back to from the publisher's link in a minute.
        said = (
            "The site cannot sign you in for a moment, and nothing was changed. Please go back "
            "and try again in a minute."
        )
        return unreachable_in_place(render(request, "accounts/sso.html", {"error": said}))
    if too_many:
        wait = ratelimit.seconds_to_next_window(rate)
        said = ratelimit.say_wait("Too many sign-on attempts from your address. {Wait}.", wait)
        response = render(request, "accounts/sso.html", {"error": said}, status=429)
        response["Retry-After"] = str(wait)
        return response
    try:
        claims = sso_token_read(token or "")
        sso_token_check_unused(claims)
        if request.method == "POST":
            user = services.reader_sign_on(claims=claims)
    except SsoRefused as refusal:
        return render(request, "accounts/sso.html", {"error": str(refusal)}, status=400)
    if request.method == "GET":
        return render(
            request, "accounts/sso.html", {"claims": claims, "token": token, "next": next_url}
        )
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(next_url)


# The profile's reply-email choices (its radio buttons' values): whether replies are emailed,
# and whether in one email a day (None: "Never" keeps the digest choice for when they are back).
_REPLY_EMAIL_CHOICES: dict[str, tuple[bool, bool | None]] = {
    "on": (True, False),
    "daily": (True, True),
    "off": (False, None),
}


@signed_in_to_finish
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    """The global switch for reply emails, from the profile page.

    Its address opened (GET) changes nothing: signing in sends a reader here when their session
    had ended as they pressed the button, and the profile, where the form is, says so."""
    reader = reader_for_user(user_id=request.user.pk)
    if reader is None:
        return redirect(_front_page())
    if request.method == "GET":
        messages.info(request, "Nothing was sent. Press “Save email choice” again.")
        return redirect("reader_profile", reader.pk)
    try:
        too_many = ratelimit.over_rates(
            [(client_network(request), settings.COMMENT_EDIT_RATE_LIMIT)], prefix="reply-emails"
        )
    except UNREACHABLE:
        # Not counted, Redis not answering (core.cache): the choice stays as it was, and a page
        # of its own says so (a 503 cannot be the redirect back), with the way to the profile.
        context = {
            "message": UNREACHABLE_DETAIL + " Your email choice was not saved.",
            "back_url": reverse("reader_profile", args=[reader.pk]) + "#reply-emails",
            "back_label": "Back to your profile",
        }
        return unreachable_in_place(render(request, "core/nothing_changed.html", context))
    if too_many:
        # Told on the profile, where the redirect leads: no Retry-After to carry the wait.
        wait = ratelimit.seconds_to_next_window(settings.COMMENT_EDIT_RATE_LIMIT)
        said = "Too many changes; {wait}. Your email choice was not saved."
        messages.error(request, ratelimit.say_wait(said, wait))
        return redirect("reader_profile", reader.pk)
    choice = request.POST.get("reply_emails")
    if choice not in _REPLY_EMAIL_CHOICES:
        # A value the form does not offer (an old form, a hand-made request) is not a choice
        # of "Never": the member's choice stays as it was.
        messages.error(
            request,
            "Choose one of For each reply, Once a day or Never. Your email choice was not saved.",
        )
        return redirect("reader_profile", reader.pk)
    notify_replies, reply_digest = _REPLY_EMAIL_CHOICES[choice]
    services.reader_set_notifications(
        reader=reader, notify_replies=notify_replies, reply_digest=reply_digest
    )
    if not reader.notify_replies:
        messages.success(request, "Reply emails are off.")
    elif reader.reply_digest:
        messages.success(request, "Replies will come in one email a day.")
    else:
        messages.success(request, "You will get an email for each reply.")
    return redirect("reader_profile", reader.pk)


def _unsubscribe_link_invalid(request: HttpRequest, token: str) -> HttpResponse:
    if reader_id_from_unsubscribe_token(token) is not None:
        # Our own link, to an account deleted since: what its reader asks for is so already
        # (a one-click POST from their mail client is answered 200 as done).
        return render(request, "accounts/unsubscribe.html", {"account_deleted": True})
    return render(
        request,
        "accounts/unsubscribe.html",
        {"error": "This unsubscribe link is not valid. Use the link from your latest email."},
        status=400,
    )


@csrf_exempt  # RFC 8058 one-click: the mail client POSTs without our form; the token is the key
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation (a scanner following the link changes nothing); POST does it,
    counted per address (``UNSUBSCRIBE_RATE``)."""
    reader = reader_from_unsubscribe_token(token)
    if reader is None:
        return _unsubscribe_link_invalid(request, token)
    if request.method == "POST":
        # Per address (core.client), generous: a mail provider sends its users' one-click POSTs
        # from its own servers. Refused, the page asks again, and a mail client may retry.
        rate = settings.UNSUBSCRIBE_RATE
        if ratelimit.over_rates([(client_network(request), rate)], prefix="unsubscribe"):
            wait = ratelimit.seconds_to_next_window(rate)
            response = render(
                request,
                "accounts/unsubscribe.html",
                {
                    "reader": reader,
                    "token": token,
                    "refused": ratelimit.say_wait(
                        "Too many unsubscribes from your address. Nothing was changed: {wait}, "
                        "then press Unsubscribe again.",
                        wait,
                    ),
                },
                status=429,
            )
            response["Retry-After"] = str(wait)
            return response
        services.reader_set_notifications(reader=reader, notify_replies=False)
        return render(
            request, "accounts/unsubscribe.html", {"done": True, "reader": reader, "token": token}
        )
    return render(request, "accounts/unsubscribe.html", {"reader": reader, "token": token})


@require_http_methods(["GET", "POST"])
def unsubscribe_undo(request: HttpRequest, token: str) -> HttpResponse:
    """The unsubscribe page's "Email me about replies again": the POST (with our CSRF token, as
    it comes from our own page, unlike the one-click unsubscribe) turns reply emails back on,
    as they were (each reply, or the daily email), counted like the profile's email choice
    (``COMMENT_EDIT_RATE_LIMIT``, per address). Its address opened (GET) changes nothing and
    leads to the unsubscribe page."""
    reader = reader_from_unsubscribe_token(token)
    if reader is None:
        return _unsubscribe_link_invalid(request, token)
    if request.method == "GET":
        return redirect("unsubscribe", token)
    rate = settings.COMMENT_EDIT_RATE_LIMIT
    try:
        too_many = ratelimit.over_rates([(client_network(request), rate)], prefix="reply-emails")
    except UNREACHABLE:
        # Not counted, Redis not answering (core.cache): the page comes back as it was, its
        # button to press again in a minute, saying why nothing changed.
        context = {
            "done": True,
            "reader": reader,
            "token": token,
            "refused": UNREACHABLE_DETAIL + " Reply emails are still off.",
        }
        return unreachable_in_place(render(request, "accounts/unsubscribe.html", context))
    if too_many:
        wait = ratelimit.seconds_to_next_window(rate)
        said = ratelimit.say_wait("Too many changes; {wait}. Reply emails are still off.", wait)
        response = render(
            request,
            "accounts/unsubscribe.html",
            {"done": True, "reader": reader, "token": token, "refused": said},
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    services.reader_set_notifications(reader=reader, notify_replies=True)
    return render(request, "accounts/unsubscribe.html", {"resubscribed": True, "reader": reader})
