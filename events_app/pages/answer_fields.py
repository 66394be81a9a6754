"""The inputs of a gathering's own questions on a form, and the answers read back from one.

The guest form and the console's edit form share them. Every live question is on the
form, each marked with the categories it is asked of (a script may hide the others);
the server keeps only the answers to the questions asked of the chosen category.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from werkzeug.datastructures import MultiDict

from domain.answers import InvalidAnswers, checked_answers
from domain.common import N_
from domain.questionnaire import QuestionKind, asked_of
from events_app.errors import answer_messages
from events_app.pages.labels import CATEGORY_NAMES
from events_app.presenters.questionnaire import answer_text, label

PREFIX = "answers."
YES, NO = N_("Yes"), N_("No")
ONLY_FOR = N_("(only for: %(categories)s)")
ANSWERS_MESSAGE = N_("Please check your answers to the questions marked below.")


@dataclass(frozen=True)
class AnswerField:
    """One question as a form shows it, in the reader's language."""

    name: str
    key: str
    kind: str
    label: str
    required: bool
    choices: list[tuple[str, str]]
    categories: list[str]
    only_for: str
    """Whom the question is asked of, in words (empty: everyone)."""


def answer_fields(questions: list[dict[str, Any]], language: str) -> list[AnswerField]:
    """Return the form's inputs of the live questions, labelled in `language`."""
    fields = []
    for q in questions:
        names = ", ".join(gettext(CATEGORY_NAMES.get(c, c)) for c in q["categories"])
        fields.append(
            AnswerField(
                name=PREFIX + q["key"],
                key=q["key"],
                kind=q["kind"],
                label=label(q["labels"], language),
                required=q["required"],
                choices=[(c["key"], label(c["labels"], language)) for c in q["choices"]],
                categories=list(q["categories"]),
                only_for=gettext(ONLY_FOR, categories=names) if names else "",
            )
        )
    return fields


def form_answers(
    form: MultiDict[str, str], questions: list[dict[str, Any]], category: str | None
) -> dict[str, Any]:
    """Return the answers a form gives to the live questions asked of `category` (None: all)."""
    answers: dict[str, Any] = {}
    for q in questions:
        if category is not None and not asked_of(q, category):
            continue
        name = PREFIX + q["key"]
        if q["kind"] == QuestionKind.SEVERAL_CHOICES:
            answers[q["key"]] = [v for v in form.getlist(name) if v]
        elif q["kind"] == QuestionKind.YES_NO:
            said = form.get(name, "")
            answers[q["key"]] = {"yes": True, "no": False}.get(said, said or None)
        else:
            answers[q["key"]] = form.get(name, "")
    return answers


def shown_values(answers: dict[str, Any]) -> dict[str, Any]:
    """Return answers as the form's inputs hold them (yes/no as `yes` or `no`)."""
    return {k: ("yes" if v else "no") if isinstance(v, bool) else v for k, v in answers.items()}


def answer_problems(
    questions: list[dict[str, Any]], category: str, answers: dict[str, Any], **kw: Any
) -> dict[str, str]:
    """Return each faulty answer's message in the reader's language, by input name."""
    try:
        checked_answers(questions, category, answers, **kw)
    except InvalidAnswers as error:
        return refused_answers(error)
    return {}


def refused_answers(error: InvalidAnswers) -> dict[str, str]:
    """Return the messages of refused answers by input name (answers.<key>)."""
    return {PREFIX + key: text for key, text in answer_messages(error).items()}


def answered(
    questions: list[dict[str, Any]], answers: dict[str, Any], language: str
) -> list[tuple[str, str, bool]]:
    """Return (label, answer, retired) of every answered question, in order (retired last)."""
    words = (gettext(YES), gettext(NO))
    return [
        (
            label(q["labels"], language),
            answer_text(q, answers[q["key"]], language, words),
            q["retired"],
        )
        for q in questions
        if q["key"] in answers
    ]
