"""A ban appealed and lifted, in real Chromium against a real server: a moderator bans a guest
for a day from their comment's card; the guest's next comment is refused with a link to the
ban's statement of reasons, where they read why and appeal; the moderator upholds the appeal in
the Appeals queue, and the guest comments again.

One test, because each step needs the state the step before left; every text is unique, so it
shares the demo site with the other browser tests without depending on them.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import moderator_tab, new_tab, post_as_guest
from tests.e2e.test_accessibility import _violations as violations

pytestmark = pytest.mark.browser


def _pending_card(moderator: Page, marker: str):
    moderator.goto(f"/admin/moderation/queue/pending/?q={marker}")
    card = moderator.locator("[data-mod-card]")
    expect(card).to_have_count(1)
    return card


def test_a_banned_guest_appeals_and_comments_again_once_the_appeal_is_upheld(browser, live_site):
    marker = uuid.uuid4().hex[:8]
    guest = new_tab(browser, live_site)

    # A new guest's first comment waits for a moderator, shown to its author in place.
    post_as_guest(guest, live_site.reference_url, f"Buy cheap watches at my shop {marker}", "Olena")
    expect(guest.locator("li.comment--pending", has_text=marker)).to_contain_text("Awaiting review")

    # A moderator bans her for a day from the comment's card, with a reason and a note.
    moderator = moderator_tab(browser, live_site)
    card = _pending_card(moderator, marker)
    card.locator("summary", has_text="Author actions").click()
    card.get_by_label("Reason (the reader is told it)").select_option("spam")
    card.get_by_label("Note", exact=True).fill(f"Stop the adverts {marker}.")
    card.get_by_role("button", name="Ban 1 day", exact=True).click()
    expect(moderator.locator(".messages")).to_contain_text("Banned Olena for a day.")

    # Her next comment is refused, with a link to why and how to appeal.
    post_as_guest(guest, live_site.reference_url, f"Still selling watches {marker}", "Olena")
    refusal = guest.locator("#comment-form-body-error")
    expect(refusal).to_be_visible()
    expect(guest.locator("li.comment", has_text=f"Still selling watches {marker}")).to_have_count(0)
    refusal.get_by_role("link", name="Why, and how to appeal the ban").click()

    # The ban's statement of reasons: banned until when, why, and the moderator's note.
    expect(guest).to_have_url(re.compile(r"/moderation/ban/$"))
    expect(guest.get_by_role("heading", level=1)).to_have_text("Why you cannot comment")
    expect(guest.locator(".statement__status")).to_contain_text("Banned until")
    main = guest.locator("main")
    expect(main).to_contain_text("The moderators' reason: spam or advertising.")
    expect(main).to_contain_text(f"Stop the adverts {marker}.")
    # The comment the ban was made over, quoted: the facts the decision rests on.
    expect(guest.locator(".statement__comment")).to_have_text(
        f"Buy cheap watches at my shop {marker}"
    )
    assert violations(guest) == []  # WCAG 2.2 AA, with the appeal form

    # She appeals.
    guest.get_by_label("Why should this decision be changed?").fill(
        f"I was warning readers about that shop, not selling for it {marker}."
    )
    guest.get_by_role("button", name="Send appeal").click()
    expect(guest.get_by_role("status").filter(has_text="Your appeal was sent.")).to_be_visible()
    expect(guest.locator(".statement__appeal")).to_contain_text("waiting for a moderator")
    expect(guest.get_by_role("button", name="Send appeal")).to_have_count(0)

    # The moderator finds the appeal in the Appeals queue and upholds it.
    moderator.goto("/admin/moderation/queue/appeals/")
    appeal = moderator.locator("article[data-ban-appeal]", has_text=marker)
    expect(appeal).to_have_count(1)
    expect(appeal.locator("header")).to_contain_text("Olena appeals their ban")
    expect(appeal.locator("header")).to_contain_text("Reader banned: spam")
    expect(appeal).to_contain_text(f"Stop the adverts {marker}.")
    # What the ban was made from, and her comments by queue (the banned one still waits).
    expect(appeal.locator(".mod-body")).to_have_text(f"Buy cheap watches at my shop {marker}")
    expect(appeal.locator(".mod-history")).to_have_text(
        "Their comments: 1 pending, 0 approved, 0 unmoderated, 0 rejected. Their record"
    )
    # Her record: the ban, by whom, with the note she was given.
    appeal.get_by_role("link", name="Their record").click()
    expect(moderator.get_by_role("heading", level=1)).to_have_text("Record of Olena")
    ban = moderator.locator("[data-record-action=ban]")
    expect(ban).to_contain_text("Reader banned: spam, until")
    expect(ban).to_contain_text(f"Stop the adverts {marker}.")
    # A note for the next moderator, kept on the record.
    moderator.get_by_label("A note for the other moderators").fill(f"Appealed at once {marker}.")
    moderator.get_by_role("button", name="Keep the note").click()
    expect(moderator.locator(".messages")).to_contain_text("Note kept with their record.")
    expect(moderator.locator("[data-record-notes] li").first).to_contain_text(
        f"Appealed at once {marker}."
    )
    # ... and deleted, as one written about the wrong reader would be.
    moderator.locator("[data-record-notes] li").first.get_by_role("button", name="Delete").click()
    expect(moderator.locator(".messages")).to_contain_text("Note deleted.")
    expect(moderator.locator("[data-record-notes] li", has_text=marker)).to_have_count(0)
    moderator.goto("/admin/moderation/queue/appeals/")
    appeal.get_by_role("button", name="Uphold and lift the ban (a)").click()
    expect(moderator.locator(".messages")).to_contain_text(
        "Upheld the appeal by Olena: their ban is lifted."
    )
    expect(moderator.locator("article[data-ban-appeal]", has_text=marker)).to_have_count(0)

    # Her statement says so, and she can comment again: accepted, not refused (still a new
    # commenter's, so it waits for a moderator), and published once a moderator approves it.
    guest.goto("/moderation/ban/")
    expect(guest.locator(".statement__appeal")).to_contain_text("upheld, and the ban lifted")
    expect(guest.locator(".statement__status")).to_contain_text("You can comment again.")
    body = f"Thank you for reading my appeal {marker}"
    post_as_guest(guest, live_site.reference_url, body, "Olena")
    expect(guest.locator("#comment-form-body-error")).to_have_count(0)
    mine = guest.locator("li.comment", has_text=body)
    expect(mine).to_be_visible()
    comment_id = mine.get_attribute("id").removeprefix("c-")

    _pending_card(moderator, f"reading my appeal {marker}").get_by_role(
        "button", name="Approve (a)"
    ).click()
    expect(moderator.locator(".messages")).to_contain_text("Approved the comment by Olena.")
    reader = new_tab(browser, live_site)
    reader.goto(f"/c/{comment_id}/")
    expect(reader.locator(f"#c-{comment_id}")).to_contain_text(body)
