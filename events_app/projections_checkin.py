"""How scans, conflicts and door devices are projected into the read-model tables.

Scans come in runs (`scans_recorded`): one multi-row insert and one counter update per
device per run, however many scans the run holds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from events_app.sql import Transaction


def scans_recorded(tx: Transaction, scans: list[tuple[Any, int]]) -> None:
    """Insert a run of recorded scans and add them to their devices' counters once each."""
    tx.execute_many(
        "INSERT INTO rm_scans (id, gathering_id, device_id, checkpoint, direction, "
        "registration_id, category, status, scanned_at, received_at, offline, seq) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
        [_scan_row(event, seq) for event, seq in scans],
    )
    devices: dict[str, list[Any]] = {}
    for event, _ in scans:
        device = devices.setdefault(str(event.device_id), [0, ""])
        device[0] += 1
        device[1] = event.received_at.isoformat()
    tx.execute_many(
        "UPDATE rm_devices SET scans = scans + ?, last_scan_at = ? WHERE id = ?",
        [(count, last, device_id) for device_id, (count, last) in sorted(devices.items())],
    )


def _scan_row(event: Any, seq: int) -> tuple[Any, ...]:
    guest = event.answer.get("guest") or {}
    return (
        str(event.originator_id),
        str(event.gathering_id),
        str(event.device_id),
        event.checkpoint,
        event.direction,
        str(event.registration_id) if event.registration_id else None,
        guest.get("category"),
        event.status,
        event.scanned_at.isoformat(),
        event.received_at.isoformat(),
        int(event.offline),
        seq,
    )


def _conflict_flagged(tx: Transaction, event: Any, seq: int) -> None:
    row = tx.execute(
        "SELECT gathering_id, registration_id FROM rm_scans WHERE id = ?", (str(event.scan_id),)
    ).one()
    gathering_id, registration_id = row if row else ("", "")
    tx.execute(
        "INSERT INTO rm_conflicts (scan_id, gathering_id, registration_id, checkpoint, device, "
        "scanned_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scan_id) DO NOTHING",
        (
            str(event.scan_id),
            gathering_id,
            registration_id,
            event.checkpoint,
            event.device,
            event.scanned_at.isoformat(),
            event.reason,
        ),
    )


def _device_registered(tx: Transaction, event: Any, seq: int) -> None:
    tx.execute(
        "INSERT INTO rm_devices (id, gathering_id, name, state, registered_at, "
        "setup_expires_at, scans) VALUES (?, ?, ?, 'registered', ?, ?, 0)",
        (
            str(event.originator_id),
            str(event.gathering_id),
            event.name,
            event.at.isoformat(),
            event.setup_expires_at.isoformat(),
        ),
    )


def _device_enrolled(tx: Transaction, event: Any, seq: int) -> None:
    tx.execute(
        "UPDATE rm_devices SET state = 'enrolled', enrolled_at = ? WHERE id = ?",
        (event.at.isoformat(), str(event.originator_id)),
    )


def _device_revoked(tx: Transaction, event: Any, seq: int) -> None:
    tx.execute(
        "UPDATE rm_devices SET state = 'revoked', revoked_at = ? WHERE id = ?",
        (event.at.isoformat(), str(event.originator_id)),
    )


CHECK_IN_HANDLERS: dict[str, Callable[[Transaction, Any, int], None]] = {
    "Attendance.ConflictFlagged": _conflict_flagged,
    "DoorDevice.Registered": _device_registered,
    "DoorDevice.Enrolled": _device_enrolled,
    "DoorDevice.Revoked": _device_revoked,
}
