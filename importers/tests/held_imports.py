"""An uploaded import held up part-way by Akismet on loopback, run by a real task worker: for
tests of what happens beside and around an import while it runs (the fixtures are in
conftest.py)."""

from __future__ import annotations

import contextlib
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from django.core.files.uploadedfile import SimpleUploadedFile

from core.tests.processes import wait_for, worker
from importers.models import ImportRun
from importers.services import BATCH
from importers.tests.exports import disqus, disqus_post, disqus_thread
from newsroom.models import ArticlePage

URL = "/admin/comments-import/"
COMMENTS = BATCH + 50
HOLD_AT = BATCH + 30  # the comment whose screening the fake Akismet holds up
LIMIT = 1  # TASK_WORKER_LOST_SECONDS, for the worker and the scheduler alike


class FakeAkismet(ThreadingHTTPServer):
    """Akismet on loopback, which answers "not spam" at once, except for the comment that says
    "Hold here", which it keeps waiting until released: the import is then part-way through, at
    a known comment, for as long as the test likes. ``seen`` keeps the form of every request."""

    def __init__(self) -> None:
        self.holding = threading.Event()
        self.released = threading.Event()
        self.seen: list[dict[str, list[str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                server.seen.append(parse_qs(body.decode()))
                if b"Hold+here" in body:
                    server.holding.set()
                    server.released.wait(timeout=60)
                with contextlib.suppress(OSError):  # a killed worker's connection is gone
                    self.send_response(200)
                    self.end_headers()
                    self.wfile.write(b"false")

            def log_message(self, *args) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.daemon_threads = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


def upload(client, article: ArticlePage, comments: int = COMMENTS) -> ImportRun:
    """A superuser's upload of ``comments`` comments on ``article``, the HOLD_AT-th saying
    "Hold here"."""
    link = f"https://old.example.com{article.url}"
    posts = [
        disqus_post(f"p{n}", "t1", "Hold here." if n == HOLD_AT else f"Comment {n}.")
        for n in range(1, comments + 1)
    ]
    data = disqus(disqus_thread("t1", link), *posts)
    response = client.post(
        URL, {"platform": "disqus", "file": SimpleUploadedFile("big.xml", data, "text/xml")}
    )
    assert response.status_code == 302
    return ImportRun.objects.get()


def held_mid_import(
    client,
    site: dict[str, str],
    akismet: FakeAkismet,
    article: ArticlePage,
    comments: int = COMMENTS,
) -> tuple[ImportRun, subprocess.Popen]:
    """An uploaded import onto ``article``, its worker, and the import held up by Akismet after
    its first batch (the thread and BATCH - 1 comments) was committed. The worker waits for
    Akismet for up to a minute (AKISMET_TIMEOUT), so the import stays held until released."""
    run = upload(client, article, comments)
    process = worker(
        {
            **site,
            "AKISMET_API_KEY": "test-key",
            "AKISMET_URL": akismet.url,
            "AKISMET_TIMEOUT": "60",
        }
    )
    try:
        wait_for(akismet.holding.is_set, "the import to reach the held comment")
        wait_for(lambda: ImportRun.objects.get(pk=run.pk).imported == BATCH - 1, "the first batch")
    except BaseException:
        process.kill()
        process.wait()
        raise
    return run, process
