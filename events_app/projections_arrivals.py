"""How accepted entries, exits and registration changes are projected into arrival figures.

Three tables, kept in step within each projected event:

- `rm_presence`: one row per guest and checkpoint they were let in at: when first (the
  earliest `scanned_at`, so an offline scan uploaded late counts from the moment it was
  made), whether inside now, how often they came and went;
- `rm_arrivals`: one row per guest let in anywhere: category, first entry at any
  checkpoint, and whether they count (only while their registration is confirmed);
- `rm_arrival_counts`: running totals per gathering by category, checkpoint and 5-minute
  slot, so the live figures are read in a few rows, whatever the number of guests.

Only scans answered `ok` change them, exactly as they change the guest's `Attendance`: a
repeated scan or a re-entry is never a second arrival, an exit only changes who is inside.
A change to one guest first takes the guest's share out of the totals, then puts the new
share back, so a cancellation after check-in, or an earlier offline entry moving the guest
to another slot, cannot leave the totals wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from events_app.sql import Transaction

SLOT_SECONDS = 300
"""Arrivals are counted per 5 minutes; every real UTC offset is a whole number of slots."""

ARRIVAL_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS rm_presence (
        registration_id TEXT NOT NULL, checkpoint TEXT NOT NULL, gathering_id TEXT NOT NULL,
        first_entry_epoch BIGINT NOT NULL, inside INTEGER NOT NULL, entries INTEGER NOT NULL,
        exits INTEGER NOT NULL, PRIMARY KEY (registration_id, checkpoint))""",
    """CREATE TABLE IF NOT EXISTS rm_arrivals (
        registration_id TEXT PRIMARY KEY, gathering_id TEXT NOT NULL, category TEXT NOT NULL,
        counted INTEGER NOT NULL, first_entry_epoch BIGINT NOT NULL)""",
    """CREATE INDEX IF NOT EXISTS rm_arrivals_by_gathering
        ON rm_arrivals (gathering_id, counted, first_entry_epoch)""",
    """CREATE TABLE IF NOT EXISTS rm_arrival_counts (
        gathering_id TEXT NOT NULL, dimension TEXT NOT NULL, key TEXT NOT NULL,
        arrived BIGINT NOT NULL, inside BIGINT NOT NULL,
        PRIMARY KEY (gathering_id, dimension, key))""",
)
ARRIVAL_TABLES = ("rm_presence", "rm_arrivals", "rm_arrival_counts")

Share = dict[tuple[str, str], tuple[int, int]]
"""What one guest adds to the totals: (dimension, key) -> (arrived, inside)."""


def epoch_seconds(at: datetime) -> int:
    """Return an aware time as whole seconds since 1970-01-01 UTC (comparable across offsets)."""
    return int(at.timestamp() // 1)


def _share(tx: Transaction, registration_id: str) -> tuple[str, Share]:
    """Return the guest's gathering and what they add to its totals now."""
    arrival = tx.execute(
        "SELECT gathering_id, category, counted, first_entry_epoch FROM rm_arrivals "
        "WHERE registration_id = ?",
        (registration_id,),
    ).one()
    if arrival is None or not arrival[2]:
        return (arrival[0] if arrival else ""), {}
    gathering_id, category, _, first = arrival
    presence = tx.execute(
        "SELECT checkpoint, inside FROM rm_presence WHERE registration_id = ?",
        (registration_id,),
    ).all()
    inside_anywhere = int(any(inside for _, inside in presence))
    share: Share = {
        ("category", category): (1, inside_anywhere),
        ("slot", str(int(first) // SLOT_SECONDS)): (1, 0),
    }
    for checkpoint, inside in presence:
        share[("checkpoint", checkpoint)] = (1, int(inside))
    return gathering_id, share


@contextmanager
def _changing(tx: Transaction, registration_id: str) -> Iterator[None]:
    """Take the guest's share out of the totals, let the change run, put the new share in."""
    _, before = _share(tx, registration_id)
    yield
    gathering_id, after = _share(tx, registration_id)
    for key in before.keys() | after.keys():
        arrived = after.get(key, (0, 0))[0] - before.get(key, (0, 0))[0]
        inside = after.get(key, (0, 0))[1] - before.get(key, (0, 0))[1]
        if arrived or inside:
            tx.execute(
                "INSERT INTO rm_arrival_counts (gathering_id, dimension, key, arrived, inside) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (gathering_id, dimension, key) DO UPDATE "
                "SET arrived = rm_arrival_counts.arrived + excluded.arrived, "
                "inside = rm_arrival_counts.inside + excluded.inside",
                (gathering_id, key[0], key[1], arrived, inside),
            )


def _scan_recorded(tx: Transaction, event: Any, seq: int) -> None:
    if event.status != "ok" or event.registration_id is None:
        return
    registration_id, checkpoint = str(event.registration_id), event.checkpoint
    with _changing(tx, registration_id):
        if event.direction == "out":
            tx.execute(
                "UPDATE rm_presence SET inside = 0, exits = exits + 1 "
                "WHERE registration_id = ? AND checkpoint = ?",
                (registration_id, checkpoint),
            )
            return
        _enter(tx, event, registration_id, checkpoint, epoch_seconds(event.scanned_at))


def _enter(tx: Transaction, event: Any, registration_id: str, checkpoint: str, at: int) -> None:
    gathering_id = str(event.gathering_id)
    tx.execute(
        "INSERT INTO rm_presence (registration_id, checkpoint, gathering_id, "
        "first_entry_epoch, inside, entries, exits) VALUES (?, ?, ?, ?, 1, 1, 0) "
        "ON CONFLICT (registration_id, checkpoint) DO UPDATE SET inside = 1, "
        "entries = rm_presence.entries + 1, first_entry_epoch = CASE "
        "WHEN excluded.first_entry_epoch < rm_presence.first_entry_epoch "
        "THEN excluded.first_entry_epoch ELSE rm_presence.first_entry_epoch END",
        (registration_id, checkpoint, gathering_id, at),
    )
    registration = tx.execute(
        "SELECT category, state FROM rm_registrations WHERE id = ?", (registration_id,)
    ).one()
    category, state = registration if registration else ("", "")
    tx.execute(
        "INSERT INTO rm_arrivals (registration_id, gathering_id, category, counted, "
        "first_entry_epoch) VALUES (?, ?, ?, ?, ?) ON CONFLICT (registration_id) DO UPDATE "
        "SET first_entry_epoch = CASE "
        "WHEN excluded.first_entry_epoch < rm_arrivals.first_entry_epoch "
        "THEN excluded.first_entry_epoch ELSE rm_arrivals.first_entry_epoch END",
        (registration_id, gathering_id, category, int(state == "confirmed"), at),
    )


def _registration_changed(confirmed: bool) -> Callable[[Transaction, Any, int], None]:
    """Return the handler of a registration event after which it is (not) confirmed."""

    def handle(tx: Transaction, event: Any, seq: int) -> None:
        registration_id = str(event.originator_id)
        with _changing(tx, registration_id):
            tx.execute(
                "UPDATE rm_arrivals SET counted = ? WHERE registration_id = ?",
                (int(confirmed), registration_id),
            )

    return handle


ARRIVAL_HANDLERS: dict[str, Callable[[Transaction, Any, int], None]] = {
    "Scan.Recorded": _scan_recorded,
    "Registration.Approved": _registration_changed(confirmed=True),
    "Registration.Promoted": _registration_changed(confirmed=True),
    "Registration.Waitlisted": _registration_changed(confirmed=False),
    "Registration.Rejected": _registration_changed(confirmed=False),
    "Registration.Cancelled": _registration_changed(confirmed=False),
}
