"""Fit a line of text into a width: shrink it, then wrap it onto two lines, then shorten it."""

from __future__ import annotations

import math
from dataclasses import dataclass

from printing.fonts import Face

ELLIPSIS = "\u2026"
# No line may start with these (closing punctuation) or end with these (opening punctuation).
_NO_LINE_START = set("」』）】〕〉》〗〙〛’”)]},.:;!?、，。：；！？…%")
_NO_LINE_END = set("「『（【〔〈《〖〘〚‘“([{")


@dataclass(frozen=True)
class Fitted:
    """Text set to fit: its lines, the font size in points, and whether it was shortened."""

    lines: tuple[str, ...]
    size: float
    truncated: bool = False


def _is_wide(char: str) -> bool:
    """Tell whether char is set as a wide (CJK) character, between which lines may break."""
    code = ord(char)
    return 0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFF60


def break_points(text: str) -> list[int]:
    """Return the indices where text may be broken into two lines (the space is dropped)."""
    points = []
    for i in range(1, len(text)):
        before, after = text[i - 1], text[i]
        if after in _NO_LINE_START or before in _NO_LINE_END:
            continue
        if before == " " or after == " " or before == "-" or _is_wide(before) or _is_wide(after):
            points.append(i)
    return points


def _split(text: str, index: int) -> tuple[str, str]:
    return text[:index].rstrip(), text[index:].lstrip()


def _size_for(width_at_1pt: float, width: float, max_size: float, step: float) -> float:
    """Return the largest size (a multiple of step, at most max_size) fitting width."""
    if width_at_1pt <= 0:
        return max_size
    return min(max_size, math.floor(width / width_at_1pt / step) * step)


def fit_text(
    text: str,
    face: Face,
    width: float,
    max_size: float,
    min_size: float,
    *,
    max_lines: int = 2,
    step: float = 0.5,
) -> Fitted:
    """Return text set as large as possible (<= max_size) within width.

    One line if it fits at min_size or more; else two lines (broken where the lines are most
    even); else two lines at min_size, the second cut short with an ellipsis.
    """
    text = " ".join(text.split())
    if not text:
        return Fitted((), max_size)
    one = face.string_width(text, 1)
    size = _size_for(one, width, max_size, step)
    if size >= min_size or max_lines == 1:
        if size >= min_size:
            return Fitted((text,), size)
        return Fitted((_shorten(text, face, width, min_size),), min_size, truncated=True)

    best: tuple[float, tuple[str, str]] | None = None
    for index in break_points(text):
        first, second = _split(text, index)
        widest = max(face.string_width(first, 1), face.string_width(second, 1))
        if best is None or widest < best[0]:
            best = (widest, (first, second))
    if best is not None:
        size = _size_for(best[0], width, max_size, step)
        if size >= min_size:
            return Fitted(best[1], size)

    # Too long even on two lines at the smallest size: fill the first line, cut the second.
    first = _longest_prefix(text, face, width, min_size)
    second = _shorten(text[len(first) :].lstrip(), face, width, min_size)
    return Fitted((first.rstrip(), second), min_size, truncated=True)


def _longest_prefix(text: str, face: Face, width: float, size: float) -> str:
    """Return the longest start of text ending at a break point that fits width."""
    fitting = ""
    for index in [*break_points(text), len(text)]:
        candidate = text[:index].rstrip()
        if face.string_width(candidate, size) > width:
            break
        fitting = text[:index]
    if not fitting:  # no break point fits: cut anywhere
        for index in range(len(text), 0, -1):
            if face.string_width(text[:index], size) <= width:
                return text[:index]
    return fitting


def _shorten(text: str, face: Face, width: float, size: float) -> str:
    """Return text, or its longest start followed by an ellipsis, that fits width."""
    if face.string_width(text, size) <= width:
        return text
    for index in range(len(text) - 1, 0, -1):
        candidate = text[:index].rstrip() + ELLIPSIS
        if face.string_width(candidate, size) <= width:
            return candidate
    return ELLIPSIS
