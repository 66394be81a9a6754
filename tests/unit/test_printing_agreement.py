"""Agreements on reportlab: text, clause numbers, signature rows, pages, DRAFT, PDF hygiene.

Pure: no Flask. The PDFs are read back with poppler's tools (see tests/pdf_helpers.py for
when tests skip) and rasterised with pdftoppm.
"""

from __future__ import annotations

import io
import random
import re
import time
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from printing import agreement
from printing.agreement_parts import MARGIN_X
from printing.documents import DocumentError, Person
from printing.formal import curly
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

ROOT = Path(__file__).resolve().parents[2]
AS_OF = samples.AS_OF
CLOSING = set("，。、；：！？）」』】》〉…")
OPENING = set("（「『【《〈")
NAMES = ("Łukasz Wałęsa-Dvořák", "Nguyễn Thị Minh Khai", "Αλέξανδρος", "Жуковский")
NAMES_CJK = ("山田はなこ", "김민준")


def all_text(pdf: Path) -> str:
    return run(tool("pdftotext"), pdf, "-")


def raw_pages(pdf: Path) -> list[str]:
    """Return the text of each page in content order (pdftotext -raw)."""
    pages = run(tool("pdftotext"), "-raw", pdf, "-").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def bookmarks(raw: bytes) -> dict[str, int]:
    """Return each bookmark's reference (its title's first word) and the page it opens."""
    kids = re.search(rb"/Kids \[([^\]]*)\]", raw)
    assert kids is not None
    order = [int(n) for n in re.findall(rb"(\d+) 0 R", kids.group(1))]
    found = re.findall(rb"/Dest \[ (\d+) 0 R[^\]]*\][^<]*?/Title \(([^ )]*)", raw)
    return {title.decode(): order.index(int(page)) + 1 for page, title in found}


def info(pdf: Path) -> dict[str, str]:
    lines = run(tool("pdfinfo"), pdf).splitlines()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("agreement")
    return write(folder, "agreement.pdf", agreement.render_agreement(samples.agreement()))


def test_text_has_titles_reference_parties_signatories_and_as_of(sample: Path) -> None:
    assert page_size_mm(sample) == (210.0, 297.0)
    item = samples.GLOBAL_CONNECT
    text = all_text(sample)
    flat = squeezed(text)
    for phrase in [item.title_zh, curly(item.title_en), item.reference, *item.parties]:
        assert squeezed(phrase) in flat, phrase
    for person in item.people:
        for phrase in (person.name_en, person.name_zh, person.title, person.organisation_zh):
            assert squeezed(phrase) in flat, phrase
    for clause in item.clauses:
        for paragraph in clause.split("\n"):  # a page may fall between them
            assert squeezed(curly(paragraph)) in flat
    pages = page_texts(sample)
    for number, page in enumerate(pages, start=1):
        assert AS_OF in page
        assert f"Page {number} of {len(pages)}" in page
        assert f"第{number}頁，共{len(pages)}頁" in squeezed(page)
        assert item.reference in page
    assert "FOR AND ON BEHALF OF" in text  # letter-spaced labels extract as words
    raw = run(tool("pdftotext"), "-raw", sample, "-")
    for word in ("AGREEMENT", "PARTIES", "TERMS", "SIGNATURES", "FOR AND ON BEHALF OF"):
        assert word in raw, word  # in content order too
    preamble = "This agreement is made on 2 March 2026 at Hong Kong Science Park Shenzhen Branch"
    assert squeezed(preamble) in flat
    assert (
        "本協議由以下各方於2026年3月2日（星期一）在香港科學園深圳分園（深圳福田河套）訂立：" in flat
    )
    assert squeezed("The parties agree as follows: 各方協議如下：") in flat


def test_every_font_is_embedded_and_metadata_names_the_agreement(sample: Path) -> None:
    rows = font_rows(sample)
    assert rows
    for row in rows:
        assert row[-5:-2] == ["yes", "yes", "yes"], row  # emb, sub, uni
        assert "Helvetica" not in row[0]
    meta = info(sample)
    item = samples.GLOBAL_CONNECT
    assert item.reference in meta["Title"]
    assert "Partnership Agreement: Rooted in the Bay Area" in meta["Title"]
    assert "Hetao Development Authority" in meta["Author"]
    assert "Launch Ceremony of the Hetao" in meta["Subject"]
    assert b"/Lang (zh-Hant-HK)" in sample.read_bytes()


# Signature rows and pages


def _signature_counts(page: str) -> tuple[int, int, int]:
    page = re.sub(" +", " ", page)  # a label's own double space reads back as drawn
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
    assert page_count(pdf) >= 5
    sizes, found = words(pdf)
    width, height = sizes[0]
    head_band = (16 * 72 / 25.4 + 3, agreement.MARGIN_TOP_LATER - 1)
    foot_band = (height - agreement.MARGIN_BOTTOM + 1, height - 15 * 72 / 25.4 - 8)
    body = []
    for word in found:
        assert word.x_min >= MARGIN_X - 0.5, word
        assert word.x_max <= width - MARGIN_X + 0.5, word
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


def test_agreements_in_a_batch_are_numbered_titled_and_bookmarked(tmp_path: Path) -> None:
    items = [samples.GLOBAL_CONNECT, samples.TENANCY, samples.CEREMONIES[0].items[1]]
    out = io.BytesIO()
    seen: list[int] = []
    count = agreement.write_agreements(
        (samples.agreement(i) for i in items), out, progress=seen.append, wording=samples.WORDING
    )
    assert count == 3
    assert seen == [1, 2, 3]
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
    meta = info(pdf)
    assert meta["Title"].startswith("Agreements — ")
    assert "partner signing ceremony" in meta["Title"]
    assert "Hetao Hong Kong Youth Innovation Valley" in meta["Title"]
    assert meta["Subject"].startswith("3 agreements for signing")
    raw = pdf.read_bytes()
    assert b"/Outlines" in raw
    starts = [n for n, page in enumerate(pages, start=1) if "Page 1 of" in page]
    assert bookmarks(raw) == {i.reference: page for i, page in zip(items, starts, strict=True)}

    empty = io.BytesIO()
    assert agreement.write_agreements([], empty, wording=samples.WORDING) == 0
    pdf = write(tmp_path, "none.pdf", empty.getvalue())
    assert page_count(pdf) == 1
    assert "No agreements" in all_text(pdf)


# DRAFT


def _pink_pixels(pdf: Path, tmp_path: Path) -> int:
    tmp_path.mkdir(exist_ok=True)
    count = 0
    for png in rasterise(pdf, tmp_path, dpi=40):
        with Image.open(png) as image:
            data = image.convert("RGB").tobytes()
            for r, g, b in zip(data[0::3], data[1::3], data[2::3], strict=True):
                count += r > 235 and r - g > 15 and abs(g - b) < 14
    return count


def test_a_planned_ceremony_agreement_says_draft_and_a_ready_one_does_not(
    tmp_path: Path,
) -> None:
    planned = write(
        tmp_path,
        "planned.pdf",
        agreement.render_agreement(replace(samples.agreement(), draft=True)),
    )
    ready = write(tmp_path, "ready.pdf", agreement.render_agreement(samples.agreement()))
    for page in raw_pages(planned):
        assert "DRAFT草稿" in squeezed(page)  # rotated: pdftotext -raw reads it in order
    assert "DRAFT" not in all_text(ready)
    assert "草稿" not in all_text(ready)
    assert _pink_pixels(planned, tmp_path / "p") > 1500 * page_count(planned)
    assert _pink_pixels(ready, tmp_path / "r") == 0
    # In a batch, only the draft's pages carry it.
    out = io.BytesIO()
    batch = [samples.agreement(samples.TENANCY), replace(samples.agreement(), draft=True)]
    agreement.write_agreements(batch, out, wording=samples.WORDING)
    pages = raw_pages(write(tmp_path, "mixed.pdf", out.getvalue()))
    marked = ["DRAFT草稿" in squeezed(page) for page in pages]
    tenancy = sum(samples.TENANCY.reference in page for page in pages)
    assert marked == [False] * tenancy + [True] * (len(pages) - tenancy)


# Bytes, refusals, hostile input, speed


def test_the_same_agreement_is_the_same_bytes_twice() -> None:
    data = samples.agreement()
    first = agreement.render_agreement(data)
    assert agreement.render_agreement(data) == first


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
    out = io.BytesIO()
    with pytest.raises(DocumentError, match="names no signatory"):  # before anything is out
        agreement.write_agreements([samples.agreement(), nobody], out, wording=samples.WORDING)
    assert out.getvalue() == b""


def test_an_agreement_without_parties_names_the_signatories_organisations(tmp_path: Path) -> None:
    data = samples.agreement(replace(samples.TENANCY, parties=()))
    text = squeezed(all_text(write(tmp_path, "p.pdf", agreement.render_agreement(data))))
    assert "(1)HongKongScienceandTechnologyParksCorporation香港科技園公司" in text
    assert "(2)MicroForceSensingTechnology華力創科學" in text


def test_hostile_input_never_crashes_nor_leaves_the_page(tmp_path: Path) -> None:
    item = samples.hostile_item()
    pdf = write(tmp_path, "crowd.pdf", agreement.render_agreement(samples.agreement(item)))
    assert "Person39" in squeezed(all_text(pdf))
    sizes, found = words(pdf)
    for word in found:
        width, height = sizes[word.page - 1]
        assert word.x_min >= 28, word
        assert word.x_max <= width - 28, word
        assert word.y_min >= 28, word
        assert word.y_max <= height - 28, word


def test_agreement_batches_take_seconds(capsys: pytest.CaptureFixture[str]) -> None:
    batch = [
        samples.agreement(replace(samples.GLOBAL_CONNECT, reference=f"GC-{n}")) for n in range(20)
    ]
    agreement.render_agreement(batch[0])  # fonts made and cached
    started = time.perf_counter()
    out = io.BytesIO()
    agreement.write_agreements(batch, out, wording=samples.WORDING)
    seconds = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n20 agreements: {seconds:.2f} s, {seconds / 20:.3f} s each")
    assert seconds < 60


def test_agreement_data_is_plain() -> None:
    data = samples.agreement()
    with pytest.raises(AttributeError):
        data.as_of = "now"  # type: ignore[misc]
    assert data.draft is False
