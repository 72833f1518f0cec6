"""Fixtures the discussion tests share."""

from core.tests.smtp import smtp_server  # noqa: F401 - a fixture: an SMTP server on loopback
