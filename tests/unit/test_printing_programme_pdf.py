"""The programme booklet as a PDF: fonts for every script, metadata, bookmarks, DRAFT, reprints.

Also the reviewed reference images of its pages, its speed, and the foundation's fixes it
needed (printing.flow, printing.typefaces). Read back with poppler's tools and
tests.pdf_structure (the outline, from the PDF file itself).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from events_app.services.print_wording import in_document_script, wording
from printing import programme
from printing.documents import (
    AgendaEntry,
    Exhibitor,
)
from printing.programme import font_book
from printing.typefaces import FontBook
from tests import document_samples as samples
from tests.pdf_helpers import (
    font_rows,
    page_count,
    page_texts,
    run,
    squeezed,
    tool,
    write,
)
from tests.pdf_structure import outline
from tests.programme_pdfs import ROOT, SAMPLE_NAMES, all_text, curly, render_samples


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Render the sample programme once in A5 and A4 for the tests that only read them."""
    return render_samples(tmp_path_factory.mktemp("programme"))


# Fonts and scripts


def test_every_font_is_embedded_and_the_chinese_is_hong_kong_or_simplified(
    pdfs: dict[str, Path], tmp_path: Path
) -> None:
    for pdf in pdfs.values():
        rows = font_rows(pdf)
        assert rows
        for row in rows:
            assert row[-5:-2] == ["yes", "yes", "yes"], row  # embedded, subset, unicode
        assert not any("Helvetica" in row[0] for row in rows)
        assert any("NotoSansCJKHK" in row[0] for row in rows)
        assert any(row[0].split("+")[-1].startswith("NotoSans-") for row in rows)
    simplified = in_document_script(samples.programme(), "zh_Hans_CN")
    simplified = replace(simplified, wording=wording("zh_Hans_CN"))
    pdf = write(tmp_path, "hans.pdf", programme.render_programme(simplified))
    rows = font_rows(pdf)
    assert any("NotoSansCJKSC" in row[0] for row in rows)
    assert not any("NotoSansCJKHK" in row[0] for row in rows)
    text = squeezed(all_text(pdf))
    assert "节目流程" in text
    assert "展位图" in text
    assert "zh-Hans-CN" in pdf.read_bytes().decode("latin-1")


def test_names_in_every_script_print_and_extract(tmp_path: Path) -> None:
    data = samples.programme()
    speakers = tuple(
        AgendaEntry(f"13:{n}0", f"Talk {n}", speaker=name) for n, name in enumerate(SAMPLE_NAMES)
    )
    firms = tuple(Exhibitor(name, "", "ai-data", "") for name in SAMPLE_NAMES)
    many = replace(data, agenda=data.agenda + speakers, exhibitors=data.exhibitors + firms)
    pdf = write(tmp_path, "names.pdf", programme.render_programme(many))
    text = unicodedata.normalize("NFC", all_text(pdf))
    for name in SAMPLE_NAMES:
        assert text.count(unicodedata.normalize("NFC", name)) >= 2, name
    assert "\u25a1" not in text
    assert ".notdef" not in text
    assert all(row[-5:-2] == ["yes", "yes", "yes"] for row in font_rows(pdf))
    faces = " ".join(row[0] for row in font_rows(pdf))
    assert "NotoSansCJKJP" in faces
    assert "NotoSansCJKKR" in faces
    book = font_book(many)
    for name in SAMPLE_NAMES:
        for bold in (False, True):
            for font, part in book.runs(name, bold=bold):  # each run's font has its glyphs
                glyphs = pdfmetrics.getFont(font).face.charToGlyph
                assert all(glyphs.get(ord(char), 0) for char in part), (name, font, part)


# PDF hygiene


def test_metadata_names_the_gathering_and_the_document(pdfs: dict[str, Path]) -> None:
    info = dict(
        line.split(":", 1) for line in run(tool("pdfinfo"), pdfs["A5"]).splitlines() if ":" in line
    )
    title = info["Title"].strip()
    assert title.startswith("Programme — ")
    assert curly(samples.OCCASION.title_en) in title
    assert samples.OCCASION.title_zh in title
    assert "HKSTP" in info["Author"]
    assert "河套發展署" in info["Author"]
    assert "Running order" in info["Subject"]
    assert "Booth map" in info["Subject"]
    assert samples.OCCASION.date_en in info["Subject"]
    assert b"/Lang (zh-Hant-HK)" in pdfs["A5"].read_bytes()


def test_bookmarks_point_at_each_section(pdfs: dict[str, Path]) -> None:
    for pdf in pdfs.values():
        marks = outline(pdf)
        assert [title for title, _ in marks] == [
            "Running order 節目流程",
            "Ceremonies 簽約及頒授儀式",
            "Exhibitors 參展企業",
            "Booth map 展位圖",
        ]
        pages = [squeezed(text) for text in page_texts(pdf)]
        for title, page in marks:
            english, chinese = title.rsplit(" ", 1)
            assert squeezed(chinese + english) in pages[page - 1], (title, page)


def test_letter_spaced_labels_extract_as_words(pdfs: dict[str, Path]) -> None:
    text = all_text(pdfs["A5"])
    for label in ("PROGRAMME", "SIGNATORIES", "PARTIES", "RECIPIENTS", "HOSTED BY"):
        assert re.search(rf"(?<![A-Z] ){label}(?! [A-Z] )", text), label
    assert "P R O G" not in text
    assert "S I G N" not in text


def test_a_draft_is_watermarked_on_every_page(tmp_path: Path) -> None:
    data = samples.programme()
    draft = write(tmp_path, "draft.pdf", programme.render_programme(replace(data, draft=True)))
    pages = run(tool("pdftotext"), "-raw", draft, "-").split("\f")[:-1]  # -raw keeps slanted text
    assert len(pages) == page_count(draft)
    assert all("DRAFT" in text and "草" in text and "稿" in text for text in pages)
    final = write(tmp_path, "final.pdf", programme.render_programme(data))
    assert "DRAFT" not in run(tool("pdftotext"), "-raw", final, "-")
    assert page_count(draft) == page_count(final)


# Reprints and speed

CHILD = """
import sys
from tests import document_samples as samples
from printing.programme import render_programme
sys.stdout.buffer.write(render_programme(samples.programme(), page_size=sys.argv[1]))
"""


def test_the_same_plan_gives_the_same_bytes_in_this_and_other_processes(
    pdfs: dict[str, Path],
) -> None:
    assert programme.render_programme(samples.programme()) == pdfs["A5"].read_bytes()
    made = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        env.pop("SOURCE_DATE_EPOCH", None)
        result = subprocess.run(
            [sys.executable, "-c", CHILD, "A4"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr.decode(errors="replace")
        made.append(result.stdout)
        time.sleep(1.1)
    assert made[0] == made[1] == pdfs["A4"].read_bytes()


def test_seconds_per_programme(capsys: pytest.CaptureFixture[str]) -> None:
    data = samples.programme()
    timings = {}
    for size in ("A5", "A4"):
        started = time.perf_counter()
        for _ in range(3):
            programme.render_programme(data, page_size=size)
        timings[size] = (time.perf_counter() - started) / 3
    with capsys.disabled():
        summary = ", ".join(f"{size} {seconds:.2f} s" for size, seconds in timings.items())
        print(f"\nprogramme (sample plan, fonts registered): {summary} per programme")
    assert all(seconds < 20 for seconds in timings.values())


# The foundation's fixes this programme needed (printing.flow, printing.typefaces)


def test_bookmarks_on_a_numbered_canvas_point_at_their_own_pages(tmp_path: Path) -> None:
    from reportlab.platypus import Frame, PageBreak, PageTemplate

    from printing.flow import Bookmark, Document, Meta, NumberedCanvas, paragraph, style

    book = FontBook.covering(["One 一", "Two 二", "Three 三"])
    path = tmp_path / "marks.pdf"
    document = Document(str(path), book, Meta("Marks", "Tests", "Bookmarks"), pagesize=(300, 300))
    document.addPageTemplates([PageTemplate("page", [Frame(20, 20, 260, 260)])])
    body = style(book, "body", 10)
    story = []
    for number, title in enumerate(("One 一", "Two 二", "Three 三")):
        story += [PageBreak()] * bool(number) + [Bookmark(title), paragraph(book, title, body)]
    document.build(story, canvasmaker=NumberedCanvas)
    assert outline(path) == [("One 一", 1), ("Two 二", 2), ("Three 三", 3)]
