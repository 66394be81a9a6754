"""Benchmark batch badge printing: badges per second into one PDF, and peak memory.

Side by side in one run, each count (default 1,000 and 10,000) in a fresh Python process:

- ``reportlab``: this tree's ``printing.badges.write_badge_sheets`` (reportlab's canvas);
- ``stream``: the home-made streaming writer it replaced, run from a checkout of commit
  101b0d1 (``--old DIR``, made with ``git worktree add --detach DIR 101b0d1`` when missing).

Each child builds the badges from a generator (as an export of the guest list would), writes
one PDF and reports badges/s (by the clock, and per second of the child's CPU time, which
a busy machine disturbs less), the PDF's size and its peak resident size (VmHWM, which counts
from the child's start: imports and fonts included). A warm-up child per writer fills the
glyph cache first, so no run converts glyphs. The issue's bar: 10,000 badges at 1,000
badges/s or more with a peak under 200 MB.

    python benchmarks/bench_badges.py [-n 1000 10000] [--old /tmp/oldprint] [--only reportlab]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OLD_COMMIT = "101b0d1"
SURNAMES = "陳李張黃何林吳劉蔡楊鄭謝郭梁許曾羅葉蘇孫钟簡魚查"
GIVEN = "東國彬偉海毅超秉修依雯晨志明家豪嘉欣美玲俊傑子軒詠詩浩然"
CATEGORIES = ["guest", "vip", "speaker", "press", "exhibitor", "partner", "staff"]


def badges(count: int) -> Iterator[Any]:
    """Yield count varied badges (Chinese and English names, all categories, both scripts)."""
    import dataclasses

    from events_app.services.print_wording import wording
    from printing.badges import BadgeData

    scripted = "script" in {f.name for f in dataclasses.fields(BadgeData)}
    for i in range(count):
        given = GIVEN[(i * 7) % len(GIVEN)] + GIVEN[(i * 13) % len(GIVEN)]
        zh = SURNAMES[i % len(SURNAMES)] + given
        simplified = i % 4 == 3
        extra = {"script": "hans" if simplified else "hant"} if scripted else {}
        yield BadgeData(
            full_name=f"Guest Number {i} Wong",
            name_zh=zh if i % 5 else "",
            organisation=f"Shenzhen-Hong Kong Innovation Company {i % 97} Limited",
            job_title="Director of Innovation Development" if i % 3 else "Engineer",
            category=CATEGORIES[i % len(CATEGORIES)],
            qr_payload=f"b1.k1.{i:010d}.{'x' * 43}",
            event_title_en="Launch ceremony of the Hetao Hong Kong Youth Innovation Valley",
            event_title_zh="「一園兩地、深港共創」暨河套香港青年科創谷啟動儀式",
            event_date="2 March 2026, 09:30",
            venue="Hong Kong Science Park Shenzhen Branch",
            wording=wording("zh_Hans_CN" if simplified else "zh_Hant_HK"),
            **extra,
        )


def peak_rss() -> int:
    """Return this process's peak resident size in bytes (VmHWM)."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))


def child(count: int, out_dir: str) -> dict[str, float]:
    """Write count badges into one PDF in out_dir (in this process); return the figures."""
    from printing.badges import write_badge_sheets

    path = Path(out_dir) / f"badges-{os.getpid()}.pdf"
    start, cpu = time.perf_counter(), time.process_time()
    with open(path, "wb") as out:
        written = write_badge_sheets(badges(count), out)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    figures = {"count": written, "seconds": seconds, "cpu": cpu, "bytes": path.stat().st_size}
    figures["maxrss"] = peak_rss()
    path.unlink()
    return figures


def measure(tree: Path, count: int, out_dir: str) -> dict[str, float]:
    """Run one count in a fresh process with tree's printing package; return its figures."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    command = [sys.executable, __file__, "--child", str(count), out_dir]
    result = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    return json.loads(result.stdout.strip().splitlines()[-1])


def old_tree(path: Path) -> Path:
    """Return a checkout of the old writer's commit, made as a detached worktree if missing."""
    if not (path / "printing" / "pdf.py").exists():
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(path), OLD_COMMIT],
            check=True,
            capture_output=True,
        )
    return path


def main() -> None:
    """Measure both writers side by side and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--old", default="/tmp/oldprint", help="checkout of " + OLD_COMMIT)
    parser.add_argument("--only", choices=["reportlab", "stream"], default=None)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(int(args.child[0]), args.child[1])))
        return
    trees = {"reportlab": ROOT}
    if args.only != "reportlab":
        trees["stream"] = old_tree(Path(args.old))
    if args.only == "stream":
        del trees["reportlab"]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    print(f"load average {os.getloadavg()[0]:.2f} at the start")
    print(
        f"{'writer':<12}{'badges':>8}{'seconds':>9}{'badges/s':>10}{'per CPU s':>10}"
        f"{'PDF MiB':>9}{'peak MiB':>10}"
    )
    with tempfile.TemporaryDirectory() as out_dir:
        for tree in trees.values():
            measure(tree, 100, out_dir)  # warm-up: the glyph cache holds the batch's glyphs
        for count in args.n:
            for name, tree in trees.items():
                f = measure(tree, count, out_dir)
                print(
                    f"{name:<12}{int(f['count']):>8}{f['seconds']:>9.2f}"
                    f"{f['count'] / f['seconds']:>10.0f}{f['count'] / f['cpu']:>10.0f}"
                    f"{f['bytes'] / 2**20:>9.1f}"
                    f"{f['maxrss'] / 2**20:>10.1f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
