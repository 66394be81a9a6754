"""A thin SQL adapter so the read models run the same statements on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from events_app.storage import Storage

ADVISORY_LOCK_KEY = 7_301_946_220
"""PostgreSQL advisory lock taken while a read model catches up."""


class Transaction:
    """A cursor that takes `?` placeholders on every database."""

    def __init__(self, cursor: Any, placeholder: str) -> None:
        self._cursor = cursor
        self._placeholder = placeholder

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Transaction:
        """Run one statement."""
        if self._placeholder != "?":
            sql = sql.replace("?", self._placeholder)
        self._cursor.execute(sql, tuple(params))
        return self

    def execute_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement once per row, in as few round trips as the driver allows."""
        if not rows:
            return
        if self._placeholder != "?":
            sql = sql.replace("?", self._placeholder)
        self._cursor.executemany(sql, [tuple(row) for row in rows])

    def all(self) -> list[tuple[Any, ...]]:
        """Return every row of the last query."""
        return [tuple(row) for row in self._cursor.fetchall()]

    def one(self) -> tuple[Any, ...] | None:
        """Return the first row of the last query, if any."""
        row = self._cursor.fetchone()
        return None if row is None else tuple(row)


class Database:
    """Transactions on the read-model database."""

    def transaction(self, *, exclusive: bool = False) -> Any:
        """Open a transaction; `exclusive` serialises it with other exclusive ones."""
        raise NotImplementedError

    def close(self) -> None:
        """Release connections."""


class SQLiteDatabase(Database):
    """Read models in an SQLite file (shared by processes) or in memory (one process)."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._memory = path == ":memory:"
        self._local = threading.local()
        self._shared: sqlite3.Connection | None = None
        self._lock = threading.RLock()

    def _connection(self) -> sqlite3.Connection:
        if self._memory:
            if self._shared is None:
                self._shared = sqlite3.connect(":memory:", check_same_thread=False)
                self._shared.isolation_level = None
            return self._shared
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self._path, timeout=30)
            connection.isolation_level = None
            connection.execute("PRAGMA journal_mode=WAL")
            # A commit need not reach the disk before the next one: a read-model batch lost
            # to a power cut is lost together with its position, and simply applied again.
            connection.execute("PRAGMA synchronous=NORMAL")
            self._local.connection = connection
        return connection

    @contextmanager
    def transaction(self, *, exclusive: bool = False) -> Iterator[Transaction]:
        """Open a transaction; `exclusive` takes SQLite's write lock at once."""
        with self._lock if self._memory else _nothing():
            connection = self._connection()
            cursor = connection.cursor()
            cursor.execute("BEGIN IMMEDIATE" if exclusive else "BEGIN")
            try:
                yield Transaction(cursor, "?")
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")


class PostgresDatabase(Database):
    """Read models in the PostgreSQL schema the events live in."""

    def __init__(self, storage: Storage) -> None:
        from psycopg_pool import ConnectionPool

        settings = storage.postgres
        conninfo = (
            f"dbname={settings['dbname']} host={settings['host']} port={settings['port']} "
            f"user={settings['user']} connect_timeout=5"
        )
        if settings["password"]:
            conninfo += f" password={settings['password']}"
        self._pool = ConnectionPool(
            conninfo,
            min_size=1,
            max_size=8,
            kwargs={"options": f"-c search_path={storage.schema}"},
            open=True,
        )
        with self._pool.connection() as connection, connection.transaction():
            # Processes starting together would otherwise race to create the schema.
            connection.execute("SELECT pg_advisory_xact_lock(%s)", (ADVISORY_LOCK_KEY,))
            connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{storage.schema}"')

    @contextmanager
    def transaction(self, *, exclusive: bool = False) -> Iterator[Transaction]:
        """Open a transaction; `exclusive` takes the read models' advisory lock."""
        with self._pool.connection() as connection, connection.transaction():
            cursor = connection.cursor()
            if exclusive:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", (ADVISORY_LOCK_KEY,))
            yield Transaction(cursor, "%s")

    def close(self) -> None:
        """Close the pool."""
        self._pool.close()


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def open_database(storage: Storage) -> Database:
    """Return the read-model database of `storage`."""
    if storage.kind == "postgres":
        return PostgresDatabase(storage)
    if storage.kind == "sqlite":
        return SQLiteDatabase(storage.sqlite_path)
    return SQLiteDatabase(":memory:")
