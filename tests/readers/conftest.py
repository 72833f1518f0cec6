"""Fixtures the reader tests share."""

from accounts.tests.conftest import account_emails_sent_as_queued  # noqa: F401 - autouse
