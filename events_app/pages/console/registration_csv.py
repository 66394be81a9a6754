"""CSV files of a gathering: the guest list and every recorded scan.

Files are UTF-8 with a byte-order mark, so spreadsheet programs show Chinese, quoted by
the csv module, and every text cell that a spreadsheet would take for a formula (it
starts with = + - @, a tab or a carriage return) gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import Any
from uuid import UUID

from domain.gathering import Gathering
from events_app.context import Services
from events_app.pages.door_labels import SCAN_STATUSES
from events_app.presenters.questionnaire import choice_label

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

GUEST_COLUMNS = (
    "registration_id",
    "full_name",
    "name_zh",
    "organisation",
    "job_title",
    "email",
    "phone",
    "category",
    "state",
    "waitlist_position",
    "capacity_overridden",
    "firm",
    "dietary",
    "accessibility",
    "submitted_at",
    "updated_at",
)
CHECK_IN_COLUMNS = (
    "scanned_at",
    "received_at",
    "full_name",
    "name_zh",
    "organisation",
    "category",
    "checkpoint",
    "direction",
    "status",
    "status_text",
    "reason",
    "device",
    "manual",
    "offline",
    "registration_id",
    "scan_id",
)


ANSWER_COLUMN = "answer:%s"
"""The column of one of the gathering's own questions (retired ones too), by its key."""


def guest_list_columns(questions: list[dict[str, Any]]) -> list[str]:
    """Return the guest list's columns: the fixed ones, then one per question, in order."""
    return [*GUEST_COLUMNS, *(ANSWER_COLUMN % q["key"] for q in questions)]


def answer_cells(questions: list[dict[str, Any]], given: dict[str, list[str]]) -> dict[str, str]:
    """Return one guest's answers as cells: choices by their English labels, yes or no."""
    cells = {}
    for q in questions:
        values = given.get(q["key"], [])
        if q["kind"] in ("one_choice", "several_choices"):
            values = [choice_label(q, value, "en") for value in values]
        cells[ANSWER_COLUMN % q["key"]] = "; ".join(values)
    return cells


def safe_cell(value: Any) -> str:
    """Return a cell's text, defused if a spreadsheet would run it as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_bytes(columns: Iterable[str], rows: Iterable[dict[str, Any]]) -> bytes:
    """Return a whole CSV file (header, then rows) as UTF-8 with a byte-order mark."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    names = list(columns)
    writer.writerow(names)
    for row in rows:
        writer.writerow([safe_cell(row.get(name)) for name in names])
    return buffer.getvalue().encode("utf-8")


def spreadsheet_time(value: str | datetime | None, zone: tzinfo) -> str:
    """Return a stored time as 'YYYY-MM-DD HH:MM:SS' in `zone` (blank when none)."""
    if not value:
        return ""
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


def guest_list_rows(
    services: Services,
    gathering: Gathering,
    zone: tzinfo,
    *,
    states: list[str],
    categories: list[str],
) -> list[dict[str, Any]]:
    """Return the gathering's registrations (filtered) as rows of the guest-list CSV."""
    result = services.guest_list.search(
        str(gathering.id), states=states, categories=categories, limit=10_000_000
    )
    guest_list = services.box_office.guest_list(gathering.id)
    exhibition = services.box_office.exhibition_of(gathering.id)
    questions = services.box_office.questionnaire_of(gathering.id).in_order(retired=True)
    answers = services.guest_list.answers(str(gathering.id)) if questions else {}
    rows = []
    for row in result.rows:
        registration_id = UUID(row.id)
        firm_name = ""
        if exhibition is not None and row.category == "exhibitor":
            firm_id = exhibition.firm_of_staff(registration_id)
            if firm_id is not None:
                firm = exhibition.firm(firm_id)
                firm_name = " ".join(n for n in (firm["name_en"], firm["name_zh"]) if n)
        rows.append(
            {
                "registration_id": row.id,
                "full_name": row.full_name,
                "name_zh": row.name_zh,
                "organisation": row.organisation,
                "job_title": row.job_title,
                "email": row.email,
                "phone": row.phone,
                "category": row.category,
                "state": row.state,
                "waitlist_position": guest_list.waitlist_position(registration_id) or "",
                "capacity_overridden": row.capacity_overridden,
                "firm": firm_name,
                "dietary": row.dietary,
                "accessibility": row.accessibility,
                "submitted_at": spreadsheet_time(row.submitted_at, zone),
                "updated_at": spreadsheet_time(row.updated_at, zone),
                **answer_cells(questions, answers.get(row.id, {})),
            }
        )
    return rows


def check_in_rows(services: Services, gathering: Gathering, zone: tzinfo) -> list[dict[str, Any]]:
    """Return every recorded scan of the gathering, oldest first, as rows of the check-ins CSV."""
    rows = []
    for scan in services.exports.scans(str(gathering.id)):
        status_text = SCAN_STATUSES.get(scan.status)
        rows.append(
            {
                "scanned_at": spreadsheet_time(scan.scanned_at, zone),
                "received_at": spreadsheet_time(scan.received_at, zone),
                "full_name": scan.full_name,
                "name_zh": scan.name_zh,
                "organisation": scan.organisation,
                "category": scan.category,
                "checkpoint": scan.checkpoint,
                "direction": scan.direction,
                "status": scan.status,
                "status_text": status_text.title_en if status_text else scan.status,
                "reason": scan.reason,
                "device": scan.device,
                "manual": scan.manual,
                "offline": scan.offline,
                "registration_id": scan.registration_id,
                "scan_id": scan.scan_id,
            }
        )
    return rows
