"""Small value helpers shared by the aggregates."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid5

from domain.errors import InvalidValue, OutsideGathering

NAMESPACE = UUID("6f1c7f7e-33a2-4c57-9a51-2b1f4e1d8a10")
"""Namespace of the deterministic ids (uuid5) derived from natural keys."""

SYSTEM = "system"
"""The actor recorded for changes the system makes by itself (e.g. waitlist promotion)."""

GUEST = "guest"
"""The actor recorded for changes the guest makes."""


def derived_id(kind: str, key: str) -> UUID:
    """Return the stable id of a `kind` of thing named by `key`."""
    return uuid5(NAMESPACE, f"{kind}:{key}")


def normalise_email(email: str) -> str:
    """Return the form of an e-mail address used to compare two of them."""
    return email.strip().lower()


def require_aware(value: datetime, field: str) -> datetime:
    """Return `value` if it carries a timezone, else raise ValueError naming `field`."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{field} must be timezone-aware")
    return value


def check_text(
    value: str, field: str, *, limit: int = 200, required: bool = True, name: str = ""
) -> str:
    """Return value stripped, or raise InvalidValue when it is empty (if required) or too long.

    The message calls the value `name` (by default `field`, the field the refusal names).
    """
    text = value.strip()
    called = name or field
    if required and not text:
        raise InvalidValue("%(name)s must not be empty", field=field, name=called)
    if len(text) > limit:
        raise InvalidValue(
            "%(name)s must be at most %(limit)s characters", field=field, name=called, limit=limit
        )
    return text


def check_within(moment: datetime, window: tuple[datetime, datetime], field: str) -> None:
    """Raise OutsideGathering unless moment lies within the gathering's start and end."""
    require_aware(moment, field)
    starts, ends = window
    if not starts <= moment <= ends:
        raise OutsideGathering(
            "%(name)s must fall within the gathering (%(starts)s to %(ends)s)",
            field=field,
            name=field,
            starts=starts.isoformat(),
            ends=ends.isoformat(),
        )


def N_(message: str) -> str:  # noqa: N802 (gettext's name for a message marked, not translated)
    """Mark `message` for the catalogues; it is translated where it is shown, not here."""
    return message
