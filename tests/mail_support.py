"""A real SMTP server on loopback (aiosmtpd) for the guest-mail tests, and mail helpers."""

from __future__ import annotations

import email
import email.policy
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from events_app import create_app
from tests.conftest import IN_CI, FakeClock


def free_port() -> int:
    """Return a loopback port nobody listens on (yet)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Inbox:
    """What the SMTP server received, and how it answers recipients."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: dict[str, str] = {}
        """Recipient address -> the SMTP answer that refuses it, e.g. '550 5.1.1 no such user'."""
        self.delay = 0.0
        self.rcpt_delay = 0.0
        """Seconds each RCPT waits before its answer: before the server has taken the mail."""
        self.rcpts: list[str] = []
        self._arrived = threading.Condition()

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        with self._arrived:
            self.rcpts.append(address)
            self._arrived.notify_all()
        if self.rcpt_delay:
            time.sleep(self.rcpt_delay)  # blocks its own loop only
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.delay:
            time.sleep(self.delay)  # a slow server: blocks its own loop only
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._arrived:
            self.messages.append(message)  # type: ignore[arg-type]
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 15.0) -> list[EmailMessage]:
        """Wait until `count` messages arrived; return them."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(self.messages)} of {count} mails arrived")
                self._arrived.wait(left)
            return list(self.messages)

    def wait_for_rcpt(self, address: str, timeout: float = 15.0) -> None:
        """Wait until a client named `address` as a recipient (the mail is not taken yet)."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while address not in self.rcpts:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no RCPT TO {address}; seen {self.rcpts}")
                self._arrived.wait(left)

    def to(self, address: str) -> list[EmailMessage]:
        """Return the messages sent to one address."""
        return [m for m in self.messages if address in str(m["To"])]


class SmtpServer:
    """aiosmtpd on 127.0.0.1:port, started and stopped by the test."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self) -> SmtpServer:
        """Start listening."""
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        """Stop listening (the port then refuses connections)."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


class BlackHole:
    """A server that accepts connections and never says a word: an SMTP server that hangs."""

    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self.port = int(self._socket.getsockname()[1])

    def close(self) -> None:
        """Stop accepting."""
        self._socket.close()


def mail_app(database_url: str, clock: FakeClock, tmp_path: Path, **config: Any) -> Flask:
    """Create an app for tests (as conftest's make_app) with mail settings."""
    settings: dict[str, Any] = {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "CLOCK": clock,
        "SECRET_KEY": "test-secret-key",
        "SERVER_NAME": "localhost",
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "MAIL_FROM": "Launch team <launch@example.org>",
    }
    settings.update(config)
    return create_app(settings)


def smtp_config(port: int, **more: Any) -> dict[str, Any]:
    """Return the settings that send mails to the test's SMTP server."""
    return {"MAIL_SMTP_HOST": "127.0.0.1", "MAIL_SMTP_PORT": str(port), **more}


def text_of(message: EmailMessage) -> str:
    """Return the plain-text body of a message."""
    part = message.get_body(preferencelist=("plain",))
    assert part is not None, "the mail has no text part"
    return str(part.get_content())  # type: ignore[attr-defined]


def attachments(message: EmailMessage) -> dict[str, tuple[str, bytes]]:
    """Return the attachments by file name: content type and the raw bytes."""
    found = {}
    for part in message.iter_attachments():
        found[str(part.get_filename())] = (
            part.get_content_type(),
            part.get_payload(decode=True),
        )
    return found  # type: ignore[return-value]


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """Return the text poppler's pdftotext reads from a PDF (fail in CI if it is missing)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        message = "pdftotext (Debian package poppler-utils) is not installed"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    path = tmp_path / "attached.pdf"
    path.write_bytes(pdf)
    result = subprocess.run([tool, str(path), "-"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def eventually(check: Callable[[], bool], timeout: float = 15.0) -> None:
    """Wait until `check()` is true."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("the condition did not become true in time")
        time.sleep(0.05)
