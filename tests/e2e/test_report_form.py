"""The report form under a comment in real Chromium: focus starts at the reasons it asks for
first, Cancel or Escape close it, handing focus back to the Report link that opened it, and
Report pressed again while it is open goes back to it as the reader left it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def _open_report(page: Page, live_site):
    page.goto(live_site.reference_url)
    comment = page.locator("#comment-list > li.comment").first
    link = comment.locator(".comment__report").first
    link.click()
    form = comment.locator("form.report-form")
    expect(form).to_be_visible()
    return link, form


def test_opening_report_puts_focus_on_the_first_reason(page: Page, live_site):
    _link, form = _open_report(page, live_site)

    expect(form.locator("input[name=reason]").first).to_be_focused()


def test_cancel_closes_the_report_form_and_returns_focus_to_report(page: Page, live_site):
    link, form = _open_report(page, live_site)

    form.get_by_role("link", name="Cancel").click()

    expect(form).to_have_count(0)
    expect(link).to_be_focused()
    assert page.errors == []


def test_escape_closes_the_report_form_and_returns_focus_to_report(page: Page, live_site):
    link, form = _open_report(page, live_site)
    form.locator("textarea").focus()

    page.keyboard.press("Escape")

    expect(form).to_have_count(0)
    expect(link).to_be_focused()


def test_opening_report_keeps_a_half_typed_reply_to_the_same_comment(page: Page, live_site):
    page.goto(live_site.reference_url)
    comment = page.locator("#comment-list > li.comment").first
    comment.locator(".comment__reply").first.click()
    reply_box = comment.locator(".reply-slot form textarea").first
    reply_box.fill("A draft reply, not sent yet")

    comment.locator(".comment__report").first.click()

    expect(comment.locator("form.report-form")).to_be_visible()
    expect(reply_box).to_have_value("A draft reply, not sent yet")


def test_each_reason_to_report_is_a_target_of_at_least_24_css_pixels(page: Page, live_site):
    """WCAG 2.5.8 in itself, not only through the spacing exception: the browser's own radio
    buttons are 13 px."""
    _link, form = _open_report(page, live_site)
    radios = form.locator("input[type=radio]").all()
    assert len(radios) >= 2
    for radio in radios:
        box = radio.bounding_box()
        assert box is not None and box["width"] >= 24 and box["height"] >= 24, box


def test_pressing_report_again_goes_back_to_the_open_form_keeping_the_reason_and_note(
    page: Page, live_site
):
    """A reader who went back up to the Report link (Shift+Tab, to reread the comment) and
    pressed it again got a fresh, empty form in place of theirs: the reason they chose and the
    note they typed were gone."""
    link, form = _open_report(page, live_site)
    form.locator("input[name=reason][value=other]").check()
    form.locator("textarea").fill("The second paragraph names a private person.")
    link.focus()

    page.keyboard.press("Enter")

    expect(form.locator("input[name=reason][value=other]")).to_be_focused()
    expect(form.locator("input[name=reason][value=other]")).to_be_checked()
    expect(form.locator("textarea")).to_have_value("The second paragraph names a private person.")
