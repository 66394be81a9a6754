"""Following the store's notification log in bounded batches, each committed with its position.

Any process may apply the next batch: the one holding the projection's lock (a file lock
on SQLite, an advisory lock on PostgreSQL, shared by every worker and machine) reads the
position, applies at most `batch` notifications and commits them with the new position in
one transaction. A worker killed mid-batch loses that batch only, which the next one
applies again. Readers never apply a whole backlog: they wait for the position they need,
for a bounded time, helping with batches while nobody else is (see `wait_for`). A
`Follower` thread keeps the tables current between requests.

A projection whose batch also has effects outside these tables (the outbox's queueing
saves mails to the event store, which no transaction here can span) makes them with
`effects`, idempotently, before the batch's transaction: a batch lost before its commit
makes them again, and nothing happens twice.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from eventsourcing.application import Application
from eventsourcing.persistence import Notification

from events_app.store.locks import Locks
from events_app.store.log_reads import Select, recorder_reader
from events_app.store.sql import Database, Transaction

log = logging.getLogger(__name__)

ApplyBatch = Callable[[Transaction, Sequence[Notification]], None]
BatchEffects = Callable[[Sequence[Notification]], None]
BATCH = 1_000
"""Notifications applied per transaction: about 0.1 s of work on either database."""
GATHER_SECONDS = 0.05
"""The least time between two batches of a follower: a write waits at most this long."""
REBUILD_BATCH = 20_000
"""Notifications per transaction while a whole log is applied (`run_to_end`): each guest's
rows are then read and written once per 20,000 events rather than per 1,000."""
POSITIONS_SCHEMA = """CREATE TABLE IF NOT EXISTS rm_positions (
        name TEXT PRIMARY KEY, position BIGINT NOT NULL)"""
"""Every projection's position, by its name (and version)."""


class Projector:
    """Applies new notifications to one projection's tables, a committed batch at a time."""

    def __init__(
        self,
        app: Application,
        database: Database,
        locks: Locks,
        *,
        name: str,
        apply: ApplyBatch,
        topics: Sequence[str] = (),
        batch: int = BATCH,
        lock: str = "read-model",
        effects: BatchEffects | None = None,
        select: Select | None = None,
    ) -> None:
        self._app = app
        self._db = database
        self._locks = locks
        self.name = name
        self._apply = apply
        self._topics = tuple(topics)
        self.batch = batch
        self._lock = lock
        self._effects = effects
        self._select = select or recorder_reader(app.recorder)
        self.applied = threading.Event()
        self.followed = False
        """Whether a follower thread of this process applies the batches (readers then poll)."""

    def position(self) -> int:
        """Return the position the tables have been committed at."""
        with self._db.transaction() as tx:
            return position_of(tx, self.name) or 0

    def latest(self) -> int:
        """Return the position of the store's newest event."""
        return self._app.recorder.max_notification_id() or 0

    def forget(self, tables: Sequence[str], versions: str) -> None:
        """Empty `tables` and drop the positions named like `versions`, under the lock."""
        with self.hold(), self._db.transaction(exclusive=True) as tx:
            tx.empty(list(tables))
            forget_versions(tx, versions)

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Hold the projection's lock (waiting for a batch being applied to commit)."""
        with self._locks.hold(self._lock, blocking=True):
            yield

    def step(self, *, blocking: bool = False, limit: int | None = None) -> int | None:
        """Apply the next batch (`limit` events at most); return the new position.

        Returns None at once, applying nothing, while another thread or process applies.
        """
        limit = limit or self.batch
        with self._locks.hold(self._lock, blocking=blocking) as held:
            if not held:
                return None
            # Only the lock's holder moves the position: it stays as read until the commit.
            position, latest = self.position(), self.latest()
            if position >= latest:
                return position
            notifications = self._select(position, limit, latest, self._topics)
            if self._effects is not None:
                self._effects(notifications)
            with self._db.transaction(exclusive=True) as tx:
                self._apply(tx, notifications)
                # Fewer than a batch: every notification up to `latest` has been seen.
                full = len(notifications) == limit
                position = notifications[-1].id if full else latest
                set_position(tx, self.name, position)
        self.applied.set()
        return position

    def wait_for(self, target: int, timeout: float) -> int:
        """Wait until the tables reach `target` or `timeout` seconds pass; return the position.

        Without a follower in this process the reader applies batches itself; with one it
        only looks, so that its wait ends on time rather than after a batch of its own.
        """
        deadline = time.monotonic() + timeout
        position = self.position()
        while position < target and time.monotonic() < deadline:
            stepped = None if self.followed else self.step(blocking=False)
            if stepped is None:
                time.sleep(0.02 if self.followed else 0.005)
                position = self.position()
            else:
                position = stepped
        return position

    def run_to_end(
        self, progress: Callable[[int], None] | None = None, *, batch: int | None = None
    ) -> int:
        """Apply batches (of `batch` events) until the end of the log; return the position."""
        target = self.latest()
        position = self.position()
        while position < target:
            stepped = self.step(blocking=True, limit=batch)
            position = self.position() if stepped is None else stepped
            if progress is not None:
                progress(position)
        return position


class Follower:
    """A daemon thread that keeps one projector current while the process serves requests."""

    def __init__(
        self,
        projector: Projector,
        *,
        idle: float = 0.2,
        batch: int | None = None,
        gather: float = GATHER_SECONDS,
    ) -> None:
        self._projector = projector
        self._idle = idle
        self._gather = gather
        self._batch = batch
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._guard = threading.Lock()
        self._reached = 0
        """The position this follower's last batch reached (or found)."""

    def start(self) -> None:
        """Start following (once per process; again after a fork)."""
        with self._guard:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stop.clear()
            self._projector.followed = True
            self._thread = threading.Thread(
                target=self._run, name=f"follow {self._projector.name}", daemon=True
            )
            self._thread.start()

    def wake(self) -> None:
        """Ask for a batch now (e.g. after this process wrote)."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop following and wait for the current batch to commit."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._projector.followed = False

    def _run(self) -> None:
        last = 0.0
        while not self._stop.is_set():
            # At most one batch per `gather` seconds: under load the writes of that while
            # are applied together, instead of a batch (and its lock) for each write.
            pause = last + self._gather - time.monotonic()
            if pause > 0:
                self._stop.wait(pause)
            last = time.monotonic()
            try:
                busy = self._follow_once()
            except Exception:
                log.exception("read-model follower: a batch failed; trying again shortly")
                busy = False
            if not busy:
                self._wake.wait(self._idle)
                self._wake.clear()

    def _follow_once(self) -> bool:
        """Apply one batch if there is one; tell whether more work may be waiting."""
        after = self._projector.step(blocking=False, limit=self._batch)
        if after is None:
            return False
        moved, self._reached = after > self._reached, after
        return moved


def position_of(tx: Transaction, name: str) -> int | None:
    """Return the position projection `name` committed at, or None if it never did."""
    row = tx.execute("SELECT position FROM rm_positions WHERE name = ?", (name,)).one()
    return None if row is None else int(row[0])


def recorded_versions(tx: Transaction, versions: str) -> set[str]:
    """Return the names of the projections named like `versions` that recorded a position."""
    rows = tx.execute("SELECT name FROM rm_positions WHERE name LIKE ?", (versions,)).all()
    return {str(row[0]) for row in rows}


def forget_versions(tx: Transaction, versions: str) -> None:
    """Drop the positions of the projections named like `versions` (e.g. `read_model:%`)."""
    tx.execute("DELETE FROM rm_positions WHERE name LIKE ?", (versions,))


def set_position(tx: Transaction, name: str, position: int) -> None:
    """Record in `tx` that projection `name` has applied everything up to `position`."""
    tx.execute(
        "INSERT INTO rm_positions (name, position) VALUES (?, ?) "
        "ON CONFLICT (name) DO UPDATE SET position = excluded.position",
        (name, position),
    )
