"""A gathering's own registration questions, their JSON schema, and guests' answers."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.questionnaire import Question
from domain.roles import Permission
from events_app.api.auth import SECURITY, current_actor, organiser_required
from events_app.api.docs import error_docs
from events_app.api.parsing import Blueprint
from events_app.context import services
from events_app.presenters.common import json_safe, registration_data
from events_app.presenters.questionnaire import answers_json_schema
from events_app.schemas.questionnaire import (
    AnswersChangeSchema,
    AnswersJsonSchema,
    QuestionCreateSchema,
    QuestionFieldsSchema,
    QuestionnaireSchema,
    QuestionOrderSchema,
    QuestionSchema,
    QuestionsHistorySchema,
)
from events_app.schemas.registrations import RegistrationSchema
from events_app.services.authorisation import public

bp = Blueprint("questions", __name__, description="A gathering's own registration questions")
errors = error_docs(bp)
QUESTIONS = "/gatherings/<slug>/questions"


def listing(slug: str) -> dict[str, Any]:
    """Return every question of a gathering (retired ones last)."""
    questionnaire = services().questionnaires.questionnaire(slug)
    return {"questions": questionnaire.in_order(retired=True)}


@bp.route(QUESTIONS, methods=["GET"])
@organiser_required(Permission.VIEW)
@bp.response(200, QuestionnaireSchema)
@errors(401, 404)
@bp.doc(security=SECURITY)
def list_questions(slug: str) -> dict[str, Any]:
    """List the gathering's questions in order, retired ones last (organiser)."""
    return listing(slug)


@bp.route(f"{QUESTIONS}/schema", methods=["GET"])
@public
@bp.response(200, AnswersJsonSchema)
@errors(404)
def answers_schema(slug: str) -> dict[str, Any]:
    """Return the JSON schema of the `answers` a registration gives (public)."""
    gathering = services().box_office.gathering(slug)
    questionnaire = services().questionnaires.questionnaire(slug)
    return answers_json_schema(gathering, questionnaire.in_order())


@bp.route(f"{QUESTIONS}/history", methods=["GET"])
@organiser_required(Permission.VIEW)
@bp.response(200, QuestionsHistorySchema)
@errors(401, 404)
@bp.doc(security=SECURITY)
def questions_history(slug: str) -> dict[str, Any]:
    """Return every change of the gathering's questions in order, with when and who."""
    entries = services().questionnaires.history(slug)
    return {"events": [{**entry.__dict__, "data": json_safe(entry.data)} for entry in entries]}


@bp.route(QUESTIONS, methods=["POST"])
@organiser_required(Permission.PLAN)
@bp.arguments(QuestionCreateSchema)
@bp.response(201, QuestionSchema)
@errors(400, 401, 404, 409, 422)
@bp.doc(security=SECURITY)
def add_question(fields: dict[str, Any], slug: str) -> dict[str, Any]:
    """Add a question at the end (organiser)."""
    questionnaire = services().questionnaires.add(slug, Question(**fields), current_actor())
    return questionnaire.question(fields["key"])


@bp.route(f"{QUESTIONS}/<key>", methods=["GET"])
@organiser_required(Permission.VIEW)
@bp.response(200, QuestionSchema)
@errors(401, 404)
@bp.doc(security=SECURITY)
def get_question(slug: str, key: str) -> dict[str, Any]:
    """Return one question, also a retired one (organiser)."""
    return services().questionnaires.questionnaire(slug).question(key)


@bp.route(f"{QUESTIONS}/<key>", methods=["PATCH"])
@organiser_required(Permission.PLAN)
@bp.arguments(QuestionFieldsSchema(partial=True))
@bp.response(200, QuestionSchema)
@errors(400, 401, 404, 409, 422)
@bp.doc(security=SECURITY)
def change_question(fields: dict[str, Any], slug: str, key: str) -> dict[str, Any]:
    """Change a question's labels, choices, categories or requiredness (organiser).

    Its kind stays, and no choice may be taken away: the answers given keep their meaning.
    """
    app = services().questionnaires
    old = app.questionnaire(slug).question(key)
    given = {k: old[k] for k in ("labels", "required", "choices", "categories")} | fields
    if "labels" in fields and "zh_Hans_CN" not in (fields["labels"] or {}):
        given["labels"] = {**fields["labels"], "zh_Hans_CN": ""}
    question = Question(key=key, kind=old["kind"], **given)
    return app.change(slug, question, current_actor()).question(key)


@bp.route(f"{QUESTIONS}/<key>", methods=["DELETE"])
@organiser_required(Permission.PLAN)
@bp.response(200, QuestionSchema)
@errors(401, 404, 409, 422)
@bp.doc(security=SECURITY)
def retire_question(slug: str, key: str) -> dict[str, Any]:
    """Retire a question: no longer asked, its answers kept in history and exports (organiser)."""
    return services().questionnaires.retire(slug, key, current_actor()).question(key)


@bp.route(f"{QUESTIONS}/order", methods=["PUT"])
@organiser_required(Permission.PLAN)
@bp.arguments(QuestionOrderSchema)
@bp.response(200, QuestionnaireSchema)
@errors(400, 401, 404, 409, 422)
@bp.doc(security=SECURITY)
def reorder_questions(fields: dict[str, Any], slug: str) -> dict[str, Any]:
    """Put the live questions in a new order: every live key once (organiser)."""
    services().questionnaires.reorder(slug, fields["keys"], current_actor())
    return listing(slug)


@bp.route("/registrations/<uuid:registration_id>/answers", methods=["PATCH"])
@organiser_required(Permission.MANAGE_REGISTRATIONS)
@bp.arguments(AnswersChangeSchema)
@bp.response(200, RegistrationSchema)
@errors(400, 401, 404, 409, 422)
@bp.doc(security=SECURITY)
def change_answers(fields: dict[str, Any], registration_id: UUID) -> dict[str, Any]:
    """Change a guest's answers (organiser; recorded in the history with who did it)."""
    registration = services().questionnaires.change_answers(
        registration_id, fields["answers"], current_actor()
    )
    guest_list = services().box_office.guest_list(registration.gathering_id)
    return registration_data(registration, guest_list)
