"""On PostgreSQL the API's reads are planned once per connection, not on every request."""

from __future__ import annotations

import pytest
from django.db import connection

from api.tests.helpers import article_with_comments

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
    ),
]

URL = "/api/v1/threads/comments"


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_thread_page_asked_for_again_and_again_runs_prepared_statements(client, settings):
    article, _thread = article_with_comments(3)
    threshold = settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"]
    assert threshold, "DATABASE_PREPARE_THRESHOLD is on by default"
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # what earlier tests on this connection prepared

    assert client.get(URL, {"article": article.pk}).status_code == 200
    assert not [s for s in _prepared_statements() if "discussion_comment" in s]
    for _ in range(threshold):
        assert client.get(URL, {"article": article.pk}).status_code == 200

    prepared = " ".join(_prepared_statements())
    # The article check with its thread, the top-level comments and their replies.
    assert "wagtailcore_pageviewrestriction" in prepared
    assert "discussion_thread" in prepared
    assert prepared.count("discussion_comment") >= 2
