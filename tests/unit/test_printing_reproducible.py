"""The same document comes out byte for byte the same, whatever process or moment makes it.

Each document is made in its own Python process, with a different PYTHONHASHSEED (so set and
dict iteration over strings differs) and at least a second after the other one (so anything
taken from the wall clock, such as the ``head`` table's timestamps that fontTools writes into
the embedded font program, differs too).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

from fontTools.ttLib import TTFont

from printing import pdf
from printing.fonts import load_face

ROOT = Path(__file__).resolve().parents[2]

# Builds a small document on stdout: CJK text in both weights, quotes and dots trimmed next to
# English (so the subset holds trimmed copies of glyphs), and a bracket opening a line.
CHILD = """
import io, sys
from printing.layout import new_writer
from printing.pdf import Content

buffer = io.BytesIO()
writer, ts = new_writer(buffer, "可重現 reproducible")
content = Content()
content.show(20, 260, "「一園兩地、深港共創」暨河套香港青年科創谷啟動儀式", ts.regular, 12)
content.show(20, 240, "「啟動」儀式 · 2026年3月2日（星期一）", ts.bold, 12)
content.show(20, 220, "“One Park, Two Places” · ‘Co-creation’ — 深港共創", ts.regular, 12)
content.show(20, 200, "Sun Dong · 孫東 · “HKSTP” 香港科技園公司", ts.bold, 12)
writer.add_page(400, 300, content)
variants = [len(font.variants) for font in writer.fonts]
writer.close()
assert all(variants), variants  # both fonts carry trimmed glyphs
sys.stdout.buffer.write(buffer.getvalue())
"""


def _make_document(seed: str) -> bytes:
    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    env["PYTHONHASHSEED"] = seed
    result = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return result.stdout


def test_a_document_is_the_same_bytes_in_processes_with_other_hash_seeds() -> None:
    load_face("Regular")  # fill the font cache first, outside the children
    load_face("Bold")
    first = _make_document("1")
    time.sleep(1.1)  # the next one is made in another second
    second = _make_document("2")
    assert first.startswith(b"%PDF-")
    assert first == second


def test_the_embedded_font_program_has_fixed_timestamps() -> None:
    face = load_face("Regular")
    codes = sorted({face.cmap[ord(char)] for char in "深港共創 Launch"})
    program, _ = pdf._subset_program(face, codes)
    time.sleep(1.1)
    again, _ = pdf._subset_program(face, codes)
    assert again == program
    # Not the time the font cache was built, nor the time of saving: a fixed date.
    head = TTFont(io.BytesIO(program))["head"]
    assert head.created == head.modified == pdf._FONT_TIMESTAMP
