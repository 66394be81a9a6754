"""What every printed document shares: embedded fonts, metadata, the unprintable, hostile input.

Each document's own tests: test_printing_programme*.py, test_printing_agreement*.py,
test_printing_certificate*.py, test_printing_stage_sheet.py, test_printing_badges.py.
Pure: no Flask. The PDFs are read back with poppler's tools (see tests/pdf_helpers.py).
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from reportlab.lib.units import mm

from printing import agreement, certificate, programme, stage_sheet
from printing.documents import (
    AgreementData,
    CeremonyData,
    CeremonyItemData,
    Person,
    StageSheetData,
    certificates_for,
)
from printing.typefaces import REPLACEMENT, uncovered
from tests import document_samples as samples
from tests.pdf_helpers import font_rows, page_count, run, tool, words, write


def all_text(pdf: Path) -> str:
    return run(tool("pdftotext"), pdf, "-")


def certificates_pdf(award: CeremonyItemData = samples.VISA_AWARD) -> bytes:
    out = io.BytesIO()
    made = certificates_for(award, samples.OCCASION, wording=samples.WORDING)
    certificate.write_certificates(made, out, wording=samples.WORDING)
    return out.getvalue()


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Render each document once for the tests that only read them."""
    folder = tmp_path_factory.mktemp("documents")
    made = {
        "programme": programme.render_programme(samples.programme()),
        "stage": stage_sheet.render_stage_sheet(samples.stage_sheet()),
        "agreement": agreement.render_agreement(samples.agreement()),
        "certificates": certificates_pdf(),
    }
    return {name: write(folder, f"{name}.pdf", pdf) for name, pdf in made.items()}


def test_every_document_embeds_subsets_of_its_fonts_and_nothing_else(
    pdfs: dict[str, Path],
) -> None:
    for name, pdf in pdfs.items():
        rows = font_rows(pdf)
        assert rows, name
        for row in rows:
            assert row[0].startswith(("AAAAAA+NotoSans", "AAAAAB+NotoSans")) or "+Noto" in row[0]
            assert row[-5:-2] == ["yes", "yes", "yes"], (name, row)  # emb, sub, uni


def test_every_document_names_its_gathering_and_itself_and_its_language(
    pdfs: dict[str, Path],
) -> None:
    for name, pdf in pdfs.items():
        info = run(tool("pdfinfo"), pdf)
        fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
        assert fields["Title"].strip(), name
        assert fields["Author"].strip(), name
        assert fields["Subject"].strip(), name
        assert "One Park" in fields["Title"] + fields["Subject"] or "Hetao" in info, name
        assert b"/Lang (zh-Hant-HK)" in pdf.read_bytes(), name


def test_a_character_no_font_has_prints_as_a_white_square_and_is_reported(
    tmp_path: Path,
) -> None:
    odd = Person("Chan Tai Man 𓀀", "陳大文", "Director", "Acme 😀 Labs", "")
    assert uncovered(odd.name_en + odd.organisation) == ["𓀀", "😀"]
    item = replace(samples.TENANCY, people=(odd, samples.YU_CHEN), clauses=("With 𓀀 inside.",))
    pdf = write(tmp_path, "odd.pdf", agreement.render_agreement(samples.agreement(item)))
    text = all_text(pdf)
    assert f"Chan Tai Man {REPLACEMENT}" in text
    assert f"With {REPLACEMENT} inside." in text
    cert = certificates_pdf(replace(samples.VISA_AWARD, people=(odd,)))
    assert f"Acme {REPLACEMENT} Labs" in all_text(write(tmp_path, "odd-cert.pdf", cert))


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def test_rendering_speed_is_printed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    batch = [
        samples.agreement(replace(samples.GLOBAL_CONNECT, reference=f"GC-{n}")) for n in range(20)
    ]
    out = io.BytesIO()
    timings = {
        "programme": _timed(lambda: programme.render_programme(samples.programme())),
        "20 agreements": _timed(
            lambda: agreement.write_agreements(batch, out, wording=samples.WORDING)
        ),
        "30 certificates": _timed(
            lambda: certificate.write_certificates(
                certificates_for(samples.VISA_AWARD, samples.OCCASION, wording=samples.WORDING)
                * 10,
                io.BytesIO(),
                wording=samples.WORDING,
            )
        ),
        "stage sheet": _timed(lambda: stage_sheet.render_stage_sheet(samples.stage_sheet())),
    }
    with capsys.disabled():
        print("\nrendering: " + ", ".join(f"{k} {v:.2f} s" for k, v in timings.items()))
    assert page_count(write(tmp_path, "batch.pdf", out.getvalue())) >= 40


def test_agreement_data_is_plain() -> None:
    data = samples.agreement()
    assert isinstance(data, AgreementData)
    with pytest.raises(AttributeError):
        data.as_of = "now"  # type: ignore[misc]


def _inside_pages(pdf: Path, margin: float) -> None:
    sizes, found = words(pdf)
    assert found
    for word in found:
        width, height = sizes[word.page - 1]
        assert margin <= word.x_min, word
        assert word.x_max <= width - margin, word
        assert margin <= word.y_min, word
        assert word.y_max <= height - margin, word


def test_hostile_input_never_crashes_nor_leaves_the_page(tmp_path: Path) -> None:
    """The certificate and stage sheet here; the agreement and programme in their own tests."""
    long_en, long_zh = samples.HOSTILE_EN, samples.HOSTILE_ZH
    item = samples.hostile_item()
    [cert] = certificates_for(
        replace(item, people=item.people[:1]),
        samples.OCCASION,
        long_en,
        long_zh,
        wording=samples.WORDING,
    )
    _inside_pages(write(tmp_path, "crowd-cert.pdf", certificate.render_certificate(cert)), 17 * mm)

    ceremonies = (
        CeremonyData("award", long_en, long_zh, "09:00", long_en, (item,), long_en),
        CeremonyData("mystery", "", "", "", "", (replace(item, people=()),)),
    )
    sheet = StageSheetData(samples.OCCASION, long_en, ceremonies, wording=samples.WORDING)
    _inside_pages(write(tmp_path, "crowd-stage.pdf", stage_sheet.render_stage_sheet(sheet)), 8 * mm)
