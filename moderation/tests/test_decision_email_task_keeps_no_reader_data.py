"""A moderation decision's email task is given ids only: the task backend keeps its row, with its
arguments, until it is pruned, and the author's address, their comment's words, the moderator's
note or the statement's key kept there would outlive the account's deletion and the comment's
removal. The task writes the email when it runs, as it was written in the moderator's request;
an account deleted, or a comment removed, by then is emailed nothing, and the log says why.
Real SMTP on loopback (aiosmtpd), the database task backend, its worker in-process."""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.test import Client
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts.services import reader_erase
from discussion.models import Comment
from discussion.own_comments import comment_delete, comments_of_reader_erase
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from moderation.actions import RejectComment, WarnReader
from moderation.models import CommentReview, DecisionEmail, ModerationAction
from moderation.reasons import plain
from moderation.tests.test_decision_email_task import TASK_PATH, _work
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

BODY = "The minister's   plan is a scam, and everyone who votes for it is a fool."
NOTE = "Attack the plan, not the people who vote for it."


@pytest.fixture
def author(django_user_model):
    return django_user_model.objects.create_user("mykola", "mykola@example.com", "pw-long-enough")


@pytest.fixture
def comment(author) -> Comment:
    """A reader's published comment, signed in with their account."""
    article = make_article(title="Budget vote tonight")
    return make_comment(thread_ensure(page=article), BODY, name="Mykola", user_id=author.pk)


def _rejected(comment, moderator, capture) -> DBTaskResult:
    with capture(execute=True):
        RejectComment(comment=comment, user=moderator, reason_code="abuse", note=NOTE).execute()
    return DBTaskResult.objects.get(task_path=TASK_PATH)


def test_the_task_row_holds_no_address_comment_note_or_key(
    moderator, comment, author, django_capture_on_commit_callbacks
):
    task = _rejected(comment, moderator, django_capture_on_commit_callbacks)

    action = ModerationAction.objects.get(kind=ModerationAction.Kind.REJECT)
    assert task.args_kwargs == {
        "args": [],
        "kwargs": {"action_id": action.pk, "user_id": author.pk},
    }
    stored = json.dumps(task.args_kwargs)
    for private in ("mykola@example.com", "minister", NOTE, "key="):
        assert private not in stored


@pytest.mark.parametrize("smtp_server", [[]], indirect=True)
def test_the_email_says_what_it_said_when_the_request_wrote_it(
    moderator, comment, django_capture_on_commit_callbacks, smtp_server, settings
):
    settings.SITE_BASE_URL = "https://news.example"
    task = _rejected(comment, moderator, django_capture_on_commit_callbacks)

    assert _work(task).status == TaskResultStatus.SUCCESSFUL

    [email] = smtp_server.delivered
    assert str(email["To"]) == "mykola@example.com"
    assert str(email["Subject"]) == "Your comment was removed"
    expected = (
        "Your comment on “Budget vote tonight”:\n\n"
        "“The minister's plan is a scam, and everyone who votes for it is a fool.”\n\n"
        f"{plain('abuse')}\n"
        f"The moderator's note: {NOTE}\n\n"
        f"You can appeal within {settings.MODERATION_APPEAL_DAYS:,} days, on the page below.\n\n"
        f"The decision, and how to appeal: "
        f"https://news.example/moderation/comments/{comment.pk}/why/?key="
    )
    body = email.get_content().replace("\r\n", "\n").rstrip("\n")
    assert body.startswith(expected)
    link = re.fullmatch(r"(?s).*https://news\.example(/\S+)", body).group(1)
    # The key in it opens the statement where the author reads the email.
    response = Client().get(link)
    assert response.status_code == 200
    assert "Why your comment was removed" in response.content.decode()


@pytest.mark.parametrize("smtp_server", [[]], indirect=True)
def test_a_warning_is_written_by_the_task_as_before(
    moderator, comment, django_capture_on_commit_callbacks, smtp_server
):
    reader_key = CommentReview.objects.get(comment=comment).reader_key
    with django_capture_on_commit_callbacks(execute=True):
        WarnReader(
            comment=comment, reader_key=reader_key, user=moderator, reason_code="abuse", note=NOTE
        ).execute()

    assert _work(DBTaskResult.objects.get(task_path=TASK_PATH)).status == (
        TaskResultStatus.SUCCESSFUL
    )
    [email] = smtp_server.delivered
    assert str(email["Subject"]) == "A warning from the moderators"
    body = email.get_content().replace("\r\n", "\n")
    assert (
        f"\n\nA moderator warned you about this comment. {plain('abuse')}\n"
        f"The moderator's note: {NOTE}\n\nThe warning, on the site: " in body
    )


@pytest.mark.parametrize("smtp_server", [[]], indirect=True)
def test_an_account_deleted_before_the_task_runs_is_emailed_nothing(
    moderator, comment, author, django_capture_on_commit_callbacks, smtp_server, caplog
):
    task = _rejected(comment, moderator, django_capture_on_commit_callbacks)
    action = ModerationAction.objects.get(kind=ModerationAction.Kind.REJECT)
    comments_of_reader_erase(user_id=author.pk, mode="keep")
    reader_erase(user=author)

    with caplog.at_level(logging.INFO, logger="moderation.author_emails"):
        assert _work(task).status == TaskResultStatus.SUCCESSFUL

    assert smtp_server.delivered == []
    assert not DecisionEmail.objects.exists()
    assert (
        f"Moderation action {action.pk}: no email to its author, the author's account is gone."
        in caplog.text
    )


@pytest.mark.parametrize("smtp_server", [[]], indirect=True)
def test_a_comment_its_author_deleted_before_the_task_runs_is_emailed_nothing(
    moderator, comment, author, django_capture_on_commit_callbacks, smtp_server, caplog
):
    task = _rejected(comment, moderator, django_capture_on_commit_callbacks)
    comment_delete(comment=Comment.objects.get(pk=comment.pk), user_id=author.pk)

    with caplog.at_level(logging.INFO, logger="moderation.author_emails"):
        assert _work(task).status == TaskResultStatus.SUCCESSFUL

    assert smtp_server.delivered == []
    assert "no email to its author, its comment is gone." in caplog.text


@pytest.mark.parametrize(
    "smtp_server", [["550 5.1.1 <mykola@example.com>: Recipient address rejected"]], indirect=True
)
def test_a_refusal_naming_the_address_is_kept_without_it(
    moderator, comment, django_capture_on_commit_callbacks, smtp_server, caplog
):
    task = _rejected(comment, moderator, django_capture_on_commit_callbacks)

    with caplog.at_level(logging.WARNING, logger="core.email_tasks"):
        task = _work(task)

    assert task.status == TaskResultStatus.FAILED
    assert "550" in task.traceback
    assert "Recipient address rejected" in task.traceback
    assert "mykola@example.com" not in task.traceback
    assert "mykola@example.com" not in caplog.text
    assert "<[address]>: Recipient address rejected" in caplog.text
