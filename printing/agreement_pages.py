"""The pages of agreements: each finished with its agreement's footer and running head.

Pages are kept until the PDF is saved (``printing.flow.NumberedCanvas``), then numbered per
agreement ("Page 2 of 3" counts the pages of its own agreement in a batch).
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from printing.agreement_parts import MARGIN_X, TEXT_WIDTH
from printing.documents import AgreementData
from printing.flow import NumberedCanvas
from printing.formal import HAIR, HAIRLINE, INK_MUTED, clean, curly, join
from printing.typefaces import FontBook
from printing.wording import N_

PAGE_WIDTH, PAGE_HEIGHT = A4
FOOT_SIZE = 7.0


class Pages(NumberedCanvas):
    """A canvas that finishes each page with its agreement's footer and running head."""

    book: FontBook
    script: str

    def save(self) -> None:
        """Count the kept pages of each agreement, then finish and write them."""
        keys = [state.get("_agreement", (None, None))[0] for state in self._kept]
        totals = {key: keys.count(key) for key in keys}
        seen: dict[Any, int] = {}
        self._numbers = []
        for key in keys:
            seen[key] = seen.get(key, 0) + 1
            self._numbers.append((seen[key], totals[key]))
        super().save()

    def on_page_end(self, canvas: Any, number: int, total: int) -> None:
        """Draw the running head (from page two) and the footer of a page."""
        data = getattr(self, "_agreement", (None, None))[1]
        if data is None:
            return
        page, pages = self._numbers[number - 1]
        _footer(self, data, page, pages)
        if page > 1:
            _running_head(self, data)


def _fitted(canvas: Pages, x: float, y: float, value: str, room: float, **how: Any) -> None:
    """Draw one footer line at x (or ending at x, ``right``), cut with … to fit room."""
    book, size, script = canvas.book, FOOT_SIZE, canvas.script
    value = curly(clean(value))
    while value and book.width(value, size, script) > room:
        value = value[:-2].rstrip() + "…"
    if how.get("right"):
        x -= book.width(value, size, script)
    canvas.setFillColor(INK_MUTED)
    book.draw(canvas, x, y, value, size, script=script)


def _footer(canvas: Pages, data: AgreementData, page: int, total: int) -> None:
    y = 15 * mm
    canvas.setStrokeColor(HAIRLINE)
    canvas.setLineWidth(HAIR)
    canvas.line(MARGIN_X, y + 4 * mm, PAGE_WIDTH - MARGIN_X, y + 4 * mm)
    words = data.wording
    left = join(
        f"Ref. {clean(data.item.reference)}",
        words.both(N_("As of")) + "  " + clean(data.as_of),
    )
    right = words.both(N_("Page {page} of {total}"), "   ", page=page, total=total)
    right_width = canvas.book.width(right, FOOT_SIZE, canvas.script)
    _fitted(canvas, PAGE_WIDTH - MARGIN_X, y, right, TEXT_WIDTH, right=True)
    _fitted(canvas, MARGIN_X, y, left, TEXT_WIDTH - right_width - 8 * mm)


def _running_head(canvas: Pages, data: AgreementData) -> None:
    item = data.item
    reference = clean(item.reference)
    y = PAGE_HEIGHT - 16 * mm
    room = TEXT_WIDTH - canvas.book.width(reference, FOOT_SIZE, canvas.script) - 8 * mm
    _fitted(canvas, MARGIN_X, y, clean(item.title_en) or clean(item.title_zh), room)
    _fitted(canvas, PAGE_WIDTH - MARGIN_X, y, reference, TEXT_WIDTH, right=True)
    canvas.setStrokeColor(HAIRLINE)
    canvas.setLineWidth(HAIR)
    canvas.line(MARGIN_X, y - 2.2 * mm, PAGE_WIDTH - MARGIN_X, y - 2.2 * mm)
