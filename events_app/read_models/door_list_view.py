"""The door list as a device syncs it: every row, or the rows changed since its version.

A full list has no erased guest; a list of changes names each guest erased since, as an
entry `{"registration_id": ..., "removed": true}` the device deletes (and nothing else).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from events_app.read_models.door_list import NO_PRESENCE
from events_app.read_models.guest_list import GuestListView
from events_app.read_models.projector import position_of
from events_app.store.sql import Database

COLUMNS = "registration_id, serial, state, category, full_name, name_zh, presence, erased"
NOT_INSIDE: dict[str, Any] = json.loads(NO_PRESENCE)
"""Most rows' presence, read once (each row copies what it holds)."""


@dataclass(frozen=True)
class DoorListRows:
    """The rows changed after `since`, as of `version`, and how many guests the list has."""

    version: int
    rows: list[dict[str, Any]]
    count: int


class DoorListView:
    """Reads the door list of a gathering, caught up with the store first."""

    def __init__(self, guest_list: GuestListView, database: Database) -> None:
        self._guest_list = guest_list
        self._db = database

    def version(self) -> int:
        """Return the version the door lists are at (the read model's position)."""
        return self._guest_list.projector.position()

    def changed_since(self, gathering_id: str, since: int) -> DoorListRows:
        """Return the gathering's rows changed after version `since` (all of them for 0)."""
        self._guest_list.ready()
        name = self._guest_list.projector.name
        with self._db.transaction() as tx:
            # The version first: rows read after it are at least as new (a row committed
            # in between comes again next time, which a device applies twice harmlessly).
            version = position_of(tx, name) or 0
            rows = tx.execute(
                f"SELECT {COLUMNS} FROM rm_door_list WHERE gathering_id = ? AND seq > ? "
                "AND (erased = 0 OR ? > 0) ORDER BY seq, registration_id",
                (gathering_id, since, since),
            ).all()
            count = tx.execute(
                "SELECT COUNT(*) FROM rm_door_list WHERE gathering_id = ? AND erased = 0",
                (gathering_id,),
            ).one()
        return DoorListRows(version, [_row(r) for r in rows], int(count[0]) if count else 0)


def _row(values: tuple[Any, ...]) -> dict[str, Any]:
    rid, serial, state, category, full_name, name_zh, presence, erased = values
    if erased:
        return {"registration_id": str(rid), "removed": True}
    held = NOT_INSIDE if presence == NO_PRESENCE else json.loads(presence)
    return {
        "registration_id": str(rid),
        "serial": int(serial),
        "state": str(state),
        "category": str(category),
        "full_name": str(full_name),
        "name_zh": str(name_zh),
        "inside": list(held["inside"]),
        "first": dict(held["first"]),
    }
