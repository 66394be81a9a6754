"""The guest list's search: names, e-mail and organisation folded into one script and case.

A registration's `search_text` is its searched fields joined and folded by
`search_key` (lower case, Traditional → Simplified); a query is folded the same way, so
黄秉 finds 黃秉修, 黃偉 finds 黄伟 and 香港科技园 finds 香港科技園.

On PostgreSQL `search_text` has a pg_trgm GIN index (when the extension is there or may
be created), which serves `LIKE '%...%'` for queries of three characters or more. A
shorter query (a Chinese surname, a two-character name) has no trigram to look up: the
index would be read whole, slower than reading the table, so such a query is written as
an expression the index does not serve. SQLite reads the table (see
benchmarks/bench_search.py for both at 50,000 guests).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from events_app.languages.scripts import search_key
from events_app.store.sql import PostgresTransaction, Transaction

SEARCHED = ("full_name", "name_zh", "email", "organisation", "job_title")
"""The registration fields a search looks in."""
TRIGRAMS = 3
"""The shortest folded query the trigram index serves."""
OPCLASS = (
    "SELECT n.nspname FROM pg_opclass c JOIN pg_namespace n ON n.oid = c.opcnamespace "
    "WHERE c.opcname = 'gin_trgm_ops'"
)


def search_text(values: Iterable[Any]) -> str:
    """Return the searched values joined and folded for search."""
    return search_key(" ".join(str(value) for value in values))


def details_text(details: Mapping[str, Any]) -> str:
    """Return the search text of a registration's details."""
    return search_text(details.get(key, "") for key in SEARCHED)


def escape_like(text: str) -> str:
    """Return `text` with LIKE's wildcards escaped by a backslash (see the ESCAPE clause)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_clause(column: str, text: str) -> tuple[str, str]:
    """Return the condition that `column` holds the folded `text`, and its parameter."""
    key = search_key(text.strip())
    searched = column if len(key) >= TRIGRAMS else f"({column} || '')"
    return f"{searched} LIKE ? ESCAPE '\\'", f"%{escape_like(key)}%"


def create_search_index(tx: Transaction) -> bool:
    """On PostgreSQL, index `search_text` by trigrams if pg_trgm can be had; tell if it is."""
    if not isinstance(tx, PostgresTransaction):
        return False
    found = tx.execute(OPCLASS).one()
    if found is None:
        found = _create_extension(tx)
    if found is None:
        return False
    tx.execute(
        "CREATE INDEX IF NOT EXISTS rm_registrations_trigrams ON rm_registrations "
        f'USING gin (search_text "{found[0]}".gin_trgm_ops)'
    )
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
