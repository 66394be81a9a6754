"""The pieces of a certificate: centred text that shrinks to fit, and the signature lines.

``Centred.fit`` sets a text in balanced lines, shrinking it down to a smallest size so that
it takes no more than a number of lines; ``Centred.cut`` sets paragraphs in a height, the
last line ending with … when even the smallest size is too large. ``Signatures`` draws a
row (or rows) of signature lines: above each, room to sign and, for an authority that
seals, a dashed circle where the seal goes; below, the signatory's name and title and the
authority (or, for presenters, their organisation).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from printing.documents import Authority, Person
from printing.flow import paragraph
from printing.formal import GOLD, INK, INK_SOFT, NAVY, clean, curly, join, text_style, title_lines
from printing.typefaces import FontBook

GAP = 8 * mm  # between signature columns
SEAL = 17 * mm  # the diameter of the space for a seal
SIGNING = 11 * mm  # room to sign above the rule


@dataclass(frozen=True)
class Line:
    """A line of a signature column: its text, size, colour and weight."""

    text: str
    size: float
    colour: Any
    bold: bool = False


class Balanced(Flowable):
    """A centred paragraph set in the narrowest width that keeps its number of lines."""

    def __init__(self, paragraph_: Any) -> None:
        """Wrap a paragraph."""
        super().__init__()
        self.paragraph, self.used = paragraph_, 0.0
        self._wrapped: dict[float, tuple[float, float]] = {}

    def _lines(self, width: float) -> int:
        self.paragraph.wrap(width, 10_000)
        return len(self.paragraph.blPara.lines)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Find the narrowest width giving as few lines as the full width; wrap at it."""
        if available_width not in self._wrapped:
            count = self._lines(available_width)
            low, high = available_width * 0.4, available_width
            if count > 1:
                for _ in range(8):
                    middle = (low + high) / 2
                    low, high = (low, middle) if self._lines(middle) <= count else (middle, high)
            _, height = self.paragraph.wrap(high, 10_000)
            self._wrapped[available_width] = (high, height)
        self.used, height = self._wrapped[available_width]
        self.paragraph.wrap(self.used, 10_000)  # as it will be drawn
        self.width, self.height = available_width, height
        return self.width, self.height

    def draw(self) -> None:
        """Draw the paragraph centred in the width."""
        self.paragraph.drawOn(self.canv, (self.width - self.used) / 2, 0)


class Centred:
    """Sets centred text of one font book and script in a width."""

    def __init__(self, book: FontBook, script: str, width: float) -> None:
        """Keep the book, the script and the width."""
        self.book, self.script, self.width = book, script, width

    def _paragraph(self, value: str, size: float, colour: Any, bold: bool, **how: Any) -> Any:
        style = text_style(
            self.book,
            f"centred-{size}-{bold}",
            size,
            leading=how.get("leading", size * 1.3),
            textColor=colour,
            alignment=TA_CENTER,
            bold=bold,
        )
        return paragraph(self.book, value, style, script=self.script, bold=bold)

    def height(self, flowables: list[Any], width: float | None = None) -> float:
        """Return the height of flowables stacked in the width."""
        return sum(f.wrap(width or self.width, 10_000)[1] for f in flowables)

    def fit(self, value: str, size: float, colour: Any, **how: Any) -> list[Any]:
        """Return value in at most ``lines`` balanced lines (how), shrunk to ``least`` if need be.

        how also gives ``bold``, ``leading`` (a multiple of the size) and ``width``.
        """
        value = curly(clean(value))
        if not value:
            return []
        width, bold = how.get("width", self.width), how.get("bold", False)
        most, least, ratio = how.get("lines", 2), how.get("least", size), how.get("leading", 1.3)
        current = size
        while True:
            lines = title_lines(self.book, value, current, width, script=self.script, bold=bold)
            fits = all(self.book.width(line, current, self.script, bold) <= width for line in lines)
            if (fits and len(lines) <= most) or current <= least:
                break
            current = max(least, current - 0.5)
        if not fits:  # no good break fits: the paragraph wraps it, cut to ``lines`` lines
            return [Balanced(self._wrapped(value, current, colour, bold, most, width, ratio))]
        return [
            self._paragraph(line, current, colour, bold, leading=current * ratio) for line in lines
        ]

    def cut(self, texts: list[str], size: float, least: float, room: float, colour: Any) -> list:
        """Return paragraphs shrunk (down to least) to fit room, the last cut with … if need be."""
        texts = [curly(t) for t in texts]
        while True:
            found = [self._paragraph(t, size, colour, False, leading=size * 1.5) for t in texts]
            if self.height(found) <= room or size <= least:
                break
            size = max(least, size - 0.5)
        found = [Balanced(f) for f in found]
        kept: list[Any] = []
        for index, made in enumerate(found):
            if self.height([*kept, made]) <= room:
                kept.append(made)
                continue
            shortened = self._shortened(texts[index], kept, room, size, colour)
            if shortened is None and kept:  # nothing of it fits: cut the one before
                kept.pop()
                shortened = self._shortened(texts[index - 1], kept, room, size, colour)
            kept += [shortened] if shortened is not None else []
            break
        return kept

    def _wrapped(
        self,
        value: str,
        size: float,
        colour: Any,
        bold: bool,
        most: int,
        width: float,
        ratio: float,
    ) -> Any:
        """Return value as a paragraph of at most ``most`` lines, cut with … if need be."""

        def made(length: int) -> Any:
            cut = value if length >= len(value) else value[:length].rstrip() + "…"
            return self._paragraph(cut, size, colour, bold, leading=size * ratio)

        def lines(paragraph_: Any) -> int:
            paragraph_.wrap(width, 10_000)
            return len(paragraph_.blPara.lines)

        whole = made(len(value))
        if lines(whole) <= most:
            return whole
        low, high = 1, len(value) - 1
        while low < high:
            middle = (low + high + 1) // 2
            low, high = (middle, high) if lines(made(middle)) <= most else (low, middle - 1)
        return made(low)

    def _shortened(self, value: str, kept: list, room: float, size: float, colour: Any) -> Any:
        """Return the longest start of value, with …, that fits in room below kept."""

        def made(length: int) -> Any:
            cut = value[:length].rstrip() + "…"
            return self._paragraph(cut, size, colour, False, leading=size * 1.5)

        low, high = 0, len(value) - 1
        while low < high:
            middle = (low + high + 1) // 2
            fits = self.height([*kept, made(middle)]) <= room
            low, high = (middle, high) if fits else (low, middle - 1)
        return Balanced(made(low)) if low else None


def authority_lines(authority: Authority, scale: float) -> list[Line]:
    """Return what stands under an authority's signature line."""
    person = authority.signatory or Person("")
    title_zh = getattr(person, "title_zh", "")
    lines = [Line(join(person.name_en, person.name_zh, separator="  "), 9 * scale, INK, True)]
    lines.append(Line(join(person.title, title_zh, separator="  "), 7.5 * scale, INK_SOFT))
    lines.append(Line(clean(authority.name_en), 7.5 * scale, NAVY, True))
    lines.append(Line(clean(authority.name_zh), 7.5 * scale, NAVY))
    return [line for line in lines if line.text]


def presenter_lines(person: Person, scale: float) -> list[Line]:
    """Return what stands under a presenter's signature line."""
    lines = [Line(join(person.name_en, person.name_zh, separator="  "), 9 * scale, INK, True)]
    for value in (person.title, person.organisation, person.organisation_zh):
        lines.append(Line(clean(value), 7.5 * scale, INK_SOFT))
    return [line for line in lines if line.text]


class Signatures(Flowable):
    """Signature columns, up to four a row, centred; each a rule with lines under it."""

    def __init__(
        self,
        centred: Centred,
        columns: list[tuple[list[Line], bool]],
        scale: float,
        seal_label: str = "",
    ) -> None:
        """Lay out columns, each (lines, whether it has a seal), at a scale."""
        super().__init__()
        self.centred, self.scale, self.seal_label = centred, scale, seal_label
        per_row = min(len(columns), 4)
        self.column = min(62 * mm, (centred.width - (per_row - 1) * GAP) / per_row)
        self.rows = [columns[i : i + per_row] for i in range(0, len(columns), per_row)]
        seals = any(seal for _, seal in columns)
        self.space = max(SIGNING * scale, (SEAL + 1.5 * mm) * scale if seals else 0)
        self.laid = [[self._stack(lines) for lines, _ in row] for row in self.rows]
        self.heights = [
            self.space + 2 * mm + max(self.centred.height(s, self.column) for s in row)
            for row in self.laid
        ]

    def _stack(self, lines: list[Line]) -> list[Any]:
        found = []
        for line in lines:
            found += self.centred.fit(
                line.text,
                line.size,
                line.colour,
                bold=line.bold,
                width=self.column,
                least=max(7.0, line.size * 0.8),
                lines=2,
                leading=1.3,
            )
        return found

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Take the width and the rows' height."""
        self.width = available_width
        self.height = sum(self.heights) + 3 * mm * (len(self.rows) - 1)
        return self.width, self.height

    def draw(self) -> None:
        """Draw each row: rules, seal spaces, and the lines under the rules."""
        top = self.height
        for row, laid, height in zip(self.rows, self.laid, self.heights, strict=True):
            span = len(row) * self.column + (len(row) - 1) * GAP
            x = (self.width - span) / 2
            for (_, seal), stack in zip(row, laid, strict=True):
                self._column(x, top - self.space, stack, seal)
                x += self.column + GAP
            top -= height + 3 * mm

    def _column(self, x: float, rule_y: float, stack: list[Any], seal: bool) -> None:
        canvas = self.canv
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.5)
        canvas.line(x + 3 * mm, rule_y, x + self.column - 3 * mm, rule_y)
        if seal:
            radius = SEAL * self.scale / 2
            canvas.saveState()
            canvas.setStrokeColor(GOLD)
            canvas.setLineWidth(0.5)
            canvas.setDash([1.6, 1.6])
            cx, cy = x + self.column - 3 * mm - radius, rule_y + radius + 1 * mm
            canvas.circle(cx, cy, radius)
            canvas.setFillColor(GOLD)
            book, script = self.centred.book, self.centred.script
            size = 7.0
            drawn = book.width(self.seal_label, size, script) + 0.5 * len(self.seal_label)
            book.draw(canvas, cx - drawn / 2, cy - size * 0.35, self.seal_label, size,
                      script=script, char_space=0.5)  # fmt: skip
            canvas.restoreState()
        y = rule_y - 2 * mm
        for flowable in stack:
            _, height = flowable.wrap(self.column, 10_000)
            y -= height
            flowable.drawOn(canvas, x, y)
