"""Letter spacing (``FontBook.draw(char_space=...)``) applies to its own text only."""

from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas

from printing.typefaces import FontBook


def test_letter_spacing_ends_with_its_text() -> None:
    book = FontBook.covering(["LABEL text 標籤"])
    canvas = Canvas(io.BytesIO(), initialFontName=book.base)
    book.draw(canvas, 10, 10, "LABEL 標籤", 8, char_space=1.2)
    book.draw(canvas, 10, 30, "text", 8)
    spaced, plain = canvas._code[-2:]
    # Tc is graphics state: without the reset, later text (a paragraph) would be spaced too.
    assert "1.2 Tc" in spaced
    assert spaced.rindex(" 0 Tc") > spaced.rindex("Tj")
    assert "(text) Tj" in plain
