"""The door list: what a door device holds to judge its gathering's badges offline.

One row per registration: its badge serial, state, category, names, and the checkpoints
the guest is inside (with each first entry), never an e-mail, phone, dietary or
accessibility note. `seq` is the position of the last event that changed the row, so a
device asks only for the rows changed since the version it holds (see DoorListView).
An erased guest's row keeps no name or presence and is marked `erased`: a device that
holds the guest is told to forget them on its next sync, and no list holds them again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from domain.personal import erased_value
from domain.registration import Registration
from events_app.read_models.checkin import ScanFacts
from events_app.store.sql import Transaction

DOOR_LIST_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS rm_door_list (
        registration_id TEXT PRIMARY KEY, gathering_id TEXT NOT NULL,
        serial INTEGER NOT NULL, state TEXT NOT NULL, category TEXT NOT NULL,
        full_name TEXT NOT NULL, name_zh TEXT NOT NULL, presence TEXT NOT NULL,
        seq BIGINT NOT NULL, erased INTEGER NOT NULL)""",
    """CREATE INDEX IF NOT EXISTS rm_door_list_by_gathering
        ON rm_door_list (gathering_id, seq)""",
)
DOOR_LIST_TABLES = ("rm_door_list",)
NO_PRESENCE = json.dumps({"inside": [], "first": {}})
"""A guest before their first entry anywhere."""
NAMED = {"full_name", "name_zh", "category"}
"""The corrected fields the door list shows."""


def _submitted(tx: Transaction, event: Any, seq: int) -> None:
    details = event.details
    tx.execute(
        "INSERT INTO rm_door_list (registration_id, gathering_id, serial, state, category, "
        "full_name, name_zh, presence, seq, erased) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, 0)",
        (
            str(event.originator_id),
            str(event.gathering_id),
            event.state,
            event.category,
            details["full_name"],
            details.get("name_zh", ""),
            NO_PRESENCE,
            seq,
        ),
    )


def _now(state: str) -> Callable[[Transaction, Any, int], None]:
    def handle(tx: Transaction, event: Any, seq: int) -> None:
        tx.execute(
            "UPDATE rm_door_list SET state = ?, seq = ? WHERE registration_id = ?",
            (state, seq, str(event.originator_id)),
        )

    return handle


def _reinstated(tx: Transaction, event: Any, seq: int) -> None:
    _now(event.state)(tx, event, seq)


def _reissued(tx: Transaction, event: Any, seq: int) -> None:
    tx.execute(
        "UPDATE rm_door_list SET serial = ?, seq = ? WHERE registration_id = ?",
        (int(event.serial), seq, str(event.originator_id)),
    )


def _corrected(tx: Transaction, event: Any, seq: int) -> None:
    shown = {name: after for name, (_before, after) in event.changes.items() if name in NAMED}
    if not shown:
        return
    names = sorted(shown)
    tx.execute(
        f"UPDATE rm_door_list SET {', '.join(f'{n} = ?' for n in names)}, seq = ? "
        "WHERE registration_id = ?",
        (*(shown[n] for n in names), seq, str(event.originator_id)),
    )


def _erased(tx: Transaction, event: Any, seq: int) -> None:
    """Keep of an erased guest's row only that devices must forget it."""
    tx.execute(
        "UPDATE rm_door_list SET full_name = ?, name_zh = ?, presence = ?, erased = 1, seq = ? "
        "WHERE registration_id = ?",
        (
            erased_value("full_name"),
            erased_value("name_zh"),
            NO_PRESENCE,
            seq,
            str(event.originator_id),
        ),
    )


def door_presence(tx: Transaction, run: list[tuple[ScanFacts, int]]) -> None:
    """Move the guests of a run of scans in and out of checkpoints (entries and exits only)."""
    passed = [(s, seq) for s, seq in run if s.status == "ok" and s.registration_id]
    if not passed:
        return
    ids = sorted({s.registration_id for s, _ in passed if s.registration_id})
    presence: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = tx.execute(
            "SELECT registration_id, presence FROM rm_door_list "
            f"WHERE registration_id IN ({', '.join('?' * len(chunk))})",
            chunk,
        ).all()
        presence.update({str(rid): json.loads(value) for rid, value in rows})
    changed: dict[str, int] = {}
    for scan, seq in passed:
        held = presence.get(str(scan.registration_id))
        if held is None:
            continue
        _move(held, scan)
        changed[str(scan.registration_id)] = seq
    tx.execute_many(
        "UPDATE rm_door_list SET presence = ?, seq = ? WHERE registration_id = ?",
        [(json.dumps(presence[rid]), seq, rid) for rid, seq in sorted(changed.items())],
    )


def _move(held: dict[str, Any], scan: ScanFacts) -> None:
    inside = set(held["inside"])
    if scan.direction == "out":
        inside.discard(scan.checkpoint)
    else:
        inside.add(scan.checkpoint)
        held["first"].setdefault(scan.checkpoint, scan.scanned_at)
    held["inside"] = sorted(inside)


DOOR_LIST_HANDLERS: dict[type, Callable[[Transaction, Any, int], None]] = {
    Registration.Submitted: _submitted,
    Registration.Approved: _now("confirmed"),  # type: ignore[attr-defined]
    Registration.Promoted: _now("confirmed"),  # type: ignore[attr-defined]
    Registration.Waitlisted: _now("waitlisted"),  # type: ignore[attr-defined]
    Registration.Rejected: _now("rejected"),  # type: ignore[attr-defined]
    Registration.Cancelled: _now("cancelled"),  # type: ignore[attr-defined]
    Registration.Reinstated: _reinstated,  # type: ignore[attr-defined]
    Registration.BadgeReissued: _reissued,  # type: ignore[attr-defined]
    Registration.Corrected: _corrected,  # type: ignore[attr-defined]
    Registration.PersonalDataErased: _erased,  # type: ignore[attr-defined]
}
