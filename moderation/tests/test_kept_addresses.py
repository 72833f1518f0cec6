"""Readers' addresses are kept for IP_RETENTION_DAYS, then cleared (core.retention).

Where a comment was posted from (its review's address), and where a report or a recommendation
came from (its network), is kept for moderation to count places rather than cookies. Once a
day the scheduler clears those older than IP_RETENTION_DAYS (90), in bounded batches; the
comment, the report and the recommendation stay. Before, they were kept for good. Moderation
that counts networks keeps working on rows whose network is gone."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.services import reader_erase
from core import retention
from discussion.models import Comment, Reaction
from discussion.own_comments import comments_of_reader_erase
from discussion.services import comment_create, reaction_toggle
from discussion.tests.factories import make_thread
from discussion.tests.readers import make_reader
from moderation.brigades import brigades_scan
from moderation.models import Campaign, CommentReview, Report
from moderation.services import report_create

pytestmark = pytest.mark.django_db

BODY = "The council's figures on the bus lanes do not match the ones it gave in March."
LONG_AGO = timedelta(days=100)


def _post(thread, reader: str, address: str | None = None, body: str = BODY) -> Comment:
    return comment_create(
        thread=thread, body=body, author_name=f"Reader {reader}", source="reader",
        guest_key=f"guest-{reader}", ip_address=address,
    )  # fmt: skip


def _age(comment: Comment, by: timedelta) -> None:
    """Make everything recorded about ``comment`` ``by`` older."""
    when = timezone.now() - by
    CommentReview.objects.filter(comment=comment).update(created_at=when)
    Report.objects.filter(comment=comment).update(created_at=when)
    Reaction.objects.filter(comment=comment).update(created_at=when)


def _kept(comment: Comment) -> tuple:
    """What is still known of where ``comment``, its report and its recommendation came from."""
    return (
        CommentReview.objects.get(comment=comment).ip_address,
        Report.objects.get(comment=comment).network,
        Reaction.objects.get(comment=comment).network,
    )


@pytest.fixture
def posted(settings) -> tuple[Comment, Comment]:
    """A comment from 100 days ago and one from today, each reported and recommended once."""
    settings.REPLY_DIGEST_HOUR = 0  # the daily jobs are due at any hour
    thread = make_thread()
    comments = []
    for n, reader in enumerate(("old", "new")):
        comment = _post(thread, reader, f"203.0.113.{n}")
        report_create(
            comment=comment, reporter_key="guest:r", network=f"198.51.100.{n}", reason="spam"
        )
        reaction_toggle(comment=comment, reader_key="fan", user_id=None, network=f"192.0.2.{n}")
        comments.append(comment)
    _age(comments[0], LONG_AGO)
    return comments[0], comments[1]


def _scheduler_pass() -> str:
    out = StringIO()
    call_command("run_scheduler", once=True, stdout=out)
    return out.getvalue()


def test_addresses_older_than_the_days_kept_are_cleared_and_their_rows_stay(posted):
    old, _ = posted

    _scheduler_pass()

    assert _kept(old) == (None, "", None)
    # The comment, its report and its recommendation are all still there, and still counted.
    old = Comment.objects.get(pk=old.pk)
    assert (old.status, old.reaction_count, old.review.report_count) == ("published", 1, 1)


def test_addresses_recorded_within_the_days_kept_stay(posted):
    _, new = posted

    _scheduler_pass()

    assert _kept(new) == ("203.0.113.1", "198.51.100.1", "192.0.2.1")


def test_with_0_days_kept_every_address_stays(posted, settings):
    settings.IP_RETENTION_DAYS = 0
    old, _ = posted

    _scheduler_pass()

    assert _kept(old) == ("203.0.113.0", "198.51.100.0", "192.0.2.0")


def test_the_scheduler_says_how_many_addresses_it_cleared(posted):
    said = _scheduler_pass()

    assert "Cleared the addresses older than 90 days: " in said
    for cleared in (
        "1 discussion.reaction_networks",
        "1 moderation.review_addresses",
        "1 moderation.report_networks",
    ):
        assert cleared in said


def test_addresses_are_cleared_in_batches_of_the_size_given():
    comment = _post(make_thread(), "author")
    for n in range(5):
        reaction_toggle(comment=comment, reader_key=f"fan-{n}", user_id=None, network="192.0.2.1")
    _age(comment, LONG_AGO)

    with CaptureQueriesContext(connection) as queries:
        retention.clear_all(days=90, batch=2)

    updates = [q for q in queries if q["sql"].startswith('UPDATE "discussion_reaction"')]
    assert len(updates) == 3  # 2 + 2 + 1: no statement holds more than a batch's rows
    assert not Reaction.objects.exclude(network=None).exists()


# --- each pass starts where the last one finished (core.RetentionMark) ------------------------


def _recommended(*, days_ago: list[int]) -> list[Reaction]:
    """One recommendation of a new comment from each of ``days_ago``, each with its network."""
    comment = _post(make_thread(), "author")
    for n, days in enumerate(days_ago):
        reaction_toggle(comment=comment, reader_key=f"fan-{n}", user_id=None, network="192.0.2.1")
        Reaction.objects.filter(pk=Reaction.objects.latest("pk").pk).update(
            created_at=timezone.now() - timedelta(days=days)
        )
    return list(Reaction.objects.filter(comment=comment).order_by("created_at"))


def _networks(reactions: list[Reaction]) -> list[str | None]:
    return [Reaction.objects.get(pk=reaction.pk).network for reaction in reactions]


def test_the_next_pass_reads_nothing_the_last_one_cleared(posted):
    _scheduler_pass()
    # A recommendation behind where that pass finished, still with its network: only a pass
    # that walks the rows already cleared (as each did before the mark was kept) would reach it.
    # The mark is a row in the database, so a scheduler started again after a restart starts
    # from it too.
    (behind,) = _recommended(days_ago=[120])

    said = _scheduler_pass()

    assert "0 discussion.reaction_networks" in said
    assert _networks([behind]) == ["192.0.2.1"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # batches commit one by one
def test_a_pass_that_died_mid_way_leaves_nothing_for_the_next_to_miss():
    reactions = _recommended(days_ago=[91, 92, 93, 94, 95])

    def database_gone_after_one_batch(execute, sql, params, many, context):
        if sql.startswith('UPDATE "discussion_reaction"'):
            if updates:
                raise OperationalError("server closed the connection unexpectedly")
            updates.append(sql)
        return execute(sql, params, many, context)

    updates: list[str] = []
    with connection.execute_wrapper(database_gone_after_one_batch), pytest.raises(OperationalError):
        retention.clear_all(days=90, batch=2)
    assert _networks(reactions).count(None) == 2  # the oldest two, in the batch that committed

    retention.clear_all(days=90, batch=2)

    assert _networks(reactions) == [None] * 5


def test_fewer_days_kept_clears_the_addresses_that_are_now_too_old():
    sixty, ten = _recommended(days_ago=[60, 10])
    retention.clear_all(days=90)

    retention.clear_all(days=30)

    assert _networks([sixty, ten]) == [None, "192.0.2.1"]


def test_more_days_kept_keeps_what_is_left_until_its_own_days_have_passed():
    (twenty,) = _recommended(days_ago=[20])
    retention.clear_all(days=30)  # the last pass, with 30 days kept, finished 30 days ago

    retention.clear_all(days=90, now=timezone.now() + timedelta(days=69))
    kept_for_89_days = _networks([twenty])
    retention.clear_all(days=90, now=timezone.now() + timedelta(days=71))

    assert (kept_for_89_days, _networks([twenty])) == (["192.0.2.1"], [None])


# --- moderation that counts networks, on rows whose network was cleared --------------------


def test_one_networks_cleared_reports_and_a_new_one_from_it_do_not_take_a_comment_down(settings):
    settings.MODERATION_REPORTS_TO_HOLD = 3
    comment = _post(make_thread(), "author")
    for reporter in ("a", "b"):
        report_create(
            comment=comment, reporter_key=f"guest:{reporter}", network="198.51.100.9", reason="spam"
        )
    _age(comment, LONG_AGO)
    retention.clear_all(days=90)

    # Counted each as a network of its own, the two cleared reports and a third from the same
    # network would have made three.
    report_create(comment=comment, reporter_key="guest:c", network="198.51.100.9", reason="spam")

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED


def test_one_reader_mass_reporting_is_still_found_once_the_networks_are_cleared(settings):
    # A site keeping addresses one day, and looking at two days of reports.
    settings.IP_RETENTION_DAYS = 1
    settings.MODERATION_REPORTING_HOURS = 48
    thread = make_thread()
    comments = [_post(thread, "target", body=f"{BODY} Point {n}.") for n in range(3)]
    for comment in comments:
        report_create(
            comment=comment, reporter_key="guest:r", network="198.51.100.9", reason="spam"
        )
        _age(comment, timedelta(hours=30))
    retention.clear_all(days=1)

    brigades_scan()

    campaign = Campaign.objects.get(kind=Campaign.Kind.REPORTING)
    assert (campaign.evidence["comments"], campaign.evidence["reporters"]) == (3, 1)


def test_readers_whose_old_recommendations_lost_their_networks_are_not_new_to_the_site():
    readers = [f"regular-{n}" for n in range(15)]
    thread = make_thread()
    old = _post(thread, "old")
    for reader in readers:
        reaction_toggle(comment=old, reader_key=reader, user_id=None, network="192.0.2.1")
    _age(old, LONG_AGO)
    retention.clear_all(days=90)
    comment = _post(thread, "target", body=f"{BODY} Again.")
    for n, reader in enumerate(readers):
        reaction_toggle(comment=comment, reader_key=reader, user_id=None, network=f"198.51.100.{n}")

    assert brigades_scan().recommending == []


def _member_comment(thread, member, address: str) -> Comment:
    return comment_create(
        thread=thread, body=BODY, author_name="Member", user_id=member.pk, source="reader",
        ip_address=address,
    )  # fmt: skip


@pytest.mark.parametrize("mode", ["keep", "remove"])
def test_a_reader_deleting_their_account_takes_their_addresses_without_waiting(mode):
    thread = make_thread()
    member = make_reader()
    key = f"user:{member.pk}"
    theirs = _member_comment(thread, member, "203.0.113.7")
    guests = _post(thread, "other", "203.0.113.8")
    report_create(comment=guests, reporter_key=key, network="198.51.100.7", reason="spam")
    report_create(comment=guests, reporter_key="guest:r", network="198.51.100.8", reason="spam")

    comments_of_reader_erase(user_id=member.pk, mode=mode)
    reader_erase(user=member)

    # Theirs are gone at once (their comment kept under "Deleted account", or removed); their
    # report stays, counted as before.
    assert not CommentReview.objects.filter(comment_id=theirs.pk, ip_address__isnull=False)
    assert Report.objects.get(comment=guests, reporter_key=key).network == ""
    # Everyone else's stay until their own days have passed.
    assert CommentReview.objects.get(comment=guests).ip_address == "203.0.113.8"
    assert Report.objects.get(comment=guests, reporter_key="guest:r").network == "198.51.100.8"
