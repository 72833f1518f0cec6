"""A guest's comment, posted through the article's form, waits for Redis twice: the rate
limits (the form's and screening's together), and, once it is saved, the page cache's tokens
with the live event. It was five: the routing's ``site`` token was read for every request (it is
now trusted for PAGE_CACHE_LOCAL_MAX_STALE_MS, core.pagecache.recent_token), the form's limit
and screening's were counted apart, and the tokens were set apart from the event."""

from __future__ import annotations

import pytest
from django.conf import settings

from core.tests.redis_commands import commands_naming
from discussion.models import Comment
from newsroom.tests.factories import make_article

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not settings.REDIS_URL, reason="with Redis (REDIS_URL) only"),
]


def _post(client, article, body: str):
    return client.post(
        article.url,
        {"body": body, "author_name": "Olena", "idempotency_key": "", "parent": ""},
    )


def test_a_guest_comment_waits_for_redis_twice(client, settings):
    settings.MODERATION_TRUST_FIRST_COMMENTS = 0
    settings.PAGE_CACHE_LOCAL_MAX_STALE_MS = 60_000  # the test's posts come well within it
    article = make_article()
    assert _post(client, article, "The first: rules and scripts are read once.").status_code == 302

    sent = commands_naming(None, lambda: _post(client, article, "The second, as every later one."))

    assert Comment.objects.filter(body__startswith="The second").exists()
    assert sorted(sent) == ["EVALSHA", "EVALSHA"], sent
