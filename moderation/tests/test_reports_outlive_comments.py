"""A reader's report outlives the comment it reported: when the comment's author deletes it, or
their account with its comments, the transparency report's past months still count the report,
the Reported queue lets the comment go (its waiting reports closed as "comment deleted"), and
neither the reporter's note nor their network is kept. A reporter who deletes their account
takes their notes with it, and their reports stay counted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from discussion.models import Comment
from discussion.tests.factories import make_comment, make_thread
from discussion.tests.readers import make_reader, reauthenticate
from moderation.actions import ApproveComment
from moderation.models import Report
from moderation.services import report_create

pytestmark = pytest.mark.django_db

REPORTED = "/admin/moderation/queue/reported/"
NOTE = "He wrote that my neighbour Petro Ivanenko steals, and gave his street."


@pytest.fixture
def author(django_user_model):
    """A member, signed in, whose comment readers report."""
    user = make_reader("Taras")
    client = Client()
    client.force_login(user)
    reauthenticate(client)  # as before deleting their account
    client.user = user
    return client


@pytest.fixture
def moderator_client(django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-long-enough")
    client = Client()
    client.force_login(boss)
    client.user = boss
    return client


def _reported(author, *, with_reply: bool = False, reporters: int = 1) -> Comment:
    """The author's published comment, reported by ``reporters`` guests (the first with a note
    quoting it), and answered by another reader if ``with_reply``."""
    comment = make_comment(make_thread(), "Petro steals.", name="Taras", user_id=author.user.pk)
    if with_reply:
        make_comment(comment.thread, "Source?", name="Ola", parent=comment)
    for n in range(reporters):
        report_create(
            comment=comment, reporter_key=f"guest:reader-{n}", network=f"192.0.2.{n + 1}",
            reason="personal_information", text=NOTE if n == 0 else "",
        )  # fmt: skip
    return comment


def _delete_comment(author, comment: Comment) -> None:
    answer = author.post(reverse("discussion:comment_delete", args=[comment.pk]))
    assert answer.status_code == 302


def _erase_account(author, settings) -> None:
    settings.DELETED_ACCOUNT_COMMENTS = "remove"
    answer = author.post(reverse("reader_delete"), {"confirm": "yes"})
    assert answer.status_code == 302


REMOVALS = {
    "comment deleted": lambda author, comment, settings: _delete_comment(author, comment),
    "account erased": lambda author, comment, settings: _erase_account(author, settings),
}


def _csv() -> str:
    cache.clear()  # counted afresh: what the report counts, not what it kept
    return Client().get("/transparency/?format=csv").content.decode()


def _last_month():
    return timezone.localtime().replace(day=1) - timedelta(days=10)


@pytest.mark.parametrize("removal", REMOVALS)
def test_a_past_months_reports_received_stay_as_published_when_the_comment_goes(
    author, settings, removal
):
    comment = _reported(author, reporters=2)
    Report.objects.update(created_at=_last_month())
    published = _csv()
    assert f"{_last_month():%Y-%m},reports,2" in published

    REMOVALS[removal](author, comment, settings)

    assert not Comment.objects.filter(pk=comment.pk).exists()
    assert _csv() == published


@pytest.mark.parametrize("with_reply", [True, False], ids=["shell kept", "comment gone"])
def test_a_deleted_comment_leaves_the_reported_queue_its_reports_closed_as_comment_deleted(
    author, moderator_client, with_reply
):
    comment = _reported(author, with_reply=with_reply, reporters=2)
    assert "Petro steals." in moderator_client.get(REPORTED).content.decode()

    _delete_comment(author, comment)

    queue = BeautifulSoup(moderator_client.get(REPORTED).content, "html.parser")
    assert queue.select("[data-mod-card]") == []
    assert queue.select_one('[data-queue-count="reported"]').get_text() == "0"
    closed = list(Report.objects.values_list("closed_as", flat=True))
    assert closed == [Report.Closed.COMMENT_DELETED] * 2


def test_a_report_a_moderator_answered_before_the_deletion_is_not_closed_as_comment_deleted(
    author, moderator_client
):
    comment = _reported(author, with_reply=True)
    ApproveComment(comment=comment, user=moderator_client.user).execute()
    report_create(
        comment=comment, reporter_key="guest:later", network="198.51.100.1", reason="spam"
    )

    _delete_comment(author, comment)

    closed = dict(Report.objects.values_list("reporter_key", "closed_as"))
    assert closed == {
        "guest:reader-0": Report.Closed.NO,  # answered by the approval
        "guest:later": Report.Closed.COMMENT_DELETED,
    }


@pytest.mark.parametrize(
    ("removal", "with_reply"),
    [("comment deleted", True), ("comment deleted", False), ("account erased", False)],
    ids=["shell kept", "comment gone", "account erased"],
)
def test_the_reporters_note_and_network_go_with_the_comment(author, settings, removal, with_reply):
    comment = _reported(author, with_reply=with_reply)

    REMOVALS[removal](author, comment, settings)

    [report] = Report.objects.all()
    assert (report.text, report.network) == ("", None)
    assert report.reason == Report.Reason.PERSONAL_INFORMATION  # what the count is of


def test_the_transparency_page_says_reports_on_deleted_comments_still_count():
    page = BeautifulSoup(Client().get("/transparency/").content, "html.parser")

    said = page.select_one("#deleted-comments-counted").get_text()
    assert "also on comments their authors have deleted since" in said
    assert "closed as “comment deleted”" in said


def test_a_reporter_who_deletes_their_account_takes_their_note_and_leaves_the_count(author):
    reporter = make_reader("Ola")
    client = Client()
    client.force_login(reporter)
    reauthenticate(client)
    comment = make_comment(make_thread(), "Petro steals.", name="Taras", user_id=author.user.pk)
    answer = client.post(
        reverse("moderation:report", args=[comment.pk]), {"reason": "other", "text": NOTE}
    )
    assert answer.status_code == 200 and Report.objects.get().text == NOTE
    Report.objects.update(created_at=_last_month())
    published = _csv()

    assert client.post(reverse("reader_delete"), {"confirm": "yes"}).status_code == 302

    [report] = Report.objects.all()
    assert (report.text, report.reason) == ("", Report.Reason.OTHER)
    assert _csv() == published
