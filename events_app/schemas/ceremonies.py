"""Schemas of ceremonies: signings, pledges and awards, with their parties and people.

Length limits match the domain's, so a too-long text is refused here (422
`validation_failed`, naming the field) before any command runs.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from domain.ceremony import (
    MAX_AUTHORITIES,
    MAX_PEOPLE,
    Authority,
    CeremonyItem,
    CeremonyKind,
    CeremonyState,
    Person,
    Signatory,
)
from domain.ceremony import MAX_ITEMS as MAX_CEREMONY_ITEMS
from events_app.schemas.common import SaneDateTime, Text, optional_text, required_text

MAX_PARTIES = 40
MAX_CLAUSES = 100


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


class SignatorySchema(Schema):
    """Who signs a certificate for an issuing authority (all empty: a bare signature line)."""

    name_en = optional_text(200)
    name_zh = optional_text(60)
    title_en = optional_text(200, metadata={"description": "e.g. Director-General"})
    title_zh = optional_text(100, metadata={"description": "e.g. 局長"})


class AuthoritySchema(Schema):
    """An issuing authority of an award, named in English and/or Chinese."""

    name_en = optional_text(200)
    name_zh = optional_text(100)
    signatory = fields.Nested(SignatorySchema, load_default=dict)
    seal = fields.Boolean(
        load_default=False, metadata={"description": "leave space for the authority's seal"}
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
    presenters = fields.List(
        fields.Nested(PersonSchema),
        load_default=list,
        validate=validate.Length(max=MAX_PEOPLE),
        metadata={"description": "who presents an award, or witnesses a signing, on stage"},
    )
    authorities = fields.List(
        fields.Nested(AuthoritySchema),
        load_default=list,
        validate=validate.Length(max=MAX_AUTHORITIES),
        metadata={"description": "an award's issuing authorities, in signing order"},
    )


class PersonOutSchema(Schema):
    """A signatory or recipient."""

    name_en = fields.String()
    name_zh = fields.String()
    title = fields.String()
    organisation = fields.String()
    registration_id = fields.String(metadata={"description": "empty when not registered"})
    unprintable = fields.List(
        fields.String(),
        metadata={
            "description": "characters of the person's name, title or organisation that no "
            "font covers (printed as a box); empty when all print",
            "example": ["\U00013000"],
        },
    )


class SignatoryOutSchema(Schema):
    """Who signs a certificate for an issuing authority."""

    name_en = fields.String()
    name_zh = fields.String()
    title_en = fields.String()
    title_zh = fields.String()


class AuthorityOutSchema(Schema):
    """An issuing authority of an award."""

    name_en = fields.String()
    name_zh = fields.String()
    signatory = fields.Nested(SignatoryOutSchema)
    seal = fields.Boolean()


class CeremonyItemSchema(Schema):
    """An item of a ceremony."""

    id = fields.String()
    reference = fields.String()
    title_en = fields.String()
    title_zh = fields.String()
    parties = fields.List(fields.String())
    people = fields.List(fields.Nested(PersonOutSchema))
    clauses = fields.List(fields.String())
    presenters = fields.List(fields.Nested(PersonOutSchema))
    authorities = fields.List(fields.Nested(AuthorityOutSchema))


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


def people_from(rows: list[dict[str, Any]]) -> tuple[Person, ...]:
    """Return the people (signatories, recipients or presenters) a request lists."""
    return tuple(
        Person(**{**person, "registration_id": str(person["registration_id"] or "")})
        for person in rows
    )


def authority_from(fields: dict[str, Any]) -> Authority:
    """Return the issuing authority a request describes."""
    return Authority(
        name_en=fields["name_en"],
        name_zh=fields["name_zh"],
        signatory=Signatory(**fields["signatory"]),
        seal=fields["seal"],
    )


def ceremony_item_from(fields: dict[str, Any]) -> CeremonyItem:
    """Return the ceremony item the request describes."""
    return CeremonyItem(
        reference=fields["reference"],
        title_en=fields["title_en"],
        title_zh=fields["title_zh"],
        parties=tuple(fields["parties"]),
        people=people_from(fields["people"]),
        clauses=tuple(fields["clauses"]),
        presenters=people_from(fields.get("presenters", [])),
        authorities=tuple(authority_from(a) for a in fields.get("authorities", [])),
    )
