"""reportlab drawings for the tests and benchmarks: the CJK font and QR codes on a Canvas.

reportlab is a test dependency only: the project's own PDFs use ``printing.pdf``. These
helpers let the tests check that the fonts and QR codes also work in reportlab drawings,
and ``benchmarks/bench_badges.py`` compare reportlab's Canvas with ``printing.pdf``.

``register_fonts(text)`` makes Regular and Bold programs holding Basic Latin and the
characters of text (the same per-document conversion as the PDFs, never the whole face),
registers them under names that change with the characters, and returns those names.
``draw_on_canvas`` draws a QR code with the rectangles ``printing.badges`` uses.
"""

from __future__ import annotations

import functools
import hashlib
import io
from dataclasses import dataclass
from typing import Any

from printing import font_program
from printing.fonts import FAMILY, load_face
from printing.qr import QUIET_ZONE, QrCode, dark_rectangles, make_qr, quiet_size


@dataclass(frozen=True)
class FontSet:
    """The reportlab names of the registered Regular and Bold fonts."""

    regular: str
    bold: str


def register_fonts(text: str = "") -> FontSet:
    """Register Regular and Bold covering Basic Latin and text with reportlab; return names."""
    chars = "".join(sorted(set(text) | {chr(code) for code in range(0x20, 0x7F)}))
    return _register(chars)


@functools.lru_cache(maxsize=64)
def _register(chars: str) -> FontSet:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    digest = hashlib.sha256(chars.encode()).hexdigest()[:8]
    names = FontSet(f"NotoSansCJKhk-Regular-{digest}", f"NotoSansCJKhk-Bold-{digest}")
    for style, name in (("Regular", names.regular), ("Bold", names.bold)):
        pdfmetrics.registerFont(TTFont(name, io.BytesIO(_program(style, name, chars))))
    pdfmetrics.registerFontFamily(
        names.regular, normal=names.regular, bold=names.bold, italic=names.regular
    )
    return names


def _program(style: str, postscript: str, chars: str) -> bytes:
    """Return a standalone TrueType font of a style with a cmap for chars."""
    face = load_face(style)
    cmap = {ord(c): face.gids[face.cmap[ord(c)]] for c in chars if ord(c) in face.cmap}
    gids = sorted(set(cmap.values()) - {0})
    names = font_program.Names(FAMILY, style, postscript, face.weight, cmap)
    return font_program.program(face.weight, gids, names=names)


def draw_on_canvas(canvas: Any, payload: str, x: float, y: float, side: float) -> QrCode:
    """Draw payload's QR code on a reportlab canvas in a side x side square at (x, y)."""
    code = make_qr(payload)
    module = side / quiet_size(code)
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, side, side, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    top = y + side - QUIET_ZONE * module
    for column, row, width, height in dark_rectangles(code):
        path.rect(
            x + (QUIET_ZONE + column) * module,
            top - (row + height) * module,
            width * module,
            height * module,
        )
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
    return code
