"""Which gatherings exist: one row per `Gathering.Scheduled`, so no page scans the event log."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.gathering import Gathering
from events_app.store.sql import Transaction

GATHERING_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS rm_gatherings (
        id TEXT PRIMARY KEY, scheduled_seq BIGINT NOT NULL)""",
)
GATHERING_TABLES = ("rm_gatherings",)


def scheduled(tx: Transaction, event: Any, seq: int) -> None:
    """Record a newly scheduled gathering (a batch applied again records it once)."""
    tx.execute(
        "INSERT INTO rm_gatherings (id, scheduled_seq) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
        (str(event.originator_id), seq),
    )


GATHERING_HANDLERS: dict[type, Any] = {Gathering.Scheduled: scheduled}  # type: ignore[attr-defined]


def gathering_ids(tx: Transaction) -> list[UUID]:
    """Return the id of every gathering, in the order they were scheduled."""
    rows = tx.execute("SELECT id FROM rm_gatherings ORDER BY scheduled_seq").all()
    return [UUID(row[0]) for row in rows]
