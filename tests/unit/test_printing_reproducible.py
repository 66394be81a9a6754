"""The same document comes out byte for byte the same, whatever process or moment makes it.

Each document is made in its own Python process, with a different PYTHONHASHSEED (so set and
dict iteration over strings differs) and at least a second after the other one (so anything
taken from the wall clock, such as the ``head`` table's timestamps that fontTools writes into
the embedded font programs, differs too).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from printing import typefaces

ROOT = Path(__file__).resolve().parents[2]

# Every document of the samples on stdout, one after the other.
CHILD = """
import io, sys
from dataclasses import replace
from tests import document_samples as samples
from printing import agreement, certificate, programme, stage_sheet
from printing.badges import render_badge
from printing.documents import certificates_for
from tests.unit.test_printing_badges import badge
award = replace(samples.VISA_AWARD, authorities=samples.VISA_AUTHORITIES)
sealed = io.BytesIO()
certificate.write_certificates(
    certificates_for(award, samples.OCCASION, wording=samples.WORDING), sealed,
    wording=samples.WORDING,
)
out = sys.stdout.buffer
for pdf in (
    programme.render_programme(samples.programme()),
    stage_sheet.render_stage_sheet(samples.stage_sheet()),
    agreement.render_agreement(samples.agreement()),
    sealed.getvalue(),
    render_badge(badge()),
):
    out.write(pdf)
"""


def _make_documents(seed: str) -> bytes:
    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    env["PYTHONHASHSEED"] = seed
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, timeout=300
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return result.stdout


def test_documents_are_the_same_bytes_in_processes_with_other_hash_seeds() -> None:
    first = _make_documents("1")
    time.sleep(1.1)  # the next ones are made in another second
    second = _make_documents("2")
    assert first.count(b"%PDF-") == 5
    assert first == second


@pytest.mark.parametrize("face", [typefaces.LATIN, "Noto Sans CJK HK", "Noto Sans CJK SC"])
def test_the_embedded_font_programs_have_fixed_timestamps(face: str) -> None:
    chars = "深港共創 Launch" if face != typefaces.LATIN else "Launch Łódź"
    make = typefaces._latin_program if face == typefaces.LATIN else None

    def program() -> bytes:
        if make is not None:
            return make("Fixed-400", 400, chars)
        return typefaces._cjk_program("Fixed-400", face, 400, chars)

    first = program()
    time.sleep(1.1)
    assert program() == first
    # Not the time the glyph cache was filled, nor the time of saving: a fixed date.
    head = TTFont(io.BytesIO(first))["head"]
    assert head.created == head.modified == typefaces.FONT_TIMESTAMP
