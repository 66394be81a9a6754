"""How scans, conflicts and door devices are projected into the read-model tables."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from events_app.sql import Transaction


def _scan_recorded(tx: Transaction, event: Any, seq: int) -> None:
    guest = event.answer.get("guest") or {}
    tx.execute(
        "INSERT INTO rm_scans (id, gathering_id, device_id, checkpoint, direction, "
        "registration_id, category, status, scanned_at, received_at, offline, seq) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
        (
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
        ),
    )
    tx.execute(
        "UPDATE rm_devices SET scans = scans + 1, last_scan_at = ? WHERE id = ?",
        (event.received_at.isoformat(), str(event.device_id)),
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
    "Scan.Recorded": _scan_recorded,
    "Attendance.ConflictFlagged": _conflict_flagged,
    "DoorDevice.Registered": _device_registered,
    "DoorDevice.Enrolled": _device_enrolled,
    "DoorDevice.Revoked": _device_revoked,
}
