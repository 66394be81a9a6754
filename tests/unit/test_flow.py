"""The documents' shared template: metadata, /Lang, DRAFT, page x of y, bookmarks, same bytes."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.pagesizes import A5
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, PageBreak, PageTemplate

from printing.flow import Bookmark, Document, Meta, numbered, paragraph, style
from printing.typefaces import FontBook
from tests.pdf_helpers import font_rows, page_texts, run, tool, write


def build(draft: bool) -> bytes:
    book = FontBook.covering(["河套香港青年創新谷 Launch programme", "Page 0 of 0"])
    meta = Meta("Programme — Launch", "Hetao", "Running order", "zh-Hant-HK", draft, "草稿")

    def footer(canvas: Canvas, page: int, total: int) -> None:
        book.draw(canvas, 40, 20, f"Page {page} of {total}", 7)

    out = io.BytesIO()
    document = Document(out, book, meta, pagesize=A5)
    document.addPageTemplates([PageTemplate("page", [Frame(40, 40, A5[0] - 80, A5[1] - 80)])])
    body = style(book, "body", 9)
    story = [
        Bookmark("Running order"),
        paragraph(book, "河套香港青年創新谷 Launch programme", body),
    ]
    story += [PageBreak(), Bookmark("Exhibitors"), paragraph(book, "Launch programme", body)]
    document.build(story, canvasmaker=numbered(footer))
    return out.getvalue()


def test_metadata_language_and_page_numbers(tmp_path: Path) -> None:
    pdf = write(tmp_path, "doc.pdf", build(draft=False))
    info = run(tool("pdfinfo"), pdf)
    assert "Title:           Programme — Launch" in info
    assert "Author:          Hetao" in info
    assert "Subject:         Running order" in info
    assert b"/Lang (zh-Hant-HK)" in pdf.read_bytes()
    pages = page_texts(pdf)
    assert "Page 1 of 2" in pages[0]
    assert "Page 2 of 2" in pages[1]
    assert "DRAFT" not in "".join(pages)
    assert all(row[-5] == "yes" for row in font_rows(pdf))  # no unembedded Helvetica
    outline = pdf.read_bytes()
    assert b"/Outlines" in outline
    assert b"(Running order)" in outline
    assert b"(Exhibitors)" in outline


def test_a_draft_says_so_on_every_page_in_both_languages(tmp_path: Path) -> None:
    pdf = write(tmp_path, "draft.pdf", build(draft=True))
    pages = run(tool("pdftotext"), "-raw", pdf, "-").split("\f")  # the mark is set at an angle
    assert len([page for page in pages if page.strip()]) == 2
    for page in pages[:2]:
        assert "DRAFT" in page
        assert "草\n稿" in page


def test_the_same_document_is_the_same_bytes() -> None:
    assert build(draft=True) == build(draft=True)
