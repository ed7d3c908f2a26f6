"""A real SMTP server on 127.0.0.1 for tests (aiosmtpd), and how to read what it received.

The handler keeps every accepted envelope. It can be told to refuse recipients for good
(550), to defer them (451), or to hold a message in DATA until released (a worker can then
be killed while it waits for the server's answer)."""

import asyncio
import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

ACCEPT, REJECT, DEFER = "accept", "reject", "defer"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes = field(repr=False)

    @property
    def email(self) -> EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)

    @property
    def message_id(self) -> str:
        # A long Message-ID is folded onto its own line; the parser keeps the fold's space.
        return self.email["Message-ID"].strip()


class RecordingHandler:
    def __init__(self):
        self.mode = ACCEPT
        self.received: list[Received] = []
        self.rcpt_calls = 0
        self.in_data = threading.Event()  # set when a message reaches DATA while held
        self.release: threading.Event | None = None  # while set to an Event, DATA waits for it
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self._lock:
            self.rcpt_calls += 1
        if self.mode == REJECT:
            return "550 5.1.1 Mailbox unavailable"
        if self.mode == DEFER:
            return "451 4.3.2 Please try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        release = self.release
        if release is not None:
            self.in_data.set()
            while not release.is_set():
                await asyncio.sleep(0.02)
            # The sender did not wait for our answer: nothing is delivered.
            return "451 4.3.0 Interrupted"
        with self._lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 2.0.0 Message accepted"


class SmtpServer:
    """An SMTP server on a fixed free port, started and stopped at will (a port with no server
    behind it is an SMTP server that is down)."""

    def __init__(self):
        self.port = free_port()
        self.handler = RecordingHandler()
        self._controller: Controller | None = None

    @property
    def received(self) -> list[Received]:
        return list(self.handler.received)

    def start(self) -> None:
        if self._controller is None:
            self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, ready_timeout=10)
            self._controller.start()

    def stop(self) -> None:
        if self.handler.release is not None:
            self.handler.release.set()
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def mode(self, mode: str) -> None:
        self.handler.mode = mode

    def hold(self) -> None:
        """From now on DATA waits until `let_go()`; `handler.in_data` says one arrived."""
        self.handler.in_data.clear()
        self.handler.release = threading.Event()

    def let_go(self) -> None:
        release, self.handler.release = self.handler.release, None
        if release is not None:
            release.set()

    def mailers(self) -> dict:
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 5},
            }
        }

    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


@pytest.fixture
def smtp_down(settings):
    """Settings point at an SMTP server that is not running yet: `smtp_down.start()` starts it."""
    server = SmtpServer()
    settings.MAILERS = server.mailers()
    yield server
    server.stop()


@pytest.fixture
def smtp(smtp_down):
    """A running SMTP server that the settings send to; `.received` is what it accepted."""
    smtp_down.start()
    return smtp_down
