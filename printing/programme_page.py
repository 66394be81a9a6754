"""A programme's pages: their size, margins and type, running heads, folios and sectors.

Every part of the programme (cover, running order, directory, booth map) draws on these.
Margins are mirrored in the A5 booklet: odd pages are right-hand pages, spine to the left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from printing.documents import (
    ProgrammeData,
    Sector,
)
from printing.layout import (
    A4,
    A5,
    GOLD,
    HAIR,
    HAIRLINE,
    INK,
    INK_MUTED,
    INK_SOFT,
    NAVY,
    Block,
    Flow,
    Frame,
    Style,
    Typesetter,
    baseline,
    hex_colour,
    label,
)
from printing.pdf import Colour, Content, mm
from printing.textfit import clean_text
from printing.wording import N_, NC_

VACANT = hex_colour("#9AA3AE")


@dataclass(frozen=True)
class SectorStyle:
    """How a sector is named and coloured in the directory and on the map.

    In ``SECTORS`` the Chinese is left empty: the English is a message, its Chinese the
    programme's wording.
    """

    key: str
    name_en: str
    name_zh: str
    colour: Colour


SECTORS: dict[str, SectorStyle] = {
    "life-health": SectorStyle("life-health", N_("Life and Health"), "", hex_colour("#2E7D64")),
    "ai-data": SectorStyle("ai-data", N_("AI and Data"), "", hex_colour("#2F5E9E")),
    "advanced-manufacturing": SectorStyle(
        "advanced-manufacturing", N_("Advanced Manufacturing"), "", hex_colour("#B0662B")
    ),
}
EXTRA_COLOURS = tuple(
    hex_colour(value) for value in ("#7B4F8E", "#8A7A2E", "#A23B4B", "#3F7F8C", "#5A6B7D")
)


def natural_key(code: str) -> tuple[object, ...]:
    """Return a sort key that puts A-2 before A-10."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code))


class ProgrammePage:
    """The pages of one programme, and its type: the styles scale with the page size."""

    def __init__(
        self, ts: Typesetter, data: ProgrammeData, page_size: str, map_page: int | None
    ) -> None:
        if page_size not in ("A4", "A5"):
            raise ValueError(f"page_size must be 'A4' or 'A5', not {page_size!r}")
        self.ts = ts
        self.data = data
        self.booklet = page_size == "A5"
        self.width, self.height = A5 if self.booklet else A4
        s = self.scale = 1.0 if self.booklet else 1.2
        self.map_page = map_page
        self.found_map_page: int | None = None
        self.inner = mm(16 if self.booklet else 20)
        self.outer = mm(13 if self.booklet else 18)
        self.top = mm(19 if self.booklet else 24)
        self.bottom = mm(17 if self.booklet else 22)
        self.text_width = self.width - self.inner - self.outer
        self.words = data.wording
        self.section = ""
        self.sectors = self._sectors()

        self.label = Style(6.5 * s, 9 * s, GOLD, bold=True, tracking=1.0 * s)
        self.small_label = Style(5.8 * s, 8 * s, INK_MUTED, bold=True, tracking=0.6 * s)
        self.head_zh = Style(15 * s, 20 * s, NAVY, bold=True)
        self.head_en = Style(10 * s, 20 * s, INK_SOFT)
        self.time = Style(9 * s, 12 * s, NAVY, bold=True)
        self.time_end = Style(7 * s, 10 * s, INK_MUTED)
        self.title_en = Style(9 * s, 12 * s, INK, bold=True)
        self.title_zh = Style(8.5 * s, 12 * s, INK_SOFT)
        self.meta = Style(7.2 * s, 10 * s, INK_MUTED)
        self.body = Style(7.6 * s, 10.5 * s, INK)
        self.name = Style(7.6 * s, 10.5 * s, INK, bold=True)
        self.foot = Style(6.3 * s, 8 * s, INK_MUTED)
        self.folio = Style(8 * s, 10 * s, NAVY, bold=True)

    # Geometry ------------------------------------------------------------------

    def _left(self, page: int) -> float:
        """Return the left margin of a page: odd pages are right-hand pages (spine left)."""
        if not self.booklet:
            return self.inner
        return self.inner if page % 2 else self.outer

    def frame(self, page: int) -> Frame:
        """Return the text frame of a page."""
        left = self._left(page)
        return Frame(left, self.bottom, left + self.text_width, self.height - self.top)

    def start_page(self, content: Content, page: int) -> None:
        """Draw the running head of a page (not on the cover)."""
        if page == 1:
            return
        ts, left = self.ts, self._left(page)
        y = self.height - mm(11 * self.scale)
        head = Style(self.foot.size, self.foot.leading, INK_MUTED, tracking=0.6 * self.scale)
        programme = label(self.words, N_("Programme"))
        section = label(self.words, self.section) if self.section else ""
        outer_right = not self.booklet or page % 2 == 1
        first, second = (programme, section) if outer_right else (section, programme)
        ts.draw(content, left, y, first, head)
        ts.draw(content, left, y, second, head, align="right", width=self.text_width)
        content.stroke_colour(HAIRLINE)
        content.line_width(HAIR)
        content.line(left, y - mm(2), left + self.text_width, y - mm(2))

    def footer(self, content: Content, page: int) -> None:
        """Draw the page number (outer corner) and the version of the plan shown."""
        ts, left = self.ts, self._left(page)
        y = mm(9 * self.scale)
        as_of = self.words.both(N_("As of")) + "  " + clean_text(self.data.as_of)
        folio = "" if page == 1 else str(page)
        outer_right = not self.booklet or page % 2 == 1
        room = self.text_width - mm(12)
        if outer_right:
            ts.draw_fitted(content, left, y, as_of, self.foot, room)
            ts.draw(content, left, y, folio, self.folio, align="right", width=self.text_width)
        else:
            ts.draw(content, left, y, folio, self.folio)
            ts.draw_fitted(content, left + mm(12), y, as_of, self.foot, room, align="right")

    # Sectors ---------------------------------------------------------------------

    def _sectors(self) -> dict[str, SectorStyle]:
        named = {s.key: s for s in self.data.sectors}
        keys = list(SECTORS)
        for key in [e.sector for e in self.data.exhibitors] + [s.sector for s in self.data.slots]:
            if key and key not in keys:
                keys.append(key)
        keys += [key for key in named if key not in keys]
        styles = {}
        extra = 0
        for key in keys:
            known = SECTORS.get(key)
            if known is not None:
                colour = known.colour
            else:
                colour = EXTRA_COLOURS[extra % len(EXTRA_COLOURS)]
                extra += 1
            given: Sector | None = named.get(key)
            name_en = given.name_en if given else (known.name_en if known else _title(key))
            name_zh = given.name_zh if given else (self.words.zh(name_en) if known else "")
            styles[key] = SectorStyle(key, name_en, name_zh, colour)
        return styles

    def sector_order(self, key: str) -> int:
        """Return where a sector comes in the directory and the legend (none comes last)."""
        order = list(self.sectors)
        return order.index(key) if key in order else len(order)

    def sector(self, key: str) -> SectorStyle:
        """Return the style of a sector (a grey one for none)."""
        other = N_("Other")
        name_en = _title(key) or self.words.en(other)
        return self.sectors.get(key) or SectorStyle(key, name_en, self.words.zh(other), VACANT)

    # Blocks ------------------------------------------------------------------------

    def section_title(self, chinese: str, english: str) -> Block:
        """Return a section heading: Chinese and English on one line, a rule below."""
        ts, block = self.ts, Block()
        zh_width = ts.width(chinese, self.head_zh)
        gap = mm(2.5)
        if zh_width + gap + ts.width(english, self.head_en) <= self.text_width:

            def draw(content: Content, left: float, top: float) -> None:
                y = baseline(top, self.head_zh)
                ts.draw(content, left, y, chinese, self.head_zh)
                ts.draw(content, left + zh_width + gap, y, english, self.head_en)

            y = block.add(0, self.head_zh.leading, draw)
        else:
            y = block.text(ts, chinese, self.head_zh, 0, width=self.text_width, balanced=True)
            y = block.text(ts, english, self.head_en, y, width=self.text_width, balanced=True)
        rule_y = y + mm(1.5)

        def rules(content: Content, left: float, top: float) -> None:
            content.stroke_colour(HAIRLINE)
            content.line_width(HAIR)
            content.line(left, top, left + self.text_width, top)
            content.fill_colour(GOLD)
            content.rect(left, top - 0.5, mm(12), 1.2)

        block.drawing(rule_y, 0, rules)
        block.pad(rule_y + mm(5))
        return block

    def _begin_section(self, flow: Flow, key: str, first: Block) -> None:
        """Place a section's title (a message), kept with the start of its first block."""
        self.section = key
        title = self.section_title(self.words.zh(key), self.words.en(key))
        flow.place(title, keep_with=first.head_height(3))

    def _time_column(self) -> float:
        return mm(15 * self.scale)

    def notes_page(self, content: Content, page: int) -> None:
        """Draw a ruled page for notes (booklet padding)."""
        left = self._left(page)
        top = self.height - self.top
        style = self.title_en.but(colour=NAVY)
        notes = self.words.both(NC_("programme's ruled page", "Notes"))
        self.ts.draw(content, left, baseline(top, style), notes, style)
        content.stroke_colour(HAIRLINE)
        content.line_width(HAIR)
        y = top - mm(14)
        while y > self.bottom + mm(2):
            content.line(left, y, left + self.text_width, y)
            y -= mm(8)


def darker(colour: Colour) -> Colour:
    """Return a sector colour darkened for text set on its tint."""
    return (colour[0] * 0.78, colour[1] * 0.78, colour[2] * 0.78)


def _title(key: str) -> str:
    return clean_text(key.replace("-", " ").replace("_", " ")).capitalize()
