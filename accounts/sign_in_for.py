"""What a sign-in is for: the page a sign-in's ``next`` leads to, when this reader may not see it.

The masthead's "Sign in" link carries the page the reader is on as ``next``, and so does
Wagtail's redirect from a page behind a view restriction. Only in the second case is the reader
signing in *to read something*, so only then does the sign-in page say so (and, for a page that
any signed-in reader may read, show its headline and standfirst, so the reader knows what they
are signing in for).

``next`` is a path on this site. Wagtail pages are found by their ``url_path``; other addresses
that lead to a page (a comment's permalink, ``/c/<id>/``, leads to its article) are taught here
by the app that owns them, from its ``AppConfig.ready()``, with :func:`register`, naming the URL
pattern and a function from the request and the pattern's arguments to the page (or None).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.http import HttpRequest
from django.urls import Resolver404, get_script_prefix, resolve
from wagtail.models import Page, PageViewRestriction, Site

PageFinder = Callable[..., Page | None]

_finders: dict[str, PageFinder] = {}


def register(*, url_name: str, finder: PageFinder) -> None:
    """Teach the sign-in page which page the address named ``url_name`` leads to: ``finder``
    is called with the request and the pattern's arguments, and answers the page or None."""
    _finders[url_name] = finder


@dataclass(frozen=True)
class SignInFor:
    """A page this reader may not see yet, which signing in may open.

    ``for_any_reader`` is true when a login restriction alone keeps the reader out (any account
    gets in): the page's headline and standfirst may then be shown before signing in. A group
    restriction opens only to its members, so nothing of the page is shown for it.
    """

    page: Page
    for_any_reader: bool

    @property
    def headline(self) -> str:
        return self.page.title

    @property
    def standfirst(self) -> str:
        return getattr(self.page, "standfirst", "") if self.for_any_reader else ""


def page_for_sign_in(*, request: HttpRequest, page: Page) -> SignInFor | None:
    """Does a view restriction keep this request from ``page``, one that signing in may lift?

    None when the page lets the request in, or when a password keeps it out (a password is
    given on the page itself, not by signing in). Wagtail's own reading of the restrictions
    (the page's, its ancestors', an alias's original's) and of whether each lets the request in.
    """
    refusing = {
        restriction.restriction_type
        for restriction in page.get_view_restrictions()
        if not restriction.accept_request(request)
    }
    if not refusing or PageViewRestriction.PASSWORD in refusing:
        return None
    return SignInFor(page=page.specific, for_any_reader=refusing == {PageViewRestriction.LOGIN})


def sign_in_for(*, request: HttpRequest, next_url: str | None) -> SignInFor | None:
    """The page ``next_url`` (already checked to be a safe address on this site) leads to, when
    signing in is what stands between this reader and it; None for any other address."""
    if not next_url:
        return None
    path = urlsplit(next_url).path or "/"
    # ``next`` is the address as the browser has it; on a site served under a path prefix
    # (/news/world/...) the prefix comes off first, as resolve() matches the path within it.
    prefix = get_script_prefix()
    if prefix != "/" and path.startswith(prefix):
        path = "/" + path[len(prefix) :]
    try:
        match = resolve(path)
    except Resolver404:
        return None
    finder = _finders.get(match.url_name or "")
    page = finder(request, *match.args, **match.kwargs) if finder else None
    if page is None:
        return None
    return page_for_sign_in(request=request, page=page)


def _wagtail_page(request: HttpRequest, path: str = "") -> Page | None:
    """Wagtail's own pages: the live page whose ``url_path`` the address names under the
    request's site (found, not routed, so no page's own ``route`` or ``serve`` code runs)."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    url_path = f"{site.root_page.url_path}{path.strip('/')}/".replace("//", "/")
    return Page.objects.live().filter(url_path=url_path).first()


register(url_name="wagtail_serve", finder=_wagtail_page)
