"""A `limits` storage backend that keeps fixed-window counters in the app's own database.

Registered with the limits library under the schemes ``db+sqlite`` and ``db+postgresql``:
``db+sqlite:////abs/events.sqlite`` or ``db+postgresql://user:pw@host/db?schema=public``
(the part after ``db+`` is a DATABASE_URL). Every process on the same file or server shares
the counters, so gunicorn workers and machines enforce one limit together. One UPSERT per
hit, or per lease of several hits for a busy key (see `leases`); its own table,
``rate_limits``, created if missing; expired rows are deleted now and then. The clock is
injectable (storage option ``clock``, a callable returning an aware datetime), so tests
move time instead of waiting.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from limits.storage import Storage

from events_app.config import system_clock
from events_app.rate_limits.leases import Leases
from events_app.store.storage import parse_database_url

SCHEMES = ("db+sqlite", "db+postgresql", "db+postgres")
PURGE_EVERY = 1_000
"""Hits between two deletions of expired counters (per process)."""
LOCK_NAME = "launch-events:rate_limits:{schema}"
"""Names the PostgreSQL advisory lock taken while creating the table (locks are per database,
so the name has the schema: apps on other schemas of the server do not wait for it)."""
CREATE = (
    "CREATE TABLE IF NOT EXISTS rate_limits (key TEXT PRIMARY KEY, "
    "count BIGINT NOT NULL, expires_at DOUBLE PRECISION NOT NULL)"
)
UPSERT = (
    "INSERT INTO rate_limits (key, count, expires_at) VALUES (?, ?, ?) "
    "ON CONFLICT (key) DO UPDATE SET "
    "count = CASE WHEN rate_limits.expires_at <= ? THEN excluded.count "
    "ELSE rate_limits.count + excluded.count END, "
    "expires_at = CASE WHEN rate_limits.expires_at <= ? THEN excluded.expires_at "
    "ELSE rate_limits.expires_at END "
    "RETURNING count, expires_at"
)
Clock = Callable[[], datetime]


class DatabaseStorage(Storage):
    """Fixed-window rate-limit counters in the app's SQLite file or PostgreSQL schema."""

    STORAGE_SCHEME = list(SCHEMES)  # noqa: RUF012 (read by limits' storage registry)

    def __init__(
        self, uri: str, wrap_exceptions: bool = False, clock: Clock = system_clock, **_: Any
    ) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions)
        self._clock = clock
        self._hits = 0
        self._leases = Leases()
        database_url = uri.split("+", 1)[1]
        storage = parse_database_url(database_url, "")
        if storage.kind == "postgres":
            self._db: _Connections = _Postgres(storage.postgres, storage.schema)
        elif storage.kind == "sqlite":
            self._db = _SQLite(storage.sqlite_path)
        else:
            raise ValueError(f"rate limits cannot be kept in {database_url!r}")
        self._db.create()

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        """Return the errors of the database driver."""
        return self._db.errors

    def now(self) -> float:
        """Return the storage's time, in seconds since the epoch."""
        return self._clock().timestamp()

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        """Add `amount` to the counter of `key` (a new window if it expired); return it."""
        now = self.now()

        def reserve(hits: int) -> tuple[int, float]:
            self._hits += 1
            with self._db.transaction() as run:
                count, ends = run(UPSERT, (key, hits, now + expiry, now, now))[0]
                if self._hits % PURGE_EVERY == 0:
                    run("DELETE FROM rate_limits WHERE expires_at <= ?", (now,))
            return int(count), float(ends)

        return self._leases.hit(key, amount, now, reserve)

    def get(self, key: str) -> int:
        """Return the counter of `key` in its current window (0 when expired or absent)."""
        with self._db.transaction() as run:
            rows = run(
                "SELECT count FROM rate_limits WHERE key = ? AND expires_at > ?", (key, self.now())
            )
        return int(rows[0][0]) if rows else 0

    def get_expiry(self, key: str) -> float:
        """Return when the window of `key` ends (now when there is none)."""
        now = self.now()
        with self._db.transaction() as run:
            rows = run(
                "SELECT expires_at FROM rate_limits WHERE key = ? AND expires_at > ?", (key, now)
            )
        return float(rows[0][0]) if rows else now

    def check(self) -> bool:
        """Tell whether the database answers."""
        try:
            with self._db.transaction() as run:
                run("SELECT 1", ())
        except self._db.errors:
            return False
        return True

    def reset(self) -> int | None:
        """Forget every counter; return how many there were."""
        with self._db.transaction() as run:
            count = run("SELECT COUNT(*) FROM rate_limits", ())[0][0]
            run("DELETE FROM rate_limits", ())
        self._leases.forget()
        return int(count)

    def clear(self, key: str) -> None:
        """Forget the counter of `key`."""
        with self._db.transaction() as run:
            run("DELETE FROM rate_limits WHERE key = ?", (key,))
        self._leases.forget(key)

    def close(self) -> None:
        """Release the connections."""
        self._db.close()


Run = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]


class _Connections:
    errors: tuple[type[Exception], ...] = ()

    def create(self) -> None:
        with self.transaction() as run:
            run(CREATE, ())

    def transaction(self) -> Any:
        raise NotImplementedError

    def close(self) -> None:
        """Release the connections."""


class _SQLite(_Connections):
    """A connection per thread, opened in the process that uses it (never across a fork)."""

    errors = (sqlite3.Error,)

    def __init__(self, path: str) -> None:
        self._path = path
        self._local = threading.local()
        self._pid = os.getpid()

    def _connection(self) -> sqlite3.Connection:
        if self._pid != os.getpid():  # a forked worker: the parent's connections are not ours
            self._local, self._pid = threading.local(), os.getpid()
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self._path, timeout=30, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            self._local.connection = connection
        return connection

    def create(self) -> None:
        super().create()
        self._local = threading.local()  # the creating connection stays with no one

    @contextmanager
    def transaction(self) -> Iterator[Run]:
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")

        def run(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
            return [tuple(row) for row in connection.execute(sql, tuple(params)).fetchall()]

        try:
            yield run
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")


class _Postgres(_Connections):
    """A small pool, opened on first use in the process that uses it (never across a fork)."""

    def __init__(self, settings: dict[str, str], schema: str) -> None:
        import psycopg

        self.errors = (psycopg.Error,)
        self._schema = schema
        self._conninfo = (
            f"dbname={settings['dbname']} host={settings['host']} port={settings['port']} "
            f"user={settings['user']} connect_timeout=5"
        )
        if settings["password"]:
            self._conninfo += f" password={settings['password']}"
        self._pool: Any = None
        self._pid = 0
        self._opening = threading.Lock()

    def create(self) -> None:
        import psycopg

        with psycopg.connect(self._conninfo) as connection, connection.transaction():
            # Processes starting together would otherwise race to create the table.
            lock = LOCK_NAME.format(schema=self._schema)
            connection.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (lock,))
            connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{self._schema}"')
            connection.execute(f'SET LOCAL search_path TO "{self._schema}"')
            connection.execute(CREATE)

    def _connections(self) -> Any:
        with self._opening:
            if self._pool is None or self._pid != os.getpid():
                from psycopg_pool import ConnectionPool

                self._pool = ConnectionPool(
                    self._conninfo,
                    min_size=1,
                    max_size=4,
                    kwargs={"options": f"-c search_path={self._schema}"},
                    open=True,
                )
                self._pid = os.getpid()
            return self._pool

    @contextmanager
    def transaction(self) -> Iterator[Run]:
        with self._connections().connection() as connection, connection.transaction():
            cursor = connection.cursor()

            def run(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
                cursor.execute(sql.replace("?", "%s"), tuple(params))
                return [tuple(row) for row in cursor.fetchall()] if cursor.description else []

            yield run

    def close(self) -> None:
        if self._pool is not None and self._pid == os.getpid():
            self._pool.close()
