"""In the Reported queue, the bulk "approve" publishes nothing that was up all along: it dismisses
the reports. Its button and its message say so, telling the comments kept up from those the
reports took down and it published again; the Pending queue's "Approve selected" is as it was."""

from __future__ import annotations

import itertools

import pytest
from bs4 import BeautifulSoup

from discussion.models import Comment
from discussion.tests.factories import make_comment, make_thread
from moderation.actions import text_token
from moderation.models import CommentReview
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


def _reported(body: str, *, reports: int = 1) -> Comment:
    """A published comment by Olena with ``reports`` reports no moderator has answered, from as
    many networks: enough of them take it down."""
    comment = make_comment(make_thread(), body, name="Olena")
    for n in range(reports):
        network = f"2001:db8:0:{next(_networks):x}::/64"
        report_create(
            comment=comment, reporter_key=f"guest:reader-{n}", network=network, reason="abuse"
        )
    return comment


def _bulk_approve(moderator_client, comments: list[Comment], queue: str):
    reviews = CommentReview.objects.filter(comment__in=comments)
    form = {"action": "approve", "next": queue, "review": [r.pk for r in reviews]}
    for review in reviews:
        form[f"seen-{review.pk}"] = text_token(review.comment.body)
    return moderator_client.post("/admin/moderation/bulk/", form, follow=True)


def _said(response) -> list[str]:
    return [m.message for m in response.context["messages"]]


def _bulk_button(response) -> str:
    page = BeautifulSoup(response.content, "html.parser")
    return page.select_one('#bulk-form button[value="approve"]').get_text()


def test_in_the_reported_queue_the_bulk_button_says_it_dismisses_the_reports(moderator_client):
    _reported("The council wasted the money.")

    assert _bulk_button(moderator_client.get(REPORTED)) == (
        "Dismiss reports on selected (publishes any taken down)"
    )


def test_the_pending_queue_bulk_button_still_says_approve_selected(moderator_client):
    make_comment(make_thread(), "The minister is a moron.", name="Olena")

    assert _bulk_button(moderator_client.get(PENDING)) == "Approve selected"


def test_keeping_reported_comments_in_bulk_says_the_reports_are_dismissed_and_they_stay_up(
    moderator_client,
):
    kept = [_reported(f"The council wasted the money, {n}.") for n in range(3)]

    response = _bulk_approve(moderator_client, kept, REPORTED)

    assert _said(response) == ["Reports dismissed on 3 comments, which stay up."]
    assert {c.status for c in Comment.objects.filter(pk__in=[c.pk for c in kept])} == {
        Comment.Status.PUBLISHED
    }


def test_one_comment_kept_up_in_bulk_is_told_in_the_singular(moderator_client):
    kept = _reported("The council wasted the money.")

    response = _bulk_approve(moderator_client, [kept], REPORTED)

    assert _said(response) == ["Reports dismissed on 1 comment, which stays up."]


def test_comments_the_reports_took_down_are_told_apart_as_published_again(
    moderator_client, settings
):
    settings.MODERATION_REPORTS_TO_HOLD = 2
    kept = [_reported(f"The council wasted the money, {n}.") for n in range(3)]
    taken_down = _reported("Taken down by reports.", reports=2)
    assert Comment.objects.get(pk=taken_down.pk).status == Comment.Status.PENDING

    response = _bulk_approve(moderator_client, [*kept, taken_down], REPORTED)

    assert _said(response) == [
        "Reports dismissed on 3 comments, which stay up; 1 comment published again."
    ]
    assert Comment.objects.get(pk=taken_down.pk).status == Comment.Status.PUBLISHED


def test_the_pending_queue_bulk_approve_still_says_approved(moderator_client):
    held = [
        make_comment(make_thread(), f"The minister is a moron, {n}.", name="Olena") for n in (1, 2)
    ]

    response = _bulk_approve(moderator_client, held, PENDING)

    assert _said(response) == ["Approved 2 comments."]
