"""A display name that ends with a full stop ("Graham W.") ends the sentence it closes: what a
screen reader announces and what a moderator is told never read "Graham W.."."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.services import comment_create, thread_ensure
from discussion.tests.factories import make_comment
from moderation.actions import text_token
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_the_recommend_announcement_ends_once_after_a_name_ending_in_a_stop(client):
    comment = make_comment(thread_ensure(page=make_article()), "Worth reading.", name="Graham W.")

    response = client.post(f"/discussion/comments/{comment.pk}/react/", HTTP_HX_REQUEST="true")

    status = BeautifulSoup(response.content, "html.parser").find(id="discussion-status")
    assert status.get_text() == "You chose Recommend for the comment by Graham W. Count: 1."


def test_the_moderators_confirmation_ends_once_after_a_name_ending_in_a_stop(
    client, django_user_model
):
    comment = comment_create(
        thread=thread_ensure(page=make_article()), body="A fair point.", author_name="Halyna P."
    )
    client.force_login(django_user_model.objects.create_superuser("boss", "b@x.example", "pw-1a"))

    response = client.post(
        f"/admin/moderation/reviews/{comment.review.pk}/act/",
        {
            "action": "feature",
            "seen": text_token(comment.body),
            "next": "/admin/moderation/queue/pending/",
        },
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == ["Featured the comment by Halyna P."]
