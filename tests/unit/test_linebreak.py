"""Chinese and Latin line breaking: brackets kept whole, no lone last character, kinsoku."""

from __future__ import annotations

import itertools

import pytest
from reportlab.platypus import Paragraph

from printing.flow import paragraph, style
from printing.linebreak import CANNOT_END, CANNOT_START, Text
from printing.typefaces import FontBook

ORPHANING = "河套深港科技創新合作區深圳園區將聚焦集成電路、人工智能、生物醫藥、先進製造。"
BRACKETED = "本協議由甲方（河套深港科技創新合作區深圳園區發展署）與乙方簽署，雙方同意以下條款。"


def lines_of(flowable: Paragraph, width: float) -> list[str]:
    flowable.wrap(width, 10_000)
    lines = flowable.blPara.lines
    if flowable.blPara.kind == 0:  # reportlab's one-font lines: (space, [words])
        return [" ".join(words) for _, words in lines]
    return ["".join(word.text for word in line.words) for line in lines]


@pytest.fixture(scope="module")
def book() -> FontBook:
    return FontBook.covering([ORPHANING, BRACKETED, "The Hetao Zone will host the launch."])


def width_that_orphans(book: FontBook, size: float) -> float:
    """A width at which plain filling leaves the last character alone on its line."""
    text = ORPHANING[:-2]  # all but the last character and its full stop
    return book.width(text, size) / 2 + 0.5


def test_reportlab_alone_would_leave_one_character_on_the_last_line(book: FontBook) -> None:
    body = style(book, "body", 10)
    plain = Paragraph(book.markup(ORPHANING), body)
    lines = lines_of(plain, width_that_orphans(book, 10))
    assert lines[-1] == "造。"


def test_the_last_line_gets_a_companion(book: FontBook) -> None:
    body = style(book, "body", 10)
    lines = lines_of(paragraph(book, ORPHANING, body), width_that_orphans(book, 10))
    assert "".join(lines) == ORPHANING
    assert len(lines[-1].rstrip("。")) >= 2


@pytest.mark.parametrize("width", [80, 95, 110, 130, 150, 170, 190])
def test_no_line_breaks_inside_a_bracketed_pair_or_against_kinsoku(
    book: FontBook, width: int
) -> None:
    body = style(book, "body", 9)
    lines = lines_of(paragraph(book, BRACKETED, body), width)
    assert "".join(lines) == BRACKETED
    for line in lines:
        assert (
            line.count("（") == line.count("）")
            or len("（河套深港科技創新合作區深圳園區發展署）") * 9 > width
        )
    for before, after in itertools.pairwise(lines):
        assert after[0] not in CANNOT_START
        assert before[-1] not in CANNOT_END


def test_latin_words_are_never_cut(book: FontBook) -> None:
    body = style(book, "body", 10)
    text = "The Hetao Zone will host the launch."
    lines = lines_of(Text(book.markup(text), body), 60)
    assert " ".join(lines) == text
