"""Console: a guest's answers to the gathering's own questions, shown and edited.

An organiser's edit is recorded in the registration's history with who made it; an
answer that does not fit its question is refused with the question named, nothing saved.
"""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, request
from flask_babel import gettext
from werkzeug.wrappers import Response

from domain.answers import InvalidAnswers
from domain.common import N_
from domain.errors import DomainError
from domain.gathering import Gathering
from domain.registration import Registration
from domain.roles import Permission
from events_app.context import services
from events_app.languages import current_language
from events_app.pages.answer_fields import (
    PREFIX,
    answer_fields,
    answered,
    form_answers,
    refused_answers,
    shown_values,
)
from events_app.pages.console.common import (
    act,
    console_blueprint,
    form_version,
    gathering_or_404,
    refused_message,
)
from events_app.pages.console.registration_lookup import (
    find_registration,
    missing,
    registration_url,
)
from events_app.pages.sessions import organiser_page
from events_app.presenters.questionnaire import label

bp = console_blueprint("console_answers", __name__)
SAVED = N_("Answers saved.")
NOT_SAVED = N_("Answers not saved: %(problems)s")


def answers_context(gathering: Gathering, registration: Registration) -> dict[str, Any]:
    """Return what the registration page shows of the answers, and its edit form's inputs."""
    questionnaire = services().box_office.questionnaire_of(gathering.id)
    language = current_language()
    asked = questionnaire.asked(registration.category)
    return {
        "answers": answered(questionnaire.in_order(retired=True), registration.answers, language),
        "answer_inputs_of": answer_fields(asked, language),
        "answer_values": shown_values(registration.answers),
    }


def refused(error: DomainError, questions: list[dict[str, Any]], back: str) -> Response:
    """Go back to the registration with each refused answer named by its question."""
    if isinstance(error, InvalidAnswers):
        titles = {PREFIX + q["key"]: label(q["labels"], current_language()) for q in questions}
        problems = "; ".join(
            f"{titles.get(name, name.removeprefix(PREFIX))}: {text}"
            for name, text in refused_answers(error).items()
        )
        flash(gettext(NOT_SAVED, problems=problems), "error")
    else:
        flash(refused_message(error), "error")
    return redirect(back, code=303)


@bp.post("/registrations/<registration_id>/answers")
@organiser_page(Permission.MANAGE_REGISTRATIONS)
def change_answers(slug: str, registration_id: str) -> Any:
    """Save an organiser's edit of a guest's answers, on the version the form showed."""
    gathering = gathering_or_404(slug)
    found = find_registration(gathering, registration_id)
    if found is None:
        return missing(slug, gathering)
    questions = services().box_office.questionnaire_of(gathering.id).in_order(retired=True)
    answers = form_answers(request.form, questions, found.category)
    back = registration_url(slug, found.id) + "#answers"
    return act(
        lambda: services().questionnaires.change_answers(found.id, answers, g.organiser.label),
        done=gettext(SAVED),
        back=back,
        versions={found.id: form_version()},
        refused=lambda error: refused(error, questions, back),
    )
