"""Checkpoints of a gathering: define, change and close them; read them as the door sees them.

A checkpoint lives in its gathering's events (CheckpointDefined, CheckpointClosed). A
person acting on one checkpoint is not stopped by changes to others or to the gathering:
`seen` expects only the later events about that checkpoint's code.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from eventsourcing.domain import Aggregate

from domain.checkpoint import Checkpoint
from domain.gathering import Gathering
from events_app.services.box_office import BoxOffice
from events_app.store.application import HistoryEntry
from events_app.store.seen_versions import Seen

CHECKPOINT_EVENTS = ("CheckpointDefined", "CheckpointClosed")


def code_of(event: Any) -> str | None:
    """Return the checkpoint code a gathering's domain event is about, if any."""
    if type(event).__name__ == "CheckpointDefined":
        return str(event.checkpoint["code"])
    if type(event).__name__ == "CheckpointClosed":
        return str(event.code)
    return None


def seen(code: str, version: int | None) -> Seen | None:
    """Return the version a person saw, counting only later changes to checkpoint `code`."""
    if version is None:
        return None
    return Seen(version, lambda event: code_of(event) == code)


def describe(gathering: Gathering, checkpoint: Checkpoint) -> dict[str, Any]:
    """Return a checkpoint as the API, console and door show it: with its real hours."""
    opens_at, closes_at = checkpoint.window(gathering.starts_at, gathering.ends_at)
    return {
        **checkpoint.as_dict(),
        "opens_at": opens_at,
        "closes_at": closes_at,
        "opens_with_gathering": checkpoint.opens_at is None,
        "closes_with_gathering": checkpoint.closes_at is None,
    }


def listing(gathering: Gathering) -> list[dict[str, Any]]:
    """Return every checkpoint of a gathering, described, in the order they were defined."""
    return [describe(gathering, gathering.checkpoint(code)) for code in gathering.checkpoints]


class Checkpoints:
    """Commands and queries on the checkpoints of gatherings."""

    def __init__(self, app: BoxOffice) -> None:
        self._app = app

    def codes(self, slug: str) -> list[str]:
        """Return the codes of a gathering's checkpoints, in the order they were defined."""
        return list(self._app.gathering(slug).checkpoints)

    def add(self, slug: str, checkpoint: Checkpoint, actor: str) -> Gathering:
        """Add a checkpoint whose code is new at this gathering."""
        return self._change(slug, lambda g, at: g.add_checkpoint(checkpoint, at, actor))

    def change(self, slug: str, checkpoint: Checkpoint, actor: str) -> Gathering:
        """Change an existing checkpoint (reopening it if it was closed)."""
        return self._change(slug, lambda g, at: g.change_checkpoint(checkpoint, at, actor))

    def define(self, slug: str, checkpoint: Checkpoint, actor: str) -> Gathering:
        """Add a checkpoint, or change the one with the same code."""
        return self._change(slug, lambda g, at: g.define_checkpoint(checkpoint, at, actor))

    def close(self, slug: str, code: str, actor: str) -> Gathering:
        """Close a checkpoint: from now on it admits no one."""
        return self._change(slug, lambda g, at: g.close_checkpoint(code, at, actor))

    def history(self, slug: str, code: str | None = None) -> list[HistoryEntry]:
        """Return the changes of a gathering's checkpoints (or of one), oldest first."""
        gathering = self._app.gathering(slug)
        if code is not None:
            gathering.checkpoint(code)  # raises NotFound
        return [
            entry
            for entry in self._app.changes(gathering.id)
            if entry.type in CHECKPOINT_EVENTS and code in (None, _entry_code(entry))
        ]

    def _change(self, slug: str, change: Callable[[Gathering, datetime], None]) -> Gathering:
        def command() -> tuple[Gathering, list[Aggregate]]:
            gathering = self._app.gathering(slug)
            change(gathering, self._app.clock())
            return gathering, [gathering]

        return self._app.execute(Gathering.create_id(slug), command)


def _entry_code(entry: HistoryEntry) -> str | None:
    checkpoint = entry.data.get("checkpoint")
    if isinstance(checkpoint, dict):
        return str(checkpoint.get("code"))
    return entry.data.get("code")


def summarise(entry: HistoryEntry, zone: ZoneInfo) -> str:
    """Return one checkpoint change in words, times in the gathering's zone."""
    if entry.type == "CheckpointClosed":
        return f"checkpoint {entry.data['code']} closed: it admits no one"
    checkpoint = Checkpoint.from_dict(entry.data["checkpoint"])
    notes = "; ".join(f"{c}: {n}" for c, n in checkpoint.category_notes.items())
    return (
        f"checkpoint {checkpoint.code} defined: {checkpoint.name_en} {checkpoint.name_zh}, "
        f"admits {', '.join(checkpoint.categories)}, opens {_time(checkpoint.opens_at, zone)}, "
        f"closes {_time(checkpoint.closes_at, zone)}" + (f"; notes: {notes}" if notes else "")
    )


def _time(value: datetime | None, zone: ZoneInfo) -> str:
    if value is None:
        return "with the gathering"
    return f"{value.astimezone(zone):%Y-%m-%d %H:%M} {zone.key}"
