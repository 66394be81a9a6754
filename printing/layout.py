"""Page layout for the printed documents: palette, type styles, blocks that flow over pages.

A document is laid out as blocks (a heading, a table row, a paragraph, a signature block):
each block is a list of elements at offsets from its top, every element a line of text, a
rule or a box that is never cut. ``Flow`` places blocks down the frame of a page and starts
a new page when one does not fit: a block marked ``keep`` moves whole to the next page (a
signature block, a booth zone row); any other block, or a kept one taller than a page, is
split between elements, with at least ``orphans`` elements before the break and ``widows``
after it. ``keep_with`` keeps a heading with the start of what follows it.

The pages of one document are kept (as operators, not drawn pixels) until it is laid out,
so that footers can say "page x of y"; a batch of documents still streams one document at
a time through ``printing.pdf.PdfWriter``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from printing.fonts import load_face
from printing.pdf import Colour, Content, EmbeddedFont, PdfWriter, mm
from printing.textfit import (
    Fitted,
    clean_text,
    fit_lines,
    smart_quotes,
    text_width,
    wrap_balanced,
    wrap_text,
)
from printing.wording import Wording

A4 = (mm(210), mm(297))
A4_LANDSCAPE = (mm(297), mm(210))
A5 = (mm(148), mm(210))
PAGE_SIZES = {"A4": A4, "A5": A5}

ASCENT = 0.88  # of the em, above the baseline (Noto Sans CJK: 880 of 1000 units)


def hex_colour(value: str) -> Colour:
    """Return an RGB colour (0..1) from "#RRGGBB"."""
    value = value.lstrip("#")
    return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255)


def tint(colour: Colour, amount: float) -> Colour:
    """Return colour mixed with white: amount 1 is the colour, 0 is white."""
    return (
        1 - (1 - colour[0]) * amount,
        1 - (1 - colour[1]) * amount,
        1 - (1 - colour[2]) * amount,
    )


NAVY = hex_colour("#0E2A47")
GOLD = hex_colour("#A8842F")  # darker than the badges' gold: it is read on white paper
GOLD_LIGHT = hex_colour("#D9B45A")
INK = hex_colour("#14181F")
INK_SOFT = hex_colour("#3A4452")
INK_MUTED = hex_colour("#66717F")
HAIRLINE = hex_colour("#C9CFD8")
PAPER_TINT = hex_colour("#F3F5F8")
WHITE: Colour = (1.0, 1.0, 1.0)

HAIR = 0.35  # weight of hairline rules, in points


@dataclass(frozen=True)
class Style:
    """How a run of text is set: weight, size and line height in points, colour, tracking."""

    size: float
    leading: float
    colour: Colour = INK
    bold: bool = False
    tracking: float = 0.0

    def but(self, **changes: object) -> Style:
        """Return a copy with some attributes changed."""
        values = {
            "size": self.size,
            "leading": self.leading,
            "colour": self.colour,
            "bold": self.bold,
            "tracking": self.tracking,
        }
        values.update(changes)
        return Style(**values)  # type: ignore[arg-type]


def baseline(top: float, style: Style) -> float:
    """Return the baseline of a line whose box (leading high) starts at top."""
    return top - (style.leading - style.size) / 2 - style.size * ASCENT


class Typesetter:
    """Measures, wraps and draws text in the embedded Regular and Bold of one document."""

    def __init__(self, regular: EmbeddedFont, bold: EmbeddedFont) -> None:
        self.regular = regular
        self.bold = bold

    @classmethod
    def for_writer(cls, writer: PdfWriter) -> Typesetter:
        """Return the typesetter of a writer made with ``new_writer``."""
        return cls(writer.fonts[0], writer.fonts[1])

    def font(self, style: Style) -> EmbeddedFont:
        """Return the embedded font of a style."""
        return self.bold if style.bold else self.regular

    def width(self, text: str, style: Style) -> float:
        """Return the width of one line of text in a style, in points."""
        return text_width(text, self.font(style).face, style.size, style.tracking)

    def wrap(self, text: str, style: Style, width: float, *, balanced: bool = False) -> list[str]:
        """Return text broken into lines no wider than width (each paragraph a new line).

        balanced (for headings) makes the lines even and breaks at spaces and punctuation.
        """
        text = smart_quotes(text)
        face, size = self.font(style).face, style.size
        if style.tracking:
            # Letter-spaced text (labels) is short: wrap it as if the spacing were wider type.
            width = width / (1 + style.tracking / style.size)
        if balanced:
            return wrap_balanced(text, face, size, width)
        return wrap_text(text, face, size, width)

    def fit(
        self, text: str, style: Style, width: float, min_size: float, max_lines: int = 2
    ) -> Fitted:
        """Return text shrunk (down to min_size) and wrapped into max_lines of width."""
        face = self.font(style).face
        return fit_lines(smart_quotes(text), face, width, style.size, min_size, max_lines=max_lines)

    def draw_fitted(
        self,
        content: Content,
        x: float,
        y: float,
        text: str,
        style: Style,
        width: float,
        *,
        align: str = "left",
        min_size: float = 5.5,
    ) -> None:
        """Draw one line in [x, x + width], shrunk (down to min_size) and cut to fit."""
        fitted = self.fit(text, style, width, min(min_size, style.size), max_lines=1)
        for line in fitted.lines:
            self.draw(content, x, y, line, style.but(size=fitted.size), align=align, width=width)

    def draw(
        self,
        content: Content,
        x: float,
        y: float,
        text: str,
        style: Style,
        *,
        align: str = "left",
        width: float = 0.0,
    ) -> None:
        """Draw one line with its baseline at y: left at x, or aligned in [x, x + width]."""
        if not text:
            return
        text = smart_quotes(text)
        if align != "left":
            used = self.width(text, style)
            x += (width - used) / 2 if align == "centre" else width - used
        content.fill_colour(style.colour)
        content.show(x, y, text, self.font(style), style.size, tracking=style.tracking)


def new_writer(out: BinaryIO, title: str, lang: str = "") -> tuple[PdfWriter, Typesetter]:
    """Return a PDF writer on out with the document fonts (Regular, Bold) and its typesetter."""
    writer = PdfWriter(out, [load_face("Regular"), load_face("Bold")], title=title, lang=lang)
    return writer, Typesetter.for_writer(writer)


Draw = Callable[[Content, float, float], None]
"""Draws an element: (content, x of the block's left edge, y of the element's top)."""


@dataclass(frozen=True)
class Element:
    """One unbreakable part of a block: its offset from the block's top, height, drawing."""

    y: float
    height: float
    draw: Draw

    @property
    def bottom(self) -> float:
        """Return the offset of the element's bottom from the block's top."""
        return self.y + self.height


@dataclass
class Block:
    """Elements stacked from the top of a block; see the module docstring for the options."""

    keep: bool = True
    orphans: int = 1
    widows: int = 1
    elements: list[Element] = field(default_factory=list)
    height: float = 0.0

    def add(self, y: float, height: float, draw: Draw) -> float:
        """Add an element at offset y; return the offset of its bottom."""
        self.elements.append(Element(y, height, draw))
        self.height = max(self.height, y + height)
        return y + height

    def pad(self, height: float) -> None:
        """Make the block at least height tall (space below its last element)."""
        self.height = max(self.height, height)

    def lines(
        self,
        ts: Typesetter,
        lines: list[str] | tuple[str, ...],
        style: Style,
        y: float,
        *,
        x: float = 0.0,
        width: float = 0.0,
        align: str = "left",
    ) -> float:
        """Add lines of text, one element each, from offset y; return the offset below them."""
        for line in lines:

            def draw(content: Content, left: float, top: float, line: str = line) -> None:
                ts.draw(
                    content, left + x, baseline(top, style), line, style, align=align, width=width
                )

            y = self.add(y, style.leading, draw)
        return y

    def text(
        self,
        ts: Typesetter,
        text: str,
        style: Style,
        y: float,
        *,
        x: float = 0.0,
        width: float,
        align: str = "left",
        balanced: bool = False,
    ) -> float:
        """Add text wrapped to width from offset y; return the offset below it."""
        lines = ts.wrap(text, style, width, balanced=balanced)
        return self.lines(ts, lines, style, y, x=x, width=width, align=align)

    def rule(
        self, y: float, x: float, width: float, colour: Colour = HAIRLINE, weight: float = HAIR
    ) -> None:
        """Add a horizontal rule at offset y (taking no height of its own)."""

        def draw(content: Content, left: float, top: float) -> None:
            content.stroke_colour(colour)
            content.line_width(weight)
            content.line(left + x, top, left + x + width, top)

        self.elements.append(Element(y, 0.0, draw))

    def embed(self, other: Block, y: float, x: float = 0.0) -> float:
        """Add another block as one unbreakable element at offset y; return its bottom."""

        def draw(content: Content, left: float, top: float) -> None:
            for element in other.elements:
                element.draw(content, left + x, top - element.y)

        return self.add(y, other.height, draw)

    def drawing(self, y: float, height: float, draw: Draw) -> float:
        """Add an element drawn by draw(content, left, top); return the offset of its bottom."""
        return self.add(y, height, draw)

    def head_height(self, count: int = 2) -> float:
        """Return the height the first count text elements take (for keeping with a heading)."""
        bottoms = sorted(e.bottom for e in self.elements if e.height > 0)
        if not bottoms:
            return self.height
        return bottoms[min(count, len(bottoms)) - 1]


@dataclass(frozen=True)
class Frame:
    """The area of a page that the flow fills (PDF coordinates: y grows upwards)."""

    left: float
    bottom: float
    right: float
    top: float

    @property
    def width(self) -> float:
        """Return the frame's width."""
        return self.right - self.left

    @property
    def height(self) -> float:
        """Return the frame's height."""
        return self.top - self.bottom


class Flow:
    """Places blocks down the frames of new pages; the pages stay in memory as operators."""

    def __init__(
        self,
        frame_for: Callable[[int], Frame],
        start_page: Callable[[Content, int], None] | None = None,
    ) -> None:
        self._frame_for = frame_for
        self._start_page = start_page
        self.pages: list[Content] = []
        self.frame = frame_for(1)
        self.y = self.frame.top
        self.fresh = True
        self.new_page()

    @property
    def content(self) -> Content:
        """Return the content of the current page."""
        return self.pages[-1]

    @property
    def remaining(self) -> float:
        """Return the height left in the frame of the current page."""
        return self.y - self.frame.bottom

    def new_page(self) -> None:
        """Start a new page (its furniture drawn by start_page)."""
        content = Content()
        self.pages.append(content)
        self.frame = self._frame_for(len(self.pages))
        if self._start_page is not None:
            self._start_page(content, len(self.pages))
        self.y = self.frame.top
        self.fresh = True

    def space(self, height: float) -> None:
        """Leave vertical space (none at the top of a page)."""
        if not self.fresh:
            self.y = max(self.frame.bottom, self.y - height)

    def _draw(self, elements: list[Element], shift: float) -> None:
        content, left = self.content, self.frame.left
        for element in elements:
            element.draw(content, left, self.y - (element.y - shift))

    def place(self, block: Block, *, keep_with: float = 0.0) -> None:
        """Place a block at the current position, starting new pages as needed.

        keep_with is the height of what must follow the block on the same page (the first
        lines of the text under a heading).
        """
        if not block.elements:
            self.space(block.height)
            return
        if block.height + keep_with <= self.remaining + 1e-6:
            self._draw(block.elements, 0.0)
            self.y -= block.height
            self.fresh = False
            return
        fits_on_a_page = block.height + keep_with <= self.frame.height + 1e-6
        if (block.keep or keep_with) and fits_on_a_page and not self.fresh:
            self.new_page()
            self.place(block, keep_with=keep_with)
            return
        self._split(block)

    def _split(self, block: Block) -> None:
        """Place a block over as many pages as it needs, breaking between elements."""
        elements = sorted(block.elements, key=lambda e: (e.y, e.bottom))
        shift, height = 0.0, block.height
        while elements:
            available = self.remaining + shift + 1e-6
            cut = _cut(elements, available)
            here = [e for e in elements if e.bottom <= cut]
            rest = [e for e in elements if e.bottom > cut]
            measured = [e for e in here if e.height > 0]
            left_over = sum(1 for e in rest if e.height > 0)
            if rest and measured and left_over < block.widows:
                # Too few lines would start the next page: take some with them.
                keep_here = len(measured) - (block.widows - left_over)
                if keep_here >= block.orphans:
                    cut = measured[keep_here - 1].bottom
                    here = [e for e in elements if e.bottom <= cut]
                    rest = [e for e in elements if e.bottom > cut]
                    measured = [e for e in here if e.height > 0]
            if rest and len(measured) < block.orphans and not self.fresh:
                self.new_page()
                continue
            if not measured and self.fresh:  # an element taller than the frame: set it anyway
                here, rest = elements[:1], elements[1:]
                cut = here[0].bottom
            self._draw(here, shift)
            if not rest:
                self.y -= height - shift
                self.fresh = False
                return
            next_shift = min(e.y for e in rest)
            self.new_page()
            shift, elements = next_shift, rest


def _cut(elements: list[Element], available: float) -> float:
    """Return the lowest offset <= available that no element straddles (else the lowest top)."""
    bottoms = sorted({e.bottom for e in elements if e.bottom <= available}, reverse=True)
    for candidate in bottoms:
        if not any(e.y < candidate - 1e-6 and e.bottom > candidate + 1e-6 for e in elements):
            return candidate
    return bottoms[0] if bottoms else 0.0


def label_text(english: str, chinese: str = "") -> str:
    """Return a bilingual label: the English in capitals, then the Chinese."""
    english = clean_text(english).upper()
    chinese = clean_text(chinese)
    return f"{english}  {chinese}".strip()


def label(wording: Wording, key: str) -> str:
    """Return a bilingual label of the print catalogue: the English in capitals, the Chinese."""
    return label_text(wording.en(key), wording.zh(key))


def join(*parts: str, separator: str = " · ") -> str:
    """Return the non-empty parts, cleaned, joined by separator."""
    return separator.join(p for p in (clean_text(part) for part in parts) if p)
