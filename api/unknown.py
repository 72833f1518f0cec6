"""Addresses under ``/api/v1/`` that neither the API nor newsroom's ninjs view has,
``/api/v1`` itself, without its slash, and ``/api`` with no version or another one."""

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


# Named in the answer to an address under /api without the version: where the API is.
NO_VERSION_DETAIL = (
    "No API at this address: the API's root is /api/v1/ (its description: "
    "/api/v1/openapi.json), and every address of the API starts with it."
)


@csrf_exempt
def no_version(request: HttpRequest, rest: str = "") -> HttpResponse:
    """``/api``, ``/api/`` and any address under ``/api/`` outside ``/api/v1/``: a JSON 404,
    whatever the method, naming ``/api/v1/`` as the API's root.

    Django's ``APPEND_SLASH`` answered ``/api`` with an HTML 301 to ``/api/``, which was
    Wagtail's HTML 404; a client that left out the version (or asked for one there is not)
    learned nothing from either. Not a redirect to ``/api/v1/``: an address without a version
    would then stand for v1 for good, and a client that followed it would never learn that
    its own address is wrong. Exempt from the CSRF check: it answers every method alike and
    changes nothing.
    """
    return JsonResponse({"detail": NO_VERSION_DETAIL}, status=404)
