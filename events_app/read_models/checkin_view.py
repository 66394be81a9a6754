"""Queries on scans, conflicts and door devices (caught up with the store first)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from events_app.read_models.guest_list import GuestListView
from events_app.read_models.search import text_condition
from events_app.store.sql import Database

LAST_SCANS = (
    "SELECT s.device_id, s.checkpoint, s.scanned_at, s.received_at, s.offline FROM rm_scans s "
    "WHERE s.gathering_id = ? AND s.seq = "
    "(SELECT MAX(t.seq) FROM rm_scans t WHERE t.device_id = s.device_id)"
)


@dataclass(frozen=True)
class LastScan:
    """A door device's latest recorded scan: where, when made, when received, offline."""

    checkpoint: str
    scanned_at: str
    received_at: str
    offline: bool


class CheckInView:
    """What organisers and door staff read about check-in."""

    def __init__(self, guest_list: GuestListView, database: Database) -> None:
        self._guest_list = guest_list
        self._db = database

    def _rows(
        self, sql: str, params: tuple[Any, ...], names: tuple[str, ...]
    ) -> list[dict[str, Any]]:
        self._guest_list.ready()
        with self._db.transaction() as tx:
            return [dict(zip(names, row, strict=True)) for row in tx.execute(sql, params).all()]

    def conflicts(self, gathering_id: str) -> list[dict[str, Any]]:
        """Return the scan conflicts organisers should review, oldest first."""
        names = (
            "scan_id",
            "registration_id",
            "checkpoint",
            "device",
            "scanned_at",
            "reason",
            "full_name",
            "name_zh",
        )
        return self._rows(
            "SELECT c.scan_id, c.registration_id, c.checkpoint, c.device, c.scanned_at, "
            "c.reason, r.full_name, r.name_zh FROM rm_conflicts c "
            "LEFT JOIN rm_registrations r ON r.id = c.registration_id "
            "WHERE c.gathering_id = ? ORDER BY c.scanned_at",
            (gathering_id,),
            names,
        )

    def scans_of(self, registration_id: str) -> list[dict[str, Any]]:
        """Return the scans of one guest's badge, oldest first (time, checkpoint, status)."""
        names = ("scanned_at", "checkpoint", "direction", "status", "manual", "offline")
        found = self._rows(
            f"SELECT {', '.join(names)} FROM rm_scans WHERE registration_id = ? "
            "ORDER BY scanned_at, seq",
            (registration_id,),
            names,
        )
        return [
            {**row, "manual": bool(row["manual"]), "offline": bool(row["offline"])} for row in found
        ]

    def devices(self, gathering_id: str) -> list[dict[str, Any]]:
        """Return the gathering's door devices with their last activity."""
        names = (
            "id",
            "name",
            "state",
            "registered_at",
            "setup_expires_at",
            "enrolled_at",
            "revoked_at",
            "last_scan_at",
            "scans",
        )
        return self._rows(
            f"SELECT {', '.join(names)} FROM rm_devices WHERE gathering_id = ? "
            "ORDER BY registered_at",
            (gathering_id,),
            names,
        )

    def last_scans(self, gathering_id: str) -> dict[str, LastScan]:
        """Return, per device id, the latest scan each of the gathering's devices recorded."""
        self._guest_list.ready()
        with self._db.transaction() as tx:
            rows = tx.execute(LAST_SCANS, (gathering_id,)).all()
        return {
            str(device_id): LastScan(checkpoint, scanned_at, received_at, bool(offline))
            for device_id, checkpoint, scanned_at, received_at, offline in rows
        }

    def find_guests(self, gathering_id: str, text: str, limit: int = 20) -> list[dict[str, Any]]:
        """Return guests whose name, e-mail or organisation matches, for manual check-in."""
        names = (
            "registration_id",
            "full_name",
            "name_zh",
            "organisation",
            "category",
            "state",
            "entries",
        )
        self._guest_list.ready()
        with self._db.transaction() as tx:
            searched = text_condition(tx, "r", text, self._guest_list.search_index)
            rows = tx.execute(
                "SELECT r.id, r.full_name, r.name_zh, r.organisation, r.category, r.state, "
                "(SELECT COUNT(*) FROM rm_scans s WHERE s.registration_id = r.id "
                "AND s.status = 'ok' AND s.direction = 'in') FROM rm_registrations r "
                f"WHERE {searched.beside('r.gathering_id')} = ? AND {searched.sql} "
                "ORDER BY r.full_name LIMIT ?",
                (gathering_id, *searched.params, limit),
            ).all()
        return [dict(zip(names, row, strict=True)) for row in rows]
