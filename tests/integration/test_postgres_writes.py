"""PostgreSQL inserts release the events table's lock before they wait for the disk.

FlushedPostgresRecorder commits an insert without waiting for the flush, then waits for
it with a small synchronous write of its own. Here that write is held up (a test
connection locks its table): meanwhile the insert is committed and visible, another
writer takes the events table's lock and saves, and the first save has not returned.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import psycopg
import pytest
from eventsourcing.domain import Aggregate

from events_app.config import system_clock
from events_app.store.application import EventSourcedApplication
from events_app.store.postgres_writes import FLUSHES_TABLE, FlushedPostgresRecorder
from events_app.store.storage import parse_database_url
from tests.conftest import POSTGRES_URL

pytestmark = pytest.mark.postgres
WAIT = 10.0


class Thing(Aggregate):
    """An aggregate to save."""

    def __init__(self, n: int) -> None:
        self.n = n


@pytest.fixture
def app(postgres_url: str) -> Any:
    store = parse_database_url(postgres_url, ".")
    application = EventSourcedApplication(store.eventsourcing_env(), system_clock)
    yield application
    application.close()


def test_the_store_uses_the_flushed_recorder(app: Any, postgres_url: str) -> None:
    assert isinstance(app.recorder, FlushedPostgresRecorder)
    app.save(Thing(1))
    app.save(Thing(2))
    schema = parse_database_url(postgres_url, ".").schema
    with psycopg.connect(POSTGRES_URL) as connection:
        (flushes,) = connection.execute(
            f'SELECT SUM(flushes) FROM "{schema}".{FLUSHES_TABLE}'
        ).fetchone()  # type: ignore[misc]
    assert flushes == 2


def test_the_lock_is_free_while_an_insert_waits_for_its_flush(app: Any, postgres_url: str) -> None:
    schema = parse_database_url(postgres_url, ".").schema
    app.save(Thing(0))  # the tables exist, and the flush row of a pooled connection
    first = Thing(1)
    returned = threading.Event()
    other = EventSourcedApplication(  # opened before the flush table is locked
        parse_database_url(postgres_url, ".").eventsourcing_env(), system_clock
    )
    try:
        with psycopg.connect(POSTGRES_URL) as blocker:
            blocker.execute(f'LOCK TABLE "{schema}".{FLUSHES_TABLE} IN EXCLUSIVE MODE')
            saver = threading.Thread(target=lambda: (app.save(first), returned.set()))
            saver.start()
            try:
                assert _committed(app, postgres_url, first.id), (
                    "the insert was not committed before its flush"
                )
                started = time.monotonic()
                inserted = threading.Thread(target=_insert_only, args=(other, Thing(2)))
                inserted.start()
                inserted.join(WAIT)
                assert not inserted.is_alive(), "the events table stayed locked during the flush"
                assert time.monotonic() - started < WAIT
                assert not returned.is_set(), "save returned before its commit was flushed"
            finally:
                blocker.rollback()
                saver.join(WAIT)
    finally:
        other.close()
    assert returned.is_set()


def _insert_only(app: Any, aggregate: Aggregate) -> None:
    """Insert an aggregate's events taking the events table's lock, without the flush."""
    stored = [app.mapper.to_stored_event(e) for e in aggregate.collect_events()]
    super(FlushedPostgresRecorder, app.recorder).insert_events(stored)


def _committed(app: Any, postgres_url: str, aggregate_id: Any) -> bool:
    """Wait until another connection sees the aggregate's first event; tell whether it did."""
    schema = parse_database_url(postgres_url, ".").schema
    deadline = time.monotonic() + WAIT
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        while time.monotonic() < deadline:
            row = connection.execute(
                f'SELECT 1 FROM "{schema}"."{app.recorder.events_table_name}" '
                "WHERE originator_id = %s",
                (aggregate_id,),
            ).fetchone()
            if row is not None:
                return True
            time.sleep(0.01)
    return False


def test_the_insert_commits_without_waiting_for_the_disk(app: Any) -> None:
    with app.recorder.datastore.transaction(commit=False) as cursor:
        app.recorder._insert_events(cursor, [])
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()["synchronous_commit"] == "off"
    with app.recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute("SHOW synchronous_commit")  # SET LOCAL: the next one waits again
        assert cursor.fetchone()["synchronous_commit"] == "on"


def test_the_rows_of_ended_server_processes_go_when_a_process_opens_the_store(
    app: Any, postgres_url: str
) -> None:
    app.save(Thing(1))
    table = f'"{parse_database_url(postgres_url, ".").schema}".{FLUSHES_TABLE}'
    with psycopg.connect(POSTGRES_URL) as connection:
        connection.execute(f"INSERT INTO {table} (pid, flushes) VALUES (-1, 5)")
    other = EventSourcedApplication(
        parse_database_url(postgres_url, ".").eventsourcing_env(), system_clock
    )
    other.close()
    with psycopg.connect(POSTGRES_URL) as connection:
        pids = [row[0] for row in connection.execute(f"SELECT pid FROM {table}")]
    assert -1 not in pids
    assert len(pids) == 1  # the live connection's row stays
