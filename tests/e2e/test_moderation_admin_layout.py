"""The moderation queue and dashboard in real Chromium use the Wagtail admin's own page header:
on a phone the heading clears the admin's menu button, and on a desktop it stands clear of the
sidebar, as every other admin page's does. The dashboard's chart fits a phone's width. The
sidebar's labels ("Moderation", "Campaigns") are shown whole, not cut short with an ellipsis."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import moderator_tab

pytestmark = pytest.mark.browser

PAGES = {
    "the pending queue": ("/admin/moderation/queue/pending/", "Comments: Pending"),
    "the dashboard": ("/admin/moderation/", "Moderation dashboard"),
}


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


@pytest.mark.parametrize("name", PAGES)
def test_on_a_phone_the_heading_is_not_under_the_menu_button(browser, live_site, name):
    page = moderator_tab(browser, live_site)
    page.set_viewport_size({"width": 390, "height": 844})
    path, title = PAGES[name]
    page.goto(path)
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(title)
    toggle = page.locator(".sidebar-nav-toggle")
    expect(toggle).to_be_visible()

    assert not _overlap(heading.bounding_box(), toggle.bounding_box())


@pytest.mark.parametrize("name", PAGES)
def test_on_a_desktop_the_heading_stands_clear_of_the_sidebar(browser, live_site, name):
    page = moderator_tab(browser, live_site)
    page.set_viewport_size({"width": 1280, "height": 900})
    path, title = PAGES[name]
    page.goto(path)
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(title)
    expect(page.locator(".sidebar")).to_be_visible()

    sidebar = page.locator(".sidebar").bounding_box()
    box = heading.bounding_box()

    assert box["x"] - (sidebar["x"] + sidebar["width"]) >= 16, (box, sidebar)
    assert box["y"] >= 16, box


def test_author_actions_shows_it_opens_and_opening_it_shows_the_actions(browser, live_site):
    page = moderator_tab(browser, live_site)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/admin/moderation/queue/unmoderated/")
    summary = page.locator(".mod-card summary", has_text="Author actions").first
    expect(summary).to_be_visible()

    # A summary shown as a list item carries the disclosure triangle; a plain block has none.
    assert summary.evaluate("element => getComputedStyle(element).display") == "list-item"
    assert summary.evaluate("element => getComputedStyle(element).listStyleType") != "none"
    assert summary.bounding_box()["height"] >= 24

    summary.click()
    card = page.locator(".mod-card").first
    expect(card.get_by_role("button", name="Warn")).to_be_visible()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_dashboards_48_hour_chart_fits_the_screen_to_its_latest_hour(browser, live_site, width):
    page = moderator_tab(browser, live_site)
    page.set_viewport_size({"width": width, "height": 844})
    page.goto("/admin/moderation/")
    chart = page.get_by_role("img", name="Comments per hour")
    expect(chart).to_be_visible()

    box = chart.bounding_box()
    viewport = page.viewport_size["width"]
    # Its right edge, where the latest hours are, is on screen and inside what Wagtail's
    # content area shows (it hides what overflows it).
    content = page.locator("main.content-wrapper").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport, (box, viewport)
    assert box["x"] + box["width"] <= content["x"] + content["width"] + 0.5, (box, content)
    # Scaled as drawn (its viewBox), not squeezed: the same shape at any width.
    assert abs(box["width"] / box["height"] - 616 / 140) < 0.05, box
    now = chart.locator("text[data-axis]").last
    expect(now).to_have_text("now")
    label = now.bounding_box()
    assert label["x"] + label["width"] <= viewport, (label, viewport)


# The current page's item is set in bold, which widens its label: each moderation page too.
@pytest.mark.parametrize("path", ["/admin/", "/admin/moderation/", "/admin/moderation/campaigns/"])
def test_on_a_desktop_every_label_in_the_sidebar_is_shown_whole(browser, live_site, path):
    page = moderator_tab(browser, live_site)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(path)
    labels = page.locator(".sidebar-main-menu .menuitem-label")
    expect(labels.first).to_be_visible()

    cut = labels.evaluate_all(
        "labels => labels.filter(l => l.scrollWidth > l.clientWidth).map(l => l.textContent)"
    )

    assert labels.count() >= 8
    assert cut == []
