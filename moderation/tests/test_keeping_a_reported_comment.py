"""In the Reported queue, "approve" on a comment readers reported and left up publishes nothing:
it dismisses the reports. The button, the moderator's message, the audit entry and the author's
statement of reasons say so; the Pending queue's "Approve" is as it was."""

from __future__ import annotations

import itertools

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from discussion.models import Comment
from discussion.tests.factories import make_comment, make_thread
from moderation.actions import text_token
from moderation.models import CommentReview, ModerationAction
from moderation.services import report_create

pytestmark = pytest.mark.django_db
REPORTED = "/admin/moderation/queue/reported/"
PENDING = "/admin/moderation/queue/pending/"

_networks = itertools.count(1)


@pytest.fixture
def moderator_client(client, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-long-enough")
    client.force_login(boss)
    return client


@pytest.fixture
def olena(django_user_model):
    return django_user_model.objects.create_user("olena", "olena@example.com", "pw-long-enough")


@pytest.fixture
def reported(olena) -> Comment:
    """Olena's comment, published, with one report no moderator has answered."""
    comment = make_comment(make_thread(), "The council wasted the money.", name="Olena",
                           user_id=olena.pk)  # fmt: skip
    _report(comment, "reader-1")
    return comment


def _report(comment: Comment, reader: str) -> None:
    network = f"2001:db8:0:{next(_networks):x}::/64"
    report_create(comment=comment, reporter_key=f"guest:{reader}", network=network, reason="abuse")


def _approve(moderator_client, comment: Comment, queue: str):
    review = CommentReview.objects.get(comment=comment)
    return moderator_client.post(
        f"/admin/moderation/reviews/{review.pk}/act/",
        {"action": "approve", "seen": text_token(comment.body), "next": queue},
        follow=True,
    )


def _said(response) -> list[str]:
    return [m.message for m in response.context["messages"]]


def _approve_button(response) -> str:
    [card] = BeautifulSoup(response.content, "html.parser").select("[data-mod-card]")
    return card.select_one('button[value="approve"]').get_text()


def test_in_the_reported_queue_the_button_says_it_keeps_the_comment_and_dismisses_the_reports(
    moderator_client, reported
):
    assert _approve_button(moderator_client.get(REPORTED)) == "Keep (dismiss reports) (a)"


def test_keeping_a_reported_comment_says_the_reports_are_dismissed_and_it_stays_up(
    moderator_client, reported
):
    response = _approve(moderator_client, reported, REPORTED)

    assert _said(response) == ["Reports dismissed; the comment by Olena stays up."]
    assert Comment.objects.get(pk=reported.pk).status == Comment.Status.PUBLISHED
    assert not BeautifulSoup(response.content, "html.parser").select("[data-mod-card]")


def test_a_comment_the_reports_took_down_is_still_approved_from_the_reported_queue(
    moderator_client, olena, settings
):
    settings.MODERATION_REPORTS_TO_HOLD = 2
    comment = make_comment(make_thread(), "Taken down by reports.", name="Olena", user_id=olena.pk)
    _report(comment, "reader-1")
    _report(comment, "reader-2")
    assert _approve_button(moderator_client.get(REPORTED)) == "Approve (a)"

    response = _approve(moderator_client, comment, REPORTED)

    assert _said(response) == [
        "Approved the comment by Olena: it is published again, and its reports dismissed."
    ]
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PUBLISHED


def test_the_pending_queue_still_says_approve_and_approved(moderator_client):
    held = make_comment(make_thread(), "The minister is a moron.", name="Olena")
    assert _approve_button(moderator_client.get(PENDING)) == "Approve (a)"

    response = _approve(moderator_client, held, PENDING)

    assert _said(response) == ["Approved the comment by Olena."]


def test_the_audit_entry_says_the_approval_dismissed_reports_on_a_comment_left_up(
    moderator_client, reported
):
    _approve(moderator_client, reported, REPORTED)

    entry = ModerationAction.objects.get(comment=reported, kind=ModerationAction.Kind.APPROVE)
    assert entry.evidence == {"reports_dismissed": True, "kept_up": True}


def test_the_authors_statement_says_a_moderator_read_the_reports_and_left_it_up(
    moderator_client, olena, reported
):
    _approve(moderator_client, reported, REPORTED)
    author = Client()
    author.force_login(olena)

    page = BeautifulSoup(
        author.get(f"/moderation/comments/{reported.pk}/why/").content, "html.parser"
    )

    [decision] = page.select(".statement li")
    said = " ".join(decision.get_text().split())
    assert said.startswith("Approved by a moderator,")
    assert said.endswith("Readers reported it. A moderator read it and left it up.")
