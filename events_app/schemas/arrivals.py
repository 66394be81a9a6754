"""Schemas of the live arrival figures of a gathering."""

from __future__ import annotations

from marshmallow import Schema, fields


class CategoryArrivalsSchema(Schema):
    """Arrivals of one guest category."""

    category = fields.String()
    expected = fields.Integer(metadata={"description": "confirmed registrations"})
    checked_in = fields.Integer(metadata={"description": "confirmed guests let in at least once"})
    inside = fields.Integer(metadata={"description": "of them, inside a checkpoint now"})


class CheckpointArrivalsSchema(Schema):
    """Arrivals at one checkpoint."""

    code = fields.String()
    name_en = fields.String()
    name_zh = fields.String()
    expected = fields.Integer(metadata={"description": "confirmed guests it admits"})
    checked_in = fields.Integer(metadata={"description": "confirmed guests let in here"})
    inside = fields.Integer(metadata={"description": "entered here and not left since"})


class ArrivalSlotSchema(Schema):
    """First arrivals in one 5-minute slot."""

    start = fields.DateTime(metadata={"description": "in the gathering's timezone"})
    label = fields.String(metadata={"description": "HH:MM in the gathering's timezone"})
    count = fields.Integer()


class ArrivalsSchema(Schema):
    """Live arrival figures of a gathering: only confirmed registrations count."""

    slug = fields.String()
    title_en = fields.String()
    title_zh = fields.String()
    timezone = fields.String()
    as_of = fields.DateTime(metadata={"description": "when the figures were taken"})
    expected = fields.Integer(metadata={"description": "confirmed registrations"})
    checked_in = fields.Integer(
        metadata={"description": "confirmed guests with an accepted entry at any checkpoint"}
    )
    inside = fields.Integer(metadata={"description": "checked-in guests not scanned out"})
    not_arrived = fields.Integer()
    cancelled_after_check_in = fields.Integer(
        metadata={"description": "let in, then cancelled: counted in neither figure"}
    )
    by_category = fields.List(fields.Nested(CategoryArrivalsSchema))
    by_checkpoint = fields.List(fields.Nested(CheckpointArrivalsSchema))
    slot_minutes = fields.Integer()
    slots = fields.List(
        fields.Nested(ArrivalSlotSchema),
        metadata={
            "description": "first arrivals by when the scan was made, from the first "
            "arrival's slot to the latest's (or the current one, within the hour after it)"
        },
    )
    earlier = fields.Integer(metadata={"description": "arrivals before the first slot listed"})
    latest_arrival_at = fields.DateTime(allow_none=True)
