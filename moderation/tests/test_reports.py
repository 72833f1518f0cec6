"""Reader reports: one per reader per comment; the third (from a third address) takes the comment
down for review."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from core.ratelimit import wait_in_words
from discussion.models import Comment, Thread
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from moderation.models import CommentReview, ModerationAction, Report
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def comment():
    return make_comment(thread_ensure(page=make_article()), "A comment some readers dislike.")


def _report(client, comment, reason="abuse", **extra):
    return client.post(
        f"/moderation/comments/{comment.pk}/report/", {"reason": reason, "text": ""}, **extra
    )


def test_every_published_comment_has_a_report_link(client, comment):
    page = BeautifulSoup(client.get(comment.thread.page.url).content, "html.parser")
    link = page.select_one(f"#c-{comment.pk} .comment__report")
    assert link["href"] == f"/moderation/comments/{comment.pk}/report/"


def test_without_javascript_the_report_form_is_its_own_page(client, comment):
    response = client.get(f"/moderation/comments/{comment.pk}/report/")
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("h1").get_text() == "Report a comment"
    reasons = [radio["value"] for radio in page.select('input[name="reason"]')]
    assert reasons == ["abuse", "spam", "off_topic", "personal_information", "other"]


def test_a_report_is_recorded_and_thanked(client, comment):
    response = _report(client, comment)
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    assert Report.objects.get().reason == "abuse"


def test_with_htmx_the_thanks_replace_the_form_in_place(client, comment):
    response = _report(client, comment, **HTMX)
    assert response.content.decode().strip().startswith('<p class="report-thanks"')


def test_one_reader_reports_a_comment_once(client, comment):
    _report(client, comment)
    second = _report(client, comment, reason="spam")
    assert second.status_code == 400
    assert "already reported" in second.content.decode()
    assert Report.objects.count() == 1


def test_other_needs_a_few_words(client, comment):
    response = _report(client, comment, reason="other")
    assert response.status_code == 400
    assert Report.objects.count() == 0


def test_with_htmx_something_else_without_words_comes_back_with_the_message_beside_the_box(
    client, comment
):
    response = client.post(
        f"/moderation/comments/{comment.pk}/report/", {"reason": "other", "text": "  "}, **HTMX
    )
    form = BeautifulSoup(response.content, "html.parser").find("form")
    assert response.status_code == 422  # site.js lets htmx swap it in place
    error = form.find(id=f"report-{comment.pk}-text_error")
    assert error.get_text() == "Please say what is wrong with this comment."
    assert form.find(id=f"report-{comment.pk}-text")["aria-describedby"].split() == [
        f"report-{comment.pk}-text_helptext",  # the limit, said before sending
        error["id"],
    ]
    assert form.select_one('input[name="reason"][checked]')["value"] == "other"
    assert Report.objects.count() == 0


def test_with_htmx_a_second_report_comes_back_in_place_with_the_readers_choice_kept(
    client, comment
):
    _report(client, comment)
    response = client.post(
        f"/moderation/comments/{comment.pk}/report/",
        {"reason": "spam", "text": "Posted under three names."},
        **HTMX,
    )
    form = BeautifulSoup(response.content, "html.parser").find("form")
    assert response.status_code == 422
    assert "already reported" in form.select_one(".form-errors").get_text()
    assert form.select_one('input[name="reason"][checked]')["value"] == "spam"
    assert form.find("textarea", attrs={"name": "text"}).get_text().strip() == (
        "Posted under three names."
    )
    assert Report.objects.count() == 1


def test_two_report_forms_open_on_one_page_each_label_their_own_fields(client, comment):
    other = make_comment(comment.thread, "Another comment some readers dislike.")
    fragments = [
        client.get(f"/moderation/comments/{c.pk}/report/", **HTMX).content.decode()
        for c in (comment, other)
    ]
    page = BeautifulSoup("".join(fragments), "html.parser")
    ids = [element["id"] for element in page.find_all(id=True)]
    assert len(ids) == len(set(ids)), sorted(ids)
    for form in page.select("form.report-form"):
        labels = form.find_all("label")
        assert len(labels) == 6  # five reasons and the text box
        for label in labels:
            assert form.find(id=label["for"]) is not None, label


def test_the_third_readers_report_holds_the_comment_for_review(comment):
    for address in ("203.0.113.7", "198.51.100.20", "192.0.2.44"):
        _report(Client(REMOTE_ADDR=address), comment)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert CommentReview.objects.get(comment=comment).state == CommentReview.State.REPORTED
    assert Thread.objects.get(pk=comment.thread_id).comment_count == 0
    hold = ModerationAction.objects.get(kind="hold")
    assert hold.automated and hold.evidence["reports"] == 3


def test_two_reports_leave_the_comment_up(comment):
    for _ in range(2):
        _report(Client(), comment)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED


def test_reports_are_rate_limited(client, settings):
    settings.MODERATION_REPORT_RATE = "2/h"
    thread = thread_ensure(page=make_article())
    comments = [make_comment(thread, f"Comment {n}") for n in range(3)]
    assert [_report(client, c).status_code for c in comments] == [200, 200, 429]


def test_a_hundred_reports_sent_at_once_by_one_reader_are_held_to_the_default_rate(client):
    # MODERATION_REPORT_RATE's default, 10/m: a script reporting every comment on the page.
    thread = thread_ensure(page=make_article())
    comments = [make_comment(thread, f"Comment {n}") for n in range(100)]

    statuses = [_report(client, c).status_code for c in comments]

    assert (statuses.count(200), statuses.count(429)) == (10, 90)
    assert Report.objects.count() == 10


def test_a_report_past_an_hourly_limit_says_the_wait_its_retry_after_carries(client, settings):
    # It said "Wait a minute." whatever the limit's window, and carried no Retry-After.
    settings.MODERATION_REPORT_RATE = "1/h"
    thread = thread_ensure(page=make_article())
    first, second = (make_comment(thread, f"Comment {n}") for n in range(2))
    _report(client, first)

    refused = _report(client, second)

    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert 1 <= wait <= 3600
    said = wait_in_words(wait).capitalize()
    assert f"You are sending reports faster than this site allows. {said}." in refused.text
    assert not Report.objects.filter(comment=second).exists()


def test_a_report_sent_in_bytes_that_are_not_utf8_is_refused_and_not_saved(client, comment):
    """Latin-1's "é" (0xE9) reads as U+FFFD: the note would reach moderators garbled."""
    response = client.post(
        f"/moderation/comments/{comment.pk}/report/",
        "reason=other&text=Caf%E9+owner+named+and+threatened.",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    assert "not valid text (UTF-8)" in response.content.decode()
    assert not Report.objects.exists()
