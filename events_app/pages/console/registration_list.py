"""The registrations list's search: the filters asked for, and the page of results they find.

A filter the gathering does not know, or a search text too long, is dropped or cut with a
message, never refused; a page past the last one shows the last one.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import Any

from flask import flash
from flask_babel import gettext
from werkzeug.datastructures import MultiDict

from domain.gathering import Gathering
from domain.questionnaire import QuestionKind
from events_app.context import services
from events_app.pages.console.words import STATE_NAMES
from events_app.presenters.questionnaire import label

PAGE_SIZE = 25
MAX_SEARCH = 200
STATE_LABELS = STATE_NAMES
"""The states a list can be filtered by, with their names (console messages)."""


@dataclass(frozen=True)
class Filters:
    """What the list is searched for: a text, a state and a category (each may be empty)."""

    text: str
    state: str
    category: str
    answer: str = ""
    """An answer to one of the gathering's own questions, as key=value."""

    def asked(self) -> dict[str, str]:
        """Return the filters that were set, by their query parameter."""
        asked = (
            ("q", self.text),
            ("state", self.state),
            ("category", self.category),
            ("answer", self.answer),
        )
        return {key: value for key, value in asked if value}

    def answer_pair(self) -> tuple[str, str] | None:
        """Return the answer filter as (question key, value), or None."""
        key, _, value = self.answer.partition("=")
        return (key, value) if self.answer else None


@dataclass(frozen=True)
class Found:
    """One page of the registrations the filters find."""

    rows: list[Any]
    total: int
    page: int
    pages: int


def filters_from(args: MultiDict[str, str], gathering: Gathering) -> Filters:
    """Return the filters of the query, flashing what was cut or ignored."""
    text = args.get("q", "").strip()
    if len(text) > MAX_SEARCH:
        flash(
            gettext("The search text was cut to %(count)s characters.", count=MAX_SEARCH),
            "error",
        )
        text = text[:MAX_SEARCH]
    state = args.get("state", "").strip()
    if state and state not in STATE_LABELS:
        flash(gettext("Unknown state “%(state)s” ignored.", state=state[:40]), "error")
        state = ""
    category = args.get("category", "").strip()
    if category and category not in gathering.categories:
        flash(gettext("Unknown category “%(category)s” ignored.", category=category[:40]), "error")
        category = ""
    answer = args.get("answer", "").strip()[:240]
    keys = {
        q["key"]
        for q in services().box_office.questionnaire_of(gathering.id).in_order(retired=True)
    }
    if answer and (answer.partition("=")[0] not in keys or not answer.partition("=")[2]):
        flash(gettext("Unknown answer “%(answer)s” ignored.", answer=answer[:40]), "error")
        answer = ""
    return Filters(text, state, category, answer)


def answer_options(questions: list[dict[str, Any]], language: str) -> list[tuple[str, str]]:
    """Return the answers the list can be filtered by: (key=value, "question: answer")."""
    options = []
    for q in questions:
        title = label(q["labels"], language)
        if q["kind"] == QuestionKind.YES_NO:
            said = [("yes", gettext("Yes")), ("no", gettext("No"))]
        else:
            said = [(c["key"], label(c["labels"], language)) for c in q["choices"]]
        options.extend((f"{q['key']}={value}", f"{title}: {text}") for value, text in said)
    return options


def page_number(raw: str) -> int:
    """Return the page asked for, 1 when the value is not a positive whole number."""
    return (
        int(raw)
        if raw.isascii() and raw.isdigit() and len(raw) <= 7 and 0 < int(raw) < 1_000_000
        else 1
    )


def search(gathering: Gathering, filters: Filters, page: int) -> Found:
    """Return the page of registrations the filters find (the last page, if `page` is past it)."""
    view = services().guest_list
    gathering_id = str(gathering.id)

    def fetch(number: int) -> Any:
        return view.search(
            gathering_id,
            states=[filters.state] if filters.state else [],
            categories=[filters.category] if filters.category else [],
            text=filters.text,
            answer=filters.answer_pair(),
            limit=PAGE_SIZE,
            offset=(number - 1) * PAGE_SIZE,
        )

    result = fetch(page)
    pages = max(1, ceil(result.total / PAGE_SIZE))
    if page > pages:
        page = pages
        result = fetch(page)
    return Found(rows=result.rows, total=result.total, page=page, pages=pages)
