"""What the API answers, as schemas: they are the OpenAPI document as well as the serialisers."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema
from pydantic import ConfigDict

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


class NewComment(Schema):
    """A comment to post. Types are strict (an id is a number, the text is a string); fields not
    named here are ignored."""

    model_config = ConfigDict(strict=True)

    article: int = Field(..., ge=1, le=MAX_ID, description="The article's id.")
    body: str = Field(..., description="The comment, in markdown (raw HTML is shown as text).")
    author_name: str = Field(
        "", description="A guest's display name; a signed-in member always posts as themselves."
    )
    author_email: str = Field(
        "", description="A guest's address, optional: never shown, used to tell them of decisions."
    )
    parent: int | None = Field(None, ge=1, le=MAX_ID, description="The comment replied to.")
    idempotency_key: str = Field(
        "",
        max_length=64,
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

    body: str = Field(..., description="The comment, in markdown (raw HTML is shown as text).")


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
