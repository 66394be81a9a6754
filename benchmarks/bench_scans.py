"""Benchmark badge scans as door devices see them: wrk against gunicorn, beside a minimal reference.

For each store (an SQLite file, PostgreSQL), the product's store is seeded with N confirmed
registrations (scan_seed.py) and the minimal reference (`minimal_app.py` in --reference,
Flask + eventsourcing, one HMAC check, one get, one save) with as many badges, on the same
store kind. Both run under gunicorn with sync workers, side by side; wrk drives them with
the shared `scan.lua` (one RESULT line a run). Runs alternate the systems (product,
reference, product, ...): rounds of first scans, each on badges no run scanned before
(SCAN_STATE carries on where the last run stopped), then rounds of repeats of those badges
(`already_checked_in`). Each figure is the median of its rounds: scans/s, p50/p99/max
latency, non-2xx answers, unexpected answers, the server's CPU per scan (gunicorn master
and workers, /proc) and wrk's CPU per scan. Before each run the CPUs must be idle (under
--max-busy for 2 s, waiting up to --wait-idle s), or the benchmark refuses to report.
After the runs, the product's store must hold one `ok` scan at most per badge, and at least
as many as wrk counted; then a markdown table.

    python benchmarks/bench_scans.py [-n 100000] [--seconds 15] [--rounds 3]
        [--connections 16 4] [--stores sqlite postgres] [--workers W]
        [--reference-workers 2] [--reference DIR] [--keep DIR]

--keep DIR keeps the seeded stores in DIR and reuses them later (the product gets a new
checkpoint each time, the reference goes on from the badges it has not used yet).
PostgreSQL is used when reachable at TEST_POSTGRES_URL. Exit codes: 1 the store check
failed, 2 the reference folder lacks its files, 3 a run was refused (busy machine).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import postgres_reachable  # noqa: E402
from reference_bench import (  # noqa: E402
    drop_reference,
    missing_files,
    reference_command,
    save_reference,
    seed_reference,
)
from report_scans import check_product, print_run, print_table  # noqa: E402
from scan_seed import SECRET_KEY, SLUG, define_checkpoint, drop_url_schema, seeded_store  # noqa: E402
from wrk_runs import (  # noqa: E402
    Refused,
    Run,
    free_port,
    gunicorn,
    run_wrk,
    start_server,
    stop,
    wait_until_idle,
)

SCAN_PATH = "/api/v1/scans"


@dataclass
class System:
    """One server under test and where its badges stand."""

    name: str
    master: int
    port: int
    secrets: Path
    count: int
    header: str
    body: str
    next: int
    """The first badge no run has sent yet (first scans go on from it)."""
    repeat_from: int = 0
    repeat_to: int = 0
    """Repeats re-scan [repeat_from, repeat_to): the last first run's surely answered badges."""
    runs: list[tuple[int, str, Run]] = field(default_factory=list)
    warmups: list[Run] = field(default_factory=list)


def arguments(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--registrations", type=int, default=100_000)
    parser.add_argument("--stores", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--workers", type=int, default=2, help="product workers")
    parser.add_argument("--reference-workers", type=int, default=2)
    parser.add_argument("--connections", type=int, nargs="+", default=[16])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds, not reported")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat-rounds", type=int, default=1)
    parser.add_argument("--max-busy", type=float, default=15.0, help="percent of all CPUs")
    parser.add_argument("--wait-idle", type=float, default=120.0)
    parser.add_argument("--reference", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the seeded stores here")
    return parser.parse_args(argv)


def one_run(system: System, args: argparse.Namespace, phase: str, conns: int, secs: float) -> Run:
    """Run wrk once on `system`: first scans of unused badges, or repeats of used ones."""
    busy = wait_until_idle(args.max_busy / 100, args.wait_idle)
    state = system.secrets.with_suffix(".state")
    env = {
        "SCAN_PATH": SCAN_PATH,
        "SCAN_SECRETS": str(system.secrets),
        "SCAN_HEADER": system.header,
    }
    if phase == "first":
        if system.next >= system.count - 1:
            raise RuntimeError(f"{system.name}: no fresh badges left, seed more (-n)")
        env |= {"SCAN_FROM": str(system.next), "SCAN_COUNT": str(system.count - system.next)}
        env |= {"SCAN_BODY": system.body, "SCAN_EXPECT": '"ok"', "SCAN_STATE": str(state)}
    else:
        count = system.repeat_to - system.repeat_from
        env |= {"SCAN_FROM": str(system.repeat_from), "SCAN_COUNT": str(count)}
        env |= {"SCAN_BODY": system.body, "SCAN_EXPECT": "already_checked_in"}
    result, app_cpu, wrk_cpu = run_wrk(
        args.reference / "scan.lua", system.port, env, conns, secs, system.master
    )
    if phase == "first":  # the last `conns` sent may not have been answered when wrk stopped
        system.repeat_from = system.next
        system.next, done = (int(x) for x in state.read_text().split())
        system.repeat_to = max(system.repeat_from + 1, done - conns)
    return Run(result, app_cpu, wrk_cpu, busy)


def product_system(kind: str, args: argparse.Namespace, workdir: Path, servers: list) -> tuple:
    """Seed (or reuse) the product's store, define a checkpoint, start its gunicorn."""
    seeded = seeded_store(kind, args.registrations, workdir, args.keep)
    code = f"bench-{uuid.uuid4().hex[:8]}"
    define_checkpoint(seeded.url, workdir, code)
    secrets = workdir / f"product-{kind}.tokens"
    secrets.write_text("\n".join(seeded.badges) + "\n")
    workers = args.workers
    port, log = free_port(), workdir / f"product-{kind}.log"
    env = {**os.environ, "DATABASE_URL": seeded.url, "EVENTS_SECRET_KEY": SECRET_KEY}
    env["MAIL_SENDER_THREAD"] = "off"  # no guest mails for the seeded registrations
    # Far more scans a second per device than a door makes: measured, not refused (the
    # rate limiter still counts each one in the database).
    env["RATELIMIT_SCANS"] = os.environ.get("RATELIMIT_SCANS", "100000000/minute")
    command = [*gunicorn(workers, port, log), "--timeout", "60", "wsgi:app"]
    process = start_server(command, env, ROOT, port, f"/api/v1/gatherings/{SLUG}", log)
    servers.append(process)
    at = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()  # inside the window
    fields = f'"checkpoint":"{code}","client_scan_id":"{{nonce}}","scanned_at":"{at}"'
    body = '{"token":"{secret}",' + fields + "}"
    system = System(
        "product", process.pid, port, secrets, len(seeded.badges),
        f"Authorization: Bearer {seeded.device_tokens[0]}", body, 0,
    )  # fmt: skip
    return system, seeded, code, workers


def reference_system(kind: str, args: argparse.Namespace, workdir: Path, servers: list) -> tuple:
    """Seed (or reuse) the reference's store and start its gunicorn."""
    reference = seed_reference(args.reference, kind, args.registrations, workdir, args.keep)
    port, log = free_port(), workdir / f"reference-{kind}.log"
    command = reference_command(args.reference, args.reference_workers, port, log)
    process = start_server(command, {**os.environ, **reference.env}, ROOT, port, "/", log)
    servers.append(process)
    body = '{"token":"{secret}","client_scan_id":"{nonce}"}'
    system = System(
        "reference", process.pid, port, Path(reference.tokens), args.registrations,
        "", body, reference.used,
    )  # fmt: skip
    return system, reference


def bench_store(kind: str, args: argparse.Namespace, workdir: Path) -> tuple[list, str]:
    """Run every round on one store kind; return the rows and the store check's verdict."""
    servers: list = []
    reference = seeded = other = None
    try:
        product, seeded, code, workers = product_system(kind, args, workdir, servers)
        other, reference = reference_system(kind, args, workdir, servers)
        systems = (product, other)
        for system in systems:
            system.warmups.append(
                one_run(system, args, "first", max(args.connections), args.warmup)
            )
        for conns in args.connections:
            for phase, rounds in (("first", args.rounds), ("repeat", args.repeat_rounds)):
                for n in range(rounds):
                    for system in systems:
                        run = one_run(system, args, phase, conns, args.seconds)
                        system.runs.append((conns, phase, run))
                        print_run(kind, system.name, conns, phase, n + 1, run)
        for process in servers:
            stop(process)
        verdict = check_product(seeded.url, workdir, code, product)
        rows = [(kind, s.name, workers if s is product else args.reference_workers, s.runs)
                for s in systems]  # fmt: skip
        return rows, verdict
    finally:
        for process in servers:
            stop(process)
        if reference is not None:
            if args.keep and other is not None:
                reference.used = max(reference.used, other.next)
                save_reference(reference, args.keep / f"reference-{kind}-{args.registrations}.json")
            if not args.keep:
                drop_reference(reference)
        if seeded is not None and kind == "postgres" and not args.keep:
            drop_url_schema(seeded.url)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print the runs, the store check and the table."""
    args = arguments(argv)
    args.reference = args.reference.resolve()
    if missing := missing_files(args.reference):
        print(
            f"The reference folder {args.reference} lacks {', '.join(missing)}: "
            "give --reference DIR"
        )
        return 2
    stores = list(args.stores)
    if "postgres" in stores and (problem := postgres_reachable()) is not None:
        print(f"PostgreSQL skipped: {problem}")
        stores.remove("postgres")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    rows, verdicts = [], []
    workdir = Path(tempfile.mkdtemp(prefix="bench-scans-"))
    try:
        for kind in stores:
            store_rows, verdict = bench_store(kind, args, workdir)
            rows += store_rows
            verdicts.append(verdict)
    except Refused as refusal:
        print(f"Run refused, no figures reported: {refusal}")
        return 3
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    for verdict in verdicts:
        print(verdict)
    print_table(args, rows, load_before)
    return 1 if any("FAILED" in v for v in verdicts) else 0


if __name__ == "__main__":
    raise SystemExit(main())
