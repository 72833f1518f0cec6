"""What the API answers, as schemas: they are the OpenAPI document as well as the serialisers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict

from api.params import MAX_ID


class Error(Schema):
    detail: str


class ApiIndex(Schema):
    """What ``/api/v1/`` itself answers: where the API describes itself."""

    openapi: str = Field(..., description="The OpenAPI document's address.")
    docs: str = Field(..., description="The same description as a page to read and try.")


class Reply(Schema):
    id: int
    parent_id: int
    depth: int
    deleted: bool
    author_name: str | None  # None for a deleted comment, which keeps only its place
    author_is_staff: bool  # written by the newsroom's staff (the page shows STAFF_BADGE_LABEL)
    html: str  # sanitised when the comment was written; empty for a deleted comment
    created_at: datetime
    edited_at: datetime | None
    reaction_count: int
    permalink: str


class TopLevelComment(Schema):
    id: int
    deleted: bool
    author_name: str | None
    author_is_staff: bool
    html: str
    created_at: datetime
    edited_at: datetime | None
    reaction_count: int
    reply_count: int
    permalink: str
    replies: list[Reply]
    more_replies: int  # published replies beyond ``replies``; the thread page loads them


class ThreadComments(Schema):
    article_id: int
    comment_count: int
    # False once the article takes no new comments: its thread closed by an editor, or closed by
    # a rule (moderation's closing by age).
    comments_open: bool
    sort: str
    comments: list[TopLevelComment]
    next_cursor: str | None


class CommentCounts(Schema):
    counts: dict[int, int]


def _whole_number(value: object) -> object:
    """A JSON number with no fraction (``6.0``) as the integer it is. JSON Schema's "integer",
    which the OpenAPI document gives the ids, is any such number, and Python's json writes a
    float id that way; strict pydantic refused it. ``6.5``, ``true`` and ``"6"`` stay refused."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# The bounds sit on the integer, beside the validator, as in api.params: on ``Field`` they reached
# the document as pydantic's own "ge" and "le" where the id may be null (``parent``).
JsonId = Annotated[int, Field(ge=1, le=MAX_ID), BeforeValidator(_whole_number)]

# What the API refuses in a comment's text, as the document's pattern (JSON Schema's regular
# expressions are ECMA-262's; these are written so Python's re reads them the same): a NUL (the
# database cannot hold it), U+FFFD (what undecodable bytes became) and the text-direction
# controls anywhere (discussion.services._body_problem, core.text); and a text of nothing a
# reader can see, "the box is empty": white space, control characters (dropped when a comment
# is drawn) and format characters (drawn as nothing), here those of the Basic Multilingual
# Plane. A schema fuzzer sent body "" as a valid request. Other refusals (too long as a reader
# counts characters, screening, a guest's name) cannot be written as a schema.
_REFUSED = r"\x00\ufffd\u202a-\u202e\u2066-\u2069"
_UNSEEN = (
    r"\s\x01-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e"
    r"\u200b-\u200f\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb"
)
BODY_PATTERN = f"^[{_UNSEEN}]*[^{_UNSEEN}{_REFUSED}][^{_REFUSED}]*$"
_BODY_SHAPE = {"minLength": 1, "pattern": BODY_PATTERN}
_BODY = (
    "The comment, in markdown (raw HTML is shown as text). Not empty: something a reader can "
    "see (not only white space, control or format characters), with no NUL, U+FFFD or "
    "text-direction control."
)


class NewComment(Schema):
    """A comment to post. Types are strict (an id is a number, the text is a string); fields not
    named here are ignored."""

    model_config = ConfigDict(strict=True)

    article: JsonId = Field(..., description="The article's id.")
    body: str = Field(..., description=_BODY, json_schema_extra=_BODY_SHAPE)
    author_name: str = Field(
        "", description="A guest's display name; a signed-in member always posts as themselves."
    )
    author_email: str = Field(
        "",
        description="A guest's address, optional: never shown, used to tell them of decisions.",
        # Empty, or an address: the API refuses anything else (Django's validate_email).
        json_schema_extra={"anyOf": [{"maxLength": 0}, {"format": "email"}]},
    )
    parent: JsonId | None = Field(None, description="The comment replied to.")
    idempotency_key: str = Field(
        "",
        max_length=64,
        # No NUL: the database cannot hold it, and the API refuses it.
        json_schema_extra={"pattern": r"^[^\x00]*$"},
        description="Any string unique to this submit: sending it again (a retry) answers with "
        "the comment it made rather than making another.",
    )
    confirmed: bool = Field(
        False,
        description="Send true to post a comment the site warned about (a refusal with the code "
        "confirm_needed) as it stands.",
    )


class CommentToPreview(Schema):
    """A comment's text to preview. Strict: the text is a string."""

    model_config = ConfigDict(strict=True)

    body: str = Field(..., description=_BODY, json_schema_extra=_BODY_SHAPE)


class PreviewedComment(Schema):
    # The text rendered and sanitised exactly as posting it would store it; nothing is saved.
    html: str


class PostedComment(Schema):
    id: int
    article_id: int
    parent_id: int | None
    # "published", or "pending": held for a moderator, shown to its author alone until then.
    status: str
    author_name: str
    author_is_staff: bool
    html: str
    created_at: datetime
    permalink: str


class Refusal(Schema):
    detail: str
    # Field name (or "__all__") -> sentences saying what to change; the text sent is kept by the
    # client, which sends it again changed.
    errors: dict[str, list[str]]
    # Machine-readable reasons, e.g. "confirm_needed" (send again with confirmed: true) or
    # "posting_too_fast".
    codes: list[str]
    # For a code with a page that says more, that page's address: "banned_reader" -> the ban's
    # statement of reasons, where the reader may appeal it (what the comment form links to).
    links: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Pages that say more, by code: for banned_reader, the ban's statement of reasons "
            "and its appeal (for the reader whose browser or account sent the request)."
        ),
    )
