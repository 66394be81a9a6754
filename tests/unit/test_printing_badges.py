"""Badge PDFs: fonts embedded, names extractable, QR codes decodable, long names contained.

Pure: no Flask. Tests that run poppler's tools (pdffonts, pdftotext, pdftoppm, pdfinfo)
fail when CI=true and the tool is missing, and skip otherwise. The CJK font's metrics are read
from the source face (about a second) and cached in the user's font cache (or
LAUNCH_EVENTS_FONT_CACHE); each PDF embeds a program of its own glyphs.
"""

from __future__ import annotations

import io
import random
import re
import string

import pytest

from events_app.services.print_wording import wording
from printing import fonts
from printing.badges import (
    CARD_HEIGHT,
    CARD_WIDTH,
    NAME_AREA_HEIGHT,
    PADDING,
    BadgeData,
    layout_names,
    render_badge,
    write_badge_sheets,
)
from printing.pdf import mm
from printing.qr import dark_rectangles, make_qr, make_qr_reference
from printing.textfit import ELLIPSIS, fit_text
from tests import reportlab_drawing
from tests.pdf_helpers import decode_pages, font_rows, run, tool, write
from tests.reportlab_drawing import FontSet, draw_on_canvas, register_fonts

TOKEN_CHARS = string.ascii_letters + string.digits + "-_."

EVENT = {
    "event_title_en": '"One Park, Two Places — Shenzhen-Hong Kong Co-creation" and launch '
    "ceremony of the Hetao Hong Kong Youth Innovation Valley",
    "event_title_zh": "「一園兩地、深港共創」暨河套香港青年科創谷啟動儀式",
    "event_date": "2 March 2026, 09:30",
    "venue": "Hong Kong Science Park Shenzhen Branch",
}


def token(seed: int, length: int = 56) -> str:
    """Return a payload shaped like a signed badge token."""
    rnd = random.Random(seed)
    return "b1.k1." + "".join(rnd.choice(TOKEN_CHARS) for _ in range(length - 6))


def badge(language: str = "zh_Hant_HK", **changes: str) -> BadgeData:
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
    return BadgeData(**fields, wording=wording(language))  # type: ignore[arg-type]


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


@pytest.fixture(scope="session")
def built_fonts() -> FontSet:
    """Register the fonts with reportlab for the texts the reportlab tests draw."""
    return register_fonts("孫東 Sun Dong 钟海 河套香港青年科創谷")


# Fonts


def test_faces_cover_traditional_and_simplified_with_the_weights_advances() -> None:
    for style in ("Regular", "Bold"):
        face = fonts.load_face(style)
        assert face.weight == fonts.WEIGHTS[style]
        assert face.gids[0] == 0
        assert len(face.gids) == len(face.advances) > 20_000
    assert fonts.is_covered("孫東 李國彬 黃偉 查毅超 黃秉修 簡依雯 魚晨")  # Traditional
    assert fonts.is_covered("钟海 入驻企业签约仪式 深耕湾区 连结世界")  # Simplified
    assert fonts.is_covered("Sun Dong, Đặng Thị — 「一園兩地、深港共創」（ＨＫ）")
    bold, regular = fonts.load_face("Bold"), fonts.load_face("Regular")
    assert bold.string_width("Sun Dong", 10) > regular.string_width("Sun Dong", 10)
    assert regular.string_width("深港", 10) == 20  # ideographs are one em at every weight


def test_an_embedded_program_is_truetype_with_installable_embedding() -> None:
    from fontTools.ttLib import TTFont

    face = fonts.load_face("Bold")
    codes = sorted({face.glyph(char) for char in "孫東 Sun"} - {0})
    program = TTFont(io.BytesIO(face.program(codes, [])))
    assert "glyf" in program
    assert "CFF " not in program
    assert "CFF2" not in program
    assert len(program.getGlyphOrder()) == len(codes) + 1  # .notdef and the glyphs asked for
    widths = [program["hmtx"][name][0] for name in program.getGlyphOrder()[1:]]
    assert widths == [face.advances[code] for code in codes]
    standalone = TTFont(io.BytesIO(reportlab_drawing._program("Bold", "X-Bold", "孫東")))
    assert standalone["OS/2"].fsType == 0  # installable embedding
    assert set(standalone.getBestCmap()) == {ord("孫"), ord("東")}


def test_uncovered_characters_are_named_and_replaced_by_a_visible_mark() -> None:
    text = "陳大文𠀀 😀 A"
    assert not fonts.is_covered(text)
    assert fonts.uncovered_chars(text + "😀") == ["𠀀", "😀"]
    assert fonts.substitute_uncovered(text) == "陳大文□ □ A"
    assert fonts.is_covered(fonts.REPLACEMENT)


def test_font_cache_honours_the_environment_variable(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv(fonts.CACHE_ENV, str(tmp_path / "cache"))
    assert fonts.cache_dir() == tmp_path / "cache"
    assert fonts.metrics_path("Bold").parent == tmp_path / "cache"
    assert fonts.metrics_path("Bold") != fonts.metrics_path("Regular")


def test_reportlab_registration_embeds_the_fonts(tmp_path, built_fonts) -> None:
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "reportlab.pdf"
    canvas = Canvas(str(path), initialFontName=built_fonts.regular)
    canvas.setFont(built_fonts.bold, 20)
    canvas.drawString(50, 700, "孫東 Sun Dong 钟海")
    canvas.setFont(built_fonts.regular, 12)
    canvas.drawString(50, 670, "河套香港青年科創谷")
    canvas.save()
    rows = font_rows(path)
    assert {row[0].split("+")[-1] for row in rows} == {built_fonts.regular, built_fonts.bold}
    assert all(row[-5] == "yes" for row in rows)  # emb
    text = run(tool("pdftotext"), path, "-")
    assert "孫東 Sun Dong 钟海" in text
    assert "河套香港青年科創谷" in text


# QR codes


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


def test_draw_on_a_reportlab_canvas_decodes(tmp_path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "canvas-qr.pdf"
    canvas = Canvas(str(path), pagesize=(200, 200), initialFontName=register_fonts().regular)
    canvas.setFillColorRGB(0.2, 0.3, 0.8)
    canvas.rect(0, 0, 200, 200, stroke=0, fill=1)
    draw_on_canvas(canvas, token(9), 40, 40, 120)
    canvas.save()
    assert decode_pages(path, tmp_path) == [[token(9)]]


# Text fitting


def test_fit_text_shrinks_then_wraps_then_cuts() -> None:
    face = fonts.load_face("Bold")
    width = 200.0
    assert fit_text("Sun Dong", face, width, 20, 10).lines == ("Sun Dong",)
    assert fit_text("Sun Dong", face, width, 20, 10).size == 20

    shrunk = fit_text("Professor Sun Dong Wei-Ming", face, width, 20, 10)
    assert shrunk.lines == ("Professor Sun Dong Wei-Ming",)
    assert 10 <= shrunk.size < 20
    assert face.string_width(shrunk.lines[0], shrunk.size) <= width

    long = "Professor Sir Alexander Maximilian Montgomery Wong Ka Yan"
    wrapped = fit_text(long, face, width, 20, 10)
    assert len(wrapped.lines) == 2
    assert " ".join(wrapped.lines) == long
    assert not wrapped.truncated

    cjk = fit_text("歐陽慕容上官司徒端木長孫宇文諸葛東方", face, 150, 30, 16)
    assert len(cjk.lines) == 2
    assert "".join(cjk.lines) == "歐陽慕容上官司徒端木長孫宇文諸葛東方"

    too_long = fit_text(long * 4, face, width, 20, 10)
    assert too_long.truncated
    assert too_long.size == 10
    assert too_long.lines[-1].endswith(ELLIPSIS)
    for fitted in (wrapped, cjk, too_long):
        limit = 150 if fitted is cjk else width
        assert all(face.string_width(line, fitted.size) <= limit for line in fitted.lines)


def test_lines_never_start_with_closing_punctuation() -> None:
    face = fonts.load_face("Regular")
    fitted = fit_text("「一園兩地、深港共創」暨河套香港青年科創谷啟動儀式", face, 120, 10, 7)
    assert len(fitted.lines) == 2
    assert fitted.lines[1][0] not in "」、，。"
    assert fitted.lines[0][-1] != "「"


# Single badge


def test_single_badge_embeds_fonts_and_extracts_both_names(tmp_path) -> None:
    pdf = write(tmp_path, "badge.pdf", render_badge(badge()))
    rows = font_rows(pdf)
    assert len(rows) == 2
    assert all(row[-5] == "yes" for row in rows), rows  # emb
    assert all(row[-4] == "yes" for row in rows), rows  # sub(set)
    assert all(row[-3] == "yes" for row in rows), rows  # uni(code map)
    text = run(tool("pdftotext"), pdf, "-")
    for expected in ("孫東", "Sun Dong", "HKSAR Government", "貴賓", "河套香港青年科創谷"):
        assert expected in text
    size = re.search(r"Page size: +([\d.]+) x ([\d.]+) pts", run(tool("pdfinfo"), pdf))
    assert size is not None
    width_mm, height_mm = (float(value) * 25.4 / 72 for value in size.groups())
    assert (round(width_mm, 1), round(height_mm, 1)) == (90.0, 130.0)


def test_single_badge_qr_decodes_to_the_payload(tmp_path) -> None:
    payload = token(42, 60)
    pdf = write(tmp_path, "badge.pdf", render_badge(badge(qr_payload=payload)))
    assert decode_pages(pdf, tmp_path) == [[payload]]


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


LONG_NAME = (
    "Maximilian Alexander Montgomery-Fitzwilliam-Smythe of Glenfiddich and Lochaber, "
    "Baronet of Nova Scotia"
)
LONG_NAME_ZH = "歐陽慕容上官司徒端木長孫宇文諸葛東方皇甫尉遲公孫"


def test_a_very_long_name_stays_inside_the_badge(tmp_path) -> None:
    long_badge = badge(
        full_name=LONG_NAME,
        name_zh=LONG_NAME_ZH,
        organisation="Hong Kong Science and Technology Parks Corporation, Shenzhen Branch, "
        "Hetao Shenzhen-Hong Kong Science and Technology Innovation Cooperation Zone",
        job_title="Vice-Chairman, Shenzhen CPPCC; Party Secretary of Futian District and of "
        "the Hetao Development Authority",
    )
    layout = layout_names(long_badge)
    width = CARD_WIDTH - 2 * PADDING
    regular, bold = fonts.load_face("Regular"), fonts.load_face("Bold")
    for name, fitted in layout.blocks():
        face = regular if name == "job_title" else bold
        assert 1 <= len(fitted.lines) <= 2
        assert all(face.string_width(line, fitted.size) <= width for line in fitted.lines)
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


def test_a_character_outside_the_font_shows_the_mark(tmp_path) -> None:
    odd = badge(full_name="Chan Tai Man 😀", name_zh="陳大文𠀀")
    pdf = write(tmp_path, "odd.pdf", render_badge(odd))
    text = run(tool("pdftotext"), pdf, "-")
    assert "陳大文□" in text
    assert "Chan Tai Man □" in text
    assert "𠀀" not in text
    assert layout_names(odd).name_zh.lines == ("陳大文□",)
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
        assert chinese in run(tool("pdftotext"), pdf, "-")


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
        pdf = write(
            tmp_path, f"{category}-hans.pdf", render_badge(badge("zh_Hans_CN", category=category))
        )
        text = run(tool("pdftotext"), pdf, "-")
        assert chinese in text, category
        assert "孫東" in text  # the guest's own name stays as typed
    assert b"/Lang (zh-Hans-CN)" in render_badge(badge("zh_Hans_CN"))
    assert b"/Lang (zh-Hant-HK)" in render_badge(badge("en"))


# Batch


def test_batch_streams_sheets_in_order_and_every_qr_decodes(tmp_path) -> None:
    items = [
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
    sizes: list[tuple[int, int]] = []
    out = io.BytesIO()

    def progress(count: int) -> None:
        sizes.append((count, out.tell()))

    count = write_badge_sheets((item for item in items), out, progress=progress)
    assert count == 9
    assert [done for done, _ in sizes] == [4, 8, 9]
    written = [size for _, size in sizes]
    assert written == sorted(written)  # each sheet is out before the next is drawn
    assert written[0] > 0

    pdf = write(tmp_path, "sheets.pdf", out.getvalue())
    assert "Pages:           3" in run(tool("pdfinfo"), pdf)
    assert "x 841.89 pts (A4)" in run(tool("pdfinfo"), pdf)
    rows = font_rows(pdf)
    assert rows
    assert all(row[-5] == "yes" for row in rows)
    pages = decode_pages(pdf, tmp_path)
    assert [payload for page in pages for payload in page] == [item.qr_payload for item in items]
    text = run(tool("pdftotext"), pdf, "-")
    positions = [text.index(item.full_name) for item in items]
    assert positions == sorted(positions)
    for item in items:
        assert item.name_zh in text


def test_batch_sheet_has_crop_marks_outside_the_cards() -> None:
    from printing.badges import BLEED, card_origins

    origins = card_origins()
    assert len(origins) == 4
    for x, y in origins:
        assert x - BLEED >= mm(5)
        assert x + CARD_WIDTH + BLEED <= mm(210) - mm(5)
        assert y - BLEED >= mm(5)
        assert y + CARD_HEIGHT + BLEED <= mm(297) - mm(5)
    (x0, y0), (x1, _), (_, y2), _ = origins
    assert x1 - (x0 + CARD_WIDTH) >= 2 * BLEED  # the gutter holds both bleeds
    assert y0 - (y2 + CARD_HEIGHT) >= 2 * BLEED


def test_an_empty_batch_is_still_a_valid_pdf(tmp_path) -> None:
    out = io.BytesIO()
    assert write_badge_sheets([], out) == 0
    pdf = write(tmp_path, "empty.pdf", out.getvalue())
    assert "Pages:           1" in run(tool("pdfinfo"), pdf)
