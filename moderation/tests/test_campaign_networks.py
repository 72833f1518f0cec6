"""A campaign's page says how many networks its comments were posted from, as reports and rate
limits count places (an IPv4 address, or an IPv6 /64), beside how many "different readers" it
counts: readers are told apart by account or guest cookie, so three "readers" on one network can
be one person clearing cookies. Before, the page gave the readers' count alone, and a moderator
could not tell three people from one with three cookies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from core import retention
from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation.campaigns import campaigns_scan
from moderation.models import Campaign, CommentReview
from moderation.tests.test_campaigns import COPIES

pytestmark = pytest.mark.django_db


def _networks_line(client, addresses: list[str | None]) -> str:
    for text, reader, address in zip(COPIES, "abcd", addresses, strict=False):
        comment_create(
            thread=make_thread(), body=text, author_name=f"Reader {reader}", source="reader",
            guest_key=f"guest-{reader}", ip_address=address,
        )  # fmt: skip
    campaigns_scan()
    campaign = Campaign.objects.get()
    page = client.get(f"/admin/moderation/campaigns/{campaign.pk}/")
    soup = BeautifulSoup(page.content, "html.parser")
    return " ".join(soup.select_one("[data-campaign-networks]").get_text().split())


def test_three_readers_on_one_address_are_posted_from_one_network(moderator_client):
    line = _networks_line(moderator_client, ["203.0.113.5"] * 3)

    assert line.startswith("Posted from 1 different network (an IPv4 address, or an IPv6 /64")
    assert "fewer networks than readers can be one person" in line


def test_addresses_in_one_ipv6_64_count_as_one_network(moderator_client):
    line = _networks_line(moderator_client, ["2001:db8:0:1::a", "2001:db8:0:1::b", "198.51.100.7"])

    assert line.startswith("Posted from 2 different networks")


def test_comments_with_no_address_recorded_are_said_apart(moderator_client):
    line = _networks_line(moderator_client, ["203.0.113.5", "198.51.100.7", None])

    assert line == (
        "Posted from 2 different networks (an IPv4 address, or an IPv6 /64, each), and 1 comment "
        "with no address kept (none recorded, or cleared after 90 days)."
    )


def test_comments_whose_addresses_were_cleared_after_the_days_kept_are_said_apart(
    moderator_client,
):
    for text, reader in zip(COPIES, "abc", strict=False):
        comment_create(
            thread=make_thread(), body=text, author_name=f"Reader {reader}", source="reader",
            guest_key=f"guest-{reader}", ip_address="203.0.113.5",
        )  # fmt: skip
    campaigns_scan()
    CommentReview.objects.update(created_at=timezone.now() - timedelta(days=100))
    retention.clear_all(days=90)

    page = moderator_client.get(f"/admin/moderation/campaigns/{Campaign.objects.get().pk}/")

    line = " ".join(
        BeautifulSoup(page.content, "html.parser")
        .select_one("[data-campaign-networks]")
        .text.split()
    )
    assert line.startswith(
        "Posted from 0 different networks (an IPv4 address, or an IPv6 /64, each), and 3 "
        "comments with no address kept (none recorded, or cleared after 90 days)."
    )
