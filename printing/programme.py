"""The printed programme: cover, running order, ceremonies, exhibitors, booth map.

A5 portrait by default: it is handed to guests and held in one hand, and a print shop
imposes A5 pages two to an A4 (or SRA4) sheet and saddle-stitches them, so the page count is
made a multiple of four with ruled "Notes" pages. Margins are mirrored (wider at the spine)
and the page numbers sit at the outer corners. ``page_size="A4"`` gives the same document on
A4 (type a fifth larger, no padding), for a desk copy or a PDF sent by e-mail.

Pages: a cover (titles in Chinese and English, date, venue, hosts); the running order
(times, titles, speakers and places); the ceremonies with their items, parties, signatories,
recipients and presenters; the exhibitor directory by sector, with booth codes; the booth
map, one labelled group of numbered boxes per zone, coloured by sector, with the firm in
each booth and a legend. Every page says which version of the plan it shows (``as_of``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from printing.documents import (
    AgendaEntry,
    BoothSlot,
    CeremonyData,
    CeremonyItemData,
    Exhibitor,
    Person,
    ProgrammeData,
    Sector,
)
from printing.layout import (
    A4,
    A5,
    GOLD,
    GOLD_LIGHT,
    HAIR,
    HAIRLINE,
    INK,
    INK_MUTED,
    INK_SOFT,
    NAVY,
    WHITE,
    Block,
    Flow,
    Frame,
    Style,
    Typesetter,
    baseline,
    hex_colour,
    join,
    label_text,
    new_writer,
    tint,
)
from printing.pdf import Colour, Content, mm
from printing.textfit import clean_text

COVER_SUBTLE = hex_colour("#C5D2E2")
VACANT = hex_colour("#9AA3AE")


@dataclass(frozen=True)
class SectorStyle:
    """How a sector is named and coloured in the directory and on the map."""

    key: str
    name_en: str
    name_zh: str
    colour: Colour


SECTORS: dict[str, SectorStyle] = {
    "life-health": SectorStyle("life-health", "Life and Health", "生命健康", hex_colour("#2E7D64")),
    "ai-data": SectorStyle("ai-data", "AI and Data", "人工智能及數據", hex_colour("#2F5E9E")),
    "advanced-manufacturing": SectorStyle(
        "advanced-manufacturing", "Advanced Manufacturing", "先進製造", hex_colour("#B0662B")
    ),
}
EXTRA_COLOURS = tuple(
    hex_colour(value) for value in ("#7B4F8E", "#8A7A2E", "#A23B4B", "#3F7F8C", "#5A6B7D")
)

PEOPLE_LABELS = {
    "signing": ("Signatories", "簽署人"),
    "pledge": ("Partners", "承諾方"),
    "award": ("Recipients", "獲頒者"),
}


def natural_key(code: str) -> tuple[object, ...]:
    """Return a sort key that puts A-2 before A-10."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code))


def booth_span(size: str) -> int:
    """Return how many columns a booth takes: 2 when its size says 6 m wide or more."""
    match = re.match(r"\s*(\d+(?:\.\d+)?)\s*[x×*]", size.lower())
    if match is None:
        return 1
    return 2 if float(match.group(1)) >= 6 else 1


class _Programme:
    """Lays out one programme; the styles scale with the page size."""

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
        self.section = ("", "")
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
        programme = label_text("Programme", "節目表")
        section = label_text(*self.section)
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
        as_of = f"As of  截至  {clean_text(self.data.as_of)}"
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
            name_zh = given.name_zh if given else (known.name_zh if known else "")
            styles[key] = SectorStyle(key, name_en, name_zh, colour)
        return styles

    def sector_order(self, key: str) -> int:
        """Return where a sector comes in the directory and the legend (none comes last)."""
        order = list(self.sectors)
        return order.index(key) if key in order else len(order)

    def sector(self, key: str) -> SectorStyle:
        """Return the style of a sector (a grey one for none)."""
        return self.sectors.get(key) or SectorStyle(key, _title(key) or "Other", "其他", VACANT)

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

    def _begin_section(self, flow: Flow, chinese: str, english: str, first: Block) -> None:
        self.section = (english, chinese)
        flow.place(self.section_title(chinese, english), keep_with=first.head_height(3))

    def _time_column(self) -> float:
        return mm(15 * self.scale)

    def agenda_row(self, entry: AgendaEntry) -> Block:
        """Return one row of the running order: times left, titles and details right."""
        ts, block = self.ts, Block(keep=True)
        pad = mm(2.2 * self.scale)
        x = self._time_column()
        width = self.text_width - x
        y = block.lines(ts, [clean_text(entry.starts)], self.time, pad)
        if clean_text(entry.ends):
            block.lines(ts, [f"– {clean_text(entry.ends)}"], self.time_end, y)
        y = pad
        if clean_text(entry.title_en):
            y = block.text(ts, entry.title_en, self.title_en, y, x=x, width=width)
        if clean_text(entry.title_zh):
            y = block.text(ts, entry.title_zh, self.title_zh, y, x=x, width=width)
        details = join(entry.speaker, entry.location)
        if details:
            y = block.text(ts, details, self.meta, y + mm(0.4), x=x, width=width)
        if clean_text(entry.notes):
            y = block.text(ts, entry.notes, self.meta.but(colour=INK_SOFT), y, x=x, width=width)
        bottom = max(y, block.height) + pad
        block.rule(bottom, 0, self.text_width)
        block.pad(bottom)
        return block

    def ceremony_head(self, ceremony: CeremonyData) -> Block:
        """Return the heading of one ceremony: time, titles, place."""
        ts, block = self.ts, Block(keep=True)
        x = self._time_column()
        width = self.text_width - x
        top = mm(1.5 * self.scale)
        block.lines(ts, [clean_text(ceremony.starts)], self.time, top)
        title = self.title_en.but(size=self.title_en.size * 1.1, colour=NAVY)
        y = top
        if clean_text(ceremony.title_en):
            y = block.text(ts, ceremony.title_en, title, y, x=x, width=width)
        if clean_text(ceremony.title_zh):
            y = block.text(ts, ceremony.title_zh, self.title_zh, y, x=x, width=width)
        details = join(ceremony.location, ceremony.notes)
        if details:
            y = block.text(ts, details, self.meta, y, x=x, width=width)
        block.pad(max(y, block.height) + mm(1.5 * self.scale))
        return block

    def ceremony_item(self, kind: str, number: int, item: CeremonyItemData) -> Block:
        """Return one item of a ceremony: reference, titles, parties and people.

        The titles, each party and each person are unbreakable units; a long item may break
        between them (never between a group's label and its first entry).
        """
        ts = self.ts
        x = self._time_column()
        width = self.text_width - x
        head = Block()
        reference = join(f"{number:02d}", clean_text(item.reference), separator="   ")
        y = head.lines(ts, [reference], self.small_label.but(colour=GOLD), 0)
        if clean_text(item.title_en):
            y = head.text(ts, item.title_en, self.title_en, y, width=width)
        if clean_text(item.title_zh):
            y = head.text(ts, item.title_zh, self.title_zh, y, width=width)
        units = [(head, 0.0)]

        groups: list[tuple[tuple[str, str], list[Block]]] = []
        parties = [clean_text(p) for p in item.parties if clean_text(p)]
        if parties and kind != "award":
            entries = []
            for party in parties:
                entry = Block()
                entry.pad(entry.text(ts, party, self.body, 0, width=width))
                entries.append(entry)
            groups.append((("Parties", "訂約方"), entries))
        label = PEOPLE_LABELS.get(kind, ("People", "人員"))
        groups.append((label, [self.person(p, width) for p in item.people]))
        groups.append(
            (("Presented by", "頒授嘉賓"), [self.person(p, width) for p in item.presenters])
        )
        for (english, chinese), entries in groups:
            if not entries:
                continue
            first = Block()
            y = first.lines(ts, [label_text(english, chinese)], self.small_label, 0)
            first.pad(first.embed(entries[0], y))
            units.append((first, mm(1)))
            units += [(entry, 0.0) for entry in entries[1:]]

        block = Block(orphans=1, widows=1)
        y = mm(1.2 * self.scale)
        for unit, space in units:
            y = block.embed(unit, y + space, x)
        block.pad(y + mm(2.5 * self.scale))
        block.keep = block.height <= self.frame(1).height * 0.4
        return block

    def person(self, person: Person, width: float) -> Block:
        """Return a person: names in bold, then title and organisation."""
        ts, block = self.ts, Block()
        organisation = join(person.organisation, person.organisation_zh, separator=" ")
        if person.has_name:
            name = join(person.name_en, person.name_zh, separator=" ")
            y = block.text(ts, name, self.name, 0, width=width)
            details = join(person.title, organisation, separator=", ")
        else:
            y = block.text(ts, organisation, self.name, 0, width=width)
            details = clean_text(person.title)
        if details:
            y = block.text(ts, details, self.meta, y, width=width)
        block.pad(y + mm(0.6))
        return block

    # Directory -----------------------------------------------------------------

    def directory_intro(self, exhibitors: list[Exhibitor], sectors: list[str]) -> Block:
        """Return the line under the directory heading: how many firms, where the map is."""
        ts, block = self.ts, Block()
        where_en = f" · booths on the map, page {self.map_page}" if self.map_page else ""
        where_zh = f"，展位見第{self.map_page}頁展位圖" if self.map_page else ""
        english = f"{len(exhibitors)} firms in {len(sectors)} sectors{where_en}"
        chinese = f"共{len(exhibitors)}家企業，分{len(sectors)}個領域{where_zh}"
        y = block.text(ts, english, self.meta, 0, width=self.text_width)
        y = block.text(ts, chinese, self.meta, y, width=self.text_width)
        block.pad(y + mm(3))
        return block

    def sector_head(self, sector: SectorStyle, count: int) -> Block:
        """Return the heading of a sector group: swatch, names, number of firms."""
        ts, block = self.ts, Block(keep=True)
        style = self.title_en.but(size=self.title_en.size * 1.05, colour=INK)
        side = mm(3 * self.scale)
        gap = mm(2)
        name = join(sector.name_en, sector.name_zh, separator="  ")
        counted = f"{count} {'firm' if count == 1 else 'firms'}  {count}家"

        def draw(content: Content, left: float, top: float) -> None:
            y = baseline(top, style)
            content.fill_colour(sector.colour)
            content.rect(left, y - style.size * 0.05, side, side)
            ts.draw(content, left + side + gap, y, name, style)
            ts.draw(content, left, y, counted, self.meta, align="right", width=self.text_width)

        y = block.add(mm(2), style.leading, draw)
        block.rule(y + mm(1.2), 0, self.text_width, sector.colour, 0.8)
        block.pad(y + mm(2))
        return block

    def exhibitor_row(self, exhibitor: Exhibitor, sector: SectorStyle) -> Block:
        """Return one firm of the directory: its booth code in a chip, names, description."""
        ts, block = self.ts, Block(keep=True)
        chip_width = mm(13 * self.scale)
        chip_height = mm(4.6 * self.scale)
        code = clean_text(exhibitor.booth).upper() or "—"
        code_style = self.time.but(size=7.4 * self.scale, colour=_darker(sector.colour))
        pad = mm(1.6 * self.scale)

        def chip(content: Content, left: float, top: float) -> None:
            content.fill_colour(tint(sector.colour, 0.16) if exhibitor.booth else WHITE)
            content.rounded_rect(left, top - chip_height, chip_width, chip_height, 1.2)
            y = top - chip_height / 2 - code_style.size * 0.36
            ts.draw(content, left, y, code, code_style, align="centre", width=chip_width)

        block.drawing(pad, chip_height, chip)
        x = chip_width + mm(3)
        width = self.text_width - x
        y = pad - mm(0.4)
        if clean_text(exhibitor.name_en):
            y = block.text(
                ts, exhibitor.name_en, self.title_en.but(size=8.4 * self.scale), y, x=x, width=width
            )
        if clean_text(exhibitor.name_zh):
            y = block.text(
                ts, exhibitor.name_zh, self.title_zh.but(size=8 * self.scale), y, x=x, width=width
            )
        if clean_text(exhibitor.description):
            y = block.text(ts, exhibitor.description, self.meta, y, x=x, width=width)
        bottom = max(y, block.height) + pad
        block.rule(bottom, x, width)
        block.pad(bottom)
        return block

    # Booth map -------------------------------------------------------------------

    def legend(self, keys: list[str]) -> Block:
        """Return the legend of the map: one swatch per sector shown, and a free booth."""
        ts, block = self.ts, Block(keep=True)
        style = self.meta.but(colour=INK_SOFT)
        entries = [(self.sector(key), False) for key in keys]
        entries.append((SectorStyle("", "Available", "空置", VACANT), True))
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
        return head, grid

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
            code_style = self.time.but(size=7.6 * s, colour=_darker(sector.colour))
        y = top - mm(1) - pad - code_style.size * ASCENT_SMALL
        ts.draw(content, x + pad, y, code, code_style)
        size = clean_text(slot.size).replace("x", "×")
        if size:
            size_style = self.meta.but(size=5.4 * s, colour=INK_MUTED)
            label = size if "m" in size else f"{size} m"
            ts.draw(content, x, y, label, size_style, align="right", width=width - pad)
        inner = width - 2 * pad
        if firm is None:
            style = self.meta.but(size=6 * s, colour=VACANT)
            ts.draw(content, x + pad, bottom + pad + 1, "Available  空置", style)
            return
        lines: list[tuple[str, Style]] = []
        zh_style = self.name.but(size=7 * s, leading=8.6 * s)
        en_style = self.meta.but(size=6 * s, leading=7.2 * s, colour=INK_SOFT)
        if clean_text(firm.name_zh):
            fitted = ts.fit(firm.name_zh, zh_style, inner, 5.5 * s, max_lines=1)
            lines += [(line, zh_style.but(size=fitted.size)) for line in fitted.lines]
        if clean_text(firm.name_en):
            fitted = ts.fit(firm.name_en, en_style, inner, 5 * s, max_lines=2)
            lines += [(line, en_style.but(size=fitted.size)) for line in fitted.lines]
        y = y - code_style.size * 0.3
        for line, style in lines:
            y -= style.leading
            ts.draw(content, x + pad, y, line, style)

    # The whole ------------------------------------------------------------------------

    def cover(self, content: Content) -> None:
        """Draw the cover: a navy panel with the titles, then date, venue and hosts."""
        ts, s, data = self.ts, self.scale, self.data
        occasion = data.occasion
        inset = mm(8 * s)
        panel_bottom = self.height * 0.44
        content.fill_colour(NAVY)
        content.rect(
            inset, panel_bottom, self.width - 2 * inset, self.height - inset - panel_bottom
        )
        left = self.inner
        width = self.width - self.inner - self.outer
        label = Style(7 * s, 10 * s, GOLD_LIGHT, bold=True, tracking=1.6 * s)
        top = self.height - inset - mm(12 * s)
        ts.draw(content, left, top, label_text("Programme", "節目表"), label)
        content.fill_colour(GOLD_LIGHT)
        content.rect(left, top - mm(4), mm(14), 1.2)

        # The titles sit at the foot of the panel; very long ones shrink, then are cut.
        room = top - mm(10 * s) - (panel_bottom + mm(11 * s))
        scale = 1.0
        while True:
            title_zh = Style(19 * s * scale, 26 * s * scale, WHITE, bold=True)
            title_en = Style(9.5 * s * scale, 13.5 * s * scale, COVER_SUBTLE)
            zh = ts.wrap(occasion.title_zh, title_zh, width, balanced=True)
            en = ts.wrap(occasion.title_en, title_en, width, balanced=True)
            height = len(zh) * title_zh.leading + mm(3) + len(en) * title_en.leading
            if height <= room or scale < 0.6:
                break
            scale *= 0.9
        if height > room:
            zh = list(ts.fit(occasion.title_zh, title_zh, width, title_zh.size, 3).lines)
            en = list(ts.fit(occasion.title_en, title_en, width, title_en.size, 4).lines)
            height = len(zh) * title_zh.leading + mm(3) + len(en) * title_en.leading
        y = panel_bottom + mm(11 * s) + height
        for line in zh:
            ts.draw(content, left, baseline(y, title_zh), line, title_zh)
            y -= title_zh.leading
        y -= mm(3)
        for line in en:
            ts.draw(content, left, baseline(y, title_en), line, title_en)
            y -= title_en.leading

        # Date, venue and hosts below the panel, each cut to a few lines above the footer.
        y = panel_bottom - mm(12 * s)
        floor = self.bottom
        date_zh = Style(12 * s, 17 * s, NAVY, bold=True)
        date_en = Style(10 * s, 14 * s, INK_SOFT, bold=True)
        venue = Style(8.5 * s, 12.5 * s, INK_SOFT)
        host_zh = Style(9 * s, 12.5 * s, INK, bold=True)
        host_en = Style(7.5 * s, 10.5 * s, INK_SOFT)
        small = Style(6 * s, 9 * s, INK_MUTED, bold=True, tracking=1.0 * s)
        lines: list[tuple[str, Style, float]] = []  # text, style, space above

        def add(text: str, style: Style, max_lines: int, space: float = 0.0) -> None:
            fitted = ts.fit(text, style, width, style.size * 0.8, max_lines=max_lines)
            for index, line in enumerate(fitted.lines):
                lines.append((line, style.but(size=fitted.size), space if index == 0 else 0.0))

        add(occasion.date_zh, date_zh, 2)
        add(occasion.date_en, date_en, 2)
        add(occasion.venue_zh, venue, 2, mm(3))
        add(occasion.venue_en, venue, 2)
        if occasion.hosts:
            lines.append((label_text("Hosted by", "主辦"), small, mm(6)))
            for host in occasion.hosts:
                add(host.name_zh, host_zh, 2, mm(2))
                add(host.name_en, host_en, 2)
        for line, style, space in lines:
            y -= space
            if y - style.leading < floor:
                break
            ts.draw(content, left, baseline(y, style), line, style)
            y -= style.leading

    def notes_page(self, content: Content, page: int) -> None:
        """Draw a ruled page for notes (booklet padding)."""
        left = self._left(page)
        top = self.height - self.top
        style = self.title_en.but(colour=NAVY)
        self.ts.draw(content, left, baseline(top, style), "Notes  筆記", style)
        content.stroke_colour(HAIRLINE)
        content.line_width(HAIR)
        y = top - mm(14)
        while y > self.bottom + mm(2):
            content.line(left, y, left + self.text_width, y)
            y -= mm(8)

    def layout(self) -> list[Content]:
        """Lay out the whole programme; return its pages, footers drawn."""
        data = self.data
        flow = Flow(self.frame, self.start_page)
        self.cover(flow.content)

        agenda = [self.agenda_row(entry) for entry in data.agenda]
        ceremonies = [c for c in data.ceremonies if c.items or clean_text(c.title_en)]
        if agenda or ceremonies:
            first = agenda[0] if agenda else self.ceremony_head(ceremonies[0])
            self.section = ("Running order", "節目流程")
            flow.new_page()
            if agenda:
                self._begin_section(flow, "節目流程", "Running order", first)
                for row in agenda:
                    flow.place(row)
            if ceremonies:
                flow.space(mm(8 * self.scale))
                head = self.ceremony_head(ceremonies[0])
                self._begin_section(flow, "簽約及頒授儀式", "Ceremonies", head)
                for ceremony in ceremonies:
                    kind = ceremony.kind.strip().lower()
                    items = [
                        self.ceremony_item(kind, n, i) for n, i in enumerate(ceremony.items, 1)
                    ]
                    keep = min(items[0].height, items[0].head_height(2)) if items else 0.0
                    flow.place(self.ceremony_head(ceremony), keep_with=keep)
                    for item in items:
                        flow.place(item)
                    flow.space(mm(3))

        exhibitors = sorted(
            data.exhibitors,
            key=lambda e: (not e.booth, natural_key(clean_text(e.booth).upper()), e.name_en),
        )
        if exhibitors:
            self.section = ("Exhibitors", "參展企業")
            flow.new_page()
            keys = list(dict.fromkeys(e.sector for e in exhibitors))
            keys.sort(key=self.sector_order)
            intro = self.directory_intro(exhibitors, keys)
            self._begin_section(flow, "參展企業", "Exhibitors", intro)
            flow.place(intro)
            for key in keys:
                members = [e for e in exhibitors if e.sector == key]
                sector = self.sector(key)
                rows = [self.exhibitor_row(e, sector) for e in members]
                flow.place(self.sector_head(sector, len(members)), keep_with=rows[0].height)
                for row in rows:
                    flow.place(row)
                flow.space(mm(4))

        if data.slots:
            self.section = ("Booth map", "展位圖")
            flow.new_page()
            self.found_map_page = len(flow.pages)
            keys = list(dict.fromkeys(s.sector for s in data.slots))
            keys.sort(key=self.sector_order)
            legend = self.legend(keys)
            self._begin_section(flow, "展位圖", "Booth map", legend)
            flow.place(legend)
            for (zone, floor), slots in _zones(data.slots):
                head, grid = self.zone_blocks(zone, floor, slots)
                flow.place(head, keep_with=grid.head_height(1))
                flow.place(grid)

        pages = flow.pages
        if self.booklet:
            while len(pages) % 4:
                content = Content()
                self.notes_page(content, len(pages) + 1)
                pages.append(content)
        for page, content in enumerate(pages, start=1):
            self.footer(content, page)
        return pages


ASCENT_SMALL = 0.74  # cap height of Noto Sans CJK, for setting text against a box's top


def _darker(colour: Colour) -> Colour:
    return (colour[0] * 0.78, colour[1] * 0.78, colour[2] * 0.78)


def _title(key: str) -> str:
    return clean_text(key.replace("-", " ").replace("_", " ")).capitalize()


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


def layout_programme(
    ts: Typesetter, data: ProgrammeData, page_size: str = "A5"
) -> tuple[list[Content], tuple[float, float]]:
    """Lay out a programme; return its pages and their size in points."""
    programme = _Programme(ts, data, page_size, None)
    pages = programme.layout()
    if data.exhibitors and programme.found_map_page is not None:
        # The directory names the page of the map, known once the map is placed.
        programme = _Programme(ts, data, page_size, programme.found_map_page)
        pages = programme.layout()
    return pages, (programme.width, programme.height)


def write_programme(data: ProgrammeData, out: BinaryIO, *, page_size: str = "A5") -> int:
    """Write the programme as a PDF to out; return the number of pages."""
    writer, ts = new_writer(out, f"Programme: {clean_text(data.occasion.title_en)}")
    pages, (width, height) = layout_programme(ts, data, page_size)
    for content in pages:
        writer.add_page(width, height, content)
    writer.close()
    return len(pages)


def render_programme(data: ProgrammeData, *, page_size: str = "A5") -> bytes:
    """Return the programme as PDF bytes (A5 booklet pages, or A4)."""
    buffer = io.BytesIO()
    write_programme(data, buffer, page_size=page_size)
    return buffer.getvalue()
