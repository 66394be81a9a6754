"""The queue an SQLite store's writers wait in, so that none sleeps while the file is free.

SQLite lets one connection write at a time. A writer that finds the file locked does not
wait for the lock to be released: its busy handler sleeps and tries again 1, 2, 5, 10,
15, 20 … ms later. Under load a write that misses the lock twice waits 8 ms, while the
lock sat free most of that time (a scan holds it for a fraction of a millisecond, a
read-model batch for one to a few). An exclusive `flock` on a file beside the database,
taken before each write transaction and released after its commit, queues the writers
in the kernel instead, which wakes the next the moment the lock is released; SQLite's
own lock is then free whenever a writer asks for it, and its busy handler is left for
the rare writer outside the queue (rate-limit counters, keys). A thread that already has
its turn (a write inside a write) goes on without queueing again, to SQLite's own lock,
as before the queue: it must not wait for itself.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any


def queue_path(sqlite_path: str) -> str:
    """Return the file the writers of the SQLite file `sqlite_path` queue on."""
    return f"{sqlite_path}.writers.lock"


def is_file(sqlite_path: str) -> bool:
    """Tell whether an SQLite name is a file (an in-memory database needs no queue)."""
    return bool(sqlite_path) and ":memory:" not in sqlite_path and "mode=memory" not in sqlite_path


_held = threading.local()
"""The SQLite files whose turn this thread holds."""


@contextmanager
def turn(sqlite_path: str) -> Iterator[None]:
    """Wait for this writer's turn at the SQLite file, and hold it.

    Each turn opens the lock file anew: threads of one process queue too, and a forked
    worker never shares its parent's lock.
    """
    held: set[str] = _held.__dict__.setdefault("paths", set())
    if sqlite_path in held:
        yield
        return
    fd = os.open(queue_path(sqlite_path), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        held.add(sqlite_path)
        try:
            yield
        finally:
            held.discard(sqlite_path)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def queued(
    transaction: Callable[..., AbstractContextManager[Any]], sqlite_path: str
) -> Callable[..., AbstractContextManager[Any]]:
    """Wrap eventsourcing's `datastore.transaction`: a writing one waits for its turn."""

    @contextmanager
    def in_turn(*, commit: bool) -> Iterator[Any]:
        if not commit:
            with transaction(commit=False) as cursor:
                yield cursor
            return
        with turn(sqlite_path), transaction(commit=True) as cursor:
            yield cursor

    return in_turn
