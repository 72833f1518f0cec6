"""The ASGI entry point: Django, behind the anonymous page cache's thin layer (core.pagecache)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
django_application = get_asgi_application()

from core.pagecache import AnonymousPageCache  # noqa: E402  (needs the settings loaded above)

application = AnonymousPageCache(django_application)
