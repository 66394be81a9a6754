"""Handing mails over: to an SMTP server, or as .eml files to a folder when none is set.

Failures are told in plain words and sorted: a refusal of one mail for good (a 5xx answer
about its recipient or content) is permanent; everything else (no connection, a timeout,
a 4xx answer, a refused login or sender address, which a change of configuration fixes)
is temporary and the mail is tried again later.
"""

from __future__ import annotations

import contextlib
import os
import smtplib
import socket
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from events_app.store.atomic_files import remove_stale, replacing

SECURITY = ("none", "starttls", "ssl")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}

Send = Callable[[str, EmailMessage], str]
"""Hand over one mail (named by its id); return where it went."""


class DeliveryError(Exception):
    """A mail could not be handed over; `permanent` when trying again cannot help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


class ServerUnavailable(DeliveryError):
    """No mail can be handed over now (no connection, refused login, unwritable folder)."""


@dataclass(frozen=True)
class SmtpSettings:
    """How to reach the SMTP server."""

    host: str
    port: int = 0
    security: str = "none"
    user: str = ""
    password: str = ""
    timeout: float = 10.0

    @property
    def address(self) -> str:
        """Return host:port as people write it."""
        return f"{self.host}:{self.port or DEFAULT_PORTS[self.security]}"


class Transport:
    """Where mails go."""

    @contextlib.contextmanager
    def session(self) -> Iterator[Send]:
        """Open a session that hands over mails; raise ServerUnavailable if none can open."""
        raise NotImplementedError
        yield  # pragma: no cover

    def forget(self, mail_id: str) -> None:
        """Delete what this transport kept of a mail (nothing, unless it writes files)."""


class SmtpTransport(Transport):
    """Mails to an SMTP server: plain, STARTTLS or SSL, with optional login."""

    def __init__(self, settings: SmtpSettings) -> None:
        if settings.security not in SECURITY:
            raise ValueError(f"MAIL_SMTP_SECURITY must be one of {', '.join(SECURITY)}")
        self.settings = settings

    @contextlib.contextmanager
    def session(self) -> Iterator[Send]:
        """Connect and log in once, then hand over any number of mails."""
        server = self._connect()
        try:
            yield lambda mail_id, message: self._send(server, message)
        finally:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                server.quit()
            with contextlib.suppress(OSError):
                server.close()

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        port = s.port or DEFAULT_PORTS[s.security]
        server: smtplib.SMTP | None = None
        try:
            if s.security == "ssl":
                server = smtplib.SMTP_SSL(
                    s.host, port, timeout=s.timeout, context=ssl.create_default_context()
                )
            else:
                server = smtplib.SMTP(s.host, port, timeout=s.timeout)
            server.ehlo()
            if s.security == "starttls":
                server.starttls(context=ssl.create_default_context())
                server.ehlo()
            if s.user:
                server.login(s.user, s.password)
        except (smtplib.SMTPException, OSError) as error:
            if server is not None:
                with contextlib.suppress(OSError):
                    server.close()
            raise ServerUnavailable(self._explain(error)) from error
        return server

    def _send(self, server: smtplib.SMTP, message: EmailMessage) -> str:
        try:
            server.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            answer = "; ".join(f"{c} {_text(m)}" for c, m in error.recipients.values())
            raise DeliveryError(
                f"the mail server refused the recipient ({answer})",
                permanent=all(code >= 500 for code in codes),
            ) from error
        except smtplib.SMTPSenderRefused as error:
            raise ServerUnavailable(
                f"the mail server refused the sender address {error.sender} "
                f"({error.smtp_code} {_text(error.smtp_error)}): check MAIL_FROM"
            ) from error
        except smtplib.SMTPDataError as error:
            raise DeliveryError(
                f"the mail server refused the message ({error.smtp_code} "
                f"{_text(error.smtp_error)})",
                permanent=error.smtp_code >= 500,
            ) from error
        except (smtplib.SMTPException, OSError) as error:
            raise ServerUnavailable(self._explain(error)) from error
        return f"smtp {self.settings.address}"

    def _explain(self, error: BaseException) -> str:
        """Return what went wrong, in words an organiser can act on."""
        where = f"the mail server at {self.settings.address}"
        if isinstance(error, ConnectionRefusedError):
            return f"{where} refused the connection (is it running, and is the port right?)"
        if isinstance(error, socket.gaierror):
            return f"the mail server name {self.settings.host!r} could not be found"
        if isinstance(error, TimeoutError) or isinstance(error.__context__, TimeoutError):
            return f"{where} did not answer within {self.settings.timeout:g} s"
        if isinstance(error, smtplib.SMTPAuthenticationError):
            return (
                f"{where} refused the login ({error.smtp_code} {_text(error.smtp_error)}): "
                "check MAIL_SMTP_USER and MAIL_SMTP_PASSWORD"
            )
        if isinstance(error, smtplib.SMTPNotSupportedError):
            return f"{where} does not support this ({error}): check MAIL_SMTP_SECURITY"
        if isinstance(error, ssl.SSLError):
            return f"the secure connection to {where} failed ({error.reason or error})"
        if isinstance(error, smtplib.SMTPServerDisconnected):
            return f"{where} closed the connection ({error or 'no reason given'})"
        if isinstance(error, smtplib.SMTPResponseException):
            return f"{where} answered {error.smtp_code} {_text(error.smtp_error)}"
        if isinstance(error, OSError):
            return f"{where} could not be reached ({error.strerror or error})"
        return f"{where} failed: {error}"


class FolderTransport(Transport):
    """Mails written as <mail id>.eml files into a folder, when no SMTP server is set."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)

    @contextlib.contextmanager
    def session(self) -> Iterator[Send]:
        """Make sure the folder exists, then write mails into it."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ServerUnavailable(self._explain(error)) from error
        yield self._write

    def _write(self, mail_id: str, message: EmailMessage) -> str:
        path = self.folder / f"{mail_id}.eml"
        try:
            with replacing(path) as out:
                out.write(message.as_bytes())
        except OSError as error:
            raise ServerUnavailable(self._explain(error)) from error
        return f"file {path}"

    def forget(self, mail_id: str) -> None:
        """Delete the mail's .eml file (overwritten first) and any unfinished copy of it."""
        path = self.folder / f"{mail_id}.eml"
        with contextlib.suppress(FileNotFoundError):
            with path.open("r+b") as out:
                out.write(bytes(os.fstat(out.fileno()).st_size))
                out.flush()
                os.fsync(out.fileno())
            path.unlink()
        remove_stale(path)

    def _explain(self, error: OSError) -> str:
        return f"could not write to the outbox folder {self.folder} ({error.strerror or error})"


def _text(answer: bytes | str) -> str:
    if isinstance(answer, bytes):
        return answer.decode("utf-8", "replace")
    return str(answer)
