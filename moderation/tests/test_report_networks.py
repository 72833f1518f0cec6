"""Reports take a comment down only from enough different networks.

A guest reader is only a signed cookie, handed out with their first report, so one person who
clears their cookies can report a comment again and again. Reports count towards the automatic
hold once per network (``core.client.client_network``: an IPv4 address or an IPv6 /64); every
report still puts the comment in the Reported queue.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from core.envsettings import parse_networks
from discussion.models import Comment
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from discussion.tests.readers import make_reader
from moderation import selectors
from moderation.actions import ApproveComment
from moderation.models import CommentReview, Report
from moderation.services import report_create
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db
REPORTED = "/admin/moderation/queue/reported/"
ONE_ADDRESS = "203.0.113.7"
THREE_ADDRESSES = ("203.0.113.7", "198.51.100.20", "192.0.2.44")


@pytest.fixture
def comment(settings):
    settings.MODERATION_REPORTS_TO_HOLD = 3
    thread = thread_ensure(page=make_article())
    return make_comment(thread, "The council should publish the figures.")


def _report(client: Client, comment: Comment, reason: str = "abuse"):
    response = client.post(
        f"/moderation/comments/{comment.pk}/report/", {"reason": reason, "text": ""}
    )
    assert response.status_code == 200, response.content.decode()
    return response


def _guest_at(address: str, **extra) -> Client:
    """A browser with no cookies yet: a new guest, as one with cleared cookies is."""
    return Client(REMOTE_ADDR=address, **extra)


def _status(comment: Comment) -> str:
    comment.refresh_from_db()
    return comment.status


def _reported_queue() -> list[int]:
    return [review.comment_id for review in selectors.queue_page(state="reported").reviews]


def test_three_guests_from_one_address_leave_the_comment_up_in_the_reported_queue(comment):
    for _ in range(3):
        _report(_guest_at(ONE_ADDRESS), comment)

    assert Report.objects.filter(comment=comment).count() == 3
    assert _status(comment) == Comment.Status.PUBLISHED
    assert _reported_queue() == [comment.pk]


def test_three_guests_from_three_addresses_take_the_comment_down(comment):
    for address in THREE_ADDRESSES:
        _report(_guest_at(address), comment)

    assert _status(comment) == Comment.Status.PENDING
    assert _reported_queue() == [comment.pk]


def test_members_on_one_network_count_as_one_address(comment):
    for name in ("Ada", "Ben", "Cleo"):
        member = _guest_at(ONE_ADDRESS)
        member.force_login(make_reader(name))
        _report(member, comment)

    assert _status(comment) == Comment.Status.PUBLISHED


def test_addresses_in_one_ipv6_64_count_as_one(comment):
    for address in ("2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::3"):
        _report(_guest_at(address), comment)

    assert _status(comment) == Comment.Status.PUBLISHED


def test_behind_a_trusted_proxy_each_readers_own_address_counts(comment, settings):
    settings.TRUSTED_PROXIES = parse_networks("10.0.0.0/8")
    for address in THREE_ADDRESSES:
        _report(_guest_at("10.0.0.2", HTTP_X_FORWARDED_FOR=address), comment)

    assert _status(comment) == Comment.Status.PENDING


def test_the_report_that_brings_the_third_address_takes_it_down(comment):
    for address in ("203.0.113.7", "203.0.113.7", "198.51.100.20"):
        _report(_guest_at(address), comment)
    assert _status(comment) == Comment.Status.PUBLISHED

    _report(_guest_at("192.0.2.44"), comment)

    assert _status(comment) == Comment.Status.PENDING


def test_after_a_moderator_approves_it_reports_from_new_addresses_do_not_take_it_down_again(
    comment, moderator
):
    for address in THREE_ADDRESSES:
        _report(_guest_at(address), comment)
    ApproveComment(comment=comment, user=moderator).execute()

    for address in ("198.51.100.21", "198.51.100.22", "198.51.100.23"):
        _report(_guest_at(address), comment)

    assert _status(comment) == Comment.Status.PUBLISHED
    assert _reported_queue() == [comment.pk]


def test_reports_sent_before_addresses_were_recorded_each_count_as_an_address(comment):
    """Reports from before migration 0011 have no network: each counted as one report towards
    the hold when it was sent, and still does."""
    for reader in ("old-1", "old-2"):
        Report.objects.create(comment=comment, reporter_key=f"guest:{reader}", reason="abuse")
    CommentReview.objects.filter(comment=comment).update(report_count=2)

    report_create(comment=comment, reporter_key="guest:new", network=ONE_ADDRESS, reason="spam")

    assert _status(comment) == Comment.Status.PENDING


def test_a_card_says_when_the_reports_came_from_fewer_addresses(comment, client, moderator):
    for _ in range(4):
        _report(_guest_at(ONE_ADDRESS), comment)
    client.force_login(moderator)

    [card] = BeautifulSoup(client.get(REPORTED).content, "html.parser").select("[data-mod-card]")

    reports = " ".join(card.select_one(".mod-reports").get_text().split())
    assert reports.startswith("Reports (4, from 1 address):")


def test_a_card_says_from_how_many_addresses_the_reports_took_it_down(comment, client, moderator):
    for address in ("203.0.113.7", "203.0.113.7", "198.51.100.20", "192.0.2.44"):
        _report(_guest_at(address), comment)
    client.force_login(moderator)

    [card] = BeautifulSoup(client.get(REPORTED).content, "html.parser").select("[data-mod-card]")

    takedown = " ".join(card.select_one(".mod-takedown").get_text().split())
    assert takedown == (
        "Hidden from readers after 4 reports from 3 addresses, until a moderator decides."
    )
