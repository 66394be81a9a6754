"""Helpers for tests of PDFs: poppler's tools (pdffonts, pdftotext, pdftoppm, pdfinfo), zxing.

A test that needs a poppler tool fails when CI=true and the tool is missing, and skips
otherwise (Debian package poppler-utils).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def tool(name: str) -> str:
    """Return the path of a poppler tool; fail in CI, skip elsewhere, when it is missing."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} (Debian package poppler-utils) is not installed"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


def run(*command: str | Path) -> str:
    """Run a command; return its output, failing on errors or complaints on stderr."""
    result = subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stderr, result.stderr
    return result.stdout


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    """Write data to a file in tmp_path; return its path."""
    path = tmp_path / name
    path.write_bytes(data)
    return path


def font_rows(pdf: Path) -> list[list[str]]:
    """Return the rows of pdffonts' table."""
    lines = run(tool("pdffonts"), pdf).splitlines()[2:]
    return [line.split() for line in lines if line.strip()]


def decode_pages(pdf: Path, tmp_path: Path, dpi: int = 150) -> list[list[str]]:
    """Rasterise each page and return the QR texts of each, top to bottom, left to right."""
    import zxingcpp
    from PIL import Image

    prefix = tmp_path / pdf.stem
    run(tool("pdftoppm"), "-r", str(dpi), "-png", pdf, prefix)
    pages = []
    for png in sorted(tmp_path.glob(f"{pdf.stem}-*.png")):
        with Image.open(png) as image:
            results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        ordered = sorted(
            results, key=lambda r: (round(r.position.top_left.y / 100), r.position.top_left.x)
        )
        pages.append([result.text for result in ordered])
    return pages


def page_texts(pdf: Path) -> list[str]:
    """Return the text of each page (pdftotext, pages split at form feeds)."""
    pages = run(tool("pdftotext"), pdf, "-").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def squeezed(text: str) -> str:
    """Return text without any white space (to find phrases that wrap over lines)."""
    return re.sub(r"\s+", "", text)


@dataclass(frozen=True)
class Word:
    """A word as pdftotext -bbox reports it: page (from 1), box in points from the top left."""

    page: int
    x_min: float
    y_min: float
    x_max: float
    y_max: float
    text: str


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
_WORD = re.compile(
    r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)</word>'
)


def words(pdf: Path) -> tuple[list[tuple[float, float]], list[Word]]:
    """Return the page sizes and every word with its page and box (pdftotext -bbox)."""
    import html

    sizes: list[tuple[float, float]] = []
    found: list[Word] = []
    for chunk in run(tool("pdftotext"), "-bbox", pdf, "-").split("</page>"):
        page = _PAGE.search(chunk)
        if page is None:
            continue
        sizes.append((float(page.group(1)), float(page.group(2))))
        for match in _WORD.finditer(chunk):
            x_min, y_min, x_max, y_max = (float(v) for v in match.groups()[:4])
            text = html.unescape(match.group(5))
            found.append(Word(len(sizes), x_min, y_min, x_max, y_max, text))
    return sizes, found


def rasterise(pdf: Path, tmp_path: Path, dpi: int = 72) -> list[Path]:
    """Render each page to a PNG with pdftoppm; return the files in page order."""
    prefix = tmp_path / f"{pdf.stem}-page"
    run(tool("pdftoppm"), "-r", str(dpi), "-png", pdf, prefix)
    return sorted(tmp_path.glob(f"{pdf.stem}-page-*.png"))


def page_count(pdf: Path) -> int:
    """Return the number of pages (pdfinfo)."""
    match = re.search(r"Pages:\s+(\d+)", run(tool("pdfinfo"), pdf))
    assert match is not None
    return int(match.group(1))


def page_size_mm(pdf: Path) -> tuple[float, float]:
    """Return the size of the first page in millimetres, to 0.1 mm (pdfinfo)."""
    match = re.search(r"Page size: +([\d.]+) x ([\d.]+) pts", run(tool("pdfinfo"), pdf))
    assert match is not None
    width, height = (float(value) * 25.4 / 72 for value in match.groups())
    return round(width, 1), round(height, 1)
