"""The queues cost the same queries however many members' comments a page of cards shows: a
newsroom's queue fills with members' comments, and each card says when its author's account was
made."""

from __future__ import annotations

import pytest

from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation.models import Rule
from moderation.tests.bob import queries_answering

pytestmark = pytest.mark.django_db

PENDING = "/admin/moderation/queue/pending/"


@pytest.fixture
def moderator_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-long-enough")
    client.force_login(user)
    return client


def _members_held(django_user_model, thread, count: int, start: int) -> None:
    """``count`` comments held by a suspect word, each by a member of their own."""
    for n in range(start, start + count):
        member = django_user_model.objects.create_user(f"member{n}", f"member{n}@example.com")
        comment_create(
            thread=thread,
            body=f"A zorkbat of a briefing, number {n}.",
            author_name=f"Member {n}",
            user_id=member.pk,
        )


def test_a_page_of_members_cards_costs_the_same_queries_as_one_card(
    moderator_client, django_user_model
):
    thread = make_thread()
    Rule.objects.create(kind=Rule.Kind.SUSPECT, pattern="zorkbat")
    _members_held(django_user_model, thread, 1, start=0)
    one = queries_answering(moderator_client, PENDING)

    _members_held(django_user_model, thread, 5, start=1)
    six = queries_answering(moderator_client, PENDING)

    page = moderator_client.get(PENDING).content.decode()
    assert page.count("account since") == 6
    assert six == one
