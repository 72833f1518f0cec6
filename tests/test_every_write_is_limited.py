"""Every request that can change something, sent by a reader, a guest or an API client, is
rate-limited (docs/architecture.md, "Rate limits on every write").

The site's addresses are read from Django's resolver, and the JSON API's from its operations, as
they are at run time: a view added tomorrow is seen here. Each view that takes a POST, PUT, PATCH
or DELETE (what it declares: ``require_http_methods``, ``takes_only``, a class's handlers) must
be in ``WRITES``, limited by a setting that a test drives past its limit, or exempt for a reason
written beside it. A view that declares no methods must be listed too: in ``WRITES``, or in
``READS_WHATEVER_THE_METHOD`` if it answers every method as a read. The Wagtail admin
(``/admin/``) is left out: staff only, with its own limit where it writes
(``MODERATION_STAFF_RATE``, ``IMPORT_RATE``).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from pathlib import Path

from allauth.account import app_settings as allauth_settings
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from api.views import api as read_api

ROOT = Path(__file__).resolve().parent.parent
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class Limited:
    """Counted by ``core.ratelimit`` against ``setting`` (declared, in docs/settings.md);
    ``shown_by`` sets it low, goes past it, and sees a 429 with nothing changed."""

    setting: str
    shown_by: str


@dataclass(frozen=True)
class AllauthLimited:
    """Counted by allauth's throttle under ``action`` of ``ACCOUNT_RATE_LIMITS`` (allauth's
    defaults included); ``shown_by`` where the project added the count itself."""

    action: str
    shown_by: str | None = None


@dataclass(frozen=True)
class Exempt:
    reason: str


WRITES: dict[str, Limited | AllauthLimited | Exempt] = {
    # Wagtail's page view: a POST to an article is a comment (newsroom.models.ArticlePage.serve,
    # discussion.posting); every other page type answers a POST as a GET.
    "wagtail.views.serve": Limited("COMMENT_RATE_LIMIT", "newsroom/tests/test_comment_posting.py"),
    "api.views.comment_post": Limited("COMMENT_RATE_LIMIT", "api/tests/test_post_comment.py"),
    "api.views.comment_preview": Limited(
        "COMMENT_PREVIEW_RATE", "api/tests/test_preview_comment.py"
    ),
    "newsroom.page_passwords.authenticate_with_password": Limited(
        "PAGE_PASSWORD_RATE", "newsroom/tests/test_page_passwords.py"
    ),
    "newsroom.page_passwords.authenticate_document_with_password": Limited(
        "PAGE_PASSWORD_RATE", "newsroom/tests/test_document_passwords.py"
    ),
    "discussion.own_views.comment_edit": Limited(
        "COMMENT_EDIT_RATE_LIMIT", "discussion/tests/test_own_comment_actions.py"
    ),
    "discussion.own_views.comment_delete": Limited(
        "COMMENT_EDIT_RATE_LIMIT", "discussion/tests/test_own_comment_actions.py"
    ),
    "discussion.own_views.comment_reply_emails": Limited(
        "COMMENT_EDIT_RATE_LIMIT", "tests/readers/test_reply_email_switch_limits.py"
    ),
    "accounts.views.notifications": Limited(
        "COMMENT_EDIT_RATE_LIMIT", "tests/readers/test_reply_email_switch_limits.py"
    ),
    "accounts.views.unsubscribe_undo": Limited(
        "COMMENT_EDIT_RATE_LIMIT", "accounts/tests/test_unsubscribe_undo.py"
    ),
    "accounts.views.unsubscribe": Limited(
        "UNSUBSCRIBE_RATE", "accounts/tests/test_unsubscribe_limit.py"
    ),
    "discussion.views.comment_react": Limited(
        "REACTION_RATE_LIMIT", "discussion/tests/test_reactions.py"
    ),
    "moderation.views.report": Limited(
        "MODERATION_REPORT_RATE", "moderation/tests/test_reports.py"
    ),
    "moderation.views.statement": Limited(
        "MODERATION_APPEAL_RATE", "moderation/tests/test_statement_page.py"
    ),
    "moderation.views.ban": Limited(
        "MODERATION_APPEAL_RATE", "moderation/tests/test_ban_appeals.py"
    ),
    "discussion.reader_views.name_change": Limited(
        "DISPLAY_NAME_CHANGE_RATE", "discussion/tests/test_display_name_form.py"
    ),
    "discussion.reader_views.export": Limited(
        "DATA_EXPORT_RATE", "discussion/tests/test_data_export_limit.py"
    ),
    "discussion.ignore_views.comment_ignore": Limited(
        "IGNORE_RATE", "tests/readers/test_ignore_commenter.py"
    ),
    "discussion.ignore_views.ignoring_stop": Limited(
        "IGNORE_RATE", "tests/readers/test_ignore_commenter.py"
    ),
    "accounts.views.sso": Limited("SSO_RATE", "accounts/tests/test_sso.py"),
    # allauth's forms. Failed sign-ins are also counted per account (login_failed).
    "accounts.views.SignInView": AllauthLimited("login"),
    "accounts.views.SignUpView": AllauthLimited("signup"),
    "accounts.views.SocialSignUpView": AllauthLimited(
        "signup", "accounts/tests/test_social_sign_up_limit.py"
    ),
    "accounts.views.PasswordResetView": AllauthLimited("reset_password"),
    "accounts.views.PasswordResetFromKeyView": AllauthLimited("reset_password_from_key"),
    "accounts.views.ConfirmEmailView": AllauthLimited(
        "confirm_email_key", "accounts/tests/test_confirm_email_limit.py"
    ),
    "accounts.views.ReauthenticateView": AllauthLimited("reauthenticate"),
    "accounts.views.EmailView": AllauthLimited("manage_email"),
    "accounts.views.PasswordChangeView": AllauthLimited("change_password"),
    "accounts.views.PasswordSetView": AllauthLimited("change_password"),
    # Exempt, each for its reason.
    "allauth.account.views.LogoutView": Exempt(
        "Ends the sender's own session and nothing else: there is nothing to fill or to guess."
    ),
    "allauth.account.views.ConfirmLoginCodeView": Exempt(
        "Sign-in by emailed code is off (ACCOUNT_LOGIN_BY_CODE_ENABLED is not set), so no sign-in "
        "ever waits for a code: every request is sent on to the sign-in page, nothing read."
    ),
    "allauth.socialaccount.views.ConnectionsView": Exempt(
        "A signed-in member disconnecting one of their own sign-in providers, after giving the "
        "password again (allauth's reauthentication, itself limited: reauthenticate); an "
        "account has at most one provider (OIDC) to disconnect."
    ),
    "allauth.socialaccount.providers.openid_connect.views.login": Exempt(
        "Sends the reader to the provider to sign in, keeping the flow's state in their own "
        "session; the provider limits its own sign-in. Off unless OIDC_SERVER_URL is set."
    ),
    "allauth.socialaccount.providers.openid_connect.views.callback": Exempt(
        "The provider's redirect back: a code is exchanged only for the state this browser's "
        "session started, so each sign-in at the provider signs in once. Off unless "
        "OIDC_SERVER_URL is set."
    ),
    "discussion.reader_views.delete": Exempt(
        "Deletes the signed-in member's own account, once: the password is asked first "
        "(allauth's reauthentication, limited: reauthenticate), and then the account is gone."
    ),
}

# Views that declare no methods and answer every method as they answer a GET (or refuse it),
# changing nothing.
READS_WHATEVER_THE_METHOD: dict[str, str] = {
    "accounts.views.admin_sign_in": "a POST is answered as a GET: a redirect to the sign-in page",
    "allauth.account.views.email_verification_sent": "the 'check your email' page (405 to POST)",
    "discussion.views.comments_more": "a page of a thread's comments",
    "discussion.views.comments_new": "comments by id, for the live button",
    "discussion.views.replies_more": "a page of a comment's replies",
    "discussion.views.reply_form": "draws the reply form; posting it is the article's POST",
    "discussion.views.comment_permalink": "redirects to a comment in its thread",
    "discussion.views.thread_events": "the live stream (served by the ASGI layer before Django)",
    "discussion.reader_views.profile": "a reader's public profile",
    "discussion.reader_views.profile_of_member": "redirects to a member's profile",
    "moderation.views.transparency": "the transparency report",
    "api.embed.article_comments": "the embed: any method but GET and HEAD gets its refusal",
    "api.embed.article_comments_of_no_id": "the embed's answer for an id that names nothing",
    "api.unknown.no_such_address": "a JSON 404, whatever the method",
    "api.unknown.root_without_slash": "a redirect for a read, a JSON 405 for anything else",
    "api.unknown.no_version": "a JSON 404 naming /api/v1/, whatever the method",
    "core.views.favicon": "the site's icon",
    "core.media.serve_media": "uploaded media, when SERVE_MEDIA is on",
    "django.views.generic.base.RedirectView": "a redirect, whatever the method",
    "wagtail.documents.views.serve.serve": "a document's file",
    "newsroom.feeds.ArticleFeed": "a feed",
    "newsroom.feeds.SiteAtomFeed": "a feed",
    "newsroom.feeds.SectionFeed": "a feed",
    "newsroom.feeds.SectionAtomFeed": "a feed",
    "newsroom.feeds.AuthorFeed": "a feed",
    "newsroom.feeds.AuthorAtomFeed": "a feed",
    "newsroom.feeds.CommentsFeed": "a feed",
}


def _view_name(callback) -> str:
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return f"{view_class.__module__}.{view_class.__qualname__}"
    target = inspect.unwrap(callback)
    if not inspect.isfunction(target):  # a callable object: a Feed
        target = type(target)
    return f"{target.__module__}.{target.__qualname__}"


def _declared_methods(callback) -> set[str] | None:
    """The methods a view takes, as it declares them: Django's ``require_http_methods`` (which
    ``require_POST``, ``require_safe`` and ``core.methods.takes_only`` use) anywhere in its
    wrappers, or a class-based view's handlers. None when it declares nothing."""
    wrapper = callback
    while wrapper is not None:
        if inspect.isfunction(wrapper):
            taken = inspect.getclosurevars(wrapper).nonlocals.get("request_method_list")
            if taken is not None:
                return {method.upper() for method in taken}
        wrapper = getattr(wrapper, "__wrapped__", None)
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return {name.upper() for name in view_class.http_method_names if hasattr(view_class, name)}
    return None


def _site_views() -> dict[str, set[str] | None]:
    """Each view the site's addresses reach (the admin's aside), with the methods it declares;
    for an address listed twice, the first, which Django answers with. The JSON API's views come
    from its operations, which declare their methods."""
    found: dict[str, set[str] | None] = {}
    routes: set[str] = set()

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                if entry.namespace != read_api.urls_namespace:
                    walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern) and route not in routes:
                routes.add(route)
                if not route.startswith("admin/") or route == "admin/login/":
                    found[_view_name(entry.callback)] = _declared_methods(entry.callback)

    walk(get_resolver().url_patterns, "")
    for _prefix, router in read_api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                function = operation.view_func
                found[f"{function.__module__}.{function.__qualname__}"] = set(operation.methods)
    return found


def test_every_view_that_can_change_something_is_limited_or_exempt_for_a_reason():
    unaccounted = []
    for name, methods in sorted(_site_views().items()):
        if name in WRITES or name in READS_WHATEVER_THE_METHOD:
            continue
        if methods is None:
            unaccounted.append(f"{name} (declares no methods)")
        elif methods and methods & WRITE_METHODS:
            unaccounted.append(f"{name} (takes {', '.join(sorted(methods & WRITE_METHODS))})")

    assert not unaccounted, (
        "Views that can take a write with no rate limit known for it. Limit each one "
        "(core.ratelimit, with a setting in docs/settings.md) and list it in WRITES with the test "
        "that goes past the limit, or list it as exempt with the reason; a view that only reads "
        "should declare so (require_safe, core.methods.takes_only): " + "; ".join(unaccounted)
    )


def test_the_lists_name_only_views_the_site_has():
    views = _site_views()

    assert sorted(set(WRITES) - set(views)) == []
    assert sorted(set(READS_WHATEVER_THE_METHOD) - set(views)) == []
    # A view that declares its methods speaks for itself; listed as a read it would hide a
    # write added to it later.
    assert [name for name in READS_WHATEVER_THE_METHOD if views[name] is not None] == [
        "django.views.generic.base.RedirectView"  # declares every method, each a redirect
    ]


def test_each_limit_is_a_documented_setting_that_a_test_goes_past():
    documented = (ROOT / "docs" / "settings.md").read_text()
    allauth_rates = allauth_settings.RATE_LIMITS
    problems = []
    for name, how in WRITES.items():
        if isinstance(how, Limited):
            if not hasattr(settings, how.setting) or f"| `{how.setting}` |" not in documented:
                problems.append(f"{name}: {how.setting} is not a documented setting")
            test = ROOT / how.shown_by
            if not test.exists() or how.setting not in test.read_text():
                problems.append(f"{name}: {how.shown_by} does not set {how.setting}")
        elif isinstance(how, AllauthLimited):
            if not allauth_rates.get(how.action):
                problems.append(f"{name}: allauth has no rate for {how.action!r}")
            if how.shown_by and f'"{how.action}"' not in (ROOT / how.shown_by).read_text():
                problems.append(f"{name}: {how.shown_by} does not set {how.action}")

    assert problems == []
