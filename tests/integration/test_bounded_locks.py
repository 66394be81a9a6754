"""The per-key lock table: bounded whatever the traffic, and still mutual exclusion.

`BoxOffice.execute` takes a lock per key (a gathering, a registration, an invalid
scan's id). The table once kept an entry for every key ever seen; 10,000 distinct invalid
scans through the API must now leave it empty, and never hold more entries than threads
that take locks: the scanning threads and the flusher of counted invalid scans, which
writes each device's count under the device's key every INVALID_SCAN_FLUSH_SECONDS.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pytest
from flask import Flask

from events_app.store.keyed_locks import KeyedLocks, _Entry
from tests.checkin_helpers import scan_body
from tests.conftest import services_of

SCANS = 10_000
SCAN_THREADS = 4
FLUSHER = 1
"""The background thread that writes counted invalid scans (services/invalid_scans.py)."""
JOIN_TIMEOUT = 120


def lock_table(app: Flask) -> KeyedLocks:
    """Return the lock table of the app's BoxOffice."""
    return services_of(app).box_office._locks


@pytest.mark.slow
def test_lock_table_stays_bounded_after_10000_distinct_invalid_scans(
    app: Flask, door: dict[str, str], clock: Any
) -> None:
    app.config["RATELIMIT_SCANS"] = "1000000/minute"  # the flood is the point: not refused
    table = lock_table(app)
    before = len(table)
    sizes: list[int] = []
    statuses: Counter[str] = Counter()
    running = threading.Event()
    running.set()

    def watch() -> None:
        while running.is_set():
            sizes.append(len(table))
            time.sleep(0.001)

    def scan_many(worker: int) -> None:
        client = app.test_client()
        for n in range(SCANS // SCAN_THREADS):
            body = scan_body(f"not-a-badge-{worker}-{n}", clock.now)
            response = client.post("/api/v1/scans", json=body, headers=door)
            statuses[f"{response.status_code} {response.json.get('status')}"] += 1

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _run_threads([lambda w=w: scan_many(w) for w in range(SCAN_THREADS)])
    running.clear()
    watcher.join(JOIN_TIMEOUT)
    assert statuses == {"200 invalid": SCANS}
    assert len(table) == before == 0
    assert sizes, "the watcher sampled nothing"
    assert max(sizes) <= SCAN_THREADS + FLUSHER


class LeakyLocks(KeyedLocks):
    """A deliberate bug: the holder drops the entry on leaving although others wait on it."""

    @contextmanager
    def hold(self, key: Hashable) -> Iterator[None]:
        """Hold the lock of `key`, but forget it as soon as the holder leaves."""
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
                self._entries.pop(key, None)


def most_inside_at_once(locks: KeyedLocks, keys: int = 3, threads: int = 12) -> dict[str, int]:
    """Let threads take turns on a few keys; return, per key, the most inside at once."""
    inside: Counter[str] = Counter()
    most: Counter[str] = Counter()
    count_guard = threading.Lock()
    start = threading.Barrier(threads)

    def work(n: int) -> None:
        start.wait(JOIN_TIMEOUT)
        for turn in range(40):
            key = f"key-{(n + turn) % keys}"
            with locks.hold(key):
                with count_guard:
                    inside[key] += 1
                    most[key] = max(most[key], inside[key])
                time.sleep(0.0002)
                with count_guard:
                    inside[key] -= 1

    _run_threads([lambda n=n: work(n) for n in range(threads)])
    return dict(most)


def test_one_thread_at_a_time_per_key_and_nothing_left_behind() -> None:
    locks = KeyedLocks()
    assert most_inside_at_once(locks) == {"key-0": 1, "key-1": 1, "key-2": 1}
    assert len(locks) == 0


def test_the_check_catches_a_table_that_forgets_a_lock_someone_waits_on() -> None:
    assert max(most_inside_at_once(LeakyLocks()).values()) > 1


def test_different_keys_do_not_wait_for_each_other() -> None:
    locks = KeyedLocks()
    entered = threading.Event()
    with locks.hold(uuid.uuid4()):
        other = threading.Thread(target=lambda: _enter(locks, uuid.uuid4(), entered))
        other.start()
        assert entered.wait(5), "a different key waited for the held one"
        assert len(locks) == 2
        other.join(JOIN_TIMEOUT)
    assert len(locks) == 0


def test_a_lock_is_released_when_the_block_raises() -> None:
    locks = KeyedLocks()
    key = datetime.now()
    with pytest.raises(ValueError, match="boom"), locks.hold(key):
        raise ValueError("boom")
    assert len(locks) == 0
    with locks.hold(key):
        assert len(locks) == 1


def _enter(locks: KeyedLocks, key: Hashable, entered: threading.Event) -> None:
    with locks.hold(key):
        entered.set()
        time.sleep(0.05)


def _run_threads(targets: list[Any]) -> None:
    errors: list[BaseException] = []

    def guarded(target: Any) -> None:
        try:
            target()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=guarded, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
    assert not errors, errors
