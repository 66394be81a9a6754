"""The SQL of the personal-data migration: stored rows read and rewritten, its record kept.

One connection of its own (SQLite: the events' file; PostgreSQL: the store's schema), in
autocommit, so that each batch is one explicit transaction that first takes the lock the
events' writers take (SQLite's write lock by BEGIN IMMEDIATE; PostgreSQL's
`LOCK TABLE ... IN EXCLUSIVE MODE`, as eventsourcing's inserts do): no event is written
while a batch is rewritten, and the batch commits with the migration's position.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from events_app.store.sql import PostgresTransaction, Transaction
from events_app.store.storage import Storage

RECORD_SQL = (
    "CREATE TABLE IF NOT EXISTS personal_data_migration (run INTEGER PRIMARY KEY, "
    "actor TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, "
    "position BIGINT NOT NULL, scanned BIGINT NOT NULL, counts TEXT NOT NULL, "
    "snapshots BIGINT NOT NULL, batches BIGINT NOT NULL)"
)
COLUMNS = "run, actor, started_at, finished_at, position, scanned, counts, snapshots, batches"


@dataclass
class MigrationRun:
    """One run of the migration: who, when, how far, what it rewrote (per event type)."""

    run: int
    actor: str
    started_at: str
    finished_at: str | None = None
    position: int = 0
    """The last notification id done: a run stopped midway continues after it."""
    scanned: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    """Events rewritten, per event type (e.g. "Registration.Submitted")."""
    snapshots: int = 0
    """Snapshots rewritten (their e-mail keys hashed)."""
    batches: int = 0

    @property
    def rewritten(self) -> int:
        """Return how many events this run rewrote."""
        return sum(self.counts.values())


@dataclass(frozen=True)
class StoredRow:
    """One stored event or snapshot: its position (0 for snapshots), key, topic and state."""

    position: int
    originator_id: Any
    version: int
    topic: str
    state: bytes


class MigrationRows:
    """The store's rows as the migration reads and rewrites them."""

    def __init__(self, storage: Storage, events_table: str, snapshots_table: str) -> None:
        self._storage = storage
        self._events = events_table
        self._snapshots = snapshots_table
        self._postgres = storage.kind == "postgres"
        self._id = "notification_id" if self._postgres else "rowid"
        self._connection = self._connect()
        with self.transaction(lock=False) as tx:
            tx.execute(RECORD_SQL)

    def _connect(self) -> Any:
        if not self._postgres:
            connection = sqlite3.connect(
                self._storage.sqlite_path, timeout=30, isolation_level=None
            )
            connection.execute("PRAGMA secure_delete = ON")  # rewritten cells zeroed
            return connection
        import psycopg

        p = self._storage.postgres
        return psycopg.connect(
            host=p["host"],
            port=p["port"],
            user=p["user"],
            password=p["password"] or None,
            dbname=p["dbname"],
            autocommit=True,
            options=f"-c search_path={self._storage.schema}",
        )

    @contextmanager
    def transaction(self, *, lock: bool = True) -> Iterator[Transaction]:
        """Run one transaction, holding the events' write lock first when `lock`."""
        cursor = self._connection.cursor()
        if self._postgres:
            cursor.execute("BEGIN")
            tx: Transaction = PostgresTransaction(cursor, "%s")
            if lock:
                tx.execute(f"LOCK TABLE {self._events} IN EXCLUSIVE MODE")
        else:
            cursor.execute("BEGIN IMMEDIATE" if lock else "BEGIN")
            tx = Transaction(cursor, "?")
        try:
            yield tx
        except BaseException:
            cursor.execute("ROLLBACK")
            raise
        cursor.execute("COMMIT")

    def events_after(self, position: int, topics: Sequence[str], limit: int) -> list[StoredRow]:
        """Return up to `limit` stored events of `topics` after `position`, in order."""
        marks = ", ".join("?" * len(topics))
        with self.transaction(lock=False) as tx:
            rows = tx.execute(
                f"SELECT {self._id}, originator_id, originator_version, topic, state "
                f"FROM {self._events} WHERE {self._id} > ? AND topic IN ({marks}) "
                f"ORDER BY {self._id} LIMIT ?",
                (position, *topics, limit),
            ).all()
        return [StoredRow(r[0], r[1], r[2], r[3], bytes(r[4])) for r in rows]

    def ids_of(self, tx: Transaction, topic: str) -> list[Any]:
        """Return the originator ids of the stored events of `topic`."""
        rows = tx.execute(f"SELECT originator_id FROM {self._events} WHERE topic = ?", (topic,))
        return [row[0] for row in rows.all()]

    def first_states(self, tx: Transaction, ids: Sequence[Any]) -> list[bytes]:
        """Return the state of the first event of each aggregate in `ids`."""
        states = []
        for originator_id in ids:
            row = tx.execute(
                f"SELECT state FROM {self._events} "
                "WHERE originator_id = ? AND originator_version = 1",
                (originator_id,),
            ).one()
            if row is not None:
                states.append(bytes(row[0]))
        return states

    def rewrite(self, tx: Transaction, rows: Sequence[StoredRow], *, snapshots: bool) -> None:
        """Replace the state of each row, in place (same key, version and topic)."""
        table = self._snapshots if snapshots else self._events
        tx.execute_many(
            f"UPDATE {table} SET state = ? WHERE originator_id = ? AND originator_version = ?",
            [(row.state, row.originator_id, row.version) for row in rows],
        )

    def snapshots(self, tx: Transaction) -> list[StoredRow]:
        """Return every stored snapshot."""
        rows = tx.execute(
            f"SELECT originator_id, originator_version, topic, state FROM {self._snapshots}"
        ).all()
        return [StoredRow(0, r[0], r[1], r[2], bytes(r[3])) for r in rows]

    # The record ---------------------------------------------------------------

    def runs(self) -> list[MigrationRun]:
        """Return every run of the migration, oldest first."""
        with self.transaction(lock=False) as tx:
            rows = tx.execute(f"SELECT {COLUMNS} FROM personal_data_migration ORDER BY run").all()
        return [MigrationRun(*r[:6], json.loads(r[6]), *r[7:]) for r in rows]  # type: ignore[misc]

    def save_run(self, tx: Transaction, run: MigrationRun) -> None:
        """Write the run's record (in the transaction of the batch it reports)."""
        tx.execute("DELETE FROM personal_data_migration WHERE run = ?", (run.run,))
        tx.execute(
            f"INSERT INTO personal_data_migration ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                run.run,
                run.actor,
                run.started_at,
                run.finished_at,
                run.position,
                run.scanned,
                json.dumps(run.counts, sort_keys=True),
                run.snapshots,
                run.batches,
            ),
        )

    # Cleaning -----------------------------------------------------------------

    def vacuum(self) -> None:
        """Rewrite the database so that no freed page keeps an old state (and empty the WAL)."""
        if self._postgres:
            for table in (self._events, self._snapshots):
                self._connection.execute(f"VACUUM FULL {table}")
            return
        self._connection.execute("VACUUM")
        self._connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        """Close the connection."""
        self._connection.close()
