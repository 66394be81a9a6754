"""The canvas badge sheets are drawn on: pages compressed as they end, crop marks as forms.

reportlab keeps every page of a canvas in memory until ``save``, as the text of its
operators. ``CompactCanvas`` compresses each page's content (Flate) as soon as the page is
finished, so a batch of 10,000 badges holds a few kilobytes a sheet instead of tens.
"""

from __future__ import annotations

import zlib
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream
from reportlab.pdfgen.canvas import Canvas

GUTTER = 8 * mm
MARK_OFFSET = 2.5 * mm
MARK_LENGTH_GUTTER = 3 * mm
MARK_LENGTH_MARGIN = 5 * mm
COLUMNS, ROWS = 2, 2


class CompactCanvas(Canvas):
    """A canvas whose finished pages keep only their compressed content."""

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        """Finish the page as reportlab does, then swap its content for a compressed stream."""
        super().showPage()
        page = self._doc.Pages.pages[-1]
        if page.stream:
            dictionary = PDFDictionary({"Filter": PDFArray([PDFName("FlateDecode")])})
            data = zlib.compress(page.stream.encode("utf8"), 6)
            page.Contents = PDFStream(dictionary, data)
            page.stream = None


def sheet_origins(
    sheet: tuple[float, float], card: tuple[float, float]
) -> list[tuple[float, float]]:
    """Return the lower left trim corners of the cards of a sheet, in printing order."""
    (sheet_width, sheet_height), (width, height) = sheet, card
    block_width = COLUMNS * width + (COLUMNS - 1) * GUTTER
    block_height = ROWS * height + (ROWS - 1) * GUTTER
    left = (sheet_width - block_width) / 2
    top = (sheet_height + block_height) / 2
    return [
        (left + column * (width + GUTTER), top - (row + 1) * height - row * GUTTER)
        for row in range(ROWS)
        for column in range(COLUMNS)
    ]


def crop_mark_lines(
    origins: list[tuple[float, float]], card: tuple[float, float]
) -> list[tuple[float, float, float, float]]:
    """Return the crop marks at every corner of every card slot, outside the bleed."""
    width, height = card
    xs = sorted({x for x, _ in origins} | {x + width for x, _ in origins})
    ys = sorted({y for _, y in origins} | {y + height for _, y in origins})
    lines = []
    for x, y in origins:
        for cx in (x, x + width):
            for cy in (y, y + height):
                out_x = -1 if cx == x else 1
                out_y = -1 if cy == y else 1
                length_x = MARK_LENGTH_MARGIN if cx in (xs[0], xs[-1]) else MARK_LENGTH_GUTTER
                length_y = MARK_LENGTH_MARGIN if cy in (ys[0], ys[-1]) else MARK_LENGTH_GUTTER
                start_x = cx + out_x * MARK_OFFSET
                lines.append((start_x, cy, start_x + out_x * length_x, cy))
                start_y = cy + out_y * MARK_OFFSET
                lines.append((cx, start_y, cx, start_y + out_y * length_y))
    return lines


def crop_marks(canvas: Any, origins: list[tuple[float, float]], card: tuple[float, float]) -> None:
    """Draw the crop marks of the filled slots (a form per number of slots)."""
    name = f"cropmarks{len(origins)}"
    if not canvas.hasForm(name):
        canvas.beginForm(name)
        canvas.setStrokeColorRGB(0, 0, 0)
        canvas.setLineWidth(0.25)
        canvas.lines(crop_mark_lines(origins, card))
        canvas.endForm()
    canvas.doForm(name)
