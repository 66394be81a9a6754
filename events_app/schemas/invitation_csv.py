"""Reading invitees from CSV text: every row checked by the invitation schema, line by line.

Rows that fail the schema are refused with their line numbers (RowsRefused); the service
then checks the rest against the gathering, and one refused row writes nothing.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from marshmallow import ValidationError

from domain.common import N_
from events_app.schemas.invitations import InviteSchema
from events_app.services.invitations import Invitee
from events_app.services.planning import Row, RowProblem, RowsRefused

COLUMNS = (
    "full_name",
    "name_zh",
    "organisation",
    "title",
    "job_title",
    "email",
    "category",
    "language",
    "batch",
    "deadline",
    "companions",
    "reserve_companions",
)
REQUIRED = ("full_name", "email", "category")
RENAMED = {"title": "job_title", "companions": "companions_allowed"}
TRUE = {"yes", "y", "true", "1", "是"}
FALSE = {"no", "n", "false", "0", "", "否"}


def read_invitees(
    text: str, batch: str = "", deadline: datetime | None = None
) -> list[Row[Invitee]]:
    """Return the file's invitees by line number; raise RowsRefused naming every bad line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""), restkey="\0extra")
    try:
        header = [name.strip().lower() for name in reader.fieldnames or []]
        if not header:
            raise RowsRefused([RowProblem(1, None, "invalid_csv", N_("the file is empty"))])
        check_header(header)
        reader.fieldnames = header
        rows, problems = [], []
        for cells in reader:
            number = reader.line_num
            try:
                rows.append(Row(number, invitee_of(cells, batch, deadline)))
            except ValidationError as error:
                problems.extend(problems_of(number, error))
    except csv.Error as error:
        raise RowsRefused([RowProblem(0, None, "invalid_csv", str(error))]) from None
    if problems:
        raise RowsRefused(problems)
    if not rows:
        raise RowsRefused(
            [RowProblem(2, None, "invalid_csv", N_("the file has a header but no rows"))]
        )
    return rows


def check_header(header: list[str]) -> None:
    """Raise RowsRefused for unknown or missing columns."""
    problems = [
        RowProblem(1, name, "invalid_csv", N_("unknown column"))
        for name in header
        if name and name not in COLUMNS
    ]
    problems += [
        RowProblem(1, name, "invalid_csv", N_("missing column"))
        for name in REQUIRED
        if name not in header
    ]
    if problems:
        raise RowsRefused(problems)


def invitee_of(cells: dict[str, Any], batch: str, deadline: datetime | None) -> Invitee:
    """Return the invitee of one row; raise ValidationError naming the bad cells."""
    if cells.get("\0extra"):
        raise ValidationError({"row": [N_("more cells than columns")]})
    data: dict[str, Any] = {}
    for name, value in cells.items():
        value = (value or "").strip()
        if value or name in ("batch", "deadline"):
            data[RENAMED.get(name, name)] = value
    reserve = str(data.pop("reserve_companions", "")).lower()
    if reserve not in TRUE | FALSE:
        raise ValidationError({"reserve_companions": [N_("yes or no")]})
    data["companions_reserved"] = reserve in TRUE
    data["batch"] = data.get("batch") or batch
    if not data.get("deadline"):
        data.pop("deadline", None)
    loaded = InviteSchema().load(data)
    if loaded["deadline"] is None:
        loaded["deadline"] = deadline
    return Invitee(**loaded)


def problems_of(number: int, error: ValidationError) -> list[RowProblem]:
    """Return one problem per bad cell of a row."""
    messages = error.messages if isinstance(error.messages, dict) else {"row": error.messages}
    return [
        RowProblem(
            number, str(name), "invalid_value", str(said[0] if isinstance(said, list) else said)
        )
        for name, said in messages.items()
    ]
