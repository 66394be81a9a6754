"""A thin SQL adapter so the read models run the same statements on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from events_app.store.pg_copy import COPY_ROWS, staged_insert
from events_app.store.storage import Storage
from events_app.store.write_queue import turn

log = logging.getLogger(__name__)

ROWS_PER_INSERT = 500
"""Rows per multi-row insert: 500 rows of 12 columns stay under SQLite's 32,766 variables."""
SCHEMA_LOCK_KEY = 7_301_946_220
"""PostgreSQL advisory lock taken while a process creates its schema (one per database)."""
REBUILD_CACHE_KIB = 262_144
"""SQLite's page cache while a rebuild fills the tables: their indexes (random UUID keys)
stay in memory rather than being read back from the file for each batch."""
CHECKPOINT_WAIT_MS = 2_000
"""How long a checkpoint after an erasure waits for readers (a busy log is emptied later)."""


def advisory_key(schema: str, name: str) -> int:
    """Return the advisory lock key of lock `name` of the store in `schema`.

    Advisory locks belong to the whole database, so stores in different schemas of one
    database (tests, a staging copy) must not share keys, or they wait for each other.
    """
    digest = hashlib.blake2b(f"launch-events:{schema}:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


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
        """Run one statement for many rows, in as few statements as the database allows.

        An `INSERT ... VALUES (?, ...) [ON CONFLICT ...]` becomes one insert of up to
        `ROWS_PER_INSERT` rows (each row's key must be distinct, as ON CONFLICT DO UPDATE
        requires); any other statement runs once per row.
        """
        if not rows:
            return
        head, values, tail = sql.partition(" VALUES (")
        if not values or not head.lstrip().upper().startswith("INSERT"):
            if self._placeholder != "?":
                sql = sql.replace("?", self._placeholder)
            self._cursor.executemany(sql, [tuple(row) for row in rows])
            return
        group, _, rest = tail.partition(")")
        for start in range(0, len(rows), ROWS_PER_INSERT):
            chunk = rows[start : start + ROWS_PER_INSERT]
            statement = f"{head} VALUES {', '.join([f'({group})'] * len(chunk))}{rest}"
            self.execute(statement, [value for row in chunk for value in row])

    def empty(self, tables: Sequence[str]) -> None:
        """Delete every row of `tables` (SQLite truncates a table deleted without WHERE)."""
        for table in tables:
            self.execute(f"DELETE FROM {table}")

    def all(self) -> list[tuple[Any, ...]]:
        """Return every row of the last query."""
        return [tuple(row) for row in self._cursor.fetchall()]

    def one(self) -> tuple[Any, ...] | None:
        """Return the first row of the last query, if any."""
        row = self._cursor.fetchone()
        return None if row is None else tuple(row)


class PostgresTransaction(Transaction):
    """A transaction on PostgreSQL, whose many-row inserts pass one array per column."""

    def empty(self, tables: Sequence[str]) -> None:
        """Truncate `tables`: no dead rows left behind to slow the inserts that follow."""
        self.execute(f"TRUNCATE {', '.join(tables)}")

    def execute_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for many rows: an insert as one `INSERT ... SELECT unnest(...)`.

        One parameter per column keeps the statement short, so psycopg parses it once
        and caches it, however many rows it carries.
        """
        head, values, tail = sql.partition(" VALUES (")
        if not rows or not values or not head.lstrip().upper().startswith("INSERT"):
            super().execute_many(sql, rows)
            return
        _group, _, rest = tail.partition(")")
        if len(rows) >= COPY_ROWS and staged_insert(self._cursor, head, rest, rows):
            return
        columns = list(zip(*rows, strict=True))
        arrays = ", ".join(f"?::{_array_type(column)}" for column in columns)
        self.execute(
            f"{head} SELECT * FROM unnest({arrays}) AS batch{rest}", [list(c) for c in columns]
        )


def _array_type(column: Sequence[Any]) -> str:
    """Return the array type of one column's values: whole numbers, or else text."""
    return "bigint[]" if any(isinstance(v, int) for v in column) else "text[]"


class Database:
    """Transactions on the read-model database."""

    def transaction(self, *, exclusive: bool = False) -> Any:
        """Open a transaction; `exclusive` serialises it with other exclusive ones."""
        raise NotImplementedError

    def reclaim(self, tables: Sequence[str]) -> None:
        """Overwrite what rows deleted or changed in `tables` left behind (after an erasure)."""

    @contextmanager
    def rebuilding(self) -> Iterator[None]:
        """Tune this thread's connection for filling the tables from scratch, then restore it."""
        yield

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
            # What a row held is overwritten when it is changed or deleted (an erased
            # guest's name is left in no free space of the file; see read_models.search).
            connection.execute("PRAGMA secure_delete=ON")
            self._local.connection = connection
        return connection

    def reclaim(self, tables: Sequence[str]) -> None:
        """Copy the log's pages back and empty it: old versions of the pages are gone."""
        if self._memory:
            return
        connection = self._connection()
        connection.execute(f"PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}")
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.execute("PRAGMA busy_timeout = 30000")

    @contextmanager
    def rebuilding(self) -> Iterator[None]:
        """Give this thread's connection a large page cache while the tables are refilled."""
        with self._lock if self._memory else _nothing():
            connection = self._connection()
            before = connection.execute("PRAGMA cache_size").fetchone()[0]
            connection.execute(f"PRAGMA cache_size = -{REBUILD_CACHE_KIB}")
        try:
            yield
        finally:
            with self._lock if self._memory else _nothing():
                connection.execute(f"PRAGMA cache_size = {int(before)}")

    @contextmanager
    def transaction(self, *, exclusive: bool = False) -> Iterator[Transaction]:
        """Open a transaction; `exclusive` takes SQLite's write lock at once."""
        in_turn = exclusive and not self._memory  # writers queue (see write_queue)
        with (
            self._lock if self._memory else _nothing(),
            turn(self._path) if in_turn else _nothing(),
        ):
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
        self._exclusive_key = advisory_key(storage.schema, "read-model-tables")
        self._local = threading.local()
        self._pool = ConnectionPool(
            conninfo,
            min_size=1,
            max_size=8,
            kwargs={"options": f"-c search_path={storage.schema}"},
            open=True,
        )
        with self._pool.connection() as connection, connection.transaction():
            # Processes starting together would otherwise race to create the schema.
            connection.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK_KEY,))
            connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{storage.schema}"')

    @contextmanager
    def transaction(self, *, exclusive: bool = False) -> Iterator[Transaction]:
        """Open a transaction; `exclusive` takes the read models' advisory lock."""
        with self._pool.connection() as connection, connection.transaction():
            cursor = connection.cursor()
            if exclusive:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", (self._exclusive_key,))
            if getattr(self._local, "rebuilding", False):
                # A batch lost to a crash is lost with its position, and applied again.
                cursor.execute("SET LOCAL synchronous_commit = off")
            yield PostgresTransaction(cursor, "%s")

    @contextmanager
    def rebuilding(self) -> Iterator[None]:
        """Let this thread's commits return before their WAL is flushed while tables refill."""
        self._local.rebuilding = True
        try:
            yield
        finally:
            self._local.rebuilding = False

    def reclaim(self, tables: Sequence[str]) -> None:
        """Vacuum the tables: dead row versions are freed (the server's WAL keeps them a while)."""
        import psycopg

        with self._pool.connection() as connection:
            connection.autocommit = True
            try:
                for table in tables:
                    connection.execute(f"VACUUM {table}")
            except psycopg.Error:  # autovacuum frees them later
                log.warning("%s not vacuumed after an erasure", ", ".join(tables), exc_info=True)
            finally:
                connection.autocommit = False

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
