"""Attendance: one guest's entries and exits at each checkpoint, and any conflicts.

It is the consistency boundary for check-in: two doors scanning one badge at the same
moment both try to change it, and only one of them can record the first entry.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypedDict
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.common import derived_id


class Entry(TypedDict):
    """One entry at a checkpoint, as a scan records it."""

    checkpoint: str
    device: str
    scanned_at: datetime
    scan_id: UUID


class Attendance(Aggregate):
    """Where one registered guest is: inside or outside each checkpoint."""

    @staticmethod
    def create_id(registration_id: UUID) -> UUID:
        """Return the id of the attendance of a registration."""
        return derived_id("attendance", registration_id.hex)

    @event("Started")
    def __init__(
        self, registration_id: UUID, gathering_id: UUID, entered: Entry | None = None
    ) -> None:
        """Start the attendance of a guest, with their first entry if `entered` is given.

        A guest's first scan that lets them in records the entry in this event, not in an
        `Entered` after it. `Started` events stored without `entered` replay as before.
        """
        self.registration_id = registration_id
        self.gathering_id = gathering_id
        self.inside: dict[str, bool] = {}
        self.first_entry: dict[str, dict[str, Any]] = {}
        self.conflicts: list[dict[str, Any]] = []
        if entered is not None:
            self._note_entry(**entered)

    def is_inside(self, checkpoint: str) -> bool:
        """Tell whether the guest has entered `checkpoint` and not left since."""
        return self.inside.get(checkpoint, False)

    def first_entry_at(self, checkpoint: str) -> dict[str, Any] | None:
        """Return when and by which device the guest first entered `checkpoint`."""
        return self.first_entry.get(checkpoint)

    def enter(self, checkpoint: str, device: str, scanned_at: datetime, scan_id: UUID) -> None:
        """Record an entry (first entry or re-entry) at `checkpoint`."""
        self._enter(checkpoint=checkpoint, device=device, scanned_at=scanned_at, scan_id=scan_id)

    @event("Entered")
    def _enter(self, checkpoint: str, device: str, scanned_at: datetime, scan_id: UUID) -> None:
        self._note_entry(checkpoint, device, scanned_at, scan_id)

    def _note_entry(
        self, checkpoint: str, device: str, scanned_at: datetime, scan_id: UUID
    ) -> None:
        """Apply an entry: the guest is inside, and the earliest entry is the first."""
        self.inside[checkpoint] = True
        first = self.first_entry.get(checkpoint)
        if first is None or scanned_at < first["scanned_at"]:
            self.first_entry[checkpoint] = {
                "scanned_at": scanned_at,
                "device": device,
                "scan_id": scan_id,
            }

    def leave(self, checkpoint: str, device: str, scanned_at: datetime, scan_id: UUID) -> None:
        """Record an exit at `checkpoint`."""
        self._leave(checkpoint=checkpoint, device=device, scanned_at=scanned_at, scan_id=scan_id)

    @event("Left")
    def _leave(self, checkpoint: str, device: str, scanned_at: datetime, scan_id: UUID) -> None:
        self.inside[checkpoint] = False

    def flag_conflict(
        self, checkpoint: str, device: str, scanned_at: datetime, scan_id: UUID, reason: str
    ) -> None:
        """Record that the guest was let in twice (e.g. by two doors while offline)."""
        self._flag(
            checkpoint=checkpoint,
            device=device,
            scanned_at=scanned_at,
            scan_id=scan_id,
            reason=reason,
        )

    @event("ConflictFlagged")
    def _flag(
        self, checkpoint: str, device: str, scanned_at: datetime, scan_id: UUID, reason: str
    ) -> None:
        self.conflicts.append(
            {
                "checkpoint": checkpoint,
                "device": device,
                "scanned_at": scanned_at,
                "scan_id": scan_id,
                "reason": reason,
            }
        )
