"""Many-row inserts on PostgreSQL through COPY: the rows staged in a temporary table, then inserted.

Passing thousands of rows as one array per column costs psycopg a Python quoting check
per value (most of a rebuild's client time on PostgreSQL); COPY formats them in C. The
rows go into a temporary table shaped like the target's columns, and one
`INSERT ... SELECT` moves them with the statement's own `ON CONFLICT` clause, so the
result is the one the statement gives. Worth it from a few hundred rows on.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Any

COPY_ROWS = 500
"""Rows from which an insert is staged through COPY rather than sent as arrays."""
_HEAD = re.compile(r"^\s*INSERT INTO (\w+) \(([\w\s,]+)\)\s*$", re.IGNORECASE)


def staged_insert(cursor: Any, head: str, rest: str, rows: Sequence[Sequence[Any]]) -> bool:
    """Insert `rows` as `head VALUES (...) rest` would, through COPY.

    Returns False, inserting nothing, if `head` is not a plain `INSERT INTO table (columns)`.
    """
    match = _HEAD.match(head)
    if match is None:
        return False
    table, columns = match.group(1), ", ".join(c.strip() for c in match.group(2).split(","))
    stage = f"stage_{table}_{hashlib.blake2b(columns.encode(), digest_size=4).hexdigest()}"
    shape = f"SELECT {columns} FROM {table} WITH NO DATA"  # noqa: S608 (the statement's names)
    cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {stage} ON COMMIT DELETE ROWS AS {shape}")
    with cursor.copy(f"COPY {stage} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {stage}{rest}")  # noqa: S608
    cursor.execute(f"TRUNCATE {stage}")
    return True
