"""Banned email domains, set in the rules editor, are refused at sign-up and on guest comments."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from discussion.errors import CommentRefused
from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation.models import Rule

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 42"


@pytest.fixture
def banned_domain():
    return Rule.objects.create(kind=Rule.Kind.BANNED_EMAIL_DOMAIN, pattern="spam.example")


@pytest.mark.parametrize("address", ["bot@spam.example", "bot@mail.SPAM.example"])
def test_sign_up_with_a_banned_domain_is_refused_with_a_message(client, banned_domain, address):
    response = client.post(
        "/accounts/signup/",
        {"email": address, "password1": PASSWORD, "password2": PASSWORD, "display_name": "Bot"},
    )
    assert response.status_code == 200
    assert b"not accepted here" in response.content
    assert not get_user_model().objects.filter(email__iexact=address).exists()


def test_a_domain_that_only_ends_alike_is_not_banned(client, banned_domain):
    client.post(
        "/accounts/signup/",
        {
            "email": "ada@notspam.example",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "display_name": "Ada",
        },
    )
    assert get_user_model().objects.filter(email="ada@notspam.example").exists()


def test_a_guest_comment_with_a_banned_email_domain_is_refused(banned_domain):
    with pytest.raises(CommentRefused) as refused:
        comment_create(
            thread=make_thread(),
            body="Hello",
            author_name="Bot",
            author_email="bot@spam.example",
        )
    assert "not accepted here" in refused.value.message_dict["author_email"][0]
