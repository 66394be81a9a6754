"""The badges printed for a gathering: which badge of which guest, so reprints are known.

One aggregate per gathering records every print run (a whole sheet, one guest's badge,
or the badges new since the last run) with the edition of each badge it printed: its
serial and what it shows. A badge is due when its guest is confirmed and the edition
printed last (if any) differs from the one the guest has now (new guest, reissued badge,
corrected name...). Being in the store, it holds across restarts and workers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.common import derived_id

PRINTED_FIELDS = ("full_name", "name_zh", "organisation", "job_title")


def badge_edition(serial: int, category: str, details: Mapping[str, Any]) -> str:
    """Return a short digest of what a badge shows; it changes when the badge must be reprinted."""
    shown = [serial, category, *(str(details.get(k, "")) for k in PRINTED_FIELDS)]
    return hashlib.sha256(json.dumps(shown, ensure_ascii=False).encode()).hexdigest()[:16]


class BadgePrints(Aggregate):
    """Every print run of a gathering's badges."""

    @staticmethod
    def create_id(gathering_id: UUID) -> UUID:
        """Return the id of the print record of the gathering `gathering_id`."""
        return derived_id("badge-prints", gathering_id.hex)

    @event("Started")
    def __init__(self, gathering_id: UUID) -> None:
        self.gathering_id = gathering_id
        self.printed: dict[str, str] = {}
        self.runs = 0
        self.last_at: datetime | None = None
        self.last_by = ""

    def due(self, editions: Mapping[UUID, str]) -> list[UUID]:
        """Return the guests (of `editions`: id -> current edition) whose badge is not printed."""
        return [rid for rid, edition in editions.items() if self.printed.get(rid.hex) != edition]

    def record(self, editions: Mapping[UUID, str], kind: str, at: datetime, actor: str) -> None:
        """Record a print run of these badges (id -> edition printed)."""
        if editions:
            badges = {rid.hex: edition for rid, edition in editions.items()}
            self._record(badges=badges, kind=kind, at=at, actor=actor)

    @event("BadgesPrinted")
    def _record(self, badges: dict[str, str], kind: str, at: datetime, actor: str) -> None:
        self.printed.update(badges)
        self.runs += 1
        self.last_at = at
        self.last_by = actor
