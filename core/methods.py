"""A view that takes only some methods refuses the others with a 405 before the CSRF check.

Django's ``require_safe`` and kin refuse a method inside the view, so a POST without a CSRF
token to a read-only address was refused by ``CsrfViewMiddleware`` first, with a 403 that told
the client to fetch a token it could never use. A view decorated with :func:`takes_only`
declares its methods; :class:`MethodsBeforeCsrf`, just above the CSRF check in ``MIDDLEWARE``,
answers a method outside them with ``405`` and ``Allow`` before that check runs. Nothing is
exempted from CSRF: a method the view takes is checked exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseBase, HttpResponseNotAllowed
from django.views.decorators.http import require_http_methods

# The attribute a view declares its methods in, read by MethodsBeforeCsrf.
_METHODS = "methods_taken"


def takes_only(*methods: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``require_http_methods(methods)``, and declared so the refusal comes before the CSRF
    check. ``takes_only("GET", "HEAD")`` for a read."""
    taken = tuple(method.upper() for method in methods)

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        guarded = require_http_methods(list(taken))(view)
        setattr(guarded, _METHODS, taken)
        return guarded

    return decorate


def methods_taken(view: Callable[..., Any]) -> tuple[str, ...] | None:
    """The methods a view declared with :func:`takes_only`, or None if it declared none."""
    return getattr(view, _METHODS, None)


class MethodsBeforeCsrf:
    """A 405 with ``Allow`` for a method the view declared it does not take, answered in
    ``process_view`` ahead of ``CsrfViewMiddleware``'s (it must sit above it in
    ``MIDDLEWARE``). Views that declared nothing go on untouched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple, kwargs: dict
    ) -> HttpResponseBase | None:
        taken = methods_taken(view)
        if taken is None or request.method in taken:
            return None
        return HttpResponseNotAllowed(taken)
