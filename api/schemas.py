"""What the API answers, as schemas: they are the OpenAPI document as well as the serialisers."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema


class Error(Schema):
    detail: str


class Reply(Schema):
    id: int
    parent_id: int
    depth: int
    deleted: bool
    author_name: str | None  # None for a deleted comment, which keeps only its place
    html: str  # sanitised when the comment was written; empty for a deleted comment
    created_at: datetime
    edited_at: datetime | None
    reaction_count: int
    permalink: str


class TopLevelComment(Schema):
    id: int
    deleted: bool
    author_name: str | None
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
