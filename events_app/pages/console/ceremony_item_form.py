"""The form of one ceremony item: its values, what was typed, and the item it describes.

People (signatories or recipients), presenters and an award's issuing authorities are rows
of a table, named ``people-0-name_en``, ``presenters-0-title``, ``authorities-0-seal``...;
a row left empty is dropped (that is how a row is removed), and a few blank rows are
offered to add more.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import request

from domain.ceremony import MAX_AUTHORITIES, MAX_PEOPLE
from events_app.pages.console.planning_forms import lines, load_form, paragraphs
from events_app.schemas.ceremonies import CeremonyItemInSchema, ceremony_item_from

PERSON_FIELDS = ("name_en", "name_zh", "title", "organisation", "registration_id")
SIGNATORY_FIELDS = ("name_en", "name_zh", "title_en", "title_zh")
AUTHORITY_FIELDS = ("name_en", "name_zh", *(f"signatory_{name}" for name in SIGNATORY_FIELDS))
"""The text fields of an authority's row (its seal is a tick box)."""
GROUPS = {"people": MAX_PEOPLE, "presenters": MAX_PEOPLE, "authorities": MAX_AUTHORITIES}
BLANK_ROWS = {"people": 2, "presenters": 1, "authorities": 1}


def columns_of(group: str) -> tuple[str, ...]:
    """Return the text fields of a row of `group`."""
    return AUTHORITY_FIELDS if group == "authorities" else PERSON_FIELDS


def authority_row(authority: dict[str, Any]) -> dict[str, Any]:
    """Return a recorded authority as a row of the form (its signatory's fields flattened)."""
    signatory = authority.get("signatory") or {}
    row: dict[str, Any] = {
        "name_en": authority.get("name_en", ""),
        "name_zh": authority.get("name_zh", ""),
        "seal": bool(authority.get("seal")),
    }
    row.update({f"signatory_{name}": signatory.get(name, "") for name in SIGNATORY_FIELDS})
    return row


def item_values(item: dict[str, Any] | None) -> dict[str, Any]:
    """Return an item form's values (empty for a new item) with blank rows to add more."""
    item = item or {}
    return shown_again(
        {
            "reference": item.get("reference", ""),
            "title_en": item.get("title_en", ""),
            "title_zh": item.get("title_zh", ""),
            "parties": "\n".join(item.get("parties", [])),
            "clauses": "\n\n".join(item.get("clauses", [])),
            "people": [dict(p) for p in item.get("people", [])],
            "presenters": [dict(p) for p in item.get("presenters", [])],
            "authorities": [authority_row(a) for a in item.get("authorities", [])],
        }
    )


def with_blank_rows(rows: list[dict[str, Any]], group: str = "people") -> list[dict[str, Any]]:
    """Return the rows of `group` and a few blank ones to add more."""
    blank: dict[str, Any] = {name: "" for name in columns_of(group)}
    if group == "authorities":
        blank["seal"] = False
    room = max(GROUPS[group] - len(rows), 0)
    return rows + [dict(blank) for _ in range(min(BLANK_ROWS[group], room))]


def typed_rows(group: str) -> list[dict[str, Any]]:
    """Return the rows of `group` the organiser filled in (empty rows dropped)."""
    rows: list[dict[str, Any]] = []
    for n in range(GROUPS[group]):
        names = {name: f"{group}-{n}-{name}" for name in columns_of(group)}
        if not any(key in request.form for key in names.values()):
            break
        row: dict[str, Any] = {
            name: request.form.get(key, "").strip() for name, key in names.items()
        }
        if any(row.values()):
            if group == "authorities":
                row["seal"] = bool(request.form.get(f"{group}-{n}-seal"))
            rows.append(row)
    return rows


def typed_item() -> dict[str, Any]:
    """Return what the organiser typed in an item form (to show it again)."""
    typed: dict[str, Any] = {
        name: request.form.get(name, "")
        for name in ("reference", "title_en", "title_zh", "parties", "clauses")
    }
    typed.update({group: typed_rows(group) for group in GROUPS})
    return typed


def authority_data(row: dict[str, Any]) -> dict[str, Any]:
    """Return an authority row as the API describes an authority."""
    return {
        "name_en": row["name_en"],
        "name_zh": row["name_zh"],
        "signatory": {name: row[f"signatory_{name}"] for name in SIGNATORY_FIELDS},
        "seal": bool(row.get("seal")),
    }


def load_item(typed: dict[str, Any], zone: ZoneInfo) -> Any:
    """Return the ceremony item a form describes, or raise FormInvalid."""
    people = {
        group: [
            {**person, "registration_id": person["registration_id"] or None}
            for person in typed[group]
        ]
        for group in ("people", "presenters")
    }
    data = {
        "reference": typed["reference"],
        "title_en": typed["title_en"],
        "title_zh": typed["title_zh"],
        "parties": lines(typed["parties"]),
        "clauses": paragraphs(typed["clauses"]),
        **people,
        "authorities": [authority_data(row) for row in typed["authorities"]],
    }
    return ceremony_item_from(load_form(CeremonyItemInSchema(), data, zone))


def shown_again(typed: dict[str, Any]) -> dict[str, Any]:
    """Return typed item values with blank rows to show the form again."""
    return {**typed, **{group: with_blank_rows(list(typed[group]), group) for group in GROUPS}}
