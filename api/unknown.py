"""Addresses under ``/api/v1/`` that neither the API nor newsroom's ninjs view has, and
``/api/v1`` itself, without its slash."""

from __future__ import annotations

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotAllowed,
    JsonResponse,
)
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


@csrf_exempt
def root_without_slash(request: HttpRequest) -> HttpResponseBase:
    """``/api/v1``, the API's own address without its slash, answered in JSON as the API is.

    Django's ``APPEND_SLASH`` redirected every method here, a POST included, with an HTML 301.
    A read is sent on to ``/api/v1/`` (query string kept) with a JSON ``detail``; any other
    method is the 405 that ``/api/v1/`` itself answers, its ``Allow`` included, made JSON by
    ``api.middleware.JsonRefusals``. Exempt from the CSRF check: it changes nothing, and a
    token would not make a POST here right.
    """
    if request.method not in ("GET", "HEAD"):
        # The index takes GET alone in its route (django-ninja); HEAD is answered by
        # api.middleware.ReadApiChain, and its 405 names GET alone too.
        return HttpResponseNotAllowed(["GET"])
    target = request.get_full_path(force_append_slash=True)
    response = JsonResponse(
        {"detail": f"This API's address ends with a slash: {target}"}, status=301
    )
    response["Location"] = target
    return response
