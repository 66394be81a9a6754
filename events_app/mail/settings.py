"""How guest mails are sent: from the MAIL_* settings (see events_app/config.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from events_app.mail.transport import (
    SECURITY,
    FolderTransport,
    SmtpSettings,
    SmtpTransport,
    Transport,
)

DEFAULT_SENDER = "Launch events <launch-events@localhost>"
DEFAULT_BASE_URL = "http://localhost:5000"
ON = frozenset({"1", "on", "true", "yes"})
OFF = frozenset({"0", "off", "false", "no"})

LinkFor = Callable[[str, str], str]
"""Return the guest's confirmation page from the gathering's slug and the token."""
AppContext = Callable[[], AbstractContextManager[Any]]
"""Return a context of the app whose catalogues mails are written from (`app.app_context`)."""


class MailConfigError(ValueError):
    """A MAIL_* setting has a value the app cannot use."""


@dataclass(frozen=True)
class MailSettings:
    """Where mails go, who they are from, and whether this process sends them by itself."""

    outbox_dir: str
    smtp: SmtpSettings | None = None
    sender: str = DEFAULT_SENDER
    base_url: str = DEFAULT_BASE_URL
    sender_thread: bool = False
    poll_seconds: float = 5.0
    link_for: LinkFor | None = field(default=None, compare=False)
    app_context: AppContext = field(default=nullcontext, compare=False)
    """Mails are written within it (none: within the caller's app, or a bare one)."""

    @classmethod
    def default(cls, instance_path: str) -> MailSettings:
        """Return the settings of a process without configuration: mails go to files."""
        return cls(outbox_dir=str(Path(instance_path) / "outbox"))

    def transport(self) -> Transport:
        """Return the SMTP server if one is set, else the outbox folder."""
        if self.smtp is not None:
            return SmtpTransport(self.smtp)
        return FolderTransport(self.outbox_dir)

    def link(self, slug: str, token: str) -> str:
        """Return the guest's confirmation link."""
        if self.link_for is not None:
            return self.link_for(slug, token)
        return f"{self.base_url.rstrip('/')}/gatherings/{slug}/registrations/{token}"

    def invitation_link(self, token: str) -> str:
        """Return an invitee's personal link."""
        return f"{self.base_url.rstrip('/')}/invitations/{token}"


def mail_settings(
    config: Mapping[str, Any],
    instance_path: str,
    *,
    testing: bool = False,
    link_for: LinkFor | None = None,
) -> MailSettings:
    """Return the mail settings from the app's configuration; raise MailConfigError."""
    host = str(config.get("MAIL_SMTP_HOST") or "").strip()
    smtp = None
    if host:
        security = str(config.get("MAIL_SMTP_SECURITY") or "none").strip().lower()
        if security not in SECURITY:
            raise MailConfigError(
                f"MAIL_SMTP_SECURITY is {security!r}; use one of {', '.join(SECURITY)}"
            )
        smtp = SmtpSettings(
            host=host,
            port=_number(config, "MAIL_SMTP_PORT", 0, int),
            security=security,
            user=str(config.get("MAIL_SMTP_USER") or ""),
            password=str(config.get("MAIL_SMTP_PASSWORD") or ""),
            timeout=_number(config, "MAIL_SMTP_TIMEOUT", 10.0, float),
        )
    thread = _switch(config.get("MAIL_SENDER_THREAD"))
    return MailSettings(
        outbox_dir=str(config.get("MAIL_OUTBOX_DIR") or Path(instance_path) / "outbox"),
        smtp=smtp,
        sender=str(config.get("MAIL_FROM") or DEFAULT_SENDER),
        base_url=str(config.get("PUBLIC_BASE_URL") or "") or _base_url(config),
        sender_thread=(not testing) if thread is None else thread,
        poll_seconds=_number(config, "MAIL_POLL_SECONDS", 5.0, float),
        link_for=link_for,
    )


def _base_url(config: Mapping[str, Any]) -> str:
    server = config.get("SERVER_NAME")
    if server:
        return f"{config.get('PREFERRED_URL_SCHEME') or 'http'}://{server}"
    return DEFAULT_BASE_URL


def _switch(value: Any) -> bool | None:
    """Return True/False for on/off settings, None when unset (the default applies)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ON:
        return True
    if text in OFF:
        return False
    raise MailConfigError(f"MAIL_SENDER_THREAD is {value!r}; use on or off")


def _number(config: Mapping[str, Any], key: str, default: Any, kind: Callable[[Any], Any]) -> Any:
    value = config.get(key)
    if value is None or value == "":
        return default
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise MailConfigError(f"{key} is {value!r}; it must be a number") from None
    if number < 0:
        raise MailConfigError(f"{key} is {value!r}; it must not be negative")
    return number
