"""The programme's exhibitor directory: its intro line, sector headings and one row per firm."""

from __future__ import annotations

from printing.documents import (
    Exhibitor,
)
from printing.layout import (
    INK,
    WHITE,
    Block,
    Flow,
    baseline,
    join,
    tint,
)
from printing.pdf import Content, mm
from printing.programme_page import ProgrammePage, SectorStyle, darker, natural_key
from printing.textfit import clean_text
from printing.wording import N_


class DirectoryBlocks(ProgrammePage):
    """The blocks of the exhibitor directory."""

    def directory_intro(self, exhibitors: list[Exhibitor], sectors: list[str]) -> Block:
        """Return the line under the directory heading: how many firms, where the map is."""
        ts, block = self.ts, Block()
        if self.map_page:
            said = N_("{firms} firms in {sectors} sectors · booths on the map, page {page}")
        else:
            said = N_("{firms} firms in {sectors} sectors")
        counts = {"firms": len(exhibitors), "sectors": len(sectors), "page": self.map_page}
        english, chinese = self.words.en(said, **counts), self.words.zh(said, **counts)
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
        firms = N_("{count} firm") if count == 1 else N_("{count} firms")
        counted = self.words.both(firms, count=count)

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
        code_style = self.time.but(size=7.4 * self.scale, colour=darker(sector.colour))
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

    def place_directory(self, flow: Flow) -> None:
        """Place the directory from a new page: firms by sector, by booth within a sector."""
        exhibitors = sorted(
            self.data.exhibitors,
            key=lambda e: (not e.booth, natural_key(clean_text(e.booth).upper()), e.name_en),
        )
        if not exhibitors:
            return
        self.section = N_("Exhibitors")
        flow.new_page()
        keys = list(dict.fromkeys(e.sector for e in exhibitors))
        keys.sort(key=self.sector_order)
        intro = self.directory_intro(exhibitors, keys)
        self._begin_section(flow, N_("Exhibitors"), intro)
        flow.place(intro)
        for key in keys:
            members = [e for e in exhibitors if e.sector == key]
            sector = self.sector(key)
            rows = [self.exhibitor_row(e, sector) for e in members]
            flow.place(self.sector_head(sector, len(members)), keep_with=rows[0].height)
            for row in rows:
                flow.place(row)
            flow.space(mm(4))
