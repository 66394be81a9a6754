"""Benchmark batch badge printing: badges per second into one PDF, and peak memory.

For each count (default 1,000 and 10,000) a fresh Python process builds the badges lazily
(a generator, as an export of the guest list would) and streams them with
``write_badge_sheets`` into one PDF file. It runs twice per count:

- once timed (font metrics loaded beforehand; on an empty font cache the first run also
  converts the batch's glyphs, about a second once, later runs read them), reporting
  badges/s, the PDF's size and the process's peak resident size (VmHWM);
- once under tracemalloc (which slows Python down, so it is not timed), reporting the peak
  of Python allocations during the batch.

Flat memory means the peak hardly moves from 1,000 to 10,000 badges.

    python benchmarks/bench_badges.py [-n 1000 10000] [--out DIR] [--reportlab 1000 5000]

``--reportlab N ...`` also measures, for comparison, reportlab's Canvas drawing N simple
pages (text and a QR code per badge), which keeps every page in memory until save().
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from events_app.services.print_wording import wording
from printing.badges import BadgeData, write_badge_sheets
from printing.fonts import load_face
from tests.reportlab_drawing import draw_on_canvas, register_fonts

SURNAMES = "陳李張黃何林吳劉蔡楊鄭謝郭梁許曾羅葉蘇孫钟簡魚查"
GIVEN = "東國彬偉海毅超秉修依雯晨志明家豪嘉欣美玲俊傑子軒詠詩浩然"
CATEGORIES = ["guest", "vip", "speaker", "press", "exhibitor", "partner", "staff"]


def badges(count: int) -> Iterator[BadgeData]:
    """Yield count varied badges (Chinese and English names, all categories)."""
    for i in range(count):
        given = GIVEN[(i * 7) % len(GIVEN)] + GIVEN[(i * 13) % len(GIVEN)]
        zh = SURNAMES[i % len(SURNAMES)] + given
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
            wording=wording("zh_Hans_CN" if i % 4 == 3 else "zh_Hant_HK"),
        )


def peak_rss() -> int:
    """Return this process's peak resident size in bytes.

    VmHWM where Linux has it: ru_maxrss would start from the parent's size at the fork.
    """
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def run_badges(count: int, out_dir: str, traced: bool) -> dict[str, float]:
    """Stream count badges into one PDF in out_dir; return the figures."""
    load_face("Regular"), load_face("Bold")
    path = Path(out_dir) / f"badges-{count}.pdf"
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    with open(path, "wb") as out:
        written = write_badge_sheets(badges(count), out)
    seconds = time.perf_counter() - start
    figures = {"count": written, "seconds": seconds, "bytes": path.stat().st_size}
    if traced:
        figures["traced_peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    figures["maxrss"] = peak_rss()
    path.unlink()
    return figures


def run_reportlab(count: int, out_dir: str, traced: bool) -> dict[str, float]:
    """Draw count simple badge pages on one reportlab Canvas; return the figures."""
    from reportlab.pdfgen.canvas import Canvas

    fonts = register_fonts("".join(b.name_zh + b.full_name + b.organisation for b in badges(count)))
    path = Path(out_dir) / f"reportlab-{count}.pdf"
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    canvas = Canvas(str(path), pagesize=(255, 368))
    for badge in badges(count):
        canvas.setFont(fonts.bold, 24)
        canvas.drawString(20, 300, badge.name_zh or badge.full_name)
        canvas.setFont(fonts.regular, 10)
        canvas.drawString(20, 280, badge.organisation)
        draw_on_canvas(canvas, badge.qr_payload, 70, 60, 110)
        canvas.showPage()
    canvas.save()
    seconds = time.perf_counter() - start
    figures = {"count": count, "seconds": seconds, "bytes": path.stat().st_size}
    if traced:
        figures["traced_peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    figures["maxrss"] = peak_rss()
    path.unlink()
    return figures


def measure(kind: str, count: int, out_dir: str) -> dict[str, float]:
    """Run one configuration twice in fresh processes (timed, traced); merge the figures."""
    figures: dict[str, float] = {}
    for traced in (False, True):
        command = [sys.executable, __file__, "--child", kind, str(count), out_dir]
        if traced:
            command.append("--traced")
        result = subprocess.run(command, check=True, capture_output=True, text=True)
        child = json.loads(result.stdout.strip().splitlines()[-1])
        if traced:
            figures["traced_peak"] = child["traced_peak"]
        else:
            figures.update(child)
    return figures


def mib(value: float) -> str:
    """Format bytes as MiB."""
    return f"{value / 2**20:.1f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--reportlab", type=int, nargs="*", default=[])
    parser.add_argument("--out", default=None, help="directory for the PDFs (deleted after)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, count, out_dir = args.child
        run = run_badges if kind == "badges" else run_reportlab
        print(json.dumps(run(int(count), out_dir, args.traced)))
        return

    load_face("Regular"), load_face("Bold")  # cache the metrics, outside the measured runs
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    print(f"{'what':<28}{'badges':>8}{'badges/s':>10}{'PDF':>12}{'traced peak':>14}{'maxrss':>12}")
    with tempfile.TemporaryDirectory(dir=args.out) as out_dir:
        rows = [("write_badge_sheets (stream)", "badges", n) for n in args.n]
        rows += [("reportlab Canvas (compare)", "reportlab", n) for n in args.reportlab]
        for label, kind, count in rows:
            f = measure(kind, count, out_dir)
            print(
                f"{label:<28}{int(f['count']):>8}{f['count'] / f['seconds']:>10.0f}"
                f"{mib(f['bytes']):>12}{mib(f['traced_peak']):>14}{mib(f['maxrss']):>12}",
                flush=True,
            )


if __name__ == "__main__":
    main()
