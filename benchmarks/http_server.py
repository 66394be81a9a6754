"""What HTTP benchmarks share: a gunicorn to measure, its CPU time and the machine's load."""

from __future__ import annotations

import http.client
import importlib.metadata
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_gunicorn(
    tree: Path, url: str, workers: int, log: Path, env: dict[str, str], probe: str
) -> tuple[subprocess.Popen[bytes], int]:
    """Start gunicorn (sync workers) on the app of `tree`; return it once `probe` answers 200."""
    port = free_port()
    command = [str(Path(sys.executable).parent / "gunicorn"), "-w", str(workers), "-k", "sync"]
    command += ["-b", f"127.0.0.1:{port}", "--timeout", "60", "--backlog", "256"]
    command += ["--error-logfile", str(log)]
    if int(importlib.metadata.version("gunicorn").split(".")[0]) >= 27:
        command.append("--no-control-socket")
    command.append("wsgi:app")
    # No mails are sent: each registration queues one, and the queue is all it costs.
    full_env = {**os.environ, "DATABASE_URL": url, "MAIL_SENDER_THREAD": "off", **env}
    process = subprocess.Popen(command, cwd=tree, env=full_env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log.read_text()}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", probe)
            if connection.getresponse().status == 200:
                connection.close()
                return process, port
        except OSError:
            pass
        time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"gunicorn did not answer within 60 s:\n{log.read_text()}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn gracefully, or kill it after 20 s."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def cpu_seconds(pid: int) -> float:
    """Return the CPU time (user + system) of process `pid` and its live children."""
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(child) for child in children]
    except OSError:
        pass
    total = 0.0
    for each in pids:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def busy_share(seconds: float) -> float:
    """Return the share (0..1) of all CPUs busy over `seconds` (from /proc/stat)."""

    def sample() -> tuple[int, int]:
        with open("/proc/stat") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
        return values[3] + values[4], sum(values[:8])  # idle + iowait; without guest time

    idle_before, total_before = sample()
    time.sleep(seconds)
    idle_after, total_after = sample()
    total = total_after - total_before
    return 1 - (idle_after - idle_before) / total if total else float("nan")
