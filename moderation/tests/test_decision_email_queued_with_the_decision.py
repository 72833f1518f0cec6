"""A moderation decision's email is queued in the decision's own transaction: its task's row
commits with the decision, or not at all. It was queued once the decision had committed
(``transaction.on_commit``), so an app process killed in that moment (a deploy, the
out-of-memory killer) left the decision made and its author never told: no statement of
reasons, nothing to appeal from. Run outside a test transaction, as the app runs a request."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.tests.processes import killed_at_commit
from discussion.models import Comment
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from moderation.actions import RejectComment
from moderation.models import ModerationAction
from moderation.tests.test_decision_email_task import TASK_PATH, _work
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class LaterStepFailed(Exception):
    """What the caller did next, in the same transaction, failed."""


@pytest.fixture
def comment() -> Comment:
    """A guest's published comment, with the address they gave."""
    comment = make_comment(thread_ensure(page=make_article()), "Buy now.", name="Olena")
    Comment.objects.filter(pk=comment.pk).update(author_email="olena@example.com")
    comment.refresh_from_db()
    return comment


def test_a_rejection_whose_process_is_killed_as_it_commits_still_emails_its_author(
    moderator, comment
):
    with killed_at_commit():
        RejectComment(comment=comment, user=moderator, reason_code="spam").execute()

    action = ModerationAction.objects.get(kind=ModerationAction.Kind.REJECT, comment=comment)
    task = DBTaskResult.objects.get(task_path=TASK_PATH)
    assert task.task_result.kwargs == {"action_id": action.pk, "user_id": None}
    assert _work(task).status == TaskResultStatus.SUCCESSFUL
    assert [email.to for email in mail.outbox] == [["olena@example.com"]]


def test_a_rejection_rolled_back_leaves_no_email_task(moderator, comment):
    with pytest.raises(LaterStepFailed), transaction.atomic():
        RejectComment(comment=comment, user=moderator, reason_code="spam").execute()
        raise LaterStepFailed

    assert not ModerationAction.objects.filter(kind=ModerationAction.Kind.REJECT).exists()
    assert not DBTaskResult.objects.filter(task_path=TASK_PATH).exists()
