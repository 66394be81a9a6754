"""Certificates on reportlab: recipients, issuing authorities, seals, DRAFT, PDF hygiene.

Pure: no Flask. The PDFs are read back with poppler's tools (see tests/pdf_helpers.py for
when tests skip) and rasterised with pdftoppm.
"""

from __future__ import annotations

import io
import re
import time
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from printing import certificate
from printing.documents import Authority, CertificateData, DocumentError, Person, certificates_for
from tests import document_samples as samples
from tests.pdf_helpers import (
    page_count,
    page_size_mm,
    page_texts,
    rasterise,
    run,
    squeezed,
    tool,
    words,
    write,
)

ROOT = Path(__file__).resolve().parents[2]
MM = 72 / 25.4


def all_text(pdf: Path) -> str:
    return run(tool("pdftotext"), pdf, "-")


def info(pdf: Path) -> dict[str, str]:
    lines = run(tool("pdfinfo"), pdf).splitlines()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}


def issued(draft: bool = False) -> list[CertificateData]:
    """Return the three business-visa certificates, issued by the three authorities."""
    return [
        replace(c, authorities=samples.VISA_AUTHORITIES, draft=draft)
        for c in certificates_for(samples.VISA_AWARD, samples.OCCASION, wording=samples.WORDING)
    ]


def batch(items: list[CertificateData]) -> bytes:
    out = io.BytesIO()
    certificate.write_certificates(items, out, wording=samples.WORDING)
    return out.getvalue()


@pytest.fixture(scope="module")
def presented(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("certificates")
    items = certificates_for(samples.VISA_AWARD, samples.OCCASION, wording=samples.WORDING)
    return write(folder, "presented.pdf", batch(items))


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("sealed"), "sealed.pdf", batch(issued()))


def test_one_certificate_per_recipient_with_reference_date_and_presenters(
    presented: Path,
) -> None:
    assert page_size_mm(presented) == (297.0, 210.0)
    pages = page_texts(presented)
    assert len(pages) == 3
    award = samples.VISA_AWARD
    for number, (page, person) in enumerate(zip(pages, award.people, strict=True), start=1):
        flat = squeezed(page)
        assert f"{award.reference}/{number}" in page
        for phrase in (
            award.title_zh,
            award.title_en,
            person.organisation,
            person.organisation_zh,
            samples.OCCASION.date_zh,
            "Monday 2 March 2026",
        ):
            assert squeezed(phrase) in flat, phrase
        if person.name_en:
            assert f"{person.name_en} {person.name_zh}" in page
        for presenter in award.presenters:
            assert squeezed(presenter.name_en + presenter.name_zh) in flat
        assert "CERTIFICATE 證書" in page  # letter-spaced, extracts as a word
    raw = run(tool("pdftotext"), "-raw", presented, "-")
    assert raw.count("CERTIFICATE") == 3  # in content order too


def test_issuing_authorities_sign_with_name_and_title_in_both_languages(sealed: Path) -> None:
    for page in page_texts(sealed):
        flat = squeezed(page)
        for authority in samples.VISA_AUTHORITIES:
            person = authority.signatory
            for phrase in (
                authority.name_en,
                authority.name_zh,
                f"{person.name_en} {person.name_zh}",
                person.title,
                person.title_zh,
            ):
                assert squeezed(phrase) in flat, phrase
        assert re.sub(" +", " ", page).count("SEAL 蓋章") == 2  # the third authority does not seal
        for presenter in samples.VISA_AWARD.presenters:  # the authorities sign instead
            assert squeezed(presenter.name_en + presenter.name_zh) not in flat
    assert "Hetao Development Authority" in info(sealed)["Author"]


def _gold_pixels(pdf: Path, folder: Path) -> int:
    """Count the pixels of the seal spaces' gold in the band of the signature lines."""
    folder.mkdir(exist_ok=True)
    [png] = rasterise(pdf, folder, dpi=60)
    with Image.open(png) as image:
        width, height = image.size
        box = (int(width * 0.1), int(height * 0.55), int(width * 0.9), int(height * 0.78))
        band = image.convert("RGB").crop(box)  # inside the border
        data = band.tobytes()
    return sum(
        1
        for r, g, b in zip(data[0::3], data[1::3], data[2::3], strict=True)
        if r > 150 and r - b > 50 and g > 110
    )


def test_a_sealing_authority_leaves_a_space_for_its_seal(tmp_path: Path) -> None:
    first = issued()[0]
    counts = {}
    for seals in (0, 1, 2):
        authorities = tuple(
            replace(a, seal=n < seals) for n, a in enumerate(samples.VISA_AUTHORITIES)
        )
        pdf = write(
            tmp_path,
            f"{seals}.pdf",
            certificate.render_certificate(replace(first, authorities=authorities)),
        )
        counts[seals] = _gold_pixels(pdf, tmp_path / str(seals))
    assert counts[0] < 20
    assert counts[1] > 40
    assert counts[2] > 1.6 * counts[1]


def test_an_authority_without_a_named_signatory_keeps_a_bare_signature_line(
    tmp_path: Path,
) -> None:
    bare = (Authority("Hetao Development Authority", "河套發展署"),)
    data = replace(issued()[0], authorities=bare)
    text = squeezed(all_text(write(tmp_path, "bare.pdf", certificate.render_certificate(data))))
    assert "HetaoDevelopmentAuthority河套發展署" in text


def test_a_long_citation_stays_inside_the_border_cut_visibly(tmp_path: Path) -> None:
    long = replace(samples.VISA_AWARD, clauses=samples.VISA_AWARD.clauses * 12)
    data = replace(
        certificates_for(long, samples.OCCASION, wording=samples.WORDING)[0],
        authorities=samples.VISA_AUTHORITIES,
    )
    pdf = write(tmp_path, "long-cert.pdf", certificate.render_certificate(data))
    assert page_count(pdf) == 1
    sizes, found = words(pdf)
    width, height = sizes[0]
    inside = certificate.INNER + 1.2 * MM
    for word in found:
        assert inside < word.x_min, word
        assert word.x_max < width - inside, word
        assert inside < word.y_min, word
        assert word.y_max < height - inside, word
    text = all_text(pdf)
    assert "…" in text
    assert data.reference in text
    assert "Wang Jianguo" in text


def test_many_presenters_are_listed(tmp_path: Path) -> None:
    crowd = tuple(Person(f"Presenter {n}", "", "Guest") for n in range(10))
    data = replace(issued()[0], authorities=(), presenters=crowd)
    text = squeezed(all_text(write(tmp_path, "crowd.pdf", certificate.render_certificate(data))))
    assert "Presentedby頒授嘉賓" in text or "Presentedby" in text
    assert "Presenter9" in text


def test_a_planned_award_says_draft_on_its_certificates_only(tmp_path: Path) -> None:
    mixed = [issued(draft=True)[0], issued()[1]]
    pdf = write(tmp_path, "mixed.pdf", batch(mixed))
    raw = run(tool("pdftotext"), "-raw", pdf, "-").split("\f")
    assert "DRAFT草稿" in squeezed(raw[0])
    assert "DRAFT" not in raw[1]
    assert "草稿" not in raw[1]


def test_certificates_report_progress_and_refuse_a_missing_recipient(tmp_path: Path) -> None:
    seen: list[int] = []
    items = issued()
    out = io.BytesIO()
    assert (
        certificate.write_certificates(
            iter(items), out, progress=seen.append, wording=samples.WORDING
        )
        == 3
    )
    assert seen == [1, 2, 3]
    with pytest.raises(DocumentError, match="names no recipient") as raised:
        certificate.render_certificate(replace(items[0], recipient=Person("", "", "", "")))
    assert raised.value.field == "recipient"
    with pytest.raises(DocumentError, match="names no recipient"):
        certificates_for(
            replace(samples.VISA_AWARD, people=()), samples.OCCASION, wording=samples.WORDING
        )
    empty = io.BytesIO()
    assert certificate.write_certificates([], empty, wording=samples.WORDING) == 0
    pdf = write(tmp_path, "none.pdf", empty.getvalue())
    assert page_count(pdf) == 1
    assert "No certificates to print" in all_text(pdf)


def test_hostile_input_stays_inside_the_border(tmp_path: Path) -> None:
    long_en = "Extraordinarily-long-hyphenated-organisation-name " * 12 + "Ltd\x00\x07\t\r\n"
    long_zh = "深圳河套深港科技創新合作區香港園區發展有限公司" * 8
    person = Person(f"Person {long_en[:60]}", "陳大文😀", long_en, long_zh, long_zh)
    authorities = tuple(
        Authority(long_en[: 40 + n * 30], long_zh[: n * 9], person, seal=True) for n in range(6)
    )
    data = CertificateData(
        reference="X" * 40,
        title_en=long_en,
        title_zh=long_zh,
        recipient=person,
        citation=(long_en * 3, long_zh * 4, "🚀" * 30),
        presenters=(person,) * 20,
        date_en=long_en,
        date_zh=long_zh,
        occasion_en=long_en,
        occasion_zh=long_zh,
        authorities=authorities,
        wording=samples.WORDING,
    )
    pdf = write(tmp_path, "hostile.pdf", certificate.render_certificate(data))
    assert page_count(pdf) == 1
    sizes, found = words(pdf)
    width, height = sizes[0]
    for word in found:
        assert word.x_min >= 17 * MM, word
        assert word.x_max <= width - 17 * MM, word
        assert word.y_min >= 17 * MM, word
        assert word.y_max <= height - 17 * MM, word


def test_certificate_batches_take_seconds(capsys: pytest.CaptureFixture[str]) -> None:
    items = issued() * 10
    certificate.render_certificate(items[0])  # fonts made and cached
    started = time.perf_counter()
    batch(items)
    seconds = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n30 certificates: {seconds:.2f} s, {seconds / 30:.3f} s each")
    assert seconds < 60
