"""Fitting a badge's short texts into a width: shrink, then wrap, then (names only) cut.

A text first shrinks (down to a smallest size) to stay on one line, then wraps onto up to
``max_lines`` lines at the largest size where it fits, and only when even that fails at the
smallest size is its last line cut with an ellipsis. Lines break between words, after a
hyphen, or between CJK characters, never before closing punctuation ("」、，。") nor after
opening punctuation ("「（"). Widths come from a ``FontBook`` at 1 pt, cached per word, and
scale with the size (reportlab does not kern, so a line is the sum of its words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from printing.typefaces import FontBook

ELLIPSIS = "\u2026"
NO_START = set(
    "、。，．：；？！）」』】〉》〕｝ー…々ゝゞぁぃぅぇぉっゃゅょァィゥェォッャュョ,.;:!?)]}·"
)
NO_END = set("（「『【〈《〔｛([{")
_TOKEN = re.compile(
    r"\s+"
    r"|[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]"
    r"|[^\s\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff-]+-?"
    r"|-"
)


@dataclass(frozen=True)
class Fitted:
    """Lines of text at one size, in points; ``truncated`` when the last was cut."""

    lines: tuple[str, ...]
    size: float
    truncated: bool = False


def tokens(text: str) -> list[str]:
    """Split text into breakable pieces: words (with a trailing hyphen), CJK chars, spaces."""
    pieces: list[str] = []
    for piece in _TOKEN.findall(text):
        glued = piece[0] in NO_START or (pieces and pieces[-1][-1] in NO_END)
        if pieces and glued and not piece.isspace() and not pieces[-1].isspace():
            pieces[-1] += piece
            continue
        pieces.append(piece)
    return pieces


class Measure:
    """Widths of texts at 1 pt in one script and weight, cached (one per badge batch)."""

    def __init__(self, book: FontBook, script: str, bold: bool) -> None:
        self.book, self.script, self.bold = book, script, bold
        self._cache: dict[str, float] = {}

    def __call__(self, text: str) -> float:
        """Return the width of text at 1 pt."""
        width = self._cache.get(text)
        if width is None:
            width = self.book.width(text, 1.0, self.script, self.bold)
            self._cache[text] = width
        return width

    def line(self, pieces: list[str]) -> float:
        """Return the width of pieces joined, at 1 pt."""
        return sum(self(piece) for piece in pieces)


def wrap(pieces: list[str], measure: Measure, width: float) -> list[str]:
    """Break pieces greedily into lines no wider than width (at 1 pt); a too-long piece stays."""
    return ["".join(line) for line in _wrapped(pieces, measure, width)]


def _wrapped(pieces: list[str], measure: Measure, width: float) -> list[list[str]]:
    """Return the pieces of each line (spaces kept only between words)."""
    lines: list[list[str]] = [[]]
    used = 0.0
    for piece in pieces:
        current = lines[-1]
        if piece.isspace():
            if current:
                current.append(" ")
                used += measure(" ")
            continue
        wide = measure(piece)
        if current and used + wide > width:
            while current and current[-1] == " ":
                current.pop()
            lines.append([piece])
            used = wide
        else:
            current.append(piece)
            used += wide
    for line in lines:
        while line and line[-1] == " ":
            line.pop()
    return [line for line in lines if line]


def fit(
    text: str, measure: Measure, width: float, sizes: tuple[float, float], max_lines: int = 2
) -> Fitted:
    """Fit text into width between sizes (largest, smallest); see the module's docstring."""
    largest, smallest = sizes
    text = " ".join(text.split())
    if not text:
        return Fitted((), smallest)
    whole = measure(text)
    if whole * smallest <= width:
        return Fitted((text,), _down(min(largest, width / whole)))
    pieces = tokens(text)
    size = largest
    while size >= smallest - 1e-9:
        lines = wrap(pieces, measure, width / size)
        if len(lines) <= max_lines and all(measure(line) * size <= width for line in lines):
            return Fitted(tuple(lines), size)
        size = round(size - 0.5, 2)
    return _cut(pieces, measure, width, smallest, max_lines)


def _down(size: float) -> float:
    """Round a size down to a tenth of a point."""
    return int(size * 10 + 1e-6) / 10


def _cut(pieces: list[str], measure: Measure, width: float, size: float, max_lines: int) -> Fitted:
    """Return the first lines at size, the last cut with an ellipsis so that it fits."""
    lines = _wrapped(pieces, measure, width / size)
    kept = [_shorten("".join(line), measure, width / size) for line in lines[: max_lines - 1]]
    used = sum(1 for line in lines[: max_lines - 1] for piece in line if not piece.isspace())
    words = [index for index, piece in enumerate(pieces) if not piece.isspace()]
    start = words[used] if used < len(words) else len(pieces)
    last = "".join(" " if piece.isspace() else piece for piece in pieces[start:]).strip()
    while last and measure(last + ELLIPSIS) * size > width:
        last = last[:-1].rstrip()
    return Fitted((*kept, last + ELLIPSIS), size, truncated=True)


def _shorten(line: str, measure: Measure, width: float) -> str:
    """Return line cut (without a mark) to width at 1 pt, for a single too-long word."""
    while line and measure(line) > width:
        line = line[:-1]
    return line
