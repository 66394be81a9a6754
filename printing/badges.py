"""QR badges: one lanyard card as a PDF, or all of them on A4 sheets with crop marks.

The card is 90 x 130 mm (portrait; it fits A6 badge holders): a navy header with the event
title in Chinese and English, the date and the venue; the guest's names (Chinese and English),
job title and organisation; the QR code of the badge token, drawn as vectors; and a band in
the colour of the guest's category naming it in English and Chinese (the Chinese from the
badge's ``Wording``, in the script the guest registered in). Text that is too long
shrinks, then wraps onto two lines, then is cut with an ellipsis: it never leaves its box.
Characters the font lacks are shown as a white square.

Batch printing streams. ``write_badge_sheets`` draws each A4 sheet (four cards, 2 x 2, each
with a 2 mm bleed, crop marks in the margins and the gutters) and hands it to
``printing.pdf.PdfWriter``, which writes it to the output at once and embeds the fonts, cut
down to the glyphs used, when the batch ends. Memory therefore does not grow with the number
of badges (only a few bytes of bookkeeping per page), and the badges can come from a
generator. A single badge is drawn by the same code on a page the size of the card, so both
look the same.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

from printing import qr
from printing.fonts import Face, load_face, substitute_uncovered
from printing.pdf import Colour, Content, EmbeddedFont, PdfWriter, mm
from printing.textfit import Fitted, fit_text
from printing.wording import N_, Wording

CARD_WIDTH = mm(90)
CARD_HEIGHT = mm(130)
PADDING = mm(6)
HEADER_HEIGHT = mm(28)
BAND_HEIGHT = mm(17)
QR_SIDE = mm(39)
QR_BOTTOM = BAND_HEIGHT + mm(2.5)
ACCENT_HEIGHT = mm(1.2)
NAME_BOTTOM = QR_BOTTOM + QR_SIDE + mm(1.5)
NAME_TOP = CARD_HEIGHT - HEADER_HEIGHT - ACCENT_HEIGHT - mm(1.5)
NAME_AREA_HEIGHT = NAME_TOP - NAME_BOTTOM

SHEET_WIDTH = mm(210)
SHEET_HEIGHT = mm(297)
COLUMNS, ROWS = 2, 2
GUTTER = mm(8)
BLEED = mm(2)
MARK_OFFSET = mm(2.5)
MARK_LENGTH_GUTTER = mm(3)
MARK_LENGTH_MARGIN = mm(5)
BADGES_PER_SHEET = COLUMNS * ROWS


def _hex(value: str) -> Colour:
    value = value.lstrip("#")
    return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255)


NAVY = _hex("#0E2A47")
GOLD = _hex("#D9B45A")
HEADER_SUBTLE = _hex("#C5D2E2")
INK = _hex("#14181F")
INK_SOFT = _hex("#3A4452")
INK_MUTED = _hex("#5F6B7A")
WHITE = (1.0, 1.0, 1.0)
BLACK = (0.0, 0.0, 0.0)
MARK_GREY = _hex("#8A8F98")


@dataclass(frozen=True)
class Category:
    """How a guest category is shown: its English label (a message), band and text colours."""

    english: str
    band: Colour
    text: Colour
    known: bool = True
    """Whether the label is a message of the print catalogue (it then has a Chinese half)."""

    def chinese(self, wording: Wording) -> str:
        """Return the Chinese half of the label ("" for a category the catalogue lacks)."""
        return wording.zh(self.english) if self.known else ""


CATEGORIES: dict[str, Category] = {
    "vip": Category(N_("VIP"), _hex("#1E1A16"), _hex("#E2C172")),
    "speaker": Category(N_("SPEAKER"), _hex("#B3261E"), WHITE),
    "press": Category(N_("PRESS"), _hex("#D9560B"), WHITE),
    "exhibitor": Category(N_("EXHIBITOR"), _hex("#23784A"), WHITE),
    "partner": Category(N_("PARTNER"), _hex("#6A2C91"), WHITE),
    "guest": Category(N_("GUEST"), _hex("#1F5FAD"), WHITE),
    "staff": Category(N_("STAFF"), _hex("#4A5563"), WHITE),
}


@dataclass(frozen=True)
class BadgeData:
    """What one badge shows; plain data, so that callers need nothing from printing."""

    full_name: str
    name_zh: str  # may be ""
    organisation: str
    job_title: str
    category: str  # guest, vip, speaker, press, exhibitor, partner, staff
    qr_payload: str  # the signed badge token, ~40-60 ASCII chars
    event_title_en: str
    event_title_zh: str
    event_date: str  # preformatted, e.g. "2 March 2026, 09:30"
    venue: str
    wording: Wording = field(kw_only=True)
    """The Chinese of the labels, in the script the guest registered in."""


def category_style(category: str) -> Category:
    """Return how a category is shown (an unknown one in grey, under its own name)."""
    known = CATEGORIES.get(category.strip().lower())
    if known is not None:
        return known
    return Category(category.strip().upper() or "GUEST", _hex("#6B7280"), WHITE, known=False)


@dataclass(frozen=True)
class _Fonts:
    regular: EmbeddedFont
    bold: EmbeddedFont
    # Drawn parts that many badges share (header, band), as operators, per document.
    parts: dict[tuple[object, ...], str] = field(default_factory=dict)


# Line height (as a multiple of the size) and space above, of each block of the name area.
_LEADING = {"name_zh": 1.18, "name_en": 1.2, "job_title": 1.3, "organisation": 1.3}
_GAP_ABOVE = {"name_zh": 0.0, "name_en": mm(0.6), "job_title": mm(2.2), "organisation": mm(0.4)}


@dataclass(frozen=True)
class NameLayout:
    """The fitted text blocks of the name area, top to bottom (for drawing and for tests)."""

    name_zh: Fitted
    name_en: Fitted
    job_title: Fitted
    organisation: Fitted

    def blocks(self) -> list[tuple[str, Fitted]]:
        """Return the blocks that have text, top to bottom, with their field names."""
        names = ("name_zh", "name_en", "job_title", "organisation")
        return [(name, getattr(self, name)) for name in names if getattr(self, name).lines]

    def height(self) -> float:
        """Return the height of the stacked blocks, in points."""
        blocks = self.blocks()
        lines = sum(_block_height(fitted, _LEADING[name]) for name, fitted in blocks)
        return lines + sum(_GAP_ABOVE[name] for name, _ in blocks[1:])


def _faces() -> tuple[Face, Face]:
    return load_face("Regular"), load_face("Bold")


def layout_names(badge: BadgeData) -> NameLayout:
    """Fit the names, job title and organisation into the width of the card."""
    regular, bold = _faces()
    width = CARD_WIDTH - 2 * PADDING
    name_zh = substitute_uncovered(badge.name_zh.strip())
    name_en = substitute_uncovered(badge.full_name.strip())
    none = Fitted((), 0)
    en_max, en_min = (16, 9) if name_zh else (26, 9)
    job_title = substitute_uncovered(badge.job_title)
    organisation = substitute_uncovered(badge.organisation)
    scale = 1.0
    while True:
        layout = NameLayout(
            name_zh=fit_text(name_zh, bold, width, 30 * scale, 16 * scale) if name_zh else none,
            name_en=fit_text(name_en, bold, width, en_max * scale, en_min * scale),
            job_title=fit_text(job_title, regular, width, 9.5 * scale, 6.5 * scale),
            organisation=fit_text(organisation, bold, width, 9.5 * scale, 6.5 * scale),
        )
        if layout.height() <= NAME_AREA_HEIGHT or scale < 0.5:
            return layout
        scale *= 0.92


def _centred(
    content: Content, font: EmbeddedFont, fitted: Fitted, top: float, leading: float, colour: Colour
) -> float:
    """Draw fitted lines centred on the card, downwards from top; return the y they end at."""
    content.fill_colour(colour)
    y = top
    for line in fitted.lines:
        y -= fitted.size * leading
        x = (CARD_WIDTH - font.face.string_width(line, fitted.size)) / 2
        content.text(
            x, y + fitted.size * (leading - 1) / 2 + fitted.size * 0.12, line, font, fitted.size
        )
    return y


def _block_height(fitted: Fitted, leading: float) -> float:
    return len(fitted.lines) * fitted.size * leading


def _draw_header(content: Content, fonts: _Fonts, badge: BadgeData, bleed: float) -> None:
    regular, bold = fonts.regular, fonts.bold
    base = CARD_HEIGHT - HEADER_HEIGHT
    content.fill_colour(NAVY)
    content.rect(-bleed, base, CARD_WIDTH + 2 * bleed, HEADER_HEIGHT + bleed)
    width = CARD_WIDTH - 2 * PADDING
    title_zh = fit_text(substitute_uncovered(badge.event_title_zh), bold.face, width, 10, 7)
    title_en = fit_text(substitute_uncovered(badge.event_title_en), regular.face, width, 7, 5.5)
    when = " · ".join(part for part in (badge.event_date.strip(), badge.venue.strip()) if part)
    when_fit = fit_text(substitute_uncovered(when), regular.face, width, 6.5, 5.5)
    gap = mm(1.2)
    blocks = [
        (title_zh, bold, 1.3, WHITE),
        (title_en, regular, 1.3, HEADER_SUBTLE),
        (when_fit, regular, 1.3, GOLD),
    ]
    blocks = [block for block in blocks if block[0].lines]
    total = sum(_block_height(b[0], b[2]) for b in blocks) + gap * (len(blocks) - 1)
    y = base + (HEADER_HEIGHT + total) / 2
    for fitted, font, leading, colour in blocks:
        y = _centred(content, font, fitted, y, leading, colour) - gap


def _draw_names(content: Content, fonts: _Fonts, layout: NameLayout) -> None:
    styles = {
        "name_zh": (fonts.bold, INK),
        "name_en": (fonts.bold, INK_SOFT if layout.name_zh.lines else INK),
        "job_title": (fonts.regular, INK_MUTED),
        "organisation": (fonts.bold, NAVY),
    }
    y = NAME_BOTTOM + (NAME_AREA_HEIGHT + layout.height()) / 2
    for index, (block, fitted) in enumerate(layout.blocks()):
        if index:
            y -= _GAP_ABOVE[block]
        font, colour = styles[block]
        y = _centred(content, font, fitted, y, _LEADING[block], colour)


def _draw_band(
    content: Content, fonts: _Fonts, style: Category, chinese: str, bleed: float
) -> None:
    content.fill_colour(style.band)
    content.rect(-bleed, -bleed, CARD_WIDTH + 2 * bleed, BAND_HEIGHT + bleed)
    # The same colour as a thin rule under the header, to sort badges by colour at a glance.
    content.rect(
        -bleed, CARD_HEIGHT - HEADER_HEIGHT - ACCENT_HEIGHT, CARD_WIDTH + 2 * bleed, ACCENT_HEIGHT
    )
    english, chinese = substitute_uncovered(style.english), substitute_uncovered(chinese)
    size_en, size_zh, space = 15.0, 15.0, mm(3)
    width_en = fonts.bold.face.string_width(english, size_en) + 0.12 * size_en * len(english)
    width_zh = fonts.bold.face.string_width(chinese, size_zh)
    total = width_en + (space + width_zh if chinese else 0)
    available = CARD_WIDTH - 2 * PADDING
    if total > available:
        scale = available / total
        size_en, size_zh, space = size_en * scale, size_zh * scale, space * scale
        width_en, width_zh = width_en * scale, width_zh * scale
    x = (CARD_WIDTH - (width_en + (space + width_zh if chinese else 0))) / 2
    baseline = BAND_HEIGHT / 2 - size_en * 0.36
    content.fill_colour(style.text)
    tracking = 0.12 * size_en
    content.raw(f"BT {tracking:.3f} Tc")
    content.raw(
        f"/{fonts.bold.resource} {size_en:.3f} Tf {x:.3f} {baseline:.3f} Td "
        f"{fonts.bold.encode(english)} Tj 0 Tc ET"
    )
    if chinese:
        content.text(x + width_en + space, baseline, chinese, fonts.bold, size_zh)


def _draw_card(content: Content, fonts: _Fonts, badge: BadgeData, bleed: float) -> None:
    """Draw one card with its lower left trim corner at the origin."""
    header_key = (
        "header",
        badge.event_title_en,
        badge.event_title_zh,
        badge.event_date,
        badge.venue,
        bleed,
    )
    style = category_style(badge.category)
    chinese = style.chinese(badge.wording)
    band_key = ("band", badge.category, chinese, bleed)
    if header_key not in fonts.parts:
        part = Content()
        _draw_header(part, fonts, badge, bleed)
        fonts.parts[header_key] = "\n".join(part.ops)
    if band_key not in fonts.parts:
        part = Content()
        _draw_band(part, fonts, style, chinese, bleed)
        fonts.parts[band_key] = "\n".join(part.ops)
    content.raw(fonts.parts[header_key])
    content.raw(fonts.parts[band_key])
    _draw_names(content, fonts, layout_names(badge))
    code = qr.make_qr(badge.qr_payload)
    content.raw(qr.content_ops(code, (CARD_WIDTH - QR_SIDE) / 2, QR_BOTTOM, QR_SIDE))


def _new_writer(out: BinaryIO, title: str, lang: str = "") -> tuple[PdfWriter, _Fonts]:
    regular, bold = _faces()
    writer = PdfWriter(out, [regular, bold], title=title, lang=lang)
    return writer, _Fonts(writer.fonts[0], writer.fonts[1])


def render_badge(badge: BadgeData) -> bytes:
    """Return one badge as a PDF whose page is the card (90 x 130 mm)."""
    buffer = io.BytesIO()
    writer, fonts = _new_writer(buffer, f"Badge: {badge.full_name}", badge.wording.language)
    content = Content()
    _draw_card(content, fonts, badge, bleed=0)
    writer.add_page(CARD_WIDTH, CARD_HEIGHT, content)
    writer.close()
    return buffer.getvalue()


def card_origins() -> list[tuple[float, float]]:
    """Return the lower left trim corners of the cards of a sheet, in printing order."""
    block_width = COLUMNS * CARD_WIDTH + (COLUMNS - 1) * GUTTER
    block_height = ROWS * CARD_HEIGHT + (ROWS - 1) * GUTTER
    left = (SHEET_WIDTH - block_width) / 2
    top = (SHEET_HEIGHT + block_height) / 2
    return [
        (left + column * (CARD_WIDTH + GUTTER), top - (row + 1) * CARD_HEIGHT - row * GUTTER)
        for row in range(ROWS)
        for column in range(COLUMNS)
    ]


def _crop_marks(content: Content, origins: list[tuple[float, float]]) -> None:
    """Draw crop marks at every corner of every card slot, outside the bleed."""
    xs = sorted({x for x, _ in origins} | {x + CARD_WIDTH for x, _ in origins})
    ys = sorted({y for _, y in origins} | {y + CARD_HEIGHT for _, y in origins})
    content.stroke_colour(BLACK)
    content.line_width(0.25)
    for x, y in origins:
        for cx in (x, x + CARD_WIDTH):
            for cy in (y, y + CARD_HEIGHT):
                out_x = -1 if cx == x else 1
                out_y = -1 if cy == y else 1
                edge_x = cx in (xs[0], xs[-1])
                edge_y = cy in (ys[0], ys[-1])
                length_x = MARK_LENGTH_MARGIN if edge_x else MARK_LENGTH_GUTTER
                length_y = MARK_LENGTH_MARGIN if edge_y else MARK_LENGTH_GUTTER
                start_x = cx + out_x * MARK_OFFSET
                content.line(start_x, cy, start_x + out_x * length_x, cy)
                start_y = cy + out_y * MARK_OFFSET
                content.line(cx, start_y, cx, start_y + out_y * length_y)


def write_badge_sheets(
    badges: Iterable[BadgeData],
    out: BinaryIO,
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Stream all badges, in order, as one PDF of A4 sheets of four; return how many.

    progress, if given, is called with the number of badges written after each sheet. The
    PDF names the Chinese its badges are in when they share one.
    """
    writer, fonts = _new_writer(out, "Badges")
    origins = card_origins()
    count = 0
    sheet: list[BadgeData] = []
    languages: set[str] = set()

    def flush() -> None:
        content = Content()
        for badge, (x, y) in zip(sheet, origins, strict=False):
            content.save()
            content.translate(x, y)
            _draw_card(content, fonts, badge, bleed=BLEED)
            content.restore()
        _crop_marks(content, origins[: len(sheet)] or origins)
        first = count - len(sheet) + 1
        slug = f"Sheet {writer.page_count + 1} · badges {first}-{count}"
        content.fill_colour(MARK_GREY)
        content.text(origins[0][0], mm(5), slug, fonts.regular, 6)
        writer.add_page(SHEET_WIDTH, SHEET_HEIGHT, content)
        sheet.clear()
        if progress is not None:
            progress(count)

    for badge in badges:
        sheet.append(badge)
        languages.add(badge.wording.language)
        count += 1
        if len(sheet) == BADGES_PER_SHEET:
            flush()
    if sheet:
        flush()
    if count == 0:
        writer.add_page(SHEET_WIDTH, SHEET_HEIGHT, Content())
    writer.lang = languages.pop() if len(languages) == 1 else ""
    writer.close()
    return count
