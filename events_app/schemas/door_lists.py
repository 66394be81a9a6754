"""Schemas of the door list a door device syncs to judge badges offline."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class DoorListQuerySchema(Schema):
    """Which version the device holds."""

    since = fields.Integer(
        load_default=0,
        strict=False,
        validate=validate.Range(min=0, max=2**62),
        metadata={"description": "the version the device holds; 0 (or none) for the whole list"},
    )


class DoorListEntrySchema(Schema):
    """One registration as a door judges it: no e-mail, phone, dietary or access notes."""

    registration_id = fields.UUID()
    serial = fields.Integer(metadata={"description": "the badge's current serial (reissues)"})
    state = fields.String(metadata={"description": "the registration's state"})
    category = fields.String()
    full_name = fields.String()
    name_zh = fields.String()
    badges = fields.List(
        fields.String(),
        metadata={
            "description": "the first 24 hex digits of the SHA-256 of each genuine token of "
            "the registration (each key, each serial up to the current one)"
        },
    )
    inside = fields.List(fields.String(), metadata={"description": "checkpoints it is inside"})
    first = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": "per checkpoint, when the guest first entered"},
    )


class DoorListSchema(Schema):
    """The rows changed since the device's version, sealed by the X-Door-List-MAC header."""

    gathering_id = fields.UUID()
    version = fields.Integer(metadata={"description": "the version to send as `since` next"})
    since = fields.Integer()
    full = fields.Boolean(metadata={"description": "true: the whole list, replacing the held"})
    count = fields.Integer(metadata={"description": "rows in the whole list after applying"})
    synced_at = fields.DateTime()
    sync_seconds = fields.Integer(metadata={"description": "how often to ask while online"})
    max_age_minutes = fields.Integer(
        metadata={"description": "a list older than this gives unverified offline answers"}
    )
    entries = fields.List(fields.Nested(DoorListEntrySchema))
