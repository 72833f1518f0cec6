"""A real Broadsheet for the browser tests: the production commands in subprocesses, then Chromium.

The server is set up as an operator would (collectstatic, load_demo, Granian over ASGI) on a copy
of the run's database as ``manage.py migrate`` left it (tests/dbtemplate.py), in a throw-away var
folder. Tests talk to it over HTTP only: Playwright's sync API runs an
event loop, so touching the Django ORM from these tests would be both wrong and refused.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests import dbtemplate
from tests.e2e.mail import mail_sink  # noqa: F401  (fixture: SMTP server on loopback)
from tests.e2e.site_folders import claim_site_folder, remove_folders_of_ended_runs

PROJECT_DIR = Path(__file__).resolve().parents[2]
VENV_BIN = PROJECT_DIR / ".venv" / "bin"
APP_SERVER = PROJECT_DIR / "scripts" / "app-server"
SERVER_WATCH = Path(__file__).resolve().with_name("server_watch.py")
# Debian's Chromium, as its headless shell (package chromium-headless-shell, built from the same
# source and version as package chromium): the browser Playwright itself runs headless tests in.
# Chromium proper, headless, renders every page through its full browser UI: over the browser
# tests it spent 287 s of CPU against the shell's 167 s, and CI shares two cores between the
# browser and the other tests. E2E_CHROMIUM=/usr/bin/chromium runs them in Chromium proper.
CHROMIUM = os.environ.get("E2E_CHROMIUM") or "/usr/bin/chromium-headless-shell"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_TIMEOUT = 30.0  # seconds; Granian with one worker answers in one or two
VIEWPORT = {"width": 1280, "height": 900}
# The demo's own size: deep links and paging are tested at the scale the issue asks for. It is
# the longest step of the set-up (about 35-60 s on SQLite, 2-3 min on PostgreSQL, 2 cores).
LONG_THREAD_COMMENTS = 10_000


@dataclass(frozen=True)
class LiveSite:
    base_url: str
    reference_url: str
    staff_user: str
    staff_password: str
    log_path: Path
    env: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def url(self, path: str) -> str:
        return self.base_url + path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_e2e_url(outer_url: str) -> str | None:
    """The outer PostgreSQL server with an ``_e2e`` database; None for SQLite. The database is
    made as the site is prepared (``SitePreparation``), and kept after the run, for a look at
    what the tests wrote."""
    parts = urlsplit(outer_url)
    if parts.scheme not in ("postgres", "postgresql"):
        return None
    return urlunsplit(parts._replace(path="/" + parts.path.lstrip("/") + "_e2e"))


def _server_env(var_dir: Path, base_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        BROADSHEET_VAR_DIR=str(var_dir),
        SITE_BASE_URL=base_url,
        DEBUG="false",
        # Several tests post from one address within a minute; the real limits have their own
        # tests. Everything else runs on the defaults a new site has, including the hold on a
        # new commenter's first comments (shown to their author, marked as waiting).
        COMMENT_RATE_LIMIT="1000/m",
        MODERATION_RATE_PER_READER="1000/m",
        MODERATION_RATE_PER_IP="1000/m",
        REACTION_NEW_GUEST_RATE="1000/h",  # every new browser context is a new guest at 127.0.0.1
        # The browser is the site's proxy: a tab that sends X-Forwarded-For is a reader at that
        # address (helpers.new_tab's ``address``), as reader reports need readers on several
        # networks to take a comment down. A tab that sends none stays at 127.0.0.1.
        TRUSTED_PROXIES="127.0.0.1",
        PYTHONUNBUFFERED="1",
    )
    env.pop("SECRET_KEY", None)
    postgres_url = _postgres_e2e_url(os.environ.get("DATABASE_URL", ""))
    if postgres_url:
        env["DATABASE_URL"] = postgres_url
    else:
        env.pop("DATABASE_URL", None)
    if os.environ.get("REDIS_URL"):
        # REDIS_URL's own database, which no test process empties: each takes another (the
        # root conftest.py), whose FLUSHDB would otherwise wipe this site's cache mid-test.
        env["REDIS_URL"] = os.environ.get("BROADSHEET_TEST_SERVER_REDIS_URL", env["REDIS_URL"])
        env["CACHE_KEY_PREFIX"] = f"broadsheet-e2e-{uuid.uuid4().hex[:12]}"
    return env


def _start_manage(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - fixed command line, our own venv
        [str(VENV_BIN / "python"), "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish_manage(proc: subprocess.Popen) -> str:
    stdout, stderr = proc.communicate(timeout=900)  # load_demo's 10,000 comments on PostgreSQL
    if proc.returncode != 0:
        pytest.fail(f"{' '.join(proc.args[1:])} failed ({proc.returncode}):\n{stdout}\n{stderr}")
    return stdout


def _wait_until_answering(url: str, proc: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    last_error = ""
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(
                f"Granian exited with {proc.returncode} before answering.\n"
                f"Server log:\n{log_path.read_text()}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            last_error = repr(exc)
        time.sleep(0.1)
    pytest.fail(
        f"Granian did not answer {url} within {SERVER_START_TIMEOUT:.0f}s (last error: "
        f"{last_error}).\nServer log:\n{log_path.read_text()}"
    )


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        # Granian's workers share the group we started it in; take them down with it.
        os.killpg(proc.pid, 9)
        proc.wait(timeout=5)


def start_granian(
    env: dict[str, str],
    port: int,
    log_path: Path,
    target: str = "broadsheet.asgi:application",
    workers: int = 1,
) -> subprocess.Popen:
    """The production server, as ``make demo`` runs it (scripts/app-server), on ``port``, in a
    session of its own, and stopped should this process die before stopping it
    (``_stopped_if_this_process_dies``)."""
    _reap_watches()
    with log_path.open("w") as log:
        server = subprocess.Popen(  # noqa: S603 - fixed command line, our own script
            [str(APP_SERVER), "127.0.0.1", str(port), str(workers), target],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    _stopped_if_this_process_dies(server)
    return server


# Each server's watch (server_watch.py), and the write end of the pipe it waits on, which this
# process holds open for as long as it lives: the kernel closes it when the process ends.
_watches: list[tuple[subprocess.Popen, int]] = []


def _stopped_if_this_process_dies(server: subprocess.Popen) -> None:
    """Start ``server``'s watch: should this process end before the server (SIGKILL, when it
    runs no code), the watch stops the server and its workers (server_watch.py)."""
    pidfd = os.pidfd_open(server.pid)  # our child, not yet waited for: its pid is still its own
    read_end, write_end = os.pipe()  # not inherited by any other child
    try:
        watch = subprocess.Popen(  # noqa: S603 - our own interpreter on our own script
            [sys.executable, "-I", str(SERVER_WATCH), str(pidfd), str(server.pid)],
            stdin=read_end,
            pass_fds=(pidfd,),
            start_new_session=True,
        )
    finally:
        os.close(read_end)
        os.close(pidfd)
    _watches.append((watch, write_end))


def _reap_watches() -> None:
    """Wait for the watches whose server has ended (each ends with it), and let go of their
    pipes."""
    for entry in list(_watches):
        watch, write_end = entry
        if watch.poll() is not None:
            os.close(write_end)
            _watches.remove(entry)


class SitePreparation:
    """collectstatic, the database (a copy of the run's migrated one) and ``load_demo`` for the
    live site, in a background thread.

    In a run that is not parallel it starts as soon as collection shows that browser tests will
    run (``pytest_collection_finish`` below), so that the longest step of the set-up, the demo's
    10,000-comment thread, is written while the rest of the suite runs on the other core; the
    ``live_site`` fixture then waits for it. In a parallel run (``make test``: pytest-xdist) every
    browser test goes to one worker, which is handed them first (the root conftest.py), and the
    fixture starts it there while the other workers run the rest. Run on its own
    (``pytest tests/e2e``), it simply waits as long as before.
    """

    def __init__(self) -> None:
        # Locked while this process lives, so that a later run removes it should this one be
        # killed before its stop() (site_folders).
        self.var_dir, self._folder_lock = claim_site_folder()
        self.env: dict[str, str] = {}  # set by the thread (_server_env may reach PostgreSQL)
        self.demo_output = ""
        self._error: BaseException | None = None
        self._procs: list[subprocess.Popen] = []
        self._thread = threading.Thread(target=self._run, name="e2e-site", daemon=True)
        self._thread.start()

    def _start(self, *args: str) -> subprocess.Popen:
        proc = _start_manage(self.env, *args)
        self._procs.append(proc)
        return proc

    def _run(self) -> None:
        try:
            # Here, not in __init__: an unreachable PostgreSQL then fails the tests that wait
            # for the site, not pytest's collection with the folder already made.
            self.env = _server_env(self.var_dir, "http://127.0.0.1:8000")  # port set when served
            # collectstatic needs no database, so it runs while the database is made.
            collectstatic = self._start("collectstatic", "--no-input")
            # Meanwhile: the folders of earlier runs that were killed.
            remove_folders_of_ended_runs()
            # A copy of the run's migrated template, which `manage.py migrate` made as an
            # operator runs it (tests/dbtemplate.py; "WITH (FORCE)" on PostgreSQL ends sessions
            # a crashed run left behind).
            dbtemplate.copy_to_site(
                self.env.get("DATABASE_URL"), self.var_dir / "broadsheet.sqlite3"
            )
            _finish_manage(collectstatic)
            self.demo_output = _finish_manage(
                self._start("load_demo", "--long-thread", str(LONG_THREAD_COMMENTS))
            )
        except BaseException as exc:  # noqa: BLE001 - handed to the fixture that waits
            self._error = exc

    def wait(self) -> str:
        """``load_demo``'s output once all three steps have finished; fails the test if one
        did not."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self.demo_output

    def stop(self) -> None:
        """Stop what it started and remove its folder (the site's database and media, some
        45 MB), whether the run passed or failed. The server's log, what a failure needs, is
        written outside it, into pytest's temporary folder (``live_site``), which pytest itself
        keeps for its last three runs."""
        try:
            for proc in self._procs:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait(timeout=10)
        finally:
            shutil.rmtree(self.var_dir, ignore_errors=True)
            os.close(self._folder_lock)


_preparation: SitePreparation | None = None


def pytest_collection_finish(session: pytest.Session) -> None:
    global _preparation
    if session.config.option.collectonly or _preparation is not None:
        return
    if hasattr(session.config, "workerinput"):
        return  # parallel: the worker that is handed the browser tests starts it (live_site)
    if any("live_site" in getattr(item, "fixturenames", ()) for item in session.items):
        _preparation = SitePreparation()


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _preparation is not None:
        # Failed runs used to keep their site's folder in the temporary directory, 45 MB each,
        # which nothing removed.
        _preparation.stop()


# The live site and the browser last as long as the browser tests (scope "package": this folder),
# not the session: in a parallel run the worker that ran them goes on with other tests, and while
# Playwright's sync API is open it marks an event loop as running on this thread, so Django
# would refuse those tests' database calls (SynchronousOnlyOperation) and asgiref its AsyncToSync.
@pytest.fixture(scope="package")
def live_site(mail_sink, tmp_path_factory) -> Iterator[LiveSite]:  # noqa: F811 - mail.py's
    global _preparation
    if _preparation is None:  # a parallel run's worker, or selected where collection did not show
        _preparation = SitePreparation()
    demo_output = _preparation.wait()
    reference = re.search(r"^Reference article: \S+?//[^/]+(/\S*)$", demo_output, re.MULTILINE)
    staff = re.search(r"^Staff login: \S+\s+email (\S+)\s+password (\S+)$", demo_output, re.M)
    if not reference or not staff:
        pytest.fail(
            f"load_demo did not print the reference article and staff login:\n{demo_output}"
        )

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = dict(_preparation.env, SITE_BASE_URL=base_url)
    env.update(mail_sink.env)  # the site's emails go to the loopback SMTP server (mail.py)
    # Not in var_dir, which goes at the end of the run: kept by pytest for its last three runs.
    log_path = tmp_path_factory.mktemp("live-site") / "granian.log"
    proc = start_granian(env, port, log_path)
    try:
        _wait_until_answering(base_url + "/", proc, log_path)
        yield LiveSite(
            base_url=base_url,
            reference_url=base_url + reference.group(1),
            staff_user=staff.group(1),
            staff_password=staff.group(2),
            log_path=log_path,
            env=env,
        )
    finally:
        _stop(proc)


@pytest.fixture(scope="package")  # see live_site
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}: run scripts/ensure-chromium "
            "(or set E2E_CHROMIUM to another Chromium's path)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield WatchedBrowser(chromium)
        chromium.close()


# Run in every page before its own scripts (Playwright injects it past the page's policy): each
# violation of the site's Content-Security-Policy (core.csp) is said on the console, where
# WatchedBrowser hears it, as Chromium's own report of it may not be.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`Content Security Policy violation: ${event.effectiveDirective} refused `
    + `${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber} `
    + `(${event.documentURI})`);
});
"""


# Chromium aborts a navigation in flight when it sees the machine's network addresses change
# (another container's interface coming up on a shared host: Chromium issue 41465264), even one
# to 127.0.0.1; a CI run failed once on it (a page.goto to the live site answered
# net::ERR_NETWORK_CHANGED). Such a goto is made once more; any other failure stands.
_NETWORK_CHANGED = "net::ERR_NETWORK_CHANGED"


def _goto_again_if_the_network_changed(tab) -> None:
    from playwright.sync_api import Error as PlaywrightError

    goto = tab.goto

    def goto_once_more_if_the_network_changed(*args, **kwargs):
        try:
            return goto(*args, **kwargs)
        except PlaywrightError as error:
            if _NETWORK_CHANGED not in str(error):
                raise
            return goto(*args, **kwargs)

    tab.goto = goto_once_more_if_the_network_changed


class WatchedBrowser:
    """Chromium, whose every context reports what the site's Content-Security-Policy refused
    (Chromium's console message, or the page's securitypolicyviolation event) to
    ``csp_violations``: a test during which one was reported fails
    (``_close_tabs_opened_by_the_test``), so the policy is shown to break nothing the browser
    tests do. Everything else is Playwright's Browser's."""

    def __init__(self, browser) -> None:
        self._browser = browser
        self.csp_violations: list[str] = []

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        context.add_init_script(_REPORT_CSP_VIOLATIONS)
        context.on("console", self._heard)
        new_page = context.new_page

        def new_page_going_again_if_the_network_changed(*args, **kwargs):
            tab = new_page(*args, **kwargs)
            _goto_again_if_the_network_changed(tab)
            return tab

        context.new_page = new_page_going_again_if_the_network_changed
        return context

    def _heard(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.csp_violations.append(f"{message.text} [{message.location.get('url', '')}]")

    def __getattr__(self, name: str):
        return getattr(self._browser, name)


def _watch_for_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.on(
        "console",
        lambda msg: (
            errors.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None
        ),
    )
    return errors


@pytest.fixture(autouse=True)
def _close_tabs_opened_by_the_test(request):
    """Close every browser context a test opened (``helpers.new_tab`` included) when it ends, so
    no reader's page keeps its live stream open into the next test; then fail the test if the
    browser reported a Content-Security-Policy violation during it (WatchedBrowser)."""
    if "browser" not in request.fixturenames:
        yield
        return
    browser = request.getfixturevalue("browser")
    browser.csp_violations.clear()
    yield
    for context in list(browser.contexts):
        context.close()
    if browser.csp_violations:
        violations = "\n".join(dict.fromkeys(browser.csp_violations))
        pytest.fail(f"The browser reported Content-Security-Policy violations:\n{violations}")


@pytest.fixture
def page(browser, live_site):
    """A fresh JavaScript-enabled tab; ``page.errors`` lists console and page errors seen."""
    context = browser.new_context(viewport=VIEWPORT, base_url=live_site.base_url)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.errors = _watch_for_errors(tab)
    yield tab
    context.close()


@pytest.fixture
def page_nojs(browser, live_site):
    """A tab with JavaScript turned off: every page must still read and every form still post."""
    context = browser.new_context(
        viewport=VIEWPORT, base_url=live_site.base_url, java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def manage_shell(live_site: LiveSite, script: str) -> str:
    """What ``script`` prints, run by the site's own ``manage.py shell`` (the server's database),
    which writes as the demo loader writes."""
    done = subprocess.run(  # noqa: S603 - our own venv and manage.py
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=PROJECT_DIR,
        env=live_site.env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return done.stdout


# A top-level comment of the long thread with 560 replies in a chain two deep, written through
# comment_create as the demo loader writes. Prints the root's id and the id of its last reply.
_LONG_ARGUMENT = """
from discussion.services import comment_create, thread_ensure
from newsroom.demo.content import RELATED_ARTICLES
from newsroom.models import ArticlePage
slug = next(spec["slug"] for spec in RELATED_ARTICLES if spec.get("long_thread"))
thread = thread_ensure(page=ArticlePage.objects.get(slug=slug))
root = comment_create(thread=thread, body="Where the longest argument starts.",
                      author_name="Starter")
last = root
for n in range(560):
    parent = root if n % 2 == 0 else last
    last = comment_create(thread=thread, body=f"Answer {n} in the long argument.",
                          author_name=f"Arguer {n % 7}", parent_id=parent.pk)
print(root.pk, last.pk)
"""


@pytest.fixture(scope="package")  # written once (2 s), read by each test that links into it
def long_argument(live_site) -> tuple[int, int]:
    """A sub-thread longer than a link's page shows whole (selectors.THROUGH_SHOWN replies): a
    link to its last reply (``/c/<last>/``) offers "Show 57 earlier replies" between its first
    replies and those just before the link. The root's id and the last reply's."""
    root_id, last_id = (int(part) for part in manage_shell(live_site, _LONG_ARGUMENT).split()[-2:])
    return root_id, last_id
