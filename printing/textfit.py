"""Measure, wrap and fit text: words for English, characters for Chinese, with CJK line rules.

``fit_text`` fits a line into a width (shrink, then two lines, then shorten); it is what the
badges use. ``wrap_text`` breaks a paragraph of any length into lines of a width: between
words in English, between characters in Chinese, never starting a line with closing
punctuation (，。、）」 and the like) nor ending one with opening punctuation (（「), and
cutting a word that is wider than the line. ``fit_lines`` shrinks, wraps and shortens text
into a box of a few lines.

Noto Sans CJK sets curly quotes and the middle dot full-width, as Chinese wants them. Next to
English text that looks like a gap, so ``trims`` takes the empty side of those glyphs away
there; ``text_width`` measures with the trims and ``printing.pdf.Content.show`` draws with them.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from printing.fonts import Face

ELLIPSIS = "\u2026"
# No line may start with these (closing punctuation) or end with these (opening punctuation).
_NO_LINE_START = set("」』）】〕〉》〗〙〛’”)]},.:;!?、，。：；！？…%‰℃·・〞〟ー々〻﹚﹜％")
_NO_LINE_END = set("「『（【〔〈《〖〘〚‘“([{〝﹙﹛")
# Never broken between two of these (a Chinese dash or ellipsis is two characters).
_UNBREAKABLE_PAIRS = set("—…")
# Characters with no width and no mark of their own: dropped before text is set.
_INVISIBLE = re.compile(
    "[\u00ad\u200b-\u200f\u2060-\u2064\ufeff\ufe00-\ufe0f\U000e0000-\U000e01ef]"
)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


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
    length = len(text)
    for i in range(1, length):
        before, after = text[i - 1], text[i]
        if after in _NO_LINE_START or before in _NO_LINE_END:
            continue
        if before == after and before in _UNBREAKABLE_PAIRS:
            continue
        if not _may_break(before, after):
            continue
        if after == " " or before == " ":  # the rules hold across the space that is dropped
            j = i
            while j < length and text[j] == " ":
                j += 1
            k = i - 1
            while k >= 0 and text[k] == " ":
                k -= 1
            if (j < length and text[j] in _NO_LINE_START) or (k >= 0 and text[k] in _NO_LINE_END):
                continue
        points.append(i)
    return points


def _may_break(before: str, after: str) -> bool:
    """Tell whether a line may break between two characters (punctuation rules aside)."""
    if before == " " or after == " " or before == "-" or _is_wide(before) or _is_wide(after):
        return True
    return before in "/\u2013" and after.isalnum()  # "finance/legal", "2025–2026"


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


# Measuring and wrapping paragraphs


def clean_text(text: str, *, keep_newlines: bool = False) -> str:
    """Return text composed (NFC), invisible marks dropped, each run of spaces made one space.

    With keep_newlines, line breaks are kept (one per line, spaces around them removed).
    """
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not keep_newlines:
        return " ".join(_CONTROL.sub(" ", text).split())
    lines = (" ".join(_CONTROL.sub(" ", line).split()) for line in text.split("\n"))
    return "\n".join(lines).strip("\n")


_DOUBLE_OPEN = re.compile(r'(^|[\s(\[{\u2014\u2013/「『（])"')
_SINGLE_OPEN = re.compile(r"(^|[\s(\[{\u2014\u2013/「『（])'")


def smart_quotes(text: str) -> str:
    """Return text with straight quotes made curly: “ ” ‘ ’ (an apostrophe is ’)."""
    if '"' not in text and "'" not in text:
        return text
    text = _DOUBLE_OPEN.sub("\\1\u201c", text).replace('"', "\u201d")
    return _SINGLE_OPEN.sub("\\1\u2018", text).replace("'", "\u2019")


def paragraphs(text: str) -> list[str]:
    """Return the non-empty paragraphs (lines) of text, each cleaned."""
    return [line for line in clean_text(text, keep_newlines=True).split("\n") if line]


# Quotes and dots whose empty side is trimmed next to Latin text: (trim before, trim after).
_OPENING = set("“‘")
_CLOSING = set("”’")
_CENTRED = set("·•")
_CJK_OPENING = set("「『（【〔〈《〖")  # trimmed only at the start of a line
_SIDE_BEARING = 60  # font units kept on the trimmed side


@functools.cache
def _trim_table(face: Face) -> dict[str, tuple[int, int]]:
    """Return, for the quotes and dots of a face, how much each side may lose."""
    table = {}
    for char in _OPENING | _CLOSING | _CENTRED | _CJK_OPENING:
        bounds = face.bounds.get(char)
        code = face.cmap.get(ord(char))
        if bounds is None or code is None:
            continue
        advance = face.advances[code]
        if advance < face.units_per_em * 0.9:
            continue  # already proportional
        x_min, x_max = bounds
        before = max(0, x_min - _SIDE_BEARING)
        after = max(0, advance - x_max - _SIDE_BEARING)
        if char in _OPENING or char in _CJK_OPENING:
            table[char] = (before, 0)
        elif char in _CLOSING:
            table[char] = (0, after)
        else:
            table[char] = (before, after)
    return table


def _is_latin(char: str | None) -> bool:
    return char is not None and not char.isspace() and ord(char) < 0x2E80


def trims(text: str, face: Face) -> dict[int, tuple[int, int]]:
    """Return {index: (units cut before, after)}: quotes among Latin, a bracket opening a line."""
    table = _trim_table(face)
    found = {}
    for index, char in enumerate(text):
        trim = table.get(char)
        if trim is None:
            continue
        before = next((c for c in reversed(text[:index]) if c != " "), None)
        after = next((c for c in text[index + 1 :] if c != " "), None)
        if char in _CJK_OPENING:
            latin = index == 0  # the empty half of a bracket would indent the line
        elif char in _OPENING:
            latin = _is_latin(after)
        elif char in _CLOSING:
            latin = _is_latin(before)
        else:  # a dot between Latin, or set apart by spaces (a separator), is narrow
            spaced = 0 < index < len(text) - 1 and text[index - 1] == text[index + 1] == " "
            latin = spaced or _is_latin(before) or _is_latin(after)
        if latin:
            found[index] = trim
    return found


def char_advances(text: str, face: Face) -> list[int]:
    """Return the advance of each character of text in font units, trims applied."""
    cmap, advances = face.cmap, face.advances
    widths = [advances[cmap.get(ord(c), 0)] for c in text]
    for index, (before, after) in trims(text, face).items():
        widths[index] -= before + after
    return widths


def text_width(text: str, face: Face, size: float, tracking: float = 0.0) -> float:
    """Return the width of text set at size points (with tracking between letters), in points."""
    if not text:
        return 0.0
    return sum(char_advances(text, face)) * size / face.units_per_em + tracking * (len(text) - 1)


def wrap_text(text: str, face: Face, size: float, width: float) -> list[str]:
    """Break text into lines no wider than width; each paragraph (line break) starts a line.

    Lines break between words and between CJK characters, following the CJK rules on
    punctuation; a word wider than the line is cut where it must.
    """
    lines: list[str] = []
    for paragraph in paragraphs(text):
        lines.extend(_wrap_paragraph(paragraph, face, size, width))
    return lines


def _wrap_paragraph(text: str, face: Face, size: float, width: float) -> list[str]:
    return [text[start:end].rstrip() for start, end in _wrap_spans(text, face, size, width)]


def _wrap_spans(text: str, face: Face, size: float, width: float) -> list[tuple[int, int]]:
    """Return the (start, end) indices of the lines of one paragraph."""
    scale = size / face.units_per_em
    prefix = [0.0]
    for advance in char_advances(text, face):
        prefix.append(prefix[-1] + advance * scale)
    points = [*break_points(text), len(text)]
    allowed = set(points)
    limit = width + 1e-6
    lines = []
    start, length = 0, len(text)

    def span(end: int) -> float:
        while end > start and text[end - 1] == " ":
            end -= 1
        return prefix[end] - prefix[start]

    while start < length:
        while start < length and text[start] == " ":
            start += 1
        if start >= length:
            break
        first = bisect.bisect_right(points, start)
        low, high, best = first, len(points) - 1, None
        while low <= high:  # the last break point whose line fits (widths only grow)
            middle = (low + high) // 2
            if span(points[middle]) <= limit:
                best, low = points[middle], middle + 1
            else:
                high = middle - 1
        if best is None:  # one word wider than the line: cut it where it must be cut
            end = start + 1
            while end < length and prefix[end + 1] - prefix[start] <= limit:
                end += 1
            cut = end
            while (
                cut < length
                and cut - 1 > start
                and (
                    text[cut] in _NO_LINE_START or text[cut - 1] in _NO_LINE_END or text[cut] == " "
                )
            ):
                cut -= 1  # never start a line with closing punctuation, if it can be helped
            best = cut if cut - 1 > start or text[cut] not in _NO_LINE_START else end
        elif best < length:
            best = _keep_short_name(text, start, best, width, span, allowed)
        lines.append((start, best))
        start = best
    return lines


_SHORT_NAME = 10  # characters: a Chinese name set among English is kept on one line


def _keep_short_name(
    text: str,
    start: int,
    end: int,
    width: float,
    span: Callable[[int], float],
    allowed: set[int],
) -> int:
    """Return where to break instead of end, if end would cut a short CJK run after a space.

    "Corporation 香港科技園公司" breaks before 香港, not inside the name, as long as the line
    stays at least two-thirds full; long runs (Chinese paragraphs) break anywhere.
    """
    if not (_is_wide(text[end - 1]) and _is_wide(text[end])):
        return end
    run_start = end - 1
    while run_start > start and _is_wide(text[run_start - 1]):
        run_start -= 1
    run_end = end
    while run_end < len(text) and _is_wide(text[run_end]):
        run_end += 1
    if run_start <= start or text[run_start - 1] != " " or run_end - run_start > _SHORT_NAME:
        return end
    if run_start not in allowed:  # e.g. the run opens with closing punctuation
        return end
    if span(run_start) < width * 0.66:
        return end
    return run_start


def wrap_balanced(text: str, face: Face, size: float, width: float) -> list[str]:
    """Break a heading into as few lines as wrap_text, but of even lengths and at good places.

    Breaks at spaces and after punctuation are preferred to breaks inside a run of Chinese
    characters, so that "深耕灣區 連結世界" breaks at the space, not inside 連結.
    """
    lines: list[str] = []
    for paragraph in paragraphs(text):
        spans = _wrap_spans(paragraph, face, size, width)
        if len(spans) <= 1:
            lines.extend(paragraph[a:b].rstrip() for a, b in spans)
            continue
        lines.extend(_balanced(paragraph, face, size, width, len(spans)))
    return lines


_GOOD_BREAK_AFTER = set(" 、，。：；！？」』）】》,;:!?)")


def _balanced(text: str, face: Face, size: float, width: float, count: int) -> list[str]:
    """Return text in exactly count lines, minimising slack and poor break places."""
    scale = size / face.units_per_em
    prefix = [0.0]
    for advance in char_advances(text, face):
        prefix.append(prefix[-1] + advance * scale)
    points = [0, *break_points(text), len(text)]

    def line_width(start: int, end: int) -> float:
        while end > start and text[end - 1] == " ":
            end -= 1
        while start < end and text[start] == " ":
            start += 1
        return prefix[end] - prefix[start]

    def penalty(index: int) -> float:
        if index == len(text):
            return 0.0
        if text[index - 1] in _GOOD_BREAK_AFTER or text[index] == " ":
            return 0.0
        if _is_wide(text[index - 1]) and _is_wide(text[index]):
            return (width * 0.35) ** 2  # inside a run of Chinese: a word may be cut
        return (width * 0.1) ** 2

    best: dict[tuple[int, int], tuple[float, list[int]]] = {(0, 0): (0.0, [0])}
    for lines_used in range(count):
        for (point, used), (cost, path) in list(best.items()):
            if used != lines_used:
                continue
            for end in points:
                if end <= point:
                    continue
                used_width = line_width(point, end)
                if used_width > width + 1e-6:
                    break
                # Slack weighs a little more before the last line: long lines first.
                weight = 1.0 if end == len(text) else 1.1
                total = cost + weight * (width - used_width) ** 2 + penalty(end)
                key = (end, lines_used + 1)
                if key not in best or total < best[key][0]:
                    best[key] = (total, [*path, end])
    found = best.get((len(text), count))
    if found is None:
        return [text[a:b].rstrip() for a, b in _wrap_spans(text, face, size, width)]
    path = found[1]
    return [text[a:b].strip() for a, b in itertools.pairwise(path)]


def fit_lines(
    text: str,
    face: Face,
    width: float,
    max_size: float,
    min_size: float,
    *,
    max_lines: int = 2,
    step: float = 0.5,
) -> Fitted:
    """Return text wrapped into at most max_lines of width, as large as possible.

    The size goes down from max_size to min_size; at min_size, the last line that fits is
    cut short with an ellipsis.
    """
    text = clean_text(text)
    if not text:
        return Fitted((), max_size)
    size = max_size
    while True:
        spans = _wrap_spans(text, face, size, width)
        if len(spans) <= max_lines:
            return Fitted(tuple(text[a:b].rstrip() for a, b in spans), size)
        if size - step < min_size - 1e-9:
            break
        size -= step
    kept = [text[a:b].rstrip() for a, b in spans[: max_lines - 1]]
    last = _shorten_measured(text[spans[max_lines - 1][0] :], face, width, size)
    return Fitted((*kept, last), size, truncated=True)


def _shorten_measured(text: str, face: Face, width: float, size: float) -> str:
    """Return the longest start of text, followed by an ellipsis, that fits width."""
    advances = char_advances(text + ELLIPSIS, face)
    scale = size / face.units_per_em
    budget = width / scale - advances[-1]
    total, end = 0.0, 0
    for index, advance in enumerate(advances[:-1]):
        if total + advance > budget:
            break
        total += advance
        end = index + 1
    return text[:end].rstrip() + ELLIPSIS
