"""A WSGI application that takes a while to answer, behind the pool bridge, for the shutdown test
(core/tests/test_django_threads.py runs it under Granian)."""

import time

from core.django_threads import DjangoOnThreads


def slow(environ, start_response):
    time.sleep(float(environ.get("QUERY_STRING") or "1"))
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "4")])
    return [b"done"]


application = DjangoOnThreads(slow)
