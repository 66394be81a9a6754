"""Profile public registrations in one process: statements per registration, Python time.

    python benchmarks/profile_registrations.py sqlite --registrations 600
    python benchmarks/profile_registrations.py postgres --registrations 600 --top 40

It schedules the gathering of bench_registrations_http (open, seats for everyone) and posts
registrations, each with an e-mail address of its own, through the app's test client: the
whole request, from the rate limiter to the read models' follower. Statements are counted
at the driver as profile_scans counts them; the figures are per registration, and
cProfile's table is the top of the run by total time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

from bench_registrations_http import SECRET_KEY, SLUG, new_store, schedule  # noqa: E402
from common import drop_schema  # noqa: E402
from profile_scans import COUNTING, STATEMENTS, report, trace_statements  # noqa: E402


def arguments(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", choices=["sqlite", "postgres"])
    parser.add_argument("--registrations", type=int, default=600)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="tottime", help="cProfile sort key")
    return parser.parse_args(argv)


def register_all(client: object, count: int) -> list[int]:
    """Post `count` registrations, each with an e-mail of its own; return the statuses."""
    prefix = uuid.uuid4().hex[:8]
    statuses = []
    for n in range(count):
        body = {
            "full_name": f"Profile Guest {n}",
            "name_zh": "黃秉修",
            "email": f"{prefix}-{n}@example.org",
            "organisation": "Hong Kong Science Park",
            "job_title": "Director",
            "phone": "+852 6234 9817",
            "consent": True,
            "category": "guest",
        }
        answer = client.post(f"/api/v1/gatherings/{SLUG}/registrations", json=body)  # type: ignore[attr-defined]
        statuses.append(answer.status_code)
    return statuses


def timed(client: object, count: int) -> None:
    """Register without the profiler; print wall and process CPU (all threads) per one."""
    wall, cpu = time.perf_counter(), time.process_time()
    register_all(client, count)
    done = time.perf_counter() - wall, time.process_time() - cpu
    time.sleep(0.5)  # the follower applies the last batch
    spent = time.process_time() - cpu
    print(
        f"{count} registrations without the profiler: {done[0] / count * 1000:.2f} ms wall, "
        f"{done[1] / count * 1000:.2f} ms CPU per registration; "
        f"{spent / count * 1000:.2f} ms CPU with the follower's last batch"
    )


def main(argv: list[str] | None = None) -> int:
    """Schedule, register, and print statements per registration and the profile."""
    args = arguments(argv)
    workdir = Path(tempfile.mkdtemp(prefix="profile-registrations-"))
    url, schema = new_store(args.store, workdir)
    schedule(url, workdir)
    os.environ |= {"DATABASE_URL": url, "EVENTS_SECRET_KEY": SECRET_KEY}
    os.environ |= {"MAIL_SENDER_THREAD": "off", "RATELIMIT_REGISTRATIONS": "100000000/minute"}
    from events_app import create_app

    trace_statements()
    app = create_app({"TESTING": False})
    client = app.test_client()
    half = args.registrations // 2
    register_all(client, 20)  # warm up
    timed(client, half)
    STATEMENTS.clear()
    COUNTING[0] = True
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    statuses = register_all(client, args.registrations - half)
    profile.disable()
    seconds = time.perf_counter() - started
    report(args, statuses, seconds, profile, noun="registration")
    app.extensions["launch_events"].close()  # the follower stops before its schema goes
    if schema:
        drop_schema(schema)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
