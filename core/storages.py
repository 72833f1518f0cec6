"""File storages whose URLs follow a site served under a path prefix.

STATIC_URL and MEDIA_URL are /static/ and /media/; a site served at https://example.org/news/
(docs/deploy.md, "Under a path prefix") must link /news/static/... and /news/media/..., or a proxy
that passes only /news/ to it serves its pages without their stylesheet, scripts and images.
Django adds the request's prefix (SCRIPT_NAME) only to a relative STATIC_URL, and a storage keeps
its base URL from its first use, so the prefix is added here, to each URL as it is asked for.
"""

from __future__ import annotations

from django.contrib.staticfiles.storage import StaticFilesStorage
from django.core.files.storage import FileSystemStorage
from django.urls import get_script_prefix
from whitenoise.storage import CompressedManifestStaticFilesStorage


class _UnderThePrefix:
    def url(self, name, *args, **kwargs) -> str:
        url = super().url(name, *args, **kwargs)
        prefix = get_script_prefix()
        if prefix != "/" and url.startswith("/") and not url.startswith("//"):
            return prefix.rstrip("/") + url
        return url


class MediaStorage(_UnderThePrefix, FileSystemStorage):
    """Uploaded media (STORAGES' default)."""


class StaticStorage(_UnderThePrefix, CompressedManifestStaticFilesStorage):
    """Static files, compressed and with hashed names (STORAGES' staticfiles)."""


class PlainStaticStorage(_UnderThePrefix, StaticFilesStorage):
    """Static files as the tests render them, without collectstatic."""
