"""Storage set-up that holds when several processes open the same new store at once.

Several processes (e.g. gunicorn workers) may create the tables of a new store at the same
moment: on PostgreSQL the loser of that race gets an error although the statements say IF
NOT EXISTS, and on SQLite switching a file to WAL fails while another process creates its
tables. Both are idempotent, so they are retried.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from typing import TypeVar

from eventsourcing.persistence import IntegrityError, InternalError, ProgrammingError
from eventsourcing.sqlite import SQLiteConnection, SQLiteConnectionPool

from events_app.store.storage import SQLITE_SYNCHRONOUS
from events_app.store.write_queue import is_file

T = TypeVar("T")
SETUP_ATTEMPTS = 10


def retrying_setup(construct: Callable[[], T]) -> T:
    """Return `construct()`, run again while another process creates the same tables."""
    for attempt in range(SETUP_ATTEMPTS):
        try:
            return construct()
        except (IntegrityError, InternalError, ProgrammingError):
            # e.g. 'duplicate key ... "pg_type_typname_nsp_index"', 'relation ... already
            # exists', 'tuple concurrently updated'; not a refused connection.
            if attempt == SETUP_ATTEMPTS - 1:
                raise
            time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))  # noqa: S311
    raise AssertionError("unreachable")


def set_synchronous(pool: SQLiteConnectionPool, level: str) -> None:
    """Make every connection the pool opens use `PRAGMA synchronous = level`."""
    if level not in SQLITE_SYNCHRONOUS:
        raise ValueError(f"unknown SQLite synchronous level {level!r}")
    create = pool._create_connection

    def create_with_level() -> SQLiteConnection:
        connection = create()
        connection._sqlite_conn.execute(f"PRAGMA synchronous = {level}")
        return connection

    pool._create_connection = create_with_level  # type: ignore[method-assign]


def use_wal(env: dict[str, str]) -> None:
    """Put an SQLite file in WAL mode before eventsourcing opens it.

    eventsourcing switches a file to WAL on its first connection, and that switch fails
    at once ("database is locked", with no retry) while another process is creating the
    tables of the same new file. Switching first, and retrying, avoids it.
    """
    name = env.get("SQLITE_DBNAME", "")
    if env.get("PERSISTENCE_MODULE") != "eventsourcing.sqlite" or not name:
        return
    if not is_file(name):
        return
    for attempt in range(SETUP_ATTEMPTS):
        try:
            connection = sqlite3.connect(name, uri=True, timeout=30)
        except sqlite3.Error:
            return  # eventsourcing will tell why the file cannot be opened
        try:
            if connection.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
                return
            connection.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError:
            if attempt == SETUP_ATTEMPTS - 1:
                raise
            time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))  # noqa: S311
        finally:
            connection.close()
