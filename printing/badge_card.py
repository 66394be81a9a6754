"""Drawing one 90 x 130 mm badge card on a reportlab canvas (``printing.badges`` is the API).

The parts that many badges share (the header of a gathering, the band of a category) are
drawn once per document as form XObjects and placed with ``doForm``; the names are drawn
with ``FontBook.draw``; the QR code is one literal operator string, an inline 1-bit image
mask (``printing.qr.mask_ops``), which keeps the page content small.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm

from printing import qr
from printing.badge_data import WHITE, BadgeData, Category, hex_colour
from printing.badge_fit import Fitted, Measure, fit
from printing.typefaces import FontBook

CARD_WIDTH = 90 * mm
CARD_HEIGHT = 130 * mm
PADDING = 6 * mm
HEADER_HEIGHT = 28 * mm
BAND_HEIGHT = 17 * mm
QR_SIDE = 39 * mm
QR_BOTTOM = BAND_HEIGHT + 2.5 * mm
ACCENT_HEIGHT = 1.2 * mm
NAME_BOTTOM = QR_BOTTOM + QR_SIDE + 1.5 * mm
NAME_TOP = CARD_HEIGHT - HEADER_HEIGHT - ACCENT_HEIGHT - 1.5 * mm
NAME_AREA_HEIGHT = NAME_TOP - NAME_BOTTOM
TEXT_WIDTH = CARD_WIDTH - 2 * PADDING
SMALLEST = 7.0  # no text of a badge is smaller, in points


NAVY = hex_colour("#0E2A47")
GOLD = hex_colour("#D9B45A")
HEADER_SUBTLE = hex_colour("#C5D2E2")
INK = hex_colour("#14181F")
INK_SOFT = hex_colour("#3A4452")
INK_MUTED = hex_colour("#5F6B7A")

# Line height (as a multiple of the size) and space above, of each block of the name area.
LEADING = {"name_zh": 1.18, "name_en": 1.2, "job_title": 1.3, "organisation": 1.3}
GAP_ABOVE = {"name_zh": 0.0, "name_en": 0.6 * mm, "job_title": 2.2 * mm, "organisation": 0.4 * mm}
BOLD = {"name_zh": True, "name_en": True, "job_title": False, "organisation": True}


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
        lines = sum(block_height(fitted, LEADING[name]) for name, fitted in blocks)
        return lines + sum(GAP_ABOVE[name] for name, _ in blocks[1:])


def block_height(fitted: Fitted, leading: float) -> float:
    """Return the height of fitted lines at a leading (a multiple of the size)."""
    return len(fitted.lines) * fitted.size * leading


def _sized(largest: float, smallest: float, scale: float) -> tuple[float, float]:
    """Return the sizes of a block scaled down, never under SMALLEST."""
    low = max(SMALLEST, smallest * scale)
    return max(low, largest * scale), low


class Card:
    """Draws cards on one canvas with one font book; keeps the forms and widths it made."""

    def __init__(self, canvas: Any, book: FontBook) -> None:
        self.canvas, self.book = canvas, book
        self._measures: dict[tuple[str, bool], Measure] = {}
        self._forms: dict[tuple[object, ...], str] = {}

    def measure(self, script: str, bold: bool) -> Measure:
        """Return the (cached) measure of a script and weight."""
        key = (script, bold)
        if key not in self._measures:
            self._measures[key] = Measure(self.book, script, bold)
        return self._measures[key]

    def layout(self, badge: BadgeData) -> NameLayout:
        """Fit the names, job title and organisation into the name area."""
        script = badge.script
        bold, regular = self.measure(script, True), self.measure(script, False)
        has_zh = bool(badge.name_zh.strip())
        en_max = 16.0 if has_zh else 26.0
        scale = 1.0
        while True:
            layout = NameLayout(
                name_zh=fit(badge.name_zh, bold, TEXT_WIDTH, _sized(30, 16, scale)),
                name_en=fit(badge.full_name, bold, TEXT_WIDTH, _sized(en_max, 9, scale)),
                job_title=fit(badge.job_title, regular, TEXT_WIDTH, _sized(9.5, 7, scale)),
                organisation=fit(badge.organisation, bold, TEXT_WIDTH, _sized(9.5, 7, scale)),
            )
            if layout.height() <= NAME_AREA_HEIGHT or scale < 0.5:
                return layout
            scale *= 0.92

    def draw(self, badge: BadgeData, style: Category, bleed: float) -> None:
        """Draw one card with its lower left trim corner at the canvas's origin."""
        canvas = self.canvas
        canvas.doForm(self._header(badge, bleed))
        canvas.doForm(self._band(badge, style, bleed))
        self._names(badge, self.layout(badge))
        code = qr.make_qr(badge.qr_payload)
        canvas.addLiteral(qr.mask_ops(code, (CARD_WIDTH - QR_SIDE) / 2, QR_BOTTOM, QR_SIDE))

    def _centred(self, fitted: Fitted, top: float, how: tuple[str, bool, float]) -> float:
        """Draw fitted lines centred on the card, downwards from top; return the y they end at."""
        script, bold, leading = how
        measure = self.measure(script, bold)
        y = top
        for line in fitted.lines:
            y -= fitted.size * leading
            x = (CARD_WIDTH - measure(line) * fitted.size) / 2
            baseline = y + fitted.size * (leading - 1) / 2 + fitted.size * 0.12
            self.book.draw(self.canvas, x, baseline, line, fitted.size, script=script, bold=bold)
        return y

    def _names(self, badge: BadgeData, layout: NameLayout) -> None:
        colours = {
            "name_zh": INK,
            "name_en": INK_SOFT if layout.name_zh.lines else INK,
            "job_title": INK_MUTED,
            "organisation": NAVY,
        }
        y = NAME_BOTTOM + (NAME_AREA_HEIGHT + layout.height()) / 2
        for index, (block, fitted) in enumerate(layout.blocks()):
            if index:
                y -= GAP_ABOVE[block]
            self.canvas.setFillColorRGB(*colours[block])
            y = self._centred(fitted, y, (badge.script, BOLD[block], LEADING[block]))

    def _form(self, key: tuple[object, ...], bleed: float) -> tuple[str, bool]:
        """Return the name of the form for key, and whether it must still be drawn (begun)."""
        name = self._forms.get(key)
        if name is not None:
            return name, False
        name = f"part{len(self._forms)}"
        self._forms[key] = name
        self.canvas.beginForm(name, -bleed, -bleed, CARD_WIDTH + bleed, CARD_HEIGHT + bleed)
        return name, True

    def _header(self, badge: BadgeData, bleed: float) -> str:
        when = " · ".join(part for part in (badge.event_date.strip(), badge.venue.strip()) if part)
        key = ("header", badge.event_title_en, badge.event_title_zh, when, badge.script, bleed)
        name, new = self._form(key, bleed)
        if new:
            self._draw_header(badge, when, bleed)
            self.canvas.endForm()
        return name

    def _draw_header(self, badge: BadgeData, when: str, bleed: float) -> None:
        canvas, script = self.canvas, badge.script
        base = CARD_HEIGHT - HEADER_HEIGHT
        canvas.setFillColorRGB(*NAVY)
        canvas.rect(-bleed, base, CARD_WIDTH + 2 * bleed, HEADER_HEIGHT + bleed, stroke=0, fill=1)
        bold, regular = self.measure(script, True), self.measure(script, False)
        blocks = [
            (fit(badge.event_title_zh, bold, TEXT_WIDTH, (10, 7.5)), True, WHITE),
            (fit(badge.event_title_en, regular, TEXT_WIDTH, (7.5, 7), 3), False, HEADER_SUBTLE),
            (fit(when, regular, TEXT_WIDTH, (7.5, 7), 3), False, GOLD),
        ]
        blocks = [block for block in blocks if block[0].lines]
        gap, leading = 1.2 * mm, 1.25
        total = sum(block_height(b[0], leading) for b in blocks) + gap * (len(blocks) - 1)
        y = base + (HEADER_HEIGHT + total) / 2
        for fitted, is_bold, colour in blocks:
            canvas.setFillColorRGB(*colour)
            y = self._centred(fitted, y, (script, is_bold, leading)) - gap

    def _band(self, badge: BadgeData, style: Category, bleed: float) -> str:
        chinese = style.chinese(badge.wording)
        name, new = self._form(("band", style, chinese, badge.script, bleed), bleed)
        if new:
            self._draw_band(style, chinese, badge.script, bleed)
            self.canvas.endForm()
        return name

    def _draw_band(self, style: Category, chinese: str, script: str, bleed: float) -> None:
        canvas = self.canvas
        canvas.setFillColorRGB(*style.band)
        canvas.rect(-bleed, -bleed, CARD_WIDTH + 2 * bleed, BAND_HEIGHT + bleed, stroke=0, fill=1)
        # The same colour as a thin rule under the header, to sort badges by colour at a glance.
        top = CARD_HEIGHT - HEADER_HEIGHT - ACCENT_HEIGHT
        canvas.rect(-bleed, top, CARD_WIDTH + 2 * bleed, ACCENT_HEIGHT, stroke=0, fill=1)
        measure = self.measure(script, True)
        english = style.english
        size, space = 15.0, 3 * mm
        width_en = (measure(english) + 0.12 * len(english)) * size
        total = width_en + (space + measure(chinese) * size if chinese else 0)
        if total > TEXT_WIDTH:
            scale = max(SMALLEST / size, TEXT_WIDTH / total)
            size, space, total = size * scale, space * scale, total * scale
        x = (CARD_WIDTH - total) / 2
        baseline = BAND_HEIGHT / 2 - size * 0.36
        canvas.setFillColorRGB(*style.text)
        tracking = 0.12 * size
        x += self.book.draw(
            canvas, x, baseline, english, size, script=script, bold=True, char_space=tracking
        )
        if chinese:
            self.book.draw(canvas, x + space, baseline, chinese, size, script=script, bold=True)
