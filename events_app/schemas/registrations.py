"""Schemas of registrations: the guest's form, the guest list, approvals, histories, badges."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from events_app.languages.tags import HTML_LANG, best_language
from events_app.schemas.common import (
    CATEGORIES,
    MAX_OFFSET,
    PHONE,
    STATES,
    Text,
    TrimmedEmail,
    optional_text,
    required_text,
)


class LanguageTag(fields.String):
    """A language of the product, named by a BCP 47 tag (en, zh-HK, zh-Hans-CN...)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        tag = super()._deserialize(value, attr, data, **kwargs)
        language = best_language(tag.strip())
        if language is None:
            raise ValidationError(f"Must be one of: {', '.join(HTML_LANG.values())}.")
        return language


class RegistrationCreateSchema(Schema):
    """What a guest submits to register."""

    full_name = required_text(200)
    name_zh = optional_text(100)
    organisation = required_text(200)
    job_title = required_text(200)
    email = TrimmedEmail(required=True, validate=validate.Length(max=254))
    phone = Text(max_length=40, load_default="", pattern=PHONE)
    category = fields.String(load_default="guest", validate=validate.OneOf(CATEGORIES))
    dietary = optional_text(500, multiline=True)
    accessibility = optional_text(500, multiline=True)
    consent = fields.Boolean(
        required=True,
        validate=validate.Equal(True, error="consent to the use of your data is required"),
    )
    firm_id = fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "exhibitor staff only, and required for them: the exhibiting firm "
            "whose staff badge they take (409 staff_quota_exceeded when none is left)"
        },
    )
    staff_code = fields.String(
        load_default="",
        validate=validate.Length(max=40),
        metadata={
            "description": "exhibitor staff only: their firm's staff code. With it they take "
            "a staff badge at once; without it the registration waits for an organiser's "
            "approval (pending) and takes no badge until approved; a wrong or renewed code "
            "answers 422 staff_code_invalid"
        },
    )
    answers = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=40)),
        load_default=dict,
        metadata={
            "description": "answers to the gathering's own questions, by question key: text, "
            "a choice's key, a list of choices' keys, true/false, or a date YYYY-MM-DD (see "
            "GET /gatherings/{slug}/questions/schema for the JSON schema of one gathering); "
            "a missing required answer, a wrong type, an unknown choice or key, or a question "
            "not asked of the category answers 422 invalid_answers with one message per "
            "`answers.<key>` in `fields`"
        },
    )
    language = LanguageTag(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "the language of the guest's e-mails: en, zh-Hant-HK (or zh-HK) or "
            "zh-Hans-CN (or zh-CN); without it, the request's Accept-Language; with neither, "
            "the e-mails are in English and Traditional Chinese side by side"
        },
    )


class RegistrationSchema(Schema):
    """A registration as organisers see it."""

    id = fields.UUID()
    gathering_id = fields.UUID()
    full_name = fields.String()
    name_zh = fields.String()
    organisation = fields.String()
    job_title = fields.String()
    email = fields.String()
    phone = fields.String()
    category = fields.String()
    state = fields.String(validate=validate.OneOf(STATES))
    dietary = fields.String()
    accessibility = fields.String()
    language = fields.String(
        allow_none=True,
        metadata={
            "description": "the language of the guest's e-mails (en, zh_Hant_HK, zh_Hans_CN); "
            "null: not recorded (e-mails in English and Traditional Chinese)"
        },
    )
    capacity_overridden = fields.Boolean()
    answers = fields.Dict(
        keys=fields.String(),
        metadata={"description": "answers to the gathering's own questions, by question key"},
    )
    waitlist_position = fields.Integer(allow_none=True)
    submitted_at = fields.DateTime()
    updated_at = fields.DateTime()
    unprintable = fields.List(
        fields.String(),
        metadata={
            "description": "characters of the printed details (names, organisation, job "
            "title) that no font covers: printed as a box unless corrected first",
            "example": ["\U00013000"],
        },
    )


class GuestRegistrationSchema(RegistrationSchema):
    """A registration as its guest sees it, with the link to the confirmation page."""

    firm_id = fields.UUID(allow_none=True, metadata={"description": "exhibitor staff's firm"})

    confirmation_token = fields.String()
    confirmation_url = fields.Url()


class RegistrationQuerySchema(Schema):
    """Filters of the guest list."""

    state = fields.List(fields.String(validate=validate.OneOf(STATES)), load_default=list)
    category = fields.List(fields.String(validate=validate.OneOf(CATEGORIES)), load_default=list)
    q = Text(max_length=200, load_default="")
    answer = Text(
        max_length=240,
        load_default="",
        pattern=r"^([a-z][a-z0-9_]{0,39}=.+)?$",
        metadata={
            "description": "only guests who gave this answer to a question of the gathering, "
            "as key=value: a choice's key (one of those ticked), yes or no, a date or a text"
        },
    )
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_OFFSET))


class CountsSchema(Schema):
    """How many registrations there are, by state and by category and state."""

    by_state = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_category = fields.Dict(
        keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Integer())
    )


class RegistrationPageSchema(Schema):
    """A page of the guest list."""

    items = fields.List(fields.Nested(RegistrationSchema))
    total = fields.Integer()
    limit = fields.Integer()
    offset = fields.Integer()
    counts = fields.Nested(CountsSchema)


class ApproveSchema(Schema):
    """Approval of a registration."""

    override_capacity = fields.Boolean(
        load_default=False,
        metadata={"description": "confirm a VIP even when no seat is free (recorded)"},
    )


class HistoryEntrySchema(Schema):
    """One domain event of a registration."""

    version = fields.Integer()
    type = fields.String()
    at = fields.DateTime(metadata={"description": "when it happened (the app's clock)"})
    recorded_at = fields.DateTime(metadata={"description": "when the store recorded it"})
    actor = fields.String(metadata={"description": "guest, organiser:<name>, or system"})
    data = fields.Dict()


class HistorySchema(Schema):
    """The history of a registration, oldest first."""

    registration_id = fields.UUID()
    events = fields.List(fields.Nested(HistoryEntrySchema))


class BadgeSheetQuerySchema(Schema):
    """Which badges to print, in which order."""

    order = fields.String(
        load_default="name", validate=validate.OneOf(["name", "category", "organisation"])
    )
    category = fields.List(fields.String(validate=validate.OneOf(CATEGORIES)), load_default=list)
