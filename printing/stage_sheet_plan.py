"""The plan of the stage for one cue: a box per position, in rows, the audience below.

The plan is a list of flowables, one per row of positions between a top edge (backdrop,
stage left and right) and a bottom edge (the audience), so that a plan too tall for what
is left of a page breaks between rows. Each position's chip carries its number and role
at 8 pt: in one line where the row's boxes are wide enough, else English over Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from printing.stage_positions import Position
from printing.stage_sheet_look import (
    CHIP,
    GOLD,
    INK_MUTED,
    NAVY,
    PRESENTER,
    SEAT_EN,
    SEAT_ZH,
    SMALL,
    WHITE,
    WITNESS,
    Setter,
    Type,
    baseline,
    clean,
    label,
    tint,
)
from printing.wording import N_, Wording

MAX_PER_ROW = 6
SEAT_GAP = 2 * mm
STAGE_PADDING = 4 * mm
SEAT_MIN_HEIGHT = 15 * mm
SEAT_MAX_WIDTH = 36 * mm
EDGE = 9 * mm
"""The stage's top edge, where backdrop and sides are named."""

ZONES = {"left": N_("Left"), "centre": N_("Centre"), "right": N_("Right")}
ROLES: dict[str, tuple[str, Color]] = {
    "signatory": (N_("Signatory"), NAVY),
    "partner": (N_("Partner"), NAVY),
    "witness": (N_("Witness"), WITNESS),
    "recipient": (N_("Recipient"), GOLD),
    "presenter": (N_("Presenter"), PRESENTER),
}
"""The English of zones and roles: messages, their Chinese the wording's."""
Lines = list[tuple[str, Type]]
"""Lines of text, each with its type."""


@dataclass(frozen=True)
class Sheet:
    """What every part of the sheet draws with: setter, wording, indent, width, page room."""

    setter: Setter
    words: Wording
    indent: float
    width: float
    page_room: float = 0.0
    """The height of the tallest frame: what is taller can never be kept on one page."""


class _StagePart(Flowable):
    """A horizontal slice of the stage: tinted, ruled at the sides (and top or bottom)."""

    def __init__(self, sheet: Sheet, height: float, edges: str = "") -> None:
        super().__init__()
        self.sheet, self.stage_height, self.edges = sheet, height, edges
        self.width, self.height = sheet.indent + sheet.width, height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Take the slice's height."""
        return self.width, self.height

    def draw_stage(self) -> None:
        """Draw the slice of the stage: background, side rules, top or bottom rule."""
        canvas, left, width = self.canv, self.sheet.indent, self.sheet.width
        bottom = self.height - self.stage_height
        canvas.setFillColor(tint(NAVY, 0.05))
        canvas.rect(left, bottom, width, self.stage_height, stroke=0, fill=1)
        canvas.setStrokeColor(tint(NAVY, 0.35))
        canvas.setLineWidth(0.5)
        for x in (left, left + width):
            canvas.line(x, bottom, x, self.height)
        if "top" in self.edges:
            canvas.line(left, self.height, left + width, self.height)
        if "bottom" in self.edges:
            canvas.line(left, bottom, left + width, bottom)


class StageTop(_StagePart):
    """The stage's top edge: the backdrop in the middle, stage left and right at the sides."""

    def __init__(self, sheet: Sheet) -> None:
        super().__init__(sheet, EDGE, "top")

    def draw(self) -> None:
        """Draw the edge and its labels."""
        self.draw_stage()
        setter, words = self.sheet.setter, self.sheet.words
        left, width = self.sheet.indent, self.sheet.width
        y = self.height - 4.4 * mm
        backdrop = label(words, N_("Backdrop"))
        setter.draw(self.canv, left, y, backdrop, SMALL, align="centre", width=width)
        side = SMALL.but(colour=INK_MUTED)
        room = (width - setter.width(backdrop, SMALL)) / 2 - 4 * mm
        for zone, align in (("left", "left"), ("right", "right")):
            text = label(words, ZONES[zone])
            how = {"align": align, "width": room}
            x = left + 2 * mm if zone == "left" else left + width - 2 * mm - room
            setter.draw_fitted(self.canv, x, y, text, side, **how)


class StageBottom(_StagePart):
    """The stage's bottom edge, and the audience below it."""

    def __init__(self, sheet: Sheet) -> None:
        super().__init__(sheet, STAGE_PADDING - SEAT_GAP, "bottom")
        self.height = self.stage_height + 1 * mm + SMALL.leading

    def draw(self) -> None:
        """Draw the edge and the audience's label."""
        self.draw_stage()
        text = label(self.sheet.words, N_("Audience")) + "  ▼"
        y = baseline(SMALL.leading, SMALL)
        self.sheet.setter.draw(
            self.canv, self.sheet.indent, y, text, SMALL, align="centre", width=self.sheet.width
        )


class SeatRow(_StagePart):
    """One row of positions, centred on the stage, in boxes of the colour of their role."""

    def __init__(self, sheet: Sheet, positions: list[Position]) -> None:
        count = len(positions)
        room = sheet.width - 2 * STAGE_PADDING - (count - 1) * SEAT_GAP
        self.seat = min(SEAT_MAX_WIDTH, room / count)
        self.positions = positions
        self.role_lines = 1 if all(self._role_fits(sheet, p) for p in positions) else 2
        self.names = [self._names(sheet.setter, p) for p in positions]
        tallest = max(sum(kind.leading for _, kind in names) for names in self.names)
        self.band = self.role_lines * CHIP.leading + 1.6 * mm
        self.seat_height = max(SEAT_MIN_HEIGHT, self.band + tallest + 2.4 * mm)
        super().__init__(sheet, self.seat_height + SEAT_GAP)

    def _role(self, sheet: Sheet, position: Position) -> tuple[str, str]:
        known = ROLES.get(position.role, ("", INK_MUTED))[0]
        if not known:
            return clean(position.role).upper(), ""
        return clean(sheet.words.en(known)).upper(), clean(sheet.words.zh(known))

    def _role_room(self, sheet: Sheet, position: Position) -> float:
        number = sheet.setter.width(str(position.number), CHIP.but(char_space=0))
        return self.seat - number - 3.6 * mm

    def _role_fits(self, sheet: Sheet, position: Position) -> bool:
        english, chinese = self._role(sheet, position)
        text = f"{english} {chinese}".strip()
        return sheet.setter.width(text, CHIP) <= self._role_room(sheet, position)

    def _names(self, setter: Setter, position: Position) -> Lines:
        """Return the lines of a position's names (or its organisation's), with their type."""
        person, inner = position.person, self.seat - 2 * mm
        name_zh, name_en = clean(person.name_zh), clean(person.name_en)
        if not (name_zh or name_en):
            name_zh, name_en = clean(person.organisation_zh), clean(person.organisation)
        lines: Lines = []
        if name_zh:
            lines.append(setter.fit(name_zh, SEAT_ZH, inner))
        if name_en:
            lines += [(line, SEAT_EN) for line in setter.lines(name_en, SEAT_EN, inner, 2)]
        return lines

    def draw(self) -> None:
        """Draw the slice of the stage and the row's boxes."""
        self.draw_stage()
        count = len(self.positions)
        total = count * self.seat + (count - 1) * SEAT_GAP
        x = self.sheet.indent + (self.sheet.width - total) / 2
        for position, names in zip(self.positions, self.names, strict=True):
            self._draw_seat(x, self.height, position, names)
            x += self.seat + SEAT_GAP

    def _draw_seat(self, x: float, top: float, position: Position, names: Lines) -> None:
        """Draw one position: number, role, names, in the colour of the role."""
        canvas, setter, width = self.canv, self.sheet.setter, self.seat
        colour = ROLES.get(position.role, ("", INK_MUTED))[1]
        canvas.setFillColor(WHITE)
        canvas.setStrokeColor(colour)
        canvas.setLineWidth(0.7)
        canvas.rect(x, top - self.seat_height, width, self.seat_height, stroke=1, fill=1)
        canvas.setFillColor(colour)
        canvas.rect(x, top - self.band, width, self.band, stroke=0, fill=1)
        y = baseline(top - 0.8 * mm, CHIP)
        setter.draw(canvas, x + 1.2 * mm, y, str(position.number), CHIP.but(char_space=0))
        english, chinese = self._role(self.sheet, position)
        texts = [f"{english} {chinese}".strip()] if self.role_lines == 1 else [english, chinese]
        room = self._role_room(self.sheet, position)
        for text in texts:
            how = {"align": "right", "width": room}
            setter.draw_fitted(canvas, x + width - 1.2 * mm - room, y, text, CHIP, **how)
            y -= CHIP.leading
        line_top = top - self.band - 1.2 * mm
        for text, kind in names:
            how = {"align": "centre", "width": width - 2 * mm}
            setter.draw(canvas, x + 1 * mm, baseline(line_top, kind), text, kind, **how)
            line_top -= kind.leading


def stage_plan(sheet: Sheet, positions: list[Position]) -> list[Flowable]:
    """Return the plan's flowables: top edge, rows of positions (back first), bottom edge."""
    rows = [[p for p in positions if p.row == row] for row in ("back", "front")]
    parts: list[Flowable] = [StageTop(sheet)]
    for row in rows:
        for start in range(0, len(row), MAX_PER_ROW):
            parts.append(SeatRow(sheet, row[start : start + MAX_PER_ROW]))
    parts.append(StageBottom(sheet))
    return parts
