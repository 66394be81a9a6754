"""What the exhibition, ceremony and running-order pages share: times and form checks.

Forms are checked with the JSON API's marshmallow schemas, after times typed in the
gathering's local time are turned into aware datetimes. A form with a wrong value, or one
a domain rule refuses, is shown again with the typed values and a message naming each
field (status 422), in the request's language; a record another organiser changed
meanwhile is not overwritten (the message of `common.act`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect
from flask_babel import gettext
from marshmallow import Schema, ValidationError
from werkzeug.wrappers import Response

from domain.common import N_
from domain.errors import DomainError, NotFound
from events_app.errors import refusal_text
from events_app.pages.console.common import act
from events_app.pages.console.planning_labels import field_label
from events_app.schemas.common import SaneDateTime

LOCAL_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")
TIME_HINT = N_("enter a date and time such as 2026-03-02 10:50")
EMPTY = N_("must not be empty")
FRIENDLY = {
    "Missing data for required field.": EMPTY,
    "Shorter than minimum length 1.": EMPTY,
    "Field may not be null.": EMPTY,
    "Not a valid UUID.": N_("not a valid id"),
    SaneDateTime.OUT_OF_RANGE: N_("must be between the years %(first)s and %(last)s"),
}


class FormInvalid(Exception):
    """A form holds values that cannot be used: one message for each field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def local_input(value: datetime | None, zone: ZoneInfo) -> str:
    """Return a time as a datetime-local field shows it, in the gathering's zone."""
    return value.astimezone(zone).strftime("%Y-%m-%dT%H:%M") if value else ""


def aware_from_local(raw: str, zone: ZoneInfo) -> datetime:
    """Return the aware time a datetime-local field means in the gathering's zone."""
    text = raw.strip()
    for pattern in LOCAL_FORMATS:
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=zone)
        except ValueError:
            continue
    raise ValueError(gettext(TIME_HINT))


def messages_of(errors: Any) -> list[str]:
    """Return the messages of a marshmallow error value (a list, or nested by field/row)."""
    if isinstance(errors, Mapping):
        found = []
        for key, value in errors.items():
            prefix = (
                gettext("row %(number)s: ", number=key + 1)
                if isinstance(key, int)
                else gettext("%(field)s: ", field=field_label(str(key)))
            )
            found.extend(prefix + message for message in messages_of(value))
        return found
    if isinstance(errors, list | tuple):
        return [m for value in errors for m in messages_of(value)]
    return [friendly(str(errors))]


def friendly(message: str) -> str:
    """Return a marshmallow message in the console's words, in the request's language."""
    if message in FRIENDLY:
        return gettext(FRIENDLY[message], first=SaneDateTime.MIN_YEAR, last=SaneDateTime.MAX_YEAR)
    length = re.fullmatch(r"Length must be between 1 and (\d+)\.", message)
    if length:
        return gettext("must not be empty (at most %(limit)s characters)", limit=length.group(1))
    longer = re.fullmatch(
        r"(?:Longer than maximum length|Length must be between 0 and) (\d+)\.", message
    )
    if longer:
        return gettext("must be at most %(limit)s characters", limit=longer.group(1))
    return gettext(message)


def field_errors(messages: Mapping[str, Any]) -> dict[str, str]:
    """Return one message for each field of a marshmallow ValidationError."""
    return {str(name): "; ".join(messages_of(value)) for name, value in messages.items()}


def load_form(
    schema: Schema, data: dict[str, Any], zone: ZoneInfo, times: Iterable[str] = ()
) -> dict[str, Any]:
    """Check a form with an API schema; times are typed in the gathering's zone.

    Raises FormInvalid naming each wrong field.
    """
    errors: dict[str, str] = {}
    values = dict(data)
    for name in times:
        raw = str(values.get(name) or "").strip()
        if not raw:
            values.pop(name, None)
            continue
        try:
            values[name] = aware_from_local(raw, zone).isoformat()
        except ValueError as error:
            errors[name] = str(error)
            values.pop(name, None)
    try:
        loaded = schema.load(values, partial=tuple(errors) or False)
    except ValidationError as error:
        errors.update(field_errors(error.normalized_messages()))
        loaded = {}
    if errors:
        raise FormInvalid(errors)
    return dict(loaded)


def refusal_errors(error: DomainError) -> dict[str, str]:
    """Return a domain refusal as the message of the field it names."""
    return {error.field or "form": refusal_text(error)}


def attempt(
    action: Callable[[], Any],
    *,
    done: str,
    back: str,
    versions: dict[UUID, int | None],
    refused: Callable[[dict[str, str]], Any],
) -> Any:
    """Run one action on the versions seen (as `common.act`); show the form again if refused."""
    return act(
        action,
        done=done,
        back=back,
        versions=dict(versions),
        refused=lambda error: refused(refusal_errors(error)),
    )


def flash_invalid(errors: dict[str, str], back: str) -> Response:
    """Say which fields of a small action form were wrong, and go back."""
    said = "; ".join(
        gettext("%(field)s: ", field=field_label(name)) + message
        for name, message in errors.items()
    )
    said = said.rstrip(".。")  # the sentence below ends it
    flash(gettext("Not done: %(problems)s. Please check what you entered.", problems=said), "error")
    return redirect(back, code=303)


def found_or_404(load: Callable[[], Any]) -> Any:
    """Return what `load` finds, or answer 404 when it raises NotFound."""
    try:
        return load()
    except NotFound:
        abort(404)


def lines(text: str) -> list[str]:
    """Return the non-empty lines of a text box."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def paragraphs(text: str) -> list[str]:
    """Return the paragraphs (separated by an empty line) of a text box."""
    return [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
