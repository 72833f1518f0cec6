"""The JSON API under /api/v1/: a thread's comments a page at a time, comment counts, and a
reader's comment posted as JSON.

Thin handlers: parameters are checked (api.params), the article is found (api.selectors), and the
page of comments comes from the same selector the article page uses, so the API never grows a
second read path. The one write, the comment's POST, goes through the comment form's own glue
(discussion.posting) and needs this site's CSRF token; the reads need none.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Literal

import orjson
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from ninja import NinjaAPI, Query, Status
from ninja.errors import HttpError, ValidationError
from ninja.openapi.docs import Swagger

from api import params, selectors
from api.renderers import ORJSONRenderer
from api.schemas import (
    ApiIndex,
    CommentCounts,
    CommentToPreview,
    Error,
    NewComment,
    PostedComment,
    PreviewedComment,
    Refusal,
    ThreadComments,
)
from core import pagecache, ratelimit
from core.methods import takes_only
from discussion import closing, posting, services
from discussion import selectors as discussion_selectors
from discussion.errors import CommentRefused
from discussion.models import Comment
from discussion.selectors import CommentRow

DEFAULT_LIMIT = 20
# Their {Wait} said from the answer's Retry-After (core.ratelimit.say_wait).
_TOO_FAST = "You are posting faster than this site allows. {Wait}, then send again."
_PREVIEWING_TOO_FAST = (
    "You are asking for previews faster than this site allows. {Wait}, then send again."
)
_FROM_THIS_SITE = "from this site"  # what _from_this_site answers, kept on the request
MAX_LIMIT = 100
URL_MAX_LENGTH = 2048
_SAMPLE_ID = 918273645  # digits no URL prefix is likely to contain


class _Docs(Swagger):
    """Swagger UI whose "Try it out" sends the page's CSRF token with every request.

    django-ninja adds the token only when the API's own ``auth`` asks for CSRF; here one
    operation's does (the comment POST's ``_from_this_site``), so without this the docs page's
    POST was always refused with a 403. The page is never kept by the page cache, so each reader
    gets their own token.

    Its style sheet draws Swagger UI's icons from data: URLs, so its Content-Security-Policy
    lets images come from those too; the rest of the site's policy (core.csp) holds here
    unchanged, its scripts and styles all files from /static/.
    """

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {
            "swagger_settings": orjson.dumps(self.settings).decode(),
            "api": api,
            "add_csrf": True,
        }
        response = render(request, self.template, context)
        response["Content-Security-Policy"] = "img-src 'self' data:"
        return response


api = NinjaAPI(
    title="Broadsheet read API",
    version="1",
    description=(
        "Published comments and comment counts of live articles, which any site may read from "
        "its readers' browsers (CORS), and posting a comment as the reader making the request "
        "(this site's own pages and apps: a CSRF token is required)."
    ),
    urls_namespace="api",
    # The interactive docs page: Swagger UI from this site's static files ("ninja" is installed
    # for them), so it works where the CDN cannot be reached and tells no CDN who reads it.
    docs_url="/docs",
    docs=_Docs(),
    # The description and its page are reads: another method is a 405, not a CSRF refusal.
    docs_decorator=takes_only("GET", "HEAD"),
    renderer=ORJSONRenderer(),
)


@api.exception_handler(ValidationError)
def _bad_parameters(request: HttpRequest, exc: ValidationError):
    # django-ninja answers 422 by default; a malformed query string or comment is a plain 400
    # here, with one sentence per problem and never the offending value echoed back.
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field_of(error.get("loc") or ()), []).append(error["msg"])
    if list(errors) == [_WHOLE]:
        # The body is not an object, or there is none: no field to name.
        return _refused(request, 400, _what_to_send(request))
    problems = "; ".join(
        f"{field}: {message}" for field, messages in errors.items() for message in messages
    )
    return _refused(request, 400, problems or "Bad parameters.", errors=errors)


_WHOLE = "__all__"  # a refusal's key for what is wrong with the request as a whole
_NOT_A_COMMENT = (
    'Send the comment as one JSON object, in UTF-8: {"article": <id>, "body": <text>, ...}.'
)
_NOT_A_PREVIEW = 'Send the text to preview as one JSON object, in UTF-8: {"body": <text>}.'


def _what_to_send(request: HttpRequest) -> str:
    """The sentence for a body that is not the JSON object its endpoint takes."""
    return _NOT_A_PREVIEW if request.path.endswith("/comments/preview") else _NOT_A_COMMENT


def _field_of(loc: tuple) -> str:
    """The parameter or field a pydantic error is about: ("query", "limit") names ``limit``;
    ("body", "payload", "article") the comment's ``article``, and ("body", "payload") the body
    as a whole (``payload`` is the handler's name for it, which no client knows)."""
    if loc[:1] == ("body",):
        return str(loc[2]) if len(loc) > 2 else _WHOLE
    return str(loc[-1]) if loc else _WHOLE


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError):
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        # django-ninja's own refusal of a body that is not JSON (malformed, not UTF-8, nested
        # deeper than the parser goes).
        return _refused(request, 400, f"Cannot parse request body. {_what_to_send(request)}")
    return _refused(request, exc.status_code, str(exc))


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig):
    # Django refuses to read a body over DATA_UPLOAD_MAX_MEMORY_SIZE; left to Django, the
    # refusal was the site's HTML 400 page.
    return _refused(
        request,
        413,
        f"The request's body is over the {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes this "
        f"site reads; a comment is at most {settings.COMMENT_MAX_LENGTH:,} characters.",
    )


def _refused(
    request: HttpRequest, status: int, detail: str, *, errors: dict[str, list[str]] | None = None
) -> HttpResponse:
    """A refusal as JSON: ``{"detail"}`` (``schemas.Error``), or for a comment's POST that passed
    the CSRF check (``_from_this_site``) and could not be read, the refusal the OpenAPI document
    declares for its 400 (``schemas.Refusal``, with the code ``bad_request`` and ``errors`` by
    field where a field is to blame).

    Such a post (malformed, of the wrong shape, or too big to read) is still a post: it counts
    against the address's rate limit, as the comment form counts a form it cannot read, so a
    stream of bad posts is throttled too, with the same 429 as any other post."""
    if getattr(request, "auth", None) is not _FROM_THIS_SITE or status not in (400, 413):
        return api.create_response(request, {"detail": detail}, status=status)
    if ratelimit.count_each([posting.rate_limit(request)])[0]:
        return _too_fast(request, api.create_temporal_response(request))
    if status == 413:
        return api.create_response(request, {"detail": detail}, status=status)
    refusal = _refusal(detail, "bad_request", errors=errors)
    return api.create_response(request, refusal, status=400)


def _refusal(detail: str, code: str, *, errors: dict[str, list[str]] | None = None) -> dict:
    """A ``Refusal`` built here rather than from a ``CommentRefused``: one code, and the detail
    as the request's whole error unless fields are named."""
    return {"detail": detail, "errors": errors or {_WHOLE: [detail]}, "codes": [code], "links": {}}


def _too_fast(
    request: HttpRequest, response: HttpResponse, *, retry_after: int | None = None
) -> HttpResponse:
    """The comment POST's one 429, whichever rate limit refused it (the address's
    ``COMMENT_RATE_LIMIT``, or screening's per reader and per address): a ``Refusal`` with the
    code ``posting_too_fast``, and in ``Retry-After`` the seconds until the limits it was over
    count afresh (``retry_after``; without it, the address's limit, the one counted for a post
    that could not be read)."""
    if retry_after is None:
        retry_after = ratelimit.seconds_to_next_window(posting.rate_limit(request)[2])
    response.status_code = 429
    response["Retry-After"] = str(retry_after)
    said = ratelimit.say_wait(_TOO_FAST, retry_after)
    refusal = _refusal(said, "posting_too_fast")
    return api.create_response(request, refusal, temporal_response=response)


# Codes whose refusal has a page saying more, by that page's URL name: a banned reader's, the
# ban's statement of reasons and its appeal (the comment form links to it too). A URL name the
# site does not serve (its moderation app left out) gives no link.
_CODE_PAGES = {"banned_reader": "moderation:ban"}


def _refusal_links(request: HttpRequest, codes) -> dict[str, str]:
    """The ``links`` of a comment's refusal: for each of its codes with a page, that page's
    address."""
    links = {}
    for code in codes:
        if code in _CODE_PAGES:
            try:
                links[code] = request.build_absolute_uri(reverse(_CODE_PAGES[code]))
            except NoReverseMatch:
                continue
    return links


def _tokens(request: HttpRequest, names: list[str]) -> dict[str, str] | None:
    """The page cache's version tokens, for an anonymous GET the cache may keep; else None."""
    return pagecache.tokens(names) if pagecache.is_candidate(request) else None


def _keep_for(response: HttpResponse, *deps: dict[str, str] | None) -> None:
    """Let the page cache keep this answer while these tokens hold (core.pagecache)."""
    if all(part is not None for part in deps):
        pagecache.mark(response, {name: value for part in deps for name, value in part.items()})


def _permalink_maker() -> Callable[[int], str]:
    """``/c/<id>/`` for any id, reversing the URL once per script prefix and URL conf rather than
    once per comment (reverse() was a tenth of a page's time) or per request (a twentieth)."""
    head, tail = _permalink_parts(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return lambda comment_id: f"{head}{comment_id}{tail}"


@functools.lru_cache(maxsize=16)
def _permalink_parts(script_prefix: str, urlconf: str) -> tuple[str, str]:
    # reverse() reads the request's script prefix itself: the one in the key.
    sample = reverse("comment_permalink", kwargs={"comment_id": _SAMPLE_ID}, urlconf=urlconf)
    head, _, tail = sample.rpartition(str(_SAMPLE_ID))
    return head, tail


# A time as django-ninja's JSON encoder writes it (it is Django's encoder for datetimes), made
# here: the encoder would otherwise call back into Python, through its other type checks first,
# for each of a page's times.
_django_when = DjangoJSONEncoder().default


def _when(value: datetime) -> str:
    """``value`` as Django's encoder writes it (ISO 8601, milliseconds, "Z" for UTC).

    The rows come from the database in UTC (``datetime.timezone.utc``, from PostgreSQL and
    SQLite alike): orjson writes those in C, with microseconds, and they are cut to milliseconds
    here (2.9 -> 1.0 microseconds a time, a twentieth of an uncached page's CPU). Any other time
    goes through Django's encoder itself.
    """
    if value.tzinfo is not UTC:
        return _django_when(value)
    text = orjson.dumps(value, option=orjson.OPT_UTC_Z)  # b'"2025-01-06T08:01:51.123456Z"'
    return (text[1:24] + b"Z" if value.microsecond else text[1:-1]).decode()


def _reply_fields(reply: CommentRow, permalink: Callable[[int], str]) -> dict:
    """A reply as ``schemas.Reply`` has it, field for field and in its order."""
    # Read without a viewer, a comment that is not published is a shell kept for its replies
    # (deleted by its author, or held or rejected by a moderator): only its place is given.
    deleted = reply.status != Comment.Status.PUBLISHED
    return {
        "id": reply.pk,
        "parent_id": reply.parent_id,
        "depth": reply.depth,
        "deleted": deleted,
        "author_name": None if deleted else reply.author_name,
        "author_is_staff": not deleted and reply.author_is_staff,
        "html": "" if deleted else reply.html,
        "created_at": _when(reply.created_at),
        "edited_at": None if deleted or reply.edited_at is None else _when(reply.edited_at),
        "reaction_count": reply.reaction_count,
        "permalink": permalink(reply.pk),
    }


def _top_level_fields(comment: CommentRow, permalink: Callable[[int], str]) -> dict:
    """A top-level comment as ``schemas.TopLevelComment`` has it, field for field and in order."""
    deleted = comment.status != Comment.Status.PUBLISHED  # a shell (see _reply_fields)
    return {
        "id": comment.pk,
        "deleted": deleted,
        "author_name": None if deleted else comment.author_name,
        "author_is_staff": not deleted and comment.author_is_staff,
        "html": "" if deleted else comment.html,
        "created_at": _when(comment.created_at),
        "edited_at": None if deleted or comment.edited_at is None else _when(comment.edited_at),
        "reaction_count": comment.reaction_count,
        "reply_count": comment.reply_count,
        "permalink": permalink(comment.pk),
        "replies": [_reply_fields(reply, permalink) for reply in comment.shown_replies],
        "more_replies": comment.more_replies,
    }


def _answer(request: HttpRequest, response: HttpResponse, payload: dict) -> HttpResponse:
    """``payload`` rendered as django-ninja renders an answer, without validating it again.

    The handler builds the page from typed model fields in exactly the schema's shape, and
    re-validating every comment through pydantic (ninja's default for a returned dict) was a
    tenth of the request; api/tests/test_schema_shape.py checks answers against the schema.
    The headers set on ``response`` (the page cache's) are kept.
    """
    return api.create_response(request, payload, temporal_response=response)


@api.get(
    "/",
    response={200: ApiIndex},
    summary="Where this API describes itself",
    description="The API's own address answers with the addresses of its descriptions.",
)
def api_index(request: HttpRequest):
    # An address of its own, so that every method but GET (and HEAD) is a 405 with Allow here
    # too; with no view of its own, Wagtail's page view took it, and its CSRF check refused a
    # POST with a 403 asking for a token.
    return {
        "openapi": reverse("api:openapi-json"),
        "docs": reverse("api:openapi-view"),
    }


@api.get(
    "/threads/comments",
    # 304: the page cache's answer to a poll whose If-None-Match is the page's ETag, unchanged.
    response={200: ThreadComments, 304: None, 400: Error, 404: Error},
    summary="A page of a thread's top-level comments, each with its first replies",
)
def thread_comments(
    request: HttpRequest,
    article: params.PlainId | None = Query(
        None, description="The article's id, in plain digits (no sign or leading zero)."
    ),
    url: str | None = Query(
        None, max_length=URL_MAX_LENGTH, description="Or the article's address, or its path."
    ),
    sort: Literal["oldest", "newest", "reactions", "replies"] = Query(
        "oldest",
        description="oldest or newest first, or most reactions or most replies first (ties: "
        "newest first). Each sort has its own cursors.",
    ),
    # min_length and the pattern: the OpenAPI document must not offer an empty cursor (or ids),
    # or one like cursor=0, as a valid value, which the API refuses; a generated client or a
    # schema fuzzer sent them (schemathesis).
    cursor: params.Cursor | None = Query(
        None,
        min_length=1,
        description="Opaque: the next_cursor of the previous page, sent unchanged with the same "
        "sort. Only cursors this API handed out are taken.",
    ),
    limit: params.PlainCount = Query(
        DEFAULT_LIMIT,
        description=f"Top-level comments per page, in plain digits; above {MAX_LIMIT} reads as "
        f"{MAX_LIMIT}.",
    ),
    response: HttpResponse = None,
):
    params.refuse_repeats(request, ("article", "url", "sort", "cursor", "limit"))
    params.refuse_nul("url", url)
    if url == "":
        raise HttpError(400, "url is empty: give exactly one of article (an id) or url.")
    if (article is None) == (url is None):
        raise HttpError(400, "Give exactly one of article (an id) or url.")
    after = params.cursor_decode(cursor=cursor, sort=sort) if cursor is not None else None
    limit = min(limit, MAX_LIMIT)
    # An anonymous GET may be kept by the page cache: each version token is read before the
    # rows it guards ("site" before the article, the page's before its thread).
    page_args = {
        "sort": sort,
        "after": after,
        "limit": limit,
        "replies_shown": settings.REPLIES_SHOWN,
        "plain": True,
    }
    if article is not None:
        # The page's id is known, so both tokens come first and one query reads the article,
        # its thread and the page of comments: looking the article up first was a round trip
        # more, 0.12 ms of the app's CPU a request.
        deps = [_tokens(request, ["site", pagecache.page_token(article)])]
    else:
        # By address: the article's id first (its page's token must be read before its rows),
        # then the same one query as by id.
        deps = [_tokens(request, ["site"])]
        article = selectors.article_live_id_for_url(url=url)
        if article is None:
            raise HttpError(404, "No published article matches.")
        deps.append(_tokens(request, [pagecache.page_token(article)]))
    page = discussion_selectors.thread_page(
        thread=selectors.article_live_thread(article_id=article), **page_args
    )
    if page.found is None:
        raise HttpError(404, "No published article matches.")
    if after is not None and not page.cursor_found:
        # Checked in the page's own query: a cursor must name a top-level comment of this
        # thread. Read as no cursor, one whose comment was deleted since would give a client
        # the first page again, and a client paging on would loop for good.
        raise HttpError(
            400,
            "cursor names no comment of this thread (not one this API gave out for it, or its "
            "comment was deleted since); start again without a cursor.",
        )
    _keep_for(response, *deps)
    (article_id,), thread = page.found, page.thread
    # Closed by an editor (the thread's own flag), or by a rule such as moderation's closing by
    # age; the article's page is read only when such a rule asks about it.
    comments_open = (
        closing.closed_notice(thread, selectors.article_page_lazily(article_id=article_id)) is None
    )
    if thread is None:  # nobody has commented yet
        return _answer(
            request,
            response,
            {
                "article_id": article_id,
                "comment_count": 0,
                "comments_open": comments_open,
                "sort": sort,
                "comments": [],
                "next_cursor": None,
            },
        )
    permalink = _permalink_maker()
    next_cursor = page.next_cursor and params.cursor_encode(sort=sort, after=page.next_cursor)
    return _answer(
        request,
        response,
        {
            "article_id": article_id,
            "comment_count": thread.comment_count,
            "comments_open": comments_open,
            "sort": sort,
            "comments": [_top_level_fields(comment, permalink) for comment in page.comments],
            "next_cursor": next_cursor,
        },
    )


@api.get(
    "/articles/comment-counts",
    response={200: CommentCounts, 304: None, 400: Error},
    summary=f"Published comment counts for up to {params.MAX_COUNT_IDS} articles",
)
def article_comment_counts(
    request: HttpRequest,
    ids: params.ArticleIds = Query(
        ...,
        min_length=1,
        description=f"Up to {params.MAX_COUNT_IDS} article ids in plain digits (no sign or "
        "leading zero), separated by commas, e.g. 1,2,3.",
    ),
    response: HttpResponse = None,
):
    deps = _tokens(request, ["site"])
    params.refuse_repeats(request, ("ids",))
    article_ids = selectors.article_live_ids(article_ids=params.article_ids_parse(ids))
    _keep_for(response, deps, _tokens(request, [pagecache.page_token(i) for i in article_ids]))
    counts = discussion_selectors.comment_counts_for_pages(article_ids)
    # Live articles nobody has commented on count 0; unknown and unpublished ids are left out,
    # so the answer cannot tell an embargoed story from one that does not exist.
    return {"counts": {article_id: counts.get(article_id, 0) for article_id in article_ids}}


class _CsrfCheck(CsrfViewMiddleware):
    """Django's CSRF check, as django-ninja's ``check_csrf`` runs it, but answering with the
    reason for a refusal (Django's ``REASON_*`` sentence) rather than a response, so the
    refusal can say what to fix: a page of another site (its Origin or Referer) cannot be
    helped by sending a token."""

    def _reject(self, request: HttpRequest, reason: str) -> str:
        return reason


def _csrf_refusal(request: HttpRequest) -> str | None:
    """Why the CSRF check refuses ``request``, or None when it passes."""
    check = _CsrfCheck(lambda request: None)
    request.csrf_processing_done = False
    check.process_request(request)
    return check.process_view(request, _a_view, (), {})


def _a_view() -> None:
    """What the CSRF check is asked about: a view that is not exempt from it."""


def _from_this_site(request: HttpRequest) -> str:
    """Before the body is read (django-ninja runs this first, as it would an authentication):
    the request must pass the CSRF check, so another site's page cannot post as the reader,
    and say it is JSON. Refused with a JSON sentence otherwise."""
    reason = _csrf_refusal(request)
    if reason is not None:
        if reason.startswith("Origin checking failed"):
            detail = (
                "Refused: the request's Origin is not this site; comments are posted only "
                "from this site's own pages and apps."
            )
        elif reason.startswith("Referer checking failed"):
            detail = (
                "Refused: over HTTPS, a request with no Origin must carry a Referer of this "
                "site; comments are posted only from this site's own pages and apps."
            )
        else:
            detail = (
                "Refused: send the CSRF token (the csrftoken cookie's value) in an X-CSRFToken "
                "header."
            )
        raise HttpError(403, detail)
    if request.content_type != "application/json":
        raise HttpError(415, "Send the comment as JSON, with Content-Type: application/json.")
    return _FROM_THIS_SITE


@api.post(
    "/comments",
    auth=_from_this_site,
    response={
        201: PostedComment,
        400: Refusal,
        403: Error,
        404: Error,
        413: Error,
        415: Error,
        429: Refusal,
        # While Redis, which counts the rate limits, does not answer (core.middleware).
        503: Error,
    },
    summary="Post a comment or a reply, as the reader making the request",
    description=(
        "Made as the comment form makes it: a signed-in member posts under their own name, a "
        "guest (where the article takes guests' comments) under author_name, with a signed "
        "cookie in the answer that recognises them next time. The site's screening applies: "
        "a comment may be published at once or held for a moderator (status pending, shown "
        "to its author alone). A state-changing request from a browser, so it needs the CSRF "
        "token: the csrftoken cookie's value in an X-CSRFToken header. Refusals say what to "
        "change, field by field; nothing is saved. A 429 (posting too fast; a post that cannot be "
        "read counts too) carries Retry-After, in seconds, and so does a 503: the site cannot "
        "count posts for a moment (its shared cache does not answer), and nothing was saved."
    ),
)
def comment_post(request: HttpRequest, payload: NewComment, response: HttpResponse = None):
    page = selectors.article_live_page(article_id=payload.article)
    if page is None:
        raise HttpError(404, "No published article matches.")
    try:
        posted = posting.comment_post_for(
            request,
            page=page,
            body=payload.body,
            author_name=payload.author_name,
            author_email=payload.author_email,
            parent_id=payload.parent,
            idempotency_key=payload.idempotency_key,
            confirmed=payload.confirmed,
        )
    except CommentRefused as refusal:
        if "posting_too_fast" in refusal.codes:
            return _too_fast(request, response, retry_after=refusal.retry_after)
        errors = refusal.message_dict
        detail = " ".join(message for messages in errors.values() for message in messages)
        return Status(
            400,
            {
                "detail": detail,
                "errors": errors,
                "codes": list(refusal.codes),
                "links": _refusal_links(request, refusal.codes),
            },
        )
    posting.remember_poster(request, response, posted)
    comment = posted.comment
    return Status(
        201,
        {
            "id": comment.pk,
            "article_id": page.pk,
            "parent_id": comment.parent_id,
            "status": comment.status,
            "author_name": comment.author_name,
            "author_is_staff": comment.author_is_staff,
            "html": comment.html,
            "created_at": comment.created_at,
            "permalink": _permalink_maker()(comment.pk),
        },
    )


@api.post(
    "/comments/preview",
    auth=_from_this_site,
    response={
        200: PreviewedComment,
        400: Refusal,
        403: Error,
        413: Error,
        415: Error,
        429: Refusal,
        503: Error,
    },
    summary="Preview a comment: its text as posting it would store it, saving nothing",
    description=(
        "What the comment form's Preview button shows: the text checked as a post's is (empty, "
        "too long, text that cannot be stored) and rendered and sanitised as it would be "
        "stored. Not screened, so it says nothing of the site's moderation rules; the post "
        "itself is. Needs the CSRF token as posting does. Previews have their own rate limit "
        "per address (COMMENT_PREVIEW_RATE); a 429 carries Retry-After, in seconds, as does a 503 "
        "while the site cannot count previews (its shared cache does not answer)."
    ),
)
def comment_preview(request: HttpRequest, payload: CommentToPreview, response: HttpResponse = None):
    if posting.preview_over_limit(request):
        wait = posting.preview_wait()
        response.status_code = 429
        response["Retry-After"] = str(wait)
        said = ratelimit.say_wait(_PREVIEWING_TOO_FAST, wait)
        refusal = _refusal(said, "previewing_too_fast")
        return api.create_response(request, refusal, temporal_response=response)
    try:
        html = services.comment_preview(body=payload.body)
    except CommentRefused as refusal:
        errors = refusal.message_dict
        detail = " ".join(message for messages in errors.values() for message in messages)
        return Status(400, {"detail": detail, "errors": errors, "codes": list(refusal.codes)})
    return {"html": html}
