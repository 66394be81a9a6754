"""The programme's cover: a navy panel with the titles, then the date, venue and hosts."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from printing.linebreak import Text
from printing.programme_page import ProgrammePage, Type
from printing.programme_palette import (
    GOLD_LIGHT,
    INK,
    INK_MUTED,
    INK_SOFT,
    NAVY,
    WHITE,
    clean,
    hex_colour,
)
from printing.wording import N_

COVER_SUBTLE = hex_colour("#C5D2E2")
BREAK_AFTER = "」』）》”’：:"


class Cover(Flowable):
    """The whole cover page, drawn by its programme (a frame the size of the page)."""

    def __init__(self, page: ProgrammeCover) -> None:
        super().__init__()
        self.page = page

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Take the whole page."""
        return available_width, available_height

    def draw(self) -> None:
        """Draw the panel, titles and details."""
        self.page.draw_cover(self.canv)


class ProgrammeCover(ProgrammePage):
    """The cover of the programme."""

    def cover(self) -> Cover:
        """Return the cover, a flowable filling the first page."""
        return Cover(self)

    def draw_cover(self, canvas: Any) -> None:
        """Draw the cover: a navy panel with the titles, then date, venue and hosts."""
        s, left = self.scale, self.inner
        inset = mm * 8 * s
        panel_bottom = self.height * 0.44
        canvas.setFillColorRGB(*NAVY)
        canvas.rect(
            inset,
            panel_bottom,
            self.width - 2 * inset,
            self.height - inset - panel_bottom,
            stroke=0,
            fill=1,
        )
        kicker = Type(8 * s, 10 * s, GOLD_LIGHT, True, 1.6 * s)
        top = self.height - inset - mm * 12 * s
        self.draw(canvas, left, top, self.labelled(N_("Programme")), kicker)
        canvas.setFillColorRGB(*GOLD_LIGHT)
        canvas.rect(left, top - mm * 4, mm * 14, 1.2, stroke=0, fill=1)
        self._titles(canvas, top - mm * 10 * s, panel_bottom + mm * 11 * s)
        self._details(canvas, panel_bottom - mm * 12 * s)

    def _title_lines(self, text: str, kind: Type) -> list[Text]:
        """Return a title as balanced lines: at a bracket or colon when that keeps the count."""
        text = clean(text)
        if not text:
            return []
        whole = self.para(text, kind)
        count = self._lines(whole, self.text_width, kind)
        for index, char in enumerate(text[:-1]):
            if char in BREAK_AFTER and count == 2:
                pieces = [text[: index + 1], text[index + 1 :].strip()]
                if all(self.text_width_of(p, kind) <= self.text_width for p in pieces):
                    return [self.para(p, kind) for p in pieces]
        narrow, wide = self.text_width * 0.5, self.text_width
        for _ in range(12):
            middle = (narrow + wide) / 2
            if self._lines(whole, middle, kind) > count:
                narrow = middle
            else:
                wide = middle
        whole.balanced_width = wide
        return [whole]

    def _lines(self, block: Text, width: float, kind: Type) -> int:
        return round(block.wrap(width, self.height)[1] / kind.leading)

    def _titles(self, canvas: Any, top: float, floor: float) -> None:
        """Set the titles at the foot of the panel; very long ones shrink."""
        occasion, s, scale = self.data.occasion, self.scale, 1.0
        while True:
            zh_kind = Type(19 * s * scale, 26 * s * scale, WHITE, True)
            en_kind = Type(10.5 * s * scale, 14.5 * s * scale, COVER_SUBTLE)
            blocks = [(p, zh_kind) for p in self._title_lines(occasion.title_zh, zh_kind)]
            blocks.append((None, zh_kind))
            blocks += [(p, en_kind) for p in self._title_lines(occasion.title_en, en_kind)]
            heights = [self._height(p) if p else mm * 3 for p, _ in blocks]
            if sum(heights) <= top - floor or scale < 0.5:
                break
            scale *= 0.9
        y = floor + min(sum(heights), top - floor)
        for (block, _), height in zip(blocks, heights, strict=True):
            if block is not None:
                block.drawOn(canvas, self.inner, y - height)
            y -= height

    def _height(self, block: Text) -> float:
        width = getattr(block, "balanced_width", self.text_width)
        return block.wrap(width, self.height)[1]

    def _details(self, canvas: Any, top: float) -> None:
        """Set date, venue and hosts below the panel, as far as the footer leaves room."""
        s, occasion = self.scale, self.data.occasion
        small = Type(8 * s, 11 * s, INK_MUTED, True, 1.0 * s)
        lines: list[tuple[Text | str, Type, float]] = [
            (occasion.date_zh, Type(12 * s, 17 * s, NAVY, True), 0.0),
            (occasion.date_en, Type(10 * s, 14 * s, INK_SOFT, True), 0.0),
            (occasion.venue_zh, Type(9 * s, 13 * s, INK_SOFT), mm * 3),
            (occasion.venue_en, Type(9 * s, 13 * s, INK_SOFT), 0.0),
        ]
        if occasion.hosts:
            lines.append((self.labelled(N_("Hosted by")), small, mm * 6))
            for host in occasion.hosts:
                lines.append((host.name_zh, Type(9.5 * s, 13 * s, INK, True), mm * 2))
                lines.append((host.name_en, Type(8.5 * s, 12 * s, INK_SOFT), 0.0))
        y = top
        for text, kind, space in lines:
            if not clean(text):
                continue
            y -= space
            if kind is small:
                if y - kind.leading < self.bottom:
                    return
                self.draw(canvas, self.inner, y - kind.size, text, kind)
                y -= kind.leading
                continue
            block = self.para(text, kind)
            height = block.wrap(self.text_width, self.height)[1]
            if y - height < self.bottom:
                return
            block.drawOn(canvas, self.inner, y - height)
            y -= height
