"""Printed documents: programme and the stage manager's sheet (agreements and certificates:
test_printing_agreement.py, test_printing_certificate.py).

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

from printing import programme, stage_sheet
from printing.documents import (
    CeremonyData,
    CeremonyItemData,
    Person,
    ProgrammeData,
    Sector,
    StageSheetData,
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
    return {
        "programme": write(
            folder, "programme.pdf", programme.render_programme(samples.programme())
        ),
        "programme-a4": write(
            folder,
            "programme-a4.pdf",
            programme.render_programme(samples.programme(), page_size="A4"),
        ),
        "stage": write(folder, "stage.pdf", stage_sheet.render_stage_sheet(samples.stage_sheet())),
    }


# Fonts


def test_every_document_embeds_subsets_of_its_fonts(pdfs: dict[str, Path]) -> None:
    for name, pdf in pdfs.items():
        rows = font_rows(pdf)
        assert len(rows) == 2, (name, rows)  # Regular and Bold, nothing else
        for row in rows:
            assert "NotoSansCJKhk" in row[0], (name, row)
            assert row[-5:-2] == ["yes", "yes", "yes"], (name, row)  # emb, sub, uni


# Programme


def test_programme_text_has_titles_names_agenda_and_booth_codes(pdfs: dict[str, Path]) -> None:
    data = samples.programme()
    for pdf in (pdfs["programme"], pdfs["programme-a4"]):
        text = squeezed(all_text(pdf))
        expected = [
            samples.OCCASION.title_zh,
            curly(samples.OCCASION.title_en),
            "孫東",
            "Sun Dong",
            "黃偉",
            "Huang Wei",
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
    assert len(data.exhibitors) == 25
    assert len(data.agenda) == 12


def test_programme_is_an_a5_booklet_with_page_numbers_and_as_of_on_every_page(
    pdfs: dict[str, Path],
) -> None:
    pdf = pdfs["programme"]
    assert page_size_mm(pdf) == (148.0, 210.0)
    pages = page_texts(pdf)
    assert len(pages) == page_count(pdf)
    assert len(pages) % 4 == 0  # saddle-stitched: padded with notes pages
    assert "Notes 筆記" in pages[-1]  # the sample's content pages need padding
    for number, text in enumerate(pages, start=1):
        assert AS_OF in text, number
        if number > 1:
            assert re.search(rf"(?m)^{number}$", text), (number, text[-200:])
    a4 = pdfs["programme-a4"]
    assert page_size_mm(a4) == (210.0, 297.0)
    assert all(AS_OF in text for text in page_texts(a4))


def test_programme_directory_names_the_page_of_the_booth_map(pdfs: dict[str, Path]) -> None:
    pages = page_texts(pdfs["programme"])
    map_page = next(n for n, t in enumerate(pages, 1) if "展位圖 Booth map" in t.replace("\n", " "))
    directory = next(t for t in pages if "參展企業 Exhibitors" in t.replace("\n", " "))
    assert f"on the map, page {map_page}" in directory
    assert f"展位見第{map_page}頁展位圖" in squeezed(directory)


def test_booth_map_shows_every_slot_its_firm_and_a_legend(pdfs: dict[str, Path]) -> None:
    data = samples.programme()
    for pdf in (pdfs["programme"], pdfs["programme-a4"]):
        pages = page_texts(pdf)
        start = next(i for i, t in enumerate(pages) if "展位圖 Booth map" in t.replace("\n", " "))
        booth_pages = [t for t in pages[start:] if "BOOTH MAP" in t or "Booth map" in t]
        text = "\n".join(booth_pages)
        flat = squeezed(text)
        for slot in data.slots:
            assert slot.code in text, slot.code
        occupied = {firm.booth for firm in data.exhibitors}
        free = [slot.code for slot in data.slots if slot.code not in occupied]
        assert len(free) == 3
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


def test_booths_are_coloured_by_sector_and_the_cover_renders_its_chinese_title(
    pdfs: dict[str, Path], tmp_path: Path
) -> None:
    pngs = rasterise(pdfs["programme-a4"], tmp_path, dpi=60)
    pages = page_texts(pdfs["programme-a4"])
    map_index = next(i for i, t in enumerate(pages) if "展位圖 Booth map" in t.replace("\n", " "))
    with Image.open(pngs[map_index]) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
    for sector in programme.SECTORS.values():
        target = tuple(round(c * 255) for c in sector.colour)
        near = sum(
            n
            for n, rgb in colours
            if max(abs(a - b) for a, b in zip(rgb, target, strict=True)) < 12
        )
        assert near > 50, (sector.key, near)  # the colour bars of its booths
    with Image.open(pngs[0]) as image:
        cover = image.convert("RGB")
        width, height = cover.size
        panel = cover.crop(
            (int(width * 0.1), int(height * 0.1), int(width * 0.9), int(height * 0.5))
        )
        raw = panel.tobytes()
    pixels = [tuple(raw[i : i + 3]) for i in range(0, len(raw), 3)]
    navy = sum(1 for p in pixels if p[2] > p[0] + 25 and p[0] < 60)
    white = sum(1 for p in pixels if min(p) > 200)
    assert navy > len(pixels) * 0.6  # the panel
    assert white > 800  # the Chinese title, drawn white on it from the embedded font


def test_programme_text_stays_inside_the_safe_area(pdfs: dict[str, Path]) -> None:
    for pdf in (pdfs["programme"], pdfs["programme-a4"]):
        sizes, found = words(pdf)
        assert found
        for word in found:
            width, height = sizes[word.page - 1]
            assert word.x_min >= mm(10) - 0.5, word
            assert word.x_max <= width - mm(10) + 0.5, word
            assert word.y_min >= mm(7), word
            assert word.y_max <= height - mm(6), word


def test_programme_sectors_can_be_named_and_an_empty_programme_is_still_a_booklet(
    tmp_path: Path,
) -> None:
    data = samples.programme()
    slots = (*data.slots, replace(data.slots[0], code="F-01", sector="fintech", zone="Annex"))
    exhibitors = (
        *data.exhibitors,
        replace(
            data.exhibitors[0], name_en="CoinBridge", name_zh="幣橋", sector="fintech", booth="F-01"
        ),
    )
    named = replace(
        data,
        slots=slots,
        exhibitors=exhibitors,
        sectors=(Sector("fintech", "Financial Technology", "金融科技"),),
    )
    text = squeezed(all_text(write(tmp_path, "named.pdf", programme.render_programme(named))))
    assert "FinancialTechnology金融科技" in text
    assert "F-01" in text

    empty = ProgrammeData(occasion=samples.OCCASION, as_of=AS_OF, wording=samples.WORDING)
    pdf = write(tmp_path, "empty.pdf", programme.render_programme(empty))
    assert page_count(pdf) == 4  # the cover and ruled notes pages
    text = all_text(pdf)
    assert samples.OCCASION.title_zh in squeezed(text)
    assert text.count(AS_OF) == 4
    with pytest.raises(ValueError, match="page_size"):
        programme.render_programme(empty, page_size="Letter")


def test_booth_helpers() -> None:
    codes = ["A-10", "A-2", "B-1", "A-1"]
    assert sorted(codes, key=programme.natural_key) == ["A-1", "A-2", "A-10", "B-1"]
    assert [programme.booth_span(s) for s in ("3x3", "6x3", "6×3 m", "9x3", "", "L")] == [
        1,
        2,
        2,
        2,
        1,
        1,
    ]


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


# Stage manager's sheet


def test_signatories_stand_in_party_order_cut_into_left_centre_right() -> None:
    item = samples.GLOBAL_CONNECT
    shuffled = replace(item, people=tuple(reversed(item.people)))
    positions = stage_sheet.stage_positions("signing", shuffled)
    front = [p for p in positions if p.row == "front"]
    assert [p.person for p in front] == list(item.people)  # the order of the parties
    assert [p.zone for p in front] == ["left", "left", "centre", "centre", "right", "right"]
    assert {p.role for p in front} == {"signatory"}
    back = [p for p in positions if p.row == "back"]
    assert [p.person.name_en for p in back] == ["Sun Dong", "Huang Wei"]
    assert [p.role for p in back] == ["witness", "witness"]
    assert [p.number for p in positions] == list(range(1, 9))

    pledge = stage_sheet.stage_positions("pledge", replace(item, people=item.people[:1]))
    assert [(p.zone, p.role) for p in pledge if p.row == "front"] == [("centre", "partner")]
    pair = stage_sheet.stage_positions("signing", samples.TENANCY)
    assert [p.zone for p in pair] == ["left", "right"]


def test_recipients_stand_left_and_presenters_right() -> None:
    positions = stage_sheet.stage_positions("award", samples.VISA_AWARD)
    assert [p.role for p in positions] == ["recipient"] * 3 + ["presenter"] * 3
    assert [p.zone for p in positions] == ["left", "left", "centre", "centre", "right", "right"]
    assert positions[0].person == samples.VISA_AWARD.people[0]
    assert positions[3].person == samples.VISA_AWARD.presenters[0]


def test_stage_sheet_lists_cues_positions_and_as_of_on_every_page(pdfs: dict[str, Path]) -> None:
    pdf = pdfs["stage"]
    assert page_size_mm(pdf) == (210.0, 297.0)
    pages = page_texts(pdf)
    text = "\n".join(pages)
    flat = squeezed(text)
    for number, page in enumerate(pages, start=1):
        assert AS_OF in page
        assert f"Page {number} of {len(pages)}" in page
    assert "house left = stage right" in text
    for cue in ("01", "02", "03", "04"):
        assert re.search(rf"(?m)^{cue}$", text), cue
    for time_ in ("10:12", "10:18", "10:30", "11:05"):
        assert time_ in text
    for ceremony in samples.CEREMONIES:
        for item in ceremony.items:
            assert item.reference in text
            for person in (*item.people, *item.presenters):
                assert squeezed(person.name_zh or person.organisation_zh) in flat
    for zone in ("Left 左", "Centre 中", "Right 右", "Back row 後排"):
        assert zone in text
    assert "Recipient 獲頒者" in text
    assert "Presenter 頒授嘉賓" in text


def test_stage_sheet_without_ceremonies_says_so(tmp_path: Path) -> None:
    empty = StageSheetData(
        occasion=samples.OCCASION, as_of=AS_OF, ceremonies=(), wording=samples.WORDING
    )
    pdf = write(tmp_path, "empty-stage.pdf", stage_sheet.render_stage_sheet(empty))
    assert page_count(pdf) == 1
    assert "No signings or presentations are planned yet." in all_text(pdf)
    unplaced = StageSheetData(
        occasion=samples.OCCASION,
        as_of=AS_OF,
        ceremonies=(
            CeremonyData(
                "signing", "Signing", "簽約", "10:00", items=(CeremonyItemData("R-1", "A", "甲"),)
            ),
        ),
        wording=samples.WORDING,
    )
    text = all_text(write(tmp_path, "unplaced.pdf", stage_sheet.render_stage_sheet(unplaced)))
    assert "No one placed yet." in text


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
    data = samples.programme()
    timings["programme (A5)"] = _timed(lambda: programme.render_programme(data))
    timings["stage sheet"] = _timed(lambda: stage_sheet.render_stage_sheet(samples.stage_sheet()))
    with capsys.disabled():
        summary = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in timings.items())
        print(f"\nrendering: {summary}; total {time.perf_counter() - started:.2f} s")


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


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
    ceremonies = (
        CeremonyData("award", long_en, long_zh, "09:00", long_en, (item,), long_en),
        CeremonyData("mystery", "", "", "", "", (replace(item, people=()),)),
    )
    sheet = StageSheetData(samples.OCCASION, long_en, ceremonies, wording=samples.WORDING)
    _inside_pages(write(tmp_path, "crowd-stage.pdf", stage_sheet.render_stage_sheet(sheet)), mm(8))

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
        _inside_pages(pdf, mm(6))
        assert "Z-99" in all_text(pdf)
