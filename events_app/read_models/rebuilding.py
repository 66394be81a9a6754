"""Filling the read-model tables from scratch faster: their secondary indexes made once, at the end.

While a rebuild projects the whole log, every scan inserted would also be inserted into each
of `rm_scans`' indexes, at a random place (UUID keys): most of the work of a rebuild on
either database. The indexes are dropped once the tables are emptied and created again
when the log has been applied, in one sorted pass each. Queries answered meanwhile are
the same, only slower (the tables are being refilled anyway); the primary keys the
projection itself looks rows up by stay. A rebuild interrupted still creates them (and
any process starting creates what is missing, `CREATE INDEX IF NOT EXISTS`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from events_app.read_models.projector import Projector
from events_app.store.sql import Database

_INDEX = re.compile(r"^\s*CREATE INDEX IF NOT EXISTS (\w+)\s", re.IGNORECASE)


def secondary_indexes(schema: Iterable[str]) -> dict[str, str]:
    """Return the statements of `schema` that create an index, by the index's name."""
    found = ((_INDEX.match(statement), statement) for statement in schema)
    return {match.group(1): statement for match, statement in found if match}


@contextmanager
def indexes_deferred(
    projector: Projector, database: Database, indexes: dict[str, str]
) -> Iterator[None]:
    """Drop `indexes` (name -> statement) for the time of the block, then create them again.

    Both happen under the projection's lock, between batches, so that no batch of a
    serving process runs against a table being re-indexed.
    """
    with projector.hold(), database.transaction(exclusive=True) as tx:
        for name in indexes:
            tx.execute(f"DROP INDEX IF EXISTS {name}")
    try:
        yield
    finally:
        with projector.hold(), database.transaction(exclusive=True) as tx:
            for statement in indexes.values():
                tx.execute(statement)
