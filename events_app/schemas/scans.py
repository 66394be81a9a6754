"""Schemas of scans at the door: what a device sends, what it is answered, conflicts."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from events_app.schemas.common import SaneDateTime, Text


class ScanFieldsSchema(Schema):
    """What every scan names besides the guest: where, when, which way, and its nonce."""

    checkpoint = fields.String(required=True, validate=validate.Length(min=1, max=40))
    client_scan_id = fields.String(
        required=True,
        validate=[validate.Length(min=8, max=64), validate.Regexp(r"^[A-Za-z0-9_.:-]+$")],
        metadata={
            "description": "a nonce the device picks; re-sending it returns the first answer"
        },
    )
    scanned_at = SaneDateTime(required=True)
    device_id = fields.UUID(load_default=None, metadata={"description": "must match the token"})
    direction = fields.String(load_default="in", validate=validate.OneOf(["in", "out"]))
    offline = fields.Boolean(load_default=False)
    local_status = fields.String(
        load_default="",
        validate=validate.OneOf(["", "ok", "refused", "unchecked"]),
        metadata={"description": "what an offline device showed (ok = it let the guest in)"},
    )


class ScanInSchema(ScanFieldsSchema):
    """One scan as a door device sends it."""

    token = fields.String(
        required=True,
        validate=validate.Length(min=1, max=4096),
        metadata={"description": "what the scanner read from the badge"},
    )


class DoorCheckInSchema(ScanFieldsSchema):
    """A guest without a badge, found by a search at the door, checked in (or out) by hand."""

    registration_id = fields.UUID(
        required=True,
        metadata={"description": "the registration_id a door search (GET /door/guests) found"},
    )


class ScanBatchSchema(Schema):
    """Scans a device made while offline, uploaded together."""

    scans = fields.List(
        fields.Nested(ScanInSchema), required=True, validate=validate.Length(min=1, max=500)
    )


class DoorGuestSchema(Schema):
    """A guest as the door sees them."""

    registration_id = fields.String()
    full_name = fields.String()
    name_zh = fields.String()
    organisation = fields.String()
    job_title = fields.String(load_default="")
    category = fields.String()
    notes = fields.List(fields.String())


class FirstCheckInSchema(Schema):
    """When and where the badge was first used at this checkpoint."""

    at = fields.String()
    checkpoint = fields.String()
    device = fields.String()


class ScanAnswerSchema(Schema):
    """The one answer to a scan."""

    status = fields.String(
        metadata={
            "description": "ok, already_checked_in, invalid, unknown, revoked, cancelled, "
            "not_confirmed, wrong_event, not_admitted_here, closed, not_inside"
        }
    )
    reason = fields.String()
    scan_id = fields.String()
    checkpoint = fields.String()
    direction = fields.String()
    scanned_at = fields.String()
    received_at = fields.String()
    offline = fields.Boolean()
    conflict = fields.Boolean(metadata={"description": "admitted twice; flagged for organisers"})
    manual = fields.Boolean(
        metadata={"description": "checked in by a name search at the door, not a badge scan"}
    )
    guest = fields.Nested(DoorGuestSchema, allow_none=True)
    first_check_in = fields.Nested(FirstCheckInSchema, allow_none=True)
    recorded = fields.Boolean(
        metadata={
            "description": "false when this is a replayed scan id (invalid badges beyond a "
            "device's first few in a window are counted, not kept one by one)"
        }
    )


class ScanBatchAnswerSchema(Schema):
    """The answers to a batch, in the order the scans were sent."""

    results = fields.List(fields.Nested(ScanAnswerSchema))


class GuestSearchSchema(Schema):
    """A manual search for a guest without a badge."""

    q = Text(min_length=1, max_length=100, required=True)


class DoorGuestListSchema(Schema):
    """Guests found by a manual search."""

    items = fields.List(fields.Dict())


class ConflictSchema(Schema):
    """A badge let in twice, for organisers to review."""

    scan_id = fields.String()
    registration_id = fields.String()
    full_name = fields.String(allow_none=True)
    name_zh = fields.String(allow_none=True)
    checkpoint = fields.String()
    device = fields.String()
    scanned_at = fields.String()
    reason = fields.String()


class ConflictListSchema(Schema):
    """Scan conflicts of a gathering."""

    items = fields.List(fields.Nested(ConflictSchema))
