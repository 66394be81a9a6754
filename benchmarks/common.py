"""What the benchmarks share: the PostgreSQL they use and how they summarise latencies."""

from __future__ import annotations

import os

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REGISTER_BODY = (
    '{"full_name":"Bench Guest {nonce}","name_zh":"黃秉修","email":"r{nonce}@example.org",'
    '"organisation":"Hong Kong Science Park","job_title":"Director","phone":"+852 6234 9817",'
    '"consent":true,"category":"guest"}'
)
"""wrk_post.lua's body of a public registration, each with an e-mail of its own ({nonce})."""


def percentile(values: list[float], p: float) -> float:
    """Return the p-th percentile (nearest rank) of values, NaN when there are none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def postgres_reachable() -> str | None:
    """Return None when PostgreSQL answers at POSTGRES_URL, else why it does not."""
    try:
        import psycopg

        with psycopg.connect(POSTGRES_URL, connect_timeout=3):
            return None
    except Exception as error:
        return str(error).strip().splitlines()[0]


def drop_schema(schema: str) -> None:
    """Drop a PostgreSQL schema and everything in it."""
    import psycopg

    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
