"""Benchmark registrations through the services on an SQLite file and on PostgreSQL.

Runs N registrations for one gathering (half of them find a seat, half go on the
waitlist) with 1 and with 8 threads, and every 5th registration is followed by a
guest-list query (which first catches the read model up with the store). Prints the
throughput, the p50/p99 latencies of register and of the query, and the peak memory.

Each configuration runs twice on a new store: once for the times, once under
tracemalloc for the peak of Python allocations (tracemalloc slows Python down, so its
run is not timed). ru_maxrss is the process's peak resident size so far.

    python benchmarks/bench_registrations.py [-n 500] [--threads 1 8] [--no-postgres]

PostgreSQL is used when reachable at TEST_POSTGRES_URL (default
postgresql://postgres@127.0.0.1:5432/test); each run uses a new schema, dropped after.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import POSTGRES_URL, drop_schema, percentile, postgres_reachable

from domain.registration import GuestDetails
from events_app.context import Services, open_services

SLUG = "bench-launch"
QUERY_EVERY = 5


@dataclass
class Result:
    store: str
    threads: int
    registrations: int
    seconds: float = 0.0
    register_ms: list[float] = field(default_factory=list)
    query_ms: list[float] = field(default_factory=list)
    states: dict[str, int] = field(default_factory=dict)
    tracemalloc_peak_mb: float = 0.0
    maxrss_mb: float = 0.0


def new_store(kind: str, workdir: Path) -> tuple[str, Callable[[], None]]:
    """Return the DATABASE_URL of a new, empty store and how to remove it."""
    name = uuid.uuid4().hex[:10]
    if kind == "sqlite":
        path = workdir / f"bench-{name}.sqlite"
        return f"sqlite:///{path}", lambda: None
    schema = f"bench_{name}"

    return f"{POSTGRES_URL}?schema={schema}", lambda: drop_schema(schema)


def schedule(services: Services, capacity: int) -> str:
    now = datetime.now(UTC)
    starts = now + timedelta(days=30)
    gathering = services.box_office.schedule_gathering(
        "bench",
        slug=SLUG,
        title_en="Benchmark launch",
        title_zh="基準測試",
        venue="Hong Kong Science Park Shenzhen Branch",
        timezone="Asia/Shanghai",
        starts_at=starts,
        ends_at=starts + timedelta(hours=4),
        capacity=capacity,
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=starts,
        categories={"guest": {"capacity": None, "approval_required": False}},
    )
    return str(gathering.id)


def details(n: int) -> GuestDetails:
    return GuestDetails(
        full_name=f"Guest Number {n}",
        name_zh="黃秉修",
        email=f"guest{n}@example.org",
        organisation="Hong Kong Science and Technology Parks Corporation",
        job_title="Director",
        consent=True,
    )


def run(kind: str, threads: int, registrations: int, workdir: Path, *, traced: bool) -> Result:
    url, remove = new_store(kind, workdir)
    result = Result(kind, threads, registrations)
    services = open_services(url, str(workdir), lambda: datetime.now(UTC))
    try:
        gathering_id = schedule(services, capacity=registrations // 2)
        lock = threading.Lock()

        def one(n: int) -> None:
            started = time.perf_counter()
            services.box_office.register_placed(SLUG, details(n), "guest")
            register_ms = (time.perf_counter() - started) * 1000
            query_ms = None
            if n % QUERY_EVERY == 0:
                started = time.perf_counter()
                services.guest_list.search(gathering_id, states=["waitlisted"], limit=50)
                query_ms = (time.perf_counter() - started) * 1000
            with lock:
                result.register_ms.append(register_ms)
                if query_ms is not None:
                    result.query_ms.append(query_ms)

        if traced:
            tracemalloc.start()
            tracemalloc.reset_peak()
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=threads) as pool:
            for future in [pool.submit(one, n) for n in range(registrations)]:
                future.result()
        result.seconds = time.perf_counter() - started
        if traced:
            result.tracemalloc_peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        result.maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        result.states = services.guest_list.counts(gathering_id)["by_state"]  # type: ignore[assignment]
    finally:
        services.close()
        remove()
    expected = {"confirmed": registrations // 2, "waitlisted": registrations - registrations // 2}
    assert result.states == expected, result.states
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--registrations", type=int, default=500)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args(argv)

    stores = ["sqlite"]
    if not args.no_postgres:
        problem = postgres_reachable()
        if problem is None:
            stores.append("postgres")
        else:
            print(f"PostgreSQL skipped: {problem}")

    print(
        f"{args.registrations} registrations per run, a guest-list query after every "
        f"{QUERY_EVERY}th; Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
    )
    header = (
        f"{'store':9}{'threads':>8}{'reg/s':>9}{'reg p50':>10}{'reg p99':>10}"
        f"{'query p50':>11}{'query p99':>11}{'tracemalloc':>13}{'maxrss':>9}"
    )
    print(header)
    print("-" * len(header))
    results: list[Any] = []
    with tempfile.TemporaryDirectory(prefix="bench-registrations-") as tmp:
        workdir = Path(tmp)
        for kind in stores:
            for threads in args.threads:
                timed = run(kind, threads, args.registrations, workdir, traced=False)
                traced = run(kind, threads, args.registrations, workdir, traced=True)
                timed.tracemalloc_peak_mb = traced.tracemalloc_peak_mb
                timed.maxrss_mb = traced.maxrss_mb
                results.append(timed)
                print(
                    f"{kind:9}{threads:>8}{args.registrations / timed.seconds:>9.1f}"
                    f"{percentile(timed.register_ms, 50):>8.1f}ms"
                    f"{percentile(timed.register_ms, 99):>8.1f}ms"
                    f"{percentile(timed.query_ms, 50):>9.1f}ms"
                    f"{percentile(timed.query_ms, 99):>9.1f}ms"
                    f"{timed.tracemalloc_peak_mb:>11.1f}MB"
                    f"{timed.maxrss_mb:>7.0f}MB",
                    flush=True,
                )
    mean = statistics.mean(r.registrations / r.seconds for r in results)
    print(f"mean throughput over the runs: {mean:.1f} registrations/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
