"""An appeal on a comment its author then deletes is withdrawn: it leaves the Appeals queue, no
one is emailed, the author's statement of reasons says so, and the transparency report still
counts it among the month's appeals, and says how."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from discussion.models import Comment
from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation.actions import DecideAppeal, RejectComment
from moderation.models import Appeal
from moderation.services import appeal_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("email_tasks_run_as_queued")]

QUEUE = "/admin/moderation/queue/appeals/"


@pytest.fixture
def moderator_client(moderator):
    client = Client()
    client.force_login(moderator)
    return client


@pytest.fixture
def author_client(django_user_model):
    author = django_user_model.objects.create_user("taras", "taras@example.com", "pw-long-enough")
    client = Client()
    client.force_login(author)
    client.author = author
    return client


def _appealed(author, moderator, *, with_reply: bool) -> tuple[Comment, Appeal]:
    """The author's comment, rejected by a moderator, and their appeal of it."""
    comment = comment_create(
        thread=make_thread(), body="Cheap pills at my shop.", author_name="Taras",
        user_id=author.pk,
    )  # fmt: skip
    if with_reply:
        comment_create(
            thread=comment.thread, body="Reported it.", author_name="Ola", parent_id=comment.pk
        )
    entry = RejectComment(comment=comment, user=moderator, reason_code="spam").execute()
    appeal = appeal_create(action=entry, reader_key=f"user:{author.pk}", text="It was a joke.")
    return comment, appeal


def _delete(client, comment: Comment, capture) -> None:
    with capture(execute=True):
        answer = client.post(reverse("discussion:comment_delete", args=[comment.pk]))
    assert answer.status_code == 302


@pytest.mark.parametrize("with_reply", [True, False], ids=["shell kept", "comment gone"])
def test_deleting_the_comment_withdraws_its_appeal_from_the_queue_and_emails_no_one(
    author_client, moderator, moderator_client, mailoutbox, with_reply,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    comment, appeal = _appealed(author_client.author, moderator, with_reply=with_reply)
    assert f"appeal-{appeal.pk}" in moderator_client.get(QUEUE).content.decode()
    mailoutbox.clear()

    _delete(author_client, comment, django_capture_on_commit_callbacks)

    queue = BeautifulSoup(moderator_client.get(QUEUE).content, "html.parser")
    assert not queue.select(f"#appeal-{appeal.pk}")
    assert queue.select_one('[data-queue-count="appeals"]').get_text() == "0"
    appeal = Appeal.objects.get(pk=appeal.pk)
    assert appeal.status == Appeal.Status.WITHDRAWN
    assert appeal.text == ""  # the reader's words go with their comment
    assert mailoutbox == []


def test_the_authors_statement_says_their_appeal_was_withdrawn(
    author_client, moderator, django_capture_on_commit_callbacks
):
    comment, _appeal = _appealed(author_client.author, moderator, with_reply=True)

    _delete(author_client, comment, django_capture_on_commit_callbacks)

    page = author_client.get(f"/moderation/comments/{comment.pk}/why/").content.decode()
    assert "Your appeal: Withdrawn: the comment was deleted." in page


def test_a_withdrawn_appeal_turned_down_from_a_page_loaded_before_is_refused_and_emails_no_one(
    author_client, moderator, moderator_client, mailoutbox, django_capture_on_commit_callbacks
):
    comment, appeal = _appealed(author_client.author, moderator, with_reply=True)
    mailoutbox.clear()
    _delete(author_client, comment, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        answer = moderator_client.post(
            f"/admin/moderation/appeals/{appeal.pk}/decide/",
            {"decision": "deny", "note": "Adverts are not allowed.", "next": QUEUE},
            follow=True,
        )

    assert "the appeal was withdrawn" in answer.content.decode()
    assert Appeal.objects.get(pk=appeal.pk).status == Appeal.Status.WITHDRAWN
    assert mailoutbox == []


def test_the_transparency_report_counts_a_withdrawn_appeal_and_says_how(
    author_client, moderator, django_capture_on_commit_callbacks
):
    comment, _appeal = _appealed(author_client.author, moderator, with_reply=False)
    _appealed(author_client.author, moderator, with_reply=False)  # still open

    _delete(author_client, comment, django_capture_on_commit_callbacks)

    page = BeautifulSoup(Client().get("/transparency/").content, "html.parser")
    headers = [th.get_text() for th in page.select("table.transparency thead th")]
    [month] = page.select("table.transparency tbody tr")
    cells = dict(zip(headers[1:], [td.get_text() for td in month.select("td")], strict=True))
    assert (cells["Appeals"], cells["Appeals withdrawn"]) == ("2", "1")
    assert "still counts among the month's appeals" in page.select_one("#appeals-counted").text
    rows = list(csv.reader(io.StringIO(Client().get("/transparency/?format=csv").content.decode())))
    counts = {field: n for _month, field, n in rows[1:]}
    assert (counts["appeals"], counts["appeals_withdrawn"]) == ("2", "1")


def test_a_withdrawal_counts_in_its_own_month_leaving_the_month_the_appeal_was_sent_as_published(
    author_client, moderator, django_capture_on_commit_callbacks
):
    comment, appeal = _appealed(author_client.author, moderator, with_reply=False)
    sent = timezone.localtime().replace(day=1) - timedelta(days=10)
    Appeal.objects.filter(pk=appeal.pk).update(created_at=sent)
    last_month, this_month = f"{sent:%Y-%m}", f"{timezone.localtime():%Y-%m}"
    published = [row for row in _csv() if row[0] == last_month]
    assert [last_month, "appeals", "1"] in published

    _delete(author_client, comment, django_capture_on_commit_callbacks)

    assert [row for row in _csv() if row[0] == last_month] == published
    assert [this_month, "appeals_withdrawn", "1"] in _csv()


def _csv() -> list[list[str]]:
    cache.clear()  # counted afresh: what the report counts, not what it kept
    return list(csv.reader(io.StringIO(Client().get("/transparency/?format=csv").content.decode())))


@pytest.mark.parametrize("with_reply", [True, False], ids=["shell kept", "comment gone"])
@pytest.mark.parametrize("uphold", [True, False], ids=["upheld", "turned down"])
def test_a_decided_appeals_words_go_when_its_author_deletes_the_comment(
    author_client, moderator, django_capture_on_commit_callbacks, uphold, with_reply
):
    comment, appeal = _appealed(author_client.author, moderator, with_reply=with_reply)
    DecideAppeal(appeal=appeal, user=moderator, uphold=uphold, note="Adverts.").execute()

    _delete(author_client, comment, django_capture_on_commit_callbacks)

    appeal = Appeal.objects.get(pk=appeal.pk)
    assert appeal.text == ""
    assert appeal.status == (Appeal.Status.UPHELD if uphold else Appeal.Status.DENIED)
