"""Django's messages ("You have signed out."), kept where Django keeps them, under the site's path.

Django's cookie storage sets and deletes its ``messages`` cookie for ``/`` whatever
SESSION_COOKIE_PATH says. A site under a path prefix (docs/deploy.md, "Under a path prefix")
then shares that cookie with every other site on its host: a message from one shows on the other,
or is wiped by it. Here the cookie is set, and deleted, for SESSION_COOKIE_PATH, as the session's
is; what falls back to the session is the session's already.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.messages.storage.session import SessionStorage


class _CookieUnderTheSitePath(CookieStorage):
    def _update_cookie(self, encoded_data, response):
        super()._update_cookie(encoded_data, response)
        if self.cookie_name in response.cookies:  # set, or deleted (an expired cookie)
            response.cookies[self.cookie_name]["path"] = settings.SESSION_COOKIE_PATH


class MessagesUnderTheSitePath(FallbackStorage):
    """Django's default storage (a cookie, then the session for what the cookie cannot hold),
    its cookie for SESSION_COOKIE_PATH."""

    storage_classes = (_CookieUnderTheSitePath, SessionStorage)
