"""POST /api/v1/comments: a reader's comment as JSON, made as the comment form makes it, and
every bad request refused with a JSON sentence and nothing saved (shared/design/bad-input.md)."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from core.client import GUEST_EMAIL_COOKIE
from core.ratelimit import seconds_to_next_window, wait_in_words
from discussion.models import Comment
from discussion.tests.readers import make_reader
from newsroom.models import ArticlePage
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

URL = "/api/v1/comments"


@pytest.fixture
def browser() -> Client:
    """A client that, like a browser, must show the CSRF token it was given."""
    client = Client(enforce_csrf_checks=True)
    client.get("/api/v1/openapi.json")  # any page: the token comes with the cookie below
    client.cookies["csrftoken"] = "a" * 32
    return client


def _post(client: Client, payload, *, token: bool = True, **headers):
    body = payload if isinstance(payload, (str, bytes)) else json.dumps(payload)
    extra = {"HTTP_X_CSRFTOKEN": "a" * 32} if token else {}
    return client.post(
        URL, body, content_type=headers.pop("content_type", "application/json"), **extra, **headers
    )


def _comment(article, **fields) -> dict:
    return {
        "article": article.pk,
        "body": "A point worth making.",
        "author_name": "Olena",
        **fields,
    }


def test_a_guests_comment_is_saved_and_answered_with_its_html_and_a_guest_cookie(browser):
    article = make_article()

    response = _post(browser, _comment(article, body="A **bold** claim."))

    assert response.status_code == 201
    data = response.json()
    comment = Comment.objects.get()
    assert data["id"] == comment.pk and data["status"] == "published"
    assert data["html"] == "<p>A <strong>bold</strong> claim.</p>" == comment.html
    assert data["author_name"] == "Olena" and data["permalink"] == f"/c/{comment.pk}/"
    assert "broadsheet_guest" in response.cookies
    listed = browser.get("/api/v1/threads/comments", {"article": article.pk}).json()
    assert [c["id"] for c in listed["comments"]] == [comment.pk]


def test_a_guests_address_is_saved_but_no_cookie_keeps_it_for_a_form(browser):
    # The API's callers draw their own comment box (the embed has none, docs/embed.md): only
    # the site's comment form offers an address again (WCAG 3.3.7), from a cookie it sets.
    article = make_article()

    response = _post(browser, _comment(article, author_email="olena@example.com"))

    assert response.status_code == 201
    assert Comment.objects.get().author_email == "olena@example.com"
    assert "broadsheet_guest" in response.cookies
    assert GUEST_EMAIL_COOKIE not in response.cookies


def test_a_post_without_an_address_leaves_the_one_the_comment_form_keeps(browser):
    article = make_article()
    form = {"body": "By the form.", "author_name": "Olena", "author_email": "olena@example.com"}
    browser.post(article.url, {**form, "csrfmiddlewaretoken": "a" * 32})
    assert browser.cookies[GUEST_EMAIL_COOKIE].value

    response = _post(browser, _comment(article, body="By a script."))

    assert response.status_code == 201
    assert GUEST_EMAIL_COOKIE not in response.cookies  # neither set nor deleted


def test_a_reply_names_its_parent(browser):
    article = make_article()
    parent = _post(browser, _comment(article)).json()

    response = _post(browser, _comment(article, body="I disagree.", parent=parent["id"]))

    assert response.status_code == 201
    assert Comment.objects.get(pk=response.json()["id"]).parent_id == parent["id"]


def test_a_signed_in_member_posts_under_their_own_name(browser):
    article = make_article()
    browser.force_login(make_reader("Mykola"))

    response = _post(browser, _comment(article, author_name="Someone Else"))

    assert response.status_code == 201
    assert response.json()["author_name"] == "Mykola"
    assert Comment.objects.get().author.reader.display_name == "Mykola"


def test_without_the_csrf_token_the_post_is_refused_and_nothing_saved(browser):
    article = make_article()

    response = _post(browser, _comment(article), token=False)

    assert response.status_code == 403
    assert "X-CSRFToken" in response.json()["detail"]
    assert not Comment.objects.exists()


def test_a_cross_site_text_plain_post_is_refused(browser):
    article = make_article()

    response = _post(
        browser,
        json.dumps(_comment(article)),
        token=False,
        content_type="text/plain",
        HTTP_ORIGIN="https://evil.example",
    )

    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_a_body_that_is_not_json_typed_is_refused_with_415(browser):
    article = make_article()

    response = _post(browser, json.dumps(_comment(article)), content_type="text/plain")

    assert response.status_code == 415
    assert not Comment.objects.exists()


BAD_BODIES = {
    "malformed JSON": ('{"article": 1, "body": ', "Cannot parse request body"),
    "deep nesting": ('{"x": ' + "[" * 100_000 + "]" * 100_000 + "}", "Cannot parse request body"),
    "not UTF-8": (b'{"article": 1, "body": "\xff"}', "Cannot parse request body"),
    "article as text": (None, "article: Input should be a valid integer"),
    "body as a number": (None, "body: Input should be a valid string"),
    "no body": (None, "body: Field required"),
    "an id too big": (None, "article: Input should be less than or equal to"),
}


@pytest.mark.parametrize("body,message", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_a_request_of_the_wrong_shape_is_a_400_naming_the_problem(browser, body, message):
    article = make_article()
    if body is None:
        payload = _comment(article)
        if message.startswith("article: Input should be a valid"):
            payload["article"] = str(article.pk)
        elif message.startswith("body: Input"):
            payload["body"] = 5
        elif message.startswith("body: Field"):
            del payload["body"]
        else:
            payload["article"] = 2**63
        body = json.dumps(payload)

    response = _post(browser, body)

    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not Comment.objects.exists()


def test_unknown_fields_are_ignored_never_assigned(browser):
    article = make_article()
    payload = _comment(
        article,
        status="rejected",
        is_featured=True,
        html="<script>alert(1)</script>",
        reaction_count=500,
        author_id=1,
        thread_id=999,
    )

    response = _post(browser, payload)

    assert response.status_code == 201
    comment = Comment.objects.get()
    assert comment.status == "published" and not comment.is_featured
    assert comment.html == "<p>A point worth making.</p>" and comment.reaction_count == 0
    assert comment.author_id is None and comment.thread.page_id == article.pk


@pytest.mark.parametrize(
    "raw,reason",
    [
        ("bad \\ud800 text", "invalid unicode (a lone surrogate)"),
        ("a NUL \\u0000 here", "a NUL character"),
    ],
    ids=["lone surrogate", "NUL"],
)
def test_text_the_database_cannot_hold_is_a_400_with_the_reason(browser, raw, reason):
    article = make_article()
    body = f'{{"article": {article.pk}, "author_name": "Olena", "body": "{raw}"}}'

    response = _post(browser, body)

    assert response.status_code == 400
    assert reason in response.json()["errors"]["body"][0]
    assert not Comment.objects.exists()


def test_an_idempotency_key_with_a_nul_is_a_400_naming_the_key(browser):
    # Stored as it came on SQLite, and a database error (a 500) on PostgreSQL, before.
    article = make_article()

    response = _post(browser, _comment(article, idempotency_key="submit\x00one"))

    assert response.status_code == 400
    assert "NUL" in response.json()["errors"]["idempotency_key"][0]
    assert not Comment.objects.exists()


def test_a_comment_over_the_length_limit_is_refused_never_cut(browser, settings):
    settings.COMMENT_MAX_LENGTH = 10
    article = make_article()

    response = _post(browser, _comment(article, body="x" * 11))

    assert response.status_code == 400
    assert "Please shorten it by 1" in response.json()["detail"]
    assert not Comment.objects.exists()


def test_the_same_submit_twice_makes_one_comment(browser):
    article = make_article()
    payload = _comment(article, idempotency_key="submit-1")

    first = _post(browser, payload).json()
    again = _post(browser, payload).json()

    assert first["id"] == again["id"]
    assert Comment.objects.count() == 1


def test_a_reply_to_a_comment_of_another_thread_is_refused(browser):
    article, other = make_article(), make_article()
    elsewhere = _post(browser, _comment(other)).json()

    response = _post(browser, _comment(article, parent=elsewhere["id"]))

    assert response.status_code == 400
    assert "belongs to another discussion" in response.json()["errors"]["parent"][0]
    assert Comment.objects.count() == 1


def test_an_article_that_is_not_published_is_a_404(browser):
    article = make_article()
    ArticlePage.objects.filter(pk=article.pk).update(live=False)

    response = _post(browser, _comment(article))

    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_a_second_post_to_an_article_does_not_read_the_article_again(browser):
    article = make_article()
    assert _post(browser, _comment(article)).status_code == 201

    with CaptureQueriesContext(connection) as queries:
        response = _post(browser, _comment(article, body="A second point, about the schools."))

    assert response.status_code == 201
    page_tables = (Page._meta.db_table, ArticlePage._meta.db_table)
    page_reads = [
        q["sql"] for q in queries if any(f'FROM "{table}"' in q["sql"] for table in page_tables)
    ]
    assert page_reads == []


def test_an_article_restricted_after_a_post_takes_no_more(browser):
    article = make_article()
    assert _post(browser, _comment(article)).status_code == 201

    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    response = _post(browser, _comment(article, body="After the paywall went up."))

    assert response.status_code == 404
    assert Comment.objects.count() == 1


def test_an_article_unpublished_after_a_post_takes_no_more(browser):
    article = make_article()
    assert _post(browser, _comment(article)).status_code == 201

    article.unpublish()
    response = _post(browser, _comment(article, body="After it was withdrawn."))

    assert response.status_code == 404
    assert Comment.objects.count() == 1


def test_posting_faster_than_the_site_allows_is_a_429(browser, settings):
    settings.COMMENT_RATE_LIMIT = "2/m"
    article = make_article()

    answers = [_post(browser, _comment(article, body=f"Comment {n}.")) for n in range(3)]

    assert [a.status_code for a in answers] == [201, 201, 429]
    assert answers[-1].json()["codes"] == ["posting_too_fast"]
    assert Comment.objects.count() == 2


@pytest.mark.parametrize(
    ("limit", "rate"), [("MODERATION_RATE_PER_READER", "2/m"), ("MODERATION_RATE_PER_IP", "2/h")]
)
def test_over_screenings_own_rate_limits_the_post_is_the_same_429(browser, settings, limit, rate):
    # A reader's limit (their guest cookie) and an address's, as over COMMENT_RATE_LIMIT: a 429
    # with the code, and Retry-After for the limit that was over (a minute's, an hour's window).
    setattr(settings, limit, rate)
    article = make_article()

    answers = [_post(browser, _comment(article, body=f"Comment {n}.")) for n in range(3)]

    assert [a.status_code for a in answers] == [201, 201, 429]
    refusal = answers[-1].json()
    assert refusal["codes"] == ["posting_too_fast"]
    assert refusal == _post(browser, _comment(article, body="Again.")).json()
    assert abs(int(answers[-1]["Retry-After"]) - seconds_to_next_window(rate)) <= 1
    wait = wait_in_words(int(answers[-1]["Retry-After"])).capitalize()
    assert refusal["detail"] == (
        f"You are posting faster than this site allows. {wait}, then send again."
    )
    assert Comment.objects.count() == 2


def test_the_openapi_document_describes_the_post(client):
    spec = client.get("/api/v1/openapi.json").json()

    operation = spec["paths"]["/api/v1/comments"]["post"]
    assert set(operation["responses"]) >= {"201", "400", "403", "429"}


def test_posts_that_cannot_be_read_count_against_the_rate_limit_too(browser, settings):
    settings.COMMENT_RATE_LIMIT = "2/m"
    article = make_article()

    answers = [_post(browser, '{"article": 1, "body": ') for _ in range(2)]
    answers.append(_post(browser, _comment(article)))

    assert [a.status_code for a in answers] == [400, 400, 429]
    assert not Comment.objects.exists()


def test_a_body_over_the_upload_limit_is_a_json_413(browser, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    article = make_article()

    response = _post(browser, _comment(article, body="x" * 2000))

    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "1,000 bytes" in response.json()["detail"]
    assert not Comment.objects.exists()


def test_bodies_over_the_upload_limit_count_against_the_rate_limit(browser, settings):
    settings.COMMENT_RATE_LIMIT = "2/m"
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    article = make_article()

    answers = [_post(browser, _comment(article, body="x" * 2000)) for _ in range(2)]
    answers.append(_post(browser, _comment(article)))

    assert [a.status_code for a in answers] == [413, 413, 429]
    assert not Comment.objects.exists()


def test_a_forged_post_is_refused_before_its_body_is_read(browser):
    response = _post(browser, '{"article": ', token=False, HTTP_ORIGIN="https://evil.example")

    assert response.status_code == 403


def test_a_post_from_another_sites_page_is_refused_for_its_origin_not_its_token(browser):
    article = make_article()

    response = _post(browser, _comment(article), HTTP_ORIGIN="https://evil.example")

    assert response.status_code == 403
    detail = response.json()["detail"]
    assert "Origin" in detail and "X-CSRFToken" not in detail
    assert not Comment.objects.exists()


def _refusal_fields(client: Client) -> set[str]:
    """The fields the OpenAPI document gives a refusal."""
    document = client.get("/api/v1/openapi.json").json()
    return set(document["components"]["schemas"]["Refusal"]["properties"])


@pytest.mark.parametrize(
    "body",
    ['{"article": 1, "body": ', "", "[1, 2]", '{"article": "1", "body": "x"}'],
    ids=["malformed JSON", "empty", "not an object", "a field of the wrong type"],
)
def test_every_bad_request_is_answered_as_the_openapi_documents_refusal(browser, body):
    # Django's test client leaves out the content type of an empty body; a browser does not.
    response = _post(browser, body, CONTENT_TYPE="application/json")

    assert response.status_code == 400
    data = response.json()
    assert set(data) == _refusal_fields(browser) == {"detail", "errors", "codes", "links"}
    assert data["codes"] == ["bad_request"]
    assert "payload" not in data["detail"] and "payload" not in str(data["errors"])


def test_a_field_of_the_wrong_shape_is_named_in_errors(browser):
    article = make_article()

    response = _post(browser, {**_comment(article), "article": str(article.pk), "parent": "x"})

    assert set(response.json()["errors"]) == {"article", "parent"}


def test_an_unreadable_post_over_the_rate_limit_is_the_same_429_as_any_other(browser, settings):
    settings.COMMENT_RATE_LIMIT = "1/m"
    article = make_article()
    _post(browser, _comment(article))

    unreadable = _post(browser, '{"article": 1, "body": ')
    readable = _post(browser, _comment(article, body="Again."))

    assert unreadable.status_code == readable.status_code == 429
    assert unreadable.json() == readable.json()
    assert unreadable.json()["codes"] == ["posting_too_fast"]


@pytest.mark.parametrize("body", ["valid", '{"article": 1, "body": '], ids=["valid", "unreadable"])
def test_a_429_says_when_to_try_again(browser, settings, body):
    settings.COMMENT_RATE_LIMIT = "1/m"
    article = make_article()
    _post(browser, _comment(article))

    response = _post(browser, _comment(article, body="Again.") if body == "valid" else body)

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
