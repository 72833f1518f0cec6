"""The public transparency report is counted once for its readers, not for each: a finished
month's figures do not change, and this month's are counted again every
MODERATION_TRANSPARENCY_CACHE_SECONDS, which the page says. Counted for every request, a year of
moderation actions (45,000 on the bench's site) cost each reader 60 ms, more as the site grew."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from discussion.tests.factories import make_comment, make_thread
from moderation.actions import RejectComment
from moderation.models import ModerationAction

pytestmark = pytest.mark.django_db

TABLES = ("moderation_moderationaction", "moderation_report", "moderation_appeal")


def _reject(body: str) -> ModerationAction:
    comment = make_comment(make_thread(), body, name="Olena")
    return RejectComment(comment=comment, user=None, automated=True, reason_code="spam").execute()


def _rejected_this_month(page) -> str:
    [this_month] = [
        row
        for row in page.select("table.transparency tbody tr")
        if row.th.get_text() == f"{timezone.localtime():%B %Y}"
    ]
    return this_month.select("td")[1].get_text()  # Automated


def _page() -> BeautifulSoup:
    return BeautifulSoup(Client().get("/transparency/").content, "html.parser")


def test_the_next_reader_of_the_report_and_its_csv_costs_no_count():
    _reject("Buy my pills.")
    Client().get("/transparency/")

    with CaptureQueriesContext(connection) as queries:
        page = _page()
        csv = Client().get("/transparency/?format=csv").content.decode()

    assert _rejected_this_month(page) == "1"
    assert f"{timezone.localtime():%Y-%m},reject:spam,1" in csv
    counted = [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in TABLES)]
    assert counted == []


def test_the_page_says_how_far_behind_this_months_figures_may_be(settings):
    settings.MODERATION_TRANSPARENCY_CACHE_SECONDS = 300

    said = _page().select_one("#this-month-behind").get_text()

    assert said == (
        "This month's figures are counted again every 5 minutes, so they may be up to 5 minutes "
        "behind. A finished month's figures do not change."
    )


def test_this_month_is_counted_again_while_finished_months_are_kept(settings):
    settings.MODERATION_TRANSPARENCY_CACHE_SECONDS = 0
    last_month = timezone.localtime().replace(day=1) - timedelta(days=10)
    ModerationAction.objects.filter(pk=_reject("Buy my pills.").pk).update(created_at=last_month)
    before = Client().get("/transparency/?format=csv").content.decode()
    assert f"{last_month:%Y-%m},reject:spam,1" in before

    _reject("Cheap watches here.")
    # Written into a finished month behind the report's back: the report does not count it again.
    ModerationAction.objects.filter(pk=_reject("Loans today.").pk).update(created_at=last_month)

    after = Client().get("/transparency/?format=csv").content.decode()
    assert f"{timezone.localtime():%Y-%m},reject:spam,1" in after
    assert f"{last_month:%Y-%m},reject:spam,1" in after
    assert _page().select_one("#this-month-behind") is None
