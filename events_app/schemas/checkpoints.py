"""Schemas of checkpoints and of the door devices enrolled to scan at them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from events_app.schemas.common import CATEGORIES, SLUG, SaneDateTime, Text, required_text


class CheckpointSchema(Schema):
    """A checkpoint: where badges are scanned, for which categories, and when."""

    code = fields.String(
        required=True, validate=[validate.Length(min=2, max=40), validate.Regexp(SLUG)]
    )
    name_en = required_text(120)
    name_zh = required_text(120)
    categories = fields.List(
        fields.String(validate=validate.OneOf(CATEGORIES)),
        required=True,
        validate=validate.Length(min=1),
    )
    opens_at = SaneDateTime(
        load_default=None,
        allow_none=True,
        metadata={"description": "when it opens; omitted or null: when the gathering starts"},
    )
    closes_at = SaneDateTime(
        load_default=None,
        allow_none=True,
        metadata={"description": "when it closes; omitted or null: when the gathering ends"},
    )
    category_notes = fields.Dict(
        keys=fields.String(validate=validate.OneOf(CATEGORIES)),
        values=Text(max_length=200),
        load_default=dict,
        metadata={
            "description": 'what door staff should know, e.g. {"vip": "escort to front row"}'
        },
    )


class CheckpointOutSchema(CheckpointSchema):
    """A checkpoint as defined, with the hours it really keeps and whether it is closed."""

    opens_at = SaneDateTime(
        metadata={"description": "when it opens (the gathering's start unless its own)"}
    )
    closes_at = SaneDateTime(
        metadata={"description": "when it closes (the gathering's end unless its own)"}
    )
    opens_with_gathering = fields.Boolean(
        metadata={"description": "true: it has no opening time of its own"}
    )
    closes_with_gathering = fields.Boolean(
        metadata={"description": "true: it has no closing time of its own"}
    )
    closed = fields.Boolean(
        metadata={"description": "closed by an organiser: admits no one until defined again"}
    )


class CheckpointListSchema(Schema):
    """The checkpoints of a gathering."""

    items = fields.List(fields.Nested(CheckpointOutSchema))


class DeviceCreateSchema(Schema):
    """A door device to enrol."""

    name = required_text(80)
    valid_minutes = fields.Integer(
        load_default=60,
        validate=validate.Range(min=1, max=7 * 24 * 60),
        metadata={"description": "how long the one-time set-up code stays valid"},
    )


class DeviceSchema(Schema):
    """A door device."""

    id = fields.UUID()
    name = fields.String()
    state = fields.String(metadata={"description": "registered, enrolled or revoked"})
    registered_at = fields.String()
    setup_expires_at = fields.String()
    enrolled_at = fields.String(allow_none=True)
    revoked_at = fields.String(allow_none=True)
    last_scan_at = fields.String(allow_none=True)
    scans = fields.Integer()


class NewDeviceSchema(Schema):
    """A registered device with its one-time set-up code (shown once)."""

    id = fields.UUID()
    name = fields.String()
    setup_code = fields.String(metadata={"description": "type it into the door page"})
    setup_url = fields.String(metadata={"description": "what the set-up QR code holds"})
    setup_qr_svg = fields.String(metadata={"description": "the set-up QR code as SVG"})
    setup_expires_at = fields.DateTime()


class DeviceListSchema(Schema):
    """The door devices of a gathering."""

    items = fields.List(fields.Nested(DeviceSchema))


class EnrolSchema(Schema):
    """A door device taking its one-time set-up code."""

    setup_code = fields.String(required=True, validate=validate.Length(min=4, max=40))


class EnrolledSchema(Schema):
    """The enrolled device's bearer token (shown once) and where it scans."""

    device_id = fields.UUID()
    device_token = fields.String()
    name = fields.String()
    gathering_id = fields.UUID()
    gathering_slug = fields.String()
    gathering_title_en = fields.String()
    gathering_title_zh = fields.String()
    timezone = fields.String(metadata={"description": "the venue's time zone, for door times"})
    checkpoints = fields.List(fields.Nested(CheckpointOutSchema))
