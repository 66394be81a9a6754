"""The programme's booth map: a legend, and per zone rows of booths coloured by sector."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from printing.documents import BoothSlot, Exhibitor
from printing.programme_page import Drawn, ProgrammePage, Type
from printing.programme_palette import (
    HAIR,
    HAIRLINE,
    INK_MUTED,
    INK_SOFT,
    NAVY,
    RGB,
    VACANT,
    SectorStyle,
    clean,
    darker,
    join,
    natural_key,
    tint,
)
from printing.wording import N_


def booth_span(size: str) -> int:
    """Return how many columns a booth takes: 2 when its size says 6 m wide or more."""
    match = re.match(r"\s*(\d+(?:\.\d+)?)\s*[x×*]", size.lower())
    if match is None:
        return 1
    return 2 if float(match.group(1)) >= 6 else 1


CAP_HEIGHT = 0.74  # of the em, for setting text against a box's top


class BoothMap(ProgrammePage):
    """The flowables of the booth map."""

    def legend(self, keys: list[str]) -> Drawn:
        """Return the legend of the map: one swatch per sector shown, and a free booth."""
        kind = self.meta.but(colour=INK_SOFT)
        available = N_("Available")
        entries = [(self.sector(key), False) for key in keys]
        free = SectorStyle("", self.words.en(available), self.words.zh(available), VACANT)
        entries.append((free, True))
        side, line = mm * 3.2 * self.scale, kind.leading + mm
        placed: list[tuple[float, float, SectorStyle, bool, str]] = []
        x, row = 0.0, 0
        for sector, vacant in entries:
            text = join(sector.name_en, sector.name_zh, separator=" ")
            width = side + mm * 1.5 + self.text_width_of(text, kind)
            if x and x + width > self.text_width:
                x, row = 0.0, row + 1
            placed.append((x, row, sector, vacant, text))
            x += width + mm * 5
        height = (row + 1) * line + mm * 3

        def paint(canvas: Any, _width: float, height: float) -> None:
            for x, row, sector, vacant, text in placed:
                base = height - row * line - kind.size
                _swatch(canvas, x, base - kind.size * 0.12, side, sector.colour, vacant)
                self.draw(canvas, x + side + mm * 1.5, base, text, kind)

        return Drawn(self.text_width, height, paint)

    def zone_head(self, zone: str, floor: str, slots: list[BoothSlot]) -> Drawn:
        """Return a zone's heading: its name and floor, and how many booths it has."""
        kind = self.title_en.but(colour=NAVY)
        count = f"{len(slots)} {'booth' if len(slots) == 1 else 'booths'}"
        title = join(zone, floor, separator="  ·  ") or "Booths"
        room = self.text_width - self.text_width_of(count, self.meta) - mm * 3
        title, kind = self.fitted(title, kind, room, 8)

        def paint(canvas: Any, width: float, height: float) -> None:
            y = mm * 3 + kind.size * 0.25
            self.draw(canvas, 0, y, title, kind)
            self.draw(canvas, width, y, count, self.meta, right=True)
            canvas.setStrokeColorRGB(*HAIRLINE)
            canvas.setLineWidth(HAIR)
            canvas.line(0, mm * 2, width, mm * 2)

        return Drawn(self.text_width, kind.leading + mm * 3, paint)

    def booth_rows(self, slots: list[BoothSlot]) -> list[Drawn]:
        """Return a zone's booths in rows of four (five on A4); a wide booth takes two."""
        columns = 4 if self.booklet else 5
        gap = mm * 2.2
        cell = (self.text_width - (columns - 1) * gap) / columns
        height = mm * 21 * self.scale
        occupants = {clean(e.booth).upper(): e for e in self.data.exhibitors if e.booth}
        rows: list[list[tuple[float, float, BoothSlot]]] = [[]]
        column = 0
        for slot in slots:
            span = min(booth_span(slot.size), columns)
            if column + span > columns:
                column = 0
                rows.append([])
            rows[-1].append((column * (cell + gap), span * cell + (span - 1) * gap, slot))
            column += span

        def row_of(booths: list[tuple[float, float, BoothSlot]]) -> Drawn:
            def paint(canvas: Any, _width: float, _height: float) -> None:
                for x, width, slot in booths:
                    firm = occupants.get(clean(slot.code).upper())
                    self.draw_booth(canvas, (x, gap, width, height), slot, firm)

            return Drawn(self.text_width, height + gap, paint)

        return [row_of(booths) for booths in rows if booths]

    def draw_booth(
        self,
        canvas: Any,
        box: tuple[float, float, float, float],
        slot: BoothSlot,
        firm: Exhibitor | None,
    ) -> None:
        """Draw one booth: a box in its sector's tint, the code, the size and the firm."""
        x, bottom, width, height = box
        pad = mm * 1.6
        code_kind = self._booth_box(canvas, box, self.sector(slot.sector), firm is None)
        y = bottom + height - mm - pad - code_kind.size * CAP_HEIGHT
        code, code_kind = self.fitted(clean(slot.code).upper(), code_kind, width / 2, 7)
        self.draw(canvas, x + pad, y, code, code_kind)
        size = clean(slot.size).replace("x", "×")
        if size:
            label = size if "m" in size else f"{size} m"
            size_kind = self.meta.but(size=7 * self.scale, colour=INK_MUTED)
            label, size_kind = self.fitted(label, size_kind, width / 2 - pad, 7)
            self.draw(canvas, x + width - pad, y, label, size_kind, right=True)
        if firm is None:
            kind = self.meta.but(size=8 * self.scale, colour=VACANT)
            text, kind = self.fitted(self.words.both(N_("Available")), kind, width - 2 * pad, 7)
            self.draw(canvas, x + pad, bottom + pad + 1, text, kind)
            return
        y -= code_kind.size * 0.45
        for text, kind in self.booth_firm(firm, width - 2 * pad):
            y -= kind.leading
            if y < bottom + 1:
                break
            self.draw(canvas, x + pad, y, text, kind)

    def _booth_box(
        self, canvas: Any, box: tuple[float, float, float, float], sector: SectorStyle, free: bool
    ) -> Type:
        """Draw a booth's box (dashed when free, else tinted with a bar); return its code's type."""
        x, bottom, width, height = box
        if free:
            canvas.setStrokeColorRGB(*VACANT)
            canvas.setLineWidth(0.6)
            canvas.setDash(2, 1.5)
            canvas.rect(x + 0.3, bottom + 0.3, width - 0.6, height - 0.6, stroke=1, fill=0)
            canvas.setDash()
            return self.time.but(size=8.5 * self.scale, colour=VACANT)
        canvas.setFillColorRGB(*tint(sector.colour, 0.15))
        canvas.rect(x, bottom, width, height, stroke=0, fill=1)
        canvas.setFillColorRGB(*sector.colour)
        canvas.rect(x, bottom + height - mm, width, mm, stroke=0, fill=1)
        return self.time.but(size=8.5 * self.scale, colour=darker(sector.colour))

    def booth_firm(self, firm: Exhibitor, inner: float) -> list[tuple[str, Type]]:
        """Return the firm's lines in its booth: Chinese on one line, English on up to three."""
        s = self.scale
        lines: list[tuple[str, Type]] = []
        if clean(firm.name_zh):
            zh_kind = self.name.but(size=8.5 * s, leading=10.5 * s)
            lines.append(self.fitted(clean(firm.name_zh), zh_kind, inner, 7 * s))
        if clean(firm.name_en):
            en_kind = self.meta.but(size=8 * s, leading=9 * s, colour=INK_SOFT)
            lines += self._wrapped(clean(firm.name_en), en_kind, inner, 3)
        return lines

    def _wrapped(self, text: str, kind: Type, width: float, most: int) -> list[tuple[str, Type]]:
        """Return text broken at spaces into at most `most` lines, the last one cut to fit."""
        lines: list[str] = []
        for word in text.split(" "):
            if lines and self.text_width_of(f"{lines[-1]} {word}", kind) <= width:
                lines[-1] = f"{lines[-1]} {word}"
            else:
                lines.append(word)
        if len(lines) > most:
            lines = [*lines[: most - 1], " ".join(lines[most - 1 :])]
        return [self.fitted(line, kind, width, kind.size) for line in lines]

    def booth_map(self) -> list[Flowable]:
        """Return the booth map: a legend, then each zone, its heading kept with its first row."""
        if not self.data.slots:
            return []
        keys = list(dict.fromkeys(s.sector for s in self.data.slots))
        keys.sort(key=self.sector_order)
        story: list[Flowable] = [
            KeepTogether([*self.section_title(N_("Booth map")), self.legend(keys)])
        ]
        for (zone, floor), slots in _zones(self.data.slots):
            rows = self.booth_rows(slots)
            story.append(KeepTogether([self.zone_head(zone, floor, slots), rows[0]]))
            story += rows[1:]
            story.append(Spacer(1, mm * 3))
        return story


def _swatch(canvas: Any, x: float, y: float, side: float, colour: RGB, vacant: bool) -> None:
    if vacant:
        canvas.setStrokeColorRGB(*colour)
        canvas.setLineWidth(0.6)
        canvas.setDash(1.5, 1)
        canvas.rect(x + 0.3, y + 0.3, side - 0.6, side - 0.6, stroke=1, fill=0)
        canvas.setDash()
        return
    canvas.setFillColorRGB(*tint(colour, 0.15))
    canvas.rect(x, y, side, side, stroke=0, fill=1)
    canvas.setFillColorRGB(*colour)
    canvas.rect(x, y + side * 0.78, side, side * 0.22, stroke=0, fill=1)


def _zones(slots: Iterable[BoothSlot]) -> list[tuple[tuple[str, str], list[BoothSlot]]]:
    """Return the slots grouped by (zone, floor), groups in order of first appearance."""
    groups: dict[tuple[str, str], list[BoothSlot]] = {}
    for slot in slots:
        groups.setdefault((clean(slot.zone), clean(slot.floor)), []).append(slot)
    return [
        (key, sorted(members, key=lambda s: natural_key(clean(s.code).upper())))
        for key, members in groups.items()
    ]
