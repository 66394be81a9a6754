"""Schemas of a gathering: its guest categories, times and place."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from marshmallow import Schema, ValidationError, fields, validate

from domain.common import N_
from events_app.schemas.common import CATEGORIES, SLUG, SaneDateTime, optional_text, required_text


class CategoryPolicySchema(Schema):
    """Admission policy of one guest category."""

    capacity = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=0, max=100_000)
    )
    approval_required = fields.Boolean(load_default=False)
    invitation_only = fields.Boolean(
        load_default=False,
        metadata={"description": "only invited guests get this category (default false)"},
    )


def check_timezone(name: str) -> None:
    """Raise ValidationError unless `name` is an IANA timezone."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(N_("not a known IANA timezone, e.g. Asia/Shanghai")) from None


class GatheringCreateSchema(Schema):
    """A new gathering."""

    slug = fields.String(
        required=True, validate=[validate.Length(min=3, max=80), validate.Regexp(SLUG)]
    )
    title_en = required_text(300)
    title_zh = required_text(300)
    venue = required_text(300, metadata={"description": "the venue in English"})
    venue_zh = optional_text(300, metadata={"description": "the venue in Chinese (optional)"})
    timezone = fields.String(required=True, validate=check_timezone)
    starts_at = SaneDateTime(required=True)
    ends_at = SaneDateTime(required=True)
    capacity = fields.Integer(required=True, validate=validate.Range(min=1, max=100_000))
    registration_opens_at = SaneDateTime(required=True)
    registration_closes_at = SaneDateTime(required=True)
    categories = fields.Dict(
        keys=fields.String(validate=validate.OneOf(CATEGORIES)),
        values=fields.Nested(CategoryPolicySchema),
        required=True,
        validate=validate.Length(min=1),
    )


class GatheringSchema(Schema):
    """A gathering with its seats."""

    id = fields.UUID()
    slug = fields.String()
    title_en = fields.String()
    title_zh = fields.String()
    venue = fields.String()
    venue_zh = fields.String()
    timezone = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    capacity = fields.Integer()
    registration_opens_at = fields.DateTime()
    registration_closes_at = fields.DateTime()
    registration_open = fields.Boolean()
    door_list_max_age_minutes = fields.Integer(
        metadata={"description": "door lists older than this give unverified offline answers"}
    )
    retention_days = fields.Integer(
        metadata={"description": "guests' personal data are erased this many days after the end"}
    )
    erase_on = fields.Date(
        metadata={
            "description": "the day (in the gathering's time zone) guests' personal data are "
            "erased: the end's date plus retention_days"
        }
    )
    categories = fields.Dict(keys=fields.String(), values=fields.Nested(CategoryPolicySchema))
    confirmed = fields.Integer(metadata={"description": "guests holding a seat"})
    seats_left = fields.Integer(metadata={"description": "seats neither confirmed nor held"})
    held = fields.Integer(metadata={"description": "seats held for invited guests"})
    waitlisted = fields.Integer()
