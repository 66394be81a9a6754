"""What retention reads and records: a gathering's registrations, whose data are held, the runs.

`retention_runs` is not a read model (a rebuild keeps it): one row per day the daily run
finished, so a restarted process does not run it again that day. Whose personal data are
still held is read from the key table beside the events (an erased guest has no key).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from events_app.read_models.guest_list import GuestListView
from events_app.store.sql import Database

RUNS_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS retention_runs (day TEXT PRIMARY KEY, "
    "started_at TEXT NOT NULL, finished_at TEXT NOT NULL, erased INTEGER NOT NULL)"
)
HELD = (
    "SELECT r.gathering_id, COUNT(*) FROM rm_registrations r "
    "JOIN personal_keys k ON k.subject_id = REPLACE(r.id, '-', '') AND LENGTH(k.key) > 0 "
    "GROUP BY r.gathering_id"
)
ALL_REGISTRATIONS = "SELECT gathering_id, COUNT(*) FROM rm_registrations GROUP BY gathering_id"


@dataclass(frozen=True)
class RunRecord:
    """One finished daily run."""

    day: str
    started_at: str
    finished_at: str
    erased: int


class RetentionView:
    """Reads and records of the retention run."""

    def __init__(self, guest_list: GuestListView, database: Database, *, keyed: bool) -> None:
        self._guest_list = guest_list
        self._db = database
        self._keyed = keyed
        """Whether keys live in this database (not so in memory: there every guest counts)."""
        # Exclusive: processes starting together on a new PostgreSQL schema would otherwise
        # race to create the table ("duplicate key ... pg_type_typname_nsp_index").
        with self._db.transaction(exclusive=True) as tx:
            tx.execute(RUNS_SCHEMA)

    def registration_ids(self, gathering_id: str) -> list[str]:
        """Return the id of every registration of the gathering, waiting for all of them."""
        self._guest_list.ready(complete=True)
        with self._db.transaction() as tx:
            rows = tx.execute(
                "SELECT id FROM rm_registrations WHERE gathering_id = ? ORDER BY submitted_at, id",
                (gathering_id,),
            ).all()
        return [str(row[0]) for row in rows]

    def keyed_ids(self, gathering_id: str) -> set[str]:
        """Return the registrations of the gathering whose key is still kept."""
        if not self._keyed:
            return set()
        with self._db.transaction() as tx:
            rows = tx.execute(
                "SELECT r.id FROM rm_registrations r "
                "JOIN personal_keys k ON k.subject_id = REPLACE(r.id, '-', '') "
                "AND LENGTH(k.key) > 0 WHERE r.gathering_id = ?",
                (gathering_id,),
            ).all()
        return {str(row[0]) for row in rows}

    def held(self) -> dict[str, int]:
        """Return, per gathering id, how many registrations' personal data are still held."""
        self._guest_list.ready()
        with self._db.transaction() as tx:
            rows = tx.execute(HELD if self._keyed else ALL_REGISTRATIONS).all()
        return {str(gathering_id): int(count) for gathering_id, count in rows}

    def run_of(self, day: str) -> RunRecord | None:
        """Return the run that finished on `day` (YYYY-MM-DD, UTC), if any."""
        with self._db.transaction() as tx:
            row = tx.execute(
                "SELECT day, started_at, finished_at, erased FROM retention_runs WHERE day = ?",
                (day,),
            ).one()
        return (
            None if row is None else RunRecord(str(row[0]), str(row[1]), str(row[2]), int(row[3]))
        )

    def record_run(self, run: RunRecord) -> None:
        """Record that the run of `run.day` finished (once: a second record is ignored)."""
        with self._db.transaction() as tx:
            tx.execute(
                "INSERT INTO retention_runs (day, started_at, finished_at, erased) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (day) DO NOTHING",
                (run.day, run.started_at, run.finished_at, run.erased),
            )

    def runs(self, limit: int = 30) -> Sequence[RunRecord]:
        """Return the latest runs, newest first."""
        with self._db.transaction() as tx:
            rows = tx.execute(
                "SELECT day, started_at, finished_at, erased FROM retention_runs "
                "ORDER BY day DESC LIMIT ?",
                (limit,),
            ).all()
        return [RunRecord(str(a), str(b), str(c), int(d)) for a, b, c, d in rows]
