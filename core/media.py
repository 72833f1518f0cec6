"""Uploaded media as the app itself serves them at /media/ (``SERVE_MEDIA``).

Nothing uploaded may run as a page on the site's own origin, where it would have the readers'
cookies. The uploaders refuse what is not a raster image or a PDF, text or CSV document
(newsroom), but a file may be in MEDIA_ROOT without having passed them: one uploaded before a
rule existed, or put there by hand. So every answer here says ``nosniff`` and carries a
Content-Security-Policy ``sandbox`` (no script, no plugin, no origin, should a browser render it
anyway), and a file that is not a raster image is sent as an attachment of no particular type,
for the browser to save, never to show.

Documents are not served here at all: Wagtail serves them at /documents/<id>/<name>, after
checking a private collection's password or sign-in, and with headers of its own. Under /media/
that check was skipped, and a private collection's document answered to anyone who knew (or
guessed) its file name.
"""

from __future__ import annotations

import mimetypes
import posixpath

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils.http import content_disposition_header
from django.views import static
from wagtail.documents import get_document_model

# What a browser may show in a tab: the raster formats the image uploader takes, and the
# renditions Wagtail makes from them (newsroom's templates ask for AVIF, WebP and JPEG).
SHOWN_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"})
POLICY = "default-src 'none'; sandbox"


def _documents_folder() -> str:
    return str(get_document_model()._meta.get_field("file").upload_to).strip("/")


def serve_media(request: HttpRequest, path: str) -> HttpResponseBase:
    # As Django's static.serve will read it: "images/../documents/x" is "documents/x".
    name = posixpath.normpath(path).lstrip("/")
    if name.split("/", 1)[0] == _documents_folder():
        raise Http404("Documents are served at /documents/<id>/<name>.")
    response = static.serve(request, name, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = POLICY
    if mimetypes.guess_type(name)[0] not in SHOWN_TYPES:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=posixpath.basename(name)
        )
    return response
