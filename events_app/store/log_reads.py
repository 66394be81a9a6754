"""Reading the notification log in batches with one plain SELECT, on SQLite or PostgreSQL.

eventsourcing's `select_notifications` makes a UUID of every row's originator id and, on
PostgreSQL, a dict of every row: at a rebuild's million events, a good part of its time.
This reader asks for the same rows (same order, same filters, same limit), as tuples, and
leaves the ids of the `plain` topics (those a projection reads without decoding the
event, like scans) as strings in their usual form; the others get their UUID, as the
mapper expects.

On PostgreSQL the read walks the log's index in order and stops at the limit. Left to
choose (its statistics lagging behind a freshly filled log), the planner fetched and
sorted every event from the start to the end of the log to return the first batch of
them: 1.2 s per batch, 36 s of a 1M-event rebuild.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

Select = Callable[[int, int, int, Sequence[str]], Sequence[Notification]]
"""(after, limit, up to, topics) -> at most `limit` notifications, oldest first."""
IN_ORDER = "SELECT " + ", ".join(
    f"set_config('{setting}', 'off', true)"
    for setting in ("enable_sort", "enable_bitmapscan", "enable_seqscan", "jit")
)
"""Turns the planner's sorts and bitmap scans off for the rest of a read's transaction."""


def recorder_reader(recorder: Any) -> Select:
    """Return the function that reads the log with eventsourcing's `select_notifications`."""
    return lambda start, limit, stop, topics: recorder.select_notifications(
        start=start, limit=limit, stop=stop, topics=topics, inclusive_of_start=False
    )


def log_reader(recorder: Any, plain: Collection[str] = ()) -> Select:
    """Return the function that reads `recorder`'s log (its own for an in-memory store)."""
    if isinstance(recorder, SQLiteApplicationRecorder):
        return lambda start, limit, stop, topics: _sqlite(
            recorder, start, limit, stop, topics, plain
        )
    if isinstance(recorder, PostgresApplicationRecorder):
        return lambda start, limit, stop, topics: _postgres(
            recorder, start, limit, stop, topics, plain
        )
    return recorder_reader(recorder)


def _sqlite(
    recorder: SQLiteApplicationRecorder,
    start: int,
    limit: int,
    stop: int,
    topics: Sequence[str],
    plain: Collection[str],
) -> list[Notification]:
    wanted = f" AND topic IN ({', '.join('?' * len(topics))})" if topics else ""
    statement = (
        "SELECT rowid, originator_id, originator_version, topic, state "  # noqa: S608
        f"FROM {recorder.events_table_name} WHERE rowid > ? AND rowid <= ?{wanted} "
        "ORDER BY rowid LIMIT ?"
    )
    with recorder.datastore.get_connection(commit=False) as connection:
        cursor = connection.cursor()
        cursor.execute(statement, [start, stop, *topics, limit])
        rows = cursor.fetchall()
    convert = recorder.convert_originator_id
    return [
        Notification(
            id=row[0],
            originator_id=_dashed(row[1]) if row[3] in plain else convert(row[1]),
            originator_version=row[2],
            topic=row[3],
            state=row[4],
        )
        for row in rows
    ]


def _postgres(
    recorder: PostgresApplicationRecorder,
    start: int,
    limit: int,
    stop: int,
    topics: Sequence[str],
    plain: Collection[str],
) -> list[Notification]:
    wanted = SQL(" AND topic = ANY(%s)") if topics else SQL("")
    statement = SQL(
        "SELECT notification_id, originator_id::text, originator_version, topic, state "
        "FROM {schema}.{table} WHERE notification_id > %s AND notification_id <= %s{wanted} "
        "ORDER BY notification_id LIMIT %s"
    ).format(
        schema=Identifier(recorder.datastore.schema),
        table=Identifier(recorder.events_table_name),
        wanted=wanted,
    )
    params = [start, stop, *([list(topics)] if topics else []), limit]
    connection = recorder.datastore.get_connection()
    with connection as conn, conn.transaction(), conn.cursor(row_factory=tuple_row) as cursor:
        cursor.execute(IN_ORDER)
        cursor.execute(statement, params, prepare=True, binary=True)  # bytea not as hex
        rows = cursor.fetchall()
    return [
        Notification(
            id=row[0],
            originator_id=row[1] if row[3] in plain else UUID(row[1]),
            originator_version=row[2],
            topic=row[3],
            state=bytes(row[4]),
        )
        for row in rows
    ]


def _dashed(value: str) -> str:
    """Return a stored id (32 hex digits, or already dashed) as `str(UUID)` gives it."""
    if len(value) != 32:
        return str(UUID(value))
    return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"
