"""Named locks that hold across the processes sharing a store (e.g. gunicorn workers).

The outbox writes events while it holds them, and the read-model follower
reads the store while it holds its lock, so they cannot be SQLite's write lock (the
writes would wait for the lock their own process holds). On SQLite they are file locks
beside the database file; on PostgreSQL transaction-level advisory locks; in memory (one
process, as an in-memory SQLite database) plain thread locks. Every lock is also a thread
lock within the process.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from events_app.store.sql import Database, advisory_key
from events_app.store.storage import Storage
from events_app.store.write_queue import is_file


class Locks:
    """Named locks shared by every process on one store."""

    def __init__(self, storage: Storage, database: Database) -> None:
        self._storage = storage
        self._database = database
        self._local: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    @contextmanager
    def hold(self, name: str, *, blocking: bool = True) -> Iterator[bool]:
        """Hold the lock `name`; yield whether it is held.

        With `blocking` False it yields False at once, holding nothing, when another
        thread or process holds the lock.
        """
        with self._guard:
            local = self._local.setdefault(name, threading.Lock())
        if not local.acquire(blocking=blocking):
            yield False
            return
        try:
            if self._storage.kind == "sqlite" and is_file(self._storage.sqlite_path):
                with self._file_lock(name, blocking) as held:
                    yield held
            elif self._storage.kind == "postgres":
                with self._advisory_lock(name, blocking) as held:
                    yield held
            else:
                yield True
        finally:
            local.release()

    @contextmanager
    def _file_lock(self, name: str, blocking: bool) -> Iterator[bool]:
        path = f"{self._storage.sqlite_path}.{name}.lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    @contextmanager
    def _advisory_lock(self, name: str, blocking: bool) -> Iterator[bool]:
        key = advisory_key(self._storage.schema, name)
        with self._database.transaction() as tx:
            if blocking:
                tx.execute("SELECT pg_advisory_xact_lock(?)", (key,))
                held = True
            else:
                row = tx.execute("SELECT pg_try_advisory_xact_lock(?)", (key,)).one()
                held = bool(row and row[0])
            yield held
