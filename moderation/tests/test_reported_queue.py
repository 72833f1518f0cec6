"""The Reported queue: every comment a reader reported reaches a moderator, from the first report.

``MODERATION_REPORTS_TO_HOLD`` is only how many reports also take the comment down meanwhile.
"""

from __future__ import annotations

import itertools

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.formats import date_format
from django.utils.timezone import localtime

from discussion.models import Comment
from discussion.tests.factories import make_comment, make_thread
from moderation import selectors
from moderation.actions import ApproveComment, RejectComment
from moderation.models import ModerationAction
from moderation.services import report_create

pytestmark = pytest.mark.django_db
REPORTED = "/admin/moderation/queue/reported/"


_networks = itertools.count(1)


def _report(comment: Comment, reader: str, reason: str = "abuse", text: str = "") -> None:
    """A report by ``reader``, each from a network of its own (an IPv6 /64)."""
    network = f"2001:db8:0:{next(_networks):x}::/64"
    report_create(
        comment=comment, reporter_key=f"guest:{reader}", network=network, reason=reason, text=text
    )


def _cards(response) -> list:
    return BeautifulSoup(response.content, "html.parser").select("[data-mod-card]")


def test_one_report_puts_the_comment_in_the_reported_queue_while_it_stays_published(
    moderator_client,
):
    comment = make_comment(make_thread(), "Everyone on this thread is a fool.", name="Olena")

    _report(comment, "reader-1")

    [card] = _cards(moderator_client.get(REPORTED))
    assert "Everyone on this thread is a fool." in card.get_text()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED


def test_the_reported_tab_counts_a_comment_from_its_first_report(moderator_client):
    _report(make_comment(make_thread(), "Reported once."), "reader-1")

    page = BeautifulSoup(moderator_client.get(REPORTED).content, "html.parser")

    assert page.select_one('[data-queue-count="reported"]').get_text() == "1"


def test_a_reported_card_shows_how_many_reports_and_their_reasons(moderator_client):
    comment = make_comment(make_thread(), "Buy cheap watches at my shop.")
    _report(comment, "reader-1", "spam")
    _report(comment, "reader-2", "other", "Same text under every article.")

    [card] = _cards(moderator_client.get(REPORTED))

    reports = card.select_one(".mod-reports").get_text(" ", strip=True)
    assert reports.startswith("Reports (2):")
    assert "Spam" in reports and "Same text under every article." in reports


def test_the_reported_queue_puts_the_newest_report_first():
    thread = make_thread()
    older, newer = make_comment(thread, "Older comment."), make_comment(thread, "Newer comment.")
    _report(newer, "reader-1")
    _report(older, "reader-2")  # the older comment, reported last, comes first

    page = selectors.queue_page(state="reported")

    assert [review.comment_id for review in page.reviews] == [older.pk, newer.pk]


def test_the_reported_queue_pages_on_the_reports_newest_first():
    thread = make_thread()
    comments = [make_comment(thread, f"Comment {n}.") for n in range(3)]
    for n, comment in enumerate(comments):
        _report(comment, f"reader-{n}")

    first = selectors.queue_page(state="reported", limit=2)
    second = selectors.queue_page(state="reported", limit=2, before=first.older)

    assert [r.comment_id for r in first.reviews] == [comments[2].pk, comments[1].pk]
    assert [r.comment_id for r in second.reviews] == [comments[0].pk]
    assert second.older is None


def test_a_comment_held_by_the_nth_report_stays_in_the_reported_queue(settings):
    settings.MODERATION_REPORTS_TO_HOLD = 2
    comment = make_comment(make_thread(), "Reported twice.")
    _report(comment, "reader-1")
    _report(comment, "reader-2")

    page = selectors.queue_page(state="reported")

    assert [review.comment_id for review in page.reviews] == [comment.pk]
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_approving_a_reported_comment_answers_its_reports(moderator):
    comment = make_comment(make_thread(), "Reported, then approved.")
    _report(comment, "reader-1")

    ApproveComment(comment=comment, user=moderator).execute()

    assert selectors.queue_page(state="reported").reviews == []
    assert selectors.queue_counts()["reported"] == 0


def test_rejecting_a_reported_comment_answers_its_reports(moderator):
    comment = make_comment(make_thread(), "Reported, then rejected.")
    _report(comment, "reader-1")

    RejectComment(comment=comment, user=moderator, reason_code="abuse").execute()

    assert selectors.queue_page(state="reported").reviews == []


def test_a_new_report_after_an_approval_brings_the_comment_back_but_leaves_it_up(
    moderator, settings
):
    settings.MODERATION_REPORTS_TO_HOLD = 2
    comment = make_comment(make_thread(), "Held by reports, put back, reported again.")
    _report(comment, "reader-1")
    _report(comment, "reader-2")  # the second holds it
    ApproveComment(comment=comment, user=moderator).execute()  # a moderator puts it back

    _report(comment, "reader-3")

    assert [r.comment_id for r in selectors.queue_page(state="reported").reviews] == [comment.pk]
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED


def test_a_card_says_the_reports_took_the_comment_down(moderator_client, settings):
    """Not only the automatic hold it had when it was posted: the card says the reports hid it."""
    settings.MODERATION_REPORTS_TO_HOLD = 3
    comment = make_comment(make_thread(), "An approved comment readers then reported.")
    for reader in ("a", "b", "c"):
        _report(comment, reader)

    [card] = _cards(moderator_client.get(REPORTED))

    takedown = " ".join(card.select_one(".mod-takedown").get_text().split())
    assert takedown == "Hidden from readers after 3 reports, until a moderator decides."


def _approved_line(response):
    [card] = _cards(response)
    line = card.select_one(".mod-approved")
    return None if line is None else " ".join(line.get_text().split())


def _approval_time(comment: Comment) -> str:
    action = ModerationAction.objects.get(comment=comment, kind=ModerationAction.Kind.APPROVE)
    return date_format(localtime(action.created_at), "j M Y, H:i")


def test_a_reported_card_says_a_moderator_had_approved_the_comment(moderator, moderator_client):
    comment = make_comment(make_thread(), "Approved, then reported.")
    ApproveComment(comment=comment, user=moderator).execute()
    _report(comment, "reader-1")

    line = _approved_line(moderator_client.get(REPORTED))

    assert line == f"Approved earlier by boss, on {_approval_time(comment)}."


def test_a_reported_card_says_nothing_of_approval_when_no_moderator_approved_it(
    moderator_client,
):
    _report(make_comment(make_thread(), "Reported, never approved."), "reader-1")

    assert _approved_line(moderator_client.get(REPORTED)) is None


def test_an_approval_by_an_account_since_deleted_reads_as_a_moderators(
    moderator_client, django_user_model
):
    gone = django_user_model.objects.create_superuser("gone", "gone@ex.com", "pw-long-enough")
    comment = make_comment(make_thread(), "Approved by someone who left, then reported.")
    ApproveComment(comment=comment, user=gone).execute()
    _report(comment, "reader-1")
    when = _approval_time(comment)
    gone.delete()

    line = _approved_line(moderator_client.get(REPORTED))

    assert line == f"Approved earlier by a moderator, on {when}."


def test_the_reported_queue_reads_earlier_approvals_in_its_own_queries(moderator, moderator_client):
    """As many queries for the page with three approved, reported comments as with one."""
    thread = make_thread()

    def queries_for_the_page() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = moderator_client.get(REPORTED)
        assert response.status_code == 200
        return len(queries)

    counts = []
    for n in range(3):
        comment = make_comment(thread, f"Approved, then reported: {n}.")
        ApproveComment(comment=comment, user=moderator).execute()
        _report(comment, f"reader-{n}")
        counts.append(queries_for_the_page())

    assert len(_cards(moderator_client.get(REPORTED))) == 3
    assert counts[0] == counts[1] == counts[2]
