"""The organiser's own registration questions of one gathering (its questionnaire).

Questions are added, changed, reordered and retired, never deleted: a retired question
keeps the answers guests gave to it (they stay in the history and the export). A change
may relabel a question or its choices and add choices, but never changes its kind nor
takes away a choice, so no stored answer stops meaning what it meant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.common import check_text, derived_id
from domain.errors import InvalidValue, NotFound
from domain.gathering_categories import GuestCategory

MAX_QUESTIONS = 50
MAX_CHOICES = 30
LANGUAGES = ("en", "zh_Hant_HK", "zh_Hans_CN")
"""The languages every question and choice is labelled in."""
KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class QuestionKind(StrEnum):
    """What sort of answer a question asks for."""

    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    ONE_CHOICE = "one_choice"
    SEVERAL_CHOICES = "several_choices"
    YES_NO = "yes_no"
    DATE = "date"


CHOICE_KINDS = frozenset({QuestionKind.ONE_CHOICE, QuestionKind.SEVERAL_CHOICES})


def check_key(key: str, name: str) -> str:
    """Return a key (lower-case letters, digits, _), or raise InvalidValue naming `name`."""
    if not KEY.match(key or ""):
        raise InvalidValue(
            "%(name)s must be lower-case letters, digits and _ (at most 40, a letter first)",
            field=name,
            name=name,
        )
    return key


def check_labels(labels: dict[str, str], name: str) -> dict[str, str]:
    """Return the three labels stripped, or raise InvalidValue naming the empty or long one."""
    return {
        language: check_text(str(labels.get(language) or ""), f"{name}.{language}")
        for language in LANGUAGES
    }


@dataclass(frozen=True)
class Question:
    """One question as an organiser writes it."""

    key: str
    kind: str
    labels: dict[str, str]
    required: bool = False
    choices: list[dict[str, Any]] = field(default_factory=list)
    """Each {key, labels}: for the choice kinds only."""
    categories: list[str] = field(default_factory=list)
    """The guest categories asked (none: every category)."""

    def checked(self) -> dict[str, Any]:
        """Return the question as plain data, or raise a domain error naming the field."""
        try:
            kind = QuestionKind(self.kind)
        except ValueError:
            raise InvalidValue("unknown kind %(kind)r", field="kind", kind=self.kind) from None
        return {
            "key": check_key(self.key, "key"),
            "kind": kind.value,
            "labels": check_labels(self.labels, "labels"),
            "required": bool(self.required),
            "choices": self._checked_choices(kind),
            "categories": self._checked_categories(),
            "retired": False,
        }

    def _checked_choices(self, kind: QuestionKind) -> list[dict[str, Any]]:
        if kind not in CHOICE_KINDS:
            if self.choices:
                raise InvalidValue("only choice questions have choices", field="choices")
            return []
        if not self.choices:
            raise InvalidValue("a choice question needs at least one choice", field="choices")
        if len(self.choices) > MAX_CHOICES:
            raise InvalidValue("at most %(limit)s choices", field="choices", limit=MAX_CHOICES)
        choices = [
            {
                "key": check_key(str(c.get("key") or ""), f"choices.{n}.key"),
                "labels": check_labels(c.get("labels") or {}, f"choices.{n}.labels"),
            }
            for n, c in enumerate(self.choices)
        ]
        keys = [c["key"] for c in choices]
        if len(set(keys)) != len(keys):
            raise InvalidValue("two choices have the same key", field="choices")
        return choices

    def _checked_categories(self) -> list[str]:
        names = {c.value for c in GuestCategory}
        for name in self.categories:
            if name not in names:
                raise InvalidValue(
                    "unknown category %(category)r", field="categories", category=name
                )
        return sorted(set(self.categories))


def asked_of(question: dict[str, Any], category: str) -> bool:
    """Tell whether a (live) question is asked of guests of `category`."""
    return not question["categories"] or category in question["categories"]


class Questionnaire(Aggregate):
    """The questions a gathering asks its guests when they register, in order."""

    @staticmethod
    def create_id(gathering_id: UUID) -> UUID:
        """Return the id of the questionnaire of the gathering `gathering_id`."""
        return derived_id("questionnaire", gathering_id.hex)

    @event("Opened")
    def __init__(self, gathering_id: UUID) -> None:
        self.gathering_id = gathering_id
        self.questions: dict[str, dict[str, Any]] = {}
        self.order: list[str] = []

    def question(self, key: str) -> dict[str, Any]:
        """Return one question (also a retired one), or raise NotFound."""
        try:
            return self.questions[key]
        except KeyError:
            raise NotFound("no question has the key %(key)s", field="key", key=key) from None

    def in_order(self, *, retired: bool = False) -> list[dict[str, Any]]:
        """Return the live questions in the order they are asked (then the retired, if asked)."""
        questions = [self.questions[key] for key in self.order]
        live = [q for q in questions if not q["retired"]]
        return [*live, *(q for q in questions if q["retired"])] if retired else live

    def asked(self, category: str) -> list[dict[str, Any]]:
        """Return the live questions asked of guests of `category`, in order."""
        return [q for q in self.in_order() if asked_of(q, category)]

    def add(self, question: Question, at: datetime, actor: str) -> None:
        """Add a question at the end."""
        data = question.checked()
        if data["key"] in self.questions:
            raise InvalidValue(
                "a question with the key %(key)s exists already (retired ones keep theirs)",
                field="key",
                key=data["key"],
            )
        if len(self.questions) >= MAX_QUESTIONS:
            raise InvalidValue("at most %(limit)s questions", field="key", limit=MAX_QUESTIONS)
        self._add(question=data, at=at, actor=actor)

    @event("QuestionAdded")
    def _add(self, question: dict[str, Any], at: datetime, actor: str) -> None:
        self.questions[question["key"]] = question
        self.order.append(question["key"])

    def change(self, question: Question, at: datetime, actor: str) -> bool:
        """Change a live question's labels, choices, categories or requiredness.

        Its kind stays, and every choice it had stays (relabelled at most), so the answers
        given so far keep their meaning. Return whether anything changed.
        """
        old = self.question(question.key)
        if old["retired"]:
            raise InvalidValue("a retired question cannot be changed", field="key")
        data = question.checked()
        if data["kind"] != old["kind"]:
            raise InvalidValue(
                "the kind of a question cannot change: retire it and add a new one",
                field="kind",
            )
        kept = {c["key"] for c in data["choices"]}
        for choice in old["choices"]:
            if choice["key"] not in kept:
                raise InvalidValue(
                    "the choice %(choice)s has answers to keep: it cannot be taken away",
                    field="choices",
                    choice=choice["key"],
                )
        if data == old:
            return False
        self._change(question=data, at=at, actor=actor)
        return True

    @event("QuestionChanged")
    def _change(self, question: dict[str, Any], at: datetime, actor: str) -> None:
        self.questions[question["key"]] = question

    def reorder(self, keys: list[str], at: datetime, actor: str) -> None:
        """Put the live questions in the order of `keys` (retired ones go last)."""
        live = [q["key"] for q in self.in_order()]
        if sorted(keys) != sorted(live):
            raise InvalidValue("name every live question once to reorder them", field="keys")
        if keys != live:
            retired = [key for key in self.order if self.questions[key]["retired"]]
            self._reorder(order=[*keys, *retired], at=at, actor=actor)

    @event("QuestionsReordered")
    def _reorder(self, order: list[str], at: datetime, actor: str) -> None:
        self.order = list(order)

    def retire(self, key: str, at: datetime, actor: str) -> None:
        """Stop asking a question; the answers given to it are kept."""
        if self.question(key)["retired"]:
            raise InvalidValue("this question is retired already", field="key")
        self._retire(key=key, at=at, actor=actor)

    @event("QuestionRetired")
    def _retire(self, key: str, at: datetime, actor: str) -> None:
        self.questions[key] = {**self.questions[key], "retired": True}
