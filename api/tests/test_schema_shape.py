"""What the thread endpoint sends is exactly what its OpenAPI schema says, field for field.

The handler renders its answer itself rather than have django-ninja validate it again (see
api.views._answer), so nothing but these tests keeps the two together: an answer read back
through the schema and rendered again must come out byte for byte the same, and an answer
missing a field, or carrying one the schema does not list, would not.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from api.schemas import ThreadComments
from api.tests.helpers import article_with_comments
from api.views import api
from discussion.models import Comment
from discussion.tests.factories import make_comment
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

URL = "/api/v1/threads/comments"
# Whole milliseconds: the JSON carries times to the millisecond, so these read back unchanged.
WRITTEN = datetime(2025, 3, 4, 5, 6, 7, 891000, tzinfo=UTC)
EDITED = datetime(2025, 3, 4, 6, 0, 0, tzinfo=UTC)


def _through_the_schema(content: bytes) -> bytes:
    """The answer parsed by the documented schema and rendered as django-ninja renders it."""
    parsed = ThreadComments.model_validate_json(content)
    return api.renderer.render(None, parsed.model_dump(), response_status=200)


@pytest.fixture
def busy_article(settings):
    """Comments with every kind of field value: replies shown and held back, an edit, a
    deleted reply, reactions."""
    settings.REPLIES_SHOWN = 2
    article, thread = article_with_comments(4)
    first, *_, last = Comment.objects.filter(thread=thread, depth=0).order_by("id")
    reply = make_comment(thread, "A reply.", parent=first)
    make_comment(thread, "A reply to the reply.", parent=reply)
    make_comment(thread, "A late reply.", parent=first)
    make_comment(thread, "A reply to the newest.", parent=last)
    Comment.objects.filter(thread=thread).update(created_at=WRITTEN, reaction_count=2)
    Comment.objects.filter(pk=first.pk).update(edited_at=EDITED)
    Comment.objects.filter(pk=reply.pk).update(status=Comment.Status.DELETED)
    return article


@pytest.mark.parametrize("sort", ["oldest", "newest", "reactions", "replies"])
def test_a_page_with_replies_reads_back_through_the_schema_unchanged(client, busy_article, sort):
    response = client.get(URL, {"article": busy_article.pk, "sort": sort, "limit": 3})

    data = response.json()
    assert data["next_cursor"] and any(comment["replies"] for comment in data["comments"])
    assert response.content == _through_the_schema(response.content)


def test_an_article_without_comments_reads_back_through_the_schema_unchanged(client):
    response = client.get(URL, {"article": make_article().pk})

    assert response.json()["comments"] == []
    assert response.content == _through_the_schema(response.content)


def test_the_answer_is_json_with_the_schemas_content_type(client, busy_article):
    response = client.get(URL, {"article": busy_article.pk})

    assert response["Content-Type"] == "application/json; charset=utf-8"
