"""A reader is warned about a comment once: a second "Warn" on the same comment (a double click,
a second tab, a colleague on a card shown before the first warning) is refused and does nothing,
as a second rejection is. A warning about another of their comments still counts.

Before, each press warned again: the reader was emailed the same warning twice, their card said
"Warned 2 times." for one comment, and the transparency report counted two warnings."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from discussion.models import Comment
from moderation.actions import ActionError, WarnReader
from moderation.models import DecisionEmail, ModerationAction, ReaderStanding
from newsroom.tests.factories import make_article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("email_tasks_run_as_queued")]

QUEUE = "/admin/moderation/queue/unmoderated/"


def _guest_comment(client, article, body: str) -> Comment:
    client.post(
        article.url,
        {
            "body": body,
            "author_name": "Olena",
            "author_email": "olena@example.com",
            "idempotency_key": "",
        },
    )
    return Comment.objects.filter(body=body).get()


def _warn(moderator_client, comment: Comment):
    return moderator_client.post(
        f"/admin/moderation/reviews/{comment.review.pk}/act/",
        {"action": "warn", "reason_code": "abuse", "note": "Keep it civil.", "next": QUEUE},
    )


def test_warn_pressed_twice_on_one_card_warns_and_emails_once(
    client, moderator_client, mailoutbox, django_capture_on_commit_callbacks
):
    comment = _guest_comment(client, make_article(), "Anyone who believes this is a fool.")

    with django_capture_on_commit_callbacks(execute=True):
        _warn(moderator_client, comment)
        second = _warn(moderator_client, comment)

    assert ModerationAction.objects.filter(kind="warn").count() == 1
    assert ReaderStanding.objects.get(reader_key=comment.review.reader_key).warnings == 1
    assert DecisionEmail.objects.count() == 1 and len(mailoutbox) == 1
    said = [str(message) for message in get_messages(second.wsgi_request)]
    assert said[-1].startswith(
        "This reader was warned about this comment already, so nothing was done: they were "
        "told once."
    )


def test_a_warning_about_another_comment_still_counts(client, moderator):
    article = make_article()
    first = _guest_comment(client, article, "Anyone who believes this is a fool.")
    second = _guest_comment(client, article, "And anyone who disagrees is a fool too.")
    key = first.review.reader_key
    assert second.review.reader_key == key

    WarnReader(reader_key=key, comment=first, reason_code="abuse", user=moderator).execute()
    WarnReader(reader_key=key, comment=second, reason_code="abuse", user=moderator).execute()

    assert ReaderStanding.objects.get(reader_key=key).warnings == 2
    with pytest.raises(ActionError, match="warned about this comment already"):
        WarnReader(reader_key=key, comment=first, reason_code="abuse", user=moderator).execute()
    assert ReaderStanding.objects.get(reader_key=key).warnings == 2


def test_a_second_moderators_browser_is_refused_too(client, moderator_client, django_user_model):
    comment = _guest_comment(client, make_article(), "Anyone who believes this is a fool.")
    colleague = Client()
    colleague.force_login(
        django_user_model.objects.create_superuser("ola", "ola@example.com", "pw-long-1")
    )

    _warn(moderator_client, comment)
    _warn(colleague, comment)

    assert ModerationAction.objects.filter(kind="warn").count() == 1
