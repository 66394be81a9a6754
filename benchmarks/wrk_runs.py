"""Running gunicorn servers and wrk against them: the machine's load, CPU use, RESULT lines.

A run is one wrk process driving one server with the shared `scan.lua` script; its figures
are wrk's RESULT line, the CPU the server's process tree (master and workers) used during
the run, read from /proc/<pid>/stat, and wrk's own CPU, from its rusage (os.wait4).
"""

from __future__ import annotations

import http.client
import importlib.metadata
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


class Refused(Exception):
    """The machine stayed busy before a run: its figures would not mean anything."""


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


def wait_until_idle(max_busy: float, limit: float) -> float:
    """Return the CPU busy share over 2 s once under `max_busy`; raise Refused after `limit` s."""
    deadline = time.monotonic() + limit
    busy = cpu_busy(2.0)
    while busy > max_busy:
        if time.monotonic() >= deadline:
            raise Refused(
                f"CPUs {busy:.0%} busy before the run (over {max_busy:.0%} for {limit:.0f} s)"
            )
        busy = cpu_busy(2.0)
    return busy


def load_average() -> str:
    """Return the 1, 5 and 15 minute load averages as `uptime` prints them."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


# Servers -------------------------------------------------------------------------------


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def gunicorn(workers: int, port: int, log: Path) -> list[str]:
    """Return the start of a gunicorn command line: sync workers on 127.0.0.1:`port`."""
    command = [str(Path(sys.executable).parent / "gunicorn"), "-w", str(workers), "-k", "sync"]
    command += ["-b", f"127.0.0.1:{port}", "--backlog", "256", "--error-logfile", str(log)]
    if int(importlib.metadata.version("gunicorn").split(".")[0]) >= 27:
        command.append("--no-control-socket")
    return command


def start_server(
    command: list[str], env: dict[str, str], cwd: Path, port: int, probe: str, log: Path
) -> subprocess.Popen[bytes]:
    """Start a server and return it once GET `probe` answers 200 (within 60 s)."""
    process = subprocess.Popen(command, cwd=cwd, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{command[0]} exited with {process.returncode}:\n{log.read_text()}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", probe)
            if connection.getresponse().status == 200:
                connection.close()
                return process
        except OSError:
            pass
        time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"{command[0]} did not answer within 60 s:\n{log.read_text()}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server started here: SIGTERM, then SIGKILL after 20 s."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _stat(pid: int) -> tuple[int, list[int]]:
    """Return (ppid, [utime, stime, cutime, cstime]) in ticks from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[1]), [int(v) for v in fields[11:15]]


def tree_cpu(master: int) -> float:
    """Return the CPU seconds (user+system) of `master`, its reaped and its live children."""
    total = sum(_stat(master)[1])
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                ppid, times = _stat(int(name))
            except (OSError, IndexError, ValueError):
                continue
            if ppid == master:
                total += times[0] + times[1]
    return total / TICK


# wrk -----------------------------------------------------------------------------------


@dataclass
class Run:
    """One wrk run's figures."""

    result: dict[str, float | str]
    app_cpu: float
    wrk_cpu: float
    busy_before: float

    def __getitem__(self, key: str) -> float:
        return float(self.result[key])  # type: ignore[arg-type]

    @property
    def app_ms_per_scan(self) -> float:
        """Return the server's CPU milliseconds per answered scan."""
        answered = self["responses"]
        return 1000 * self.app_cpu / answered if answered else float("nan")

    @property
    def wrk_ms_per_scan(self) -> float:
        """Return wrk's CPU milliseconds per answered scan."""
        answered = self["responses"]
        return 1000 * self.wrk_cpu / answered if answered else float("nan")


def parse_result(output: str) -> dict[str, float | str]:
    """Return the key=value pairs of scan.lua's RESULT line (numbers as floats)."""
    line = next((x for x in output.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no RESULT line:\n{output}")
    values: dict[str, float | str] = {}
    for pair in line.split()[1:]:
        key, _, value = pair.partition("=")
        try:
            values[key] = float(value)
        except ValueError:
            values[key] = value
    return values


def run_wrk(
    script: Path, port: int, env: dict[str, str], connections: int, seconds: float, master: int
) -> tuple[dict[str, float | str], float, float]:
    """Run wrk for `seconds`; return its RESULT, the server tree's CPU s and wrk's CPU s."""
    threads = min(2, connections)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        f"http://127.0.0.1:{port}",
    ]
    environment = {**os.environ, **env, "SCAN_THREADS": str(threads)}
    before = tree_cpu(master)
    process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE)
    assert process.stdout is not None
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    app_cpu = tree_cpu(master) - before
    if process.returncode != 0:
        raise RuntimeError(f"wrk exited with {process.returncode}:\n{output}")
    return parse_result(output), app_cpu, usage.ru_utime + usage.ru_stime
