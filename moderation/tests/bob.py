"""Bob, the guest the ban tests ban: his comments, posted through the article's form in a test
client (his browser, holding his guest cookie), and a moderator's day-long ban of him."""

from __future__ import annotations

from django.db import connection

from moderation.models import CommentReview, ReaderStanding


def post_as_bob(client, article, body: str):
    """Bob's comment on ``article``, as its form sends it; the response."""
    return client.post(article.url, {"body": body, "author_name": "Bob", "idempotency_key": ""})


def ban_bob(admin_client, client, article) -> CommentReview:
    """Bob comments once, then a moderator bans him for a day from the comment's card (reason
    spam, with a note); his comment's review (its ``reader_key`` is his)."""
    assert post_as_bob(client, article, "Bob's first comment on the talks.").status_code == 302
    review = CommentReview.objects.get(comment__author_name="Bob")
    admin_client.post(
        f"/admin/moderation/reviews/{review.pk}/act/",
        {
            "next": "/admin/moderation/queue/approved/",
            "action": "ban_day",
            "reason_code": "spam",
            "note": "Stop the adverts.",
        },
    )
    assert ReaderStanding.objects.get(reader_key=review.reader_key).banned
    return review


def queries_answering(client, url: str, params: dict | None = None) -> int:
    """How many queries the admin page at ``url`` makes to answer ``client`` (200 asserted): a
    page whose cost must not grow with how much it lists is asked this twice."""
    made = []

    def count(execute, sql, params_, many, context):
        made.append(sql)
        return execute(sql, params_, many, context)

    with connection.execute_wrapper(count):
        assert client.get(url, params or {}).status_code == 200
    return len(made)
