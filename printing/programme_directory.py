"""The programme's exhibitor directory: its intro line, sector headings and one row per firm."""

from __future__ import annotations

from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from printing.documents import Exhibitor
from printing.programme_page import Drawn, ProgrammePage
from printing.programme_palette import (
    HAIR,
    HAIRLINE,
    INK,
    WHITE,
    SectorStyle,
    clean,
    darker,
    join,
    natural_key,
    tint,
)
from printing.wording import N_


class DirectoryBlocks(ProgrammePage):
    """The flowables of the exhibitor directory."""

    map_page: int | None = None

    def directory_intro(self, exhibitors: list[Exhibitor], sectors: list[str]) -> list[Flowable]:
        """Return the lines under the directory heading: how many firms, where the map is."""
        if self.map_page:
            said = N_("{firms} firms in {sectors} sectors · booths on the map, page {page}")
        else:
            said = N_("{firms} firms in {sectors} sectors")
        counts = {"firms": len(exhibitors), "sectors": len(sectors), "page": self.map_page}
        return [
            self.para(self.words.en(said, **counts), self.meta),
            self.para(self.words.zh(said, **counts), self.meta),
            Spacer(1, mm * 3),
        ]

    def sector_head(self, sector: SectorStyle, count: int) -> Drawn:
        """Return the heading of a sector group: swatch, names, number of firms, a rule."""
        kind = self.title_en.but(size=self.title_en.size * 1.05, colour=INK)
        side, gap = mm * 3 * self.scale, mm * 2
        firms = N_("{count} firm") if count == 1 else N_("{count} firms")
        counted = self.words.both(firms, count=count)
        room = self.text_width - side - gap - self.text_width_of(counted, self.meta) - mm * 3
        name, kind = self.fitted(
            join(sector.name_en, sector.name_zh, separator="  "), kind, room, 8
        )

        def paint(canvas: Any, width: float, height: float) -> None:
            y = mm * 2 + (kind.leading - kind.size) / 2 + kind.size * 0.12
            canvas.setFillColorRGB(*sector.colour)
            canvas.rect(0, y - kind.size * 0.05, side, side, stroke=0, fill=1)
            self.draw(canvas, side + gap, y, name, kind)
            self.draw(canvas, width, y, counted, self.meta, right=True)
            canvas.setStrokeColorRGB(*sector.colour)
            canvas.setLineWidth(0.8)
            canvas.line(0, mm * 0.8, width, mm * 0.8)

        return Drawn(self.text_width, mm * 4.5 + kind.leading, paint)

    def exhibitor_row(self, exhibitor: Exhibitor, sector: SectorStyle) -> Table:
        """Return one firm of the directory: its booth code in a chip, names, description."""
        chip_width, chip_height = mm * 13 * self.scale, mm * 4.8 * self.scale
        code = clean(exhibitor.booth).upper() or "—"
        code_kind = self.time.but(size=8.5 * self.scale, colour=darker(sector.colour))
        code, code_kind = self.fitted(code, code_kind, chip_width - 2, 7)

        def chip(canvas: Any, width: float, height: float) -> None:
            canvas.setFillColorRGB(*(tint(sector.colour, 0.16) if exhibitor.booth else WHITE))
            canvas.roundRect(0, 0, width, height, 1.2, stroke=0, fill=1)
            x = (width - self.text_width_of(code, code_kind)) / 2
            self.draw(canvas, x, height / 2 - code_kind.size * 0.36, code, code_kind)

        text: list[Flowable] = []
        if clean(exhibitor.name_en):
            text.append(self.para(exhibitor.name_en, self.title_en.but(size=9.5 * self.scale)))
        if clean(exhibitor.name_zh):
            text.append(self.para(exhibitor.name_zh, self.title_zh.but(size=9 * self.scale)))
        if clean(exhibitor.description):
            text.append(self.para(exhibitor.description, self.meta))
        pad, gap = mm * 1.6 * self.scale, mm * 3
        table = Table(
            [[Drawn(chip_width, chip_height, chip), Spacer(1, 1), text or [Spacer(1, 1)]]],
            colWidths=[chip_width, gap, self.text_width - chip_width - gap],
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("FONTNAME", (0, 0), (-1, -1), self.book.base),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), pad),
                    ("TOPPADDING", (2, 0), (2, 0), pad - mm * 0.6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
                    ("LINEBELOW", (2, 0), (2, 0), HAIR, Color(*HAIRLINE)),
                ]
            )
        )
        return self.splittable(table)

    def directory(self) -> list[Flowable]:
        """Return the directory: firms by sector, by booth within a sector."""
        exhibitors = sorted(
            self.data.exhibitors,
            key=lambda e: (not e.booth, natural_key(clean(e.booth).upper()), e.name_en),
        )
        if not exhibitors:
            return []
        keys = list(dict.fromkeys(e.sector for e in exhibitors))
        keys.sort(key=self.sector_order)
        intro = self.directory_intro(exhibitors, keys)
        story: list[Flowable] = [KeepTogether([*self.section_title(N_("Exhibitors")), *intro])]
        for key in keys:
            members = [e for e in exhibitors if e.sector == key]
            sector = self.sector(key)
            rows = [self.exhibitor_row(e, sector) for e in members]
            story.append(KeepTogether([self.sector_head(sector, len(members)), rows[0]]))
            story += rows[1:]
            story.append(Spacer(1, mm * 4))
        return story
