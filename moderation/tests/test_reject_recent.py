"""A moderator's "Reject their last 7 days" rejects each of the reader's comments in turn. One
that is no longer there to reject when its turn comes (its author deleted it, another moderator
rejected it meanwhile) is passed over, the rest are still rejected, and the moderator is told how
many were rejected and how many were gone already."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.mail.backends.base import BaseEmailBackend

from discussion.models import Comment
from discussion.own_comments import comment_delete
from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation.actions import RejectComment
from moderation.models import CommentReview

# Each rejection commits, and mails, in turn; the data migrations made stays for the next tests.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("email_tasks_run_as_queued"),
]


class ReaderActsOnTheFirstMail(BaseEmailBackend):
    """The mail server, on loopback in spirit: as the first rejection email reaches the reader,
    they delete two more of their comments, and another moderator rejects a third, while the
    moderator's "Reject their last 7 days" is still going through the rest."""

    sent: list = []
    on_first_mail = None

    def send_messages(self, messages):
        type(self).sent.extend(messages)
        act, type(self).on_first_mail = type(self).on_first_mail, None
        if act is not None:
            act()
        return len(messages)


@pytest.fixture
def mail_server(settings):
    settings.EMAIL_BACKEND = f"{__name__}.ReaderActsOnTheFirstMail"
    ReaderActsOnTheFirstMail.sent = []
    yield ReaderActsOnTheFirstMail
    ReaderActsOnTheFirstMail.on_first_mail = None


def test_comments_deleted_or_rejected_while_it_runs_are_passed_over_and_the_rest_rejected(
    client, django_user_model, mail_server, settings
):
    settings.MODERATION_RATE_PER_READER = "100/m"
    settings.MODERATION_TRUST_FIRST_COMMENTS = 0
    reader = django_user_model.objects.create_user("taras", "taras@example.com", "pw-long-enough")
    thread = make_thread()
    first, with_reply, without_reply, other_moderators, last = [
        comment_create(
            thread=thread, body=f"Cheap pills, offer {n}.", author_name="Taras", user_id=reader.pk
        )
        for n in range(5)
    ]
    comment_create(thread=thread, body="Reported it.", author_name="Ola", parent_id=with_reply.pk)
    colleague = django_user_model.objects.create_user("mod", "mod@example.com", "pw-long-enough")
    colleague.user_permissions.add(Permission.objects.get(codename="moderate_comments"))
    colleague = django_user_model.objects.get(pk=colleague.pk)

    def meanwhile() -> None:
        for comment in (with_reply, without_reply):
            comment_delete(comment=Comment.objects.get(pk=comment.pk), user_id=reader.pk)
        RejectComment(
            comment=Comment.objects.get(pk=other_moderators.pk), user=colleague, reason_code="spam"
        ).execute()

    mail_server.on_first_mail = meanwhile
    client.force_login(django_user_model.objects.create_superuser("boss", "b@example.com", "pw"))

    response = client.post(
        f"/admin/moderation/reviews/{CommentReview.objects.get(comment=first).pk}/act/",
        {
            "action": "reject_recent",
            "reason_code": "spam",
            "confirm_recent": "yes",
            "recent_count": 5,
        },
        follow=True,
    )

    page = response.content.decode()
    assert (
        "Rejected 2 comments by Taras from the last 7 days (3 were already removed or deleted)."
        in page
    )
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses[first.pk] == statuses[last.pk] == Comment.Status.REJECTED
    assert statuses[with_reply.pk] == Comment.Status.DELETED
    assert without_reply.pk not in statuses
    # The author was told once for each comment rejected: two by this action, one by the other.
    assert len(mail_server.sent) == 3
