"""A lock per key that exists only while some thread holds or waits on it.

`BoxOffice.execute` serialises the writers of one aggregate within the process with a
lock per key (a gathering, a registration, a scan). A plain dict of locks would keep one
entry for every key ever used (one per registration and per invalid scan), so the table
grows with the traffic. Here each entry counts the threads that hold or wait on it and is
dropped when the last one leaves: the table holds at most one entry per thread inside,
and two threads asking for the same key get the same lock while either of them is there.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Iterator
from contextlib import contextmanager


class _Entry:
    """A lock and the number of threads that hold or wait on it."""

    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.users = 0


class KeyedLocks:
    """Mutual exclusion per key, with no entry left behind for a key no one is using."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._entries: dict[Hashable, _Entry] = {}

    @contextmanager
    def hold(self, key: Hashable) -> Iterator[None]:
        """Hold the lock of `key` for the duration of the block."""
        with self._guard:
            entry = self._entries.get(key)
            if entry is None:
                entry = self._entries[key] = _Entry()
            entry.users += 1
        try:
            with entry.lock:
                yield
        finally:
            with self._guard:
                entry.users -= 1
                if not entry.users:
                    del self._entries[key]

    def __len__(self) -> int:
        """Return how many keys are held or waited on now."""
        return len(self._entries)
