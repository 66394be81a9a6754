"""The programme booklet, made with reportlab's platypus: what it shows, its pages and type.

Pure: no Flask. The PDFs are read back with poppler's tools (pdftotext, pdftoppm); the text
operators with tests.pdf_structure. Fonts, PDF hygiene, reprints and the reviewed reference
images: test_printing_programme_pdf.py.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from printing import programme
from printing.documents import (
    CeremonyData,
    Exhibitor,
    ProgrammeData,
    Sector,
)
from printing.programme_page import ProgrammePage
from printing.typefaces import FontBook
from tests import document_samples as samples
from tests.pdf_helpers import (
    page_count,
    page_size_mm,
    page_texts,
    rasterise,
    squeezed,
    words,
    write,
)
from tests.pdf_structure import outline, type_sizes
from tests.programme_pdfs import AS_OF, all_text, curly, render_samples


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Render the sample programme once in A5 and A4 for the tests that only read them."""
    return render_samples(tmp_path_factory.mktemp("programme"))


# Content


def test_programme_text_has_titles_names_agenda_and_booth_codes(pdfs: dict[str, Path]) -> None:
    data = samples.programme()
    for pdf in pdfs.values():
        text = squeezed(all_text(pdf))
        expected = [
            samples.OCCASION.title_zh,
            curly(samples.OCCASION.title_en),
            "孫東",
            "Sun Dong",
            "查毅超",
            "Cha Yichao",
            "香港科技園公司",
            "河套發展署",
            "Hong Kong Science and Technology Parks Corporation (HKSTP)",
            samples.OCCASION.date_zh,
            samples.OCCASION.venue_zh,
        ]
        for entry in data.agenda:
            expected += [curly(entry.title_en), entry.title_zh, entry.starts]
        for ceremony in data.ceremonies:
            expected += [curly(ceremony.title_en), ceremony.title_zh]
            for item in ceremony.items:
                expected += [item.reference, curly(item.title_en), item.title_zh]
                expected += [p.name_en for p in item.people if p.name_en]
        for firm in data.exhibitors:
            expected += [firm.name_en, firm.name_zh, firm.booth]
        missing = [phrase for phrase in expected if squeezed(phrase) not in text]
        assert not missing, missing


def test_an_a5_booklet_of_whole_sheets_with_page_x_of_y_and_as_of_on_every_page(
    pdfs: dict[str, Path],
) -> None:
    pdf = pdfs["A5"]
    assert page_size_mm(pdf) == (148.0, 210.0)
    pages = page_texts(pdf)
    total = len(pages)
    assert total == page_count(pdf)
    assert total % 4 == 0
    assert "Notes 筆記" in pages[-1]
    for number, text in enumerate(pages, start=1):
        assert AS_OF in text, number
        if number > 1:
            assert f"Page {number} of {total}" in text, number
            assert f"第{number}頁，共{total}頁" in squeezed(text), number
    a4 = pdfs["A4"]
    assert page_size_mm(a4) == (210.0, 297.0)
    assert all(AS_OF in text for text in page_texts(a4))
    assert page_count(a4) <= total


def test_running_heads_name_the_section_of_each_page(pdfs: dict[str, Path]) -> None:
    pages = [squeezed(text) for text in page_texts(pdfs["A5"])]
    assert "RUNNINGORDER節目流程" in pages[1]
    directory = next(i for i, t in enumerate(pages) if "參展企業Exhibitors" in t)
    assert all("EXHIBITORS參展企業" in t for t in pages[directory : directory + 2])
    assert "BOOTHMAP展位圖" in pages[-2]


def test_the_directory_names_the_page_of_the_booth_map(pdfs: dict[str, Path]) -> None:
    pages = page_texts(pdfs["A5"])
    map_page = next(n for n, t in enumerate(pages, 1) if "展位圖Boothmap" in squeezed(t))
    directory = next(t for t in pages if "參展企業Exhibitors" in squeezed(t))
    assert f"on the map, page {map_page}" in directory
    assert f"展位見第{map_page}頁展位圖" in squeezed(directory)


def test_booth_map_shows_every_slot_its_firm_and_a_legend(pdfs: dict[str, Path]) -> None:
    data = samples.programme()
    for pdf in pdfs.values():
        pages = page_texts(pdf)
        start = next(i for i, t in enumerate(pages) if "展位圖Boothmap" in squeezed(t))
        text = "\n".join(t for t in pages[start:] if "BOOTH MAP" in t)
        flat = squeezed(text)
        for slot in data.slots:
            assert slot.code in text, slot.code
        occupied = {firm.booth for firm in data.exhibitors}
        free = [slot.code for slot in data.slots if slot.code not in occupied]
        assert text.count("Available") == len(free) + 1  # and the legend
        for firm in data.exhibitors:
            assert firm.name_zh in flat, firm
        for legend in (
            "LifeandHealth生命健康",
            "AIandData人工智能及數據",
            "AdvancedManufacturing先進製造",
        ):
            assert legend in flat
        for zone in ("Atrium", "East Gallery", "West Gallery"):
            assert zone in text


def test_booths_are_coloured_by_sector_and_the_cover_is_a_navy_panel_with_a_white_title(
    pdfs: dict[str, Path], tmp_path: Path
) -> None:
    pngs = rasterise(pdfs["A4"], tmp_path, dpi=60)
    pages = page_texts(pdfs["A4"])
    map_index = next(i for i, t in enumerate(pages) if "展位圖Boothmap" in squeezed(t))
    with Image.open(pngs[map_index]) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
    for sector in programme.SECTORS.values():
        target = tuple(round(c * 255) for c in sector.colour)
        near = sum(
            n
            for n, rgb in colours
            if max(abs(a - b) for a, b in zip(rgb, target, strict=True)) < 12
        )
        assert near > 50, (sector.key, near)
    with Image.open(pngs[0]) as image:
        cover = image.convert("RGB")
        width, height = cover.size
        raw = cover.crop((int(width * 0.1), int(height * 0.1), int(width * 0.9), int(height * 0.5)))
        data = raw.tobytes()
    pixels = [tuple(data[i : i + 3]) for i in range(0, len(data), 3)]
    navy = sum(1 for p in pixels if p[2] > p[0] + 25 and p[0] < 60)
    assert navy > len(pixels) * 0.6
    assert sum(1 for p in pixels if min(p) > 200) > 800


def test_text_stays_inside_the_safe_area(pdfs: dict[str, Path]) -> None:
    for pdf in pdfs.values():
        sizes, found = words(pdf)
        assert found
        for word in found:
            width, height = sizes[word.page - 1]
            assert word.x_min >= 28.3 - 0.5, word
            assert word.x_max <= width - 28.3 + 0.5, word
            assert word.y_min >= 19.8, word
            assert word.y_max <= height - 17, word


def test_named_sectors_an_empty_programme_and_a_wrong_page_size(tmp_path: Path) -> None:
    data = samples.programme()
    named = replace(
        data,
        slots=(*data.slots, replace(data.slots[0], code="F-01", sector="fintech", zone="Annex")),
        exhibitors=(
            *data.exhibitors,
            Exhibitor("CoinBridge", "幣橋", "fintech", "F-01"),
        ),
        sectors=(Sector("fintech", "Financial Technology", "金融科技"),),
    )
    text = squeezed(all_text(write(tmp_path, "named.pdf", programme.render_programme(named))))
    assert "FinancialTechnology金融科技" in text
    assert "F-01" in text

    empty = ProgrammeData(occasion=samples.OCCASION, as_of=AS_OF, wording=samples.WORDING)
    pdf = write(tmp_path, "empty.pdf", programme.render_programme(empty))
    assert page_count(pdf) == 4  # the cover and ruled notes pages
    assert all_text(pdf).count(AS_OF) == 4
    assert outline(pdf) == []
    with pytest.raises(ValueError, match="page_size"):
        programme.render_programme(empty, page_size="Letter")


def test_booth_helpers() -> None:
    codes = ["A-10", "A-2", "B-1", "A-1"]
    assert sorted(codes, key=programme.natural_key) == ["A-1", "A-2", "A-10", "B-1"]
    spans = [programme.booth_span(s) for s in ("3x3", "6x3", "6×3 m", "9x3", "", "L")]
    assert spans == [1, 2, 2, 2, 1, 1]


# Type for print


def test_type_is_print_sized(pdfs: dict[str, Path]) -> None:
    page = ProgrammePage(FontBook.covering(["x"]), samples.programme(), "A5")
    for body in (page.body, page.name, page.title_en, page.title_zh, page.time):
        assert body.size >= 9, body
    for detail in (page.meta, page.time_end, page.label, page.small_label):
        assert detail.size >= 8, detail
    assert page.foot.size >= 7
    assert page.folio.size >= 7
    for pdf in pdfs.values():
        sizes = type_sizes(pdf)
        assert sizes
        assert min(sizes) >= 7, sorted(set(sizes))[:5]
    assert sum(1 for s in type_sizes(pdfs["A5"]) if 8 <= s < 9) > 100  # details are 8 pt


# Hostile input


def test_hostile_input_never_crashes_nor_leaves_the_page(tmp_path: Path) -> None:
    long_en, long_zh = samples.HOSTILE_EN, samples.HOSTILE_ZH
    item = samples.hostile_item()
    ceremonies = (
        CeremonyData("award", long_en, long_zh, "09:00", long_en, (item,), long_en),
        CeremonyData("mystery", "", "", "", "", (replace(item, people=()),)),
    )
    data = samples.programme()
    odd = ProgrammeData(
        occasion=replace(samples.OCCASION, title_en=long_en, title_zh=long_zh, hosts=()),
        as_of=long_en[:80],
        agenda=(replace(data.agenda[0], title_en=long_en, title_zh=long_zh, speaker=long_en),),
        ceremonies=ceremonies,
        exhibitors=(
            *data.exhibitors,
            replace(data.exhibitors[0], name_en=long_en, name_zh=long_zh, sector="", booth=""),
            replace(data.exhibitors[1], sector="unheard-of", booth="Z-99", description=long_en),
        ),
        slots=(
            *data.slots,
            replace(
                data.slots[0], code="Z-99", zone="", floor="", sector="unheard-of", size="12x6"
            ),
        ),
        wording=samples.WORDING,
    )
    for size in ("A5", "A4"):
        pdf = write(tmp_path, f"odd-{size}.pdf", programme.render_programme(odd, page_size=size))
        sizes, found = words(pdf)
        for word in found:
            width, height = sizes[word.page - 1]
            assert word.x_min >= 17, word
            assert word.x_max <= width - 17, word
            assert word.y_min >= 17, word
            assert word.y_max <= height - 17, word
        text = all_text(pdf)
        assert "Z-99" in text
        assert "Person 39" in text
