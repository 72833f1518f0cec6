"""A moderator's warning reaches the reader it warns: by email where they gave an address, and
on the statement of reasons of the comment it was given from, with the reason and the note.
Before, "Warned Olena." was all anyone read: the warning was counted and told to no one."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from discussion.models import Comment
from moderation.models import ModerationAction, ReaderStanding
from newsroom.tests.factories import make_article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("email_tasks_run_as_queued")]

QUEUE = "/admin/moderation/queue/unmoderated/"


@pytest.fixture
def moderator_client(django_user_model):
    """A moderator's browser, beside the reader's (``client``)."""
    moderator = Client()
    moderator.force_login(
        django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-long-1")
    )
    return moderator


def _guest_comment(client) -> Comment:
    """A guest's comment, published, with its card in the Unmoderated queue."""
    article = make_article(title="Talks in Istanbul end without a ceasefire")
    client.post(
        article.url,
        {
            "body": "Anyone who believes this deserves what they get.",
            "author_name": "Olena",
            "author_email": "olena@example.com",
            "idempotency_key": "",
        },
    )
    return Comment.objects.get()


def _warn(moderator_client, comment: Comment, **form):
    return moderator_client.post(
        f"/admin/moderation/reviews/{comment.review.pk}/act/",
        {"action": "warn", "next": QUEUE, **form},
        follow=True,
    )


def test_a_warning_emails_the_reader_its_reason_and_the_moderators_note(
    client, moderator_client, mailoutbox, django_capture_on_commit_callbacks
):
    comment = _guest_comment(client)

    with django_capture_on_commit_callbacks(execute=True):
        _warn(
            moderator_client,
            comment,
            reason_code="abuse",
            note="Argue with the point, not the person.",
        )

    [mail] = mailoutbox
    assert mail.to == ["olena@example.com"]
    assert mail.subject == "A warning from the moderators"
    assert "It attacks or insults a person." in mail.body
    assert "The moderator's note: Argue with the point, not the person." in mail.body
    assert f"/moderation/comments/{comment.pk}/why/" in mail.body


def test_a_warned_reader_reads_the_warning_on_their_comments_statement(client, moderator_client):
    comment = _guest_comment(client)  # the guest who wrote it, with their cookie
    _warn(moderator_client, comment, reason_code="abuse", note="Argue with the point.")

    page = BeautifulSoup(
        client.get(f"/moderation/comments/{comment.pk}/why/").content, "html.parser"
    )

    statement = " ".join(page.select_one("ol.statement").get_text(" ", strip=True).split())
    assert "Reader warned by a moderator" in statement
    assert "It attacks or insults a person." in statement
    assert "The moderator’s note: Argue with the point." in statement


def test_a_warning_without_a_reason_is_refused_and_warns_no_one(
    client, moderator_client, mailoutbox, django_capture_on_commit_callbacks
):
    comment = _guest_comment(client)

    with django_capture_on_commit_callbacks(execute=True):
        response = _warn(moderator_client, comment, note="Be nicer.")

    assert "Choose a reason for the warning: the reader is told it." in [
        str(m) for m in response.context["messages"]
    ]
    assert not ModerationAction.objects.filter(kind="warn").exists()
    assert not ReaderStanding.objects.filter(warnings__gt=0).exists()
    assert mailoutbox == []
    card = BeautifulSoup(response.content, "html.parser").select_one(f"#review-{comment.review.pk}")
    assert card.select_one('details input[name="note"]')["value"] == "Be nicer."
