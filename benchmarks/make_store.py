"""Fill a store with a realistic launch day (benchmarks/event_mix.py) and say how fast.

    python benchmarks/make_store.py --database-url URL --registrations 2000 --scans 990000

URL is a DATABASE_URL (sqlite:////abs/file.db, postgresql://...?schema=name, memory://).
Badges are signed as the app signs them with EVENTS_SECRET_KEY and BADGE_KEYS (or
--secret-key), so the app serving the store afterwards knows them. Prints the events
written, events per second, the elapsed time, the peak memory and the figures a
projection of the store must show; a progress line goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from uuid import UUID

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.event_mix import Mix, fill  # noqa: E402
from events_app.config import system_clock  # noqa: E402
from events_app.context import open_services  # noqa: E402


class Progress:
    """Writes `N events, R/s` over itself on stderr, at most every half second."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self._shown = 0.0

    def __call__(self, written: int, *, last: bool = False) -> None:
        now = time.perf_counter()
        if now - self._shown < 0.5 and not last:
            return
        self._shown = now
        rate = written / max(now - self.started, 1e-9)
        line = f"\r{written:>12,} events  {rate:>9,.0f}/s  {now - self.started:6.0f} s"
        print(line, end="", file=sys.stderr, flush=True)


def cpu_seconds() -> float:
    """Return the CPU time this process has used (user and system, all threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def load_average() -> str:
    """Return the machine's 1-minute load average (other work skews the figures)."""
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def peak_memory_mb() -> float:
    """Return this process's peak resident memory in MB (ru_maxrss is in KB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--registrations", type=int, default=2000)
    parser.add_argument("--scans", type=int, default=990_000)
    parser.add_argument("--devices", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--chunk", type=int, default=2000, help="events per insert")
    parser.add_argument("--gathering-id", help="add to this gathering instead of a new one")
    parser.add_argument("--secret-key", default=os.environ.get("EVENTS_SECRET_KEY", ""))
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser.parse_args(argv)


def report(mix: Mix, kind: str, elapsed: float, cpu: float, load: str, as_json: bool) -> None:
    figures: dict[str, Any] = {k: v for k, v in vars(mix).items() if k != "attendances"}
    print(f"store: {kind}  gathering {mix.slug} ({mix.gathering_id})")
    print(f"events written: {mix.events:,}")
    print(f"events/s: {mix.events / elapsed:,.0f}")
    print(
        f"elapsed: {elapsed:.1f} s (CPU {cpu:.1f} s; load average before {load}, "
        f"after {load_average()}, {os.cpu_count()} CPUs)"
    )
    print(f"peak memory: {peak_memory_mb():.0f} MB")
    if as_json:
        print(json.dumps(figures, default=str, indent=1))
        return
    for name in ("registrations", "by_state", "scans", "scans_by_status", "arrived", "inside"):
        print(f"{name}: {figures[name]}")
    for name in ("arrived_by_checkpoint", "inside_by_checkpoint", "offline_scans", "conflicts"):
        print(f"{name}: {figures[name]}")


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    services = open_services(
        args.database_url,
        tempfile.mkdtemp(prefix="make-store-"),
        system_clock,
        secret_key=args.secret_key or "event-mix",
        badge_keys=os.environ.get("BADGE_KEYS", ""),
    )
    load_before, cpu_before = load_average(), cpu_seconds()
    progress = Progress()
    try:
        mix = fill(
            services.box_office,
            gathering_id=UUID(args.gathering_id) if args.gathering_id else None,
            registrations=args.registrations,
            scans=args.scans,
            devices=args.devices,
            seed=args.seed,
            progress=progress,
            signer=services.signer,
            chunk=args.chunk,
        )
    finally:
        services.close()
    elapsed = time.perf_counter() - progress.started
    progress(mix.events, last=True)
    print(file=sys.stderr)
    report(mix, services.storage.kind, elapsed, cpu_seconds() - cpu_before, load_before, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
