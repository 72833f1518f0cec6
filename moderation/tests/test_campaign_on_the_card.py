"""A comment that campaign detection found is shown as such on its card in the queues, with a
link to its campaign: before, the Pending queue listed a held copy with nothing to say why (the
card shows screening's reasons, and screening had passed it), and a moderator working the queue
approved a campaign's comments one by one without knowing they were one."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation.campaigns import campaigns_scan
from moderation.models import Campaign
from moderation.tests.test_campaigns import COPIES

pytestmark = pytest.mark.django_db


def test_a_held_copy_says_on_its_card_that_it_is_part_of_a_campaign_and_links_to_it(
    moderator_client,
):
    thread = make_thread()
    for text, reader in zip(COPIES[:3], "abc", strict=True):
        comment_create(
            thread=thread, body=text, author_name=f"Reader {reader}", source="reader",
            guest_key=f"guest-{reader}",
        )  # fmt: skip
    campaigns_scan()
    campaign = Campaign.objects.get()

    page = BeautifulSoup(
        moderator_client.get("/admin/moderation/queue/pending/").content, "html.parser"
    )

    cards = page.select("[data-mod-card]")
    assert len(cards) == 3
    for card in cards:
        note = card.select_one(".mod-campaign")
        assert note is not None and "coordinated campaign" in note.get_text()
        assert note.a["href"] == f"/admin/moderation/campaigns/{campaign.pk}/"
