"""Benchmark the documents on reportlab: seconds per programme, agreement batch, certificate batch.

Each kind is made in a fresh Python process (fonts warm in the font cache, as on any start
after the first): the first document, then five more, whose median is reported, and the
process's peak resident size (VmHWM). The batches are the samples' Global Connect agreement
twenty times and the three business-visa certificates ten times (30), as an organiser's
largest runs on the day; the demo's own batches are smaller.

    python benchmarks/bench_documents.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import io, json, statistics, sys, time
from dataclasses import replace
from tests import document_samples as samples
from printing import agreement, certificate, programme, stage_sheet
from printing.documents import certificates_for

kind = sys.argv[1]
def make():
    out = io.BytesIO()
    if kind == "programme (A5)":
        out.write(programme.render_programme(samples.programme()))
    elif kind == "stage sheet":
        out.write(stage_sheet.render_stage_sheet(samples.stage_sheet()))
    elif kind == "20 agreements":
        batch = [samples.agreement(replace(samples.GLOBAL_CONNECT, reference=f"GC-{n}"))
                 for n in range(20)]
        agreement.write_agreements(batch, out, wording=samples.WORDING)
    else:
        made = certificates_for(samples.VISA_AWARD, samples.OCCASION, wording=samples.WORDING)
        certificate.write_certificates(made * 10, out, wording=samples.WORDING)
    return len(out.getvalue())

start = time.perf_counter(); size = make(); first = time.perf_counter() - start
times = []
for _ in range(5):
    start = time.perf_counter(); make(); times.append(time.perf_counter() - start)
with open("/proc/self/status") as status:
    rss = next(int(l.split()[1]) * 1024 for l in status if l.startswith("VmHWM:"))
print(json.dumps({"first": first, "median": statistics.median(times), "rss": rss, "bytes": size}))
"""
KINDS = ("programme (A5)", "stage sheet", "20 agreements", "30 certificates")


def measure(kind: str) -> dict[str, float]:
    """Make a kind of document in a fresh process; return its figures."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, kind], cwd=ROOT, env=env, capture_output=True, check=True
    )
    return json.loads(done.stdout.decode().splitlines()[-1])


def main() -> None:
    """Print a table of the figures, one row a kind."""
    print(f"load average {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)")
    print("| document | first in a process | then, median of 5 | PDF | peak RSS |")
    print("|---|---:|---:|---:|---:|")
    for kind in KINDS:
        found = measure(kind)
        print(
            f"| {kind} | {found['first']:.2f} s | {found['median']:.3f} s"
            f" | {found['bytes'] / 1024:.0f} KB | {found['rss'] / 2**20:.0f} MB |"
        )


if __name__ == "__main__":
    main()
