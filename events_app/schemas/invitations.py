"""Schemas of invitations: inviting (one, or a CSV file), the invitee's view and replies."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from domain.invitation import MAX_COMPANIONS, InvitationState
from events_app.schemas.common import (
    CATEGORIES,
    PHONE,
    SaneDateTime,
    Text,
    TrimmedEmail,
    optional_text,
    required_text,
)
from events_app.schemas.registrations import LanguageTag, RegistrationSchema

STATES = [s.value for s in InvitationState]


class InviteSchema(Schema):
    """One guest to invite, and the terms of the invitation."""

    full_name = required_text(200)
    name_zh = optional_text(100)
    organisation = optional_text(200)
    job_title = optional_text(200)
    email = TrimmedEmail(required=True, validate=validate.Length(max=254))
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    language = LanguageTag(
        load_default=None,
        allow_none=True,
        metadata={"description": "the invitee's language for mails: en, zh-Hant-HK, zh-Hans-CN"},
    )
    batch = required_text(80, metadata={"description": "the batch; its deadline applies"})
    deadline = SaneDateTime(
        load_default=None,
        allow_none=True,
        metadata={"description": "required for a new batch; an existing batch keeps its own"},
    )
    companions_allowed = fields.Integer(
        load_default=0, validate=validate.Range(min=0, max=MAX_COMPANIONS)
    )
    companions_reserved = fields.Boolean(
        load_default=False,
        metadata={"description": "hold seats for the companions too until the answer"},
    )


class InviteImportSchema(Schema):
    """A CSV file of invitees, and the batch their rows fall in unless a row names one."""

    csv = Text(
        required=True,
        max_length=2_000_000,
        multiline=True,
        metadata={
            "description": "UTF-8 CSV; columns full_name, name_zh, organisation, job_title, "
            "email, category, language, and optionally batch, deadline, companions, "
            "reserve_companions"
        },
    )
    batch = optional_text(80)
    deadline = SaneDateTime(load_default=None, allow_none=True)


class CompanionSchema(Schema):
    """An accompanying person (aide, photographer) the invitee names."""

    full_name = required_text(200)
    role = required_text(100, metadata={"description": "e.g. aide, photographer"})
    name_zh = optional_text(100)
    email = TrimmedEmail(load_default="", validate=validate.Length(max=254))


class AcceptSchema(Schema):
    """The invitee's registration form; what is left out is taken from the invitation."""

    full_name = Text(max_length=200, load_default=None)
    name_zh = Text(max_length=100, load_default=None)
    organisation = Text(max_length=200, load_default=None)
    job_title = Text(max_length=200, load_default=None)
    email = TrimmedEmail(load_default=None, validate=validate.Length(max=254))
    phone = Text(max_length=40, load_default="", pattern=PHONE)
    dietary = optional_text(500, multiline=True)
    accessibility = optional_text(500, multiline=True)
    consent = fields.Boolean(
        required=True,
        validate=validate.Equal(True, error="consent to the use of your data is required"),
    )
    language = LanguageTag(load_default=None, allow_none=True)
    companions = fields.List(
        fields.Nested(CompanionSchema),
        load_default=list,
        validate=validate.Length(max=MAX_COMPANIONS),
        metadata={"description": "accompanying persons; they answer none of the questions"},
    )
    answers = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=40)),
        load_default=dict,
        metadata={
            "description": "answers to the gathering's own questions asked of the invitation's "
            "category, by question key, as on POST /gatherings/{slug}/registrations: a missing "
            "required answer, a wrong type, an unknown choice or key, or a question not asked "
            "of the category answers 422 invalid_answers with one message per `answers.<key>` "
            "in `fields`, and nothing is written (the seat stays held)"
        },
    )


class DeclineSchema(Schema):
    """Why the invitee declines (optional)."""

    reason = optional_text(500, multiline=True)


class InvitationErasureSchema(Schema):
    """Why an unaccepted invitee's personal data are erased (recorded; cannot be undone)."""

    reason = required_text(500)


class CompanionNamedSchema(Schema):
    """A named companion: their registration."""

    companion = fields.Nested(CompanionSchema)
    registration = fields.Nested(RegistrationSchema)


class InvitationSchema(Schema):
    """An invitation as organisers see it."""

    id = fields.UUID()
    gathering_id = fields.UUID()
    batch = fields.String()
    deadline = fields.DateTime()
    full_name = fields.String()
    name_zh = fields.String()
    organisation = fields.String()
    job_title = fields.String()
    email = fields.String()
    language = fields.String(allow_none=True)
    category = fields.String()
    state = fields.String(validate=validate.OneOf(STATES))
    companions_allowed = fields.Integer()
    companions_reserved = fields.Boolean()
    companions = fields.List(fields.Dict(), metadata={"description": "registration, name, role"})
    registration_id = fields.UUID(allow_none=True)
    reminded = fields.Boolean()
    invited_at = fields.DateTime()
    updated_at = fields.DateTime()
    link = fields.String(metadata={"description": "the invitee's personal link"})
    erased = fields.Boolean(metadata={"description": "the invitee's personal data are erased"})


class InvitationListSchema(Schema):
    """A gathering's invitations and their counts per category and state."""

    items = fields.List(fields.Nested(InvitationSchema))
    counts = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String()))


class InviteeViewSchema(Schema):
    """What the invitee's link shows: the invitation and the form filled in for them."""

    state = fields.String(validate=validate.OneOf(STATES))
    gathering = fields.String(metadata={"description": "the gathering's slug"})
    category = fields.String()
    deadline = fields.DateTime()
    companions_allowed = fields.Integer()
    companions = fields.List(fields.Dict())
    form = fields.Dict(metadata={"description": "the registration form, filled in"})
    registration_id = fields.UUID(allow_none=True)


class AcceptedSchema(Schema):
    """The invitee's registration and those of the companions named."""

    registration = fields.Nested(RegistrationSchema)
    companions = fields.List(fields.Nested(RegistrationSchema))
    confirmation_url = fields.String()
