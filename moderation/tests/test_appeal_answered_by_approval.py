"""A rejected comment whose author has appealed, published again from the Rejected queue: the
approval is the appeal upheld. Before, the appeal stayed open in the Appeals queue, and a
moderator who turned it down there emailed its author "Your appeal was turned down" about a
comment that was published, under a statement saying the same."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.core import mail

from discussion.models import Comment
from moderation.actions import RejectComment, text_token
from moderation.models import Appeal, ModerationAction
from moderation.selectors import monthly_report, queue_counts
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def appealed(client, moderator):
    """A guest's comment, held, rejected by a moderator, and appealed from its statement."""
    article = make_article()
    client.post(
        article.url,
        {"body": "The minister is a moron.", "author_name": "Olena",
         "author_email": "olena@example.com", "idempotency_key": ""},
    )  # fmt: skip
    comment = Comment.objects.get()
    RejectComment(comment=comment, user=moderator, reason_code="abuse").execute()
    client.post(f"/moderation/comments/{comment.pk}/why/", {"text": "It is about policy."})
    assert Appeal.objects.get().status == Appeal.Status.OPEN
    return comment


def _approve_from_the_rejected_queue(moderator, comment, django_capture_on_commit_callbacks):
    from django.test import Client

    staff = Client()
    staff.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        return staff.post(
            f"/admin/moderation/reviews/{comment.review.pk}/act/",
            {
                "action": "approve",
                "seen": text_token(comment.body),
                "next": "/admin/moderation/queue/rejected/",
            },
            follow=True,
        )


@pytest.mark.usefixtures("email_tasks_run_as_queued")
def test_approving_an_appealed_rejection_upholds_the_appeal_and_tells_its_author(
    client, moderator, appealed, django_capture_on_commit_callbacks
):
    mail.outbox.clear()

    response = _approve_from_the_rejected_queue(
        moderator, appealed, django_capture_on_commit_callbacks
    )

    assert Comment.objects.get(pk=appealed.pk).status == Comment.Status.PUBLISHED
    assert Appeal.objects.get().status == Appeal.Status.UPHELD
    assert queue_counts()["appeals"] == 0
    said = [str(m) for m in response.context["messages"]]
    assert said == ["Upheld the appeal by Olena: their comment is published again."]
    [email] = mail.outbox
    assert email.subject == "Your appeal was decided"
    assert "Your appeal was upheld and your comment is published again." in email.body
    statement = BeautifulSoup(
        client.get(f"/moderation/comments/{appealed.pk}/why/").content, "html.parser"
    ).get_text(" ", strip=True)
    assert "Your appeal: Upheld: the comment is restored." in statement


def test_the_transparency_report_counts_it_once_as_a_reversal(moderator, appealed, client):
    from django.test import Client

    staff = Client()
    staff.force_login(moderator)
    staff.post(
        f"/admin/moderation/reviews/{appealed.review.pk}/act/",
        {"action": "approve", "seen": text_token(appealed.body)},
    )

    [month] = monthly_report(months=1)
    assert month["reversals"] == 1
    assert "approve" not in month["actions"]
    assert ModerationAction.objects.filter(kind="appeal_upheld", automated=False).count() == 1


def test_approving_a_rejection_with_no_appeal_is_an_approval_as_before(moderator, client):
    article = make_article()
    client.post(article.url, {"body": "A moron.", "author_name": "Ola", "idempotency_key": ""})
    comment = Comment.objects.get()
    RejectComment(comment=comment, user=moderator, reason_code="abuse").execute()
    from django.test import Client

    staff = Client()
    staff.force_login(moderator)
    staff.post(
        f"/admin/moderation/reviews/{comment.review.pk}/act/",
        {"action": "approve", "seen": text_token(comment.body)},
    )

    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PUBLISHED
    assert ModerationAction.objects.filter(kind="approve").count() == 1
    assert not ModerationAction.objects.filter(kind="appeal_upheld").exists()
