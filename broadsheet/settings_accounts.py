"""Settings for reader identity and mail: allauth, publisher sign-on, notifications.

Kept beside ``settings.py`` (which star-imports this module) so the accounts work touches the
shared settings file in one line. Every environment variable is still declared once, through
``core.envsettings.declare``, and documented in docs/settings.md.
"""

from __future__ import annotations

from email.utils import formataddr, parseaddr
from ipaddress import ip_address
from urllib.parse import urlsplit

from django.urls import reverse_lazy

from core.envsettings import (
    declare,
    parse_bool,
    parse_non_negative_int,
    parse_port,
    parse_positive_int,
    parse_rate,
)

# --- Mail ----------------------------------------------------------------------------------

EMAIL_HOST = declare(
    "EMAIL_HOST",
    "",
    "SMTP server that sends verification, password-reset and reply emails. When empty, emails "
    "are printed to the console instead of sent (fine for a demo, not for readers).",
)
EMAIL_PORT = declare("EMAIL_PORT", "25", "Port of EMAIL_HOST.", parse_port)
EMAIL_HOST_USER = declare("EMAIL_HOST_USER", "", "User name for EMAIL_HOST, if it needs one.")
EMAIL_HOST_PASSWORD = declare(
    "EMAIL_HOST_PASSWORD", "", "Password for EMAIL_HOST_USER, if the server needs one."
)
EMAIL_USE_TLS = declare(
    "EMAIL_USE_TLS", "false", "Use STARTTLS when talking to EMAIL_HOST.", parse_bool
)


def _parse_from_address(raw: str) -> str:
    raw = raw.strip()
    if raw and "@" not in parseaddr(raw)[1]:
        raise ValueError("expected an address, e.g. The Broadsheet <news@example.com>")
    return raw


def default_from_email(*, site_name: str, base_url: str) -> str:
    """The From address when DEFAULT_FROM_EMAIL is empty: the publication's name, at noreply on
    the site's own domain (``localhost`` while the site answers at an IP address or a bare host
    name, as the demo does: neither is a mail domain)."""
    host = urlsplit(base_url).hostname or ""
    try:
        ip_address(host)
        host = ""
    except ValueError:
        pass
    domain = host if "." in host else "localhost"
    return formataddr((site_name, f"noreply@{domain}"))


# Completed in settings.py, which knows SITE_NAME and SITE_BASE_URL (default_from_email).
DEFAULT_FROM_EMAIL = declare(
    "DEFAULT_FROM_EMAIL",
    "",
    "The From address of every email the site sends, e.g. The Broadsheet <news@example.com>. "
    "Empty: SITE_NAME at noreply@ the host of SITE_BASE_URL (noreply@localhost while that is "
    "an IP address or localhost).",
    _parse_from_address,
)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_TIMEOUT = 20
EMAIL_RETRIES = declare(
    "EMAIL_RETRIES",
    "5",
    "How many times an email task (a reply, a moderation decision told to its author) is tried "
    "again when the mail server refuses it for now (a 4xx answer) or cannot be reached; 0 never "
    "tries again. A permanent refusal (5xx) is never tried again.",
    parse_non_negative_int,
)
EMAIL_RETRY_SECONDS = declare(
    "EMAIL_RETRY_SECONDS",
    "60",
    "How long an email task waits before its first try again; each later one waits twice as long "
    "as the one before (60, 120, 240, 480, 960 seconds: about half an hour in all).",
    parse_positive_int,
)

# --- Accounts (django-allauth) -------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_ADAPTER = "accounts.adapter.ReaderAccountAdapter"
ACCOUNT_USER_DISPLAY = "accounts.selectors.user_display"  # the display name, in messages
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "signup": "accounts.signup_forms.SiteSignupForm",
    "add_email": "accounts.email_forms.NewEmailForm",
    "change_password": "accounts.password_forms.SitePasswordChangeForm",
    "reset_password_from_key": "accounts.password_forms.SitePasswordResetKeyForm",
}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # a mail scanner's GET must not verify anything
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
# The account's address hears of each change to the account (its email address, old and new,
# its password), with what to do if it was not the reader: a browser left signed in is enough
# to change the address, and the old one would otherwise never know (account/email/*notif*).
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Changing the account's email address (and removing one, connecting or disconnecting a sign-in
# provider) asks for the password again unless it was given in the last five minutes: a browser
# left signed in, or a stolen session, is then not enough to take the account over. Deleting the
# account and downloading its data ask too (discussion.reader_views.delete and .export,
# allauth's reauthentication_required). What
# the member sent is kept over the detour and carried out once they have confirmed. (allauth
# counts only a confirmation on its own page, not the sign-in itself; an account with no
# password, from the publisher's sign-on or a sign-in provider, is not asked.)
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300  # seconds
ACCOUNT_PREVENT_ENUMERATION = True  # sign-up and reset answer the same for known addresses
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_SESSION_REMEMBER = None
# allauth's own throttles (kept in the cache): failed logins per address and per account,
# sign-ups and reset mails per address. allauth adds its defaults for the actions not named
# here (allauth.account.app_settings.RATE_LIMITS), among them "login" (30/m/ip),
# "manage_email" (the email page's every change, 10/m/user), "change_password" (5/m/user) and
# "reauthenticate" (10/m/user). ("change_email", set here before, is no action of allauth's:
# it limited nothing.)
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    # The emailed confirmation link's Confirm button (accounts.views.ConfirmEmailView): an
    # action of the project's own, counted like the password reset link's page.
    "confirm_email_key": "20/m/ip",
}
# Reversed (lazily, per request), so a site served under a path prefix (docs/deploy.md) sends
# readers to its own front page and sign-in page, /news/ and /news/accounts/login/, not the
# proxy's / and /accounts/login/.
LOGIN_REDIRECT_URL = LOGOUT_REDIRECT_URL = reverse_lazy("wagtail_serve", args=[""])
LOGIN_URL = reverse_lazy("account_login")
# A signed-in reader confirming an address has just changed theirs from their email page: its
# link leads back there, which says which address is theirs now.
ACCOUNT_EMAIL_CONFIRMATION_AUTHENTICATED_REDIRECT_URL = reverse_lazy("account_email")
# A page behind a "signed-in readers" view restriction sends readers to the site's own sign-in
# page (allauth: email, social and OIDC sign-in, rate limits), not Wagtail's bare form.
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
# Staff sign in there too: /admin/login/, where the admin sends whoever it turns away, answers
# with a redirect to it (accounts.views.admin_sign_in), so there is one sign-in form with one
# throttle and one check of the address. Resetting a password is allauth's alone as well:
# Wagtail's reset form would mail any account's address, unthrottled.
WAGTAIL_PASSWORD_RESET_ENABLED = False

# --- Generic OpenID Connect (off until configured) -----------------------------------------

OIDC_PROVIDER_NAME = declare(
    "OIDC_PROVIDER_NAME",
    "",
    "Label of the 'Sign in with ...' button for a generic OpenID Connect provider. Sign-in "
    "through OpenID Connect is off while OIDC_SERVER_URL is empty.",
)
OIDC_SERVER_URL = declare(
    "OIDC_SERVER_URL",
    "",
    "The provider's issuer URL (its /.well-known/openid-configuration is read from there).",
)
OIDC_CLIENT_ID = declare("OIDC_CLIENT_ID", "", "Client id registered with the OIDC provider.")
OIDC_CLIENT_SECRET = declare(
    "OIDC_CLIENT_SECRET", "", "Client secret registered with the OIDC provider."
)
SOCIALACCOUNT_PROVIDERS: dict = {}
if OIDC_SERVER_URL:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": "oidc",
                "name": OIDC_PROVIDER_NAME or "OpenID Connect",
                "client_id": OIDC_CLIENT_ID,
                "secret": OIDC_CLIENT_SECRET,
                "settings": {"server_url": OIDC_SERVER_URL},
            }
        ]
    }
SOCIALACCOUNT_FORMS = {"signup": "accounts.signup_forms.SiteSocialSignupForm"}
SOCIALACCOUNT_ADAPTER = "accounts.adapter.ReaderSocialAccountAdapter"  # suggests a display name
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # never merge accounts on an unverified claim
SOCIALACCOUNT_AUTO_SIGNUP = False  # the reader still picks a display name

# --- Readers and their comments ------------------------------------------------------------

COMMENTS_REQUIRE_ACCOUNT = declare(
    "COMMENTS_REQUIRE_ACCOUNT",
    "false",
    "When true, only signed-in readers may comment; when false, guests may comment with a "
    "display name. An article's discussion can override this either way.",
    parse_bool,
)
COMMENT_EDIT_WINDOW_MINUTES = declare(
    "COMMENT_EDIT_WINDOW_MINUTES",
    "15",
    "How long after posting a reader (or the guest who posted it) may open a comment to edit "
    "it; a page opened in that time can be saved for ten times as long after it was opened.",
    parse_positive_int,
)
COMMENT_EDIT_RATE_LIMIT = declare(
    "COMMENT_EDIT_RATE_LIMIT",
    "20/m",
    "How many edits or deletions of their comments, and changes to their reply emails (a "
    "comment's Mute reply emails, the profile's email choice, the unsubscribe page's Email me "
    "about replies again), one address may make, as count/period, e.g. 20/m.",
    parse_rate,
)
UNSUBSCRIBE_RATE = declare(
    "UNSUBSCRIBE_RATE",
    "60/m",
    "How many one-click unsubscribes (the Unsubscribe button of a reply email's link, and the "
    "POST a mail client sends for it, RFC 8058) one address may send, as count/period. Mail "
    "providers send them from their own servers, many readers' from one address, so keep it "
    "generous; past it the answer is a 429 with Retry-After and nothing is changed.",
    parse_rate,
)
DISPLAY_NAME_CHANGE_DAYS = declare(
    "DISPLAY_NAME_CHANGE_DAYS",
    "30",
    "How many days a member must wait after changing their display name on their profile before "
    "they may change it again, so that nobody can hop between names to dodge readers or "
    "moderators; 0 lets them change it at any time.",
    parse_non_negative_int,
)
DISPLAY_NAME_CHANGE_RATE = declare(
    "DISPLAY_NAME_CHANGE_RATE",
    "10/h",
    "How many times one account, and one address (an IPv6 /64), may send the profile's display "
    "name form, as count/period, e.g. 10/h. Each try, refused or not, says whether a name is "
    "free, so this also bounds how fast names can be probed.",
    parse_rate,
)
DATA_EXPORT_RATE = declare(
    "DATA_EXPORT_RATE",
    "5/h",
    "How many times one account, and one address (an IPv6 /64), may download their data from "
    "the profile's Download my data, as count/period, e.g. 5/h. Each download reads every "
    "comment the reader wrote; past the limit the profile says when to try again.",
    parse_rate,
)
IGNORE_RATE = declare(
    "IGNORE_RATE",
    "60/h",
    "How many times one account, and one address (an IPv6 /64), may press Ignore or Stop "
    "ignoring (on a comment or the profile), as count/period, e.g. 60/h.",
    parse_rate,
)
IGNORED_MEMBERS_MAX = declare(
    "IGNORED_MEMBERS_MAX",
    "500",
    "The most members one reader may ignore at a time; past it, Ignore says to stop ignoring "
    "someone on the profile first.",
    parse_positive_int,
)
DELETED_ACCOUNT_COMMENTS = declare(
    "DELETED_ACCOUNT_COMMENTS",
    "keep",
    "What happens to the comments of a reader who deletes their account: 'keep' shows them "
    "under 'Deleted account', 'remove' removes them (a comment with replies leaves a shell).",
)
if DELETED_ACCOUNT_COMMENTS not in {"keep", "remove"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"DELETED_ACCOUNT_COMMENTS={DELETED_ACCOUNT_COMMENTS!r} is not valid: use keep or remove."
    )

# --- Publisher sign-on ---------------------------------------------------------------------

SSO_SHARED_SECRET = declare(
    "SSO_SHARED_SECRET",
    "",
    "Secret shared with the publisher's own login, used to verify its HS256 sign-on tokens "
    "(see docs/sso.md). Publisher sign-on is off while this is empty.",
)
SSO_MAX_TOKEN_AGE_SECONDS = declare(
    "SSO_MAX_TOKEN_AGE_SECONDS",
    "300",
    "The longest a publisher sign-on token may live (exp minus iat), in seconds.",
    parse_positive_int,
)
SSO_RATE = declare(
    "SSO_RATE",
    "30/m",
    "How many publisher sign-on requests (opening a sign-on link, and pressing its Continue) "
    "one address may send, as count/period; past it the page says to wait and signs no one in.",
    parse_rate,
)
