"""Reading the newest events of several aggregates in one statement, on SQLite or PostgreSQL.

A scan needs its gathering, the guest's registration and the guest's attendance, each as
the store has it now. Asked one by one, that is three queries (and on SQLite three
transactions); asked together it is one indexed query: each aggregate's events after a
version, or all of them. eventsourcing's recorders have no such call, so this module
speaks to their datastores directly, with their own table names and row conversions.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder
from eventsourcing.sqlite import SQLiteAggregateRecorder
from psycopg.sql import SQL, Identifier

Wanted = tuple[UUID, int | None]
"""An aggregate's id and the version after which its events are wanted (None: all)."""


def select_after(recorder: Any, wanted: Sequence[Wanted]) -> dict[UUID, list[StoredEvent]]:
    """Return each wanted aggregate's events after its version, oldest first, by id."""
    found: dict[UUID, list[StoredEvent]] = {aggregate_id: [] for aggregate_id, _ in wanted}
    if isinstance(recorder, SQLiteAggregateRecorder):
        rows = _sqlite_rows(recorder, wanted)
    elif isinstance(recorder, PostgresAggregateRecorder):
        rows = _postgres_rows(recorder, wanted)
    else:  # the in-memory store of unit tests: one call per aggregate is as fast
        for aggregate_id, after in wanted:
            found[aggregate_id] = list(recorder.select_events(aggregate_id, gt=after))
        return found
    for originator_id, version, topic, state in rows:
        found[originator_id].append(StoredEvent(originator_id, version, topic, state))
    return found


def _sqlite_rows(recorder: SQLiteAggregateRecorder, wanted: Sequence[Wanted]) -> list[Any]:
    """Return (id, version, topic, state) rows: one SELECT, outside an explicit transaction.

    In WAL mode a single SELECT reads one consistent snapshot by itself, so the BEGIN and
    ROLLBACK that eventsourcing wraps around each of its reads are not needed.
    """
    clauses, params = [], []
    for aggregate_id, after in wanted:
        clauses.append("(originator_id=? AND originator_version>?)")
        params += [aggregate_id.hex, -1 if after is None else after]
    statement = (
        f"SELECT originator_id, originator_version, topic, state "  # noqa: S608 (own names)
        f"FROM {recorder.events_table_name} WHERE {' OR '.join(clauses)} "
        "ORDER BY originator_id, originator_version"
    )
    with recorder.datastore.get_connection(commit=False) as connection:
        cursor = connection.cursor()
        cursor.execute(statement, params)
        rows = cursor.fetchall()
    convert = recorder.convert_originator_id
    return [(convert(row[0]), row[1], row[2], row[3]) for row in rows]


@functools.lru_cache(maxsize=64)
def _postgres_statement(schema: str, table: str, count: int) -> SQL:
    """Return the SELECT of `count` aggregates' newest events, as text composed once."""
    clause = SQL("(originator_id = %s AND originator_version > %s)")
    return SQL(
        SQL(
            "SELECT originator_id, originator_version, topic, state FROM {schema}.{table} "
            "WHERE {clauses} ORDER BY originator_id, originator_version"
        )
        .format(
            schema=Identifier(schema),
            table=Identifier(table),
            clauses=SQL(" OR ").join([clause] * count),
        )
        .as_string()
    )


def _postgres_rows(recorder: PostgresAggregateRecorder, wanted: Sequence[Wanted]) -> list[Any]:
    """Return (id, version, topic, state) rows of one prepared SELECT on PostgreSQL."""
    statement = _postgres_statement(
        recorder.datastore.schema, recorder.events_table_name, len(wanted)
    )
    params: list[Any] = []
    for aggregate_id, after in wanted:
        params += [aggregate_id, -1 if after is None else after]
    with recorder.datastore.get_connection() as connection, connection.cursor() as cursor:
        cursor.execute(statement, params, prepare=True)
        rows = cursor.fetchall()
    return [
        (row["originator_id"], row["originator_version"], row["topic"], bytes(row["state"]))
        for row in rows
    ]
