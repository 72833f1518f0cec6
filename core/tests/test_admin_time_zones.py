"""The time zones an editor may choose in the admin are ones their browser knows."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_account_page_offers_no_time_zone_a_browser_cannot_use(admin_client):
    """Wagtail offers every zone of the system's tz database, and Debian's holds "localtime"
    (a link to the machine's own zone), which no browser knows: the admin's account page
    stopped with "RangeError: Invalid time zone specified: localtime" on the console, and
    offered it to choose."""
    page = admin_client.get("/admin/account/").content.decode()

    assert 'value="Europe/London"' in page
    assert 'value="localtime"' not in page
