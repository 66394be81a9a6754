"""The organisers' own registration questions of a gathering, and edits of guests' answers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.answers import checked_answers, is_empty
from domain.questionnaire import Question, Questionnaire, asked_of
from domain.registration import Registration
from events_app.languages.scripts import in_script
from events_app.services.box_office import BoxOffice
from events_app.store.application import HistoryEntry

SIMPLIFIED = "zh_Hans_CN"
TRADITIONAL = "zh_Hant_HK"


def with_simplified(labels: dict[str, str]) -> dict[str, str]:
    """Return labels with the Simplified one made from the Traditional one when not given."""
    out = {k: str(v or "") for k, v in labels.items()}
    if not out.get(SIMPLIFIED, "").strip() and out.get(TRADITIONAL, "").strip():
        out[SIMPLIFIED] = in_script(out[TRADITIONAL], SIMPLIFIED)
    return out


def completed(question: Question) -> Question:
    """Return the question with every missing Simplified label made from the Traditional."""
    choices = [{**c, "labels": with_simplified(c.get("labels") or {})} for c in question.choices]
    return replace(question, labels=with_simplified(question.labels), choices=choices)


class Questionnaires:
    """What organisers do to a gathering's own questions, and to the answers given."""

    def __init__(self, app: BoxOffice) -> None:
        self._app = app

    def questionnaire(self, slug: str) -> Questionnaire:
        """Return the questions of a gathering (an empty questionnaire if none were asked)."""
        return self._app.questionnaire_of(self._app.gathering(slug).id)

    def _change(self, slug: str, change: Callable[[Questionnaire, datetime], Any]) -> Questionnaire:
        gathering = self._app.gathering(slug)

        def command() -> tuple[Questionnaire, list[Aggregate]]:
            questionnaire = self._app.questionnaire_of(gathering.id)
            change(questionnaire, self._app.clock())
            return questionnaire, [questionnaire]

        return self._app.execute(gathering.id, command)

    def add(self, slug: str, question: Question, actor: str) -> Questionnaire:
        """Add a question at the end of the gathering's questions."""
        question = completed(question)
        return self._change(slug, lambda q, at: q.add(question, at, actor))

    def change(self, slug: str, question: Question, actor: str) -> Questionnaire:
        """Change a question (named by its key): labels, choices, categories, required."""
        question = completed(question)
        return self._change(slug, lambda q, at: q.change(question, at, actor))

    def reorder(self, slug: str, keys: list[str], actor: str) -> Questionnaire:
        """Put the live questions in the order of `keys`."""
        return self._change(slug, lambda q, at: q.reorder(keys, at, actor))

    def retire(self, slug: str, key: str, actor: str) -> Questionnaire:
        """Stop asking a question; its answers are kept."""
        return self._change(slug, lambda q, at: q.retire(key, at, actor))

    def history(self, slug: str) -> list[HistoryEntry]:
        """Return every change of the gathering's questions, oldest first."""
        questionnaire = self.questionnaire(slug)
        return self._app.changes(questionnaire.id) if questionnaire.version > 1 else []

    def change_answers(
        self, registration_id: UUID, answers: dict[str, Any], actor: str
    ) -> Registration:
        """Change some answers of a registration (an organiser's edit, recorded with them).

        Keys not given keep their answers, a blank one clears it; answers to retired
        questions, or to questions no longer asked of the guest's category, are kept.
        Required questions may stay unanswered: the organiser may not know.
        """

        def command() -> tuple[Registration, list[Aggregate]]:
            registration = self._app.registration(registration_id)
            questionnaire = self._app.questionnaire_of(registration.gathering_id)
            questions = questionnaire.in_order(retired=True)
            given = checked_answers(
                questions, registration.category, answers, enforce_required=False
            )
            merged = {
                **{k: v for k, v in registration.answers.items() if k not in answers},
                **given,
            }
            merged = {k: v for k, v in merged.items() if not is_empty(v)}
            registration.change_answers(merged, self._app.clock(), actor)
            return registration, [registration]

        return self._app.execute(registration_id, command)


def questions_asked(questionnaire: Questionnaire, category: str | None) -> list[dict[str, Any]]:
    """Return the live questions asked of `category` (of every category when None)."""
    live = questionnaire.in_order()
    return live if category is None else [q for q in live if asked_of(q, category)]
