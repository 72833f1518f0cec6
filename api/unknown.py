"""Addresses under ``/api/v1/`` that neither the API nor newsroom's ninjs view has."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def no_such_address(request: HttpRequest, rest: str) -> HttpResponse:
    """A 404 for every method, made JSON by ``api.middleware.JsonRefusals``.

    Without it, an address ending with a slash reached Wagtail's page view, and a POST to it
    was refused by the CSRF check with a 403 asking for a token, though no token would help:
    the address is what is wrong. Exempt from that check, since it answers every method
    alike and changes nothing.
    """
    raise Http404
