"""Badge PDFs on reportlab's canvas: fonts embedded, names extract, QR codes decode, text fits.

Pure: no Flask. Tests that run poppler's tools (pdffonts, pdftotext, pdftoppm, pdfinfo)
fail when CI=true and the tool is missing, and skip otherwise. Each PDF embeds programs of
its own glyphs, made through ``printing.typefaces`` (converted glyphs are cached on disk).
"""

from __future__ import annotations

import base64
import io
import random
import re
import string
import subprocess
import sys
import unicodedata
import zlib
from pathlib import Path

import pytest

from events_app.services.print_wording import wording
from printing.badge_fit import ELLIPSIS, Measure, fit, tokens
from printing.badges import (
    CARD_HEIGHT,
    CARD_WIDTH,
    NAME_AREA_HEIGHT,
    PADDING,
    BadgeData,
    badge_texts,
    layout_names,
    render_badge,
    write_badge_sheets,
)
from printing.qr import dark_rectangles, make_qr, make_qr_reference
from printing.typefaces import CJK_FACES, HANS, HANT, FontBook, _cjk_gids
from tests.pdf_helpers import decode_pages, font_rows, run, tool, write

ROOT = Path(__file__).resolve().parents[2]
TOKEN_CHARS = string.ascii_letters + string.digits + "-_."
MM = 72 / 25.4

EVENT = {
    "event_title_en": '"One Park, Two Places — Shenzhen-Hong Kong Co-creation" and launch '
    "ceremony of the Hetao Hong Kong Youth Innovation Valley",
    "event_title_zh": "「一園兩地、深港共創」暨河套香港青年科創谷啟動儀式",
    "event_date": "2 March 2026, 09:30",
    "venue": "Hong Kong Science Park Shenzhen Branch",
}

# The sample names: Polish, Czech, Vietnamese (typed decomposed), Greek, Cyrillic,
# Japanese and Korean.
SAMPLE_NAMES = [
    "Łukasz Wałęsa-Dvořák",
    unicodedata.normalize("NFD", "Nguyễn Thị Minh Khai"),
    "Αλέξανδρος Παπαδόπουλος",
    "Жуковский Сергей",
    "山田はなこ",
    "김민준",
]


def token(seed: int, length: int = 56) -> str:
    """Return a payload shaped like a signed badge token."""
    rnd = random.Random(seed)
    return "b1.k1." + "".join(rnd.choice(TOKEN_CHARS) for _ in range(length - 6))


def badge(language: str = "zh_Hant_HK", script: str = HANT, **changes: str) -> BadgeData:
    """Return Sun Dong's badge, with changes, its labels' Chinese in `language`'s script."""
    fields = {
        "full_name": "Sun Dong",
        "name_zh": "孫東",
        "organisation": "HKSAR Government",
        "job_title": "Secretary for Innovation, Technology and Industry",
        "category": "vip",
        "qr_payload": token(0),
        **EVENT,
    }
    fields.update(changes)
    return BadgeData(**fields, wording=wording(language), script=script)  # type: ignore[arg-type]


GUESTS = [
    ("Huang Wei", "黃偉", "Futian District", "Party Secretary", "speaker"),
    ("Zhong Hai", "钟海", "Hetao Development Authority", "Director", "partner"),
    ("Cha Yichao", "查毅超", "HKSTP", "Chairman", "speaker"),
    ("Jian Yiwen", "簡依雯", "HKSTP", "Director of Innovation Development", "staff"),
    ("Yu Chen", "魚晨", "Micro Force Sensing Ltd", "CEO", "exhibitor"),
    ("Mary Chan", "", "Ming Pao", "Reporter", "press"),
    ("Li Guobin", "李國彬", "HKSAR Government", "Commissioner", "vip"),
    ("Huang Bingxiu", "黃秉修", "HKSTP", "CEO", "guest"),
    ("Ann Lee", "李安", "Acme Partners", "Partner", "mystery"),
]


def guests() -> list[BadgeData]:
    """Return the nine sample guests' badges."""
    return [
        badge(
            full_name=en,
            name_zh=zh,
            organisation=org,
            job_title=job,
            category=cat,
            qr_payload=token(100 + i),
        )
        for i, (en, zh, org, job, cat) in enumerate(GUESTS)
    ]


def streams(pdf: bytes) -> list[tuple[bytes, bytes]]:
    """Return (dictionary, decoded data) of every stream of a PDF reportlab wrote."""
    found = []
    for match in re.finditer(rb"<<((?:(?!stream).)*?)>>\s*stream\r?\n(.*?)endstream", pdf, re.S):
        dictionary, data = match.groups()
        if b"ASCII85Decode" in dictionary:
            data = base64.a85decode(data.strip().removesuffix(b"~>"), adobe=False)
        if b"FlateDecode" in dictionary:
            data = zlib.decompress(data)
        found.append((dictionary, data))
    return found


def embedded_fonts(pdf: bytes) -> dict[str, object]:
    """Return the embedded TrueType programs of a PDF by PostScript name (fontTools fonts)."""
    from fontTools.ttLib import TTFont

    programs = {}
    for dictionary, data in streams(pdf):
        if b"/Length1" in dictionary:
            program = TTFont(io.BytesIO(data))
            programs[program["name"].getDebugName(6)] = program
    return programs


def type_sizes(pdf: bytes) -> list[float]:
    """Return the size of every Tf operator in the PDF's pages and forms."""
    sizes = []
    for dictionary, data in streams(pdf):
        if b"/Length1" not in dictionary:
            sizes += [float(size) for size in re.findall(rb"/\S+ ([\d.]+) Tf", data)]
    return sizes


def test_the_chain_takes_ascii_whole_and_picks_jp_and_kr_faces() -> None:
    from printing.typefaces import LATIN, cjk_face, runs

    assert runs("Sun Dong, HKSAR (2026) #1") == [(LATIN, "Sun Dong, HKSAR (2026) #1")]
    assert runs("") == []
    assert runs("孫東 Sun") == [(CJK_FACES[HANT], "孫東 "), (LATIN, "Sun")]
    assert cjk_face("山田はなこ", HANT) == CJK_FACES["ja"]
    assert cjk_face("김민준", HANS) == CJK_FACES["ko"]
    assert cjk_face("骨", HANS) == CJK_FACES[HANS]
    book = FontBook.covering(["Sun"])
    assert book.runs("Sun Dong")[0][0] == book.base  # new letters grow the Latin font
    assert set("Dong") <= set(book._chars["latin"])


def test_a_60_character_token_fits_version_5_at_level_m() -> None:
    for seed in range(20):
        code = make_qr(token(seed, 60))
        assert code.version <= 5
        assert code.size == 4 * code.version + 17


@pytest.mark.parametrize(
    "alphabet",
    [TOKEN_CHARS, string.ascii_uppercase + "234567", string.digits, "河套科創谷 abc"],
    ids=["bytes", "alphanumeric", "numeric", "utf8"],
)
def test_make_qr_gives_exactly_the_matrix_qrcode_makes(alphabet: str) -> None:
    rnd = random.Random(7)
    for _ in range(60):
        length = rnd.choice([1, 2, 3, 17, 40, 56, 60, 61, 90, 150, 250, 400])  # versions 1 to 15
        payload = "".join(rnd.choice(alphabet) for _ in range(length))
        assert make_qr(payload) == make_qr_reference(payload), payload


def test_rectangles_cover_the_dark_modules_exactly_once() -> None:
    code = make_qr(token(3))
    covered: list[tuple[int, int]] = []
    for column, row, width, height in dark_rectangles(code):
        covered += [(x, y) for y in range(row, row + height) for x in range(column, column + width)]
    dark = [(x, y) for y, cells in enumerate(code.rows) for x, cell in enumerate(cells) if cell]
    assert sorted(covered) == sorted(dark)
    assert len(dark_rectangles(code)) < len(dark) / 2


def test_the_image_mask_holds_one_sample_per_module() -> None:
    from printing.qr import mask_ops

    code = make_qr(token(5))
    ops = mask_ops(code, 10, 20, 110)
    found = re.search(r"BI /W (\d+) /H (\d+) /IM true /D \[1 0\] /F /AHx ID ([0-9a-f]+)> EI", ops)
    assert found is not None
    assert int(found[1]) == int(found[2]) == code.size
    data = bytes.fromhex(found[3])
    per_row = (code.size + 7) // 8
    rows = [int.from_bytes(data[i : i + per_row], "big") for i in range(0, len(data), per_row)]
    assert [row >> (-code.size % 8) for row in rows] == list(code.bits)
    assert ops.startswith("q 1 1 1 rg 10.000 20.000 110.000 110.000 re f")  # the quiet zone


# Fitting text


@pytest.fixture(scope="module")
def measures() -> tuple[Measure, Measure]:
    """Return bold and regular measures over the fitting tests' texts."""
    texts = [
        LONG_NAME,
        LONG_NAME_ZH,
        "Sun Dong Professor Wei-Ming Alexander",
        "「一園兩地、深港共創」暨河套香港青年科創谷啟動儀式…",
    ]
    book = FontBook.covering(texts)
    return Measure(book, HANT, True), Measure(book, HANT, False)


LONG_NAME = (
    "Maximilian Alexander Montgomery-Fitzwilliam-Smythe of Glenfiddich and Lochaber, "
    "Baronet of Nova Scotia"
)
LONG_NAME_ZH = "歐陽慕容上官司徒端木長孫宇文諸葛東方皇甫尉遲公孫"


def test_fit_shrinks_then_wraps_then_cuts(measures) -> None:
    bold, _ = measures
    width = 200.0
    assert fit("Sun Dong", bold, width, (20, 10)).lines == ("Sun Dong",)
    assert fit("Sun Dong", bold, width, (20, 10)).size == 20

    shrunk = fit("Professor Sun Dong Wei-Ming", bold, width, (20, 10))
    assert shrunk.lines == ("Professor Sun Dong Wei-Ming",)
    assert 10 <= shrunk.size < 20
    assert bold(shrunk.lines[0]) * shrunk.size <= width

    long = "Professor Sir Alexander Maximilian Montgomery Wong Ka Yan"
    wrapped = fit(long, bold, width, (20, 10))
    assert len(wrapped.lines) == 2
    assert " ".join(wrapped.lines) == long
    assert not wrapped.truncated

    cjk = fit("歐陽慕容上官司徒端木長孫宇文諸葛東方", bold, 150, (30, 16))
    assert len(cjk.lines) == 2
    assert "".join(cjk.lines) == "歐陽慕容上官司徒端木長孫宇文諸葛東方"

    too_long = fit(long * 4, bold, width, (20, 10))
    assert too_long.truncated
    assert too_long.size == 10
    assert too_long.lines[-1].endswith(ELLIPSIS)
    cut_cjk = fit(LONG_NAME_ZH * 3, bold, 150, (30, 16))
    assert cut_cjk.truncated
    assert " " not in "".join(cut_cjk.lines)  # CJK lines join without spaces
    assert "".join(cut_cjk.lines).rstrip(ELLIPSIS) in LONG_NAME_ZH * 3
    for fitted in (wrapped, cjk, too_long):
        limit = 150 if fitted is cjk else width
        assert all(bold(line) * fitted.size <= limit + 1e-6 for line in fitted.lines)


def test_lines_never_start_with_closing_punctuation(measures) -> None:
    _, regular = measures
    fitted = fit("「一園兩地、深港共創」暨河套香港青年科創谷啟動儀式", regular, 120, (10, 7))
    assert len(fitted.lines) == 2
    assert fitted.lines[1][0] not in "」、，。"
    assert fitted.lines[0][-1] != "「"
    assert tokens("「一園」、Sun-Dong")[:2] == ["「一", "園」、"]
    assert "Sun-" in tokens("Sun-Dong")


# Single badge


def test_single_badge_embeds_fonts_and_extracts_both_names(tmp_path) -> None:
    pdf = write(tmp_path, "badge.pdf", render_badge(badge()))
    rows = font_rows(pdf)
    assert rows
    assert all(row[-5] == "yes" for row in rows), rows  # emb
    assert all(row[-4] == "yes" for row in rows), rows  # sub(set)
    assert all(row[-3] == "yes" for row in rows), rows  # uni(code map)
    text = run(tool("pdftotext"), pdf, "-")
    for expected in ("孫東", "Sun Dong", "HKSAR Government", "VIP", "貴賓", "河套香港青年科創谷"):
        assert expected in text
    size = re.search(r"Page size: +([\d.]+) x ([\d.]+) pts", run(tool("pdfinfo"), pdf))
    assert size is not None
    width_mm, height_mm = (float(value) * 25.4 / 72 for value in size.groups())
    assert (round(width_mm, 1), round(height_mm, 1)) == (90.0, 130.0)
    info = run(tool("pdfinfo"), pdf)
    assert re.search(r"Title: +Badge: Sun Dong — \"One Park", info), info
    assert re.search(r"Subject: +\"One Park", info), info


def test_single_badge_qr_decodes_at_150_dpi(tmp_path) -> None:
    payload = token(42, 60)
    pdf = write(tmp_path, "badge.pdf", render_badge(badge(qr_payload=payload)))
    assert decode_pages(pdf, tmp_path, dpi=150) == [[payload]]


def test_no_text_is_smaller_than_7_points_and_the_venue_line_wraps(tmp_path) -> None:
    venue = "Hong Kong Science Park Shenzhen Branch, Hetao Shenzhen-Hong Kong Innovation Zone"
    data = render_badge(badge(venue=venue, job_title="A" * 3, organisation="B"))
    sizes = type_sizes(data)
    assert sizes
    assert min(sizes) >= 7, sorted(sizes)[:5]
    text = run(tool("pdftotext"), write(tmp_path, "venue.pdf", data), "-")
    assert ELLIPSIS not in text
    assert " ".join(text.split()).count("Innovation Zone") == 1
    assert "Shenzhen-Hong Kong" in " ".join(text.split())


def test_simplified_names_and_a_guest_without_a_chinese_name(tmp_path) -> None:
    pdf = write(
        tmp_path,
        "zh.pdf",
        render_badge(badge(full_name="Zhong Hai", name_zh="钟海", category="partner")),
    )
    text = run(tool("pdftotext"), pdf, "-")
    assert "钟海" in text  # the name as typed; the label in the badge's (Traditional) script
    assert "合作夥伴" in text
    pdf = write(tmp_path, "en.pdf", render_badge(badge(full_name="Mary Chan", name_zh="")))
    assert "Mary Chan" in run(tool("pdftotext"), pdf, "-")
    assert layout_names(badge(name_zh="")).name_en.size > layout_names(badge()).name_en.size


def test_a_simplified_name_takes_sc_glyph_forms_and_a_traditional_one_hk(tmp_path) -> None:
    # 骨 differs: SC and HK draw its inner stroke differently (different glyph ids).
    assert _cjk_gids(CJK_FACES[HANS])[ord("骨")] != _cjk_gids(CJK_FACES[HANT])[ord("骨")]
    plain = {"name_zh": "骨", "event_title_zh": "", "category": "mystery"}
    outlines = {}
    for script in (HANS, HANT):
        data = render_badge(badge(script=script, **plain))
        programs = {k: v for k, v in embedded_fonts(data).items() if "CJK" in k}
        ((name, program),) = programs.items()
        assert ("SC" if script == HANS else "HK") in name
        glyphs = [g for g in program.getGlyphOrder()[1:] if program["glyf"][g].numberOfContours]
        (glyph,) = glyphs  # 骨, the only CJK character of the badge
        coordinates = program["glyf"][glyph].getCoordinates(program["glyf"])[0]
        outlines[script] = tuple(coordinates)
        assert "骨" in run(tool("pdftotext"), write(tmp_path, f"{script}.pdf", data), "-")
    assert outlines[HANS] != outlines[HANT]


@pytest.mark.parametrize("name", SAMPLE_NAMES, ids=["pl-cs", "vi", "el", "ru", "ja", "ko"])
def test_names_in_every_script_print_without_the_white_square(tmp_path, name) -> None:
    data = render_badge(badge(full_name=name, name_zh=""))
    pdf = write(tmp_path, "name.pdf", data)
    text = " ".join(run(tool("pdftotext"), pdf, "-").split())
    assert unicodedata.normalize("NFC", name) in text
    assert "□" not in text
    assert all(row[-5] == "yes" for row in font_rows(pdf))
    for program in embedded_fonts(data).values():  # every drawn glyph has an outline
        cmap = program.getBestCmap() or {}
        assert ".notdef" not in {cmap[code] for code in cmap if code > 32}


def test_the_same_badge_is_the_same_bytes_in_two_processes() -> None:
    first = render_badge(badge())
    assert render_badge(badge()) == first
    child = (
        "import sys; from tests.unit.test_printing_badges import badge; "
        "from printing.badges import render_badge; sys.stdout.buffer.write(render_badge(badge()))"
    )
    other = subprocess.run(
        [sys.executable, "-c", child], cwd=ROOT, capture_output=True, check=True, timeout=120
    ).stdout
    assert other == first


def test_a_very_long_name_stays_inside_the_badge(tmp_path) -> None:
    long_badge = badge(
        full_name=LONG_NAME,
        name_zh=LONG_NAME_ZH,
        organisation="Hong Kong Science and Technology Parks Corporation, Shenzhen Branch, "
        "Hetao Shenzhen-Hong Kong Science and Technology Innovation Cooperation Zone",
        job_title="Vice-Chairman, Shenzhen CPPCC; Party Secretary of Futian District and of "
        "the Hetao Development Authority",
    )
    book = FontBook(badge_texts(long_badge))
    layout = layout_names(long_badge, book)
    width = CARD_WIDTH - 2 * PADDING
    for name, fitted in layout.blocks():
        bold = name != "job_title"
        assert 1 <= len(fitted.lines) <= 2
        assert fitted.size >= 7
        assert all(book.width(line, fitted.size, HANT, bold) <= width for line in fitted.lines)
    assert layout.height() <= NAME_AREA_HEIGHT

    pdf = write(tmp_path, "long.pdf", render_badge(long_badge))
    html = run(tool("pdftotext"), "-bbox", pdf, "-")
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        html,
    )
    assert words
    for x_min, y_min, x_max, y_max, word in words:
        assert float(x_min) >= PADDING - 1, word
        assert float(x_max) <= CARD_WIDTH - PADDING + 1, word
        assert float(y_min) >= 0, word
        assert float(y_max) <= CARD_HEIGHT, word
    text = run(tool("pdftotext"), pdf, "-")
    assert "Maximilian" in text
    assert "歐陽慕容" in text


def test_a_character_outside_every_font_shows_the_mark(tmp_path) -> None:
    odd = badge(full_name="Chan Tai Man 😀", name_zh="陳大文𠀀")
    pdf = write(tmp_path, "odd.pdf", render_badge(odd))
    text = run(tool("pdftotext"), pdf, "-")
    assert "陳大文□" in text
    assert "Chan Tai Man □" in text
    assert "𠀀" not in text
    assert decode_pages(pdf, tmp_path) == [[odd.qr_payload]]


def test_every_category_has_its_band_label(tmp_path) -> None:
    labels = {
        "vip": "貴賓",
        "speaker": "講者",
        "press": "媒體",
        "exhibitor": "參展商",
        "partner": "合作夥伴",
        "guest": "嘉賓",
        "staff": "工作人員",
    }
    for category, chinese in labels.items():
        pdf = write(tmp_path, f"{category}.pdf", render_badge(badge(category=category)))
        text = run(tool("pdftotext"), pdf, "-")
        assert chinese in text
        assert category.upper() in text  # letter-spaced, yet one word


SIMPLIFIED_LABELS = {
    "vip": "贵宾",
    "speaker": "演讲嘉宾",
    "press": "媒体",
    "exhibitor": "参展商",
    "partner": "合作伙伴",
    "guest": "嘉宾",
    "staff": "工作人员",
}


def test_a_simplified_badge_has_simplified_labels_and_the_pdf_says_its_language(
    tmp_path,
) -> None:
    for category, chinese in SIMPLIFIED_LABELS.items():
        data = render_badge(badge("zh_Hans_CN", HANS, category=category))
        text = run(tool("pdftotext"), write(tmp_path, f"{category}-hans.pdf", data), "-")
        assert chinese in text, category
        assert "孫東" in text  # the guest's own name stays as typed
    assert b"/Lang (zh-Hans-CN)" in render_badge(badge("zh_Hans_CN"))
    assert b"/Lang (zh-Hant-HK)" in render_badge(badge("en"))


# Batch


def test_batch_sheets_are_in_order_and_every_qr_decodes_at_150_dpi(tmp_path) -> None:
    items = guests()
    done: list[int] = []
    out = io.BytesIO()
    count = write_badge_sheets((item for item in items), out, progress=done.append)
    assert count == 9
    assert done == [4, 8, 9]

    pdf = write(tmp_path, "sheets.pdf", out.getvalue())
    info = run(tool("pdfinfo"), pdf)
    assert "Pages:           3" in info
    assert "x 841.89 pts (A4)" in info
    rows = font_rows(pdf)
    assert rows
    assert all(row[-5] == "yes" for row in rows)
    assert len({row[0] for row in rows}) == len(rows)  # one font book for the whole batch
    pages = decode_pages(pdf, tmp_path, dpi=150)
    assert [payload for page in pages for payload in page] == [item.qr_payload for item in items]
    text = run(tool("pdftotext"), pdf, "-")
    positions = [text.index(item.full_name) for item in items]
    assert positions == sorted(positions)
    for item in items:
        assert item.name_zh in text
    assert "Sheet 3 · badges 9-9" in text
    assert min(type_sizes(out.getvalue())) >= 7


def test_a_batch_is_the_same_bytes_each_time() -> None:
    first, second = io.BytesIO(), io.BytesIO()
    write_badge_sheets(guests(), first)
    write_badge_sheets(guests(), second)
    assert first.getvalue() == second.getvalue()


def test_batch_sheet_has_crop_marks_outside_the_cards() -> None:
    from printing.badges import BLEED, card_origins

    origins = card_origins()
    assert len(origins) == 4
    for x, y in origins:
        assert x - BLEED >= 5 * MM
        assert x + CARD_WIDTH + BLEED <= 210 * MM - 5 * MM
        assert y - BLEED >= 5 * MM
        assert y + CARD_HEIGHT + BLEED <= 297 * MM - 5 * MM
    (x0, y0), (x1, _), (_, y2), _ = origins
    assert x1 - (x0 + CARD_WIDTH) >= 2 * BLEED  # the gutter holds both bleeds
    assert y0 - (y2 + CARD_HEIGHT) >= 2 * BLEED


def test_an_empty_batch_is_still_a_valid_pdf(tmp_path) -> None:
    out = io.BytesIO()
    assert write_badge_sheets([], out) == 0
    pdf = write(tmp_path, "empty.pdf", out.getvalue())
    assert "Pages:           1" in run(tool("pdfinfo"), pdf)
