"""Small things a moderator meets: a bulk action with nothing ticked says so, and an unknown queue
is not quietly the Pending one."""

from __future__ import annotations

import pytest

from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation.models import CommentReview

pytestmark = pytest.mark.django_db


def test_approve_selected_with_nothing_ticked_asks_for_a_selection(admin_client):
    comment_create(thread=make_thread(), body="The minister is a moron.", author_name="Olena")

    page = admin_client.post(
        "/admin/moderation/bulk/",
        {"action": "approve", "next": "/admin/moderation/queue/pending/"},
        follow=True,
    )

    [message] = page.context["messages"]
    assert (message.level_tag, message.message) == ("warning", "Select at least one comment.")
    assert CommentReview.objects.get().state == CommentReview.State.PENDING


def test_a_queue_that_does_not_exist_is_not_found(admin_client):
    assert admin_client.get("/admin/moderation/queue/campaigns/").status_code == 404


def test_the_snippets_list_names_page_settings_as_the_menu_does(admin_client):
    page = admin_client.get("/admin/snippets/").content.decode()

    assert "Moderation by page" in page
    assert "settingss" not in page
