"""The author's statement of reasons and appeal, and the public transparency report."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from discussion.models import Comment
from moderation.actions import DecideAppeal, RejectComment
from moderation.models import Appeal
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def posted(client):
    """A guest posts a comment with a suspect word through the form: it is held."""
    article = make_article()
    client.post(
        article.url,
        {
            "body": "The minister is a moron.",
            "author_name": "Olena",
            "idempotency_key": "",
            "parent": "",
        },  # noqa: E501
    )
    return Comment.objects.get()


def test_the_author_sees_their_held_comment_is_waiting_and_why(client, posted):
    response = client.get(f"/moderation/comments/{posted.pk}/why/")
    text = BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)
    assert "Pending review" in text
    assert "by our automatic checks" in text
    assert "It uses “moron”, which a moderator checks first." in text


def test_nobody_else_can_read_the_statement(posted):
    assert Client().get(f"/moderation/comments/{posted.pk}/why/").status_code == 404


def test_the_author_appeals_a_rejection_and_an_upheld_appeal_restores_the_comment(
    client, posted, moderator
):
    RejectComment(comment=posted, user=moderator, reason_code="abuse", note="Insult.").execute()
    page = client.get(f"/moderation/comments/{posted.pk}/why/").content.decode()
    assert "It attacks or insults a person." in page and "by a moderator" in page
    response = client.post(
        f"/moderation/comments/{posted.pk}/why/", {"text": "It is about a minister's policy."}
    )  # noqa: E501
    assert "Your appeal was sent" in response.content.decode()
    appeal = Appeal.objects.get()
    DecideAppeal(appeal=appeal, uphold=True, user=moderator).execute()
    page = client.get(f"/moderation/comments/{posted.pk}/why/").content.decode()
    assert "Appeal upheld" in page
    assert Comment.objects.get(pk=posted.pk).status == Comment.Status.PUBLISHED


def test_a_second_appeal_is_refused(client, posted, moderator):
    RejectComment(comment=posted, user=moderator, reason_code="abuse").execute()
    client.post(f"/moderation/comments/{posted.pk}/why/", {"text": "Please."})
    from moderation.models import ModerationAction
    from moderation.services import ModerationRefused, appeal_create

    with pytest.raises(ModerationRefused):
        appeal_create(action=ModerationAction.objects.filter(kind="reject").get(),
                      reader_key=posted.review.reader_key, text="Again")  # fmt: skip


def test_a_hold_cannot_be_appealed(posted):
    from moderation.models import ModerationAction
    from moderation.services import ModerationRefused, appeal_create

    hold = ModerationAction.objects.get(comment=posted, kind="hold")
    with pytest.raises(ModerationRefused, match="waiting for review"):
        appeal_create(action=hold, reader_key=posted.review.reader_key, text="Let it through.")
    assert not Appeal.objects.exists()


def test_a_rejection_since_undone_cannot_be_appealed(posted, moderator):
    from moderation.actions import ApproveComment
    from moderation.models import ModerationAction
    from moderation.services import ModerationRefused, appeal_create

    RejectComment(comment=posted, user=moderator, reason_code="abuse").execute()
    ApproveComment(comment=Comment.objects.get(pk=posted.pk), user=moderator).execute()
    rejection = ModerationAction.objects.get(comment=posted, kind="reject")
    with pytest.raises(ModerationRefused, match="no longer removed"):
        appeal_create(action=rejection, reader_key=posted.review.reader_key, text="Please.")
    assert not Appeal.objects.exists()


def test_the_transparency_report_counts_this_months_actions(client, posted, moderator):
    RejectComment(comment=posted, user=moderator, reason_code="abuse").execute()
    page = BeautifulSoup(client.get("/transparency/").content, "html.parser")
    actions = [li.get_text() for li in page.select("table.transparency tbody tr li")]
    assert sorted(actions) == [
        "Held: a word or phrase a moderator checks (1)",
        "Rejected: abuse or harassment (1)",
    ]
    assert page.select_one("svg rect") is not None


def test_the_transparency_report_names_actions_in_plain_words_not_codes(
    client, settings, moderator
):
    settings.MODERATION_TRUST_FIRST_COMMENTS = 2
    article = make_article()
    client.post(article.url, {"body": "My first comment here.", "author_name": "New",
                              "idempotency_key": "", "parent": ""})  # fmt: skip
    RejectComment(comment=Comment.objects.get(), user=moderator, reason_code="spam").execute()

    page = BeautifulSoup(client.get("/transparency/").content, "html.parser")

    text = page.select_one("table.transparency tbody").get_text(" ", strip=True)
    assert "Held: new commenter's first comments (1)" in text
    assert "Rejected: spam (1)" in text
    assert "hold:new_commenter" not in text and "reject:spam" not in text
    assert "new_commenter" not in page.get_text()


def test_the_transparency_chart_names_each_month_with_its_year(client, posted):
    page = BeautifulSoup(client.get("/transparency/").content, "html.parser")

    [label] = [text.get_text() for text in page.select("svg text")]

    month = timezone.localtime(posted.created_at)
    assert label == month.strftime("%b %Y")  # "Dec 2026", not "Dec 26"


def test_the_transparency_report_downloads_as_csv(client, posted, moderator):
    RejectComment(comment=posted, user=moderator, reason_code="abuse").execute()
    response = client.get("/transparency/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == "month,action,count"
    assert any(line.endswith(",reject:abuse,1") for line in lines)
    assert any(line.endswith(",human,1") for line in lines)


def test_an_upheld_appeal_is_one_code_in_the_csv(client, posted, moderator):
    RejectComment(comment=posted, user=moderator, reason_code="abuse").execute()
    client.post(f"/moderation/comments/{posted.pk}/why/", {"text": "It is about his policy."})
    DecideAppeal(appeal=Appeal.objects.get(), uphold=True, user=moderator).execute()
    lines = client.get("/transparency/?format=csv").content.decode().splitlines()
    actions = {line.split(",")[1] for line in lines[1:]}
    assert "appeal_upheld" in actions
    assert "appeal_upheld:appeal_upheld" not in actions


def _post_held(client, article, **extra):
    form = {"body": "The minister is a moron.", "author_name": "Olena", "idempotency_key": ""}
    return client.post(article.url, form, **extra)


def test_a_held_comment_shows_in_place_to_its_author_with_a_link_to_why(client):
    article = make_article()
    response = _post_held(client, article)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert response["Location"] == f"{article.url}?c={comment.pk}#c-{comment.pk}"
    page = BeautifulSoup(client.get(response["Location"]).content, "html.parser")
    held = page.find(id=f"c-{comment.pk}")
    assert "comment--pending" in held["class"]
    assert "Awaiting review" in held.get_text()
    why = held.find("a", string="Why is it waiting?")["href"]
    assert "Pending review" in client.get(why).content.decode()


def test_a_held_comment_is_hidden_from_every_other_reader(client):
    article = make_article()
    _post_held(client, article)
    comment = Comment.objects.get()
    stranger = Client().get(f"{article.url}?c={comment.pk}").content.decode()
    assert f'id="c-{comment.pk}"' not in stranger
    assert "moron" not in stranger


def test_with_htmx_a_held_comment_is_inserted_marked_as_waiting(client):
    article = make_article()
    response = _post_held(client, article, HTTP_HX_REQUEST="true")
    fragment = BeautifulSoup(response.content, "html.parser")
    comment = Comment.objects.get()
    assert "Awaiting review" in fragment.find(id=f"c-{comment.pk}").get_text()
    assert "waiting for review" in fragment.find(id="discussion-status").get_text()


def test_a_quiet_month_between_two_busy_ones_is_a_row_of_zeros_not_a_gap(client, posted, moderator):
    from datetime import timedelta

    from moderation.models import ModerationAction

    RejectComment(comment=posted, user=moderator, reason_code="abuse").execute()
    this_month = timezone.localtime().replace(day=15, hour=12)
    last_month = (this_month.replace(day=1) - timedelta(days=1)).replace(day=15)
    two_months_ago = (last_month.replace(day=1) - timedelta(days=1)).replace(day=15)
    ModerationAction.objects.filter(kind="hold").update(created_at=two_months_ago)

    page = BeautifulSoup(client.get("/transparency/").content, "html.parser")

    rows = page.select("table.transparency tbody tr")
    months = [row.select_one("th, td").get_text(" ", strip=True) for row in rows]
    assert months == [m.strftime("%B %Y") for m in (this_month, last_month, two_months_ago)]
    assert [cell.get_text(strip=True) for cell in rows[1].select("td")][-5:] == ["0"] * 5
    # The chart, oldest first, keeps a slot for the quiet month.
    labels = [text.get_text() for text in page.select("svg text")]
    assert labels == [m.strftime("%b %Y") for m in (two_months_ago, last_month, this_month)]


def test_the_oldest_month_shown_counts_from_its_first_day_not_from_this_hour_of_it(
    posted, moderator
):
    """The report shows its oldest month whole: before, the window began at this time of day on
    that month's first day, so the month's figures left out that morning, and changed as the
    day went on."""
    from datetime import timedelta

    from moderation.models import ModerationAction
    from moderation.selectors import monthly_report

    entry = RejectComment(comment=posted, user=moderator, reason_code="abuse").execute()
    oldest = (timezone.localtime() - timedelta(days=31 * 12)).replace(
        day=1, hour=0, minute=0, second=30, microsecond=0
    )
    ModerationAction.objects.filter(pk=entry.pk).update(created_at=oldest)

    rows = {row["month"].strftime("%Y-%m"): row for row in monthly_report()}

    assert rows[oldest.strftime("%Y-%m")]["actions"] == {"reject:abuse": 1}
