"""Saves an event mix's domain events in chunks: mapped here, inserted by a writer thread.

A chunk goes through the application's own mapper (`app.mapper.to_stored_event`) and then
one atomic `insert_events` of its recorder: what `Application.save` does with the events
it collects, less its check of each event against the domain-event protocol (a tenth of
the time) and its snapshotting (the caller takes one snapshot of the guest list). The
insert runs on a thread, so the database's work overlaps the making of the next chunk.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import StoredEvent

from events_app.services.box_office import BoxOffice


class Writer:
    """Collects domain events in order and saves them `chunk` at a time, in that order."""

    def __init__(
        self,
        app: BoxOffice,
        chunk: int,
        progress: Callable[[int], None] | None = None,
        *,
        background: bool = True,
    ) -> None:
        self._map = app.mapper.to_stored_event
        self._recorder = app.recorder
        self._chunk, self._progress = max(1, chunk), progress
        self._pending: list[Any] = []
        self._queue: queue.Queue[list[StoredEvent] | None] = queue.Queue(maxsize=2)
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        if background:
            self._thread = threading.Thread(target=self._run, name="event-mix-writer")
            self._thread.start()
        self.written = 0

    def add(self, domain_events: list[Any]) -> None:
        """Queue domain events already collected from their aggregates (and empty the list)."""
        self._pending.extend(domain_events)
        domain_events.clear()
        if len(self._pending) >= self._chunk:
            self.flush()

    def emit(self, *aggregates: Aggregate) -> None:
        """Queue the new events of aggregates, in this order."""
        for aggregate in aggregates:
            self._pending.extend(aggregate.collect_events())
        if len(self._pending) >= self._chunk:
            self.flush()

    def flush(self) -> None:
        """Map what is queued and hand it to the writer, to be inserted in one write."""
        self._raise()
        if not self._pending:
            return
        stored = [self._map(domain_event) for domain_event in self._pending]
        self._pending = []
        if self._thread is None:
            self._insert(stored)
        else:
            self._queue.put(stored)

    def sync(self) -> None:
        """Return when everything queued so far is in the store."""
        self.flush()
        if self._thread is not None:
            self._queue.join()
        self._raise()

    def close(self) -> None:
        """Write what is left and stop the writer thread."""
        try:
            self.sync()
        finally:
            if self._thread is not None:
                self._queue.put(None)
                self._thread.join()
                self._thread = None

    def abort(self) -> None:
        """Drop what is not yet handed to the writer and stop it (after a failure)."""
        self._pending = []
        if self._thread is not None:
            self._error = self._error or RuntimeError("aborted")  # skip what is queued
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def _insert(self, stored: list[StoredEvent]) -> None:
        self._recorder.insert_events(stored)
        self.written += len(stored)
        if self._progress is not None:
            self._progress(self.written)

    def _run(self) -> None:
        while True:
            stored = self._queue.get()
            try:
                if stored is None:
                    return
                if self._error is None:
                    self._insert(stored)
            except BaseException as error:  # handed to the caller's next flush
                self._error = error
            finally:
                self._queue.task_done()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error
