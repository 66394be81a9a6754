"""How accepted entries, exits and registration changes are projected into arrival figures.

Three tables, kept in step within each projected batch:

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
from dataclasses import dataclass
from typing import Any

from domain.registration import Registration
from events_app.read_models.checkin import ScanFacts
from events_app.store.sql import Transaction

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


@dataclass
class _Guest:
    """One guest's arrival rows, loaded once per batch and written back once."""

    arrival: list[Any] | None  # [gathering_id, category, counted, first_entry_epoch]
    presence: dict[str, list[int]]  # checkpoint -> [first_entry_epoch, inside, entries, exits]
    registration: tuple[str, str]  # (category, state) when first let in


def scans_entered(tx: Transaction, scans: list[ScanFacts]) -> None:
    """Apply a run of recorded scans: rows read and written once per guest, totals once."""
    accepted = [s for s in scans if s.status == "ok" and s.registration_id is not None]
    if not accepted:
        return
    guests = _load(tx, sorted({str(s.registration_id) for s in accepted}))
    before = {rid: _share_of(guest) for rid, guest in guests.items()}
    for scan in accepted:
        _apply(guests[str(scan.registration_id)], scan)
    totals: dict[tuple[str, str, str], list[int]] = {}
    for rid, guest in guests.items():
        gathering_id, after = _share_of(guest)
        old = before[rid][1]
        for key in old.keys() | after.keys():
            arrived = after.get(key, (0, 0))[0] - old.get(key, (0, 0))[0]
            inside = after.get(key, (0, 0))[1] - old.get(key, (0, 0))[1]
            if arrived or inside:
                total = totals.setdefault((gathering_id, *key), [0, 0])
                total[0] += arrived
                total[1] += inside
    _store(tx, guests, totals)


def _apply(guest: _Guest, scan: ScanFacts) -> None:
    checkpoint = scan.checkpoint
    if scan.direction == "out":
        place = guest.presence.get(checkpoint)
        if place is not None:
            place[1] = 0
            place[3] += 1
        return
    at = scan.scanned_epoch
    place = guest.presence.setdefault(checkpoint, [at, 0, 0, 0])
    place[0], place[1], place[2] = min(place[0], at), 1, place[2] + 1
    if guest.arrival is None:
        category, state = guest.registration
        guest.arrival = [scan.gathering_id, category, int(state == "confirmed"), at]
    else:
        guest.arrival[3] = min(int(guest.arrival[3]), at)


def _share_of(guest: _Guest) -> tuple[str, Share]:
    """Return the guest's gathering and what they add to its totals (see `_share`)."""
    arrival = guest.arrival
    if arrival is None or not arrival[2]:
        return (arrival[0] if arrival else ""), {}
    gathering_id, category, _, first = arrival
    share: Share = {
        ("category", category): (1, int(any(p[1] for p in guest.presence.values()))),
        ("slot", str(int(first) // SLOT_SECONDS)): (1, 0),
    }
    for checkpoint, place in guest.presence.items():
        share[("checkpoint", checkpoint)] = (1, int(place[1]))
    return gathering_id, share


def _load(tx: Transaction, ids: list[str]) -> dict[str, _Guest]:
    guests = {rid: _Guest(None, {}, ("", "")) for rid in ids}
    for chunk in _chunks(ids):
        marks = ", ".join("?" * len(chunk))
        for rid, category, state in tx.execute(
            f"SELECT id, category, state FROM rm_registrations WHERE id IN ({marks})",
            chunk,
        ).all():
            guests[rid].registration = (category, state)
        for rid, *arrival in tx.execute(
            "SELECT registration_id, gathering_id, category, counted, first_entry_epoch "
            f"FROM rm_arrivals WHERE registration_id IN ({marks})",
            chunk,
        ).all():
            guests[rid].arrival = list(arrival)
        for rid, checkpoint, *place in tx.execute(
            "SELECT registration_id, checkpoint, first_entry_epoch, inside, entries, exits "
            f"FROM rm_presence WHERE registration_id IN ({marks})",
            chunk,
        ).all():
            guests[rid].presence[checkpoint] = [int(v) for v in place]
    return guests


def _store(
    tx: Transaction, guests: dict[str, _Guest], totals: dict[tuple[str, str, str], list[int]]
) -> None:
    presence = [
        (rid, checkpoint, guest.arrival[0] if guest.arrival else "", *place)
        for rid, guest in guests.items()
        for checkpoint, place in guest.presence.items()
    ]
    tx.execute_many(
        "INSERT INTO rm_presence (registration_id, checkpoint, gathering_id, "
        "first_entry_epoch, inside, entries, exits) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (registration_id, checkpoint) DO UPDATE SET "
        "first_entry_epoch = excluded.first_entry_epoch, inside = excluded.inside, "
        "entries = excluded.entries, exits = excluded.exits",
        presence,
    )
    tx.execute_many(
        "INSERT INTO rm_arrivals (registration_id, gathering_id, category, counted, "
        "first_entry_epoch) VALUES (?, ?, ?, ?, ?) ON CONFLICT (registration_id) DO UPDATE "
        "SET first_entry_epoch = excluded.first_entry_epoch",
        [(rid, *guest.arrival) for rid, guest in guests.items() if guest.arrival],
    )
    tx.execute_many(
        "INSERT INTO rm_arrival_counts (gathering_id, dimension, key, arrived, inside) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (gathering_id, dimension, key) DO UPDATE "
        "SET arrived = rm_arrival_counts.arrived + excluded.arrived, "
        "inside = rm_arrival_counts.inside + excluded.inside",
        [(*key, arrived, inside) for key, (arrived, inside) in sorted(totals.items())],
    )


def _chunks(ids: list[str], size: int = 500) -> Iterator[list[str]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


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


ARRIVAL_HANDLERS: dict[type, Callable[[Transaction, Any, int], None]] = {
    Registration.Approved: _registration_changed(confirmed=True),  # type: ignore[attr-defined]
    Registration.Promoted: _registration_changed(confirmed=True),  # type: ignore[attr-defined]
    Registration.Waitlisted: _registration_changed(confirmed=False),  # type: ignore[attr-defined]
    Registration.Rejected: _registration_changed(confirmed=False),  # type: ignore[attr-defined]
    Registration.Cancelled: _registration_changed(confirmed=False),  # type: ignore[attr-defined]
}
