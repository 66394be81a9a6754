"""Printed documents: agreements, certificates and the stage manager's sheet.

The programme's tests are in test_printing_programme.py.

Pure: no Flask. The PDFs are read back with poppler's tools (text per page, word boxes,
fonts) and rasterised with pdftoppm; see tests/pdf_helpers.py for when tests skip.
"""

from __future__ import annotations

import io
import itertools
import random
import re
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from printing import agreement, certificate, stage_sheet
from printing.documents import (
    AgreementData,
    CeremonyData,
    CeremonyItemData,
    DocumentError,
    Person,
    StageSheetData,
    certificates_for,
)
from printing.fonts import load_face
from printing.layout import new_writer
from printing.pdf import Content, mm
from printing.textfit import smart_quotes, text_width, wrap_balanced, wrap_text
from tests import document_samples as samples
from tests.pdf_helpers import (
    font_rows,
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

CLOSING = set("，。、；：！？）」』】》〉…")
OPENING = set("（「『【《〈")
AS_OF = "1 March 2026, 18:00 (UTC+8)"


def curly(text: str) -> str:
    """Return text as printed: straight quotes made curly."""
    return smart_quotes(text)


def all_text(pdf: Path) -> str:
    return run(tool("pdftotext"), pdf, "-")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Render each document once for the tests that only read them."""
    folder = tmp_path_factory.mktemp("documents")
    out = io.BytesIO()
    certificate.write_certificates(
        certificates_for(samples.VISA_AWARD, samples.OCCASION, wording=samples.WORDING),
        out,
        wording=samples.WORDING,
    )
    return {
        "agreement": write(
            folder, "agreement.pdf", agreement.render_agreement(samples.agreement())
        ),
        "certificates": write(folder, "certificates.pdf", out.getvalue()),
    }


# Fonts


def test_every_document_embeds_subsets_of_its_fonts(pdfs: dict[str, Path]) -> None:
    for name, pdf in pdfs.items():
        rows = font_rows(pdf)
        assert len(rows) == 2, (name, rows)  # Regular and Bold, nothing else
        for row in rows:
            assert "NotoSansCJKhk" in row[0], (name, row)
            assert row[-5:-2] == ["yes", "yes", "yes"], (name, row)  # emb, sub, uni


# Agreements


def test_agreement_text_has_titles_reference_parties_signatories_and_as_of(
    pdfs: dict[str, Path],
) -> None:
    pdf = pdfs["agreement"]
    assert page_size_mm(pdf) == (210.0, 297.0)
    item = samples.GLOBAL_CONNECT
    text = all_text(pdf)
    flat = squeezed(text)
    for phrase in [item.title_zh, curly(item.title_en), item.reference, *item.parties]:
        assert squeezed(phrase) in flat, phrase
    for person in item.people:
        for phrase in (person.name_en, person.name_zh, person.title, person.organisation_zh):
            assert squeezed(phrase) in flat, phrase
    assert "“Global Connect” Partnership Agreement" in text  # spaces survive trimmed quotes
    pages = page_texts(pdf)
    for number, page in enumerate(pages, start=1):
        assert AS_OF in page
        assert f"Page {number} of {len(pages)}" in page
        assert item.reference in page


def _signature_counts(page: str) -> tuple[int, int, int]:
    return page.count("FOR AND ON BEHALF OF"), page.count("SIGNATURE 簽署"), page.count("DATE 日期")


def test_signature_blocks_are_never_split_across_pages(tmp_path: Path) -> None:
    # The same agreement with 0..15 more clauses: the signature rows meet page breaks at
    # every height, so any block that could be cut would be cut in one of them.
    item = samples.GLOBAL_CONNECT
    filler = "The partners shall meet once a quarter to review the services given. " * 2
    variants = [
        samples.agreement(
            replace(item, reference=f"GC-{n:02d}", clauses=item.clauses + (filler,) * n)
        )
        for n in range(16)
    ]
    out = io.BytesIO()
    assert agreement.write_agreements(variants, out, wording=samples.WORDING) == 16
    pages = page_texts(write(tmp_path, "variants.pdf", out.getvalue()))
    spread_over_pages = 0
    for variant in variants:
        reference = variant.item.reference
        own = [p for p in pages if f"Ref. {reference}" in p]
        with_blocks = [p for p in own if "FOR AND ON BEHALF OF" in p]
        spread_over_pages += len(with_blocks) > 1
        for page in own:
            forms, signatures, dates = _signature_counts(page)
            assert forms == signatures == dates, (reference, page)
        assert sum(_signature_counts(p)[0] for p in own) == 6
        for person in variant.item.people:
            holding = [p for p in own if person.name_en in p]
            assert len(holding) == 1, (reference, person.name_en)
            block_page = squeezed(holding[0])
            assert squeezed(person.title) in block_page, (reference, person.name_en)
            assert squeezed(person.name_zh) in block_page
    assert spread_over_pages >= 3  # rows did move to a following page in some variants


def test_a_very_long_clause_flows_over_pages_inside_the_margins(tmp_path: Path) -> None:
    rnd = random.Random(5)
    tokens = [f"w{n:04d}" for n in range(1200)]
    english = " ".join(
        token + rnd.choice(["", "", ",", " and", " of the Park"]) for token in tokens
    )
    chinese = "".join(
        rnd.choice("河套深港科技創新合作區園區企業人才研發")
        + rnd.choice(["", "", "", "，", "。", "、", "（試點）"])
        for _ in range(2500)
    )
    long = samples.agreement(replace(samples.TENANCY, clauses=(english, chinese, "Short clause.")))
    pdf = write(tmp_path, "long.pdf", agreement.render_agreement(long))
    pages = page_count(pdf)
    assert pages >= 5

    sizes, found = words(pdf)
    width, height = sizes[0]
    head_band = (mm(16) + 3, agreement.MARGIN_TOP_LATER - 1)
    foot_band = (height - agreement.MARGIN_BOTTOM + 1, height - mm(15) - 8)
    body = []
    for word in found:
        assert word.x_min >= agreement.MARGIN_X - 0.5, word
        assert word.x_max <= width - agreement.MARGIN_X + 0.5, word
        assert not (head_band[0] < word.y_max and word.y_min < head_band[1] and word.page > 1), word
        assert not (foot_band[0] < word.y_max and word.y_min < foot_band[1]), word
        if head_band[1] <= word.y_min and word.y_max <= foot_band[0] + 1:
            body.append(word)
    seen = [w.text.strip(",") for w in body if re.fullmatch(r"w\d{4},?", w.text)]
    assert seen == tokens  # every word once, in order, over the pages

    body.sort(key=lambda w: (w.page, round(w.y_min), w.x_min))
    assert squeezed(chinese) in "".join(w.text for w in body)
    lines: dict[tuple[int, int], list[str]] = {}
    for word in body:
        lines.setdefault((word.page, round(word.y_min)), []).append(word.text)
    starts = [texts[0][0] for texts in lines.values()]
    ends = [texts[-1][-1] for texts in lines.values()]
    assert len(starts) > 100
    assert not [c for c in starts if c in CLOSING]
    assert not [c for c in ends if c in OPENING]


def test_agreements_stream_with_progress_and_number_pages_per_agreement(tmp_path: Path) -> None:
    items = [samples.GLOBAL_CONNECT, samples.TENANCY, samples.CEREMONIES[0].items[1]]
    out = io.BytesIO()
    seen: list[tuple[int, int]] = []
    count = agreement.write_agreements(
        (samples.agreement(i) for i in items),
        out,
        progress=lambda done: seen.append((done, out.tell())),
        wording=samples.WORDING,
    )
    assert count == 3
    assert [done for done, _ in seen] == [1, 2, 3]
    sizes = [size for _, size in seen]
    assert sizes[0] > 0
    assert sizes == sorted(sizes)  # each agreement is written before the next is read
    pdf = write(tmp_path, "batch.pdf", out.getvalue())
    pages = page_texts(pdf)
    singles = [
        page_count(write(tmp_path, f"{n}.pdf", agreement.render_agreement(samples.agreement(i))))
        for n, i in enumerate(items)
    ]
    assert len(pages) == sum(singles)
    assert sum("Page 1 of" in page for page in pages) == 3
    for item in items:
        assert squeezed(item.title_zh) in squeezed("".join(pages))

    empty = io.BytesIO()
    assert agreement.write_agreements([], empty, wording=samples.WORDING) == 0
    pdf = write(tmp_path, "none.pdf", empty.getvalue())
    assert page_count(pdf) == 1
    assert "No agreements" in all_text(pdf)


def test_an_agreement_that_cannot_be_made_raises_a_clear_value_error() -> None:
    nobody = samples.agreement(replace(samples.TENANCY, people=()))
    with pytest.raises(DocumentError, match="names no signatory") as raised:
        agreement.render_agreement(nobody)
    assert isinstance(raised.value, ValueError)
    assert raised.value.field == "people"
    with pytest.raises(DocumentError, match="no clauses") as raised:
        agreement.render_agreement(samples.agreement(replace(samples.TENANCY, clauses=(" ",))))
    assert raised.value.field == "clauses"
    nameless = replace(samples.TENANCY, people=(Person("", "", "CEO", "HKSTP"),))
    with pytest.raises(DocumentError, match="no name"):
        agreement.render_agreement(samples.agreement(nameless))
    with pytest.raises(DocumentError, match="names no signatory"):  # before any page is out
        agreement.write_agreements(
            [samples.agreement(), nobody], io.BytesIO(), wording=samples.WORDING
        )


def test_an_agreement_without_parties_names_the_signatories_organisations(tmp_path: Path) -> None:
    data = samples.agreement(replace(samples.TENANCY, parties=()))
    text = squeezed(all_text(write(tmp_path, "p.pdf", agreement.render_agreement(data))))
    assert "(1)HongKongScienceandTechnologyParksCorporation香港科技園公司" in text
    assert "(2)MicroForceSensingTechnology華力創科學" in text


# Characters outside the font


def test_a_character_outside_the_font_is_a_visible_box_that_extracts_as_itself(
    tmp_path: Path,
) -> None:
    assert ord("𠀀") not in load_face("Regular").cmap
    buffer = io.BytesIO()
    writer, ts = new_writer(buffer, "fallback")
    content = Content()
    size = 40.0
    end = content.show(20, 40, "A𠀀B", ts.regular, size)
    writer.add_page(200, 100, content)
    writer.close()
    pdf = write(tmp_path, "fallback.pdf", buffer.getvalue())
    assert all_text(pdf).strip() == "A𠀀B"
    face = load_face("Regular")
    a_end = 20 + text_width("A", face, size)
    assert end == pytest.approx(a_end + size + text_width("B", face, size))  # one em for the box

    [png] = rasterise(pdf, tmp_path, dpi=72)
    with Image.open(png) as image:
        grey = image.convert("L")
        box = grey.crop((round(a_end) + 2, 100 - 40 - 30, round(a_end + size) - 2, 100 - 40 + 2))
        dark = sum(1 for value in box.tobytes() if value < 128)
        left_edge = [grey.getpixel((round(a_end + size * 0.1), y)) for y in range(32, 58)]
    assert dark > 60  # not a blank
    assert min(left_edge) < 100  # the box's left side


def test_documents_show_missing_characters_instead_of_failing(tmp_path: Path) -> None:
    odd = Person("Chan Tai Man 😀", "陳大文𠀀", "Director", "Acme 𠀀 Labs", "")
    item = replace(
        samples.TENANCY,
        people=(odd, samples.YU_CHEN),
        clauses=("Clause with an emoji 😀 and 𠀀 inside.",),
    )
    text = all_text(write(tmp_path, "odd.pdf", agreement.render_agreement(samples.agreement(item))))
    assert "陳大文𠀀" in text
    assert "emoji 😀 and 𠀀 inside" in text
    cert = certificates_for(
        replace(samples.VISA_AWARD, people=(odd,)), samples.OCCASION, wording=samples.WORDING
    )[0]
    text = all_text(write(tmp_path, "odd-cert.pdf", certificate.render_certificate(cert)))
    assert "Acme 𠀀 Labs" in text


# Certificates


def test_certificates_one_per_recipient_with_reference_date_and_presenters(
    pdfs: dict[str, Path],
) -> None:
    pdf = pdfs["certificates"]
    assert page_size_mm(pdf) == (297.0, 210.0)
    pages = page_texts(pdf)
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
    refs = [c.reference for c in certificates_for(award, samples.OCCASION, wording=samples.WORDING)]
    assert refs == [f"{award.reference}/{n}" for n in (1, 2, 3)]
    single = replace(award, people=award.people[:1])
    assert [
        c.reference for c in certificates_for(single, samples.OCCASION, wording=samples.WORDING)
    ] == [award.reference]


def test_certificate_text_stays_inside_the_border_even_with_a_long_citation(
    tmp_path: Path,
) -> None:
    long = replace(samples.VISA_AWARD, clauses=samples.VISA_AWARD.clauses * 12)
    data = certificates_for(long, samples.OCCASION, wording=samples.WORDING)[0]
    pdf = write(tmp_path, "long-cert.pdf", certificate.render_certificate(data))
    assert page_count(pdf) == 1
    sizes, found = words(pdf)
    width, height = sizes[0]
    inside = certificate.INNER + mm(1.2)
    for word in found:
        assert inside < word.x_min, word
        assert word.x_max < width - inside, word
        assert inside < word.y_min, word
        assert word.y_max < height - inside, word
    text = all_text(pdf)
    assert "…" in text  # cut short, visibly
    assert data.reference in text


def test_certificates_stream_with_progress_and_refuse_a_missing_recipient(tmp_path: Path) -> None:
    out = io.BytesIO()
    seen: list[tuple[int, int]] = []
    items = certificates_for(samples.VISA_AWARD, samples.OCCASION, wording=samples.WORDING)
    count = certificate.write_certificates(
        iter(items), out, progress=lambda n: seen.append((n, out.tell())), wording=samples.WORDING
    )
    assert count == 3
    assert [n for n, _ in seen] == [1, 2, 3]
    assert [s for _, s in seen] == sorted(s for _, s in seen)
    with pytest.raises(DocumentError, match="names no recipient") as raised:
        certificate.render_certificate(replace(items[0], recipient=Person("", "", "", "")))
    assert raised.value.field == "recipient"
    with pytest.raises(DocumentError, match="names no recipient"):
        certificates_for(
            replace(samples.VISA_AWARD, people=()), samples.OCCASION, wording=samples.WORDING
        )


# Line breaking


def test_wrapping_keeps_within_the_width_and_the_cjk_punctuation_rules() -> None:
    face = load_face("Regular")
    rnd = random.Random(11)
    hanzi = "河套深港科技創新合作區園區企業人才研發青年香港深圳"
    for _ in range(40):
        parts = []
        for _ in range(rnd.randint(20, 200)):
            roll = rnd.random()
            if roll < 0.12:
                parts.append(
                    rnd.choice(["，", "。", "、", "；", "：", "）", "」"]) + rnd.choice(hanzi)
                )
            elif roll < 0.18:
                parts.append(rnd.choice(["（", "「"]) + rnd.choice(hanzi))
            elif roll < 0.28:
                parts.append(f" {rnd.choice(['Hetao', 'HKSTP', 'AI', 'Go Global', '2026'])} ")
            else:
                parts.append(rnd.choice(hanzi))
        text = " ".join("".join(parts).split())
        width = rnd.uniform(60, 400)
        size = rnd.choice([7.5, 9, 10, 12])
        lines = wrap_text(text, face, size, width)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        for index, line in enumerate(lines):
            assert text_width(line, face, size) <= width + 1e-6, line
            if index:
                assert line[0] not in CLOSING, (lines[index - 1], line)
            if index < len(lines) - 1:
                assert line[-1] not in OPENING, (line, lines[index + 1])


def test_english_breaks_between_words_and_headings_break_at_good_places() -> None:
    face = load_face("Regular")
    sentence = (
        "The partners shall offer the firms of the Park, on preferential terms, services in "
        "finance, law, supply chain, listing, consulting and going global."
    )
    words_in = sentence.split()
    for width in (80, 120, 200, 300):
        lines = wrap_text(sentence, face, 10, width)
        assert [w for line in lines for w in line.split()] == words_in
        # greedy: the first word of each line would not have fitted on the line before
        for before, after in itertools.pairwise(lines):
            assert text_width(f"{before} {after.split()[0]}", face, 10) > width
    bold = load_face("Bold")
    assert wrap_balanced("「一園兩地、深港共創」暨河套香港青年科創谷啟動儀式", bold, 19, 330) == [
        "「一園兩地、深港共創」",
        "暨河套香港青年科創谷啟動儀式",
    ]
    title = "「Global Connect」合作夥伴協議：深耕灣區 連結世界"
    assert all("連" not in line or "連結" in line for line in wrap_balanced(title, bold, 20, 453))


# Speed (printed, never asserted)


def test_rendering_is_reasonably_fast(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    started = time.perf_counter()
    timings = {}
    # The programme's seconds: tests/unit/test_printing_programme.py
    batch = [
        samples.agreement(replace(samples.GLOBAL_CONNECT, reference=f"GC-{n}")) for n in range(20)
    ]
    out = io.BytesIO()
    timings["20 agreements"] = _timed(
        lambda: agreement.write_agreements(batch, out, wording=samples.WORDING)
    )
    certificates = (
        certificates_for(samples.VISA_AWARD, samples.OCCASION, wording=samples.WORDING) * 10
    )
    timings["30 certificates"] = _timed(
        lambda: certificate.write_certificates(certificates, io.BytesIO(), wording=samples.WORDING)
    )
    timings["stage sheet"] = _timed(lambda: stage_sheet.render_stage_sheet(samples.stage_sheet()))
    with capsys.disabled():
        summary = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in timings.items())
        print(f"\nrendering: {summary}; total {time.perf_counter() - started:.2f} s")
    assert page_count(write(tmp_path, "batch.pdf", out.getvalue())) == 40


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def test_agreement_data_is_plain() -> None:
    data = samples.agreement()
    assert isinstance(data, AgreementData)
    with pytest.raises(AttributeError):
        data.as_of = "now"  # type: ignore[misc]


# Hostile input


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
    long_en = "Extraordinarily-long-hyphenated-organisation-name " * 12 + "Ltd\x00\x07\t\r\n"
    long_zh = "深圳河套深港科技創新合作區香港園區發展有限公司" * 8
    crowd = tuple(
        Person(f"Person {n} {long_en[: n * 7]}", "陳" * (n % 5), long_en[: n * 9], long_zh[: n * 3])
        for n in range(40)
    )
    item = CeremonyItemData(
        reference="X" * 40,
        title_en=long_en,
        title_zh=long_zh + "😀",
        parties=tuple(p.organisation or "Party" for p in crowd[:12]),
        people=crowd,
        clauses=(long_en * 3, long_zh * 4, "🚀" * 30, "\n\n\n", "（" * 50 + "）" * 50),
        presenters=crowd[:20],
        time="",
        notes=long_en,
    )
    text = squeezed(
        all_text(write(tmp_path, "crowd.pdf", agreement.render_agreement(samples.agreement(item))))
    )
    assert "Person39" in text
    _inside_pages(tmp_path / "crowd.pdf", mm(10))

    [cert] = certificates_for(
        replace(item, people=crowd[:1]), samples.OCCASION, long_en, long_zh, wording=samples.WORDING
    )
    _inside_pages(write(tmp_path, "crowd-cert.pdf", certificate.render_certificate(cert)), mm(17))

    ceremonies = (
        CeremonyData("award", long_en, long_zh, "09:00", long_en, (item,), long_en),
        CeremonyData("mystery", "", "", "", "", (replace(item, people=()),)),
    )
    sheet = StageSheetData(samples.OCCASION, long_en, ceremonies, wording=samples.WORDING)
    _inside_pages(write(tmp_path, "crowd-stage.pdf", stage_sheet.render_stage_sheet(sheet)), mm(8))
