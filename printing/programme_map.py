"""The programme's booth map: a legend, and per zone a grid of booths coloured by sector."""

from __future__ import annotations

import re
from collections.abc import Iterable

from printing.documents import (
    BoothSlot,
    Exhibitor,
)
from printing.layout import (
    INK_MUTED,
    INK_SOFT,
    NAVY,
    Block,
    Flow,
    Style,
    baseline,
    join,
    tint,
)
from printing.pdf import Colour, Content, mm
from printing.programme_page import VACANT, ProgrammePage, SectorStyle, darker, natural_key
from printing.textfit import clean_text
from printing.wording import N_


def booth_span(size: str) -> int:
    """Return how many columns a booth takes: 2 when its size says 6 m wide or more."""
    match = re.match(r"\s*(\d+(?:\.\d+)?)\s*[x×*]", size.lower())
    if match is None:
        return 1
    return 2 if float(match.group(1)) >= 6 else 1


ASCENT_SMALL = 0.74  # cap height of Noto Sans CJK, for setting text against a box's top


class BoothMap(ProgrammePage):
    """The blocks of the booth map."""

    def legend(self, keys: list[str]) -> Block:
        """Return the legend of the map: one swatch per sector shown, and a free booth."""
        ts, block = self.ts, Block(keep=True)
        style = self.meta.but(colour=INK_SOFT)
        entries = [(self.sector(key), False) for key in keys]
        available = N_("Available")
        entries.append(
            (SectorStyle("", self.words.en(available), self.words.zh(available), VACANT), True)
        )
        side = mm(3.2 * self.scale)
        x, y = 0.0, 0.0
        for sector, vacant in entries:
            text = join(sector.name_en, sector.name_zh, separator=" ")
            width = side + mm(1.5) + ts.width(text, style)
            if x and x + width > self.text_width:
                x, y = 0.0, y + style.leading + mm(1)

            def draw(
                content: Content,
                left: float,
                top: float,
                x: float = x,
                sector: SectorStyle = sector,
                vacant: bool = vacant,
                text: str = text,
            ) -> None:
                base = baseline(top, style)
                bottom = base - style.size * 0.12
                _swatch(content, left + x, bottom, side, sector.colour, vacant)
                ts.draw(content, left + x + side + mm(1.5), base, text, style)

            block.add(y, style.leading, draw)
            x += width + mm(5)
        block.pad(y + style.leading + mm(4))
        return block

    def zone_blocks(self, zone: str, floor: str, slots: list[BoothSlot]) -> tuple[Block, Block]:
        """Return a zone's heading and its grid of booths (split only between rows)."""
        return self.zone_head(zone, floor, slots), self.booth_grid(slots)

    def zone_head(self, zone: str, floor: str, slots: list[BoothSlot]) -> Block:
        """Return a zone's heading: its name and floor, and how many booths it has."""
        ts = self.ts
        head = Block(keep=True)
        style = self.title_en.but(colour=NAVY)
        count = f"{len(slots)} {'booth' if len(slots) == 1 else 'booths'}"
        title = join(zone, floor, separator="  ·  ") or "Booths"

        def draw(content: Content, left: float, top: float) -> None:
            y = baseline(top, style)
            ts.draw(content, left, y, title, style)
            ts.draw(content, left, y, count, self.meta, align="right", width=self.text_width)

        y = head.add(0, style.leading, draw)
        head.rule(y + mm(1), 0, self.text_width)
        head.pad(y + mm(3))
        return head

    def booth_grid(self, slots: list[BoothSlot]) -> Block:
        """Return a zone's booths, in rows of four (five on A4); a wide booth takes two."""
        grid = Block(keep=True)
        columns = 4 if self.booklet else 5
        gap = mm(2.2)
        cell = (self.text_width - (columns - 1) * gap) / columns
        height = mm(17 * self.scale)
        column, row = 0, 0
        occupants = {clean_text(e.booth).upper(): e for e in self.data.exhibitors if e.booth}
        for slot in slots:
            span = min(booth_span(slot.size), columns)
            if column + span > columns:
                column, row = 0, row + 1
            x = column * (cell + gap)
            width = span * cell + (span - 1) * gap
            firm = occupants.get(clean_text(slot.code).upper())

            def box(
                content: Content,
                left: float,
                top: float,
                x: float = x,
                width: float = width,
                slot: BoothSlot = slot,
                firm: Exhibitor | None = firm,
            ) -> None:
                self.draw_booth(content, left + x, top, width, height, slot, firm)

            grid.add(row * (height + gap), height, box)
            column += span
        grid.pad((row + 1) * (height + gap) + mm(3))
        return grid

    def draw_booth(
        self,
        content: Content,
        x: float,
        top: float,
        width: float,
        height: float,
        slot: BoothSlot,
        firm: Exhibitor | None,
    ) -> None:
        """Draw one booth: a box in its sector's tint, the code, the size and the firm."""
        ts, s = self.ts, self.scale
        sector = self.sector(slot.sector)
        bottom = top - height
        pad = mm(1.6)
        code = clean_text(slot.code).upper()
        if firm is None:
            content.stroke_colour(VACANT)
            content.line_width(0.6)
            content.dash(2, 1.5)
            content.stroke_rect(x + 0.3, bottom + 0.3, width - 0.6, height - 0.6)
            content.dash()
            code_style = self.time.but(size=7.6 * s, colour=VACANT)
        else:
            content.fill_colour(tint(sector.colour, 0.15))
            content.rect(x, bottom, width, height)
            content.fill_colour(sector.colour)
            content.rect(x, top - mm(1), width, mm(1))
            code_style = self.time.but(size=7.6 * s, colour=darker(sector.colour))
        y = top - mm(1) - pad - code_style.size * ASCENT_SMALL
        ts.draw(content, x + pad, y, code, code_style)
        size = clean_text(slot.size).replace("x", "×")
        if size:
            size_style = self.meta.but(size=5.4 * s, colour=INK_MUTED)
            label = size if "m" in size else f"{size} m"
            ts.draw(content, x, y, label, size_style, align="right", width=width - pad)
        if firm is None:
            style = self.meta.but(size=6 * s, colour=VACANT)
            ts.draw(content, x + pad, bottom + pad + 1, self.words.both(N_("Available")), style)
            return
        self.booth_firm(content, x + pad, y - code_style.size * 0.3, width - 2 * pad, firm)

    def booth_firm(
        self, content: Content, x: float, y: float, inner: float, firm: Exhibitor
    ) -> None:
        """Set the firm's names in its booth from `y` down: Chinese on one line, English on two."""
        ts, s = self.ts, self.scale
        lines: list[tuple[str, Style]] = []
        zh_style = self.name.but(size=7 * s, leading=8.6 * s)
        en_style = self.meta.but(size=6 * s, leading=7.2 * s, colour=INK_SOFT)
        if clean_text(firm.name_zh):
            fitted = ts.fit(firm.name_zh, zh_style, inner, 5.5 * s, max_lines=1)
            lines += [(line, zh_style.but(size=fitted.size)) for line in fitted.lines]
        if clean_text(firm.name_en):
            fitted = ts.fit(firm.name_en, en_style, inner, 5 * s, max_lines=2)
            lines += [(line, en_style.but(size=fitted.size)) for line in fitted.lines]
        for line, style in lines:
            y -= style.leading
            ts.draw(content, x, y, line, style)

    def place_booth_map(self, flow: Flow) -> None:
        """Place the booth map from a new page (noting which), a legend, then each zone."""
        if not self.data.slots:
            return
        self.section = N_("Booth map")
        flow.new_page()
        self.found_map_page = len(flow.pages)
        keys = list(dict.fromkeys(s.sector for s in self.data.slots))
        keys.sort(key=self.sector_order)
        legend = self.legend(keys)
        self._begin_section(flow, N_("Booth map"), legend)
        flow.place(legend)
        for (zone, floor), slots in _zones(self.data.slots):
            head, grid = self.zone_blocks(zone, floor, slots)
            flow.place(head, keep_with=grid.head_height(1))
            flow.place(grid)


def _swatch(
    content: Content, x: float, y: float, side: float, colour: Colour, vacant: bool
) -> None:
    if vacant:
        content.stroke_colour(colour)
        content.line_width(0.6)
        content.dash(1.5, 1)
        content.stroke_rect(x + 0.3, y + 0.3, side - 0.6, side - 0.6)
        content.dash()
        return
    content.fill_colour(tint(colour, 0.15))
    content.rect(x, y, side, side)
    content.fill_colour(colour)
    content.rect(x, y + side - side * 0.22, side, side * 0.22)


def _zones(slots: Iterable[BoothSlot]) -> list[tuple[tuple[str, str], list[BoothSlot]]]:
    """Return the slots grouped by (zone, floor), groups in order of first appearance."""
    groups: dict[tuple[str, str], list[BoothSlot]] = {}
    for slot in slots:
        groups.setdefault((clean_text(slot.zone), clean_text(slot.floor)), []).append(slot)
    return [
        (key, sorted(members, key=lambda s: natural_key(clean_text(s.code).upper())))
        for key, members in groups.items()
    ]
