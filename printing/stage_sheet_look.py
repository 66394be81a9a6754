"""The stage sheet's look: palette, type sizes, clean text, and one-line labels that fit.

Every text of the sheet is at least 8 pt. Labels are set in capitals with letter spacing
drawn as one string per font run (``char_space``), so that they extract as words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import Color, HexColor, white
from reportlab.platypus import Flowable

from printing.typefaces import FontBook
from printing.wording import Wording

NAVY = HexColor("#0E2A47")
GOLD = HexColor("#A8842F")
INK = HexColor("#14181F")
INK_SOFT = HexColor("#3A4452")
INK_MUTED = HexColor("#66717F")
HAIRLINE = HexColor("#C9CFD8")
PAPER_TINT = HexColor("#F3F5F8")
WITNESS = HexColor("#5A6B7D")
PRESENTER = HexColor("#2E7D64")
WHITE = white
HAIR = 0.35
"""The weight of hairline rules, in points."""

ASCENT = 0.88
ELLIPSIS = "\u2026"
MIN_SIZE = 8.0
"""No text of the sheet is smaller (the issue's print sizes)."""

_INVISIBLE = re.compile(
    "[\u00ad\u200b-\u200f\u2060-\u2064\ufeff\ufe00-\ufe0f\U000e0000-\U000e01ef]"
)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_DOUBLE_OPEN = re.compile(r'(^|[\s(\[{\u2014\u2013/「『（])"')
_SINGLE_OPEN = re.compile(r"(^|[\s(\[{\u2014\u2013/「『（])'")


def tint(colour: Color, amount: float) -> Color:
    """Return colour mixed with white: amount 1 is the colour, 0 is white."""
    return Color(*(1 - (1 - part) * amount for part in colour.rgb()))


@dataclass(frozen=True)
class Type:
    """How a run of text is set: size and line height in points, colour, weight, spacing."""

    size: float
    leading: float
    colour: Color = INK
    bold: bool = False
    char_space: float = 0.0

    def but(self, **changes: Any) -> Type:
        """Return a copy with some attributes changed."""
        values = {**self.__dict__, **changes}
        return Type(**values)


LABEL = Type(8.5, 11, NAVY, bold=True, char_space=1.2)
SMALL = Type(8, 10.5, INK_MUTED, bold=True, char_space=0.5)
TITLE_ZH = Type(12, 16, INK, bold=True)
TITLE_EN = Type(8.5, 11.5, INK_SOFT)
CEREMONY_EN = Type(11, 14.5, NAVY, bold=True)
CEREMONY_ZH = Type(10, 14, INK_SOFT, bold=True)
CUE_TIME = Type(11, 14, NAVY, bold=True)
CUE_EN = Type(9.5, 13, INK, bold=True)
CUE_ZH = Type(9, 12.5, INK_SOFT)
META = Type(8, 11, INK_MUTED)
CELL = Type(8.5, 11.5, INK)
CELL_BOLD = CELL.but(bold=True)
SEAT_ZH = Type(9, 11, INK, bold=True)
SEAT_EN = Type(8, 9.6, INK_SOFT)
CHIP = Type(8, 10, WHITE, bold=True, char_space=0.3)
FOOT = Type(8, 10, INK_MUTED)


def clean(text: str, *, keep_newlines: bool = False) -> str:
    """Return text composed, invisible marks dropped, spaces squeezed, quotes made curly.

    With keep_newlines, line breaks are kept (one per line, empty lines dropped).
    """
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = (" ".join(_CONTROL.sub(" ", line).split()) for line in text.split("\n"))
    return curly(("\n" if keep_newlines else " ").join(line for line in lines if line))


def curly(text: str) -> str:
    """Return text with straight quotes made curly: “ ” ‘ ’ (an apostrophe is ’)."""
    if '"' not in text and "'" not in text:
        return text
    text = _DOUBLE_OPEN.sub("\\1\u201c", text).replace('"', "\u201d")
    return _SINGLE_OPEN.sub("\\1\u2018", text).replace("'", "\u2019")


def join(*parts: str, separator: str = " · ") -> str:
    """Return the non-empty parts, cleaned, joined by separator."""
    return separator.join(p for p in (clean(part) for part in parts) if p)


def label(words: Wording, key: str) -> str:
    """Return a bilingual label: the English in capitals, then the Chinese."""
    return f"{clean(words.en(key)).upper()}  {clean(words.zh(key))}".strip()


class Setter:
    """Measures, fits and draws one-line texts of the sheet in its font book and script."""

    def __init__(self, book: FontBook, script: str) -> None:
        self.book, self.script = book, script

    def width(self, text: str, kind: Type) -> float:
        """Return the width of one line of text, letter spacing included."""
        spacing = kind.char_space * len(text)
        return self.book.width(text, kind.size, self.script, kind.bold) + spacing

    def fit(self, text: str, kind: Type, width: float, least: float = MIN_SIZE) -> tuple[str, Type]:
        """Return text shrunk (not below least) and, if still too wide, cut with an ellipsis."""
        while self.width(text, kind) > width and kind.size > least:
            kind = kind.but(size=max(least, kind.size - 0.5))
        if self.width(text, kind) <= width:
            return text, kind
        low, high = 0, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            if self.width(text[:middle].rstrip() + ELLIPSIS, kind) <= width:
                low = middle
            else:
                high = middle - 1
        return text[:low].rstrip() + ELLIPSIS, kind

    def lines(self, text: str, kind: Type, width: float, most: int) -> list[str]:
        """Return text broken at spaces into at most `most` lines of width (the last one cut)."""
        lines: list[str] = []
        for word in text.split(" "):
            if lines and self.width(f"{lines[-1]} {word}", kind) <= width:
                lines[-1] = f"{lines[-1]} {word}"
            else:
                lines.append(word)
        if len(lines) > most:
            lines = [*lines[: most - 1], " ".join(lines[most - 1 :])]
        return [self.fit(line, kind, width, kind.size)[0] for line in lines]

    def draw(self, canvas: Any, x: float, y: float, text: str, kind: Type, **how: Any) -> None:
        """Draw one line with its baseline at y: left at x, or aligned in [x, x + width]."""
        align, width = how.get("align", "left"), how.get("width", 0.0)
        if not text:
            return
        if align != "left":
            used = self.width(text, kind) - kind.char_space
            x += (width - used) / 2 if align == "centre" else width - used
        canvas.setFillColor(kind.colour)
        book = self.book
        book.draw(canvas, x, y, text, kind.size, script=self.script, bold=kind.bold,
                  char_space=kind.char_space)  # fmt: skip

    def draw_fitted(
        self, canvas: Any, x: float, y: float, text: str, kind: Type, **how: Any
    ) -> None:
        """Draw one line fitted into [x, x + width] (shrunk, then cut), aligned as asked."""
        fitted, fitted_kind = self.fit(text, kind, how["width"], how.get("least", MIN_SIZE))
        self.draw(canvas, x, y, fitted, fitted_kind, **how)


def baseline(top: float, kind: Type) -> float:
    """Return the baseline of a line whose box (leading high) starts at top."""
    return top - (kind.leading - kind.size) / 2 - kind.size * ASCENT


class Label(Flowable):
    """One letter-spaced line (a label) as a flowable, fitted to the width it is given."""

    def __init__(self, setter: Setter, text: str, kind: Type, align: str = "left") -> None:
        super().__init__()
        self.setter, self.text, self.kind, self.align = setter, text, kind, align

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Take the width given and one line's height."""
        self.width = available_width
        self.height = self.kind.leading
        return self.width, self.height

    def draw(self) -> None:
        """Draw the label."""
        how = {"align": self.align, "width": self.width}
        self.setter.draw_fitted(
            self.canv, 0, baseline(self.height, self.kind), self.text, self.kind, **how
        )
