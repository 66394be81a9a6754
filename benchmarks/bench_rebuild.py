"""`flask read-models rebuild` through the real CLI, on each store given: time, rate, CPU, memory.

    python benchmarks/make_store.py --database-url URL --registrations 2000 --scans 560000
    python benchmarks/bench_rebuild.py --database-url sqlite:////abs/m1.db \\
        --database-url 'postgresql://postgres@127.0.0.1:5432/test?schema=bench_rebuild_m1'

Each rebuild runs as `flask --app wsgi read-models rebuild` with DATABASE_URL and
EVENTS_SECRET_KEY set (use the key the store was made with). With `--tty` its stderr is a
pseudo-terminal, and the progress bar's redraws are counted; otherwise stderr is a pipe, and
the lines it wrote are counted (a log must get the label once, not a line per batch).
Prints, per store: events, seconds, events/s, CPU seconds (user + system, of the CLI
process), peak memory and the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import pty
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def command() -> list[str]:
    """Return the CLI command, with this interpreter's flask."""
    return [str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "read-models", "rebuild"]


def environment(url: str, secret: str) -> dict[str, str]:
    """Return the CLI's environment for the store at `url`."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "EVENTS_SECRET_KEY": secret,
        "PYTHONPATH": str(ROOT),
        "LAUNCH_EVENTS_INSTANCE": os.environ.get("LAUNCH_EVENTS_INSTANCE", "/tmp/bench-rebuild"),
    }


Run = tuple[str, bytes, resource.struct_rusage]
"""What the CLI printed on stdout and on stderr, and the resources it used."""


def finish(process: subprocess.Popen[bytes], err: bytes) -> resource.struct_rusage:
    """Wait for the CLI; return its own resource usage (not that of earlier runs)."""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"rebuild failed: {err[-800:]!r}")
    return usage


def run_piped(env: dict[str, str]) -> Run:
    """Run the rebuild with stderr a pipe."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command(), cwd=ROOT, env=env, stdout=out, stderr=err)
        usage = finish(process, b"")  # the exit status is left for wait4, with the usage
        out.seek(0)
        err.seek(0)
        return out.read().decode(), err.read(), usage


def run_on_tty(env: dict[str, str]) -> Run:
    """Run the rebuild with stderr a pseudo-terminal (what the terminal got is its stderr)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        command(), cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=follower
    )
    os.close(follower)
    screen = bytearray()
    while True:
        try:
            chunk = os.read(leader, 65_536)
        except OSError:  # the tty closes when the process ends
            break
        if not chunk:
            break
        screen += chunk
    out = process.stdout.read().decode() if process.stdout else ""
    os.close(leader)
    return out, bytes(screen), finish(process, bytes(screen))


def measure(url: str, secret: str, tty: bool) -> None:
    """Rebuild the store at `url` once and print the figures."""
    load = os.getloadavg()[0]
    started = time.perf_counter()
    out, err, usage = (run_on_tty if tty else run_piped)(environment(url, secret))
    seconds = time.perf_counter() - started
    cpu = usage.ru_utime + usage.ru_stime
    found = re.search(r"event (\d+) in ([\d.]+) s", out)
    events, rebuilt = (int(found.group(1)), float(found.group(2))) if found else (0, seconds)
    kind = url.split(":", 1)[0]
    print(
        f"{kind}: {events:,} events rebuilt in {rebuilt:.1f} s = {events / rebuilt:,.0f} "
        f"events/s; the process {seconds:.1f} s with the app's start (CPU {cpu:.1f} s, "
        f"peak memory {usage.ru_maxrss / 1024:.0f} MB, load {load:.1f} -> "
        f"{os.getloadavg()[0]:.1f}, {os.cpu_count()} CPUs)"
    )
    if tty:
        redraws = err.count(b"\r") + err.count(b"\x1b[")
        print(f"  progress bar on a terminal: {redraws} redraws, last: {_last_bar(err)!r}")
    else:
        lines = err.decode(errors="replace").splitlines()
        print(f"  stderr as a pipe: {len(lines)} line(s), {len(err)} bytes: {lines[:3]!r}")


def _last_bar(screen: bytes) -> str:
    text = screen.decode(errors="replace").replace("\x1b[?25l", "").replace("\x1b[?25h", "")
    shown = [part.strip() for part in re.split(r"[\r\n]", text) if part.strip()]
    return shown[-1] if shown else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", action="append", required=True)
    parser.add_argument("--secret-key", default=os.environ.get("EVENTS_SECRET_KEY", ""))
    parser.add_argument("--tty", action="store_true", help="stderr a terminal (count redraws)")
    args = parser.parse_args()
    for url in args.database_url:
        measure(url, args.secret_key, args.tty)


if __name__ == "__main__":
    main()
