"""Benchmark badge scans through gunicorn on loopback, on an SQLite file and on PostgreSQL.

The store is first seeded with N confirmed registrations (default 100,000) of one
gathering, in bulk: Registration aggregates and the GuestList's `admit` made with the
domain objects and saved in batches of 2,000 (one `app.save` each), then one snapshot of
the guest list and a catch-up of the read model, so the store is what the app reads
normally. Door devices are registered and enrolled through the services.

Each run starts gunicorn (`-w W`, worker class sync or gthread) on 127.0.0.1, defines a
new checkpoint (so every badge is fresh there), and load-generator processes with threads
send `POST /api/v1/scans` on keep-alive http.client connections (a sync worker closes the
connection after each answer; the client then reconnects, which is counted in the
latency). Each thread scans distinct badges: a first scan (`ok`) of a new badge, and
after it, with the repeat ratio, a repeat of the badge it scanned before
(`already_checked_in`). Every answer is checked against the expected status. After a
warm-up, the threads run for the given seconds; the figures are the completed scans per
second over that window and the client-side p50/p99 latencies.

    python benchmarks/bench_scans.py [-n 100000] [--workers 2 3 4] [--worker-class sync]
        [--clients 8] [--client-procs 2] [--seconds 10] [--stores sqlite postgres]
        [--keep DIR]

--keep DIR keeps the seeded stores (SQLite file and PostgreSQL schema) and what the
benchmark needs to reuse them in DIR, so later runs skip seeding. PostgreSQL is used when
reachable at TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test).
"""

from __future__ import annotations

import argparse
import http.client
import importlib.metadata
import json
import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import POSTGRES_URL, drop_schema, percentile, postgres_reachable  # noqa: E402

SECRET_KEY = "bench-scans-secret"
SLUG = "bench-scans"
BATCH = 2_000
DEVICES = 8
WARMUP_SCANS = 15
SCAN_PATH = "/api/v1/scans"


@dataclass
class Seeded:
    """A seeded store and what the load generator needs to scan its badges."""

    url: str
    gathering_id: str
    device_tokens: list[str]
    badges: list[str]
    seconds: float


def drop_url_schema(url: str) -> None:
    from events_app.store.storage import parse_database_url

    drop_schema(parse_database_url(url, ".").schema)


# Seeding -------------------------------------------------------------------------------


def seed(kind: str, count: int, workdir: Path) -> Seeded:
    """Create a gathering with `count` confirmed registrations and enrolled devices."""
    from domain.guest_list import GuestList
    from domain.registration import GuestDetails, Registration
    from events_app.config import system_clock
    from events_app.context import open_services

    name = uuid.uuid4().hex[:10]
    if kind == "sqlite":
        url = f"sqlite:///{workdir / f'bench-scans-{name}.sqlite'}"
    else:
        url = f"{POSTGRES_URL}?schema=bench_scans_{name}"
    started = time.perf_counter()
    services = open_services(url, str(workdir), system_clock, secret_key=SECRET_KEY)
    try:
        app = services.box_office
        app.snapshotting_intervals = {}  # one snapshot at the end, not one per 50 guests
        now = datetime.now(UTC)
        starts = now + timedelta(days=2)
        gathering = app.schedule_gathering(
            "bench",
            slug=SLUG,
            title_en="Scan benchmark launch",
            title_zh="掃描基準測試",
            venue="Hong Kong Science Park Shenzhen Branch",
            timezone="Asia/Shanghai",
            starts_at=starts,
            ends_at=starts + timedelta(hours=4),
            capacity=count,
            registration_opens_at=now - timedelta(days=1),
            registration_closes_at=now + timedelta(days=1),
            categories={
                "guest": {"capacity": None, "approval_required": False},
                "press": {"capacity": None, "approval_required": False},
            },
        )
        guest_list = app.guest_list(gathering.id)
        badges: list[str] = []
        for first in range(0, count, BATCH):
            registrations = []
            for n in range(first, min(first + BATCH, count)):
                category = "press" if n % 10 == 0 else "guest"
                details = GuestDetails(
                    full_name=f"Guest Number {n}",
                    name_zh="黃秉修",
                    email=f"guest{n}@example.org",
                    organisation="Hong Kong Science and Technology Parks Corporation",
                    job_title="Director",
                    consent=True,
                )
                registration_id = uuid.uuid4()
                state = guest_list.admit(
                    registration_id,
                    details.email,
                    category,
                    gathering.capacity_for(category),
                    approval_required=False,
                    hasher=app.email_hash,
                )
                registrations.append(
                    Registration(
                        id=registration_id,
                        gathering_id=gathering.id,
                        details=details.of(registration_id),
                        category=category,
                        state=state,
                        at=now,
                        actor="bench",
                    )
                )
            app.save(guest_list, *registrations)
            badges.extend(services.checkin.badge_token(r) for r in registrations)
        app.take_snapshot(GuestList.create_id(gathering.id))
        tokens = []
        for d in range(DEVICES):
            new = services.devices.register(SLUG, f"door {d + 1}", timedelta(hours=1), "bench")
            tokens.append(services.devices.enrol(new.setup_code).token)
        services.guest_list.catch_up()
        confirmed = services.guest_list.counts(str(gathering.id))["by_state"]
        assert confirmed == {"confirmed": count}, confirmed
    finally:
        services.close()
    return Seeded(url, str(gathering.id), tokens, badges, time.perf_counter() - started)


def define_checkpoint(url: str, workdir: Path, code: str) -> None:
    """Define a new checkpoint, open now, where no badge has been scanned yet."""
    from domain.checkpoint import Checkpoint
    from events_app.config import system_clock
    from events_app.context import open_services
    from events_app.services.checkpoints import Checkpoints

    services = open_services(url, str(workdir), system_clock, secret_key=SECRET_KEY)
    try:
        now = datetime.now(UTC)
        checkpoint = Checkpoint(
            code=code,
            name_en=f"Door {code}",
            name_zh="入口",
            categories=("guest", "press"),
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=1),
            category_notes={"press": "Press: media desk on the left 記者：媒體台在左"},
        )
        Checkpoints(services.box_office).define(SLUG, checkpoint, "bench")
    finally:
        services.close()


# The machine ---------------------------------------------------------------------------


def cpu_busy(seconds: float = 1.0) -> float:
    """Return the share (0..1) of all CPUs busy over `seconds` (Linux /proc/stat)."""

    def sample() -> tuple[int, int]:
        with open("/proc/stat") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
        idle = values[3] + (values[4] if len(values) > 4 else 0)
        return idle, sum(values)

    try:
        idle_before, total_before = sample()
        time.sleep(seconds)
        idle_after, total_after = sample()
    except OSError:
        return float("nan")
    total = total_after - total_before
    return 1 - (idle_after - idle_before) / total if total else float("nan")


def wait_until_idle(limit: float) -> float:
    """Wait (up to `limit` seconds) until other processes leave the CPUs idle."""
    deadline = time.monotonic() + limit
    busy = cpu_busy()
    while busy > 0.10 and time.monotonic() < deadline:
        busy = cpu_busy(2.0)
    return busy


# Gunicorn ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_gunicorn(
    url: str, workers: int, worker_class: str, threads: int, log: Path
) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "-w",
        str(workers),
        "-k",
        worker_class,
        "--threads",
        str(threads),
        "-b",
        f"127.0.0.1:{port}",
        "--timeout",
        "60",
        "--backlog",
        "256",
        "--error-logfile",
        str(log),
        "wsgi:app",
    ]
    if int(importlib.metadata.version("gunicorn").split(".")[0]) >= 27:
        command[-1:-1] = ["--no-control-socket"]
    # No guest mails: the benchmark's 100,000 registrations would each get one.
    env = {**os.environ, "DATABASE_URL": url, "EVENTS_SECRET_KEY": SECRET_KEY}
    env["MAIL_SENDER_THREAD"] = "off"
    # Far more scans a second per device than a door makes: measured, not refused (the
    # rate limiter still counts each one in the database).
    env["RATELIMIT_SCANS"] = os.environ.get("RATELIMIT_SCANS", "100000000/minute")
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log.read_text()}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", f"/api/v1/gatherings/{SLUG}")
            if connection.getresponse().status == 200:
                connection.close()
                return process, port
        except OSError:
            pass
        time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"gunicorn did not answer within 60 s:\n{log.read_text()}")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


# Load generator ------------------------------------------------------------------------


def plan(badges: list[str], repeat_ratio: float) -> list[tuple[str, str]]:
    """Return (token, expected status) in order: first scans, each followed by repeats."""
    steps: list[tuple[str, str]] = []
    owed = 0.0
    for index, token in enumerate(badges):
        steps.append((token, "ok"))
        owed += repeat_ratio
        if index and owed >= 1:
            owed -= 1
            steps.append((badges[index - 1], "already_checked_in"))
    return steps


def client_process(
    port: int,
    checkpoint: str,
    jobs: list[tuple[str, list[str]]],
    repeat_ratio: float,
    seconds: float,
    barrier: Any,
    results: Any,
) -> None:
    """Run one thread per job (device token, badges); put latencies and outcomes."""
    latencies: list[list[float]] = [[] for _ in jobs]
    outcomes: list[Counter[str]] = [Counter() for _ in jobs]
    ends: list[float] = [0.0] * len(jobs)
    local = threading.Barrier(len(jobs))
    window: dict[str, float] = {}

    def run(index: int, device_token: str, badges: list[str]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {
            "Authorization": f"Bearer {device_token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        steps = plan(badges, repeat_ratio)
        warmup, steps = steps[:WARMUP_SCANS], steps[WARMUP_SCANS:]
        prefix = uuid.uuid4().hex[:12]

        def scan(n: int, token: str) -> tuple[float, str]:
            body = json.dumps(
                {
                    "token": token,
                    "checkpoint": checkpoint,
                    "client_scan_id": f"{prefix}-{n:06d}",
                    "scanned_at": datetime.now(UTC).isoformat(),
                }
            )
            started = time.perf_counter()
            connection.request("POST", SCAN_PATH, body, headers)
            response = connection.getresponse()
            data = response.read()
            elapsed = time.perf_counter() - started
            if response.status != 200:
                return elapsed, f"http {response.status}"
            return elapsed, str(json.loads(data)["status"])

        for n, (token, _expected) in enumerate(warmup):
            scan(n, token)
        if index == 0:
            barrier.wait(timeout=120)  # every process warmed up
            now = time.perf_counter()
            window["start"], window["end"] = now, now + seconds
        local.wait(timeout=120)
        end = window["end"]
        for n, (token, expected) in enumerate(steps, start=len(warmup)):
            if time.perf_counter() >= end:
                break
            elapsed, status = scan(n, token)
            latencies[index].append(elapsed * 1000)
            outcomes[index][
                status if status == expected else f"{status} (expected {expected})"
            ] += 1
        ends[index] = time.perf_counter()
        connection.close()

    threads = [
        threading.Thread(target=run, args=(i, token, badges), daemon=True)
        for i, (token, badges) in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 180)
    total: Counter[str] = Counter()
    for counter in outcomes:
        total.update(counter)
    results.put(
        {
            "latencies": [x for batch in latencies for x in batch],
            "outcomes": dict(total),
            "elapsed": max(ends) - window.get("start", max(ends)),
        }
    )


def load(
    port: int,
    seeded: Seeded,
    checkpoint: str,
    clients: int,
    procs: int,
    repeat_ratio: float,
    seconds: float,
) -> dict[str, Any]:
    """Scan with `clients` connections spread over `procs` processes; return the figures."""
    share = len(seeded.badges) // clients
    jobs = [
        (
            seeded.device_tokens[c % len(seeded.device_tokens)],
            seeded.badges[c * share : (c + 1) * share],
        )
        for c in range(clients)
    ]
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(procs)
    results = context.Queue()
    processes = [
        context.Process(
            target=client_process,
            args=(port, checkpoint, jobs[p::procs], repeat_ratio, seconds, barrier, results),
        )
        for p in range(procs)
    ]
    for process in processes:
        process.start()
    try:
        parts = [results.get(timeout=seconds + 240) for _ in processes]
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    latencies = [x for part in parts for x in part["latencies"]]
    outcomes: Counter[str] = Counter()
    for part in parts:
        outcomes.update(part["outcomes"])
    elapsed = max(part["elapsed"] for part in parts)
    return {
        "scans": len(latencies),
        "per_second": len(latencies) / elapsed if elapsed else 0.0,
        "p50": percentile(latencies, 50),
        "p99": percentile(latencies, 99),
        "outcomes": dict(outcomes),
    }


# Main ----------------------------------------------------------------------------------


def seeded_store(kind: str, count: int, workdir: Path, keep: Path | None) -> Seeded:
    saved = keep / f"seed-{kind}-{count}.json" if keep else None
    if saved and saved.exists():
        data = json.loads(saved.read_text())
        print(f"{kind}: reusing the store seeded in {data['seconds']:.1f} s ({saved})")
        return Seeded(**data)
    seeded = seed(kind, count, keep or workdir)
    print(
        f"{kind}: seeded {count} confirmed registrations in {seeded.seconds:.1f} s "
        f"({count / seeded.seconds:.0f}/s, with the guest-list snapshot and read-model catch-up)",
        flush=True,
    )
    if saved:
        saved.write_text(json.dumps(asdict(seeded)))
    return seeded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--registrations", type=int, default=100_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 3, 4])
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument("--clients", type=int, default=8, help="concurrent connections")
    parser.add_argument("--client-procs", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--repeat-ratio", type=float, default=0.5)
    parser.add_argument("--stores", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the seeded stores here")
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=60.0,
        help="wait up to this many seconds for other processes to leave the CPUs idle",
    )
    args = parser.parse_args(argv)

    stores = list(args.stores)
    if "postgres" in stores and (problem := postgres_reachable()) is not None:
        print(f"PostgreSQL skipped: {problem}")
        stores.remove("postgres")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    print(
        f"{args.registrations} registrations; {args.clients} connections in "
        f"{args.client_procs} client processes; {args.seconds:.0f} s per run; repeat ratio "
        f"{args.repeat_ratio}; gunicorn {args.worker_class} x{args.threads} threads; "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs",
        flush=True,
    )
    rows = []
    workdir = Path(tempfile.mkdtemp(prefix="bench-scans-"))
    try:
        for kind in stores:
            seeded = seeded_store(kind, args.registrations, workdir, args.keep)
            try:
                for workers in args.workers:
                    checkpoint = f"bench-{uuid.uuid4().hex[:8]}"
                    define_checkpoint(seeded.url, workdir, checkpoint)
                    log = workdir / f"gunicorn-{kind}-{workers}.log"
                    busy = wait_until_idle(args.wait_idle)
                    process, port = start_gunicorn(
                        seeded.url, workers, args.worker_class, args.threads, log
                    )
                    try:
                        figures = load(
                            port,
                            seeded,
                            checkpoint,
                            args.clients,
                            args.client_procs,
                            args.repeat_ratio,
                            args.seconds,
                        )
                    finally:
                        stop(process)
                    rows.append((kind, workers, figures))
                    print(
                        f"{kind:9}{workers:>3} workers {figures['per_second']:>8.0f} scans/s  "
                        f"p50 {figures['p50']:6.1f} ms  p99 {figures['p99']:6.1f} ms  "
                        f"{figures['outcomes']}  (CPUs {busy:.0%} busy before the run)",
                        flush=True,
                    )
            finally:
                if kind == "postgres" and not args.keep:
                    drop_url_schema(seeded.url)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print()
    print(f"| store | workers | scans/s | p50 ms | p99 ms |  ({args.worker_class})")
    print("|---|---:|---:|---:|---:|")
    for kind, workers, figures in rows:
        print(
            f"| {kind} | {workers} | {figures['per_second']:.0f} | {figures['p50']:.1f} "
            f"| {figures['p99']:.1f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
