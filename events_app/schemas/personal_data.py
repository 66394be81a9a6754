"""Schema of a guest's personal data export: what is held about them and what happened."""

from __future__ import annotations

from marshmallow import Schema, fields


class ExportGatheringSchema(Schema):
    """The gathering the guest registered for."""

    id = fields.UUID()
    slug = fields.String()
    title_en = fields.String()
    title_zh = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    timezone = fields.String()


class ExportHistorySchema(Schema):
    """One event of the registration: when, what, who."""

    at = fields.DateTime()
    what = fields.String(metadata={"description": "the event, e.g. Submitted, Approved"})
    who = fields.String(metadata={"description": "guest, system, or an organiser's label"})


class ExportCheckinSchema(Schema):
    """One scan of the guest's badge at a door."""

    scanned_at = fields.String(metadata={"description": "ISO 8601 time of the scan"})
    checkpoint = fields.String()
    direction = fields.String()
    status = fields.String(metadata={"description": "ok, duplicate, revoked, ..."})
    manual = fields.Boolean()
    offline = fields.Boolean()


class ExportMailSchema(Schema):
    """One mail queued for the guest."""

    id = fields.String()
    kind = fields.String()
    recipient = fields.String()
    state = fields.String()
    attempts = fields.Integer()
    queued_at = fields.String()
    sent_at = fields.String(allow_none=True)


class ExportInvitationSchema(Schema):
    """The invitation the guest accepted."""

    id = fields.UUID()
    state = fields.String()
    invited_at = fields.DateTime()
    deadline = fields.DateTime()
    companions_allowed = fields.Integer()


class ExportPersonSchema(Schema):
    """A companion the guest named, or the guest a companion accompanies."""

    registration_id = fields.UUID()
    full_name = fields.String()
    role = fields.String()


class PersonalDataSchema(Schema):
    """Everything held about one guest (their right of access), as of `exported_at`."""

    registration_id = fields.UUID()
    gathering = fields.Nested(ExportGatheringSchema)
    registered_at = fields.DateTime(metadata={"description": "held since"})
    updated_at = fields.DateTime()
    state = fields.String()
    category = fields.String()
    details = fields.Dict(
        keys=fields.String(), metadata={"description": "name, e-mail, phone, notes, ..."}
    )
    answers = fields.Dict(keys=fields.String(), metadata={"description": "by question key"})
    history = fields.List(fields.Nested(ExportHistorySchema))
    checkins = fields.List(fields.Nested(ExportCheckinSchema))
    mails = fields.List(fields.Nested(ExportMailSchema))
    invitation = fields.Nested(ExportInvitationSchema, allow_none=True)
    companions = fields.List(fields.Nested(ExportPersonSchema))
    accompanies = fields.Nested(ExportPersonSchema, allow_none=True)
    exported_at = fields.DateTime()
