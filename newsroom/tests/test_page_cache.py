"""The anonymous page cache, driven through the real ASGI application (core.pagecache).

Each request goes through ``broadsheet.asgi.application``: the thin layer, then Django. The cache
is invalidated after commit, so writes run their on-commit work (``capture_on_commit``).
"""

from __future__ import annotations

import asyncio
import gzip
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from asgiref.sync import async_to_sync
from bs4 import BeautifulSoup
from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils.http import http_date

from broadsheet.asgi import application
from discussion.models import Comment
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


class Answer:
    def __init__(self, messages: list[dict]) -> None:
        start = messages[0]
        self.status = start["status"]
        self.headers = [(k.decode().lower(), v.decode()) for k, v in start["headers"]]
        self.raw = b"".join(m.get("body", b"") for m in messages[1:])
        # As a browser reads it: a gzipped answer unpacked (gzip checks its length and CRC).
        gzipped = self.header("content-encoding") == "gzip"
        self.body = (gzip.decompress(self.raw) if gzipped else self.raw).decode()

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers if key == name), None)

    def cookies(self) -> dict[str, str]:
        jar: SimpleCookie = SimpleCookie()
        for key, value in self.headers:
            if key == "set-cookie":
                jar.load(value)
        return {name: morsel.value for name, morsel in jar.items()}

    def csrf_token(self) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.body).group(1)

    def idempotency_key(self) -> str:
        return re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', self.body).group(1)

    def post_comment(self, url: str, text: str, name: str) -> Answer:
        """Post this page's comment form as its reader would: their cookie, its token and key."""
        return asgi(
            "POST",
            url,
            cookies=self.cookies(),
            data={
                "csrfmiddlewaretoken": self.csrf_token(),
                "body": text,
                "author_name": name,
                "idempotency_key": self.idempotency_key(),
            },
        )


def asgi(method: str, path: str, **options) -> Answer:
    """One request through ``broadsheet.asgi.application``; ``options`` as :func:`call` takes."""

    async def request():
        return await call(application, method, path, **options)

    return run(request)


def run(scenario):
    """Run ``scenario()`` (a coroutine function making requests) to its end.

    As Django's test client does, the test's database connection is kept across the requests.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        return async_to_sync(scenario)()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


async def call(
    app,
    method: str,
    path: str,
    *,
    cookies: dict[str, str] | None = None,
    data=None,
    htmx=False,
    extra_headers: list[tuple[bytes, bytes]] = (),
    host: bytes = b"localhost",
    scheme: str = "http",
) -> Answer:
    """One request through the ASGI application ``app``."""
    path, _, query = path.partition("?")
    body = urlencode(data).encode() if data else b""
    headers = [(b"host", host)] + ([(b"hx-request", b"true")] if htmx else [])
    headers += list(extra_headers)
    if cookies:
        headers.append((b"cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()).encode()))
    if data is not None:
        headers.append((b"content-type", b"application/x-www-form-urlencoded"))
        headers.append((b"content-length", str(len(body)).encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": scheme,
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("localhost", 80),
    }
    messages: list[dict] = []
    delivered = False

    async def receive():
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)

    async def send(message):
        messages.append(message)

    await app(scope, receive, send)
    return Answer(messages)


@pytest.fixture
def article():
    article = make_article()
    make_comment(thread_ensure(page=article), "The first comment on this story.")
    return article


def test_an_anonymous_readers_second_visit_is_a_cache_hit_with_a_csrf_token_of_their_own(article):
    first = asgi("GET", article.url)
    second = asgi("GET", article.url)

    assert (first.header("x-cache"), second.header("x-cache")) == ("miss", "hit")
    assert "The first comment on this story." in second.body
    assert "bspc" not in second.body  # every placeholder filled
    assert first.csrf_token() != second.csrf_token()
    assert second.cookies().get("csrftoken")  # a reader without one gets one


def test_a_cached_pages_csrf_cookie_is_for_the_sites_path_as_djangos_is(article, settings):
    """Under a path prefix (docs/deploy.md) CSRF_COOKIE_PATH is the prefix: a token for / beside
    Django's for /news would be two cookies, either of them sent with a form."""
    settings.CSRF_COOKIE_PATH = "/news"
    miss = asgi("GET", article.url)
    hit = asgi("GET", article.url)

    assert (miss.header("x-cache"), hit.header("x-cache")) == ("miss", "hit")
    for answer in (miss, hit):
        jar: SimpleCookie = SimpleCookie(answer.header("set-cookie"))
        assert jar["csrftoken"]["path"] == "/news"


def test_a_comment_posted_from_a_cached_page_is_saved_and_the_next_visit_shows_it(
    article, django_capture_on_commit_callbacks
):
    asgi("GET", article.url)
    cached = asgi("GET", article.url)
    assert cached.header("x-cache") == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        posted = cached.post_comment(
            article.url, "Posted from a page the cache served.", "Cached Reader"
        )

    assert posted.status == 302
    assert Comment.objects.filter(body="Posted from a page the cache served.").exists()
    after = asgi("GET", article.url)
    assert after.header("x-cache") == "miss"
    assert "Posted from a page the cache served." in after.body


def test_a_new_readers_form_token_from_a_cache_hit_works_only_with_the_cookie_sent_with_it(article):
    asgi("GET", article.url)
    alice, bob = asgi("GET", article.url), asgi("GET", article.url)
    assert (alice.header("x-cache"), bob.header("x-cache")) == ("hit", "hit")
    assert alice.cookies()["csrftoken"] != bob.cookies()["csrftoken"]

    def post(page: Answer, cookies: dict[str, str], text: str) -> Answer:
        key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', page.body).group(1)
        return asgi(
            "POST",
            article.url,
            cookies=cookies,
            data={
                "csrfmiddlewaretoken": page.csrf_token(),
                "body": text,
                "author_name": "A Reader",
                "idempotency_key": key,
            },
        )

    assert post(alice, bob.cookies(), "Alice's token with Bob's cookie.").status == 403
    assert post(alice, alice.cookies(), "Alice's token with her own cookie.").status == 302
    assert list(Comment.objects.filter(author_name="A Reader").values_list("body", flat=True)) == [
        "Alice's token with her own cookie."
    ]


def test_a_returning_readers_cache_hit_masks_their_own_csrf_cookie_and_the_form_posts(article):
    """A reader who already holds a CSRF cookie keeps it: a hit sends no new cookie, and its form
    token (masked afresh each visit, as Django masks it) is accepted with that cookie alone."""
    asgi("GET", article.url)
    cookies = asgi("GET", article.url).cookies()
    visits = [asgi("GET", article.url, cookies=cookies) for _ in range(2)]
    assert [visit.header("x-cache") for visit in visits] == ["hit", "hit"]
    assert [visit.cookies() for visit in visits] == [{}, {}]
    assert visits[0].csrf_token() != visits[1].csrf_token()

    def post(token: str, with_cookies: dict[str, str], text: str) -> Answer:
        key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', visits[1].body).group(1)
        return asgi(
            "POST",
            article.url,
            cookies=with_cookies,
            data={
                "csrfmiddlewaretoken": token,
                "body": text,
                "author_name": "Returning Reader",
                "idempotency_key": key,
            },
        )

    stranger = {"csrftoken": "a" * 32}
    assert post(visits[1].csrf_token(), stranger, "With someone else's cookie.").status == 403
    assert post(visits[1].csrf_token(), cookies, "With my own cookie.").status == 302
    assert list(
        Comment.objects.filter(author_name="Returning Reader").values_list("body", flat=True)
    ) == ["With my own cookie."]


def test_a_signed_in_reader_always_gets_a_page_rendered_for_them(article, django_user_model):
    user = django_user_model.objects.create_user("olena", "olena@example.com", "pw-1234567890")
    client = Client()
    client.force_login(user)
    session = {"sessionid": client.cookies["sessionid"].value}
    asgi("GET", article.url)  # an anonymous copy is now in the cache

    answer = asgi("GET", article.url, cookies=session)

    assert answer.header("x-cache") is None
    assert 'action="/accounts/logout/"' in answer.body or "Sign out" in answer.body


def test_an_editor_publishing_a_change_reaches_anonymous_readers_at_once(
    article, django_capture_on_commit_callbacks
):
    asgi("GET", article.url)
    assert asgi("GET", article.url).header("x-cache") == "hit"

    article.standfirst = "A corrected one-sentence summary."
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()

    answer = asgi("GET", article.url)
    assert answer.header("x-cache") == "miss"
    assert "A corrected one-sentence summary." in answer.body


def test_a_moderator_removing_a_comment_reaches_anonymous_readers_at_once(
    article, django_capture_on_commit_callbacks
):
    from discussion.services import comment_set_status

    asgi("GET", article.url)
    comment = Comment.objects.get(body="The first comment on this story.")
    with django_capture_on_commit_callbacks(execute=True):
        comment_set_status(comment=comment, status=Comment.Status.REJECTED)

    answer = asgi("GET", article.url)
    assert answer.header("x-cache") == "miss"
    assert "The first comment on this story." not in answer.body


def test_recommendations_added_in_bulk_reach_anonymous_readers_at_once(
    article, django_capture_on_commit_callbacks
):
    from discussion.services import reactions_add_many

    asgi("GET", article.url)
    comment = Comment.objects.get(body="The first comment on this story.")
    with django_capture_on_commit_callbacks(execute=True):
        reactions_add_many(
            thread_id=comment.thread_id,
            guest_reactions=[(comment.pk, "guest-a"), (comment.pk, "guest-b")],
        )

    answer = asgi("GET", article.url)
    assert answer.header("x-cache") == "miss"
    count = BeautifulSoup(answer.body, "html.parser").select_one(
        f"#react-{comment.pk} .reaction__count"
    )
    assert count.get_text() == "2"


def test_moderation_closing_a_section_by_age_reaches_anonymous_readers_at_once(
    article, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from moderation.models import ModerationSettings
    from newsroom.models import ArticlePage

    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=timezone.now() - timedelta(days=8)
    )
    asgi("GET", article.url)
    assert 'name="body"' in asgi("GET", article.url).body  # a hit, with the form

    with django_capture_on_commit_callbacks(execute=True):
        ModerationSettings.objects.create(page=article.get_parent(), close_after_days=7)

    answer = asgi("GET", article.url)
    assert answer.header("x-cache") == "miss"
    assert "closed 7 days after it was published" in answer.body
    assert 'name="body"' not in answer.body


def test_a_feed_reader_polling_the_site_feed_gets_it_from_the_cache_until_an_editor_publishes(
    article, django_capture_on_commit_callbacks
):
    asgi("GET", "/feeds/rss/")
    polled = asgi("GET", "/feeds/rss/")
    assert polled.header("x-cache") == "hit"
    assert polled.header("content-type").startswith("application/rss+xml")

    article.title = "A corrected headline for the feed"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()

    answer = asgi("GET", "/feeds/rss/")
    assert answer.header("x-cache") == "miss"
    assert "A corrected headline for the feed" in answer.body


def test_a_feed_reader_asking_if_modified_since_is_answered_not_modified_from_the_cache(article):
    first = asgi("GET", "/feeds/rss/")
    last_modified = first.header("last-modified").encode()

    held = asgi("GET", "/feeds/rss/", extra_headers=[(b"if-modified-since", last_modified)])

    assert (held.status, held.header("x-cache"), held.raw) == (304, "hit", b"")
    assert held.header("last-modified") == first.header("last-modified")


def test_a_feed_reader_holding_an_older_copy_gets_the_whole_feed_from_the_cache(article):
    asgi("GET", "/feeds/rss/")
    older = b"Mon, 01 Jan 2001 00:00:00 GMT"

    answer = asgi("GET", "/feeds/rss/", extra_headers=[(b"if-modified-since", older)])

    assert (answer.status, answer.header("x-cache")) == (200, "hit")
    assert "<rss" in answer.body


def test_a_comments_feed_reader_is_never_told_not_modified_by_date(article):
    """An approved comment arrives dated when it was written, among older ones: no date can say
    the feed is unchanged, so the comments feed carries none (its ETag says it)."""
    url = f"/feeds/comments/{article.pk}/"
    asgi("GET", url)
    now = http_date()

    answer = asgi("GET", url, extra_headers=[(b"if-modified-since", now.encode())])

    assert (answer.status, answer.header("last-modified")) == (200, None)


def test_an_articles_comments_feed_is_kept_until_its_thread_changes(
    article, django_capture_on_commit_callbacks
):
    url = f"/feeds/comments/{article.pk}/"
    asgi("GET", url)
    assert asgi("GET", url).header("x-cache") == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        make_comment(thread_ensure(page=article), "A comment for the feed readers.")

    answer = asgi("GET", url)
    assert answer.header("x-cache") == "miss"
    assert "A comment for the feed readers." in answer.body


def test_a_ninjs_reader_holding_the_latest_copy_is_told_not_modified_until_an_editor_publishes(
    article, django_capture_on_commit_callbacks
):
    # The API's answers expose their ETag to partners' scripts; ninjs, under the same prefix,
    # had none, so a partner polling an article for changes fetched it whole every time.
    url = f"/api/v1/ninjs/articles/{article.pk}.json"
    etag = asgi("GET", url).header("etag").encode()

    held = asgi("GET", url, extra_headers=[(b"if-none-match", etag)])
    assert (held.status, held.raw) == (304, b"")

    article.title = "A corrected headline for ninjs"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()

    fresh = asgi("GET", url, extra_headers=[(b"if-none-match", etag)])
    assert fresh.status == 200
    assert "A corrected headline for ninjs" in fresh.body


@pytest.mark.parametrize("url", ["/sitemap.xml", "/sitemap-news.xml"])
def test_a_crawler_holding_the_latest_sitemap_is_told_not_modified_until_an_editor_publishes(
    article, django_capture_on_commit_callbacks, url
):
    # A sitemap lists every page; it was drawn afresh for each crawler's visit, with no ETag to
    # answer its If-None-Match by.
    etag = asgi("GET", url).header("etag").encode()

    held = asgi("GET", url, extra_headers=[(b"if-none-match", etag)])
    assert (held.status, held.raw) == (304, b"")

    with django_capture_on_commit_callbacks(execute=True):
        newer = make_article(section=article.get_parent(), title="A newer story")

    fresh = asgi("GET", url, extra_headers=[(b"if-none-match", etag)])
    assert fresh.status == 200
    assert newer.url in fresh.body


def test_with_page_cache_seconds_0_nothing_is_cached(article, settings):
    settings.PAGE_CACHE_SECONDS = 0
    asgi("GET", article.url)
    answer = asgi("GET", article.url)
    assert answer.header("x-cache") is None
    assert answer.status == 200


def test_the_show_more_fragment_is_cached_apart_from_the_page_and_refreshed_by_a_new_comment(
    article, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_PAGE_SIZE = 1
    thread = thread_ensure(page=article)
    make_comment(thread, "The second comment, on the next page.")
    page = asgi("GET", article.url)
    more_url = re.search(r'hx-get="([^"]+comments/\?after=[^"]+)"', page.body).group(1)
    more_url = more_url.replace("&amp;", "&")

    asgi("GET", more_url, htmx=True)
    fragment = asgi("GET", more_url, htmx=True)
    plain = asgi("GET", more_url)

    assert fragment.header("x-cache") == "hit"
    assert "The second comment, on the next page." in fragment.body
    assert "Show more comments" not in fragment.body  # the last page, for now
    assert plain.status == 302  # a browser without htmx is sent to the article, never the fragment
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(thread, "A third comment arrives.")
    fresh = asgi("GET", more_url, htmx=True)
    assert fresh.header("x-cache") == "miss"
    assert "Show more comments" in fresh.body  # the third comment is one page further on


def test_the_read_api_answers_anonymous_readers_from_the_cache_until_the_thread_changes(
    article, django_capture_on_commit_callbacks
):
    url = f"/api/v1/threads/comments?article={article.pk}&limit=20"
    asgi("GET", url)
    cached = asgi("GET", url)
    assert cached.header("x-cache") == "hit"
    assert "The first comment on this story." in cached.body

    with django_capture_on_commit_callbacks(execute=True):
        make_comment(thread_ensure(page=article), "A second comment for the API.")

    fresh = asgi("GET", url)
    assert fresh.header("x-cache") == "miss"
    assert "A second comment for the API." in fresh.body


def test_comment_counts_from_the_cache_change_when_a_comment_is_posted(
    article, django_capture_on_commit_callbacks
):
    url = f"/api/v1/articles/comment-counts?ids={article.pk}"
    asgi("GET", url)
    assert asgi("GET", url).header("x-cache") == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        make_comment(thread_ensure(page=article), "Counted at once.")

    assert f'"{article.pk}": 2' in asgi("GET", url).body.replace(":2", ": 2")


def test_an_image_size_made_for_a_first_view_leaves_other_cached_pages_alone(
    article, django_capture_on_commit_callbacks
):
    from newsroom.images import NewsImage

    asgi("GET", article.url)
    image = NewsImage.objects.first()
    with django_capture_on_commit_callbacks(execute=True):
        image.get_rendition("width-123")  # as a new article's first view would

    assert asgi("GET", article.url).header("x-cache") == "hit"


def test_a_change_made_through_another_app_process_reaches_this_ones_readers_in_the_stale_limit(
    article, settings
):
    """Each app process keeps its own copy of a hot page and trusts the versions it last read for
    PAGE_CACHE_LOCAL_MAX_STALE_MS; a moderator's change made through another process (which bumps
    the shared version, not this process's memory) shows here once that time has passed."""
    import time

    from django.core.cache import cache

    from core import pagecache

    settings.PAGE_CACHE_LOCAL_MAX_STALE_MS = 200
    asgi("GET", article.url)
    assert asgi("GET", article.url).header("x-cache") == "hit"

    # What the other process does: the row changes, then its on-commit bump of the shared token.
    Comment.objects.filter(body="The first comment on this story.").update(
        status=Comment.Status.REJECTED
    )
    cache.set(pagecache.token_key(pagecache.page_token(article.pk)), "from-elsewhere", None)
    time.sleep(0.25)

    answer = asgi("GET", article.url)
    assert answer.header("x-cache") == "miss"
    assert "The first comment on this story." not in answer.body


def test_a_bump_from_another_process_such_as_the_scheduler_reaches_the_servers_cached_pages(
    article, settings
):
    """The scheduler and management commands run in their own processes. With the embedded
    in-process cache they cannot reach the server's memory; their bump still reaches it (through
    a file in VAR_DIR; through Redis when REDIS_URL is set)."""
    import os
    import subprocess
    import sys

    settings.PAGE_CACHE_LOCAL_MAX_STALE_MS = 0
    asgi("GET", article.url)
    assert asgi("GET", article.url).header("x-cache") == "hit"

    Comment.objects.filter(body="The first comment on this story.").update(
        status=Comment.Status.REJECTED
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from core import pagecache; pagecache.bump('site')",
        ],
        cwd=settings.BASE_DIR,
        env=os.environ,
        check=True,
        timeout=120,
    )

    answer = asgi("GET", article.url)
    assert answer.header("x-cache") == "miss"
    assert "The first comment on this story." not in answer.body


def test_a_signed_in_readers_page_is_never_stored_even_if_their_request_claims_the_caches_mark(
    article, django_user_model
):
    """The page cache marks the requests it may store with a header; one sent by a client, even
    with the right value, is dropped: the reader gets a page rendered for them, with working
    forms, and nothing of it is stored for anyone else."""
    from core import pagecache

    user = django_user_model.objects.create_user("maks", "maks@example.com", "pw-1234567890")
    client = Client()
    client.force_login(user)
    session = {"sessionid": client.cookies["sessionid"].value}
    forged = (b"x-broadsheet-page-cache", pagecache._placeholder_bytes("layer"))

    answer = asgi("GET", article.url, cookies=session, extra_headers=[forged])
    anonymous = asgi("GET", article.url)

    assert answer.header("x-cache") is None
    assert "bspc" not in answer.body  # real CSRF tokens, not the cache's placeholders
    assert anonymous.header("x-cache") == "miss"  # nothing of the signed-in page was stored
    assert "Sign out" not in anonymous.body and 'action="/accounts/logout/"' not in anonymous.body


# --- While a page is rendered afresh (PAGE_CACHE_GRACE_SECONDS) ------------------------------


def held_layer():
    """The cache layer over Django, with Django held back until the test opens the gate: a
    render in progress, made as long as a test needs."""
    from broadsheet.asgi import django_application
    from core.pagecache import AnonymousPageCache

    gate = asyncio.Event()

    async def held(scope, receive, send):
        await gate.wait()
        await django_application(scope, receive, send)

    return AnonymousPageCache(held), gate


async def rendering(layer, path: str) -> asyncio.Task:
    """A reader's request that has found the page stale and is now rendering it."""
    task = asyncio.create_task(call(layer, "GET", path))
    for _ in range(1000):
        if layer._flights:
            return task
        await asyncio.sleep(0)
    raise AssertionError("the request never started rendering")


def a_new_comment(article, text: str, capture) -> None:
    with capture(execute=True):
        make_comment(thread_ensure(page=article), text)


def test_while_a_written_page_is_rendered_other_readers_get_the_copy_from_just_before(
    article, django_capture_on_commit_callbacks
):
    asgi("GET", article.url)
    a_new_comment(article, "A second comment has just arrived.", django_capture_on_commit_callbacks)
    layer, gate = held_layer()

    async def scenario():
        first = await rendering(layer, article.url)
        # Answered without waiting for the render (which waits at the gate until after it).
        meanwhile = await asyncio.wait_for(call(layer, "GET", article.url), timeout=10)
        gate.set()
        return meanwhile, await first, await call(layer, "GET", article.url)

    meanwhile, fresh, after = run(scenario)
    assert meanwhile.header("x-cache") == "stale"
    assert "The first comment on this story." in meanwhile.body
    assert "A second comment has just arrived." not in meanwhile.body
    assert meanwhile.csrf_token() != fresh.csrf_token()  # still personalised
    assert fresh.header("x-cache") == "miss"
    assert "A second comment has just arrived." in fresh.body
    assert after.header("x-cache") == "hit"
    assert "A second comment has just arrived." in after.body


def test_with_page_cache_grace_seconds_0_every_reader_after_a_write_gets_the_new_page(
    article, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_GRACE_SECONDS = 0
    asgi("GET", article.url)
    a_new_comment(article, "A second comment has just arrived.", django_capture_on_commit_callbacks)
    layer, gate = held_layer()

    async def scenario():
        first = await rendering(layer, article.url)
        meanwhile = asyncio.create_task(call(layer, "GET", article.url))
        await asyncio.sleep(0)
        gate.set()
        return await first, await meanwhile

    for answer in run(scenario):
        assert answer.header("x-cache") == "miss"
        assert "A second comment has just arrived." in answer.body


def test_a_withdrawn_article_is_never_served_from_its_old_copy_once_a_render_found_it_gone(
    article, django_capture_on_commit_callbacks
):
    asgi("GET", article.url)
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    layer, gate = held_layer()

    async def scenario():
        # The first reader after the change renders it (a 404, kept by nobody); a reader who
        # comes while the next render is under way gets no copy of the article either.
        first = await rendering(layer, article.url)
        gate.set()
        gone = await first
        gate.clear()
        second = await rendering(layer, article.url)
        meanwhile = asyncio.create_task(call(layer, "GET", article.url))
        await asyncio.sleep(0)
        gate.set()
        return gone, await second, await meanwhile

    for answer in run(scenario):
        assert answer.status == 404
        assert answer.header("x-cache") != "stale"


# --- Comments drawn once (FRAGMENT_CACHE_ENTRIES) -------------------------------------------


def _per_reader_values_masked(body: str) -> str:
    """The page as any anonymous reader gets it, with their own form values taken out."""
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", body)
    body = re.sub(r'"X-CSRFToken": "[^"]+"', "CSRF", body)
    return re.sub(r'name="idempotency_key" value="[^"]+"', "KEY", body)


@pytest.fixture
def busy_article(django_capture_on_commit_callbacks):
    """A thread with what a comment can show: replies (more than are shown), a deleted comment
    with its replies kept, a featured one, an edited one, reactions."""
    from discussion.reactions import reaction_toggle
    from discussion.services import comment_set_featured

    article = make_article()
    thread = thread_ensure(page=article)
    with django_capture_on_commit_callbacks(execute=True):
        first = make_comment(thread, "The first comment, with **bold** words.", name="Ada")
        for n in range(5):
            make_comment(thread, f"Reply number {n}.", name=f"Replier {n}", parent=first)
        gone = make_comment(thread, "A comment its author deletes.", name="Bea")
        make_comment(thread, "A reply kept under it.", name="Cy", parent=gone)
        Comment.objects.filter(pk=gone.pk).update(status=Comment.Status.DELETED)
        featured = make_comment(thread, "A comment the editors feature.", name="Dee")
        comment_set_featured(comment=featured, featured=True)
        reaction_toggle(comment=first, reader_key="guest-one", user_id=None)
    return article


def _kept_comments() -> dict:
    """What this process keeps of drawn comments (Django's in-memory cache, by key); the
    ``fragments`` cache also keeps drawn figures."""
    kept = caches["fragments"]._cache
    return {key: value for key, value in kept.items() if ".comment_block." in key}


def test_a_page_drawn_from_kept_comments_is_the_page_drawn_afresh(busy_article):
    from core import pagecache

    caches["fragments"].clear()
    fresh = asgi("GET", busy_article.url)
    assert fresh.header("x-cache") == "miss"
    assert len(_kept_comments()) == 3  # one per top-level comment
    pagecache.bump(pagecache.page_token(busy_article.pk))  # every copy of the page is stale
    again = asgi("GET", busy_article.url)
    assert again.header("x-cache") == "miss"
    assert _per_reader_values_masked(again.body) == _per_reader_values_masked(fresh.body)


def test_the_page_is_drawn_again_from_the_comments_kept_when_it_went_stale(busy_article):
    import pickle

    from core import pagecache

    caches["fragments"].clear()
    asgi("GET", busy_article.url)
    kept = caches["fragments"]._cache
    for key, value in _kept_comments().items():
        kept[key] = pickle.dumps(pickle.loads(value) + "<!-- kept -->")  # noqa: S301 (our own)
    pagecache.bump(pagecache.page_token(busy_article.pk))
    assert asgi("GET", busy_article.url).body.count("<!-- kept -->") == 3


def test_a_reaction_on_a_shown_reply_shows_in_the_page_drawn_after_it(
    busy_article, django_capture_on_commit_callbacks
):
    from discussion.reactions import reaction_toggle

    asgi("GET", busy_article.url)
    reply = Comment.objects.get(body="Reply number 1.")
    with django_capture_on_commit_callbacks(execute=True):
        for reader in ("guest-one", "guest-two"):
            reaction_toggle(comment=reply, reader_key=reader, user_id=None)
    page = asgi("GET", busy_article.url).body
    block = page[page.index(f'id="c-{reply.pk}"') :]
    assert re.search(r'class="reaction__count">2<', block[: block.index("</li>")])


def _signed_in(django_user_model, username: str) -> dict[str, str]:
    """The cookies of a signed-in reader (a session and its CSRF cookie)."""
    user = django_user_model.objects.create_user(username, f"{username}@example.com", "pw-12345678")
    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value}


def test_a_signed_in_readers_page_drawn_from_kept_comments_is_the_page_drawn_afresh(
    busy_article, django_user_model
):
    ada = _signed_in(django_user_model, "ada")
    Comment.objects.filter(author_name="Ada").update(
        author_id=django_user_model.objects.get(username="ada").pk
    )
    caches["fragments"].clear()
    fresh = asgi("GET", busy_article.url, cookies=ada)
    assert len(_kept_comments()) == 3
    again = asgi("GET", busy_article.url, cookies=ada)
    assert _per_reader_values_masked(again.body) == _per_reader_values_masked(fresh.body)
    assert 'Delete<span class="visually-hidden"> your comment' in again.body


def test_a_readers_own_comment_links_are_never_shown_to_another_reader(
    busy_article, django_user_model
):
    ada, bea = _signed_in(django_user_model, "ada"), _signed_in(django_user_model, "bea")
    Comment.objects.filter(author_name="Ada").update(
        author_id=django_user_model.objects.get(username="ada").pk
    )
    own_links = 'Delete<span class="visually-hidden"> your comment'
    assert own_links in asgi("GET", busy_article.url, cookies=ada).body  # Ada's drawing kept
    assert own_links not in asgi("GET", busy_article.url, cookies=bea).body
    assert own_links not in asgi("GET", busy_article.url).body


def test_a_signed_in_readers_page_carries_their_own_working_token(busy_article, django_user_model):
    from core import pagecache

    ada = _signed_in(django_user_model, "ada")
    asgi("GET", busy_article.url)  # the comments as every reader shares them, kept
    page = asgi("GET", busy_article.url, cookies=ada)
    assert pagecache.csrf_placeholder() not in page.body
    cookies = {**ada, **page.cookies()}
    first = Comment.objects.get(author_name="Ada")
    # What a browser posts when Ada presses Recommend: the form the button names, to its action.
    soup = BeautifulSoup(page.body, "html.parser")
    button = soup.select_one(f"#react-{first.pk} button")
    form = soup.find("form", id=button["form"])
    token = form.find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    react = button["formaction"]
    assert asgi("POST", react, cookies=cookies, data={"csrfmiddlewaretoken": token}).status == 302
    assert first.reactions.count() == 2  # the reader's own recommendation, beside a guest's


# --- gzip ------------------------------------------------------------------------------------

GZIP = [(b"accept-encoding", b"gzip, deflate, br, zstd")]  # what Chromium sends


def _masked(page: Answer) -> str:
    """The page with this answer's own values (its one token, its one key) taken out."""
    return page.body.replace(page.csrf_token(), "CSRF").replace(page.idempotency_key(), "KEY")


def test_a_browser_that_accepts_gzip_gets_the_cached_page_compressed_and_can_post_from_it(
    busy_article,
):
    plain = asgi("GET", busy_article.url)
    page = asgi("GET", busy_article.url, extra_headers=GZIP)

    assert (page.header("x-cache"), page.header("content-encoding")) == ("hit", "gzip")
    assert int(page.header("content-length")) == len(page.raw) < len(plain.raw) / 3
    assert "Accept-Encoding" in page.header("vary")
    assert _masked(page) == _masked(plain)  # unpacked, CRC and length checked
    posted = page.post_comment(busy_article.url, "Posted from a gzipped page.", "Gzip Reader")
    assert posted.status == 302
    assert Comment.objects.filter(body="Posted from a gzipped page.").exists()


def test_a_miss_is_sent_compressed_too(busy_article):
    page = asgi("GET", busy_article.url, extra_headers=GZIP)
    assert (page.header("x-cache"), page.header("content-encoding")) == ("miss", "gzip")
    assert "The first comment, with <strong>bold</strong> words." in page.body


def test_each_readers_token_goes_out_uncompressed_so_the_size_tells_nothing_about_it(
    busy_article,
):
    """BREACH reads a secret off how well it compresses beside text an attacker chose (a
    comment). The token is never compressed: it is in the bytes sent as it is, and every
    reader's answer has the same length whatever their token."""
    asgi("GET", busy_article.url)
    pages = [asgi("GET", busy_article.url, extra_headers=GZIP) for _ in range(3)]

    for page in pages:
        assert page.csrf_token().encode() in page.raw
    assert len({len(page.raw) for page in pages}) == 1
    assert len({page.csrf_token() for page in pages}) == 3


def test_a_client_that_does_not_accept_gzip_gets_the_page_plain(busy_article):
    asgi("GET", busy_article.url, extra_headers=GZIP)
    for accept in (b"identity", b"gzip;q=0, br", b"br, zstd"):
        page = asgi("GET", busy_article.url, extra_headers=[(b"accept-encoding", accept)])
        assert page.header("x-cache") == "hit"
        assert page.header("content-encoding") is None, accept
        assert b"<html" in page.raw[:200]


def test_the_read_api_from_the_cache_is_gzipped_for_those_who_accept_it(busy_article):
    import json

    url = f"/api/v1/threads/comments?article={busy_article.pk}&limit=20"
    plain = asgi("GET", url)
    for state in ("hit", "hit"):
        answer = asgi("GET", url, extra_headers=GZIP)
        assert (answer.header("x-cache"), answer.header("content-encoding")) == (state, "gzip")
        assert json.loads(answer.body) == json.loads(plain.body)
        assert len(answer.raw) < len(plain.raw)


def test_with_page_cache_gzip_level_0_nothing_is_compressed(busy_article, settings):
    settings.PAGE_CACHE_GZIP_LEVEL = 0
    for _ in range(2):
        page = asgi("GET", busy_article.url, extra_headers=GZIP)
        assert page.header("content-encoding") is None
    assert page.header("x-cache") == "hit"


# --- Conditional requests ----------------------------------------------------------------------


def test_an_app_polling_the_api_with_its_etag_is_told_not_modified_until_the_thread_changes(
    article, django_capture_on_commit_callbacks
):
    url = f"/api/v1/threads/comments?article={article.pk}&limit=20"
    first = asgi("GET", url)
    etag = first.header("etag")
    assert etag and etag.startswith('W/"')
    asked = [(b"if-none-match", etag.encode())]

    unchanged = asgi("GET", url, extra_headers=asked)
    assert (unchanged.status, unchanged.raw) == (304, b"")
    assert unchanged.header("etag") == etag
    assert unchanged.header("access-control-allow-origin") == "*"
    assert asgi("GET", url, extra_headers=[*asked, *GZIP]).status == 304  # either encoding

    with django_capture_on_commit_callbacks(execute=True):
        make_comment(thread_ensure(page=article), "News for the polling app.")

    changed = asgi("GET", url, extra_headers=asked)
    assert changed.status == 200
    assert "News for the polling app." in changed.body
    assert changed.header("etag") not in (None, etag)


def test_a_feed_reader_with_the_feeds_etag_gets_not_modified(article):
    etag = asgi("GET", "/feeds/rss/").header("etag")
    answer = asgi("GET", "/feeds/rss/", extra_headers=[(b"if-none-match", etag.encode())])
    assert (answer.status, answer.raw) == (304, b"")
    other = asgi("GET", "/feeds/rss/", extra_headers=[(b"if-none-match", b'W/"something-else"')])
    assert other.status == 200


def test_a_page_with_a_token_of_its_own_has_no_etag(article):
    asgi("GET", article.url)
    assert asgi("GET", article.url).header("etag") is None


def test_a_head_request_is_answered_from_the_cached_copy_with_the_length_of_the_page(article):
    asgi("GET", article.url)
    page = asgi("GET", article.url)
    for extra, raw in (([], page.raw), (GZIP, asgi("GET", article.url, extra_headers=GZIP).raw)):
        head = asgi("HEAD", article.url, extra_headers=extra)
        assert (head.status, head.header("x-cache"), head.raw) == (200, "hit", b"")
        assert int(head.header("content-length")) == len(raw)


def test_a_head_request_with_no_copy_kept_is_rendered_as_the_get_and_kept_for_it(article):
    # Its headers must be the GET's, validators included, so it is the GET's render: kept, the
    # GET that usually follows (a link checker's, a feed reader's) needs no render of its own.
    head = asgi("HEAD", article.url)
    assert (head.status, head.raw, head.header("x-cache")) == (200, b"", "miss")
    assert asgi("GET", article.url).header("x-cache") == "hit"


def test_a_host_taken_out_of_allowed_hosts_is_refused_though_its_pages_were_kept(article, settings):
    settings.ALLOWED_HOSTS = ["localhost", "old.example"]
    api = f"/api/v1/threads/comments?article={article.pk}&limit=20"
    for url in (article.url, api, "/feeds/rss/"):
        asgi("GET", url, host=b"old.example:8000")
        kept = asgi("GET", url, host=b"old.example:8000")
        assert (kept.status, kept.header("x-cache")) == (200, "hit"), url

    settings.ALLOWED_HOSTS = ["localhost"]  # as an operator narrows it, and restarts

    for url in (article.url, api, "/feeds/rss/"):
        for method in ("GET", "HEAD"):
            refused = asgi(method, url, host=b"old.example:8000")
            assert (refused.status, refused.header("x-cache")) == (400, None), (method, url)
    assert asgi("GET", article.url).header("x-cache") == "miss"  # localhost's own copy: new


def _app_made_afresh():
    """The ASGI stack as an app process makes it at start: Django's security middleware reads
    SECURE_SSL_REDIRECT and SECURE_PROXY_SSL_HEADER once, when it is made."""
    from django.core.wsgi import get_wsgi_application

    from core.django_threads import DjangoOnThreads
    from core.pagecache import AnonymousPageCache

    return AnonymousPageCache(DjangoOnThreads(get_wsgi_application()))


def asgi_to(app, method: str, path: str, **options) -> Answer:
    async def request():
        return await call(app, method, path, **options)

    return run(request)


def test_under_ssl_redirect_a_plain_http_request_is_redirected_not_answered_from_a_copy(
    article, settings
):
    settings.SECURE_SSL_REDIRECT = True
    app = _app_made_afresh()
    asgi_to(app, "GET", article.url, scheme="https")
    kept = asgi_to(app, "GET", article.url, scheme="https")
    assert (kept.status, kept.header("x-cache")) == (200, "hit")

    plain = asgi_to(app, "GET", article.url)

    assert (plain.status, plain.header("x-cache")) == (301, None)
    assert plain.header("location") == f"https://localhost{article.url}"


def test_behind_a_trusted_proxy_the_forwarded_scheme_decides_whether_a_copy_answers(
    article, settings
):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    app = _app_made_afresh()
    over_tls = [(b"x-forwarded-proto", b"https")]
    asgi_to(app, "GET", article.url, extra_headers=over_tls)
    kept = asgi_to(app, "GET", article.url, extra_headers=over_tls)
    assert (kept.status, kept.header("x-cache")) == (200, "hit")

    plain = asgi_to(app, "GET", article.url, extra_headers=[(b"x-forwarded-proto", b"http")])

    assert (plain.status, plain.header("x-cache")) == (301, None)


def test_a_request_with_two_host_headers_goes_to_django_which_refuses_it(article):
    asgi("GET", article.url)
    answer = asgi("GET", article.url, extra_headers=[(b"host", b"evil.example")])
    assert (answer.status, answer.header("x-cache")) == (400, None)


def test_hosts_under_an_allowed_domain_pattern_are_answered_from_the_cache(article, settings):
    settings.ALLOWED_HOSTS = [".example.com"]
    for host in (b"example.com", b"news.example.com:8443", b"NEWS.Example.com."):
        asgi("GET", article.url, host=host)
        assert asgi("GET", article.url, host=host).header("x-cache") == "hit", host
    assert asgi("GET", article.url, host=b"badexample.com").status == 400


@pytest.mark.parametrize(
    "allowed",
    [
        ["localhost", "127.0.0.1"],
        [".example.com", "[::1]"],
        ["*"],
        ["NEWS.example.com", ""],
        [],
    ],
)
def test_the_layers_host_check_agrees_with_djangos(allowed):
    from django.http.request import split_domain_port, validate_host

    from core.pagecache import _AllowedHosts

    hosts = [
        "localhost", "localhost:8000", "LOCALHOST", "127.0.0.1:80", "[::1]:8000", "[::1]",
        "example.com", "example.com.", "news.example.com", "news.example.com:443",
        "a.b.example.com", "badexample.com", "example.com.evil", "news.example.com",
        "", "evil.example", "local host", "localhost:", "localhost:x", "a,b", "*",
    ]  # fmt: skip
    layer = _AllowedHosts(allowed)
    for host in hosts:
        domain, _port = split_domain_port(host)
        django_allows = bool(domain) and validate_host(domain, allowed)
        assert layer.allow(host.encode("latin-1")) is django_allows, host
        assert layer.allow(host.encode("latin-1")) is django_allows, host  # kept, the same


@pytest.mark.parametrize(
    "address",
    [
        "/feeds/rss/",
        "/feeds/atom/",
        "/sitemap.xml",
        "/sitemap-news.xml",
        "/api/v1/ninjs/articles/{id}.json",
        "/api/v1/threads/comments?article={id}",
        "/api/v1/articles/comment-counts?ids={id}",
    ],
)
def test_a_head_with_no_copy_kept_carries_the_gets_validators_and_content_type(article, address):
    # A link checker or a feed reader asking HEAD first, before anyone's GET: Django answered it
    # without the ETag this layer adds to what it keeps, so the client could not tell whether
    # its copy was current.
    url = address.format(id=article.pk)

    head = asgi("HEAD", url)
    get = asgi("GET", url)

    assert (head.status, head.raw) == (200, b"")
    assert head.header("etag") is not None
    for name in ("etag", "last-modified", "content-type"):
        assert head.header(name) == get.header(name), name
