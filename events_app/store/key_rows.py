"""Where the personal data keys are stored: a table beside the events, or a dict in memory.

Each store inserts a key if absent, reads it and destroys it; see `personal_keys`. A
destroyed key leaves a tombstone (the subject's row with an empty key, the old bytes
overwritten), so a write racing the erasure (a scan, a save retried) that asks for the
subject's key finds none and cannot make a new one: it seals nothing more for that subject.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, datetime

import psycopg

from events_app.store.setup import retrying_setup
from events_app.store.storage import SQLITE_SYNCHRONOUS

log = logging.getLogger(__name__)
TOMBSTONE = b""
"""The key of a destroyed subject: none, for good."""
CHECKPOINT_WAIT_MS = 2_000
"""How long an erasure's WAL checkpoint waits for readers (a busy log is emptied later)."""


class Rows:
    """Where the key rows are: insert if absent, read, delete."""

    def insert(self, subject: str, stored: bytes, created_at: str) -> None:
        """Store a key unless the subject has one already."""
        raise NotImplementedError

    def get(self, subject: str) -> bytes | None:
        """Return the subject's stored key (None: never made, or destroyed)."""
        raise NotImplementedError

    def delete(self, subject: str) -> bool:
        """Destroy the subject's key; tell whether there was one."""
        raise NotImplementedError

    def rewrite(self, change: Callable[[str, bytes], bytes]) -> int:
        """Replace every key (not tombstones) by `change(subject, stored)` at once; count them."""
        raise NotImplementedError

    def close(self) -> None:
        """Release connections."""


class MemoryRows(Rows):
    """Keys of an in-memory store."""

    def __init__(self) -> None:
        self._rows: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def insert(self, subject: str, stored: bytes, created_at: str) -> None:
        """Store a key unless the subject has one already."""
        with self._lock:
            self._rows.setdefault(subject, stored)

    def get(self, subject: str) -> bytes | None:
        """Return the subject's stored key, if any (None: never made, or destroyed)."""
        return self._rows.get(subject) or None

    def delete(self, subject: str) -> bool:
        """Destroy the subject's key, leaving its tombstone; tell whether there was one."""
        with self._lock:
            had = bool(self._rows.get(subject))
            self._rows[subject] = TOMBSTONE
        return had

    def rewrite(self, change: Callable[[str, bytes], bytes]) -> int:
        """Replace every key (not tombstones) by `change(subject, stored)` at once; count them."""
        with self._lock:
            changed = {s: change(s, stored) for s, stored in self._rows.items() if stored}
            self._rows.update(changed)
        return len(changed)


CREATE_SQL = (
    "CREATE TABLE IF NOT EXISTS personal_keys (subject_id TEXT PRIMARY KEY, "
    "key {blob} NOT NULL, created_at TEXT NOT NULL)"
)


KEYS_SQL = "SELECT subject_id, key FROM personal_keys WHERE LENGTH(key) > 0"
"""Every key that is not a tombstone."""
TOMBSTONE_SQL = (
    "INSERT INTO personal_keys (subject_id, key, created_at) VALUES (?, ?, ?) "
    "ON CONFLICT (subject_id) DO UPDATE SET key = excluded.key"
)
"""Replace a subject's key by its tombstone (or write the tombstone first), in one statement."""


def _now() -> str:
    return datetime.now(UTC).isoformat()


class SQLiteRows(Rows):
    """Keys in the SQLite file of the events; deleted with secure_delete, then checkpointed.

    A key commits with the events' durability (`synchronous`): it is written to the same
    log before them, and SQLite recovers a log only up to its first missing commit, so no
    event survives a power cut that its key does not.
    """

    def __init__(self, path: str, synchronous: str = "NORMAL") -> None:
        if synchronous not in SQLITE_SYNCHRONOUS:
            raise ValueError(f"unknown SQLite synchronous level {synchronous!r}")
        self._path = path
        self._synchronous = synchronous
        self._local = threading.local()
        retrying_setup(lambda: self._connection().execute(CREATE_SQL.format(blob="BLOB")))

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self._path, timeout=30, isolation_level=None)
            connection.execute(f"PRAGMA synchronous = {self._synchronous}")
            self._local.connection = connection
        return connection

    def insert(self, subject: str, stored: bytes, created_at: str) -> None:
        """Store a key unless the subject has one already."""
        self._connection().execute(
            "INSERT INTO personal_keys (subject_id, key, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT (subject_id) DO NOTHING",
            (subject, stored, created_at),
        )

    def get(self, subject: str) -> bytes | None:
        """Return the subject's stored key, if any."""
        row = (
            self._connection()
            .execute("SELECT key FROM personal_keys WHERE subject_id = ?", (subject,))
            .fetchone()
        )
        return None if row is None or not row[0] else bytes(row[0])

    def delete(self, subject: str) -> bool:
        """Destroy the subject's key; tell whether there was one."""
        connection = self._connection()
        connection.execute("PRAGMA secure_delete = ON")
        try:
            had = self.get(subject) is not None
            connection.execute(TOMBSTONE_SQL, (subject, TOMBSTONE, _now()))
        finally:
            connection.execute("PRAGMA secure_delete = OFF")
        # The WAL still holds the page as it was: copy it back and empty the log (waiting
        # for readers a little only; a busy log is emptied by the next checkpoints).
        connection.execute(f"PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}")
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.execute("PRAGMA busy_timeout = 30000")
        return had

    def rewrite(self, change: Callable[[str, bytes], bytes]) -> int:
        """Replace every key (not tombstones) by `change(subject, stored)` at once; count them."""
        connection = self._connection()
        connection.execute("PRAGMA secure_delete = ON")
        connection.execute("BEGIN IMMEDIATE")
        try:
            rows = connection.execute(
                "SELECT subject_id, key FROM personal_keys WHERE LENGTH(key) > 0"
            ).fetchall()
            connection.executemany(
                "UPDATE personal_keys SET key = ? WHERE subject_id = ?",
                [(change(subject, bytes(stored)), subject) for subject, stored in rows],
            )
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        else:
            connection.execute("COMMIT")
        finally:
            connection.execute("PRAGMA secure_delete = OFF")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return len(rows)

    def close(self) -> None:
        """Release connections."""
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None


class PostgresRows(Rows):
    """Keys in the PostgreSQL schema of the events."""

    def __init__(self, env: dict[str, str]) -> None:
        from psycopg_pool import ConnectionPool

        from events_app.store.sql import SCHEMA_LOCK_KEY

        schema = env.get("POSTGRES_SCHEMA") or "public"
        conninfo = (
            f"dbname={env['POSTGRES_DBNAME']} host={env['POSTGRES_HOST']} "
            f"port={env['POSTGRES_PORT']} user={env['POSTGRES_USER']} connect_timeout=5"
        )
        if env.get("POSTGRES_PASSWORD"):
            conninfo += f" password={env['POSTGRES_PASSWORD']}"
        self._pool = ConnectionPool(
            conninfo,
            min_size=1,
            max_size=4,
            kwargs={"options": f"-c search_path={schema}", "autocommit": True},
            open=True,
        )
        with self._pool.connection() as connection, connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK_KEY,))
            connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            connection.execute(CREATE_SQL.format(blob="BYTEA"))

    def insert(self, subject: str, stored: bytes, created_at: str) -> None:
        """Store a key unless the subject has one already."""
        with self._pool.connection() as connection:
            connection.execute(
                "INSERT INTO personal_keys (subject_id, key, created_at) VALUES (%s, %s, %s) "
                "ON CONFLICT (subject_id) DO NOTHING",
                (subject, stored, created_at),
            )

    def get(self, subject: str) -> bytes | None:
        """Return the subject's stored key, if any."""
        with self._pool.connection() as connection:
            row = connection.execute(
                "SELECT key FROM personal_keys WHERE subject_id = %s", (subject,)
            ).fetchone()
        return None if row is None or not row[0] else bytes(row[0])

    def delete(self, subject: str) -> bool:
        """Destroy the subject's key, then vacuum the table; tell whether there was one.

        VACUUM frees the dead row's space for reuse; the server's own log (WAL) keeps it
        until it is recycled, as a copy of the database does.
        """
        had = self.get(subject) is not None
        with self._pool.connection() as connection:
            connection.execute(TOMBSTONE_SQL.replace("?", "%s"), (subject, TOMBSTONE, _now()))
            try:
                connection.execute("VACUUM personal_keys")
            except psycopg.Error:
                log.warning("personal_keys not vacuumed after an erasure", exc_info=True)
        return had

    def rewrite(self, change: Callable[[str, bytes], bytes]) -> int:
        """Replace every key (not tombstones) by `change(subject, stored)` at once; count them."""
        with self._pool.connection() as connection:
            with connection.transaction():
                connection.execute("LOCK TABLE personal_keys IN EXCLUSIVE MODE")
                rows = connection.execute(
                    "SELECT subject_id, key FROM personal_keys WHERE LENGTH(key) > 0"
                ).fetchall()
                with connection.cursor() as cursor:
                    cursor.executemany(
                        "UPDATE personal_keys SET key = %s WHERE subject_id = %s",
                        [(change(subject, bytes(stored)), subject) for subject, stored in rows],
                    )
            connection.execute("VACUUM personal_keys")
        return len(rows)

    def close(self) -> None:
        """Release connections."""
        self._pool.close()


def rows_for(env: dict[str, str]) -> Rows:
    """Return the key rows of the store that eventsourcing's settings `env` select."""
    module = env.get("PERSISTENCE_MODULE", "")
    if module == "eventsourcing.postgres":
        return PostgresRows(env)
    name = env.get("SQLITE_DBNAME", "")
    in_memory = ":memory:" in name or "mode=memory" in name
    if module == "eventsourcing.sqlite" and name and not in_memory:
        return SQLiteRows(name, env.get("SQLITE_SYNCHRONOUS") or "NORMAL")
    return MemoryRows()
