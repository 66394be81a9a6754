"""Line breaking for mixed Chinese and Latin paragraphs, as a reportlab Paragraph extension.

reportlab's CJK wrapping (``wordWrap="CJK"``) breaks after any character that fills the
line. ``Text`` keeps reportlab's Paragraph and replaces only that step with one that also
follows the rules a proof-reader checks:

- a line may break between two CJK characters, after a space, or beside a CJK character,
  never inside a Latin word (unless the word alone is wider than the line);
- never before closing punctuation (，。、）」…) nor after an opening bracket (（「“…);
- never inside a bracketed pair (（…）, 「…」, 《…》) that fits on one line;
- the last line of a paragraph never holds one character alone (with its punctuation)
  when the line before can give it a companion.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.textsplit import ALL_CANNOT_START, CANNOT_END_LINE
from reportlab.platypus.paragraph import Paragraph, ParaLines, cjkU, makeCJKParaLine

CANNOT_START = set(ALL_CANNOT_START) | set("，。、；：？！）」』】》〉〕…‥·%,.;:?!)]}”’")
CANNOT_END = set("".join(CANNOT_END_LINE)) | set("（「『【《〈〔“‘([{")
PAIRS = {
    "（": "）",
    "「": "」",
    "『": "』",
    "《": "》",
    "〈": "〉",
    "【": "】",
    "〔": "〕",
    "(": ")",
}
FUZZ = 1e-6


def is_cjk(char: str) -> bool:
    """Tell whether a character is set as a CJK ideograph, kana, Hangul or CJK punctuation."""
    return ord(char) >= 0x2E80


def _breakable(glyphs: Sequence[str], index: int) -> bool:
    """Tell whether a line may start at glyphs[index] (index > 0)."""
    before, here = glyphs[index - 1], glyphs[index]
    if here in CANNOT_START or before in CANNOT_END or here.isspace():
        return False
    return before.isspace() or is_cjk(before) or is_cjk(here)


def _bracket_ends(glyphs: Sequence[Any], width: float) -> dict[int, int]:
    """Return {opening index: closing index} of bracketed pairs narrower than width."""
    ends, stack = {}, []
    for index, glyph in enumerate(glyphs):
        if glyph in PAIRS:
            stack.append(index)
        elif stack and glyph == PAIRS[glyphs[stack[-1]]]:
            start = stack.pop()
            if sum(g.width for g in glyphs[start : index + 1]) <= width:
                ends[start] = index
    return ends


def break_points(glyphs: Sequence[Any], width: float) -> list[bool]:
    """Return, for each index, whether a line may start there."""
    allowed = [False] + [_breakable(glyphs, i) for i in range(1, len(glyphs))]
    for start, end in _bracket_ends(glyphs, width).items():
        for index in range(start + 1, end + 1):
            allowed[index] = False
    return allowed


def greedy_starts(glyphs: Sequence[Any], widths: Sequence[float]) -> list[int]:
    """Return the index each line starts at, filling every line as far as the rules allow."""
    allowed = break_points(glyphs, max(widths))
    starts, used, last_allowed = [0], 0.0, None
    index = 0
    while index < len(glyphs):
        limit = widths[min(len(starts) - 1, len(widths) - 1)]
        if allowed[index] and index > starts[-1]:
            last_allowed = index
        used += glyphs[index].width
        if used > limit + FUZZ and index > starts[-1] and not glyphs[index].isspace():
            cut = last_allowed if last_allowed and last_allowed > starts[-1] else index
            starts.append(cut)
            used, last_allowed = sum(g.width for g in glyphs[cut : index + 1]), None
        index += 1
    return starts


def _lonely(glyphs: Sequence[str]) -> bool:
    """Tell whether a last line holds one CJK character alone (with trailing punctuation)."""
    core = [g for g in glyphs if not g.isspace() and g not in CANNOT_START]
    return len(core) == 1 and is_cjk(core[0])


def avoid_orphan(glyphs: Sequence[Any], starts: list[int]) -> list[int]:
    """Move the last break back one place when the last line would hold one character."""
    if len(starts) < 2 or not _lonely(glyphs[starts[-1] :]):
        return starts
    allowed = break_points(glyphs, float("inf"))
    for index in range(starts[-1] - 1, starts[-2] + 1, -1):
        if allowed[index]:
            return [*starts[:-1], index]
    return starts


def _strip(glyphs: Sequence[Any]) -> list[Any]:
    """Return a line's glyphs without the spaces at its ends."""
    line = list(glyphs)
    while line and line[-1].isspace():
        line.pop()
    while line and line[0].isspace():
        line.pop(0)
    return line


def split_frags(frags: Sequence[Any], widths: Sequence[float], calc_bounds: bool) -> ParaLines:
    """Break a paragraph's frags into lines (reportlab's CJK line kind)."""
    glyphs = [cjkU(char, frag, "utf8") for frag in frags for char in (frag.text or "")]
    starts = avoid_orphan(glyphs, greedy_starts(glyphs, widths))
    ends = [*starts[1:], len(glyphs)]
    lines = []
    for number, (start, end) in enumerate(zip(starts, ends, strict=True)):
        line = _strip(glyphs[start:end]) or glyphs[start:end]
        width = widths[min(number, len(widths) - 1)]
        used = sum(g.width for g in line)
        last = end == len(glyphs)
        lines.append(makeCJKParaLine(line, width, used, width - used, last, calc_bounds))
    return ParaLines(kind=1, lines=lines)


class Text(Paragraph):
    """A reportlab Paragraph that breaks Chinese and Latin lines by the rules above."""

    def breakLinesCJK(self, maxWidths: Any) -> ParaLines:  # noqa: N802, N803 (reportlab's)
        """Break the paragraph into lines of at most maxWidths."""
        widths = maxWidths if isinstance(maxWidths, list | tuple) else [maxWidths]
        if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
            return self.blPara
        if not self.frags or any(
            hasattr(f, "cbDefn") or hasattr(f, "lineBreak") for f in self.frags
        ):
            return super().breakLinesCJK(widths)
        self.height = 0
        auto = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        return split_frags(self.frags, widths, auto not in ("", "off"))
