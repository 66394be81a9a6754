"""The read model's share of corrections: a corrected or reinstated registration's row.

A guest already let in who changes category, or who is reinstated, moves in the arrival
totals too (see `projections_arrivals`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from domain.registration import Registration
from events_app.read_models.arrivals import _changing
from events_app.read_models.printable import unprintable_details
from events_app.read_models.search import SEARCHED, search_text
from events_app.store.sql import Transaction

COLUMNS = (
    "full_name",
    "name_zh",
    "organisation",
    "job_title",
    "email",
    "phone",
    "category",
    "dietary",
    "accessibility",
)


def _corrected(tx: Transaction, event: Any, seq: int) -> None:
    rid = str(event.originator_id)
    changed = {k: after for k, (_before, after) in event.changes.items() if k in COLUMNS}
    if changed:
        sets = ", ".join(f"{column} = ?" for column in changed)
        tx.execute(
            f"UPDATE rm_registrations SET {sets}, updated_at = ? WHERE id = ?",
            (*changed.values(), event.at.isoformat(), rid),
        )
    row = tx.execute(
        f"SELECT {', '.join(SEARCHED)} FROM rm_registrations WHERE id = ?",
        (rid,),
    ).one()
    if row is not None:
        text = search_text(row)
        unprintable = unprintable_details(dict(zip(SEARCHED, row, strict=True)))
        tx.execute(
            "UPDATE rm_registrations SET search_text = ?, unprintable = ? WHERE id = ?",
            (text, unprintable, rid),
        )
    if "category" in changed:  # a guest already let in now counts in their new category
        with _changing(tx, rid):
            tx.execute(
                "UPDATE rm_arrivals SET category = ? WHERE registration_id = ?",
                (changed["category"], rid),
            )


def _reinstated(tx: Transaction, event: Any, seq: int) -> None:
    rid = str(event.originator_id)
    with _changing(tx, rid):
        tx.execute(
            "UPDATE rm_arrivals SET counted = ? WHERE registration_id = ?",
            (int(event.state == "confirmed"), rid),
        )
    tx.execute(
        "UPDATE rm_registrations SET state = ?, updated_at = ?, waitlist_seq = ? WHERE id = ?",
        (
            event.state,
            event.at.isoformat(),
            seq if event.state == "waitlisted" else None,
            rid,
        ),
    )


CORRECTION_HANDLERS: dict[type, Callable[[Transaction, Any, int], None]] = {
    Registration.Corrected: _corrected,  # type: ignore[attr-defined]
    Registration.Reinstated: _reinstated,  # type: ignore[attr-defined]
}
