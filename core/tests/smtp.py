"""A real SMTP server on loopback (aiosmtpd) whose answers a test writes: ``answers`` are given,
in order, to the emails it is sent ("451 Try again later"), and every email after them is
accepted and kept in ``delivered``. ``looking`` (a test's function, run in a thread of its own,
which may use the database) is called as each email arrives, before the server answers, and
what it returns kept in ``looked``: what another process saw while the mail server had the
email."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
from collections.abc import Callable, Iterator

import pytest
from aiosmtpd.controller import Controller


class ScriptedMailServer:
    def __init__(self, answers: list[str]) -> None:
        self.answers = list(answers)
        self.delivered: list[email.message.EmailMessage] = []
        self.looking: Callable[[], object] | None = None
        self.looked: list[object] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.looking is not None:
            self.looked.append(await asyncio.to_thread(self.looking))
        if self.answers:
            return self.answers.pop(0)
        self.delivered.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(request, settings) -> Iterator[ScriptedMailServer]:
    """The server, answering ``request.param`` first; the site's mail sent to it over SMTP."""
    handler = ScriptedMailServer(getattr(request, "param", []))
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    try:
        yield handler
    finally:
        controller.stop()
