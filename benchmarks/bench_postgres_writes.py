"""Saves per second on PostgreSQL: eventsourcing's recorder against FlushedPostgresRecorder.

    python benchmarks/bench_postgres_writes.py --processes 2 --threads 2 --seconds 6 --rounds 2

Each run starts `processes` processes of `threads` threads that save small aggregates
(three events a save; a first scan writes two since 2026-12-06) into a fresh schema for
`seconds`, all with one recorder; the two recorders alternate, `rounds` times. It prints
saves/s and the latency of a save (p50, p90, p99), per run and as medians. eventsourcing's
recorder holds the events table's lock through each commit's flush to disk; the flushed
one only through the insert (see events_app/store/postgres_writes.py).
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from common import POSTGRES_URL, drop_schema, percentile  # noqa: E402

RECORDERS = {
    "eventsourcing": "eventsourcing.postgres:PostgresApplicationRecorder",
    "flushed": "events_app.store.postgres_writes:FlushedPostgresRecorder",
}


def save_for(schema: str, topic: str, seconds: float, threads: int, out: Any) -> None:
    """Child process: save for `seconds` from `threads` threads; put the latencies on `out`."""
    from eventsourcing.domain import Aggregate

    from events_app.config import system_clock
    from events_app.store.application import EventSourcedApplication
    from events_app.store.storage import parse_database_url

    class Thing(Aggregate):
        def __init__(self, n: int) -> None:
            self.n = n

    env = parse_database_url(f"{POSTGRES_URL}?schema={schema}", ".").eventsourcing_env()
    app = EventSourcedApplication(env | {"APPLICATION_RECORDER_TOPIC": topic}, system_clock)
    latencies: list[float] = []
    end = time.monotonic() + seconds

    def run() -> None:
        while time.monotonic() < end:
            started = time.perf_counter()
            app.save(Thing(1), Thing(2), Thing(3))
            latencies.append(time.perf_counter() - started)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    app.close()
    out.put(latencies)


def one_run(name: str, args: argparse.Namespace) -> tuple[float, float, float, float]:
    """Run the processes with one recorder; return saves/s, p50, p90 and p99 in ms."""
    schema = f"bench_writes_{uuid.uuid4().hex[:8]}"
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    processes = [
        context.Process(
            target=save_for, args=(schema, RECORDERS[name], args.seconds, args.threads, out)
        )
        for _ in range(args.processes)
    ]
    for process in processes:
        process.start()
    latencies = [x for _ in processes for x in out.get(timeout=args.seconds + 60)]
    for process in processes:
        process.join()
    drop_schema(schema)
    ms = [x * 1000 for x in latencies]
    figures = (len(ms) / args.seconds, *(percentile(ms, p) for p in (50, 90, 99)))
    print(
        f"{name:13} saves/s {figures[0]:6.0f}  p50 {figures[1]:5.2f}  p90 {figures[2]:5.2f}  "
        f"p99 {figures[3]:5.2f} ms",
        flush=True,
    )
    return figures  # type: ignore[return-value]


def main(argv: list[str] | None = None) -> int:
    """Alternate the recorders; print each run and the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    runs: dict[str, list[tuple[float, float, float, float]]] = {name: [] for name in RECORDERS}
    for _ in range(args.rounds):
        for name in RECORDERS:
            runs[name].append(one_run(name, args))
    print(
        f"\nmedians of {args.rounds} rounds, {args.processes} processes x {args.threads} threads:"
    )
    for name, figures in runs.items():
        saves, p50, p90, p99 = (statistics.median(f[i] for f in figures) for i in range(4))
        print(f"{name:13} saves/s {saves:6.0f}  p50 {p50:5.2f}  p90 {p90:5.2f}  p99 {p99:5.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
