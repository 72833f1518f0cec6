"""The Content-Security-Policy of the site's pages: scripts, styles and everything else from this
site only, no plugins, no framing, forms posted only here.

Every script and style sheet the site's pages use is a file under /static/, and none of them
sets an inline style or evaluates a string (htmx's own style element and its eval are turned off
in base.html's htmx-config), so the policy holds no 'unsafe-inline' and no 'unsafe-eval'. (site.js
sizes an element through the CSSOM, element.style, which the policy does not govern.) A
view may send a directive of its own (the embed its frame-ancestors, from
EMBED_FRAME_ANCESTORS); this fills in the rest. Wagtail's admin is left out: it needs inline
scripts and styles of its own. A page Wagtail draws as a preview (its editor's preview panel)
keeps the policy, but may be framed by this site: the admin frames it beside the edit form.

Pages the anonymous page cache keeps (core.pagecache) are kept with the headers Django gave them,
so a copy goes out with the same policy as the page it was kept from.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse

HEADER = "Content-Security-Policy"

SITE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def site_policy() -> dict[str, str]:
    """The site's directives. A sign-in through an OpenID Connect provider posts a form here
    that is redirected to the provider, which form-action must let through."""
    policy = dict(SITE_POLICY)
    provider = urlsplit(settings.OIDC_SERVER_URL)
    if provider.scheme and provider.netloc:
        policy["form-action"] += f" {provider.scheme}://{provider.netloc}"
    return policy


def with_site_policy(own: str, policy: dict[str, str]) -> str:
    """``own`` (a view's header, perhaps empty) with each directive it does not set taken from
    ``policy``: a view's directive is more particular than the site's. A view that sets
    ``default-src`` has said what its answer may load, so none of the site's fetch directives
    (``script-src`` and the like, which a browser would follow instead) is added to it: Wagtail
    sends a document with ``default-src 'none'``, and the site's ``script-src 'self'`` would let
    an HTML document run the site's scripts."""
    directives: dict[str, str] = {}
    for part in own.split(";"):
        name, _, value = part.strip().partition(" ")
        if name:
            directives[name.lower()] = value.strip()
    own_default = "default-src" in directives
    for name, value in policy.items():
        if own_default and name.endswith("-src"):
            continue
        directives.setdefault(name, value)
    return "; ".join(f"{name} {value}".rstrip() for name, value in directives.items())


class ContentSecurityPolicy:
    """Adds the policy to every HTML answer but the Wagtail admin's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.policy = site_policy()
        self.header = with_site_policy("", self.policy)
        self.preview_policy = {**self.policy, "frame-ancestors": "'self'"}
        self.admin = reverse("wagtailadmin_home")

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        if request.path.startswith(self.admin):
            return response
        own = response.get(HEADER)
        if getattr(request, "is_preview", False):
            # Wagtail's preview runs the page's view through this chain, on a request of its own
            # making (never one from the network), and its panel frames the answer in the admin.
            response[HEADER] = with_site_policy(own or "", self.preview_policy)
            return response
        response[HEADER] = with_site_policy(own, self.policy) if own else self.header
        return response
