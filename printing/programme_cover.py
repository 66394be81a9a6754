"""The programme's cover: a navy panel with the titles, then the date, venue and hosts."""

from __future__ import annotations

from printing.layout import (
    GOLD_LIGHT,
    INK,
    INK_MUTED,
    INK_SOFT,
    NAVY,
    WHITE,
    Style,
    baseline,
    hex_colour,
    label,
)
from printing.pdf import Content, mm
from printing.programme_page import ProgrammePage
from printing.wording import N_

COVER_SUBTLE = hex_colour("#C5D2E2")


class ProgrammeCover(ProgrammePage):
    """The cover of the programme."""

    def cover(self, content: Content) -> None:
        """Draw the cover: a navy panel with the titles, then date, venue and hosts."""
        ts, s = self.ts, self.scale
        inset = mm(8 * s)
        panel_bottom = self.height * 0.44
        content.fill_colour(NAVY)
        content.rect(
            inset, panel_bottom, self.width - 2 * inset, self.height - inset - panel_bottom
        )
        left = self.inner
        kicker = Style(7 * s, 10 * s, GOLD_LIGHT, bold=True, tracking=1.6 * s)
        top = self.height - inset - mm(12 * s)
        ts.draw(content, left, top, label(self.words, N_("Programme")), kicker)
        content.fill_colour(GOLD_LIGHT)
        content.rect(left, top - mm(4), mm(14), 1.2)
        self._cover_titles(content, top, panel_bottom)
        self._cover_details(content, panel_bottom)

    def _cover_titles(self, content: Content, top: float, panel_bottom: float) -> None:
        """Set the titles at the foot of the panel; very long ones shrink, then are cut."""
        ts, s, occasion = self.ts, self.scale, self.data.occasion
        left, width = self.inner, self.text_width
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

    def _cover_details(self, content: Content, panel_bottom: float) -> None:
        """Set date, venue and hosts below the panel, each cut to a few lines above the footer."""
        ts, s, occasion = self.ts, self.scale, self.data.occasion
        left, width = self.inner, self.text_width
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
            lines.append((label(self.words, N_("Hosted by")), small, mm(6)))
            for host in occasion.hosts:
                add(host.name_zh, host_zh, 2, mm(2))
                add(host.name_en, host_en, 2)
        for line, style, space in lines:
            y -= space
            if y - style.leading < floor:
                break
            ts.draw(content, left, baseline(y, style), line, style)
            y -= style.leading
