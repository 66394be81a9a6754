"""DATABASE_URL parsing and the SQLite commit durability it selects."""

from __future__ import annotations

import sqlite3

import pytest

from events_app.config import system_clock
from events_app.services.box_office import BoxOffice
from events_app.store.storage import StorageConfigError, parse_database_url

SYNCHRONOUS_NAMES = {1: "NORMAL", 2: "FULL", 3: "EXTRA"}


def test_sqlite_defaults_to_normal_and_accepts_full() -> None:
    assert parse_database_url("sqlite:////tmp/x.db", ".").sqlite_synchronous == "NORMAL"
    full = parse_database_url("sqlite:////tmp/x.db?synchronous=full", ".")
    assert full.sqlite_path == "/tmp/x.db"
    assert full.eventsourcing_env()["SQLITE_SYNCHRONOUS"] == "FULL"


def test_an_unknown_synchronous_level_is_refused() -> None:
    with pytest.raises(StorageConfigError, match="synchronous"):
        parse_database_url("sqlite:////tmp/x.db?synchronous=off", ".")


@pytest.mark.parametrize("level", ["NORMAL", "FULL"])
def test_the_store_connections_use_the_level(tmp_path, level: str) -> None:
    url = f"sqlite:///{tmp_path / 'events.sqlite'}?synchronous={level.lower()}"
    env = parse_database_url(url, str(tmp_path)).eventsourcing_env()
    app = BoxOffice(env=env, clock=system_clock)
    try:
        datastore = app.factory.datastore  # type: ignore[attr-defined]
        with datastore.transaction(commit=False) as cursor:
            cursor.execute("PRAGMA synchronous")
            assert SYNCHRONOUS_NAMES[cursor.fetchone()[0]] == level
    finally:
        app.close()
    with sqlite3.connect(tmp_path / "events.sqlite") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
