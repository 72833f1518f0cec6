"""The ASGI entry point: Django behind two thin layers.

- ``discussion.live.LiveEvents`` serves the live event streams, one coroutine each.
- ``core.pagecache.AnonymousPageCache`` answers anonymous readers from the cache.
- Everything else is Django, run as a WSGI application on a small pool of threads
  (``core.django_threads``): measured, that answers several times more uncached requests than
  Django's own ASGI handler, which starts a thread and hops between threads for every request.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
django_wsgi = get_wsgi_application()

from core.django_threads import DjangoOnThreads  # noqa: E402  (needs the settings loaded above)
from core.pagecache import AnonymousPageCache  # noqa: E402
from discussion.live import LiveEvents  # noqa: E402

django_application = DjangoOnThreads(django_wsgi)
application = LiveEvents(AnonymousPageCache(django_application))
