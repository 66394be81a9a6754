"""Certificates on reportlab: PDF hygiene — fonts, metadata, bookmarks, scripts, bytes.

Pure: no Flask. The PDFs are read back with poppler's tools (see tests/pdf_helpers.py).
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest

from printing import certificate
from printing.documents import Authority, Person
from tests import document_samples as samples
from tests.pdf_helpers import font_rows, write
from tests.unit.test_printing_agreement import bookmarks
from tests.unit.test_printing_certificate import all_text, batch, info, issued


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("sealed"), "sealed.pdf", batch(issued()))


def test_fonts_are_embedded_metadata_and_bookmarks_name_the_award(sealed: Path) -> None:
    for row in font_rows(sealed):
        assert row[-5:-2] == ["yes", "yes", "yes"], row
        assert "Helvetica" not in row[0]
    meta = info(sealed)
    assert meta["Title"].startswith("Certificates — Business Visa Endorsement")
    assert "Hetao Hong Kong Youth Innovation Valley" in meta["Title"]
    assert meta["Subject"].startswith("3 certificates")
    raw = sealed.read_bytes()
    assert b"/Lang (zh-Hant-HK)" in raw
    assert b"/Outlines" in raw
    reference = samples.VISA_AWARD.reference
    assert bookmarks(raw) == {f"{reference}/{n}": n for n in (1, 2, 3)}  # one a page
    single = certificate.render_certificate(issued()[0])
    assert b"/Title (Certificate HTDA-VISA-2026-001/1: Business Visa" in single


def test_names_in_every_script_print_without_boxes(tmp_path: Path) -> None:
    names = ("Łukasz Wałęsa-Dvořák", "Nguyễn Thị Minh Khai", "Αλέξανδρος", "Жуковский")
    signatories = [Person(unicodedata.normalize("NFD", name), "", "Director") for name in names]
    authorities = tuple(Authority(f"Authority {n}", "機構", s) for n, s in enumerate(signatories))
    recipient = Person("", "", "", "山田はなこ Labs", "김민준 연구소")
    data = replace(issued()[0], authorities=authorities, recipient=recipient)
    pdf = write(tmp_path, "names.pdf", certificate.render_certificate(data))
    text = unicodedata.normalize("NFC", all_text(pdf))
    for name in (*names, "山田はなこ", "김민준"):
        assert name in text, name
    assert "□" not in text


def test_the_same_certificates_are_the_same_bytes_twice() -> None:
    first = batch(issued())
    assert batch(issued()) == first


def test_characters_no_font_has_print_as_a_visible_box(tmp_path: Path) -> None:
    odd = Person("Chan Tai Man 😀", "陳大文", "Director", "Acme 𓀀 Labs", "")
    data = replace(issued()[0], recipient=odd)
    text = all_text(write(tmp_path, "odd.pdf", certificate.render_certificate(data)))
    assert "Acme □ Labs" in text


def test_a_simplified_reader_gets_sc_glyph_forms(tmp_path: Path) -> None:
    from events_app.services.print_wording import in_document_script, wording

    data = in_document_script(replace(issued()[0], wording=wording("zh_Hans_CN")), "zh_Hans_CN")
    pdf = write(tmp_path, "sc.pdf", certificate.render_certificate(data))
    faces = " ".join(row[0] for row in font_rows(pdf))
    assert "NotoSansCJKSC" in faces
    assert "NotoSansCJKHK" not in faces
    assert "证书" in all_text(pdf)
