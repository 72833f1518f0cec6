"""The report form as a reader meets it a second time, and the way out of it."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def comment():
    return make_comment(thread_ensure(page=make_article()), "A comment some readers dislike.")


def _reported(client, comment) -> str:
    url = f"/moderation/comments/{comment.pk}/report/"
    assert client.post(url, {"reason": "abuse", "text": ""}).status_code == 200
    return url


def test_opening_report_again_under_the_comment_says_it_was_reported_and_shows_no_form(
    client, comment
):
    url = _reported(client, comment)

    response = client.get(url, **HTMX)

    fragment = BeautifulSoup(response.content, "html.parser")
    assert fragment.find("form") is None
    refused = fragment.select_one(".report-refused")
    assert refused.get_text(strip=True) == "You have already reported this comment. Thank you."


def test_opening_report_again_turns_the_stale_report_link_into_reported(client, comment):
    url = _reported(client, comment)

    response = client.get(url, **HTMX)

    swap = BeautifulSoup(response.content, "html.parser").select_one(f"#report-action-{comment.pk}")
    assert swap["hx-swap-oob"] == "outerHTML"
    assert swap.get_text(" ", strip=True).startswith("Reported")


def test_the_report_page_without_javascript_says_it_was_reported_and_shows_no_form(client, comment):
    url = _reported(client, comment)

    page = BeautifulSoup(client.get(url).content, "html.parser").select_one("main")

    assert page.select_one("form.report-form") is None
    assert "You have already reported this comment." in page.get_text()


def test_the_report_form_offers_cancel_back_to_the_discussion(client, comment):
    fragment = client.get(f"/moderation/comments/{comment.pk}/report/", **HTMX)

    cancel = BeautifulSoup(fragment.content, "html.parser").find("a", string="Cancel")

    assert cancel.has_attr("data-cancel-report")
    assert cancel["href"] == f"/c/{comment.pk}/"


def test_the_thread_says_reported_where_the_readers_report_link_was(client, comment):
    other = make_comment(comment.thread, "Another comment, not reported.")
    _reported(client, comment)

    page = BeautifulSoup(client.get(comment.thread.page.url).content, "html.parser")

    reported = page.select_one(f"#c-{comment.pk}")
    assert reported.select_one(".comment__report") is None
    assert (
        reported.select_one(".comment__reported").get_text(" ", strip=True).startswith("Reported")
    )
    assert page.select_one(f"#c-{other.pk} .comment__report") is not None


def test_other_readers_still_see_the_report_link(client, comment):
    from django.test import Client

    _reported(client, comment)

    page = BeautifulSoup(Client().get(comment.thread.page.url).content, "html.parser")

    assert page.select_one(f"#c-{comment.pk} .comment__report") is not None
    assert page.select_one(".comment__reported") is None


def test_sending_a_report_under_the_comment_turns_its_report_link_into_reported_in_place(
    client, comment
):
    page = BeautifulSoup(client.get(comment.thread.page.url).content, "html.parser")
    link = page.select_one(f"#c-{comment.pk} .comment__report")

    answer = client.post(
        f"/moderation/comments/{comment.pk}/report/", {"reason": "abuse", "text": ""}, **HTMX
    )

    # htmx replaces the link with it, out of band (the thread's status region is another swap).
    swap = BeautifulSoup(answer.content, "html.parser").find(id=link["id"])
    assert swap is not None and swap.has_attr("hx-swap-oob")
    assert swap["hx-swap-oob"] == "outerHTML"
    assert swap.get_text(" ", strip=True).startswith("Reported")


def test_the_report_box_says_its_limit_and_ties_it_and_any_error_to_the_box(client, comment):
    url = f"/moderation/comments/{comment.pk}/report/"
    for response in (
        client.get(url, **HTMX),
        client.post(url, {"reason": "other", "text": "x" * 700}, **HTMX),
    ):
        fragment = BeautifulSoup(response.content, "html.parser")
        box = fragment.select_one("textarea[name=text]")
        described = [fragment.find(id=i) for i in box["aria-describedby"].split()]

        assert None not in described
        assert described[0].get_text(strip=True) == "Up to 500 characters."
    assert [d.get_text(strip=True) for d in described[1:]] == [
        "Your report is 700 characters long; the limit is 500. Please shorten it by 200."
    ]
