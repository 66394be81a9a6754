"""What the scan benchmark prints: each run, the product's store check, the markdown table."""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import platform
import statistics
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scan_seed import check_store
from wrk_runs import Run, load_average

COLUMNS = (
    ("scans/s", lambda r: r["rps"], "{:.0f}"),
    ("p50 ms", lambda r: r["p50_ms"], "{:.1f}"),
    ("p99 ms", lambda r: r["p99_ms"], "{:.1f}"),
    ("max ms", lambda r: r["max_ms"], "{:.0f}"),
    ("non-2xx", lambda r: r["non2xx"], "{:.0f}"),
    ("unexpected", lambda r: r["unexpected"], "{:.0f}"),
    ("app CPU ms/scan", lambda r: r.app_ms_per_scan, "{:.2f}"),
    ("wrk CPU ms/scan", lambda r: r.wrk_ms_per_scan, "{:.3f}"),
)


def print_run(kind: str, name: str, conns: int, phase: str, n: int, run: Run) -> None:
    """Print one run's figures as soon as it ends."""
    figures = "  ".join(f"{label} {fmt.format(get(run))}" for label, get, fmt in COLUMNS)
    print(
        f"{kind:8} {name:9} c{conns:<3} {phase:6} #{n}  {figures}  codes {run.result['codes']}"
        f" wrapped {run['wrapped']:.0f}  (CPUs {run.busy_before:.0%} busy before)",
        flush=True,
    )


def check_product(url: str, workdir: Path, code: str, product: Any) -> str:
    """Return the check of the product's store: one `ok` per badge scanned, no non-2xx."""
    check = check_store(url, workdir, code)
    first = [r for _, phase, r in product.runs if phase == "first"] + product.warmups
    everything = [r for _, _, r in product.runs] + product.warmups
    counted = sum(int(r["expected"]) for r in first)
    sent = sum(int(r["sent"]) for r in first)
    non2xx = sum(int(r["non2xx"]) for r in everything)
    ok = check.statuses.get("ok", 0)
    problems = []
    if check.doubled:
        problems.append(f"{check.doubled} badges have more than one ok scan")
    if ok < counted:
        problems.append(f"{counted - ok} ok answers counted by wrk are not in the store")
    if ok > sent:
        problems.append(f"{ok - sent} more ok scans in the store than first scans sent")
    if non2xx:
        problems.append(f"{non2xx} non-2xx answers")
    verdict = "FAILED: " + "; ".join(problems) if problems else "passed"
    return (
        f"Store check ({url.split('?')[0].split(':')[0]}, checkpoint {code}): {verdict}. "
        f"Scans in the store by status {check.statuses}; wrk counted {counted} ok of {sent} "
        f"first scans sent; {check.doubled} badges with two oks; {non2xx} non-2xx."
    )


def machine() -> str:
    """Return the CPUs, Python, gunicorn and wrk versions."""
    model = ""
    with open("/proc/cpuinfo") as info:
        model = next((x.split(":", 1)[1].strip() for x in info if x.startswith("model name")), "")
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()
    return (
        f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, "
        f"gunicorn {importlib.metadata.version('gunicorn')}, wrk {wrk[1] if len(wrk) > 1 else '?'}"
    )


def medians(runs: list[Run]) -> list[str]:
    """Return each column's median over `runs`, formatted."""
    return [fmt.format(statistics.median(get(r) for r in runs)) for _, get, fmt in COLUMNS]


def print_table(args: argparse.Namespace, rows: list[tuple], load_before: tuple) -> None:
    """Print the markdown table: per store, connections and phase, both systems."""
    print()
    print(
        f"Scan benchmark {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {machine()}; "
        f"load average {', '.join(f'{x:.2f}' for x in load_before)} before, "
        f"{load_average()} after."
    )
    workers = ", ".join(f"{kind} {name} {w}" for kind, name, w, _ in rows)
    print(
        f"{args.registrations} badges a system; wrk {args.seconds:g} s a run, 2 threads; "
        f"median of {args.rounds} rounds of first scans and {args.repeat_rounds} of repeats, "
        f"alternating product and reference; gunicorn sync workers: {workers}."
    )
    print()
    print("| store | conns | scans | system | " + " | ".join(c for c, _, _ in COLUMNS) + " |")
    print("|---|---:|---|---|" + "---:|" * len(COLUMNS))
    by_store: dict[str, list[tuple]] = {}
    for row in rows:
        by_store.setdefault(row[0], []).append(row)
    for kind, systems in by_store.items():
        for conns in args.connections:
            for phase in ("first", "repeat"):
                for _, name, _, runs in systems:
                    chosen = [r for c, p, r in runs if c == conns and p == phase]
                    if chosen:
                        cells = " | ".join(medians(chosen))
                        print(f"| {kind} | {conns} | {phase} | {name} | {cells} |")
