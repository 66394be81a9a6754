"""Answers to a gathering's own questions: checked against the questions of a category.

An answer is plain data: text for the text kinds, a choice's key, a list of choice keys,
true or false, or a date written YYYY-MM-DD. Every problem is collected (one per question
key) before anything is refused, so a form can mark them all at once.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date
from typing import Any

from domain.common import N_
from domain.errors import DomainError, InvalidValue
from domain.questionnaire import QuestionKind, asked_of


class InvalidAnswers(DomainError):
    """Answers do not fit the gathering's questions; `problems` holds one refusal per key."""

    code = "invalid_answers"

    def __init__(self, problems: dict[str, DomainError]) -> None:
        super().__init__(N_("some answers are missing or not valid"), field="answers")
        self.problems = problems


LIMITS = {QuestionKind.SHORT_TEXT: 200, QuestionKind.LONG_TEXT: 2000}


def is_empty(value: Any) -> bool:
    """Tell whether an answer says nothing (absent, blank text, no choice)."""
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def checked_answers(
    questions: list[dict[str, Any]],
    category: str,
    answers: dict[str, Any],
    *,
    enforce_required: bool = True,
) -> dict[str, Any]:
    """Return the answers normalised, or raise InvalidAnswers naming each key at fault.

    `questions` are the questionnaire's questions (retired ones too); only the live ones
    asked of `category` may be answered. Blank answers are left out.
    """
    by_key = {q["key"]: q for q in questions}
    problems: dict[str, DomainError] = {}
    result: dict[str, Any] = {}
    for key, value in answers.items():
        question = by_key.get(key)
        if question is None or question["retired"]:
            problems[key] = InvalidValue("there is no such question", field=key)
        elif not asked_of(question, category):
            problems[key] = InvalidValue("this question is not asked of your category", field=key)
        elif not is_empty(value):
            try:
                result[key] = checked_answer(question, value)
            except InvalidValue as error:
                problems[key] = error
    for question in questions:
        key = question["key"]
        live = not question["retired"] and asked_of(question, category)
        if enforce_required and live and question["required"] and is_empty(answers.get(key)):
            problems.setdefault(key, InvalidValue("an answer is required", field=key))
    if problems:
        raise InvalidAnswers(problems)
    return result


def checked_answer(question: dict[str, Any], value: Any) -> Any:
    """Return one answer normalised for its question, or raise InvalidValue."""
    return CHECKS[QuestionKind(question["kind"])](question, value)


def _text(question: dict[str, Any], value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidValue("the answer must be text", field=question["key"])
    kind = QuestionKind(question["kind"])
    allowed = "\n\r\t" if kind == QuestionKind.LONG_TEXT else ""
    text = unicodedata.normalize("NFC", value).strip()
    if any(unicodedata.category(ch) in {"Cc", "Cf"} and ch not in allowed for ch in text):
        raise InvalidValue("the answer must not contain control characters", field=question["key"])
    limit = LIMITS[kind]
    if len(text) > limit:
        raise InvalidValue(
            "the answer must be at most %(limit)s characters", field=question["key"], limit=limit
        )
    return text


def _choice_keys(question: dict[str, Any]) -> set[str]:
    return {choice["key"] for choice in question["choices"]}


def _one_choice(question: dict[str, Any], value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidValue("the answer must be one choice's key", field=question["key"])
    if value not in _choice_keys(question):
        raise InvalidValue(
            "%(choice)s is not one of the choices", field=question["key"], choice=value
        )
    return value


def _several_choices(question: dict[str, Any], value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidValue("the answer must be a list of choices' keys", field=question["key"])
    for choice in value:
        if choice not in _choice_keys(question):
            raise InvalidValue(
                "%(choice)s is not one of the choices", field=question["key"], choice=choice
            )
    order = [c["key"] for c in question["choices"]]
    return sorted(set(value), key=order.index)


def _yes_no(question: dict[str, Any], value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidValue("the answer must be yes or no (true or false)", field=question["key"])
    return value


def _date(question: dict[str, Any], value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidValue("the answer must be a date (YYYY-MM-DD)", field=question["key"])
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise InvalidValue(
            "the answer must be a date (YYYY-MM-DD)", field=question["key"]
        ) from None


CHECKS: dict[QuestionKind, Callable[[dict[str, Any], Any], Any]] = {
    QuestionKind.SHORT_TEXT: _text,
    QuestionKind.LONG_TEXT: _text,
    QuestionKind.ONE_CHOICE: _one_choice,
    QuestionKind.SEVERAL_CHOICES: _several_choices,
    QuestionKind.YES_NO: _yes_no,
    QuestionKind.DATE: _date,
}
