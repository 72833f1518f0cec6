"""A reported comment that is still up also stays in the Unmoderated or Approved queue. There, as
in the Reported queue, approving it publishes nothing: it dismisses the reports. Its card's
button and the bulk button say so before the moderator presses them, in the Reported queue's
words, as the messages after do."""

from __future__ import annotations

import itertools

import pytest
from bs4 import BeautifulSoup

from discussion.models import Comment
from discussion.tests.factories import make_comment, make_thread
from moderation.actions import ApproveComment
from moderation.models import CommentReview
from moderation.services import report_create

pytestmark = pytest.mark.django_db
_networks = itertools.count(1)


def _report(comment: Comment) -> None:
    network = f"2001:db8:0:{next(_networks):x}::/64"
    report_create(comment=comment, reporter_key=f"guest:r{comment.pk}", network=network,
                  reason="abuse")  # fmt: skip


def _up_in(queue: str, moderator, body: str, *, reported: bool) -> Comment:
    """Olena's published comment in ``queue`` (unmoderated, or approved by a moderator), with a
    report no moderator has answered if ``reported``."""
    comment = make_comment(make_thread(), body, name="Olena")
    if queue == "approved":
        ApproveComment(comment=comment, user=moderator).execute()
    if reported:
        _report(comment)
    assert CommentReview.objects.get(comment=comment).state == queue
    return comment


def _page(moderator_client, queue: str) -> BeautifulSoup:
    response = moderator_client.get(f"/admin/moderation/queue/{queue}/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize("queue", ["unmoderated", "approved"])
def test_a_reported_comments_button_says_it_keeps_it_and_dismisses_the_reports(
    moderator_client, moderator, queue
):
    _up_in(queue, moderator, "The council wasted the money.", reported=True)

    [card] = _page(moderator_client, queue).select("[data-mod-card]")

    assert card.select_one('button[value="approve"]').get_text() == "Keep (dismiss reports) (a)"


@pytest.mark.parametrize("queue", ["unmoderated", "approved"])
def test_with_a_reported_comment_listed_the_bulk_button_says_it_dismisses_reports(
    moderator_client, moderator, queue
):
    _up_in(queue, moderator, "The council wasted the money.", reported=True)
    _up_in(queue, moderator, "The bridge is late again.", reported=False)

    button = _page(moderator_client, queue).select_one('#bulk-form button[value="approve"]')

    assert button.get_text() == "Approve selected (dismisses reports on any reported)"
