"""The font fallback chain: which face prints each character, and that every sample name prints."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from printing import typefaces
from printing.typefaces import HANS, HANT, LATIN, FontBook, runs, uncovered
from tests.pdf_helpers import font_rows, page_texts, write

SAMPLE_NAMES = [
    "Łukasz Wałęsa-Dvořák",  # Polish, Czech
    unicodedata.normalize("NFD", "Nguyễn Thị Ánh"),  # Vietnamese, decomposed input
    "Şükrü Öztürk",  # Turkish
    "Ștefan Țăranu",  # Romanian
    "Erdős Pál",  # Hungarian
    "Αλέξανδρος Παπαδόπουλος",  # Greek
    "Жуковский Илья",  # Cyrillic
    "山田はなこ",  # Japanese
    "김민준",  # Korean
    "孫東",
]


def faces(text: str, script: str = HANT) -> list[str]:
    return [face for face, _ in runs(text, script)]


def test_latin_greek_and_cyrillic_take_noto_sans() -> None:
    assert faces("Łukasz Αλέξανδρος Жуковский") == [LATIN]


def test_the_script_chooses_the_chinese_glyph_forms() -> None:
    assert faces("孫東", HANT) == ["Noto Sans CJK HK"]
    assert faces("孙东", HANS) == ["Noto Sans CJK SC"]


def test_kana_and_hangul_choose_the_japanese_and_korean_faces_for_the_whole_text() -> None:
    assert faces("山田はなこ") == ["Noto Sans CJK JP"]
    assert faces("김민준 金") == ["Noto Sans CJK KR"]


def test_mixed_text_is_split_into_runs_and_quotes_go_with_the_chinese_beside_them() -> None:
    assert runs("Sun Dong 孫東 Secretary") == [
        (LATIN, "Sun Dong "),
        ("Noto Sans CJK HK", "孫東 "),
        (LATIN, "Secretary"),
    ]
    assert faces("他說“好”") == ["Noto Sans CJK HK"]
    assert faces("“Hello”") == [LATIN]


def test_decomposed_input_is_composed_before_printing() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn")
    assert "".join(part for _, part in runs(decomposed)) == "Nguyễn"
    assert uncovered(decomposed) == []


def test_characters_no_face_has_are_reported_once_each_and_printed_as_a_white_square() -> None:
    assert uncovered("a𓀀b𓀀☃\n") == ["𓀀"]
    assert runs("a𓀀")[-1] == ("Noto Sans CJK HK", typefaces.REPLACEMENT)


def test_simplified_and_traditional_forms_are_different_glyphs() -> None:
    """骨 and 角 differ between the mainland and Hong Kong standards."""
    for char in "骨角":
        sc = typefaces._cjk_gids("Noto Sans CJK SC")[ord(char)]
        hk = typefaces._cjk_gids("Noto Sans CJK HK")[ord(char)]
        assert sc != hk


def test_script_of_reads_language_tags() -> None:
    assert typefaces.script_of("zh-Hans-CN") == HANS
    assert typefaces.script_of("zh_CN") == HANS
    assert typefaces.script_of("zh-Hant-HK") == HANT
    assert typefaces.script_of("en") == HANT


def draw(names: list[str]) -> bytes:
    book = FontBook((name, HANT) for name in names)
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1, initialFontName=book.base)
    for line, name in enumerate(names):
        book.draw(canvas, 40, 800 - 24 * line, name, 14)
    book.draw(canvas, 40, 300, "VIP 貴賓", 12, bold=True, char_space=2)
    canvas.save()
    return out.getvalue()


def test_every_sample_name_prints_with_embedded_fonts(tmp_path: Path) -> None:
    pdf = write(tmp_path, "names.pdf", draw(SAMPLE_NAMES))
    text = page_texts(pdf)[0]
    for name in SAMPLE_NAMES:
        assert unicodedata.normalize("NFC", name) in text
    assert "□" not in text
    assert "VIP 貴賓" in text  # letter spacing keeps the word one string
    rows = font_rows(pdf)
    assert rows
    assert all(row[-5] == "yes" for row in rows), rows  # emb


def test_the_same_names_give_the_same_bytes() -> None:
    assert draw(SAMPLE_NAMES) == draw(SAMPLE_NAMES)


def test_a_book_grows_for_text_it_was_not_made_for(tmp_path: Path) -> None:
    book = FontBook.covering(["abc"])
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1, initialFontName=book.base)
    book.draw(canvas, 40, 700, "Zürich 深圳", 12)
    canvas.save()
    assert "Zürich 深圳" in page_texts(write(tmp_path, "grown.pdf", out.getvalue()))[0]


@pytest.mark.parametrize("script", [HANT, HANS])
def test_fonts_are_named_by_their_characters(script: str) -> None:
    first = FontBook.covering(["孫東"], script).font(
        "Noto Sans CJK HK" if script == HANT else "Noto Sans CJK SC"
    )
    again = FontBook.covering(["孫東"], script).font(
        "Noto Sans CJK HK" if script == HANT else "Noto Sans CJK SC"
    )
    assert first == again
