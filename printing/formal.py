"""What the agreements and the certificates share: palette, cleaned text, labels, titles.

- ``clean``, ``paragraphs``, ``curly`` and ``join`` prepare the data's strings for print
  (composed, invisible marks dropped, straight quotes made curly);
- ``label`` is a bilingual label of the print catalogue ("AGREEMENT  協議"), ``Label`` draws
  one letter-spaced line of it (one string per run, so it extracts as words);
- ``title_lines`` breaks a title into balanced lines at good places (after a space or a
  full-width comma or colon, before an opening bracket), ``Lines`` stacks them;
- ``strings`` collects every string of a document's data, so that its font book is
  registered once, whole.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from printing.flow import DRAFT, paragraph
from printing.typefaces import HANT, FontBook, script_of
from printing.wording import Wording

NAVY = HexColor("#0E2A47")
GOLD = HexColor("#A8842F")  # darker than the badges' gold: it is read on white paper
GOLD_LIGHT = HexColor("#D9B45A")
INK = HexColor("#14181F")
INK_SOFT = HexColor("#3A4452")
INK_MUTED = HexColor("#66717F")
HAIRLINE = HexColor("#C9CFD8")
HAIR = 0.35  # weight of hairline rules, in points

EXTRAS = ("A · B", "…", "（）：", "0123456789")
"""Texts every font book holds beside a document's own: separators, the ellipsis, digits."""

_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_DOUBLE_OPEN = re.compile(r'(^|[\s(\[{\u2014\u2013/「『（])"')
_SINGLE_OPEN = re.compile(r"(^|[\s(\[{\u2014\u2013/「『（])'")
GOOD_AFTER = set(" 、，。：；！？」』）】》,;:!?)")
GOOD_BEFORE = set("「『（【《")
STRONG_AFTER = set("。：；！？:;!?")  # a break here is worth a longer line
MEDIUM_AFTER = set("，、,")


def clean(text: str, *, keep_newlines: bool = False) -> str:
    """Return text composed (NFC), invisible marks dropped, runs of spaces made one space."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not keep_newlines:
        return " ".join(_CONTROL.sub(" ", text).split())
    lines = (" ".join(_CONTROL.sub(" ", line).split()) for line in text.split("\n"))
    return "\n".join(lines).strip("\n")


def curly(text: str) -> str:
    """Return text with straight quotes made curly: “ ” ‘ ’ (an apostrophe is ’)."""
    if '"' not in text and "'" not in text:
        return text
    text = _DOUBLE_OPEN.sub("\\1\u201c", text).replace('"', "\u201d")
    return _SINGLE_OPEN.sub("\\1\u2018", text).replace("'", "\u2019")


def paragraphs(text: str) -> list[str]:
    """Return the non-empty paragraphs (lines) of text, each cleaned."""
    return [line for line in clean(text, keep_newlines=True).split("\n") if line]


def join(*parts: str, separator: str = " · ") -> str:
    """Return the non-empty parts, cleaned, joined by separator."""
    return separator.join(p for p in (clean(part) for part in parts) if p)


def draft_word(wording: Wording) -> str:
    """Return the Chinese of "Draft" in the wording's script, for the DRAFT watermark."""
    return wording.zh(DRAFT)


def label(wording: Wording, key: str) -> str:
    """Return a bilingual label of the print catalogue: the English in capitals, the Chinese."""
    return f"{clean(wording.en(key)).upper()}  {clean(wording.zh(key))}".strip()


def font_book(documents: list[Any], wording: Wording, keys: tuple[str, ...]) -> FontBook:
    """Return the fonts of a batch: its texts, its labels in both languages, DRAFT's words."""
    texts = [
        *strings(documents),
        *(wording.both(key) for key in keys),
        *(label(wording, key) for key in keys),
        f"DRAFT{draft_word(wording)}",
        *EXTRAS,
    ]
    return FontBook.covering(texts, script_of(wording.language))


def strings(data: Any) -> Iterator[str]:
    """Yield every string in a document's data (dataclasses, tuples, mappings' values).

    Each also comes with " · " after it, the separator's face being that of the text before.
    """
    if isinstance(data, str):
        value = curly(clean(data, keep_newlines=True))
        yield value
        yield f"{value} · "
    elif dataclasses.is_dataclass(data) and not isinstance(data, type):
        for item in dataclasses.fields(data):
            yield from strings(getattr(data, item.name))
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings(value)
    elif isinstance(data, tuple | list):
        for value in data:
            yield from strings(value)


def text_style(book: FontBook, name: str, size: float, **options: Any) -> ParagraphStyle:
    """Return a paragraph style in the book's font (``bold``, leading 1.4 unless given)."""
    options.setdefault("leading", round(size * 1.4, 2))
    bold = options.pop("bold", False)
    return ParagraphStyle(
        name,
        fontName=book.font(bold=bold),
        fontSize=size,
        wordWrap="CJK",
        allowWidows=0,
        allowOrphans=0,
        **options,
    )


def text(
    book: FontBook, value: str, style: ParagraphStyle, script: str = HANT, bold: bool = False
) -> Flowable:
    """Return a cleaned, curly-quoted string as a paragraph of the style."""
    return paragraph(book, curly(clean(value)), style, script=script, bold=bold)


class Label(Flowable):
    """One letter-spaced line (a label), shrunk to the width if it is wider.

    Tracking up to 0.14 em extracts as words even with ``pdftotext -raw``.
    """

    def __init__(self, book: FontBook, value: str, size: float, colour: Color, **how: Any) -> None:
        """Make the label; how gives bold, tracking (points), script, align, leading."""
        super().__init__()
        self.book, self.value, self.size, self.colour = book, curly(clean(value)), size, colour
        self.bold = how.get("bold", False)
        self.tracking = how.get("tracking", 0.0)
        self.script = how.get("script", HANT)
        self.align = how.get("align", TA_LEFT)
        self.leading = how.get("leading", size * 1.35)

    def natural_width(self, size: float | None = None) -> float:
        """Return the width of the label at a size (its own by default), tracking included."""
        size = size or self.size
        tracking = self.tracking * size / self.size
        drawn = self.book.width(self.value, size, self.script, self.bold)
        return drawn + tracking * max(0, len(self.value) - 1)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Take the available width and one line."""
        self.width, self.height = available_width, self.leading
        return self.width, self.height

    def draw(self) -> None:
        """Draw the line, its baseline at 0.28 of the leading from the bottom."""
        size = self.size
        if self.natural_width() > self.width > 0:
            size = self.size * self.width / self.natural_width()
        used = self.natural_width(size)
        x = (self.width - used) / 2 if self.align == TA_CENTER else 0.0
        if self.align not in (TA_LEFT, TA_CENTER):
            x = self.width - used
        self.canv.setFillColor(self.colour)
        self.book.draw(
            self.canv,
            x,
            self.height - self.leading * 0.26 - size * 0.88,
            self.value,
            size,
            script=self.script,
            bold=self.bold,
            char_space=self.tracking * size / self.size,
        )


def title_lines(book: FontBook, value: str, size: float, width: float, **how: Any) -> list[str]:
    """Return a title in balanced lines broken at good places (how: script, bold).

    The fewest lines that fit, then the breaks that make the longest line shortest, a break
    after a colon or full stop counting as 25% less wide than one at a space or a bracket
    (10% after a comma); a title with no good break that fits comes back whole.
    """
    script, bold = how.get("script", HANT), how.get("bold", False)
    value = curly(clean(value))
    if book.width(value, size, script, bold) <= width:
        return [value]
    good = [
        i
        for i in range(1, len(value))
        if (value[i - 1] in GOOD_AFTER or value[i] in GOOD_BEFORE) and value[i] != " "
    ]
    for count in (2, 3) if len(good) <= 60 else (2,):  # a long text: no search of triples
        best: tuple[float, list[str]] | None = None
        for cut in itertools.combinations(good, count - 1):
            bounds = [0, *cut, len(value)]
            lines = [value[a:b].strip() for a, b in itertools.pairwise(bounds)]
            widest = max(book.width(line, size, script, bold) for line in lines)
            if not all(lines) or widest > width:
                continue
            score = widest * max(_weakness(value[c - 1]) for c in cut)
            if best is None or score < best[0]:
                best = (score, lines)
        if best is not None:
            return best[1]
    return [value]


def _weakness(before: str) -> float:
    """Return how much worse a break after this character is than after a full stop."""
    return 1.0 if before in STRONG_AFTER else 1.1 if before in MEDIUM_AFTER else 1.25


def title(
    book: FontBook, value: str, style: ParagraphStyle, width: float, **how: Any
) -> list[Flowable]:
    """Return a title as one paragraph per balanced line (how: script, bold)."""
    lines = title_lines(book, value, style.fontSize, width, **how)
    return [
        paragraph(book, line, style, script=how.get("script", HANT), bold=how.get("bold", False))
        for line in lines
    ]


class TopLine(Flowable):
    """A first line: a label at the left, another (a reference) at the right, a gold rule."""

    def __init__(self, left: Label, right: Label) -> None:
        super().__init__()
        self.left, self.right = left, right

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Take the width, the line and the gold rule under it."""
        self.width, self.height = available_width, self.left.leading + 1.5 * mm
        return self.width, self.height

    def draw(self) -> None:
        """Draw both labels and the rule."""
        room = self.width - self.left.natural_width() - 10 * mm
        for part, x, width in ((self.left, 0, self.width), (self.right, self.width - room, room)):
            part.wrap(width, self.height)
            part.drawOn(self.canv, x, 1.5 * mm)
        self.canv.setStrokeColor(GOLD)
        self.canv.setLineWidth(0.6)
        self.canv.line(0, 0, self.width, 0)
