"""Read models on a large store: a rebuild's rate, then a backlog caught up while serving.

    python benchmarks/make_store.py --database-url URL --registrations 2000 --scans 585000
    python benchmarks/bench_read_models.py --database-url URL [--serve]

1. Rebuild: forget the tables and project every event, as `flask read-models rebuild`
   does; prints events, seconds, events/s, CPU seconds and peak memory.
2. `--serve`: forget the tables again, start gunicorn -w 2 on the store (each worker's
   follower then applies the backlog) and, while it catches up, load the live-arrivals
   endpoint with wrk; prints the first reads' times, wrk's throughput and latency
   percentiles during the catch-up, and how long the figures took to be complete.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from events_app.config import system_clock  # noqa: E402
from events_app.consistency_http import BEHIND_HEADER  # noqa: E402
from events_app.context import Services, open_services  # noqa: E402

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def rebuild(services: Services) -> None:
    view = services.guest_list
    latest = view.projector.latest()
    wall, cpu = time.perf_counter(), time.process_time()
    view.rebuild()
    seconds, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"rebuild: {latest:,} events in {seconds:.1f} s = {latest / seconds:,.0f} events/s "
        f"(CPU {cpu:.1f} s, peak memory {peak:.0f} MB, load {os.getloadavg()[0]:.1f})"
    )


def get(url: str, token: str) -> tuple[int, dict[str, str], float]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    started = time.monotonic()
    with OPENER.open(request, timeout=60) as response:
        response.read()
        return response.status, dict(response.headers), time.monotonic() - started


def serve(services: Services, database_url: str, seconds: int) -> None:
    token, _ = services.box_office.issue_organiser_token("bench-read-models")
    slug = first_slug(services)
    services.guest_list._forget()
    backlog = services.guest_list.projector.latest()
    folder = Path(tempfile.mkdtemp(prefix="bench-read-models-"))
    port = 18_000 + os.getpid() % 1000
    env = {**os.environ, "DATABASE_URL": database_url, "LAUNCH_EVENTS_INSTANCE": str(folder)}
    command = [str(Path(sys.executable).parent / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}"]
    with (folder / "gunicorn.log").open("wb") as log:
        server = subprocess.Popen(
            [*command, "--no-control-socket", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}/api/v1/gatherings/{slug}"
    try:
        wait_until_up(f"http://127.0.0.1:{port}/api/v1/openapi.json")
        started = time.monotonic()
        for path in ("arrivals", "registrations"):
            status, headers, took = get(f"{base}/{path}", token)
            print(
                f"first read of {path}: {status} in {took:.2f} s, "
                f"{headers.get(BEHIND_HEADER)} behind"
            )
        print(f"backlog: {backlog:,} events; wrk on arrivals while the followers catch up:")
        print(wrk(f"{base}/arrivals", token, seconds))
        while BEHIND_HEADER in get(f"{base}/arrivals", token)[1]:
            time.sleep(0.5)
        print(f"figures complete {time.monotonic() - started:.1f} s after the first read")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def wrk(url: str, token: str, seconds: int) -> str:
    """Run wrk against `url`; return its throughput and latency percentiles."""
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            "-c4",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Authorization: Bearer {token}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    figures = re.findall(r"^\s+(50|90|99)%\s+(\S+)\s*$", output, re.M)
    rate = re.search(r"Requests/sec:\s+(\S+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return (
        f"  {rate.group(1) if rate else '?'} requests/s, "
        + ", ".join(f"p{p} {v}" for p, v in figures)
        + f", non-2xx {errors.group(1) if errors else 0}"
    )


def first_slug(services: Services) -> str:
    notifications = services.box_office.recorder.select_notifications(
        start=1, limit=1, topics=["domain.gathering:Gathering.Scheduled"]
    )
    return str(services.box_office.mapper.to_domain_event(notifications[0]).slug)


def wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with OPENER.open(url, timeout=5) as response:
                json.loads(response.read())
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--serve", action="store_true", help="also catch up while serving")
    parser.add_argument("--seconds", type=int, default=20, help="wrk's run during catch-up")
    args = parser.parse_args()
    services = open_services(args.database_url, tempfile.mkdtemp(), system_clock)
    try:
        rebuild(services)
        if args.serve:
            serve(services, args.database_url, args.seconds)
    finally:
        services.close()


if __name__ == "__main__":
    main()
