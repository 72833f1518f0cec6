"""The admin's home page tells a moderator what waits for them, linked to each queue; staff who
may not moderate see no such panel."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission

from discussion.services import comment_create
from discussion.tests.factories import make_comment, make_thread
from moderation.services import report_create

pytestmark = pytest.mark.django_db


def _panel(response):
    return BeautifulSoup(response.content, "html.parser").select_one("#comments-waiting-section")


def _rows(panel) -> dict[str, tuple[str, str]]:
    rows = {}
    for item in panel.select("li"):
        link = item.select_one("a")
        rows[link.get_text(strip=True)] = (item.select_one("strong").get_text(), link["href"])
    return rows


def test_a_moderator_sees_what_waits_in_each_queue_linked_to_it(moderator_client):
    thread = make_thread()
    comment_create(thread=thread, body="The minister is a moron.", author_name="Olena")
    reported = make_comment(
        make_thread(), "The second paragraph gets the dates wrong.", name="Ivan"
    )
    report_create(
        comment=reported, reporter_key="guest:r1", network="2001:db8::/64", reason="abuse"
    )

    rows = _rows(_panel(moderator_client.get("/admin/")))

    assert rows["Pending review"] == ("1", "/admin/moderation/queue/pending/")
    assert rows["Reported by readers"] == ("1", "/admin/moderation/queue/reported/")
    assert rows["Appeals"] == ("0", "/admin/moderation/queue/appeals/")
    assert rows["Coordinated campaigns"] == ("0", "/admin/moderation/campaigns/")


def test_with_nothing_waiting_the_panel_says_so(moderator_client):
    make_comment(make_thread(), "A fair point, well made.")

    panel = _panel(moderator_client.get("/admin/"))

    assert "Nothing waits for a moderator" in panel.get_text()


def test_staff_who_may_not_moderate_see_no_counts(client, django_user_model):
    comment_create(thread=make_thread(), body="The minister is a moron.", author_name="Olena")
    editor = django_user_model.objects.create_user("ed", "", "pw-long-enough", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)

    response = client.get("/admin/")

    assert response.status_code == 200
    assert _panel(response) is None
