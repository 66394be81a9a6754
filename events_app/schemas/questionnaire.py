"""Schemas of a gathering's own questions and of the answers guests give to them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from domain.questionnaire import KEY, QuestionKind
from events_app.schemas.common import CATEGORIES, Text, optional_text, required_text
from events_app.schemas.registrations import HistoryEntrySchema

KINDS = [k.value for k in QuestionKind]
QUESTION_KEY = fields.String(
    required=True,
    validate=validate.Regexp(KEY.pattern, error="not in the expected format"),
    metadata={"description": "stable key: lower-case letters, digits and _, a letter first"},
)


class LabelsSchema(Schema):
    """A label in the three languages (Simplified made from Traditional when left out)."""

    en = required_text(200)
    zh_hant_hk = required_text(200, data_key="zh_Hant_HK", attribute="zh_Hant_HK")
    zh_hans_cn = optional_text(200, data_key="zh_Hans_CN", attribute="zh_Hans_CN")


class ChoiceSchema(Schema):
    """One choice of a choice question."""

    key = QUESTION_KEY
    labels = fields.Nested(LabelsSchema, required=True)


class QuestionFieldsSchema(Schema):
    """What an organiser may change of a question (all of it but the key and kind)."""

    labels = fields.Nested(LabelsSchema, required=True)
    required = fields.Boolean(load_default=False)
    choices = fields.List(
        fields.Nested(ChoiceSchema),
        load_default=list,
        validate=validate.Length(max=30),
        metadata={"description": "one_choice and several_choices only; none may be removed"},
    )
    categories = fields.List(
        fields.String(validate=validate.OneOf(CATEGORIES)),
        load_default=list,
        metadata={"description": "the guest categories asked; empty: every category"},
    )


class QuestionCreateSchema(QuestionFieldsSchema):
    """A new question."""

    key = fields.String(
        required=True,
        validate=[
            validate.Regexp(KEY.pattern, error="not in the expected format"),
            validate.NoneOf(["schema", "order", "history"], error="not in the expected format"),
        ],
        metadata={"description": "stable key: lower-case letters, digits and _, a letter first"},
    )
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))


class QuestionSchema(QuestionCreateSchema):
    """A question as the API shows it."""

    retired = fields.Boolean(metadata={"description": "no longer asked; its answers are kept"})


class QuestionnaireSchema(Schema):
    """A gathering's questions, in the order they are asked (retired ones last)."""

    questions = fields.List(fields.Nested(QuestionSchema))


class QuestionOrderSchema(Schema):
    """The live questions' keys in their new order."""

    keys = fields.List(fields.String(validate=validate.Length(max=40)), required=True)


class AnswersChangeSchema(Schema):
    """Answers an organiser changes: given keys only; an empty value clears the answer."""

    answers = fields.Dict(
        keys=Text(max_length=40),
        required=True,
        metadata={"description": "by question key, as when registering; null or '' clears"},
    )


class AnswersJsonSchema(Schema):
    """A JSON schema (draft 2020-12) of the `answers` object of one gathering's registration."""

    dialect = fields.String(data_key="$schema")
    title = fields.String()
    type = fields.String()
    properties = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(),
        metadata={"description": "one JSON schema per live question, by key"},
    )
    required = fields.List(
        fields.String(), metadata={"description": "keys every category must answer"}
    )
    additionalProperties = fields.Boolean()  # noqa: N815 (JSON schema's own name)
    categories = fields.Dict(
        data_key="x-categories",
        keys=fields.String(),
        values=fields.Dict(),
        metadata={"description": "per category: the keys asked and the keys required"},
    )


class QuestionsHistorySchema(Schema):
    """Every change of a gathering's questions, oldest first."""

    events = fields.List(fields.Nested(HistoryEntrySchema))
