"""The sample programme rendered for tests, and what its tests share."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from printing import programme
from tests import document_samples as samples
from tests.pdf_helpers import run, tool, write

AS_OF = "1 March 2026, 18:00 (UTC+8)"
ROOT = Path(__file__).resolve().parents[1]
SAMPLE_NAMES = (
    "Łukasz Wałęsa-Dvořák",
    unicodedata.normalize("NFD", "Nguyễn Thị Minh Khai"),
    "Αλέξανδρος Παπαδόπουλος",
    "Пётр Жуковский",
    "山田はなこ",
    "김민준",
)
"""Names in scripts the CJK font lacks or whose glyphs it must keep (Vietnamese decomposed)."""


def all_text(pdf: Path) -> str:
    """Return the text of a PDF (pdftotext)."""
    return run(tool("pdftotext"), pdf, "-")


def curly(text: str) -> str:
    """Return text with straight double quotes made curly, as the programme prints them."""
    return re.sub(r'(^|\s)"', "\\1\u201c", text).replace('"', "\u201d")


def render_samples(folder: Path) -> dict[str, Path]:
    """Render the sample programme in A5 and A4 into folder; return the files by size."""
    data = samples.programme()
    return {
        "A5": write(folder, "programme.pdf", programme.render_programme(data)),
        "A4": write(folder, "programme-a4.pdf", programme.render_programme(data, page_size="A4")),
    }
