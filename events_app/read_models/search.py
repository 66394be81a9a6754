"""The guest list's search: names, e-mail and organisation folded into one script and case.

A registration's `search_text` is its searched fields joined and folded by
`search_key` (lower case, Traditional → Simplified); a query is folded the same way, so
黄秉 finds 黃秉修, 黃偉 finds 黄伟 and 香港科技园 finds 香港科技園. Every search is
`search_text LIKE '%...%'`: an index only narrows the rows it is tried on.

On PostgreSQL `search_text` has a pg_trgm GIN index (when the extension is there or may
be created), which serves that LIKE for queries of three characters or more. On SQLite,
`rm_registrations_search` is an FTS5 table with the trigram tokenizer (SQLite 3.34 or
later; without it searches read the table, and the log says so) of each registration's
id and `search_text`, kept in step by triggers and emptied with the read model. A query
of three characters or more is looked up there by MATCH, quoted as one FTS5 string, and
the rows found are tried with the same LIKE, so they are exactly the rows a scan finds;
one found in `LOOKUP_LIMIT` rows or more (an organisation, a common word) reads the table,
which is then the faster. A shorter query (a Chinese surname, a two-character name) has
no trigram to look up: any index would be read whole, slower than the table, so such a
query is written as an expression no index serves. At 50,000 guests on SQLite a selective
search takes 0.2–3 ms instead of 30–40 ms (benchmarks/bench_search.py has both stores).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from events_app.languages.scripts import search_key
from events_app.store.sql import PostgresTransaction, Transaction

log = logging.getLogger(__name__)

SEARCHED = ("full_name", "name_zh", "email", "organisation", "job_title")
"""The registration fields a search looks in."""
TRIGRAMS = 3
"""The shortest folded query a trigram index serves."""
PG_TRGM = "pg_trgm"
"""PostgreSQL's trigram index on `search_text` serves the search."""
FTS5 = "fts5"
"""SQLite's FTS5 trigram table (`SEARCH_TABLE`) finds the rows the search tries."""
SEARCH_TABLE = "rm_registrations_search"
LOOKUP_LIMIT = 2_000
"""SQLite: the most rows a query is looked up for in `SEARCH_TABLE`; a query found in more
reads the table (8,458 of 50,000 guests looked up by id took twice as long as the scan)."""
"""SQLite: each registration's id and `search_text`, indexed by trigrams."""
SEARCH_TABLE_SCHEMA = (
    f"CREATE VIRTUAL TABLE {SEARCH_TABLE} USING fts5(id UNINDEXED, search_text, "
    "tokenize = 'trigram')"
)
SEARCH_TRIGGERS = (
    f"""CREATE TRIGGER IF NOT EXISTS rm_registrations_search_added
        AFTER INSERT ON rm_registrations BEGIN
        INSERT INTO {SEARCH_TABLE} (id, search_text) VALUES (new.id, new.search_text); END""",
    f"""CREATE TRIGGER IF NOT EXISTS rm_registrations_search_changed
        AFTER UPDATE OF search_text ON rm_registrations
        WHEN old.search_text IS NOT new.search_text BEGIN
        DELETE FROM {SEARCH_TABLE} WHERE id = old.id;
        INSERT INTO {SEARCH_TABLE} (id, search_text) VALUES (new.id, new.search_text); END""",
)
"""Keep `SEARCH_TABLE` in step with rm_registrations (a correction reads it whole, by id:
about 15 ms at 50,000 guests). Registrations are deleted only all at once, by `forget`,
which empties this table too; a delete trigger would cost that a lookup per row."""
OPCLASS = (
    "SELECT n.nspname FROM pg_opclass c JOIN pg_namespace n ON n.oid = c.opcnamespace "
    "WHERE c.opcname = 'gin_trgm_ops'"
)


@dataclass(frozen=True)
class TextCondition:
    """A search's SQL condition on one registration table, with its parameters."""

    sql: str
    params: list[str]
    looked_up: bool
    """Whether the rows are looked up in `SEARCH_TABLE`: the query should start there."""

    def beside(self, column: str) -> str:
        """Return `column` as another condition of the query names it.

        When the rows are looked up, `+column` keeps SQLite from reading them through an
        index of that column instead (without statistics it takes `gathering_id = ?` for
        a few rows, where it is every row of the gathering).
        """
        return f"+{column}" if self.looked_up else column


def search_text(values: Iterable[Any]) -> str:
    """Return the searched values joined and folded for search."""
    return search_key(" ".join(str(value) for value in values))


def details_text(details: Mapping[str, Any]) -> str:
    """Return the search text of a registration's details."""
    return search_text(details.get(key, "") for key in SEARCHED)


def escape_like(text: str) -> str:
    """Return `text` with LIKE's wildcards escaped by a backslash (see the ESCAPE clause)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def fts_string(text: str) -> str:
    """Return `text` as one FTS5 string (a phrase), so that no character of it is syntax."""
    return '"' + text.replace('"', '""') + '"'


def text_condition(
    tx: Transaction, table: str, text: str, index: str | None = None
) -> TextCondition:
    """Return the condition that `table`'s `search_text` holds the folded `text`.

    `index` is what `create_search_index` made: `FTS5` looks a query of three characters
    or more up in `SEARCH_TABLE` (unless it holds a NUL, which ends SQLite's LIKE pattern
    but not an FTS5 string, or is found there in `LOOKUP_LIMIT` rows or more); the rows
    found are tried with the LIKE a scan would use.
    """
    key = search_key(text.strip())
    column = f"{table}.search_text"
    like = f"{column} LIKE ? ESCAPE '\\'"
    pattern = f"%{escape_like(key)}%"
    if len(key) < TRIGRAMS:
        return TextCondition(f"({column} || '') LIKE ? ESCAPE '\\'", [pattern], False)
    if index != FTS5 or "\x00" in key or _found_in(tx, key) >= LOOKUP_LIMIT:
        return TextCondition(like, [pattern], False)
    lookup = f"{table}.id IN (SELECT id FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH ?)"
    return TextCondition(f"{lookup} AND {like}", [fts_string(key), pattern], True)


def _found_in(tx: Transaction, key: str) -> int:
    """Return in how many rows of `SEARCH_TABLE` `key` is found, counting to `LOOKUP_LIMIT`.

    Only the rowids are read (not the ids): under a millisecond at 50,000 guests.
    """
    row = tx.execute(
        f"SELECT COUNT(*) FROM (SELECT rowid FROM {SEARCH_TABLE} "
        f"WHERE {SEARCH_TABLE} MATCH ? LIMIT ?)",
        (fts_string(key), LOOKUP_LIMIT),
    ).one()
    return int(row[0])  # type: ignore[index]


def forget_erased_text(tx: Transaction) -> None:
    """On SQLite, rewrite the search index whole, so no trigram of an erased guest stays.

    FTS5 deletes a row by writing a marker; the trigrams stay in older index segments
    until they are merged. `optimize` merges them all now (run once per projected batch
    that erased someone). PostgreSQL's trigram index drops dead entries when vacuumed.
    """
    if isinstance(tx, PostgresTransaction):
        return
    if tx.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (SEARCH_TABLE,)).one():
        tx.execute(f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}) VALUES ('optimize')")


def create_search_index(tx: Transaction) -> str | None:
    """Create the index of `search_text` this database can have; return which (None: none)."""
    if not isinstance(tx, PostgresTransaction):
        return FTS5 if _create_search_table(tx) else None
    found = tx.execute(OPCLASS).one()
    if found is None:
        found = _create_extension(tx)
    if found is None:
        return None
    tx.execute(
        "CREATE INDEX IF NOT EXISTS rm_registrations_trigrams ON rm_registrations "
        f'USING gin (search_text "{found[0]}".gin_trgm_ops)'
    )
    return PG_TRGM


def _create_search_table(tx: Transaction) -> bool:
    """On SQLite, create `SEARCH_TABLE` (filled from rm_registrations) and its triggers.

    Tell whether it is there: without FTS5 or its trigram tokenizer, searches read the table.
    """
    made = tx.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (SEARCH_TABLE,)).one()
    if made is None:
        tx.execute("SAVEPOINT search_table")
        try:
            tx.execute(SEARCH_TABLE_SCHEMA)
        except sqlite3.OperationalError as error:
            tx.execute("ROLLBACK TO SAVEPOINT search_table")
            tx.execute("RELEASE SAVEPOINT search_table")
            log.warning(
                "search: SQLite %s has no FTS5 trigram tokenizer (%s); searches read the table",
                sqlite3.sqlite_version,
                error,
            )
            return False
        tx.execute("RELEASE SAVEPOINT search_table")
        tx.execute(
            f"INSERT INTO {SEARCH_TABLE} (id, search_text) "
            "SELECT id, search_text FROM rm_registrations"
        )
    for trigger in SEARCH_TRIGGERS:
        tx.execute(trigger)
    return True


def _create_extension(tx: Transaction) -> tuple[Any, ...] | None:
    """Create pg_trgm in the public schema if this user may; return the opclass's schema."""
    import psycopg

    tx.execute("SAVEPOINT search_index")
    try:
        tx.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
    except psycopg.Error:  # not allowed here (or no public schema): search reads the table
        tx.execute("ROLLBACK TO SAVEPOINT search_index")
        return None
    tx.execute("RELEASE SAVEPOINT search_index")
    return tx.execute(OPCLASS).one()
