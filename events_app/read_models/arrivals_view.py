"""Read-model queries behind the live arrival figures (caught up with the store first).

The totals are kept by the projection (see projections_arrivals), so a refresh reads a
few rows per category, checkpoint and slot plus two indexed lookups, however many guests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from events_app.read_models.guest_list import GuestListView
from events_app.store.sql import Database

EXPECTED = (
    "SELECT category, COUNT(*) FROM rm_registrations "
    "WHERE gathering_id = ? AND state = 'confirmed' GROUP BY category"
)
TOTALS = (
    "SELECT dimension, key, arrived, inside FROM rm_arrival_counts "
    "WHERE gathering_id = ? AND arrived > 0"
)
LATEST = "SELECT MAX(first_entry_epoch) FROM rm_arrivals WHERE gathering_id = ? AND counted = 1"
NO_LONGER_CONFIRMED = "SELECT COUNT(*) FROM rm_arrivals WHERE gathering_id = ? AND counted = 0"


@dataclass
class ArrivalCounts:
    """The raw counts of one gathering; only confirmed registrations count."""

    expected: dict[str, int] = field(default_factory=dict)
    checked_in: dict[str, int] = field(default_factory=dict)
    inside: dict[str, int] = field(default_factory=dict)
    checkpoints: dict[str, tuple[int, int]] = field(default_factory=dict)
    slots: dict[int, int] = field(default_factory=dict)
    latest_epoch: int | None = None
    no_longer_confirmed: int = 0


class ArrivalsView:
    """Who has arrived: expected and checked-in guests, by category, checkpoint and slot."""

    def __init__(self, guest_list: GuestListView, database: Database) -> None:
        self._guest_list = guest_list
        self._db = database

    def counts(self, gathering_id: str) -> ArrivalCounts:
        """Return the gathering's arrival counts."""
        self._guest_list.ready()
        counts = ArrivalCounts()
        params = (gathering_id,)
        with self._db.transaction() as tx:
            for category, expected in tx.execute(EXPECTED, params).all():
                counts.expected[category] = int(expected)
            for dimension, key, arrived, inside in tx.execute(TOTALS, params).all():
                if dimension == "category":
                    counts.checked_in[key] = int(arrived)
                    counts.inside[key] = int(inside)
                elif dimension == "checkpoint":
                    counts.checkpoints[key] = (int(arrived), int(inside))
                elif dimension == "slot":
                    counts.slots[int(key)] = int(arrived)
            latest = tx.execute(LATEST, params).one()
            counts.latest_epoch = None if not latest or latest[0] is None else int(latest[0])
            gone = tx.execute(NO_LONGER_CONFIRMED, params).one()
            counts.no_longer_confirmed = int(gone[0]) if gone else 0
        return counts
