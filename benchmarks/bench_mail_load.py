"""Benchmark registrations through gunicorn while guest mails (badge PDF, .ics) are sent.

Four ways of sending, run alternately (thread, process, process-nice0, off, ...) so that a
drift of the machine spreads over all of them:

- `thread`: every gunicorn worker runs its sender thread (MAIL_SENDER_THREAD=on), which
  renders each mail's badge PDF inside the serving process;
- `process`: the workers send nothing (MAIL_SENDER_THREAD=off) and `flask mail send
  --loop` runs beside them as its own process (at its default `--nice 10`: requests get
  the CPUs first);
- `process-nice0`: the same with `--nice 0`, the sender at the workers' priority;
- `off`: no sender at all (the mails wait in the outbox): the requests' own cost.

Each run uses a new SQLite file (or PostgreSQL schema) with one open gathering that
confirms every guest, so every registration calls for a mail with a badge. Mails are
written as .eml files to a folder (no SMTP server competes for the CPUs). Client
processes with threads POST registrations on keep-alive connections on 127.0.0.1 for the
given seconds after a warm-up; every answer must be 201. Printed: registrations/s, the
client-side p50/p99, the mails written during the window, and how long the sender took
to write the rest afterwards.

    python benchmarks/bench_mail_load.py [--rounds 2] [--seconds 10] [--workers 3]
        [--clients 6] [--client-procs 2] [--modes thread process process-nice0 off] [--store sqlite]
"""

from __future__ import annotations

import argparse
import http.client
import importlib.metadata
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_scans import free_port, stop, wait_until_idle  # noqa: E402
from common import POSTGRES_URL, drop_schema, percentile  # noqa: E402

SLUG = "bench-mail"
SECRET_KEY = "bench-mail-secret"
WARMUP = 5
PATH = f"/api/v1/gatherings/{SLUG}/registrations"


def new_store(store: str, workdir: Path) -> tuple[str, Any]:
    """Return a new store's DATABASE_URL with its gathering, and how to remove it."""
    from events_app.context import open_services

    name = uuid.uuid4().hex[:10]
    if store == "sqlite":
        url, remove = f"sqlite:///{workdir / f'mail-{name}.sqlite'}", lambda: None
    else:
        url, remove = f"{POSTGRES_URL}?schema=mail_{name}", lambda: drop_schema(f"mail_{name}")
    services = open_services(url, str(workdir), lambda: datetime.now(UTC), secret_key=SECRET_KEY)
    try:
        now = datetime.now(UTC)
        starts = now + timedelta(days=30)
        services.box_office.schedule_gathering(
            "bench",
            slug=SLUG,
            title_en="Mail under load",
            title_zh="負載下的郵件",
            venue="Hong Kong Science Park Shenzhen Branch",
            timezone="Asia/Shanghai",
            starts_at=starts,
            ends_at=starts + timedelta(hours=4),
            capacity=1_000_000,
            registration_opens_at=now - timedelta(days=1),
            registration_closes_at=starts,
            categories={"guest": {"capacity": None, "approval_required": False}},
        )
    finally:
        services.close()
    return url, remove


def start(mode: str, url: str, workers: int, outbox: Path, log: Path) -> list[Any]:
    """Start gunicorn (and the sender process in `process` mode); return the processes."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "EVENTS_SECRET_KEY": SECRET_KEY,
        "LAUNCH_EVENTS_INSTANCE": str(outbox.parent),
        "MAIL_OUTBOX_DIR": str(outbox),
        "MAIL_SENDER_THREAD": "on" if mode == "thread" else "off",
        "MAIL_POLL_SECONDS": "0.2",
        "MAIL_SMTP_HOST": "",
        # The load comes from one address, far faster than guests register: measured.
        "RATELIMIT_REGISTRATIONS": "100000000/minute",
    }
    command = [str(Path(sys.executable).parent / "gunicorn"), "-w", str(workers)]
    command += ["-b", f"127.0.0.1:{port}", "--timeout", "60", "--error-logfile", str(log)]
    if int(importlib.metadata.version("gunicorn").split(".")[0]) >= 27:
        command.append("--no-control-socket")
    processes: list[Any] = [subprocess.Popen([*command, "wsgi:app"], cwd=ROOT, env=env)]
    if mode in ("process", "process-nice0"):
        sender = [str(Path(sys.executable).parent / "flask"), "--app", "wsgi"]
        sender += ["mail", "send", "--loop", "--poll", "0.2"]
        sender += ["--nice", "0"] if mode == "process-nice0" else []
        with log.open("ab") as output:
            processes.append(
                subprocess.Popen(sender, cwd=ROOT, env=env, stdout=output, stderr=output)
            )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", f"/api/v1/gatherings/{SLUG}")
            if connection.getresponse().status == 200:
                return [port, *processes]
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within 60 s:\n{log.read_text()}")


def client_process(port: int, threads: int, seconds: float, barrier: Any, results: Any) -> None:
    """Register guests from `threads` keep-alive connections; put latencies and statuses."""
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    lock = threading.Lock()
    window: dict[str, float] = {}
    local = threading.Barrier(threads)

    def run(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        prefix = uuid.uuid4().hex[:12]
        headers = {"Content-Type": "application/json", "Accept": "application/json"}

        def one(n: int) -> tuple[float, int]:
            body = {
                "full_name": f"Guest {prefix} {n}",
                "name_zh": "黃秉修",
                "organisation": "Hong Kong Science and Technology Parks Corporation",
                "job_title": "Director",
                "email": f"{prefix}-{n}@example.org",
                "consent": True,
            }
            started = time.perf_counter()
            connection.request("POST", PATH, json.dumps(body), headers)
            response = connection.getresponse()
            response.read()
            return (time.perf_counter() - started) * 1000, response.status

        for n in range(WARMUP):
            one(n)
        if index == 0:
            barrier.wait(timeout=120)
            window["end"] = time.perf_counter() + seconds
        local.wait(timeout=120)
        n = WARMUP
        while time.perf_counter() < window["end"]:
            elapsed, status = one(n)
            n += 1
            with lock:
                latencies.append(elapsed)
                statuses[str(status)] += 1
        connection.close()

    pool = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=seconds + 180)
    results.put({"latencies": latencies, "statuses": dict(statuses)})


def load(port: int, clients: int, procs: int, seconds: float) -> dict[str, Any]:
    """Run the clients; return the registrations, latencies and statuses."""
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(procs), context.Queue()
    shares = [clients // procs + (1 if p < clients % procs else 0) for p in range(procs)]
    processes = [
        context.Process(target=client_process, args=(port, share, seconds, barrier, results))
        for share in shares
    ]
    for process in processes:
        process.start()
    parts = [results.get(timeout=seconds + 240) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    statuses: Counter[str] = Counter()
    for part in parts:
        statuses.update(part["statuses"])
    return {"latencies": [x for p in parts for x in p["latencies"]], "statuses": statuses}


def mails(outbox: Path) -> int:
    """Return how many mails the sender has written."""
    return len(list(outbox.glob("*.eml"))) if outbox.exists() else 0


def run(mode: str, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """One run of one mode on a new store; return its figures."""
    url, remove = new_store(args.store, workdir)
    outbox = workdir / f"outbox-{uuid.uuid4().hex[:8]}"
    log = workdir / f"{mode}.log"
    port, *processes = start(mode, url, args.workers, outbox, log)
    try:
        figures = load(port, args.clients, args.client_procs, args.seconds)
        figures["mails_in_window"] = mails(outbox)
        registered = sum(figures["statuses"].values()) + args.clients * WARMUP
        started, figures["drain_s"] = time.monotonic(), float("nan")
        while mode != "off" and time.monotonic() - started < args.drain_limit:
            if mails(outbox) >= registered:
                figures["drain_s"] = time.monotonic() - started
                break
            time.sleep(0.2)
        figures["mails"] = mails(outbox)
        figures["registered"] = registered
    finally:
        for process in reversed(processes):
            stop(process)
        remove()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--client-procs", type=int, default=2)
    parser.add_argument("--modes", nargs="+", default=["thread", "process", "process-nice0", "off"])
    parser.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--drain-limit", type=float, default=120)
    args = parser.parse_args(argv)
    print(
        f"{args.store}, gunicorn -w {args.workers}, {args.clients} clients in "
        f"{args.client_procs} processes, {args.seconds:g} s per run; {os.cpu_count()} CPUs"
    )
    header = f"{'mode':14}{'reg/s':>8}{'p50':>9}{'p99':>9}{'mails in run':>14}{'rest sent in':>14}"
    print(header + "\n" + "-" * len(header), flush=True)
    rates: dict[str, list[float]] = defaultdict(list)
    with tempfile.TemporaryDirectory(prefix="bench-mail-") as tmp:
        for _ in range(args.rounds):
            for mode in args.modes:
                wait_until_idle(20)
                f = run(mode, args, Path(tmp))
                rate = len(f["latencies"]) / args.seconds
                rates[mode].append(rate)
                bad = {k: v for k, v in f["statuses"].items() if k != "201"}
                drain = "" if mode == "off" else f"{f['drain_s']:>12.1f} s"
                print(
                    f"{mode:14}{rate:>8.1f}{percentile(f['latencies'], 50):>7.1f}ms"
                    f"{percentile(f['latencies'], 99):>7.1f}ms"
                    f"{f['mails_in_window']:>14}{drain:>14}" + (f"  not 201: {bad}" if bad else ""),
                    flush=True,
                )
                if mode != "off" and f["mails"] < f["registered"]:
                    print(f"  only {f['mails']} of {f['registered']} mails written", flush=True)
    for mode, values in rates.items():
        print(f"{mode}: mean {statistics.mean(values):.1f} registrations/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
