"""Schemas of the running order: the agenda items of the gathering's day.

Length limits match the domain's, so a too-long text is refused here (422
`validation_failed`, naming the field) before any command runs.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from domain.running_order import AgendaItem, AgendaKind
from events_app.schemas.common import SaneDateTime, optional_text, required_text


class AgendaItemInSchema(Schema):
    """An item of the running order."""

    starts_at = SaneDateTime(required=True)
    ends_at = SaneDateTime(required=True)
    title_en = required_text(200)
    title_zh = required_text(100)
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in AgendaKind]))
    location = required_text(100)
    speaker_name = optional_text(200)
    speaker_registration_id = fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": "the speaker's registration; gives the name if none is given"},
    )
    ceremony_id = fields.UUID(
        load_default=None, allow_none=True, metadata={"description": "the ceremony it stages"}
    )
    parallel = fields.Boolean(
        load_default=False, metadata={"description": "may share its place and time with others"}
    )
    notes = optional_text(500, multiline=True)


class AgendaItemSchema(Schema):
    """An item of the running order."""

    id = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    title_en = fields.String()
    title_zh = fields.String()
    kind = fields.String()
    location = fields.String()
    speaker_name = fields.String()
    speaker_registration_id = fields.String()
    ceremony_id = fields.String()
    parallel = fields.Boolean()
    notes = fields.String()


class AgendaSchema(Schema):
    """The running order of a gathering, by start time."""

    gathering_id = fields.UUID()
    version = fields.Integer(metadata={"description": "changes recorded so far (0: none)"})
    items = fields.List(fields.Nested(AgendaItemSchema))


def agenda_item_from(fields: dict[str, Any]) -> AgendaItem:
    """Return the agenda item the request describes."""
    links = {k: str(fields[k] or "") for k in ("speaker_registration_id", "ceremony_id")}
    return AgendaItem(**{**fields, **links})
