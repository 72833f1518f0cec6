"""The stack's own floor: Django with (almost) nothing in its views, served as Broadsheet is.

``make bench`` runs it under the same Granian command as Broadsheet, on the same thread pool
(``core.django_threads``) and the same database, so the table can say how fast Django itself
answers on this machine before Broadsheet does any work of its own:

- ``GET /api.json`` answers the bytes of the API's first page, read once at start-up: Django's
  request, URL resolution, the CSRF middleware and a response, with no query.
- ``POST /comment`` takes a form post as a guest's comment arrives: the CSRF check, the form
  parsed, one row inserted and committed on its own (the durability Broadsheet and Isso give:
  answered only after the commit) and a redirect.

Nothing of Broadsheet is imported but the thread pool; the settings are the few a bare Django
project needs, with the database connection made the way Broadsheet's settings make it.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django
from django.conf import settings

TABLE = "bench_floor_comment"

_database = dj_database_url.parse(os.environ["DATABASE_URL"])
if _database["ENGINE"] == "django.db.backends.sqlite3":
    _database["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    _database["CONN_MAX_AGE"] = 0
    _database["OPTIONS"] = {
        "pool": {"min_size": 1, "max_size": 20, "timeout": 10},
        "prepare_threshold": 5,
    }

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ["SECRET_KEY"],
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"],
    INSTALLED_APPS=[],
    DATABASES={"default": _database},
    USE_TZ=True,
    APP_THREADS=int(os.environ.get("APP_THREADS", "2")),
)
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect  # noqa: E402
from django.urls import path  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.views.decorators.http import require_GET, require_POST  # noqa: E402

from core.django_threads import DjangoOnThreads  # noqa: E402

_API = Path(os.environ["BENCH_STATIC_DIR"], "api.json").read_bytes()


@require_GET
def api(_request: HttpRequest) -> HttpResponse:
    return HttpResponse(_API, content_type="application/json")


@require_POST
def comment(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (author_name, body, created_at) VALUES (%s, %s, %s)",  # noqa: S608
            [request.POST.get("author_name", ""), request.POST.get("body", ""), timezone.now()],
        )
    return HttpResponseRedirect("/comment")


urlpatterns = [path("api.json", api), path("comment", comment)]

application = DjangoOnThreads(get_wsgi_application())
