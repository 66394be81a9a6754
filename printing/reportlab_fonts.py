"""The CJK font for reportlab's Canvas, made per text: reportlab embeds TrueType only.

The project's own PDFs use ``printing.pdf``; this is for reportlab drawings (and the
comparisons of ``benchmarks/bench_badges.py``). ``register_fonts(text)`` makes Regular and
Bold programs holding Basic Latin and the characters of text (the same per-document
conversion as the PDFs, never the whole face), registers them under names that change with
the characters, and returns those names.
"""

from __future__ import annotations

import functools
import hashlib
import io
from dataclasses import dataclass

from printing import font_program
from printing.fonts import FAMILY, load_face


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
