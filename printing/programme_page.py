"""A programme's pages: size, margins and type, headings, and the small flowables every part uses.

Every part of the programme (cover, running order, directory, booth map) draws on these.
Margins are mirrored in the A5 booklet: odd pages are right-hand pages, spine to the left.
Type is set for print: body at least 9 pt, detail lines at least 8 pt, footers 7.5 pt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table

from printing.documents import ProgrammeData
from printing.flow import Bookmark, paragraph, style
from printing.linebreak import Text
from printing.programme_palette import (
    GOLD,
    HAIR,
    HAIRLINE,
    INK,
    INK_MUTED,
    INK_SOFT,
    NAVY,
    RGB,
    VACANT,
    SectorStyle,
    clean,
    sector_styles,
    title_of,
)
from printing.typefaces import FontBook, script_of
from printing.wording import N_


@dataclass(frozen=True)
class Type:
    """How a run of text is set: size and leading in points, colour, weight, letter spacing."""

    size: float
    leading: float
    colour: RGB = INK
    bold: bool = False
    char_space: float = 0.0
    indent: float = 0.0

    def but(self, **changes: Any) -> Type:
        """Return a copy with some attributes changed."""
        return replace(self, **changes)


class Drawn(Flowable):
    """A flowable of a fixed size drawn by a function of (canvas, width, height)."""

    def __init__(self, width: float, height: float, paint: Callable[[Any, float, float], None]):
        super().__init__()
        self.width, self.height, self.paint = width, height, paint

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Take its own size."""
        return self.width, self.height

    def draw(self) -> None:
        """Paint from the flowable's bottom left."""
        self.paint(self.canv, self.width, self.height)


class SectionMark(Flowable):
    """An invisible flowable that notes where a section starts (its page, for running heads)."""

    def __init__(self, marks: list[tuple[int, str, bool]], key: str, opens_page: bool) -> None:
        super().__init__()
        self.marks, self.key, self.opens_page = marks, key, opens_page
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Take no room."""
        return 0, 0

    def draw(self) -> None:
        """Note the page this section starts on, and whether it opens the page."""
        frame = getattr(self, "_frame", None)
        opens = self.opens_page or bool(frame is not None and frame._atTop)
        self.marks.append((self.canv.getPageNumber(), self.key, opens))


class ProgrammePage:
    """The pages of one programme, its font book and its type (scaled with the page size)."""

    def __init__(self, book: FontBook, data: ProgrammeData, page_size: str) -> None:
        if page_size not in ("A4", "A5"):
            raise ValueError(f"page_size must be 'A4' or 'A5', not {page_size!r}")
        self.book, self.data, self.words = book, data, data.wording
        self.script = script_of(data.wording.language)
        self.booklet = page_size == "A5"
        self.width, self.height = A5 if self.booklet else A4
        s = self.scale = 1.0 if self.booklet else 1.2
        self.inner, self.outer = (
            mm * (16 if self.booklet else 20),
            mm * (13 if self.booklet else 18),
        )
        self.top, self.bottom = mm * (19 if self.booklet else 24), mm * (17 if self.booklet else 22)
        self.text_width = self.width - self.inner - self.outer
        self.frame_height = self.height - self.top - self.bottom
        self.sectors = sector_styles(data)
        self._styles: dict[Type, ParagraphStyle] = {}
        self.marks: list[tuple[int, str, bool]] = []  # (page, section key, opens the page)

        self.label = Type(8 * s, 10.5 * s, GOLD, True, 0.8 * s)
        self.small_label = Type(8 * s, 10.5 * s, INK_MUTED, True, 0.4 * s)
        self.head_zh = Type(15 * s, 21 * s, NAVY, True)
        self.head_en = Type(10.5 * s, 21 * s, INK_SOFT)
        self.time = Type(10 * s, 13 * s, NAVY, True)
        self.time_end = Type(8 * s, 10.5 * s, INK_MUTED)
        self.title_en = Type(10 * s, 13 * s, INK, True)
        self.title_zh = Type(9.5 * s, 13 * s, INK_SOFT)
        self.meta = Type(8 * s, 11 * s, INK_MUTED)
        self.body = Type(9 * s, 12.5 * s, INK)
        self.name = Type(9 * s, 12.5 * s, INK, True)
        self.foot = Type(7.5 * s, 9 * s, INK_MUTED)
        self.folio = Type(7.5 * s, 9 * s, NAVY, True)

    # Text ----------------------------------------------------------------------------

    def style_of(self, kind: Type) -> ParagraphStyle:
        """Return the paragraph style of a type (one per type and document)."""
        found = self._styles.get(kind)
        if found is None:
            found = style(
                self.book,
                f"programme-{len(self._styles)}",
                kind.size,
                bold=kind.bold,
                leading=kind.leading,
                textColor=Color(*kind.colour),
                leftIndent=kind.indent,
            )
            self._styles[kind] = found
        return found

    def para(self, text: str, kind: Type) -> Text:
        """Return text (cleaned) as a paragraph in a type, in the reader's script."""
        return paragraph(
            self.book, clean(text), self.style_of(kind), script=self.script, bold=kind.bold
        )

    def markup(self, text: str, kind: Type) -> str:
        """Return text as paragraph markup in a type's size and colour (for mixed lines)."""
        runs = self.book.markup(clean(text), self.script, kind.bold)
        colour = Color(*kind.colour).hexval().replace("0x", "#")
        return f'<font size="{kind.size:g}" color="{colour}">{runs}</font>'

    def text_width_of(self, text: str, kind: Type) -> float:
        """Return the width of a line of text in a type, letter spacing included."""
        width = self.book.width(text, kind.size, self.script, kind.bold)
        return width + kind.char_space * len(text)

    def draw(self, canvas: Any, x: float, y: float, text: str, kind: Type, **how: Any) -> None:
        """Draw one line at baseline y: from x, or ending at x when ``right`` is true."""
        if how.get("right"):
            x -= self.text_width_of(text, kind)
        canvas.setFillColorRGB(*kind.colour)
        self.book.draw(
            canvas,
            x,
            y,
            text,
            kind.size,
            script=self.script,
            bold=kind.bold,
            char_space=kind.char_space,
        )

    def fitted(self, text: str, kind: Type, width: float, smallest: float) -> tuple[str, Type]:
        """Return text and its type shrunk (not below smallest) then cut with … to fit width."""
        while self.text_width_of(text, kind) > width and kind.size > smallest:
            size = max(smallest, kind.size - 0.25)
            kind = kind.but(size=size, leading=kind.leading * size / kind.size)
        if self.text_width_of(text, kind) <= width:
            return text, kind
        while len(text) > 1 and self.text_width_of(text + "…", kind) > width:
            text = text[:-1].rstrip()
        return text + "…", kind

    def labelled(self, key: str) -> str:
        """Return a label of the print catalogue: the English in capitals, then the Chinese."""
        return f"{clean(self.words.en(key)).upper()}  {clean(self.words.zh(key))}".strip()

    def label_line(self, text: str, kind: Type, indent: float = 0.0) -> Drawn:
        """Return a letter-spaced label as one line (it extracts as words)."""
        width = self.text_width - indent
        text, kind = self.fitted(text, kind, width, kind.size * 0.8)

        def paint(canvas: Any, _width: float, height: float) -> None:
            descent = (kind.leading - kind.size) / 2 + kind.size * 0.12
            self.draw(canvas, indent, descent, text, kind)

        return Drawn(self.text_width, kind.leading, paint)

    # Sectors ---------------------------------------------------------------------------

    def sector_order(self, key: str) -> int:
        """Return where a sector comes in the directory and the legend (none comes last)."""
        order = list(self.sectors)
        return order.index(key) if key in order else len(order)

    def sector(self, key: str) -> SectorStyle:
        """Return the style of a sector (a grey one for none)."""
        other = N_("Other")
        name_en = title_of(key) or self.words.en(other)
        return self.sectors.get(key) or SectorStyle(key, name_en, self.words.zh(other), VACANT)

    def section_title(self, key: str, opens_page: bool = True) -> list[Flowable]:
        """Return a section's heading: Chinese and English on a line, a rule; its bookmark."""
        chinese, english = self.words.zh(key), self.words.en(key)
        gold_bar = mm * 12

        def rule(canvas: Any, width: float, height: float) -> None:
            canvas.setStrokeColorRGB(*HAIRLINE)
            canvas.setLineWidth(HAIR)
            canvas.line(0, height, width, height)
            canvas.setFillColorRGB(*GOLD)
            canvas.rect(0, height - 0.6, gold_bar, 1.2, stroke=0, fill=1)

        markup = self.markup(chinese, self.head_zh) + "\u00a0 " + self.markup(english, self.head_en)
        heading = Text(markup, self.style_of(self.head_zh))
        return [
            SectionMark(self.marks, key, opens_page),
            Bookmark(f"{clean(english)} {clean(chinese)}"),
            heading,
            Drawn(self.text_width, mm * 5 + 1.5, rule),
        ]

    def splittable(self, table: Table) -> Table:
        """Return a table whose one row may break over pages when taller than most of a page."""
        if table.wrap(self.text_width, self.height * 100)[1] > self.frame_height * 0.8:
            table.splitInRow = 24  # points of it, at least, on either page
        return table

    def time_column(self) -> float:
        """Return the width of the column of times."""
        return mm * 15 * self.scale
