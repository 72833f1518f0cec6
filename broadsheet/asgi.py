"""The ASGI entry point: Django behind two thin layers.

- ``discussion.live.LiveEvents`` serves the live event streams, one coroutine each.
- ``core.pagecache.AnonymousPageCache`` answers anonymous readers from the cache.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
django_application = get_asgi_application()

from core.pagecache import AnonymousPageCache  # noqa: E402  (needs the settings loaded above)
from discussion.live import LiveEvents  # noqa: E402

application = LiveEvents(AnonymousPageCache(django_application))
