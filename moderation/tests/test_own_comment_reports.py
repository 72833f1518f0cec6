"""A reader cannot report their own comment: they can edit or delete it instead.

The reader is told apart as screening recorded the comment's author on its review row
(``CommentReview.reader_key``): "user:N" for an account, "guest:K" for a guest's cookie.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from discussion.models import Comment
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from discussion.tests.readers import make_reader
from moderation.models import CommentReview, Report
from moderation.services import ModerationRefused, report_create
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
REFUSAL = "This is your own comment. You can edit or delete it instead."


@pytest.fixture
def article():
    return make_article()


def _comment(article, **kwargs) -> Comment:
    comment = make_comment(
        thread_ensure(page=article), "The council should publish the figures.", **kwargs
    )
    assert comment.status == Comment.Status.PUBLISHED
    return comment


def _report_url(comment: Comment) -> str:
    return f"/moderation/comments/{comment.pk}/report/"


def _report_state(comment: Comment) -> tuple[int, int, str]:
    review = CommentReview.objects.get(comment=comment)
    return Report.objects.filter(comment=comment).count(), review.report_count, review.state


# The service


def test_a_signed_in_reader_cannot_report_their_own_comment(article):
    ada = make_reader("Ada")
    own = _comment(article, user_id=ada.pk)
    before = _report_state(own)

    with pytest.raises(ModerationRefused, match=REFUSAL):
        report_create(
            comment=own, reporter_key=f"user:{ada.pk}", network="203.0.113.7", reason="abuse"
        )

    assert _report_state(own) == before


def test_a_guest_cannot_report_the_comment_their_cookie_wrote(article):
    own = _comment(article, guest_key="ira-cookie")
    before = _report_state(own)

    with pytest.raises(ModerationRefused, match=REFUSAL):
        report_create(
            comment=own, reporter_key="guest:ira-cookie", network="203.0.113.7", reason="spam"
        )

    assert _report_state(own) == before


# The report form


def test_without_javascript_the_report_page_for_ones_own_comment_says_why_and_offers_no_form(
    article,
):
    ada = make_reader("Ada")
    own = _comment(article, user_id=ada.pk)
    client = Client()
    client.force_login(ada)

    response = client.get(_report_url(own))

    page = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 403
    assert page.select_one("[role=alert]").get_text() == REFUSAL
    assert page.find("form", class_="report-form") is None


def test_with_htmx_a_guests_report_form_for_their_own_comment_is_the_reason_instead(
    client, article
):
    posted = client.post(
        article.url,
        {"body": "I read the figures on the train.", "author_name": "Ira", "idempotency_key": "1"},
    )
    assert posted.status_code == 302
    own = Comment.objects.get(status=Comment.Status.PUBLISHED)

    response = client.get(_report_url(own), **HTMX)

    fragment = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 422  # site.js lets htmx swap it in under the comment
    assert fragment.select_one("[role=alert]").get_text() == REFUSAL
    assert fragment.find("form") is None
    assert fragment.select_one(f"#report-action-{own.pk}") is None  # it was never "Reported"
