"""Schemas of the exhibition: sectors, booth slots, exhibiting firms.

Length limits match the domain's, so a too-long text is refused here (422
`validation_failed`, naming the field) before any command runs.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from domain.exhibition import MAX_STAFF_QUOTA, FirmState
from events_app.schemas.common import PHONE, Text, optional_text

SECTOR = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLOT_CODE = r"^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$"
EMAIL_OR_EMPTY = r"^([^@\s]+@[^@\s]+\.[^@\s]+)?$"


def slot_code(**kwargs: object) -> fields.String:
    """Return a booth-slot code field, e.g. A01 or B-07."""
    return fields.String(
        validate=[validate.Length(min=1, max=12), validate.Regexp(SLOT_CODE)],
        metadata={"description": "a booth code such as A01 (letters, digits, '-')"},
        **kwargs,  # type: ignore[arg-type]
    )


class SectorSchema(Schema):
    """A sector firms and slots belong to."""

    sector = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=40), validate.Regexp(SECTOR)],
        metadata={"description": "lower case words joined by '-', e.g. clean-energy"},
    )


class SectorListSchema(Schema):
    """The sectors of an exhibition."""

    items = fields.List(fields.String())


class SlotInSchema(Schema):
    """Where a booth slot is and what it is like."""

    zone = optional_text(60, metadata={"description": "e.g. Block B exhibition hall"})
    floor = optional_text(20, metadata={"description": "e.g. G/F"})
    sector = fields.String(
        required=True, validate=[validate.Length(min=1, max=40), validate.Regexp(SECTOR)]
    )
    size = optional_text(20, metadata={"description": "e.g. 3 x 3 m"})


class SlotSchema(Schema):
    """A booth slot and the firm in it."""

    code = fields.String()
    zone = fields.String()
    floor = fields.String()
    sector = fields.String()
    size = fields.String()
    firm_id = fields.UUID(allow_none=True)
    firm_name_en = fields.String(allow_none=True)
    firm_name_zh = fields.String(allow_none=True)


class FirmInSchema(Schema):
    """What the showcase says about an exhibiting firm (a name in at least one language)."""

    name_en = optional_text(200)
    name_zh = optional_text(100)
    sector = fields.String(
        required=True, validate=[validate.Length(min=1, max=40), validate.Regexp(SECTOR)]
    )
    description = optional_text(1000, multiline=True)
    contact_name = optional_text(200)
    contact_email = Text(max_length=200, load_default="", pattern=EMAIL_OR_EMPTY)
    contact_phone = Text(max_length=40, load_default="", pattern=PHONE)
    staff_quota = fields.Integer(
        load_default=3,
        validate=validate.Range(min=0, max=MAX_STAFF_QUOTA),
        metadata={"description": "exhibitor-staff badges the firm may take"},
    )


class FirmSchema(Schema):
    """An exhibiting firm, its slot and its staff badges."""

    id = fields.UUID()
    name_en = fields.String()
    name_zh = fields.String()
    sector = fields.String()
    description = fields.String()
    contact_name = fields.String()
    contact_email = fields.String()
    contact_phone = fields.String()
    state = fields.String(validate=validate.OneOf([s.value for s in FirmState]))
    slot = fields.String(allow_none=True)
    staff_quota = fields.Integer()
    staff_taken = fields.Integer(metadata={"description": "staff badges taken"})
    staff_left = fields.Integer()
    staff_registration_ids = fields.List(fields.UUID())
    applied_at = fields.DateTime()


class FirmListSchema(Schema):
    """Firms (the two swapped, or a filtered list)."""

    items = fields.List(fields.Nested(FirmSchema))


class ExhibitionSchema(Schema):
    """The exhibition of a gathering: sectors, slots and firms."""

    gathering_id = fields.UUID()
    version = fields.Integer(metadata={"description": "changes recorded so far (0: none)"})
    sectors = fields.List(fields.String())
    slots = fields.List(fields.Nested(SlotSchema))
    firms = fields.List(fields.Nested(FirmSchema))
    free_slots = fields.List(fields.String())
    staff_quota = fields.Integer(metadata={"description": "staff badges of all placed firms"})
    staff_taken = fields.Integer()


class FirmQuerySchema(Schema):
    """Filters of the firm list."""

    state = fields.List(
        fields.String(validate=validate.OneOf([s.value for s in FirmState])), load_default=list
    )
    sector = fields.List(fields.String(), load_default=list)


class SlotRefSchema(Schema):
    """The slot a firm is given or moved to."""

    slot = slot_code(required=True)


class SwapSchema(Schema):
    """Two placed firms exchanging their slots."""

    first_firm_id = fields.UUID(required=True)
    second_firm_id = fields.UUID(required=True)
