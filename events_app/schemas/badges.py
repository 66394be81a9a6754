"""The badge print listing: the badges a batch would print, each with what the fonts lack."""

from __future__ import annotations

from marshmallow import Schema, fields

from events_app.schemas.registrations import BadgeSheetQuerySchema

UNPRINTABLE = {
    "description": "characters of the badge's details no font covers (printed as a box); "
    "empty when the whole badge prints",
    "example": ["\U00013000"],
}


class BadgeListQuerySchema(BadgeSheetQuerySchema):
    """Which badges to list: those a batch of the same query would print."""

    unprintable_only = fields.Boolean(
        load_default=False,
        metadata={"description": "list only the badges with characters no font covers"},
    )


class BadgeListItemSchema(Schema):
    """One badge a batch would print."""

    registration_id = fields.UUID()
    full_name = fields.String()
    name_zh = fields.String()
    organisation = fields.String()
    job_title = fields.String()
    category = fields.String()
    unprintable = fields.List(fields.String(), metadata=UNPRINTABLE)


class BadgeListSchema(Schema):
    """The badges a batch would print, in its order, and how many cannot print whole."""

    items = fields.List(fields.Nested(BadgeListItemSchema))
    total = fields.Integer(metadata={"description": "badges the batch prints"})
    unprintable = fields.Integer(
        metadata={"description": "of those, badges with characters no font covers"}
    )
