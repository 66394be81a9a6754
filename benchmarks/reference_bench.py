"""The minimal scan reference beside the product: its store, its seeding and its gunicorn.

The reference (`minimal_app.py`, `minimal_seed.py` in the --reference folder, outside the
repository) runs on the same store kind as the product: an SQLite file, or its own
PostgreSQL database `bench_minimal_<hex>`, created here and dropped after unless kept.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from common import POSTGRES_URL
from wrk_runs import gunicorn

REFERENCE_FILES = ("scan.lua", "minimal_app.py")
# What minimal_seed.py does (one Registration a badge, its signed token a line), saved 1,000
# aggregates a time rather than one: the same store, seeded 100,000 badges in seconds.
SEED_IN_BATCHES = """
import sys
import minimal_app
app = minimal_app.Regs(env=minimal_app.store_env())
count, tokens = int(sys.argv[1]), []
for first in range(0, count, 1000):
    last = min(first + 1000, count)
    batch = [minimal_app.Registration(name=f"guest {i}") for i in range(first, last)]
    app.save(*batch)
    tokens += [minimal_app.sign(r.id) for r in batch]
with open(sys.argv[2], "w") as out:
    out.write("\\n".join(tokens) + "\\n")
"""


@dataclass
class Reference:
    """A seeded reference store: its MINIMAL_* environment, its badge tokens, badges used."""

    kind: str
    env: dict[str, str]
    tokens: str
    used: int
    seconds: float

    @property
    def database(self) -> str | None:
        """Return the PostgreSQL database's name, None on SQLite."""
        return self.env.get("MINIMAL_PG_DBNAME")


def missing_files(folder: Path) -> list[str]:
    """Return the reference files absent from `folder`."""
    return [name for name in REFERENCE_FILES if not (folder / name).is_file()]


def _postgres(statement: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(statement)  # type: ignore[arg-type]


def _store_env(kind: str, workdir: Path) -> dict[str, str]:
    name = f"bench_minimal_{uuid.uuid4().hex[:10]}"
    if kind == "sqlite":
        return {"MINIMAL_DB": str(workdir / f"{name}.db")}
    from psycopg.conninfo import conninfo_to_dict

    info = conninfo_to_dict(POSTGRES_URL)
    _postgres(f'CREATE DATABASE "{name}"')
    return {
        "MINIMAL_PG_DBNAME": name,
        "MINIMAL_PG_HOST": str(info.get("host", "127.0.0.1")),
        "MINIMAL_PG_USER": str(info.get("user", "postgres")),
        "MINIMAL_PG_PASSWORD": str(info.get("password", "")),
    }


def seed_reference(
    folder: Path, kind: str, count: int, workdir: Path, keep: Path | None
) -> Reference:
    """Seed the reference with `count` badges, or reuse the one kept in `keep`."""
    saved = keep / f"reference-{kind}-{count}.json" if keep else None
    if saved and saved.exists():
        reference = Reference(**json.loads(saved.read_text()))
        print(f"{kind}: reusing the reference store, {reference.used} of {count} badges used")
        return reference
    where = keep or workdir
    started = time.perf_counter()
    env = _store_env(kind, where)
    tokens = where / f"reference-{kind}-{uuid.uuid4().hex[:6]}.tokens"
    subprocess.run(
        [sys.executable, "-c", SEED_IN_BATCHES, str(count), str(tokens)],
        cwd=folder,
        env={**os.environ, **env},
        check=True,
    )
    reference = Reference(kind, env, str(tokens), 0, time.perf_counter() - started)
    print(f"{kind}: seeded the reference with {count} badges in {reference.seconds:.1f} s")
    save_reference(reference, saved)
    return reference


def save_reference(reference: Reference, saved: Path | None) -> None:
    """Write what a later run needs to reuse the reference store (with --keep)."""
    if saved:
        saved.write_text(json.dumps(asdict(reference)))


def drop_reference(reference: Reference) -> None:
    """Drop the reference's PostgreSQL database (its SQLite file goes with the workdir)."""
    if reference.database:
        _postgres(f'DROP DATABASE IF EXISTS "{reference.database}" WITH (FORCE)')


def reference_command(folder: Path, workers: int, port: int, log: Path) -> list[str]:
    """Return the gunicorn command line of the reference (sync workers)."""
    return [*gunicorn(workers, port, log), "--chdir", str(folder), "minimal_app:app"]
