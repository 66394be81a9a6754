"""Agreements on reportlab: the words on paper — titles, clause numbers, Chinese lines, scripts.

Pure: no Flask. The PDFs are read back with poppler's tools (see tests/pdf_helpers.py).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest

from printing import agreement
from printing.clause_numbers import own_number
from printing.documents import Person
from printing.linebreak import greedy_starts
from printing.typefaces import uncovered
from tests import document_samples as samples
from tests.pdf_helpers import font_rows, run, squeezed, tool, write

NAMES = ("Łukasz Wałęsa-Dvořák", "Nguyễn Thị Minh Khai", "Αλέξανδρος", "Жуковский")
NAMES_CJK = ("山田はなこ", "김민준")


def all_text(pdf: Path) -> str:
    return run(tool("pdftotext"), pdf, "-")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("agreement-text")
    return write(folder, "agreement.pdf", agreement.render_agreement(samples.agreement()))


def test_titles_break_in_balanced_lines_at_good_places(sample: Path) -> None:
    lines = [line.strip() for line in all_text(sample).splitlines()]
    assert "「Global Connect」合作夥伴協議：" in lines
    assert "深耕灣區 連結世界" in lines
    assert "“Global Connect” Partnership Agreement:" in lines


@pytest.mark.parametrize(
    ("clause", "position", "number"),
    [
        ("1. Premises: desk B-301", 2, "1."),
        ("2.1 Rent is paid monthly", 1, "2.1"),
        ("2.1) Rent is paid monthly", 1, "2.1)"),
        ("1 Premises", 1, "1"),
        ("2 Term", 3, ""),
        ("3 months' notice ends the licence", 1, ""),
        ("(a) the Tenant shall", 1, "(a)"),
        ("(iv) and so on", 4, "(iv)"),
        ("b) the Park shall", 2, "b)"),
        ("（一）租期", 1, "（一）"),
        ("第一條 租期", 1, "第一條"),
        ("第十二条 适用法律", 12, "第十二条"),
        ("一、租期兩年", 1, "一、"),
        ("Article 3: Term", 3, "Article 3:"),
        ("The Park Company grants", 1, ""),
        ("一園兩地", 1, ""),
    ],
)
def test_own_numbers_are_found(clause: str, position: int, number: str) -> None:
    assert own_number(clause, position) == number


def test_a_bare_number_counts_when_it_follows_the_clause_before() -> None:
    assert own_number("2 Term", 3, previous="1.") == "2"
    assert own_number("2 Term", 3, previous="(a)") == ""


def test_a_clause_with_its_own_number_is_not_numbered_twice(tmp_path: Path) -> None:
    clauses = (
        "SAMPLE DOCUMENT for the demo only.",
        "1. Premises: desk B-301, Block B. 物業：乙座。",
        "2 Term: two years from the signing date.",
        "4 Rent: none; the desk is granted free of charge.",
        "第三條 服務：培育及概念驗證支援。",
        "7 Notice: 3 months in writing.",
        "一、本協議受香港特別行政區法律管轄。",
        "(e) Each party keeps the terms confidential.",
    )
    data = samples.agreement(replace(samples.TENANCY, clauses=clauses))
    text = all_text(write(tmp_path, "own.pdf", agreement.render_agreement(data)))
    flat = squeezed(text)
    for doubled in ("2.1.Premises", "3.2Term", "4.4Rent", "5.第三條", "7.一、", "8.(e)"):
        assert doubled not in flat, doubled
    # The text numbers its clauses: the preamble and "7 " (neither its place nor the next
    # after the one before) get no number; a bare "2 " follows "1."; "4 " is its own place.
    kept = ("如下：SAMPLE", "1.Premises", "2Term", "4Rent", "第三條服務", "。7Notice", "一、本協議")
    for phrase in (*kept, "(e)Each"):
        assert phrase in flat, phrase
    plain = samples.agreement(replace(samples.TENANCY, clauses=("Preamble.", "Terms.")))
    plain_text = squeezed(all_text(write(tmp_path, "plain.pdf", agreement.render_agreement(plain))))
    assert "1.Preamble.2.Terms." in plain_text
    assert not re.search(r"\d\.\s*1\.\s*Premises", text)


def test_chinese_lines_keep_no_lone_last_character_nor_break_inside_brackets(
    tmp_path: Path,
) -> None:
    # The clause's text column holds 42 ideographs at 10 pt: 39 + 先進製造。 would leave
    # 造。 alone on the last line; （先進製造） at the end of a line would be cut open.
    filler = "園區企業人才研發" * 5
    orphaned = filler[:39] + "先進製造。"
    bracketed = filler[:38] + "（先進製造）及人才計劃。"

    class Glyph(str):
        width = 10.0

    column = agreement.TEXT_WIDTH - agreement.NUMBER_WIDTH
    assert greedy_starts([Glyph(c) for c in orphaned], [column])[-1] == 42  # a lone 造。
    assert bracketed.index("（") < 42 < bracketed.index("）")  # a cut at 42 would open it
    data = samples.agreement(replace(samples.TENANCY, clauses=(orphaned, bracketed)))
    pdf = write(tmp_path, "cjk.pdf", agreement.render_agreement(data))
    lines = [squeezed(line) for line in run(tool("pdftotext"), "-layout", pdf, "-").splitlines()]
    assert "製造。" in lines  # the last line has a companion
    assert "造。" not in lines
    cut = [line for line in lines if "（" in line and "）" not in line[line.index("（") :]]
    assert not cut, cut
    assert any(line.startswith("（先進製造）及人才計劃。") for line in lines)


def test_names_in_every_script_print_without_boxes(tmp_path: Path) -> None:
    people = tuple(
        Person(unicodedata.normalize("NFD", name), "", "Director", f"Firm {n}")
        for n, name in enumerate(NAMES)
    ) + tuple(Person("", name, "代表", f"Firm {name}") for name in NAMES_CJK)
    item = replace(samples.TENANCY, people=people, parties=())
    pdf = write(tmp_path, "names.pdf", agreement.render_agreement(samples.agreement(item)))
    text = unicodedata.normalize("NFC", all_text(pdf))
    for name in (*NAMES, *NAMES_CJK):
        assert name in text, name
    assert "□" not in text
    assert "\ufffd" not in text
    faces = " ".join(row[0] for row in font_rows(pdf))
    assert "NotoSansCJKJP" in faces
    assert "NotoSansCJKKR" in faces


def test_a_simplified_reader_gets_sc_glyph_forms_and_a_traditional_one_hk(tmp_path: Path) -> None:
    from events_app.services.print_wording import in_document_script, wording

    simplified = in_document_script(
        replace(samples.agreement(), wording=wording("zh_Hans_CN")), "zh_Hans_CN"
    )
    pdf = write(tmp_path, "sc.pdf", agreement.render_agreement(simplified))
    faces = " ".join(row[0] for row in font_rows(pdf))
    assert "NotoSansCJKSC" in faces
    assert "NotoSansCJKHK" not in faces
    assert "签署" in all_text(pdf)
    assert b"/Lang (zh-Hans-CN)" in pdf.read_bytes()
    faces = " ".join(
        row[0]
        for row in font_rows(
            write(tmp_path, "hk.pdf", agreement.render_agreement(samples.agreement()))
        )
    )
    assert "NotoSansCJKHK" in faces
    assert "NotoSansCJKSC" not in faces


def test_characters_no_font_has_print_as_a_visible_box(tmp_path: Path) -> None:
    odd = Person("Chan Tai Man 😀", "陳大文", "Director", "Acme 𓀀 Labs", "")
    item = replace(samples.TENANCY, people=(odd, samples.YU_CHEN), clauses=("Emoji 😀 inside.",))
    assert uncovered("😀𓀀") == ["😀", "𓀀"]
    text = all_text(write(tmp_path, "odd.pdf", agreement.render_agreement(samples.agreement(item))))
    assert "Emoji □ inside." in text
    assert "Acme □ Labs" in text
    assert "陳大文" in text
