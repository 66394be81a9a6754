"""Benchmark the door list: sync answers' size and time, and the page's offline judgement.

    python benchmarks/bench_door_list.py [--guests 200,5000,50000] [--store sqlite|postgres]
        [--runs 7] [--scans 2000] [--no-browser]

For each size the store is seeded with that many confirmed guests by bench_scans.seed
(Registration aggregates and the GuestList's admits saved in batches of 2,000, one
snapshot, a read-model catch-up, 8 enrolled door devices); then gunicorn -w 1 (sync) on
127.0.0.1 serves it, and http.client on loopback asks GET /api/v1/door/list:

1. Full sync (since=0), plain and with Accept-Encoding: gzip, then, after 10
   cancellations (through the services) and 10 check-ins (POST /api/v1/scans), the
   incremental sync since the full answer's version. Each is asked --runs times after one
   warm-up; the time is the client's, request sent to body read (loopback, so the
   server's time plus a little). Peak RSS is the gunicorn worker's VmHWM (/proc) after
   its first full sync and after the timed ones.
2. With the largest size, headless Chromium (bench_door_list_browser.py) throttled 4x
   applies the full answer and the incremental one, then judges --scans badges.

Set-up: seeding takes ~0.1 s for 200 guests, ~1 s for 5,000 and ~10 s for 50,000 on
SQLite (~3.5 s for 5,000 on PostgreSQL); a whole run of the three sizes with the browser
part takes ~45 s.

Measured on this 2-core machine on 2026-12-02 (SQLite, load average ~2 from other work;
"max" is the slowest of 7 runs):

    | guests | sync | rows | JSON bytes | gzip bytes | plain p50 | max | gzip p50 | max |
    |---:|---|---:|---:|---:|---:|---:|---:|---:|
    | 200 | full since=0 | 200 | 44,690 | 9,219 | 2.6 | 2.9 | 3.0 | 3.4 |
    | 200 | incremental since=419 | 20 | 5,223 | 1,325 | 2.5 | 2.8 | 2.4 | 6.3 |
    | 5,000 | full since=0 | 5,000 | 1,119,093 | 220,992 | 49.1 | 136.7 | 55.4 | 69.1 |
    | 5,000 | incremental since=10019 | 20 | 5,228 | 1,325 | 2.8 | 3.1 | 2.8 | 5.9 |
    | 50,000 | full since=0 | 50,000 | 11,239,095 | 2,208,055 | 604.9 | 717.8 | 804.3 | 1001.0 |
    | 50,000 | incremental since=100019 | 20 | 5,231 | 1,325 | 4.2 | 5.8 | 4.3 | 4.8 |

    worker's first full sync (gzip, signs every badge): 9 ms, 117 ms, 1,312 ms; worker peak
    RSS 79, 88 and 205 MB (50,000: 186 MB after its first full sync).
    Chromium 4x throttled, 50,000 guests: DoorList.apply of the full list 878 ms (the
    js-sha256 seal check alone 690 ms), of the incremental one 18 ms; DoorList.judge over
    2,000 scans (1,600 ok, 200 invalid, 100 cancelled, 100 already inside): median < 0.1 ms,
    p99 1.4 ms, max 3.8 ms, mean 0.051 ms per scan (target: under 20 ms).

Before the door-digest memo in DoorLists (same machine, same day), a 50,000 full sync took
1,037 ms plain and 1,226 ms gzipped: about half of it re-signing every badge per request
(cProfile in-process: 1.45 s a sync before, 0.78 s after; the rest is reading the rows,
~0.3 s, and json.dumps, ~0.25 s).
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import shutil
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from statistics import median
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_scans import (  # noqa: E402
    SECRET_KEY,
    Seeded,
    define_checkpoint,
    drop_url_schema,
    seed,
    start_gunicorn,
    stop,
)
from common import postgres_reachable  # noqa: E402

CHANGES = 10
"""Cancellations, and as many check-ins, between the full sync and the incremental one."""
CHECKPOINT = "door-bench"


def ask(port: int, token: str, since: int, gzipped: bool) -> tuple[bytes, str, float]:
    """GET the door list since a version; return the body as sent, its MAC and the time."""
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    if gzipped:
        headers["Accept-Encoding"] = "gzip"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    connection.request("GET", f"/api/v1/door/list?since={since}", headers=headers)
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"door list answered {response.status}: {body[:300]!r}")
    encoded = response.headers.get("Content-Encoding") == "gzip"
    if gzipped != encoded and len(body) >= 2_048:
        raise RuntimeError(f"asked gzip={gzipped}, answered Content-Encoding={encoded}")
    return body, str(response.headers["X-Door-List-MAC"]), elapsed


def measure(port: int, token: str, since: int, runs: int) -> dict[str, Any]:
    """Ask runs + 1 times each way; return sizes, the JSON text and MAC, and the timings."""
    plain, mac, _ = ask(port, token, since, gzipped=False)
    packed, _, _ = ask(port, token, since, gzipped=True)
    plain_ms, gzip_ms = [], []
    for _ in range(runs):
        plain_ms.append(ask(port, token, since, gzipped=False)[2] * 1000)
        gzip_ms.append(ask(port, token, since, gzipped=True)[2] * 1000)
    unpacked = json.loads(gzip.decompress(packed) if packed[:2] == b"\x1f\x8b" else packed)
    data = json.loads(plain)
    if {**unpacked, "synced_at": None} != {**data, "synced_at": None}:
        raise RuntimeError("the gzipped answer is not the plain one")
    return {
        "since": since,
        "version": data["version"],
        "entries": len(data["entries"]),
        "json_bytes": len(plain),
        "gzip_bytes": len(packed),
        "plain_ms": plain_ms,
        "gzip_ms": gzip_ms,
        "text": plain.decode("utf-8"),
        "mac": mac,
    }


def change(seeded: Seeded, workdir: Path, port: int) -> tuple[list[str], list[str]]:
    """Cancel CHANGES guests and check CHANGES others in; return their badges."""
    from events_app.config import system_clock
    from events_app.context import open_services

    cancelled, entered = seeded.badges[:CHANGES], seeded.badges[CHANGES : 2 * CHANGES]
    services = open_services(seeded.url, str(workdir), system_clock, secret_key=SECRET_KEY)
    try:
        for token in cancelled:
            claims = services.signer.verify(token)
            services.box_office.cancel(claims.registration_id, "organiser:bench")
    finally:
        services.close()
    headers = {
        "Authorization": f"Bearer {seeded.device_tokens[1]}",
        "Content-Type": "application/json",
    }
    for token in entered:
        body = json.dumps(
            {
                "token": token,
                "checkpoint": CHECKPOINT,
                "client_scan_id": uuid.uuid4().hex,
                "scanned_at": datetime.now(UTC).isoformat(),
            }
        )
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("POST", "/api/v1/scans", body, headers)
        answer = connection.getresponse()
        status = json.loads(answer.read()).get("status")
        connection.close()
        if status != "ok":
            raise RuntimeError(f"check-in answered {answer.status} {status}")
    return cancelled, entered


def worker_peak_mb(master: int) -> float:
    """Return the peak RSS (VmHWM) of gunicorn's one worker, in MB."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    for line in Path(f"/proc/{children[0]}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bench_size(kind: str, guests: int, runs: int, workdir: Path) -> dict[str, Any]:
    """Seed a store of `guests`, serve it and measure its full and incremental syncs."""
    seeded = seed(kind, guests, workdir)
    print(f"{kind} {guests:,}: seeded in {seeded.seconds:.1f} s", file=sys.stderr, flush=True)
    try:
        define_checkpoint(seeded.url, workdir, CHECKPOINT)
        process, port = start_gunicorn(seeded.url, 1, "sync", 1, workdir / "gunicorn.log")
        try:
            token = seeded.device_tokens[0]
            cold = ask(port, token, 0, gzipped=True)[2] * 1000  # the worker signs every badge
            rss_before = worker_peak_mb(process.pid)
            full = measure(port, token, 0, runs)
            rss_after = worker_peak_mb(process.pid)
            cancelled, entered = change(seeded, workdir, port)
            incremental = measure(port, token, full["version"], runs)
        finally:
            stop(process)
    finally:
        if kind == "postgres":
            drop_url_schema(seeded.url)
    return {
        "guests": guests,
        "seeded_s": seeded.seconds,
        "cold_ms": cold,
        "full": full,
        "incremental": incremental,
        "rss_mb": (rss_before, rss_after),
        "seeded": seeded,
        "cancelled": cancelled,
        "entered": entered,
    }


def print_table(kind: str, results: list[dict[str, Any]], runs: int) -> None:
    """Print the sync figures as a Markdown table."""
    print(f"\nstore {kind}; gunicorn -w 1 sync; times client-side on loopback, ms")
    print("| guests | sync | rows | JSON bytes | gzip bytes | plain p50 | max | gzip p50 | max |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for result in results:
        for name in ("full", "incremental"):
            f = result[name]
            print(
                f"| {result['guests']:,} | {name} since={f['since']} | {f['entries']:,} "
                f"| {f['json_bytes']:,} | {f['gzip_bytes']:,} "
                f"| {median(f['plain_ms']):.1f} | {max(f['plain_ms']):.1f} "
                f"| {median(f['gzip_ms']):.1f} | {max(f['gzip_ms']):.1f} |"
            )
    for result in results:
        before, after = result["rss_mb"]
        print(
            f"{result['guests']:,} guests: seeded in {result['seeded_s']:.1f} s; the worker's "
            f"first full sync (gzip) {result['cold_ms']:.0f} ms; its peak RSS {before:.0f} MB "
            f"after it, {after:.0f} MB after {2 * runs + 2} more"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guests", default="200,5000,50000")
    parser.add_argument("--store", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--runs", type=int, default=7, help="timed requests per figure")
    parser.add_argument("--scans", type=int, default=2000, help="badges the browser judges")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium part")
    args = parser.parse_args(argv)
    if args.store == "postgres" and (problem := postgres_reachable()) is not None:
        raise SystemExit(f"PostgreSQL unreachable: {problem}")
    sizes = [int(n) for n in args.guests.split(",")]
    workdir = Path(tempfile.mkdtemp(prefix="bench-door-list-"))
    try:
        results = [bench_size(args.store, n, args.runs, workdir) for n in sizes]
        print_table(args.store, results, args.runs)
        if not args.no_browser:
            from bench_door_list_browser import judge_in_browser

            largest = max(results, key=lambda r: r["guests"])
            judge_in_browser(largest, args.scans, CHECKPOINT)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
