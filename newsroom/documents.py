"""A document is sent as it is stored in the library, byte for byte.

Wagtail's view (``wagtail.documents.views.serve.serve``) sends a document stored on disk through
``wagtail.utils.sendfile``, which sets ``Content-Encoding`` to the encoding ``mimetypes`` guesses
from the file's name. For every name the site takes (PDF, text, CSV) that guess is ``None``, and
Django writes it out as the literal header ``Content-Encoding: None``, which also kept the site's
gzip (``core.middleware.CompressedAnswers``) off text and CSV documents. For a name ending in
``.gz``, ``.bz2``, ``.xz`` or ``.br`` (a document put in the library by a script, or before the
extensions rule) the guess is real, and a browser would unpack the file the reader asked to
download, under a name that says it is packed.

This view stands in front of Wagtail's at the same address, lets it answer (its private
collections, hooks, ETag, ``WAGTAILDOCS_SERVE_METHOD``), and then drops any encoding guessed from
the name: the stored bytes are the document. A name that says the file is compressed is sent as
``application/octet-stream``, to download.
"""

from __future__ import annotations

import mimetypes

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe
from wagtail.documents.views import serve as wagtail_serve

ATTACHMENT = "attachment"


@require_safe  # a document is only read: GET and HEAD, as Wagtail's own view is used
def serve(request: HttpRequest, document_id: str, document_filename: str) -> HttpResponseBase:
    response = wagtail_serve.serve(request, document_id, document_filename)
    if "Content-Encoding" not in response:
        return response
    del response["Content-Encoding"]
    if mimetypes.guess_type(document_filename)[1] is not None:
        response["Content-Type"] = "application/octet-stream"
        disposition = response.get("Content-Disposition", "")
        if not disposition.startswith(ATTACHMENT):
            response["Content-Disposition"] = ATTACHMENT + disposition.removeprefix("inline")
    return response
