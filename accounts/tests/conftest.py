"""Fixtures the accounts tests share."""

import pytest

from core.tests.smtp import smtp_server  # noqa: F401 - a fixture: an SMTP server on loopback


@pytest.fixture(autouse=True)
def account_emails_sent_as_queued(settings):
    """allauth's emails (accounts.tasks) sent as soon as they are queued, by django-tasks'
    immediate backend, for the tests that read what they say. Queued for a worker, and sent by
    one, in test_account_emails_are_tasks.py (which sets the database backend again)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
