"""Read-model queries behind the console dashboard: scan conflicts and invalid-scan alerts.

Values come back as stored (ISO times, device labels, possibly missing names); the
console turns them into local times and display names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from events_app.read_models.alerts import InvalidScanTotal, invalid_scan_alerts
from events_app.read_models.guest_list import GuestListView
from events_app.store.sql import Database, Transaction

CONFLICTS = (
    "SELECT c.scan_id, c.registration_id, c.checkpoint, c.device, c.scanned_at, c.reason, "
    "r.full_name, r.name_zh, r.category, s.received_at, s.seq, d.name FROM rm_conflicts c "
    "LEFT JOIN rm_registrations r ON r.id = c.registration_id "
    "LEFT JOIN rm_scans s ON s.id = c.scan_id "
    "LEFT JOIN rm_devices d ON d.id = s.device_id "
    "WHERE c.gathering_id = ? ORDER BY c.scanned_at, c.scan_id LIMIT ?"
)
CONFLICT_COUNT = "SELECT COUNT(*) FROM rm_conflicts WHERE gathering_id = ?"
ADMISSION_BEFORE = (
    "SELECT d.name, p.device_id, p.scanned_at FROM rm_scans p "
    "LEFT JOIN rm_devices d ON d.id = p.device_id "
    "WHERE p.registration_id = ? AND p.checkpoint = ? AND p.status = 'ok' "
    "AND p.direction = 'in' AND p.seq < ? ORDER BY p.seq DESC LIMIT 1"
)


@dataclass(frozen=True)
class AdmissionRecord:
    """One door letting a guest in, as stored."""

    device_name: str | None
    """The device's name, when the read model knows the device."""
    device: str
    """The device's id, or the label the conflict recorded it by ("device:door 1#ab12cd34")."""
    scanned_at: str


@dataclass(frozen=True)
class ConflictRecord:
    """A badge let in twice at one checkpoint, with the admission it repeats (if recorded)."""

    scan_id: str
    registration_id: str
    full_name: str | None
    name_zh: str | None
    category: str | None
    checkpoint: str
    second: AdmissionRecord
    first: AdmissionRecord | None
    received_at: str | None
    reason: str


class DashboardView:
    """What the console dashboard reads beyond the guest list's counts."""

    def __init__(self, guest_list: GuestListView, database: Database) -> None:
        self._guest_list = guest_list
        self._db = database

    def conflicts(self, gathering_id: str, limit: int) -> tuple[list[ConflictRecord], int]:
        """Return the first `limit` scan conflicts (oldest first) and how many there are."""
        self._guest_list.ready()
        with self._db.transaction() as tx:
            total = tx.execute(CONFLICT_COUNT, (gathering_id,)).one()
            rows = tx.execute(CONFLICTS, (gathering_id, limit)).all()
            found = [_conflict(tx, row) for row in rows]
        return found, int(total[0]) if total else len(found)

    def invalid_scans(self, gathering_id: str, since_minute: int) -> list[InvalidScanTotal]:
        """Return each device's invalid scans from `since_minute` on, the most first."""
        self._guest_list.catch_up()
        with self._db.transaction() as tx:
            return invalid_scan_alerts(tx, gathering_id, since_minute)


def _conflict(tx: Transaction, row: tuple[Any, ...]) -> ConflictRecord:
    """Return one conflict row with the earlier admission at its checkpoint."""
    (scan_id, registration_id, checkpoint, label, scanned_at, reason) = row[:6]
    full_name, name_zh, category, received_at, seq, name = row[6:]
    first = None
    if seq is not None:
        earlier = tx.execute(ADMISSION_BEFORE, (registration_id, checkpoint, seq)).one()
        if earlier is not None:
            first = AdmissionRecord(earlier[0], str(earlier[1]), earlier[2])
    return ConflictRecord(
        scan_id=str(scan_id),
        registration_id=str(registration_id),
        full_name=full_name,
        name_zh=name_zh,
        category=category,
        checkpoint=checkpoint,
        second=AdmissionRecord(name, str(label), scanned_at),
        first=first,
        received_at=received_at,
        reason=str(reason),
    )
