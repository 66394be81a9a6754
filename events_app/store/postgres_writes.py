"""PostgreSQL writes that hold the events table's lock for the insert only, not the disk flush.

eventsourcing's recorder takes the events table's EXCLUSIVE lock for each write, so that
notification ids commit in the order they are issued (a reader following the log never
passes a gap that fills in later). The lock lasts until the commit, and a commit waits
for its log record to reach the disk (an fsync, 1.5 to 3 ms here): every writer of every
process queues behind that flush, one at a time, and no two commits share a flush.

This recorder commits the insert with `synchronous_commit = off`: the commit, and with it
the lock, ends as soon as the rows are in the write-ahead log's buffers. Then, outside the
lock, it makes one small write of its own with a synchronous commit (a counter row of
this connection's server process), which returns only once the log up to that record,
and so the insert's commit before it, is on disk. `insert_events` therefore returns, as
before, only once the events are durable; concurrent writers now flush together, and
hold the lock a fraction of the time. A crash between the two commits loses the insert
as if it had been rolled back (PostgreSQL's documented guarantee for asynchronous
commits): its writer never answered, and whatever read it since (a read model) commits
after it in the log, so it cannot have been made durable without it. The counter rows of
server processes that have ended are deleted when a process opens the store.

Its statements are plain text, composed once: eventsourcing keeps them as composed SQL
(identifiers quoted at each execution) and builds its NOTIFY anew for every write.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

FLUSHES_TABLE = "wal_flushes"


def plain(statement: Any) -> SQL:
    """Return a composed statement as plain SQL text, its identifiers quoted once."""
    return SQL(statement.as_string())  # type: ignore[arg-type]


class FlushedPostgresRecorder(PostgresApplicationRecorder):
    """eventsourcing's recorder, whose inserts release the table lock before the flush."""

    def __init__(self, datastore: Any, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        table = SQL("{0}.{1}").format(Identifier(datastore.schema), Identifier(FLUSHES_TABLE))
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {0} (pid integer PRIMARY KEY, flushes bigint NOT NULL)"
            ).format(table)
        )
        self.prune_statement = SQL(
            "DELETE FROM {0} WHERE pid NOT IN (SELECT pid FROM pg_stat_activity)"
        ).format(table)
        self.flush_statement = SQL(
            "INSERT INTO {0} AS f (pid, flushes) VALUES (pg_backend_pid(), 1) "
            "ON CONFLICT (pid) DO UPDATE SET flushes = f.flushes + 1"
        ).format(table)
        self.insert_events_statement = plain(self.insert_events_statement)
        self.lock_table_statements = [plain(q) for q in self.lock_table_statements]
        self.notify_statement = plain(SQL("NOTIFY {0}").format(Identifier(self.channel_name)))
        self.flush_statement = plain(self.flush_statement)

    def _notify_channel(self, curs: Cursor[DictRow]) -> None:
        """Wake the listeners of the events table, with the statement composed once."""
        curs.execute(self.notify_statement)

    def create_table(self) -> None:
        """Create the tables, and drop the flush rows of server processes gone since."""
        super().create_table()
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(self.prune_statement)

    def _insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        """Commit this transaction without waiting for the disk (pipelined with the insert)."""
        curs.execute(SQL("SET LOCAL synchronous_commit = off"), prepare=True)
        super()._insert_events(curs, stored_events, **kwargs)

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """Insert the events, then return once their commit is on disk."""
        notification_ids = super().insert_events(stored_events, **kwargs)
        if stored_events:
            self.flush()
        return notification_ids

    def flush(self) -> None:
        """Wait until the write-ahead log, up to now, is on disk (one synchronous commit)."""
        with self.datastore.get_connection() as connection, connection.cursor() as cursor:
            cursor.execute(self.flush_statement, prepare=True)
