"""The form of one ceremony item: its values, what was typed, and the item it describes."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import request

from domain.ceremony import MAX_PEOPLE
from events_app.pages.console.planning_forms import lines, load_form, paragraphs
from events_app.schemas.ceremonies import CeremonyItemInSchema, ceremony_item_from

PERSON_FIELDS = ("name_en", "name_zh", "title", "organisation", "registration_id")
BLANK_PEOPLE_ROWS = 2


def item_values(item: dict[str, Any] | None) -> dict[str, Any]:
    """Return an item form's values (empty for a new item) with blank people rows."""
    item = item or {}
    people = [dict(p) for p in item.get("people", [])]
    return {
        "reference": item.get("reference", ""),
        "title_en": item.get("title_en", ""),
        "title_zh": item.get("title_zh", ""),
        "parties": "\n".join(item.get("parties", [])),
        "clauses": "\n\n".join(item.get("clauses", [])),
        "people": with_blank_rows(people),
    }


def with_blank_rows(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the people rows and a few blank ones to add more."""
    blank = {name: "" for name in PERSON_FIELDS}
    room = max(MAX_PEOPLE - len(people), 0)
    return people + [dict(blank) for _ in range(min(BLANK_PEOPLE_ROWS, room))]


def typed_item() -> dict[str, Any]:
    """Return what the organiser typed in an item form (to show it again)."""
    people = []
    for n in range(MAX_PEOPLE):
        row = {name: request.form.get(f"people-{n}-{name}", "").strip() for name in PERSON_FIELDS}
        if not any(f"people-{n}-{name}" in request.form for name in PERSON_FIELDS):
            break
        if any(row.values()):
            people.append(row)
    return {
        "reference": request.form.get("reference", ""),
        "title_en": request.form.get("title_en", ""),
        "title_zh": request.form.get("title_zh", ""),
        "parties": request.form.get("parties", ""),
        "clauses": request.form.get("clauses", ""),
        "people": people,
    }


def load_item(typed: dict[str, Any], zone: ZoneInfo) -> Any:
    """Return the ceremony item a form describes, or raise FormInvalid."""
    data = {
        "reference": typed["reference"],
        "title_en": typed["title_en"],
        "title_zh": typed["title_zh"],
        "parties": lines(typed["parties"]),
        "clauses": paragraphs(typed["clauses"]),
        "people": [
            {**person, "registration_id": person["registration_id"] or None}
            for person in typed["people"]
        ],
    }
    return ceremony_item_from(load_form(CeremonyItemInSchema(), data, zone))


def shown_again(typed: dict[str, Any]) -> dict[str, Any]:
    """Return typed item values with blank people rows to show the form again."""
    return {**typed, "people": with_blank_rows(list(typed["people"]))}
