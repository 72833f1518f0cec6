"""A member of Wagtail's built-in "Moderators" group can moderate reader comments."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


def test_a_member_of_the_moderators_group_can_open_the_comment_queues(client, django_user_model):
    moderator = django_user_model.objects.create_user("mod2", "m@example.com", "pw-long-enough")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)

    response = client.get("/admin/moderation/queue/pending/")

    assert response.status_code == 200
    assert "Comments: Pending" in response.content.decode()
