"""Fixtures the moderation tests share: a moderator (a superuser) and their signed-in browser."""

import pytest


@pytest.fixture
def moderator(django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-long-enough")


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client
