"""A comment is acknowledged only once its transaction has committed (bad-input.md,
"Durability"): when the reader's form is answered, or the API's 201, any other connection (another
app process, the task worker) already reads the comment. A comment still in an open transaction
when the answer went out would be lost with the process, though the reader was told it was saved.

Run without the test's own wrapping transaction, as the site runs.
"""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from discussion.models import Comment
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _read_elsewhere(body: str) -> bool:
    """Whether a connection of another thread reads a comment saying ``body``."""
    found: list[bool] = []

    def read() -> None:
        try:
            found.append(Comment.objects.filter(body=body).exists())
        finally:
            connection.close()

    reader = threading.Thread(target=read)
    reader.start()
    reader.join(timeout=30)
    return found == [True]


def test_a_comment_the_form_answered_for_is_already_committed():
    article = make_article()

    response = Client().post(
        article.url, {"body": "Posted by the form.", "author_name": "Olena", "idempotency_key": ""}
    )

    assert response.status_code == 302
    assert not connection.in_atomic_block
    assert _read_elsewhere("Posted by the form.")


def test_a_comment_the_api_answered_201_for_is_already_committed():
    article = make_article()
    payload = {"article": article.pk, "body": "Posted by the API.", "author_name": "Olena"}

    response = Client().post(
        "/api/v1/comments", json.dumps(payload), content_type="application/json"
    )

    assert response.status_code == 201
    assert not connection.in_atomic_block
    assert _read_elsewhere("Posted by the API.")
