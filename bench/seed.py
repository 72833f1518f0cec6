"""The benchmark's bulk seeder: articles, threads and comments, fast, in two stages.

Run by ``bench.run`` in its own process with the bench server's environment (DATABASE_URL,
SECRET_KEY, BROADSHEET_VAR_DIR), never against the demo's database:

    python -m bench.seed small  OUT.json   # the site, 1,000-comment thread, 1,000 small threads
    python -m bench.seed large  OUT.json   # + the 10,000-comment thread and the archive up to
                                           #   BENCH_SITE_COMMENTS comments site-wide (1,000,000)

Rows are what ``discussion.services.comment_create`` would have written for a comment posted as
``source="direct"`` (the demo loader's and importers' path): the body rendered and sanitised once
with ``render_comment_html``, the screening verdict and review row that ``moderation`` records,
``path`` of zero-padded ids, ``number`` for top-level comments, ``root``, ``reply_count`` and the
thread's ``comment_count`` / ``top_level_count``. Only the way they get there differs: COPY on
PostgreSQL (executemany on SQLite) instead of one transaction per comment, with the foreign-key
triggers off for the session (the rows are consistent by construction).

Threads have one of two shapes. "flat": every comment top-level (the 1,000-comment thread, so
page 50 of 20 exists). "nested": groups of four, a top-level comment with a reply, a reply to that
reply and a second reply to the top-level comment, so the article page shows replies at two
depths under every top-level comment.
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from wagtail.models import Locale, Page, Site  # noqa: E402

from bench import corpus  # noqa: E402
from core import client  # noqa: E402
from discussion import screening  # noqa: E402
from discussion.models import Comment, Thread  # noqa: E402
from discussion.rendering import render_comment_html  # noqa: E402
from moderation.normalise import normalise  # noqa: E402
from moderation.pipeline import reader_key  # noqa: E402
from moderation.scorers.heuristics import text_hash  # noqa: E402
from newsroom.models import ArticleAuthor, ArticlePage, Author, HomePage, SectionPage  # noqa: E402

SMALL_THREADS = 1000
SMALL_THREAD_COMMENTS = 9  # 1,000 x 9 + the 1,000-comment thread = a 10,000-comment site
ARCHIVE_THREAD_COMMENTS = 1000
EPOCH = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)
POSTGRES = connection.vendor == "postgresql"
NULL = "\\N"  # COPY's text format
TIMES: dict[str, float] = {}

COMMENT_COLUMNS = (
    "id, thread_id, parent_id, root_id, depth, path, number, author_id, author_name, "
    "author_email, body, html, status, reply_count, reaction_count, is_featured, "
    "idempotency_key, notify_replies, created_at, edited_at"
)
REVIEW_COLUMNS = (
    "comment_id, thread_id, state, outcome, reasons, codes, scores, reader_key, ip_address, "
    "text_hash, report_count, is_featured, created_at, updated_at, lookalike_checked"
)


# --- what comment_create would store for each text of the pool ---------------------------


class Pool:
    """Bodies, their sanitised HTML, author names and screening records, computed once each."""

    def __init__(self) -> None:
        self.bodies = corpus.bodies()
        self.names = corpus.author_names()
        self.html = [render_comment_html(body) for body in self.bodies]
        self.hashes = [text_hash(normalise(body).folded) for body in self.bodies]
        self.verdicts = []
        for i, body in enumerate(self.bodies):
            verdict = screening.screen(
                screening.Submission(
                    thread_id=0,
                    body=body,
                    author_name=self.names[i % len(self.names)],
                    user_id=None,
                    parent_id=None,
                    ip_address=None,
                )
            )
            if verdict.outcome != "publish":
                raise SystemExit(f"seed text {i} would be {verdict.outcome}: {verdict.reasons}")
            self.verdicts.append(verdict)
        self.reader_keys = [
            reader_key(
                screening.Submission(
                    thread_id=0,
                    body="",
                    author_name=name,
                    user_id=None,
                    parent_id=None,
                    ip_address=None,
                )
            )
            for name in self.names
        ]
        # COPY text format: backslash, tab and newline escaped.
        esc = _copy_escape
        self.pg_bodies = [esc(b) for b in self.bodies]
        self.pg_html = [esc(h) for h in self.html]
        self.pg_names = [esc(n) for n in self.names]
        self.pg_keys = [esc(k) for k in self.reader_keys]
        self.pg_codes = [esc(json.dumps(list(v.codes))) for v in self.verdicts]
        self.pg_scores = [esc(json.dumps(dict(v.scores))) for v in self.verdicts]


def _copy_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


# --- comment rows --------------------------------------------------------------------------


def _shape(shape: str, count: int, first_id: int):
    """(id, parent, root, depth, path, number, reply_count) for one thread, in id order."""
    number = 0
    i = 0
    while i < count:
        top = first_id + i
        number += 1
        group = 1 if shape == "flat" else min(4, count - i)
        top_path = f"{top:012d}"
        yield top, None, None, 0, top_path, number, group - 1
        if group > 1:  # a reply to the top-level comment
            yield top + 1, top, top, 1, f"{top_path}/{top + 1:012d}", None, 0
        if group > 2:  # a reply to that reply
            yield top + 2, top + 1, top, 2, f"{top_path}/{top + 1:012d}/{top + 2:012d}", None, 0
        if group > 3:  # a second reply to the top-level comment
            yield top + 3, top, top, 1, f"{top_path}/{top + 3:012d}", None, 0
        i += group


def _top_level(shape: str, count: int) -> int:
    return count if shape == "flat" else (count + 3) // 4


class Writer:
    """Buffers comment and review rows and writes them with COPY (or executemany on SQLite)."""

    BATCH = 50_000

    def __init__(self, pool: Pool) -> None:
        self.pool = pool
        self.comments: list = []
        self.reviews: list = []
        self.written = 0
        self.approved_reader: str | None = None  # reader_key whose first reviews are "approved"
        self.approved_left = 0
        self.next_id = _next_comment_id()

    def thread(self, thread_id: int, shape: str, count: int, first_id: int, start: datetime):
        pool = self.pool
        nb, nn = len(pool.bodies), len(pool.names)
        for cid, parent, root, depth, path, number, replies in _shape(shape, count, first_id):
            b = cid % nb
            n = (cid * 7) % nn
            created = start + timedelta(seconds=(cid - first_id) * 37)
            approved = False
            if self.approved_left:
                self.approved_left -= 1
                approved = True
            self.comments.append(
                (cid, thread_id, parent, root, depth, path, number, n, b, replies, created)
            )
            self.reviews.append((cid, thread_id, b, n, approved, created))
            if len(self.comments) >= self.BATCH:
                self.flush()

    def flush(self) -> None:
        if not self.comments:
            return
        if POSTGRES:
            self._flush_postgres()
        else:
            self._flush_sqlite()
        self.written += len(self.comments)
        self.comments.clear()
        self.reviews.clear()

    def _flush_postgres(self) -> None:
        p = self.pool
        lines = []
        for cid, tid, parent, root, depth, path, number, n, b, replies, created in self.comments:
            lines.append(
                f"{cid}\t{tid}\t{NULL if parent is None else parent}\t"
                f"{NULL if root is None else root}\t{depth}\t{path}\t"
                f"{NULL if number is None else number}\t\\N\t{p.pg_names[n]}\t\t"
                f"{p.pg_bodies[b]}\t{p.pg_html[b]}\tpublished\t{replies}\t0\tf\t\tt\t"
                f"{created.isoformat()}\t\\N\n"
            )
        review_lines = []
        approved_key = _copy_escape(self.approved_reader or "")
        for cid, tid, b, n, approved, created in self.reviews:
            key = approved_key if approved else p.pg_keys[n]
            state = "approved" if approved else "unmoderated"
            # Screened as it was posted: the review is as old as its comment (the dashboard's
            # last 48 hours, and "their last 7 days", count reviews by that time).
            when = created.isoformat()
            review_lines.append(
                f"{cid}\t{tid}\t{state}\tpublish\t[]\t{p.pg_codes[b]}\t{p.pg_scores[b]}\t{key}\t"
                f"\\N\t{p.hashes[b]}\t0\tf\t{when}\t{when}\tt\n"
            )
        raw = connection.connection
        t0 = time.perf_counter()
        with raw.cursor() as cur:
            with cur.copy(f"COPY discussion_comment ({COMMENT_COLUMNS}) FROM STDIN") as copy:
                copy.write("".join(lines))
            t1 = time.perf_counter()
            with cur.copy(f"COPY moderation_commentreview ({REVIEW_COLUMNS}) FROM STDIN") as copy:
                copy.write("".join(review_lines))
        TIMES["copy comments"] = TIMES.get("copy comments", 0) + t1 - t0
        TIMES["copy reviews"] = TIMES.get("copy reviews", 0) + time.perf_counter() - t1

    def _flush_sqlite(self) -> None:
        p = self.pool

        def stamp(value: datetime) -> str:
            return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")

        rows = [
            (
                cid,
                tid,
                parent,
                root,
                depth,
                path,
                number,
                None,
                p.names[n],
                "",
                p.bodies[b],
                p.html[b],
                "published",
                replies,
                0,
                False,
                "",
                True,
                stamp(created),
                None,
            )
            for cid, tid, parent, root, depth, path, number, n, b, replies, created in self.comments
        ]
        reviews = [
            (
                cid,
                tid,
                "approved" if approved else "unmoderated",
                "publish",
                "[]",
                json.dumps(list(p.verdicts[b].codes)),
                json.dumps(dict(p.verdicts[b].scores)),
                self.approved_reader if approved else p.reader_keys[n],
                None,
                p.hashes[b],
                0,
                False,
                stamp(created),  # screened as it was posted, as in _flush_postgres
                stamp(created),
                True,  # looked at by campaign detection: as for any comment no reader posted
            )
            for cid, tid, b, n, approved, created in self.reviews
        ]
        with transaction.atomic(), connection.cursor() as cur:
            cur.executemany(
                f"INSERT INTO discussion_comment ({COMMENT_COLUMNS}) "
                f"VALUES ({', '.join(['%s'] * 20)})",
                rows,
            )
            cur.executemany(
                f"INSERT INTO moderation_commentreview ({REVIEW_COLUMNS}) "
                f"VALUES ({', '.join(['%s'] * 15)})",
                reviews,
            )


def _next_comment_id() -> int:
    last = Comment.objects.order_by("-id").values_list("id", flat=True).first()
    return (last or 0) + 1


def _threads_create(pages: list[tuple[int, str]], shape: str, count: int) -> list[Thread]:
    counters = {"comment_count": count, "top_level_count": _top_level(shape, count)}
    # Publishing an article gives it its (empty) thread; those get the counters, the rest
    # (articles inserted in bulk, with no publish signal) a new thread.
    existing = {t.page_id: t for t in Thread.objects.filter(page_id__in=[p for p, _ in pages])}
    if existing:
        Thread.objects.filter(pk__in=[t.pk for t in existing.values()]).update(**counters)
    made = Thread.objects.bulk_create(
        Thread(page_id=page_id, title=title[:255], **counters)
        for page_id, title in pages
        if page_id not in existing
    )
    by_page = {**existing, **{t.page_id: t for t in made}}
    return [by_page[page_id] for page_id, _ in pages]


def _comments_for(writer: Writer, threads: list[Thread], shape: str, count: int) -> None:
    next_id = writer.next_id
    for i, thread in enumerate(threads):
        start = EPOCH + timedelta(hours=i % 5000)
        writer.thread(thread.pk, shape, count, next_id, start)
        next_id += count
    writer.next_id = next_id


def _after_load() -> None:
    with connection.cursor() as cur:
        if POSTGRES:
            for table in ("discussion_comment", "moderation_commentreview"):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )
            for table in (
                "discussion_comment",
                "moderation_commentreview",
                "discussion_thread",
                "wagtailcore_page",
                "newsroom_articlepage",
            ):
                cur.execute(f"VACUUM (ANALYZE) {table}")
            # Write the bulk load's dirty pages out now, so that a checkpoint does not do it
            # during the next measurement (it showed as p99 stalls of tens of milliseconds).
            cur.execute("CHECKPOINT")
        else:
            cur.execute("ANALYZE")


def _indexes_drop(tables: tuple[str, ...]) -> list[str]:
    """Drop the secondary indexes of ``tables`` (not those behind constraints) for a bulk load;
    returns the statements that build them again."""
    if not POSTGRES:
        return []
    with connection.cursor() as cur:
        cur.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "WHERE i.tablename = ANY(%s) AND i.indexname NOT IN "
            "(SELECT c.conname FROM pg_constraint c WHERE c.conindid <> 0)",
            [list(tables)],
        )
        found = cur.fetchall()
        for name, _definition in found:
            cur.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in found]


def _indexes_build(statements: list[str]) -> None:
    if not statements:
        return
    with connection.cursor() as cur:
        cur.execute("SET maintenance_work_mem = '256MB'")
        for statement in statements:
            cur.execute(statement)


def _fk_checks_off() -> None:
    if POSTGRES:
        with connection.cursor() as cur:
            cur.execute("SET session_replication_role = replica")


def _fk_checks_on() -> None:
    if POSTGRES:
        with connection.cursor() as cur:
            cur.execute("SET session_replication_role = DEFAULT")


# --- pages ---------------------------------------------------------------------------------


def _paragraphs(count: int, seed: int) -> list[dict]:
    texts = corpus.bodies(count, seed=seed)
    return [
        {
            "type": "paragraph",
            "value": f"<p>{text.replace(chr(10) * 2, ' ')}</p>",
            "id": str(uuid.uuid4()),
        }
        for text in texts
    ]


def _site() -> tuple[SectionPage, Author]:
    root = Page.get_first_root_node()
    for page in root.get_children():
        if page.specific_class is Page:
            page.delete()
    home = root.add_child(instance=HomePage(title="The Bench Broadsheet", slug="home"))
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    else:
        site.root_page = home
        site.save()
    section = home.add_child(instance=SectionPage(title="News", slug="news", intro="Bench news."))
    section.save_revision().publish()
    author = Author.objects.create(name="Bench Desk", slug="bench-desk")
    return section, author


def _article(section: SectionPage, author: Author, slug: str, title: str) -> ArticlePage:
    """A full article, made the way an editor's publish makes it (revision and all)."""
    page = ArticlePage(
        title=title,
        slug=slug,
        standfirst="What the benchmark's readers are discussing today.",
        located="London",
    )
    page.body = [(block["type"], block["value"]) for block in _paragraphs(8, seed=len(slug))]
    section.add_child(instance=page)
    ArticleAuthor.objects.create(page=page, author=author, sort_order=0)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _articles_bulk(section: SectionPage, prefix: str, count: int) -> list[tuple[int, str]]:
    """``count`` live articles under ``section``, inserted in bulk (no revisions, no search
    index entries): what a site's archive looks like to readers and to the API."""
    section.refresh_from_db()
    content_type = ContentType.objects.get_for_model(ArticlePage)
    locale = Locale.get_default()
    first = section.numchild + 1
    now = datetime.now(UTC)
    pages = [
        Page(
            title=f"{prefix.title()} story {i}",
            draft_title=f"{prefix.title()} story {i}",
            slug=f"{prefix}-{i}",
            content_type=content_type,
            path=Page._get_path(section.path, section.depth + 1, first + i),
            depth=section.depth + 1,
            numchild=0,
            url_path=f"{section.url_path}{prefix}-{i}/",
            live=True,
            has_unpublished_changes=False,
            first_published_at=now - timedelta(minutes=i),
            last_published_at=now - timedelta(minutes=i),
            locale=locale,
            translation_key=uuid.uuid4(),
        )
        for i in range(count)
    ]
    with transaction.atomic():
        created = Page.objects.bulk_create(pages, batch_size=1000)
        body = json.dumps(_paragraphs(3, seed=11))
        with connection.cursor() as cur:
            cur.executemany(
                "INSERT INTO newsroom_articlepage (page_ptr_id, standfirst, body, located) "
                "VALUES (%s, %s, %s, %s)",
                [(page.pk, "An archived story.", body, "") for page in created],
            )
        Page.objects.filter(pk=section.pk).update(numchild=section.numchild + count)
    return [(page.pk, page.title) for page in created]


def _describe(page: Page, thread: Thread | None = None) -> dict:
    thread = thread or Thread.objects.filter(page_id=page.pk).first()
    return {
        "id": page.pk,
        "url": page.url_path.removeprefix("/home"),
        "thread_id": thread.pk if thread else None,
    }


# --- stages --------------------------------------------------------------------------------


def stage_small() -> dict:
    """The site at 10,000 comments: the 1,000-comment thread and 1,000 small threads."""
    started = time.perf_counter()
    pool = Pool()
    section, author = _site()
    article_10k = _article(section, author, "the-long-thread", "The story everyone discusses")
    article_1k = _article(section, author, "the-busy-thread", "A story with a busy thread")
    small = _articles_bulk(section, "small", SMALL_THREADS)
    archive = _articles_bulk(section, "archive", _archive_threads())

    # The reader the bench posts as: a guest with a signed cookie whose first comments a
    # moderator approved, so screening runs in full and publishes (no first-comment hold).
    key = f"bench{uuid.uuid4().hex[:16]}"
    # Signed as the site signs it when it sets the cookie (core.client.guest_key_ensure), so the
    # bench's guest costs what a browser's does: a cookie signed the way Django did before 5.2
    # (its name and salt run together) is checked twice, the current way first.
    answer = HttpResponse()
    answer.set_signed_cookie(client.GUEST_COOKIE, key, salt=client._GUEST_SALT)
    cookie = answer.cookies[client.GUEST_COOKIE].value

    writer = Writer(pool)
    writer.approved_reader = f"guest:{key}"
    _fk_checks_off()
    thread_1k = _threads_create([(article_1k.pk, article_1k.title)], "flat", 1000)
    small_threads = _threads_create(small, "nested", SMALL_THREAD_COMMENTS)
    # The first small thread is where the bench posts; its first two comments are the bench
    # reader's, approved.
    writer.approved_left = max(settings.MODERATION_TRUST_FIRST_COMMENTS, 0)
    _comments_for(writer, small_threads[:1], "nested", SMALL_THREAD_COMMENTS)
    _comments_for(writer, thread_1k, "flat", 1000)
    _comments_for(writer, small_threads[1:], "nested", SMALL_THREAD_COMMENTS)
    writer.flush()
    _fk_checks_on()
    _after_load()
    post_page = Page.objects.get(pk=small_threads[0].page_id)
    sse_page = Page.objects.get(pk=small_threads[1].page_id)
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "site_comments": Comment.objects.count(),
        "article_10k": _describe(article_10k),
        "article_1k": _describe(article_1k, thread_1k[0]),
        "post_target": _describe(post_page, small_threads[0]),
        "sse_target": _describe(sse_page, small_threads[1]),
        "count_ids": [thread.page_id for thread in small_threads[2:22]],
        "archive_ids": [page_id for page_id, _ in archive],
        "guest_cookie": {"name": client.GUEST_COOKIE, "value": cookie},
    }


def _site_target() -> int:
    return int(os.environ.get("BENCH_SITE_COMMENTS", "1000000"))


def _archive_threads() -> int:
    small_site = 1000 + SMALL_THREADS * SMALL_THREAD_COMMENTS
    return max(0, (_site_target() - small_site - 10_000) // ARCHIVE_THREAD_COMMENTS)


def stage_large(info: dict) -> dict:
    """The 10,000-comment thread and the archive, up to BENCH_SITE_COMMENTS site-wide."""
    started = time.perf_counter()
    pool = Pool()
    writer = Writer(pool)
    _fk_checks_off()
    t0 = time.perf_counter()
    rebuild = _indexes_drop(("discussion_comment", "moderation_commentreview"))
    TIMES["drop indexes"] = time.perf_counter() - t0
    article = Page.objects.get(pk=info["article_10k"]["id"])
    thread_10k = _threads_create([(article.pk, article.title)], "nested", 10_000)
    archive_pages = list(
        Page.objects.filter(pk__in=info["archive_ids"]).order_by("pk").values_list("pk", "title")
    )
    # The long thread in the middle of the archive, as a story among others would be.
    half = len(archive_pages) // 2
    first = _threads_create(archive_pages[:half], "nested", ARCHIVE_THREAD_COMMENTS)
    second = _threads_create(archive_pages[half:], "nested", ARCHIVE_THREAD_COMMENTS)
    _comments_for(writer, first, "nested", ARCHIVE_THREAD_COMMENTS)
    _comments_for(writer, thread_10k, "nested", 10_000)
    _comments_for(writer, second, "nested", ARCHIVE_THREAD_COMMENTS)
    writer.flush()
    _fk_checks_on()
    t0 = time.perf_counter()
    _indexes_build(rebuild)
    TIMES["build indexes"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    _after_load()
    TIMES["after load"] = time.perf_counter() - t0
    print("    " + ", ".join(f"{k} {v:.1f} s" for k, v in TIMES.items()), file=sys.stderr)
    info = dict(info)
    info["article_10k"] = _describe(article, thread_10k[0])
    info["site_comments"] = Comment.objects.count()
    info["large_seconds"] = round(time.perf_counter() - started, 1)
    return info


if __name__ == "__main__":
    stage, out = sys.argv[1], sys.argv[2]
    if stage == "small":
        result = stage_small()
    elif stage == "large":
        with open(out) as handle:
            result = stage_large(json.load(handle))
    else:
        raise SystemExit(f"unknown stage {stage!r}: small or large")
    with open(out, "w") as handle:
        json.dump(result, handle, indent=1)
