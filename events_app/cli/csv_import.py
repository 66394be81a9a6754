"""Importing booth slots and exhibiting firms from CSV files, all rows or none.

Every row is checked first, by the API's schemas and then by the domain (a dry run on
the exhibition); a file with any refused row writes nothing, and every problem is
reported with its line number. Files are UTF-8, with or without a byte-order mark.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask_babel import gettext
from marshmallow import Schema, ValidationError

from domain.exhibition import BoothSlot, FirmProfile
from events_app.schemas.exhibition import FirmInSchema, SlotInSchema, SlotRefSchema
from events_app.services.planning import FirmRow, Planning, Row, RowProblem, RowsRefused

T = TypeVar("T")

SLOT_COLUMNS = ("code", "zone", "floor", "sector", "size")
FIRM_COLUMNS = (
    "name_en",
    "name_zh",
    "sector",
    "description",
    "contact_name",
    "contact_email",
    "contact_phone",
    "staff_quota",
    "slot",
    "confirmed",
)
EXTRA = "\0extra"
TRUE = {"yes", "y", "true", "1", "是"}
FALSE = {"no", "n", "false", "0", "", "否"}

SLOT_COLUMNS_HELP = (
    "\b\nColumns (first line; UTF-8, with or without BOM; order free):\n"
    "  code    required, e.g. A01 (letters, digits, '-'; at most 12)\n"
    "  sector  required: life-health, ai-data, advanced-manufacturing or an added one\n"
    "          (written as words joined by '-'; 'AI Data' is read as ai-data)\n"
    "  zone    optional, e.g. Block B exhibition hall (at most 60)\n"
    "  floor   optional, e.g. G/F (at most 20)\n"
    "  size    optional, e.g. 3 x 3 m (at most 20)\n"
    "A code already defined is changed. Any refused row: nothing is written."
)
FIRM_COLUMNS_HELP = (
    "\b\nColumns (first line; UTF-8, with or without BOM; order free):\n"
    "  name_en, name_zh  at least one of them (at most 200 / 100)\n"
    "  sector            required, as for import-slots\n"
    "  description       optional (at most 1000)\n"
    "  contact_name, contact_email, contact_phone  optional\n"
    "  staff_quota       optional, 0-50 exhibitor-staff badges (default 3)\n"
    "  slot              optional: the booth to allocate, e.g. B07 (must be free)\n"
    "  confirmed         optional yes/no: the firm has accepted its slot\n"
    "Any refused row: nothing is written."
)


class ImportRefused(Exception):
    """The file, or some of its rows, were refused: nothing was written."""

    def __init__(self, path: str, problems: list[RowProblem]) -> None:
        super().__init__(
            gettext("%(count)s problem(s) in %(path)s", count=len(problems), path=path)
        )
        self.path = path
        self.problems = sorted(problems, key=lambda p: p.number)


@dataclass(frozen=True)
class Record:
    """One data row of the file: its line number and its cells by column."""

    number: int
    cells: dict[str, str]


def read_records(path: str, columns: tuple[str, ...], required: tuple[str, ...]) -> list[Record]:
    """Return the file's rows by column name, or raise ImportRefused for a bad file or header."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as file:
            reader = csv.DictReader(file, restkey=EXTRA)
            if not reader.fieldnames:
                raise ImportRefused(path, [problem(1, None, gettext("the file is empty"))])
            reader.fieldnames = [name.strip().lower() for name in reader.fieldnames]
            check_header(path, reader.fieldnames, columns, required)
            records = []
            for cells in reader:
                records.append(Record(reader.line_num, cells))  # type: ignore[arg-type]
    except UnicodeDecodeError as error:
        raise ImportRefused(
            path,
            [
                problem(
                    0, None, gettext("the file is not UTF-8 text (%(reason)s)", reason=error.reason)
                )
            ],
        ) from None
    except csv.Error as error:
        raise ImportRefused(
            path, [problem(0, None, gettext("not a CSV file: %(error)s", error=error))]
        ) from None
    if not records:
        raise ImportRefused(path, [problem(2, None, gettext("the file has a header but no rows"))])
    return records


def check_header(
    path: str, header: list[str], columns: tuple[str, ...], required: tuple[str, ...]
) -> None:
    """Raise ImportRefused for unknown, repeated or missing columns."""
    problems = [
        problem(1, name, gettext("unknown column %(name)r", name=name))
        for name in header
        if name and (name not in columns)
    ]
    problems += [
        problem(1, name, gettext("column %(name)r appears twice", name=name))
        for name in sorted({n for n in header if header.count(n) > 1})
    ]
    problems += [
        problem(1, name, gettext("column %(name)r is missing", name=name))
        for name in required
        if name not in header
    ]
    if problems:
        raise ImportRefused(path, problems)


def problem(number: int, field: str | None, message: str) -> RowProblem:
    """Return a problem found while reading the file."""
    return RowProblem(number, field, "validation_failed", message)


def cells_of(record: Record, columns: tuple[str, ...], out: list[RowProblem]) -> dict[str, str]:
    """Return the record's cells, trimmed ('' for a missing one); note cells beyond the header."""
    if any(str(cell).strip() for cell in record.cells.get(EXTRA) or []):  # type: ignore[union-attr]
        out.append(problem(record.number, None, gettext("the line has more cells than the header")))
    return {name: (record.cells.get(name) or "").strip() for name in columns}


def sector_name(text: str) -> str:
    """Return a sector as written in a file in its canonical form (AI Data -> ai-data)."""
    return "-".join(text.lower().replace("_", " ").split())


def loaded(
    schema: Schema,
    data: dict[str, Any],
    number: int,
    out: list[RowProblem],
    column: dict[str, str] | None = None,
) -> Any:
    """Return `data` loaded by `schema`, or None after noting each field's first problem.

    `column` names the file's column of a schema field where the two differ.
    """
    try:
        return schema.load(data)
    except ValidationError as error:
        for field, messages in dict(error.messages).items():  # type: ignore[arg-type]
            name = (column or {}).get(str(field), str(field))
            first = messages[0] if isinstance(messages, list) else str(messages)
            out.append(problem(number, name, first))
        return None


def run_import(
    path: str,
    rows: list[Row[T]],
    problems: list[RowProblem],
    write: Callable[[list[Row[T]], bool], Any],
    *,
    dry_run: bool,
) -> int:
    """Check the rows with the domain (writing only when every row is good); return their count."""
    try:
        write(rows, dry_run or bool(problems))
    except RowsRefused as refused:
        problems = problems + refused.problems
    if problems:
        raise ImportRefused(path, problems)
    return len(rows)


def import_slots(
    planning: Planning,
    slug: str,
    path: str,
    actor: str,
    *,
    add_sectors: bool = False,
    dry_run: bool = False,
) -> int:
    """Define the booth slots of a CSV file; return how many (ImportRefused: none written)."""
    records = read_records(path, SLOT_COLUMNS, ("code", "sector"))
    problems: list[RowProblem] = []
    rows: list[Row[BoothSlot]] = []
    first_line: dict[str, int] = {}
    for record in records:
        before = len(problems)
        cells = cells_of(record, SLOT_COLUMNS, problems)
        code = cells.pop("code")
        cells["sector"] = sector_name(cells["sector"])
        loaded(SlotRefSchema(), {"slot": code}, record.number, problems, {"slot": "code"})
        fields = loaded(SlotInSchema(), cells, record.number, problems)
        if len(problems) > before:
            continue
        key = code.upper()
        if key in first_line:
            problems.append(
                problem(
                    record.number,
                    "code",
                    gettext(
                        "booth %(code)s is on line %(line)s too", code=key, line=first_line[key]
                    ),
                )
            )
            continue
        first_line[key] = record.number
        rows.append(Row(record.number, BoothSlot(code=code, **fields)))
    return run_import(
        path,
        rows,
        problems,
        lambda good, check_only: planning.import_slots(
            slug, good, actor, add_sectors=add_sectors, dry_run=check_only
        ),
        dry_run=dry_run,
    )


def import_firms(
    planning: Planning, slug: str, path: str, actor: str, *, dry_run: bool = False
) -> int:
    """Take in the firms of a CSV file; return how many (ImportRefused: none written)."""
    records = read_records(path, FIRM_COLUMNS, ("sector",))
    problems: list[RowProblem] = []
    rows: list[Row[FirmRow]] = []
    for record in records:
        before = len(problems)
        cells = cells_of(record, FIRM_COLUMNS, problems)
        slot, confirmed = cells.pop("slot"), cells.pop("confirmed").lower()
        cells["sector"] = sector_name(cells["sector"])
        if not cells["staff_quota"]:
            del cells["staff_quota"]
        fields = loaded(FirmInSchema(), cells, record.number, problems)
        if slot:
            loaded(SlotRefSchema(), {"slot": slot}, record.number, problems)
        if confirmed not in TRUE | FALSE:
            problems.append(problem(record.number, "confirmed", gettext("write yes or no")))
        elif confirmed in TRUE and not slot:
            problems.append(
                problem(
                    record.number, "confirmed", gettext("a firm confirms a slot; name the slot")
                )
            )
        if len(problems) > before:
            continue
        firm = FirmRow(FirmProfile(**fields), slot=slot, confirmed=confirmed in TRUE)
        rows.append(Row(record.number, firm))
    return run_import(
        path,
        rows,
        problems,
        lambda good, check_only: planning.import_firms(slug, good, actor, dry_run=check_only),
        dry_run=dry_run,
    )
