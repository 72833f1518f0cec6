"""The read API may be read from any site's pages, in the reader's browser (CORS).

Every answer under ``/api/v1/`` says ``Access-Control-Allow-Origin: *``: a partner site's script
can show a thread's comments or its comment counts. The API only reads public data and ignores
cookies, so it never allows credentials: a page elsewhere learns nothing it could not fetch
itself.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase

PREFIX = "/api/v1/"


class OpenToOtherSites:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.path.startswith(PREFIX) and request.method in ("GET", "HEAD"):
            response["Access-Control-Allow-Origin"] = "*"
        return response
