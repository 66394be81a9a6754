"""Letter spacing (``FontBook.draw(char_space=...)``): its own text only, read back as words."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from printing.typefaces import FontBook
from tests.pdf_helpers import page_texts, words, write


def drawn(tmp_path: Path, char_space: float) -> Path:
    book = FontBook.covering(["LABEL text 標籤 VIP 貴賓"])
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1, initialFontName=book.base)
    width = book.draw(canvas, 10, 700, "VIP", 15, bold=True, char_space=char_space)
    book.draw(canvas, 10 + width + 8, 700, "貴賓", 15)  # as a badge's band sets them
    book.draw(canvas, 10, 600, "text", 8)
    canvas.save()
    return write(tmp_path, "spaced.pdf", out.getvalue())


@pytest.mark.parametrize("char_space", [0.6, 1.8, 4.0])
def test_spaced_letters_read_as_words(tmp_path: Path, char_space: float) -> None:
    text = page_texts(drawn(tmp_path, char_space))[0]
    assert "VIP 貴賓" in text
    assert "V I P" not in text


def test_letter_spacing_ends_with_its_text(tmp_path: Path) -> None:
    """Tc is graphics state: left set, later text (a paragraph) would be spaced too."""
    book = FontBook.covering(["text"])
    _, found = words(drawn(tmp_path, 4.0))
    plain = next(word for word in found if word.text == "text")
    assert plain.x_max - plain.x_min == pytest.approx(book.width("text", 8), abs=0.2)
