"""A real SMTP server on loopback (aiosmtpd) that the live site sends its emails to.

The ``mail_sink`` session fixture starts it before the live site, whose environment then points
``EMAIL_HOST``/``EMAIL_PORT`` at it, and tests wait for the messages they expect.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"


class MailSink:
    def __init__(self, inbox: _Inbox, port: int) -> None:
        self._inbox = inbox
        self.port = port

    @property
    def env(self) -> dict[str, str]:
        return {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(self.port)}

    def wait_for(self, *, to: str, subject: str, timeout: float = 20.0) -> EmailMessage:
        """The first message to ``to`` whose subject contains ``subject``, waiting for it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in list(self._inbox.messages):
                if to in str(message["To"]) and subject.lower() in str(message["Subject"]).lower():
                    return message
            time.sleep(0.1)
        seen = [(str(m["To"]), str(m["Subject"])) for m in self._inbox.messages]
        pytest.fail(f"No email to {to} with {subject!r} within {timeout:.0f}s; seen: {seen}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def mail_sink() -> Iterator[MailSink]:
    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield MailSink(inbox, port)
    finally:
        controller.stop()
