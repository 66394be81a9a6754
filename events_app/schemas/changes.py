"""Schemas of the history of a planned thing: a slot, firm, ceremony or agenda item."""

from __future__ import annotations

from marshmallow import Schema, fields


class ChangeSchema(Schema):
    """One recorded change: what, when, by whom, with what data."""

    version = fields.Integer(metadata={"description": "the aggregate's version after it"})
    type = fields.String(metadata={"description": "the domain event, e.g. FirmMoved"})
    summary = fields.String(metadata={"description": "the change in words"})
    at = fields.DateTime(metadata={"description": "when it happened (the app's clock)"})
    recorded_at = fields.DateTime(metadata={"description": "when the store recorded it"})
    actor = fields.String(metadata={"description": "organiser:<name>#<id>, cli, guest or system"})
    data = fields.Dict()


class ChangeListSchema(Schema):
    """The history of one slot, firm, ceremony or agenda item, oldest first."""

    subject = fields.String(metadata={"description": "what the history is of"})
    events = fields.List(fields.Nested(ChangeSchema))
