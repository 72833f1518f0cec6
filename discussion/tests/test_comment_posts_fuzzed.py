"""Nasty requests to every form that writes a comment or a reaction: the article's comment form
(and its reply form, which posts to the article), the edit page and the Recommend button.

Sent through Django's test client with the CSRF check on and a real token, as a browser sends
them, with the bytes as written (invalid UTF-8, lone surrogates, malformed escapes, bodies of a
megabyte and more, repeated and PHP-style array fields, content types a form never has). Each
answer is a clear 4xx, or the form shown again with the reader's text, or, for input that is
odd but harmless (a repeated field, a foreign charset), the ordinary answer; never a 5xx. When
refused, nothing is saved: no comment, no change to the edited one, no reaction
(/work/shared/design/bad-input.md).

Each nasty request is one test, sent to every form in turn (a subtest each, reported by form when
it fails) from one scene: setting the scene up is what costs, about 0.2 s against a few
milliseconds a request.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from django.test import Client
from django.urls import reverse

from discussion.models import Comment, Reaction
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from discussion.tests.readers import make_reader
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"
MARKER = "Fuzzmarker"  # in each body, to find the reader's text in a form shown again
MAX_ID = 2**63 - 1

# (id, the form's fields as sent on the wire). Each is sent as it stands after the CSRF token.
PAYLOADS = [
    ("nul-in-body", f"body={MARKER}%00after"),
    ("nul-in-name", f"body={MARKER}&author_name=Ira%00"),
    ("nul-in-email", f"body={MARKER}&author_email=ira%00@example.com"),
    ("nul-in-idempotency-key", f"body={MARKER}&idempotency_key=k%00k"),
    ("nul-in-parent", f"body={MARKER}&parent=1%00"),
    ("nul-in-confirm", f"body={MARKER}&confirm=%00"),
    ("lone-surrogate-in-body", f"body={MARKER}%ED%A0%80"),
    ("lone-surrogate-in-name", f"body={MARKER}&author_name=Ira%ED%B0%80"),
    ("lone-surrogate-as-entity", f"body={MARKER}%26%2355296%3B"),
    ("invalid-utf8", f"body={MARKER}%FF%FE%FD"),
    ("overlong-utf8", f"body={MARKER}%C0%AF%E0%80%AF"),
    ("truncated-utf8", f"body={MARKER}%E2%82"),
    ("malformed-escapes", f"body={MARKER}%G0%&author_name=%"),
    ("raw-invalid-utf8-bytes", f"body={MARKER}\udcff\udcfe"),
    ("one-megabyte-body", f"body={MARKER}{'a' * 1_000_000}"),
    ("one-megabyte-name", f"body={MARKER}&author_name={'n' * 1_000_000}"),
    ("huge-parent", f"body={MARKER}&parent={'9' * 40}"),
    ("parent-just-over-max", f"body={MARKER}&parent={MAX_ID + 1}"),
    ("parent-max-no-such", f"body={MARKER}&parent={MAX_ID}"),
    ("negative-parent", f"body={MARKER}&parent=-1"),
    ("zero-parent", f"body={MARKER}&parent=0"),
    ("float-parent", f"body={MARKER}&parent=1e3"),
    ("parent-in-other-digits", f"body={MARKER}&parent=%D9%A1"),
    ("array-body", f"body[]={MARKER}&body[]=two"),
    ("array-parent", f"body={MARKER}&parent[]=1&parent[]=2"),
    ("repeated-body", f"body=one&body={MARKER}"),
    ("repeated-parent", f"body={MARKER}&parent=1&parent=abc"),
    ("long-idempotency-key", f"body={MARKER}&idempotency_key={'k' * 10_000}"),
    ("huge-email", f"body={MARKER}&author_email={'e' * 100_000}@example.com"),
    ("bidi-name", f"body={MARKER}&author_name=Ira%E2%80%AE"),
    ("crlf-name", f"body={MARKER}&author_name=Ira%0D%0ABcc:x@example.com"),
    ("confirm-junk", f"body={MARKER}&confirm=maybe"),
    ("preview-with-nul", f"body={MARKER}%00&preview=1"),
    ("preview-one-megabyte", f"body={MARKER}{'p' * 1_000_000}&preview=1"),
    ("too-many-fields", "&".join(f"f{n}=x" for n in range(1_100)) + f"&body={MARKER}"),
    ("over-the-upload-limit", f"body={MARKER}{'b' * 3_000_000}"),
    ("empty", ""),
]

# (id, Content-Type, body, whether Django reads a form's fields from it) sent with the token in
# the X-CSRFToken header, as a script would.
OTHER_CONTENT_TYPES = [
    ("text-plain", "text/plain", f"body={MARKER}", False),
    ("json", "application/json", f'{{"body": "{MARKER}"}}', False),
    ("xml", "application/xml", f"<body>{MARKER}</body>", False),
    ("multipart-without-boundary", "multipart/form-data", f"body={MARKER}", False),
    ("multipart-empty-boundary", "multipart/form-data; boundary=", f"body={MARKER}", False),
    (
        "multipart-unterminated",
        "multipart/form-data; boundary=xyz",
        f'--xyz\r\nContent-Disposition: form-data; name="body"\r\n\r\n{MARKER}',
        True,
    ),
    (
        "multipart-nul-in-field-name",
        "multipart/form-data; boundary=xyz",
        f'--xyz\r\nContent-Disposition: form-data; name="bo\x00dy"\r\n\r\n{MARKER}\r\n--xyz--\r\n',
        False,
    ),
    # Read as UTF-8, as Django reads a charset Python does not know.
    ("form-unknown-charset", f"{FORM}; charset=no-such-charset", f"body={MARKER}", True),
    # Refused by Django, whose refusal was a 500 (core.form_charset).
    ("form-utf-16-charset", f"{FORM}; charset=utf-16", f"body={MARKER}", False),
    ("form-latin-1-charset", f"{FORM}; charset=latin-1", f"body={MARKER}", False),
]


class Scene:
    """A signed-in reader on an article with a comment of their own and one of someone
    else's, whose browser has the page's CSRF token, as a reader about to post has."""

    def __init__(self) -> None:
        self.article = make_article()
        thread = thread_ensure(page=self.article)
        self.reader = make_reader("Ira")
        self.others = make_comment(thread, "Someone else's comment.", name="Bo")
        self.own = make_comment(thread, "My own comment.", name="Ira", user_id=self.reader.pk)
        self.browser = Client(enforce_csrf_checks=True)
        self.browser.force_login(self.reader)
        # The edit page hands out the CSRF token as the article's form does, and the signed
        # time it was opened that an edit's POST carries.
        edit_page = self.browser.get(self.edit_url).content.decode()
        self.token = self.browser.cookies["csrftoken"].value
        self.opened = edit_page.split('name="opened" value="', 1)[1].split('"', 1)[0]

    @property
    def edit_url(self) -> str:
        return reverse("discussion:comment_edit", args=[self.own.pk])

    def post(self, url: str, raw: str, *, content_type: str = FORM, token: bool = True, **extra):
        data = raw.encode("utf-8", "surrogateescape")
        if token and content_type == FORM:
            data = f"csrfmiddlewaretoken={self.token}&".encode() + data
        elif token:
            extra["HTTP_X_CSRFTOKEN"] = self.token
        return self.browser.generic("POST", url, data, content_type=content_type, **extra)

    def saved(self) -> tuple:
        """What a refused request must leave as it was."""
        self.own.refresh_from_db()
        return (
            list(Comment.objects.order_by("pk").values_list("pk", flat=True)),
            self.own.body,
            self.own.edited_at,
            Reaction.objects.count(),
        )


@pytest.fixture
def scene() -> Scene:
    return Scene()


def _endpoints(scene: Scene) -> dict[str, tuple[str, str, dict]]:
    """Each form that writes: (address, fields sent before the payload, extra headers)."""
    reply_to = f"parent={scene.others.pk}&"
    return {
        "comment": (scene.article.url, "", {}),
        "comment-htmx": (scene.article.url, "", {"HTTP_HX_REQUEST": "true"}),
        "reply-htmx": (scene.article.url, reply_to, {"HTTP_HX_REQUEST": "true"}),
        "edit": (scene.edit_url, f"opened={scene.opened}&", {}),
        "react": (reverse("discussion:comment_react", args=[scene.others.pk]), "", {}),
    }


ENDPOINTS = ["comment", "comment-htmx", "reply-htmx", "edit", "react"]


def _assert_answered_safely(scene: Scene, response, before: tuple, *, sent: str) -> None:
    status = response.status_code
    assert status < 500, (status, response.content[:500])
    if 400 <= status < 500:
        assert scene.saved() == before, "a refused request saved something"
        # A form shown again keeps the text the reader sent in its body field, as Django read
        # it; a body not read as the field (body[]=..., a JSON body) has no text to keep.
        kept = dict(parse_qsl(sent, keep_blank_values=True, errors="replace")).get("body", "")
        content = response.content.decode("utf-8", "replace")
        if status in (400, 422) and 'name="body"' in content and MARKER in kept:
            assert MARKER in content, "the form came back without the reader's text"
    else:
        # Taken: an ordinary answer, and what was saved is text as the database holds it (no
        # NUL, no lone surrogate).
        assert status in (200, 302), status
        for body in Comment.objects.values_list("body", flat=True):
            assert "\x00" not in body
            body.encode("utf-8")


@pytest.mark.parametrize(("case", "raw"), PAYLOADS, ids=[case for case, _ in PAYLOADS])
def test_a_nasty_form_post_is_refused_clearly_or_taken_never_a_server_error(
    scene, subtests, case, raw
):
    for endpoint in ENDPOINTS:
        with subtests.test(endpoint=endpoint):
            url, first, extra = _endpoints(scene)[endpoint]
            before = scene.saved()

            response = scene.post(url, first + raw, **extra)

            _assert_answered_safely(scene, response, before, sent=first + raw)


@pytest.mark.parametrize(
    ("case", "content_type", "raw", "read"),
    OTHER_CONTENT_TYPES,
    ids=[case for case, *_ in OTHER_CONTENT_TYPES],
)
def test_a_post_in_a_content_type_no_form_sends_is_never_a_server_error(
    scene, subtests, case, content_type, raw, read
):
    for endpoint in ENDPOINTS:
        with subtests.test(endpoint=endpoint):
            url, _, extra = _endpoints(scene)[endpoint]
            before = scene.saved()

            response = scene.post(url, raw, content_type=content_type, **extra)

            _assert_answered_safely(scene, response, before, sent="")
            if not read and endpoint != "react":  # a recommendation reads no field
                assert 400 <= response.status_code < 500


@pytest.mark.parametrize("content_type", [FORM, "text/plain"])
def test_a_post_without_the_csrf_token_is_a_403_saving_nothing(scene, subtests, content_type):
    for endpoint in ENDPOINTS:
        with subtests.test(endpoint=endpoint):
            url, first, extra = _endpoints(scene)[endpoint]
            before = scene.saved()

            response = scene.post(
                url, first + f"body={MARKER}", content_type=content_type, token=False, **extra
            )

            assert response.status_code == 403
            assert scene.saved() == before
