"""Benchmark a fresh install's first PDFs: cold and warm font cache, time and peak memory.

Two measures, each on an empty font cache (cold: a fresh install) and then on the cache the
cold run filled (warm: any later start):

- in a fresh Python process per document (badge, programme, agreement): the seconds from
  the first import of the printing code to the PDF's last byte, and the process's peak
  resident size (VmHWM, else ru_maxrss);
- through gunicorn as the README runs it (``-w 3``, default 30 s timeout) on a new store
  with the demo: the seconds of the first badge (three at once, one per worker), programme
  and agreement requests, the largest worker's peak resident size (VmHWM), and the seconds
  from launching gunicorn to its first answer.

    python benchmarks/bench_first_pdf.py [--skip-gunicorn]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.first_pdf_server import FirstPdfServer, call, first_pdf_server  # noqa: E402

CHILD = """
import json, resource, sys, time
from events_app.services.print_wording import wording  # a server has the app loaded already
start = time.perf_counter()
from tests import document_samples as samples
kind = sys.argv[1]
if kind == "badge":
    from printing.badges import BadgeData, render_badge
    pdf = render_badge(BadgeData(
        full_name="Sun Dong", name_zh="孫東", organisation="HKSAR Government",
        job_title="Secretary for Innovation, Technology and Industry", category="vip",
        qr_payload="b1.k1." + "x" * 50,
        event_title_en="Launch ceremony of the Hetao Hong Kong Youth Innovation Valley",
        event_title_zh="「一園兩地、深港共創」暨河套香港青年科創谷啟動儀式",
        event_date="2 March 2026, 09:30", venue="Hong Kong Science Park Shenzhen Branch",
        wording=wording()))
elif kind == "programme":
    from printing.programme import render_programme
    pdf = render_programme(samples.programme())
else:
    from printing.agreement import render_agreement
    pdf = render_agreement(samples.agreement())
seconds = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
try:  # Linux: ru_maxrss keeps the parent's size from before exec; VmHWM is this program's
    with open("/proc/self/status") as status:
        rss = next(int(l.split()[1]) * 1024 for l in status if l.startswith("VmHWM:"))
except OSError:
    pass
print(json.dumps({"seconds": seconds, "maxrss": rss, "bytes": len(pdf)}))
"""
KINDS = ("badge", "programme", "agreement")


def in_process(kind: str, cache: Path) -> dict[str, float]:
    """Make one document in a fresh process with cache as the font cache."""
    env = {**os.environ, "LAUNCH_EVENTS_FONT_CACHE": str(cache), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", CHILD, kind], cwd=ROOT, env=env, capture_output=True, check=True
    )
    return json.loads(result.stdout.decode().splitlines()[-1])


def worker_peak(server: FirstPdfServer) -> int:
    """Return the largest VmHWM (bytes) among the gunicorn processes of the server's log."""
    peak = 0
    for pid in {
        line.split("pid: ")[1].strip(")\n ") for line in server.log.open() if "pid: " in line
    }:
        status = Path(f"/proc/{pid}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]) * 1024)
    return peak


def through_gunicorn(work: Path, cache: Path) -> dict[str, float]:
    """Start gunicorn on a new store in work; time the first badges, programme, agreement."""
    with first_pdf_server(work, cache, workers=3) as server:
        figures: dict[str, float] = {}
        badges: list[tuple[int, bytes, float]] = []
        threads = [
            threading.Thread(target=lambda u=url: badges.append(call(u, token=server.token)))
            for url in server.badges
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        figures["badge"] = max(seconds for _, _, seconds in badges)
        statuses = [status for status, _, _ in badges]
        for kind, url in (("programme", server.programme), ("agreement", server.agreement)):
            status, _, figures[kind] = call(url, token=server.token)
            statuses.append(status)
        figures["statuses"] = statuses  # type: ignore[assignment]
        figures["maxrss"] = worker_peak(server)
        figures["start"] = server.start_seconds
    return figures


def mib(value: float) -> str:
    """Format bytes as MiB."""
    return f"{value / 2**20:.0f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-gunicorn", action="store_true")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    print(f"{'what':<34}{'badge':>9}{'programme':>11}{'agreement':>11}{'peak RSS':>11}")
    with tempfile.TemporaryDirectory() as directory:
        for label in ("cold", "warm"):  # each kind its own cache: empty, then as it left it
            runs = {kind: in_process(kind, Path(directory) / f"fonts-{kind}") for kind in KINDS}
            peak = max(run["maxrss"] for run in runs.values())
            times = "".join(
                f"{runs[k]['seconds']:>{w}.2f}s" for k, w in zip(KINDS, (8, 10, 10), strict=True)
            )
            print(f"{'fresh process, ' + label + ' cache':<34}{times}{mib(peak):>11}", flush=True)
        if args.skip_gunicorn:
            return
        gunicorn_cache = Path(directory) / "fonts-gunicorn"
        for number, label in enumerate(("cold", "warm")):
            work = Path(directory) / f"store-{number}"
            work.mkdir()
            f = through_gunicorn(work, gunicorn_cache)
            times = "".join(f"{f[k]:>{w}.2f}s" for k, w in zip(KINDS, (8, 10, 10), strict=True))
            line = f"{'gunicorn -w 3, ' + label + ' cache':<34}{times}{mib(f['maxrss']):>11}"
            print(f"{line}   start {f['start']:.2f}s, HTTP {f['statuses']}", flush=True)


if __name__ == "__main__":
    main()
