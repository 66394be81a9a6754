"""Schemas of the corrections: PATCH of a gathering or a registration, and their answers."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from domain.gathering import MAX_RETENTION_DAYS
from events_app.schemas.common import (
    CATEGORIES,
    MAX_VERSION,
    PHONE,
    SaneDateTime,
    Text,
    TrimmedEmail,
    WholeNumber,
)
from events_app.schemas.gatherings import GatheringSchema
from events_app.schemas.registrations import RegistrationSchema

VERSION = fields.Integer(
    validate=validate.Range(min=1, max=MAX_VERSION),
    metadata={
        "description": "the version you saw; if the record changed since, the change is "
        "refused with 409 changed_meanwhile and nothing is written"
    },
)


class CategoryPatchSchema(Schema):
    """The parts of one category's policy to change (a new category is added)."""

    capacity = fields.Integer(allow_none=True, validate=validate.Range(min=0, max=100_000))
    approval_required = fields.Boolean()
    invitation_only = fields.Boolean()


class GatheringPatchSchema(Schema):
    """The fields of a gathering to correct; those left out stay as they are."""

    title_en = Text(max_length=300, min_length=1)
    title_zh = Text(max_length=300, min_length=1)
    venue = Text(max_length=300, min_length=1)
    venue_zh = Text(max_length=300)
    starts_at = SaneDateTime()
    ends_at = SaneDateTime()
    registration_opens_at = SaneDateTime()
    registration_closes_at = SaneDateTime()
    capacity = fields.Integer(
        validate=validate.Range(min=1, max=100_000),
        metadata={"description": "raising it seats waitlisted guests at once"},
    )
    categories = fields.Dict(
        keys=fields.String(validate=validate.OneOf(CATEGORIES)),
        values=fields.Nested(CategoryPatchSchema),
        metadata={"description": "per-category changes; categories left out stay"},
    )
    door_list_max_age_minutes = fields.Integer(
        validate=validate.Range(min=1, max=1440),
        metadata={
            "description": "how old a door device's list may be before its offline "
            "answers are marked unverified (default 30)"
        },
    )
    retention_days = WholeNumber(
        validate=validate.Range(min=1, max=MAX_RETENTION_DAYS),
        metadata={
            "description": "guests' personal data are erased this many days after the end "
            "(default 90)"
        },
    )
    version = VERSION


class CorrectionChangeSchema(Schema):
    """One corrected field."""

    field = fields.String()
    before = fields.Raw()
    after = fields.Raw()


class GatheringCorrectedSchema(GatheringSchema):
    """A gathering after a correction."""

    version = fields.Integer()
    changes = fields.List(fields.Nested(CorrectionChangeSchema))
    promoted = fields.List(
        fields.UUID(), metadata={"description": "waitlisted registrations now confirmed"}
    )


class RegistrationPatchSchema(Schema):
    """The details of a registration to correct; those left out stay as they are."""

    full_name = Text(max_length=200, min_length=1)
    name_zh = Text(max_length=100)
    organisation = Text(max_length=200, min_length=1)
    job_title = Text(max_length=200)
    email = TrimmedEmail(validate=validate.Length(max=254))
    phone = Text(max_length=40, pattern=PHONE)
    category = fields.String(
        validate=validate.OneOf(CATEGORIES),
        metadata={"description": "a confirmed guest needs a free seat in the new category"},
    )
    dietary = Text(max_length=500, multiline=True)
    accessibility = Text(max_length=500, multiline=True)
    notes = Text(max_length=1000, multiline=True)
    version = VERSION


class RegistrationCorrectedSchema(RegistrationSchema):
    """A registration after a correction."""

    notes = fields.String()
    version = fields.Integer()
    badge_serial = fields.Integer(metadata={"description": "unchanged by a correction"})
    changes = fields.List(fields.Nested(CorrectionChangeSchema))
    promoted = fields.List(fields.UUID())
