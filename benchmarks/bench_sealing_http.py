"""Benchmark what sealing personal data costs users: scans and registrations through gunicorn.

Two checkouts of the product side by side in one run: BEFORE (default: the last commit
before personal data were sealed) and this one. Each gets its own store, seeded by its own
`benchmarks/bench_scans.py` (N confirmed guests, enrolled devices, a checkpoint open now),
and its own gunicorn (`-w W` sync workers). wrk (`benchmarks/wrk_post.lua`) then drives
them in turn, A B B A A B ...: first scans of fresh badges (each badge scanned once, so
every answer must be `ok`), then new registrations. The machine must be idle before each
run (the read models of the previous one caught up). Printed per run and as medians:
answers per second, p50/p99, and the gunicorn processes' CPU time per answer.

    python benchmarks/bench_sealing_http.py [--before REF] [-n 30000] [--rounds 3]
        [--seconds 12] [--connections 16] [--workers 3] [--stores sqlite postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from bench_scans import SLUG, drop_url_schema, start_gunicorn, stop, wait_until_idle  # noqa: E402
from common import REGISTER_BODY  # noqa: E402

BEFORE = "cacd6e4^1"
"""The commit before personal data were sealed (the merge of the sealing branch, first parent)."""
SEED = """
import json, sys
from pathlib import Path
import bench_scans
kind, count, workdir, out = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
seeded = bench_scans.seed(kind, count, workdir)
bench_scans.define_checkpoint(seeded.url, workdir, "A")
json.dump({"url": seeded.url, "devices": seeded.device_tokens, "badges": seeded.badges},
          open(out, "w"))
"""
SCAN = '{"token":"{secret}","checkpoint":"A","client_scan_id":"{nonce}","scanned_at":"{now}"}'


@dataclass
class System:
    """One checkout under test: its tree, store, server and how far its badges are used."""

    name: str
    tree: Path
    url: str = ""
    devices: list[str] = field(default_factory=list)
    badges_file: Path = Path()
    next_badge: int = 0
    pid: int = 0
    port: int = 0
    results: dict[str, list[dict[str, float]]] = field(default_factory=dict)


def checkout(ref: str, workdir: Path) -> Path:
    """Return a detached worktree of `ref` in `workdir`."""
    tree = workdir / "before"
    command = ["git", "worktree", "add", "--detach", "-q", str(tree), ref]
    subprocess.run(command, cwd=ROOT, check=True)
    return tree


def seed(system: System, kind: str, count: int, workdir: Path) -> None:
    """Seed the system's store with its own code; keep the badges in a file."""
    out = workdir / f"{system.name}-{kind}.json"
    env = {**os.environ, "PYTHONPATH": f"{system.tree}:{system.tree / 'benchmarks'}"}
    subprocess.run(
        [sys.executable, "-c", SEED, kind, str(count), str(workdir), str(out)],
        cwd=system.tree,
        env=env,
        check=True,
    )
    seeded = json.loads(out.read_text())
    system.url, system.devices = seeded["url"], seeded["devices"]
    system.badges_file = workdir / f"{system.name}-{kind}-badges.txt"
    system.badges_file.write_text("\n".join(seeded["badges"]) + "\n")
    system.next_badge = 0


def cpu_seconds(pid: int) -> float:
    """Return the CPU time (user + system) of process `pid` and its children."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(child) for child in children]
    except OSError:
        pass
    for each in pids:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def wrk(system: System, what: str, args: argparse.Namespace, state: Path) -> dict[str, float]:
    """Run wrk against the system once; return its RESULT figures and the app CPU per answer."""
    threads = 2
    env = {**os.environ, "WRK_THREADS": str(threads), "WRK_STATE": str(state)}
    if what == "scans":
        env |= {
            "WRK_PATH": "/api/v1/scans",
            "WRK_HEADER": f"Authorization: Bearer {system.devices[0]}",
            "WRK_BODY": SCAN,
            "WRK_SECRETS": str(system.badges_file),
            "WRK_FROM": str(system.next_badge),
            "WRK_EXPECT": '"status": *"ok"',
        }
    else:
        env |= {
            "WRK_PATH": f"/api/v1/gatherings/{SLUG}/registrations",
            "WRK_BODY": REGISTER_BODY,
            "WRK_EXPECT": '"state"',
        }
    command = ["wrk", f"-t{threads}", f"-c{args.connections}", f"-d{args.seconds}s"]
    command += ["--timeout", "10s", "--latency", "-s", str(ROOT / "benchmarks" / "wrk_post.lua")]
    before = cpu_seconds(system.pid)
    done = subprocess.run(
        [*command, f"http://127.0.0.1:{system.port}"], env=env, capture_output=True, text=True
    )
    used = cpu_seconds(system.pid) - before
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no RESULT:\n{done.stdout}\n{done.stderr}")
    figures: dict[str, float] = {}
    for key, value in re.findall(r"(\w+)=([\d.]+)\b", line):
        figures[key] = float(value)
    figures["cpu_ms"] = 1000 * used / max(figures["responses"], 1)
    if what == "scans":
        system.next_badge = int(state.read_text().split()[0])
    return figures


def serve(system: System, workers: int, workdir: Path) -> None:
    """Start the system's gunicorn (from its own tree)."""
    log = workdir / f"{system.name}-gunicorn.log"
    process, port = start_gunicorn_in(system.tree, system.url, workers, log)
    system.pid, system.port = process.pid, port
    PROCESSES.append(process)


PROCESSES: list[subprocess.Popen[bytes]] = []


def start_gunicorn_in(tree: Path, url: str, workers: int, log: Path):  # type: ignore[no-untyped-def]
    """Start gunicorn with `bench_scans.start_gunicorn`, run from `tree`."""
    import bench_scans

    saved = bench_scans.ROOT
    bench_scans.ROOT = tree
    os.environ["RATELIMIT_REGISTRATIONS"] = "100000000/minute"
    try:
        return start_gunicorn(url, workers, "sync", 1, log)
    finally:
        bench_scans.ROOT = saved


def run_store(kind: str, systems: list[System], args: argparse.Namespace, workdir: Path) -> None:
    """Seed, serve and measure every system on one store, alternating them."""
    for system in systems:
        seed(system, kind, args.registrations, workdir)
        serve(system, args.workers, workdir)
    state = workdir / "wrk-state"
    for round_ in range(args.rounds):
        order = systems if round_ % 2 == 0 else systems[::-1]
        for what in ("scans", "registrations"):
            for system in order:
                busy = wait_until_idle(60)
                figures = wrk(system, what, args, state)
                figures["busy_before"] = busy
                system.results.setdefault(f"{kind} {what}", []).append(figures)
                print(f"{kind:8} {what:13} round {round_ + 1} {system.name:7} {describe(figures)}")
    for process in PROCESSES:
        stop(process)
    PROCESSES.clear()
    if kind == "postgres":
        for system in systems:
            drop_url_schema(system.url)


def describe(figures: dict[str, float]) -> str:
    """Return one run's figures as a line."""
    return (
        f"{figures['rps']:7.1f}/s p50 {figures['p50_ms']:6.2f} ms p99 {figures['p99_ms']:7.2f} ms"
        f" app CPU {figures['cpu_ms']:5.2f} ms/answer non-2xx {figures['non2xx']:.0f}"
        f" unexpected {figures['unexpected']:.0f} wrapped {figures['wrapped']:.0f}"
    )


def report(systems: list[System]) -> None:
    """Print the medians of each system and the change from BEFORE."""
    print("\nmedians (per store and load):")
    for key in systems[-1].results:
        medians = []
        for system in systems:
            runs = system.results[key]
            medians.append({k: statistics.median(r[k] for r in runs) for k in runs[0]})
        change = 100 * (medians[1]["rps"] / medians[0]["rps"] - 1)
        for system, figures in zip(systems, medians, strict=True):
            print(f"  {key:22} {system.name:7} {describe(figures)}")
        print(f"  {key:22} sealed vs before: {change:+.1f} % answers/s")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print every run and the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=BEFORE, help="the commit to compare with")
    parser.add_argument("-n", "--registrations", type=int, default=30_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=12)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--stores", nargs="+", default=["sqlite", "postgres"])
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-sealing-") as scratch:
        workdir = Path(scratch)
        tree = checkout(args.before, workdir)
        try:
            systems = [System("before", tree), System("sealed", ROOT)]
            for kind in args.stores:
                run_store(kind, systems, args, workdir)
            report(systems)
        finally:
            for process in PROCESSES:
                stop(process)
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
