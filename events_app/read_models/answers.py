"""The read model's share of answers to a gathering's own questions: one row per value.

A text, a date or one choice is one row; several choices are a row each; yes/no is
`yes` or `no`. The guest list filters on them (question = answer) and the export reads them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from domain.registration import Registration
from events_app.store.sql import Transaction

ANSWER_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS rm_answers (
        registration_id TEXT NOT NULL, gathering_id TEXT NOT NULL,
        question_key TEXT NOT NULL, position INTEGER NOT NULL, value TEXT NOT NULL,
        PRIMARY KEY (registration_id, question_key, position))""",
    # Not on `value`: a long text (2,000 characters) is too long for a PostgreSQL index.
    """CREATE INDEX IF NOT EXISTS rm_answers_by_question
        ON rm_answers (gathering_id, question_key)""",
)
ANSWER_TABLES = ("rm_answers",)


def answer_values(value: Any) -> list[str]:
    """Return the rows' values of one answer."""
    if isinstance(value, bool):
        return ["yes" if value else "no"]
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def _write(tx: Transaction, registration_id: str, gathering_id: str, answers: Any) -> None:
    tx.execute("DELETE FROM rm_answers WHERE registration_id = ?", (registration_id,))
    for key, value in sorted((answers or {}).items()):
        for position, text in enumerate(answer_values(value)):
            tx.execute(
                "INSERT INTO rm_answers (registration_id, gathering_id, question_key, "
                "position, value) VALUES (?, ?, ?, ?, ?)",
                (registration_id, gathering_id, key, position, text),
            )


def _submitted(tx: Transaction, event: Any, seq: int) -> None:
    answers = getattr(event, "answers", None)  # events stored before questions have none
    if answers:
        _write(tx, str(event.originator_id), str(event.gathering_id), answers)


def _changed(tx: Transaction, event: Any, seq: int) -> None:
    rid = str(event.originator_id)
    row = tx.execute("SELECT gathering_id FROM rm_registrations WHERE id = ?", (rid,)).one()
    if row is not None:
        _write(tx, rid, str(row[0]), event.answers)
        tx.execute(
            "UPDATE rm_registrations SET updated_at = ? WHERE id = ?", (event.at.isoformat(), rid)
        )


def _erased(tx: Transaction, event: Any, seq: int) -> None:
    tx.execute("DELETE FROM rm_answers WHERE registration_id = ?", (str(event.originator_id),))


def answers_of(tx: Transaction, gathering_id: str) -> dict[str, dict[str, list[str]]]:
    """Return every answer of a gathering's registrations: {registration: {key: values}}."""
    rows = tx.execute(
        "SELECT registration_id, question_key, value FROM rm_answers WHERE gathering_id = ? "
        "ORDER BY registration_id, question_key, position",
        (gathering_id,),
    ).all()
    out: dict[str, dict[str, list[str]]] = {}
    for registration_id, key, value in rows:
        out.setdefault(str(registration_id), {}).setdefault(str(key), []).append(str(value))
    return out


ANSWER_HANDLERS: dict[type, Callable[[Transaction, Any, int], None]] = {
    Registration.Submitted: _submitted,
    Registration.AnswersChanged: _changed,  # type: ignore[attr-defined]
    Registration.PersonalDataErased: _erased,  # type: ignore[attr-defined]
}
