"""The programme booklet, made with reportlab's platypus: content, pages, fonts, hygiene.

Pure: no Flask. The PDFs are read back with poppler's tools (pdftotext, pdffonts, pdfinfo,
pdftoppm); the outline (bookmarks) and the text operators are read from the PDF file itself,
which reportlab writes with plain object dictionaries and Flate-compressed page streams.
"""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
import time
import unicodedata
import zlib
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from events_app.services.print_wording import in_document_script, wording
from printing import programme
from printing.documents import (
    AgendaEntry,
    CeremonyData,
    CeremonyItemData,
    Exhibitor,
    Person,
    ProgrammeData,
    Sector,
)
from printing.programme_page import ProgrammePage
from printing.typefaces import FontBook
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

AS_OF = "1 March 2026, 18:00 (UTC+8)"
ROOT = Path(__file__).resolve().parents[2]
SAMPLE_NAMES = (
    "Łukasz Wałęsa-Dvořák",
    unicodedata.normalize("NFD", "Nguyễn Thị Minh Khai"),
    "Αλέξανδρος Παπαδόπουλος",
    "Пётр Жуковский",
    "山田はなこ",
    "김민준",
)


def all_text(pdf: Path) -> str:
    return run(tool("pdftotext"), pdf, "-")


def curly(text: str) -> str:
    """Return text with straight double quotes made curly, as the programme prints them."""
    return re.sub(r'(^|\s)"', "\\1\u201c", text).replace('"', "\u201d")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Render the sample programme once in A5 and A4 for the tests that only read them."""
    folder = tmp_path_factory.mktemp("programme")
    data = samples.programme()
    return {
        "A5": write(folder, "programme.pdf", programme.render_programme(data)),
        "A4": write(folder, "programme-a4.pdf", programme.render_programme(data, page_size="A4")),
    }


def pdf_strings(raw: bytes) -> list[str]:
    """Return the outline titles of a PDF, in order (reportlab's literal strings, UTF-16)."""
    titles = []
    for literal in re.findall(rb"/Dest \[[^\]]*\][^\n]*?/Title \(((?:\\.|[^\\)])*)\)", raw):
        data = re.sub(
            rb"\\([0-7]{1,3}|.)",
            lambda m: (
                bytes([int(m.group(1), 8)])
                if m.group(1)[:1].isdigit()
                else {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(m.group(1), m.group(1))
            ),
            literal,
        )
        titles.append(data[2:].decode("utf-16-be") if data[:2] == b"\xfe\xff" else data.decode())
    return titles


def outline(pdf: Path) -> list[tuple[str, int]]:
    """Return each bookmark's title and the number of the page it points to."""
    raw = pdf.read_bytes()
    kids = re.search(rb"/Kids \[([^\]]*)\]", raw)
    assert kids is not None
    pages = [int(n) for n in re.findall(rb"(\d+) 0 R", kids.group(1))]
    targets = [int(n) for n in re.findall(rb"/Dest \[ (\d+) 0 R", raw)]
    titles = pdf_strings(raw)
    assert len(titles) == len(targets)
    return [(title, pages.index(target) + 1) for title, target in zip(titles, targets, strict=True)]


def type_sizes(pdf: Path) -> list[float]:
    """Return the size of every font setting (Tf) in the page streams."""
    sizes = []
    streams = re.findall(rb"<<([^<>]*)>>\s*stream\r?\n(.*?)endstream", pdf.read_bytes(), re.S)
    for head, stream in streams:
        if b"/ASCII85Decode" in head:
            stream = base64.a85decode(stream.strip(), adobe=True)
        if b"/FlateDecode" in head:
            stream = zlib.decompressobj().decompress(stream)
        sizes += [float(s) for s in re.findall(rb"/F\d+(?:\+\d+)? ([\d.]+) Tf", stream)]
    return sizes


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


# Hostile input


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
        presenters=crowd[:20],
    )
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


def test_letter_spacing_does_not_outlive_its_line(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    book = FontBook.covering(["SPACED normal"])
    path = tmp_path / "spaced.pdf"
    canvas = Canvas(str(path), pagesize=(300, 100), pageCompression=0, invariant=1)
    book.draw(canvas, 10, 50, "SPACED", 10, char_space=2)
    book.draw(canvas, 10, 30, "normal", 10)
    canvas.save()
    content = path.read_bytes()
    assert content.index(b" 0 Tc") > content.index(b" 2 Tc")


# Reviewed reference images

REFERENCES = ROOT / "tests" / "references" / "programme"
"""The sample programme's A5 pages at 40 dpi, looked at and committed; remake them with
UPDATE_REFERENCE_IMAGES=1 after a change of look (and look at them again)."""


def test_pages_look_like_their_reviewed_reference_images(
    pdfs: dict[str, Path], tmp_path: Path
) -> None:
    pngs = rasterise(pdfs["A5"], tmp_path, dpi=40)
    if os.environ.get("UPDATE_REFERENCE_IMAGES"):
        REFERENCES.mkdir(parents=True, exist_ok=True)
        for old in REFERENCES.glob("a5-*.png"):
            old.unlink()
        for number, png in enumerate(pngs, start=1):
            (REFERENCES / f"a5-{number:02d}.png").write_bytes(png.read_bytes())
    references = sorted(REFERENCES.glob("a5-*.png"))
    assert len(references) == len(pngs)
    for png, reference in zip(pngs, references, strict=True):
        with Image.open(png) as made, Image.open(reference) as reviewed:
            assert made.size == reviewed.size, reference.name
            difference = ImageChops.difference(made.convert("L"), reviewed.convert("L"))
            changed = difference.point(lambda value: 255 if value > 24 else 0).histogram()[255]
            assert changed <= made.size[0] * made.size[1] * 0.005, (reference.name, changed)
