"""What the schemas share: trimmed text, e-mail and date-time fields, limits, the error shape."""

from __future__ import annotations

import unicodedata
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from domain.gathering_categories import GuestCategory
from domain.registration import RegistrationState

CATEGORIES = [c.value for c in GuestCategory]
STATES = [s.value for s in RegistrationState]
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
PHONE = r"^(\+?[0-9 ()\-]{5,40})?$"
MAX_OFFSET = 10_000_000
"""Largest `offset` of a listing (far below the stores' 64-bit integers)."""
MAX_VERSION = 1_000_000_000
"""Largest record version a client may name."""


JOINERS = frozenset({"\u200c", "\u200d"})
"""Zero-width non-joiner and joiner: format characters that joined emoji and scripts need."""
TAGS = range(0xE0020, 0xE0080)
"""Emoji tag characters (subdivision flags such as England's)."""


def is_control(ch: str, allowed: frozenset[str] | set[str] = frozenset()) -> bool:
    """Tell whether `ch` is a control or invisible format character text must not hold.

    Refused: control characters (but the white space in `allowed`) and format characters
    such as bidi overrides and zero-width spaces; accepted: the joiners and tag characters
    of emoji sequences (variation selectors are marks, accepted anyway).
    """
    kind = unicodedata.category(ch)
    if kind == "Cc":
        return ch not in allowed
    return kind == "Cf" and ch not in JOINERS and ord(ch) not in TAGS


class Text(fields.String):
    """A trimmed string in NFC with a length limit and no control characters."""

    def __init__(
        self,
        *,
        max_length: int,
        min_length: int = 0,
        multiline: bool = False,
        pattern: str | None = None,
        **kwargs: Any,
    ) -> None:
        checks: list[Any] = [validate.Length(min=min_length, max=max_length)]
        if pattern:
            checks.append(validate.Regexp(pattern, error="not in the expected format"))
        super().__init__(validate=checks, **kwargs)
        self.multiline = multiline

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        text = unicodedata.normalize("NFC", text).strip()
        allowed = {"\n", "\r", "\t"} if self.multiline else set()
        if any(is_control(ch, allowed) for ch in text):
            raise ValidationError("must not contain control characters")
        return text


def required_text(max_length: int, **kwargs: Any) -> Text:
    """Return a required, non-empty text field."""
    return Text(max_length=max_length, min_length=1, required=True, **kwargs)


def optional_text(max_length: int, **kwargs: Any) -> Text:
    """Return an optional text field that defaults to empty."""
    return Text(max_length=max_length, load_default="", **kwargs)


class WholeNumber(fields.Integer):
    """An integer, refusing a number with a fraction (1.5) instead of cutting it to 1."""

    def _validated(self, value: Any) -> Any:
        if isinstance(value, float) and not value.is_integer():
            raise self.make_error("invalid")
        return super()._validated(value)


class TrimmedEmail(fields.Email):
    """An e-mail address with surrounding white space removed before it is checked."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if isinstance(value, str):
            value = value.strip()
        return str(super()._deserialize(value, attr, data, **kwargs))


class SaneDateTime(fields.AwareDateTime):
    """A timezone-aware date and time between the years MIN_YEAR and MAX_YEAR."""

    MIN_YEAR = 2000
    MAX_YEAR = 2100
    OUT_OF_RANGE = f"must be between the years {MIN_YEAR} and {MAX_YEAR}"

    def __init__(self, **kwargs: Any) -> None:
        metadata = dict(kwargs.pop("metadata", {}))
        bound = f"years {self.MIN_YEAR} to {self.MAX_YEAR}"
        said = metadata.get("description")
        metadata["description"] = f"{said} ({bound})" if said else f"ISO 8601 with offset, {bound}"
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        moment = super()._deserialize(value, attr, data, **kwargs)
        if not self.MIN_YEAR <= moment.year <= self.MAX_YEAR:
            raise ValidationError(self.OUT_OF_RANGE)
        return moment


class ErrorDetailSchema(Schema):
    """What went wrong."""

    code = fields.String(required=True, metadata={"description": "stable machine-readable code"})
    message = fields.String(required=True)
    field = fields.String(allow_none=True, metadata={"description": "the field at fault"})
    fields_ = fields.Dict(
        data_key="fields",
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "every field at fault with its messages"},
    )


class ErrorSchema(Schema):
    """The one shape of every API error."""

    error = fields.Nested(ErrorDetailSchema, required=True)


class ReasonSchema(Schema):
    """A rejection or cancellation, with an optional reason."""

    reason = optional_text(500, multiline=True)
