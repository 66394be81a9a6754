"""SQLite writers wait their turn in the kernel's queue, not in SQLite's sleeping busy handler.

While the test holds the turn, a save of the event store and a read-model batch's
transaction both wait, and each goes on as soon as the turn is released; reads do not wait.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.domain import Aggregate

from events_app.config import system_clock
from events_app.context import open_services
from events_app.store.write_queue import turn

HELD = 0.3
"""Seconds the test holds the turn."""


class Thing(Aggregate):
    """An aggregate to save."""

    def __init__(self, n: int) -> None:
        self.n = n


@pytest.fixture
def services(tmp_path: Path) -> Any:
    opened = open_services(f"sqlite:///{tmp_path / 'events.sqlite'}", str(tmp_path), system_clock)
    yield opened
    opened.close()


def waited(path: str, write: Any) -> float:
    """Hold the turn for HELD seconds while `write` runs in a thread; return how long it took."""
    done: list[float] = []
    with turn(path):
        started = time.monotonic()
        writer = threading.Thread(target=lambda: (write(), done.append(time.monotonic())))
        writer.start()
        time.sleep(HELD)
        assert not done, "the write did not wait for its turn"
    writer.join(5)
    assert done, "the write did not go on when its turn came"
    return done[0] - started


def test_a_save_waits_for_its_turn(services: Any, tmp_path: Path) -> None:
    app = services.box_office
    app.save(Thing(0))
    took = waited(str(tmp_path / "events.sqlite"), lambda: app.save(Thing(1)))
    assert HELD <= took < HELD + 1.0


def test_a_read_model_batch_waits_for_its_turn(services: Any, tmp_path: Path) -> None:
    database = services.database

    def write() -> None:
        with database.transaction(exclusive=True) as tx:
            tx.execute("CREATE TABLE IF NOT EXISTS queued (n INTEGER)")

    took = waited(str(tmp_path / "events.sqlite"), write)
    assert HELD <= took < HELD + 1.0


def test_reads_do_not_wait(services: Any, tmp_path: Path) -> None:
    app = services.box_office
    thing = Thing(0)
    app.save(thing)
    with turn(str(tmp_path / "events.sqlite")):
        started = time.monotonic()
        assert app.repository.get(thing.id).n == 0
        with services.database.transaction() as tx:
            tx.execute("SELECT 1").one()
        assert time.monotonic() - started < HELD


def test_a_write_inside_a_write_does_not_wait_for_itself(services: Any, tmp_path: Path) -> None:
    app = services.box_office
    with turn(str(tmp_path / "events.sqlite")):
        started = time.monotonic()
        app.save(Thing(1))  # the thread's own turn: SQLite's lock is free, it goes on
        assert time.monotonic() - started < HELD
