"""Benchmark public registrations through gunicorn, on an SQLite file and on PostgreSQL.

A gathering is scheduled with a large capacity and registration open, gunicorn (sync
workers, default 3 on SQLite, 2 on PostgreSQL) serves it, and wrk
(`benchmarks/wrk_post.lua`, 16 connections) sends `POST /api/v1/gatherings/<slug>/
registrations`, every request with an e-mail address of its own. RATELIMIT_REGISTRATIONS
is raised so that the limiter counts every registration but refuses none.

Before each round the CPUs must be idle: /proc/stat is sampled for 2 s and a round whose
CPUs were more than 15 % busy (others' work) is not reported (waited for up to
--wait-idle seconds, then refused; --indicative measures it anyway, labelled). Per round:
registrations/s, p50/p99/max, non-2xx answers, the app's CPU per registration (user +
system time of the gunicorn master and workers, from /proc, over the run) and the load
generator's (wrk's) CPU. After each round the store is checked: the guest list holds
exactly as many new registrations as wrk got 2xx answers (plus at most the requests still
in flight when wrk stopped), each with an e-mail address of its own, and the read model,
caught up, counts the same. Medians of the rounds are printed last.

    python benchmarks/bench_registrations_http.py [--rounds 3] [--seconds 10]
        [--connections 16] [--stores sqlite postgres] [--workers N] [--indicative]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import POSTGRES_URL, REGISTER_BODY, drop_schema, postgres_reachable  # noqa: E402
from http_server import busy_share, start_gunicorn, stop  # noqa: E402
from wrk_runs import run_wrk  # noqa: E402

SECRET_KEY = "bench-registrations-secret"
SLUG = "bench-registrations"
CAPACITY = 10_000_000
BUSY_LIMIT = 0.15
WORKERS = {"sqlite": 3, "postgres": 2}
LUA = ROOT / "benchmarks" / "wrk_post.lua"
FIGURES = ("rps", "p50_ms", "p99_ms", "max_ms", "non2xx", "app_cpu_ms", "wrk_cpu_ms")


def new_store(kind: str, workdir: Path) -> tuple[str, str]:
    """Return the DATABASE_URL of a new store and its PostgreSQL schema ('' on SQLite)."""
    name = uuid.uuid4().hex[:10]
    if kind == "sqlite":
        return f"sqlite:///{workdir / f'bench-registrations-{name}.sqlite'}", ""
    schema = f"bench_registrations_{name}"
    return f"{POSTGRES_URL}?schema={schema}", schema


def open_store(url: str, workdir: Path):  # type: ignore[no-untyped-def]
    """Return the services of the store at `url`."""
    from events_app.config import system_clock
    from events_app.context import open_services

    return open_services(url, str(workdir), system_clock, secret_key=SECRET_KEY)


def schedule(url: str, workdir: Path) -> uuid.UUID:
    """Schedule the gathering, open for registration, with seats for every request."""
    services = open_store(url, workdir)
    try:
        now = datetime.now(UTC)
        starts = now + timedelta(days=30)
        gathering = services.box_office.schedule_gathering(
            "bench",
            slug=SLUG,
            title_en="Registration benchmark launch",
            title_zh="登記基準測試",
            venue="Hong Kong Science Park Shenzhen Branch",
            timezone="Asia/Shanghai",
            starts_at=starts,
            ends_at=starts + timedelta(hours=4),
            capacity=CAPACITY,
            registration_opens_at=now - timedelta(days=1),
            registration_closes_at=starts,
            categories={"guest": {"capacity": None, "approval_required": False}},
        )
        return gathering.id
    finally:
        services.close()


def stored(url: str, workdir: Path, gathering_id: uuid.UUID) -> dict[str, int]:
    """Return what the store holds: registrations, distinct e-mails, read-model count."""
    services = open_store(url, workdir)
    try:
        guest_list = services.box_office.guest_list(gathering_id)
        services.guest_list.catch_up()
        counts = services.guest_list.counts(str(gathering_id))["by_state"]
        return {
            "registrations": len(guest_list.confirmed)
            + len(guest_list.pending)
            + len(guest_list.waitlist),
            "emails": len(guest_list.emails),
            "read_model": sum(counts.values()),
        }
    finally:
        services.close()


def wrk(port: int, pid: int, args: argparse.Namespace) -> dict[str, float]:
    """Run wrk once; return its RESULT figures with the app's and wrk's CPU per answer."""
    env = {
        "WRK_PATH": f"/api/v1/gatherings/{SLUG}/registrations",
        "WRK_BODY": REGISTER_BODY,
        "WRK_THREADS": str(min(2, args.connections)),
        "WRK_EXPECT": '"confirmation_token"',
    }
    result, app_used, wrk_used = run_wrk(LUA, port, env, args.connections, args.seconds, pid)
    figures: dict[str, Any] = dict(result)
    answered = max(float(figures["responses"]), 1)
    figures["ok"] = figures["expected"]
    figures["app_cpu_ms"] = 1000 * app_used / answered
    figures["wrk_cpu_ms"] = 1000 * wrk_used / answered
    return figures


def check(before: dict[str, int], after: dict[str, int], figures: dict[str, float]) -> str:
    """Return how the store's new registrations compare with wrk's 2xx answers."""
    new = after["registrations"] - before["registrations"]
    in_flight = int(figures["sent"] - figures["responses"])
    ok = int(figures["ok"])
    problems = []
    if not ok <= new <= ok + in_flight:
        problems.append(f"{new} new registrations for {ok} 2xx and {in_flight} in flight")
    if after["emails"] != after["registrations"]:
        problems.append(f"{after['emails']} e-mails for {after['registrations']} registrations")
    if after["read_model"] != after["registrations"]:
        problems.append(f"read model counts {after['read_model']} of {after['registrations']}")
    if problems:
        raise AssertionError("; ".join(problems))
    return f"store: +{new} registrations for {ok} 2xx ({in_flight} in flight), e-mails distinct"


def describe(figures: dict[str, float]) -> str:
    """Return one run's figures as a line."""
    return (
        f"{figures['rps']:6.1f} reg/s  p50 {figures['p50_ms']:6.1f} ms  "
        f"p99 {figures['p99_ms']:6.1f} ms  max {figures['max_ms']:6.1f} ms  "
        f"non-2xx {figures['non2xx']:.0f}  app CPU {figures['app_cpu_ms']:5.2f} ms/reg  "
        f"wrk CPU {figures['wrk_cpu_ms']:5.3f} ms/reg"
    )


def run_store(kind: str, args: argparse.Namespace, workdir: Path) -> list[dict[str, float]]:
    """Schedule, serve and measure one store; return the figures of the reported rounds."""
    url, schema = new_store(kind, workdir)
    rounds: list[dict[str, float]] = []
    try:
        gathering_id = schedule(url, workdir)
        workers = args.workers or WORKERS[kind]
        env = {"RATELIMIT_REGISTRATIONS": "100000000/minute", "EVENTS_SECRET_KEY": SECRET_KEY}
        log = workdir / f"gunicorn-{kind}.log"
        process, port = start_gunicorn(ROOT, url, workers, log, env, f"/api/v1/gatherings/{SLUG}")
        try:
            for round_ in range(1, args.rounds + 1):
                figures = one_round(
                    kind, round_, url, workdir, gathering_id, port, process.pid, args
                )
                if figures:
                    rounds.append(figures)
        finally:
            stop(process)
    finally:
        if schema:
            drop_schema(schema)
    return rounds


def one_round(
    kind: str,
    round_: int,
    url: str,
    workdir: Path,
    gathering_id: uuid.UUID,
    port: int,
    pid: int,
    args: argparse.Namespace,
) -> dict[str, float] | None:
    """Measure one round, once the CPUs are idle; None if they never were."""
    before = stored(url, workdir, gathering_id)
    busy = wait_until_idle(args.wait_idle)
    if busy > BUSY_LIMIT and not args.indicative:
        print(f"{kind:8} round {round_}: refused, CPUs {busy:.0%} busy before the run", flush=True)
        return None
    label = " INDICATIVE (others were running)" if busy > BUSY_LIMIT else ""
    figures = wrk(port, pid, args)
    time.sleep(1)  # answers wrk gave up on may still be saved
    verdict = check(before, stored(url, workdir, gathering_id), figures)
    print(
        f"{kind:8} round {round_}: {describe(figures)}  codes {figures['codes']}  "
        f"(CPUs {busy:.0%} busy before{label}; {verdict})",
        flush=True,
    )
    return figures


def wait_until_idle(limit: float) -> float:
    """Sample the CPUs for 2 s at a time, up to `limit` seconds, until they are idle."""
    deadline = time.monotonic() + limit
    busy = busy_share(2.0)
    while busy > BUSY_LIMIT and time.monotonic() < deadline:
        busy = busy_share(2.0)
    return busy


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print every round and the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, help="default 3 on SQLite, 2 on PostgreSQL")
    parser.add_argument("--stores", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--wait-idle", type=float, default=120.0)
    parser.add_argument(
        "--indicative",
        action="store_true",
        help="measure a round even when the CPUs stay busy, and label it indicative",
    )
    args = parser.parse_args(argv)
    stores = list(args.stores)
    if "postgres" in stores and (problem := postgres_reachable()) is not None:
        print(f"PostgreSQL skipped: {problem}")
        stores.remove("postgres")
    print(
        f"{args.connections} connections, {args.seconds} s a round, {args.rounds} rounds; "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; load {os.getloadavg()}",
        flush=True,
    )
    medians = {}
    with tempfile.TemporaryDirectory(prefix="bench-registrations-http-") as scratch:
        for kind in stores:
            rounds = run_store(kind, args, Path(scratch))
            if rounds:
                medians[kind] = {k: statistics.median(r[k] for r in rounds) for k in FIGURES}
                medians[kind]["n"] = len(rounds)
    print("\nmedians:")
    for kind, figures in medians.items():
        print(f"  {kind:8} ({figures['n']:.0f} rounds) {describe(figures)}")
    return 0 if len(medians) == len(stores) else 1


if __name__ == "__main__":
    raise SystemExit(main())
