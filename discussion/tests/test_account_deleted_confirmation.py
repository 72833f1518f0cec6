"""Deleting one's account says so on the front page it returns to.

The message rides in its own cookie (the session is gone), which keeps the request out of the
anonymous page cache (core.pagecache), so it is shown to that reader alone.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.tests.readers import make_reader, reauthenticate
from newsroom.tests.factories import make_home

pytestmark = pytest.mark.django_db

SAID = "Your account was deleted"


def _status(response) -> str:
    shown = BeautifulSoup(response.content, "html.parser").select_one(
        ".messages[data-announce=page-status]"
    )
    return shown.get_text() if shown is not None else ""


def test_the_front_page_says_the_account_was_deleted(client):
    make_home()
    client.force_login(make_reader("Ada"))
    reauthenticate(client)

    response = client.post("/readers/me/delete/", {"confirm": "yes"}, follow=True)

    assert response.redirect_chain[-1][0].startswith("/")
    assert SAID in _status(response)
