"""A gathering's own questions as readers see them: labels, answers, the JSON schema."""

from __future__ import annotations

from typing import Any

from domain.gathering import Gathering
from domain.gathering_categories import GuestCategory
from domain.questionnaire import QuestionKind, asked_of

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


def label(labels: dict[str, str], language: str) -> str:
    """Return a label in `language` (English if that one is empty)."""
    return labels.get(language) or labels.get("en") or ""


def choice_label(question: dict[str, Any], key: str, language: str) -> str:
    """Return the label of one choice of a question (its key if it has no such choice)."""
    for choice in question["choices"]:
        if choice["key"] == key:
            return label(choice["labels"], language)
    return key


def answer_text(
    question: dict[str, Any], value: Any, language: str, yes_no: tuple[str, str]
) -> str:
    """Return an answer as a reader reads it: choices by label, yes/no in words."""
    if value is None:
        return ""
    kind = question["kind"]
    if kind == QuestionKind.YES_NO:
        return yes_no[0] if value else yes_no[1]
    if kind == QuestionKind.SEVERAL_CHOICES:
        return "; ".join(choice_label(question, v, language) for v in value)
    if kind == QuestionKind.ONE_CHOICE:
        return choice_label(question, str(value), language)
    return str(value)


def property_schema(question: dict[str, Any]) -> dict[str, Any]:
    """Return the JSON schema of one question's answer."""
    kind = question["kind"]
    keys = [c["key"] for c in question["choices"]]
    schemas: dict[str, dict[str, Any]] = {
        QuestionKind.SHORT_TEXT: {"type": "string", "maxLength": 200},
        QuestionKind.LONG_TEXT: {"type": "string", "maxLength": 2000},
        QuestionKind.ONE_CHOICE: {"type": "string", "enum": keys},
        QuestionKind.SEVERAL_CHOICES: {
            "type": "array",
            "items": {"type": "string", "enum": keys},
            "uniqueItems": True,
        },
        QuestionKind.YES_NO: {"type": "boolean"},
        QuestionKind.DATE: {"type": "string", "format": "date", "pattern": DATE_PATTERN},
    }
    return {
        **schemas[kind],
        "title": question["labels"]["en"],
        "x-labels": question["labels"],
        "x-kind": kind,
        "x-categories": question["categories"],
        **({"x-choices": question["choices"]} if question["choices"] else {}),
    }


def answers_json_schema(gathering: Gathering, questions: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the JSON schema of a registration's `answers` for a gathering's live questions."""
    everyone = [q["key"] for q in questions if q["required"] and not q["categories"]]
    offered = [c for c in GuestCategory if c.value in gathering.categories]
    per_category = {
        category.value: {
            "asked": [q["key"] for q in questions if asked_of(q, category)],
            "required": [q["key"] for q in questions if q["required"] and asked_of(q, category)],
        }
        for category in offered
    }
    return {
        "dialect": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Answers to the questions of {gathering.slug}",
        "type": "object",
        "properties": {q["key"]: property_schema(q) for q in questions},
        "required": everyone,
        "additionalProperties": False,
        "categories": per_category,
    }
