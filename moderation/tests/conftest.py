"""Fixtures the moderation tests share: a moderator (a superuser) and their signed-in browser."""

import pytest

from core.tests.smtp import smtp_server  # noqa: F401 - a fixture: an SMTP server on loopback


@pytest.fixture
def moderator(django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-long-enough")


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def email_tasks_run_as_queued(settings):
    """A decision's email task (moderation.tasks) run as soon as it is queued, once the action
    commits, by django-tasks' immediate backend: for the tests that read what the email says.
    Queued for a worker, and run by one, in test_decision_email_task.py."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
