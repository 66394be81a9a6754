"""Profile first scans in one process: statements per scan by kind, and Python time by function.

    python benchmarks/profile_scans.py sqlite -n 2000 --scans 600
    python benchmarks/profile_scans.py postgres -n 2000 --scans 600 --top 40

It seeds a store (scan_seed), defines a checkpoint, and scans each badge once through the
app's test client with a device's token: the whole request, from the rate limiter to the
read models' follower. Statements are counted at the driver (sqlite3's trace callback,
psycopg's cursor execute), normalised so that statements differing only in values count
as one kind. The figures are per scan; cProfile's table is the top of the run by total time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from scan_seed import SECRET_KEY, define_checkpoint, drop_url_schema, seed  # noqa: E402

STATEMENTS: Counter[str] = Counter()
COUNTING = [False]
"""Whether statements are counted now (the timed run goes uncounted)."""
_VALUES = re.compile(r"'[^']*'|\b\d+\b|X'[0-9A-Fa-f]*'|\$\d+")


def _count(statement: str) -> None:
    if not COUNTING[0]:
        return
    STATEMENTS[_VALUES.sub("?", " ".join(statement.split()))[:110]] += 1


def trace_statements() -> None:
    """Count every statement the drivers send, from here on."""
    connect = sqlite3.connect

    def traced(*args: object, **kwargs: object) -> sqlite3.Connection:
        connection = connect(*args, **kwargs)  # type: ignore[arg-type]
        connection.set_trace_callback(_count)
        return connection

    sqlite3.connect = traced  # type: ignore[assignment]
    import psycopg

    execute = psycopg.Cursor.execute

    def executed(self: psycopg.Cursor, query: object, *args: object, **kwargs: object) -> object:
        if COUNTING[0]:
            text = query.as_string(self.connection) if hasattr(query, "as_string") else query
            _count(text if isinstance(text, str) else text.decode())
        return execute(self, query, *args, **kwargs)  # type: ignore[arg-type]

    psycopg.Cursor.execute = executed  # type: ignore[assignment]


def arguments(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", choices=["sqlite", "postgres"])
    parser.add_argument("-n", "--registrations", type=int, default=2000)
    parser.add_argument("--scans", type=int, default=600)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="tottime", help="cProfile sort key")
    parser.add_argument("--save", help="write the profile here (pstats), e.g. for snakeviz")
    return parser.parse_args(argv)


def scan_all(client: object, token: str, badges: list[str], code: str) -> list[int]:
    """Scan each badge once; return the HTTP statuses."""
    import uuid

    at = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    headers = {"Authorization": f"Bearer {token}"}
    statuses = []
    for badge in badges:
        body = {"token": badge, "checkpoint": code, "client_scan_id": uuid.uuid4().hex}
        answer = client.post("/api/v1/scans", json=body | {"scanned_at": at}, headers=headers)
        statuses.append(answer.status_code)
    return statuses


def timed(client: object, token: str, badges: list[str], code: str) -> None:
    """Scan badges without the profiler; print wall and process CPU (all threads) per scan."""
    wall, cpu = time.perf_counter(), time.process_time()
    scan_all(client, token, badges, code)
    scanned = time.perf_counter() - wall, time.process_time() - cpu
    time.sleep(0.5)  # the follower applies the last batch
    spent = time.process_time() - cpu
    n = len(badges)
    print(
        f"{n} scans without the profiler: {scanned[0] / n * 1000:.2f} ms wall, "
        f"{scanned[1] / n * 1000:.2f} ms CPU per scan; {spent / n * 1000:.2f} ms CPU "
        "with the follower's last batch"
    )


def main(argv: list[str] | None = None) -> int:
    """Seed, scan, and print statements per scan and the profile."""
    args = arguments(argv)
    workdir = Path(tempfile.mkdtemp(prefix="profile-scans-"))
    seeded = seed(args.store, args.registrations, workdir)
    code = "profile"
    define_checkpoint(seeded.url, workdir, code)
    os.environ |= {"DATABASE_URL": seeded.url, "EVENTS_SECRET_KEY": SECRET_KEY}
    os.environ |= {"MAIL_SENDER_THREAD": "off", "RATELIMIT_SCANS": "100000000/minute"}
    from events_app import create_app

    trace_statements()
    app = create_app({"TESTING": False})
    client = app.test_client()
    token, half = seeded.device_tokens[0], args.scans // 2
    scan_all(client, token, seeded.badges[-20:], code)  # warm up
    timed(client, token, seeded.badges[:half], code)
    COUNTING[0] = True
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    statuses = scan_all(client, token, seeded.badges[half : args.scans], code)
    profile.disable()
    seconds = time.perf_counter() - started
    report(args, statuses, seconds, profile)
    app.extensions["launch_events"].close()  # the follower stops before its schema goes
    if args.store == "postgres":
        drop_url_schema(seeded.url)
    return 0


def report(
    args: argparse.Namespace,
    statuses: list[int],
    seconds: float,
    profile: object,
    noun: str = "scan",
) -> None:
    """Print the statuses, statements per request (a `noun`) by kind, and the profile's top."""
    n = len(statuses)
    print(f"{n} {noun}s in {seconds:.2f} s under cProfile; statuses {Counter(statuses)}")
    total = sum(STATEMENTS.values())
    print(f"\n{total / n:.1f} statements per {noun}:")
    for statement, count in STATEMENTS.most_common():
        if count / n >= 0.01:
            print(f"  {count / n:6.2f}  {statement}")
    stats = pstats.Stats(profile)
    if getattr(args, "save", None):
        stats.dump_stats(args.save)
    stats.sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    raise SystemExit(main())
