"""Marshmallow schemas of the planning API: exhibition, ceremonies and the running order.

Length limits match the domain's, so a too-long text is refused here (422
`validation_failed`, naming the field) before any command runs.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from domain.ceremony import MAX_ITEMS as MAX_CEREMONY_ITEMS
from domain.ceremony import MAX_PEOPLE, CeremonyItem, CeremonyKind, CeremonyState, Person
from domain.exhibition import MAX_STAFF_QUOTA, FirmState
from domain.running_order import AgendaItem, AgendaKind
from events_app.schemas.common import PHONE, SaneDateTime, Text, optional_text, required_text

SECTOR = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLOT_CODE = r"^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$"
EMAIL_OR_EMPTY = r"^([^@\s]+@[^@\s]+\.[^@\s]+)?$"
MAX_PARTIES = 40
MAX_CLAUSES = 100


def slot_code(**kwargs: object) -> fields.String:
    """Return a booth-slot code field, e.g. A01 or B-07."""
    return fields.String(
        validate=[validate.Length(min=1, max=12), validate.Regexp(SLOT_CODE)],
        metadata={"description": "a booth code such as A01 (letters, digits, '-')"},
        **kwargs,  # type: ignore[arg-type]
    )


# History ------------------------------------------------------------------------------


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


# Exhibition ---------------------------------------------------------------------------


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


# Ceremonies ---------------------------------------------------------------------------


class CeremonyDetailsSchema(Schema):
    """A ceremony's title, time and place."""

    title_en = required_text(200)
    title_zh = required_text(100)
    starts_at = SaneDateTime(required=True)
    location = optional_text(200)


class CeremonyInSchema(CeremonyDetailsSchema):
    """A ceremony to plan."""

    kind = fields.String(
        required=True,
        validate=validate.OneOf([k.value for k in CeremonyKind]),
        metadata={"description": "signing, pledge (many partners on one stage) or award"},
    )


class PersonSchema(Schema):
    """A signatory or recipient, as printed on the document."""

    name_en = optional_text(200)
    name_zh = optional_text(60)
    title = optional_text(200)
    organisation = required_text(200)
    registration_id = fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": "their registration for the gathering, if they have one"},
    )


class CeremonyItemInSchema(Schema):
    """One agreement, pledge or award: parties, people, reference and text."""

    reference = required_text(40, metadata={"description": "document reference number"})
    title_en = required_text(200)
    title_zh = required_text(100)
    parties = fields.List(
        required_text(200),
        load_default=list,
        validate=validate.Length(max=MAX_PARTIES),
        metadata={"description": "the organisations that sign, pledge, present or receive"},
    )
    people = fields.List(
        fields.Nested(PersonSchema),
        load_default=list,
        validate=validate.Length(max=MAX_PEOPLE),
        metadata={"description": "signatories or recipients"},
    )
    clauses = fields.List(
        Text(max_length=4000, min_length=1, multiline=True),
        load_default=list,
        validate=validate.Length(max=MAX_CLAUSES),
        metadata={"description": "the document's clauses, or the award's citation"},
    )


class PersonOutSchema(Schema):
    """A signatory or recipient."""

    name_en = fields.String()
    name_zh = fields.String()
    title = fields.String()
    organisation = fields.String()
    registration_id = fields.String(metadata={"description": "empty when not registered"})


class CeremonyItemSchema(Schema):
    """An item of a ceremony."""

    id = fields.String()
    reference = fields.String()
    title_en = fields.String()
    title_zh = fields.String()
    parties = fields.List(fields.String())
    people = fields.List(fields.Nested(PersonOutSchema))
    clauses = fields.List(fields.String())


class CeremonySchema(Schema):
    """A ceremony with its items in running order."""

    id = fields.UUID()
    gathering_id = fields.UUID()
    kind = fields.String()
    title_en = fields.String()
    title_zh = fields.String()
    starts_at = fields.DateTime()
    location = fields.String()
    state = fields.String(validate=validate.OneOf([s.value for s in CeremonyState]))
    items = fields.List(fields.Nested(CeremonyItemSchema))
    completed_at = fields.DateTime(allow_none=True)
    completed_by = fields.String()
    updated_at = fields.DateTime()
    version = fields.Integer()


class CeremonyWithItemSchema(CeremonySchema):
    """A ceremony, and the id of the item just added."""

    item_id = fields.String()


class CeremonyListSchema(Schema):
    """The ceremonies of a gathering, by time."""

    items = fields.List(fields.Nested(CeremonySchema))


class ReorderSchema(Schema):
    """A ceremony's items in their new order."""

    order = fields.List(
        fields.String(validate=validate.Length(min=1, max=40)),
        required=True,
        validate=validate.Length(max=MAX_CEREMONY_ITEMS),
        metadata={"description": "every item id exactly once"},
    )


class CompleteSchema(Schema):
    """When a ceremony was signed or the awards presented."""

    happened_at = SaneDateTime(
        load_default=None, allow_none=True, metadata={"description": "default: now"}
    )


# Running order --------------------------------------------------------------------------


class AgendaItemInSchema(Schema):
    """An item of the running order."""

    starts_at = SaneDateTime(required=True)
    ends_at = SaneDateTime(required=True)
    title_en = required_text(200)
    title_zh = required_text(100)
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in AgendaKind]))
    location = required_text(100)
    speaker_name = optional_text(200)
    speaker_registration_id = fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": "the speaker's registration; gives the name if none is given"},
    )
    ceremony_id = fields.UUID(
        load_default=None, allow_none=True, metadata={"description": "the ceremony it stages"}
    )
    parallel = fields.Boolean(
        load_default=False, metadata={"description": "may share its place and time with others"}
    )
    notes = optional_text(500, multiline=True)


class AgendaItemSchema(Schema):
    """An item of the running order."""

    id = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    title_en = fields.String()
    title_zh = fields.String()
    kind = fields.String()
    location = fields.String()
    speaker_name = fields.String()
    speaker_registration_id = fields.String()
    ceremony_id = fields.String()
    parallel = fields.Boolean()
    notes = fields.String()


class AgendaSchema(Schema):
    """The running order of a gathering, by start time."""

    gathering_id = fields.UUID()
    version = fields.Integer(metadata={"description": "changes recorded so far (0: none)"})
    items = fields.List(fields.Nested(AgendaItemSchema))


def ceremony_item_from(fields: dict[str, Any]) -> CeremonyItem:
    """Return the ceremony item the request describes."""
    people = tuple(
        Person(**{**person, "registration_id": str(person["registration_id"] or "")})
        for person in fields["people"]
    )
    return CeremonyItem(
        reference=fields["reference"],
        title_en=fields["title_en"],
        title_zh=fields["title_zh"],
        parties=tuple(fields["parties"]),
        people=people,
        clauses=tuple(fields["clauses"]),
    )


def agenda_item_from(fields: dict[str, Any]) -> AgendaItem:
    """Return the agenda item the request describes."""
    links = {k: str(fields[k] or "") for k in ("speaker_registration_id", "ceremony_id")}
    return AgendaItem(**{**fields, **links})
