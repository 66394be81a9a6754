"""Read-model query behind the check-in export: every recorded scan of a gathering.

Read from the projected scans (with their guests and devices), never from the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from events_app.read_models.guest_list import GuestListView
from events_app.store.sql import Database

SCANS = (
    "SELECT s.id, s.scanned_at, s.received_at, s.registration_id, r.full_name, r.name_zh, "
    "r.organisation, COALESCE(s.category, r.category), s.checkpoint, s.direction, s.status, "
    "d.name, s.offline, s.manual, s.reason FROM rm_scans s "
    "LEFT JOIN rm_registrations r ON r.id = s.registration_id "
    "LEFT JOIN rm_devices d ON d.id = s.device_id "
    "WHERE s.gathering_id = ? ORDER BY s.seq"
)


@dataclass(frozen=True)
class ScanRecord:
    """One recorded scan with its guest (if the badge was known) and its device's name."""

    scan_id: str
    scanned_at: str
    received_at: str
    registration_id: str | None
    full_name: str | None
    name_zh: str | None
    organisation: str | None
    category: str | None
    """The category the answer gave, else the guest's own."""
    checkpoint: str
    direction: str
    status: str
    device: str | None
    offline: bool
    manual: bool
    """Whether door staff checked the guest in by name."""
    reason: str


class ExportView:
    """What the console's exports read that the guest list's queries do not give."""

    def __init__(self, guest_list: GuestListView, database: Database) -> None:
        self._guest_list = guest_list
        self._db = database

    def scans(self, gathering_id: str) -> list[ScanRecord]:
        """Return every recorded scan of the gathering, in the order they were made.

        An export needs everything: this waits for the read model to reach the store.
        """
        self._guest_list.ready(complete=True)
        with self._db.transaction() as tx:
            rows = tx.execute(SCANS, (gathering_id,)).all()
        records = [
            ScanRecord(*row[:12], offline=bool(row[12]), manual=bool(row[13]), reason=row[14])
            for row in rows
        ]
        # Stable: scans made at the same moment stay in the order they were recorded.
        records.sort(key=lambda record: datetime.fromisoformat(record.scanned_at))
        return records
