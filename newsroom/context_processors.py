"""The site's navigation for every page drawn from ``base.html``: sections and standards pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from newsroom import selectors


@dataclass(frozen=True)
class ShownLink:
    """A navigation link as this request shows it: ``current`` is its aria-current value."""

    title: str
    url: str
    current: str  # "page" (this page), "true" (a page inside it), or "" (elsewhere)


@dataclass(frozen=True)
class ShownNavigation:
    sections: list[ShownLink]
    policies: list[ShownLink]


def _current(url: str, path: str) -> str:
    if path == url:
        return "page"
    if url != "/" and path.startswith(url if url.endswith("/") else f"{url}/"):
        return "true"
    return ""


def _shown(request: HttpRequest) -> ShownNavigation:
    navigation = selectors.site_navigation(request=request)

    def shown(links) -> list[ShownLink]:
        return [
            ShownLink(title=link.title, url=link.url, current=_current(link.url, request.path))
            for link in links
        ]

    return ShownNavigation(sections=shown(navigation.sections), policies=shown(navigation.policies))


def site_navigation(request: HttpRequest) -> dict[str, object]:
    """``site_navigation``, read only if the template shows it (the admin's never does)."""
    return {"site_navigation": SimpleLazyObject(lambda: _shown(request))}
