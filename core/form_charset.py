"""A form posted in a character set other than UTF-8 is a 400, not a 500.

Django reads an ``application/x-www-form-urlencoded`` body as UTF-8 only, and refuses one that
names another charset (``; charset=utf-16``) by raising ``BadRequest`` from ``request.POST``.
Unlike its other refusals to read a body, it does not mark the body as unreadable, so every
later read raises again: the CSRF check raises it, then Django's 400 view (wrapped in
``requires_csrf_token``) reads ``request.POST`` for its own CSRF check and raises it again, and
so does the 500 view, so the reader got a server error (Django 5.2). No browser sends such a
form; a script or a fuzzer does. :class:`FormsInUtf8` answers it first, above the CSRF check,
with the page Django's 400 view draws (JSON under the API, by ``api.middleware.JsonRefusals``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBadRequest, HttpResponseBase
from django.template import loader

FORM = "application/x-www-form-urlencoded"


class FormsInUtf8:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if _form_not_in_utf8(request):
            # As django.views.defaults.bad_request draws it: the template alone, no request
            # context (the middleware that would fill one has not run yet).
            return HttpResponseBadRequest(loader.render_to_string("400.html"))
        return self.get_response(request)


def _form_not_in_utf8(request: HttpRequest) -> bool:
    # The same test Django's HttpRequest._load_post_and_files makes before it raises, for the
    # one method whose body it reads as a form; a charset Python does not know is ignored by
    # Django (the body is read as UTF-8), and so here.
    encoding = request.encoding
    return (
        request.method == "POST"
        and request.content_type == FORM
        and encoding is not None
        and encoding.lower() != "utf-8"
    )
