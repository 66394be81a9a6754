"""The stage manager's sheet: A4, every signing and presentation in order, who stands where.

For each ceremony of the day, each item (a cue) gets its number, time, titles and reference,
a plan of the stage with a numbered position per person, a table of the positions (zone,
names, organisation, role) and the notes. Left, centre and right are as seen from the
audience (house left, which is stage right), and the sheet says so on every page.

Who stands where (``stage_positions``, in ``printing.stage_positions``):

- signing and pledge: the signatories in a row, in the order of the parties (a person goes
  with the first party whose name contains their organisation, or is contained in it; those
  with no party follow in the order given); witnesses (``presenters``) stand behind them;
- award: the recipients on the left, in order, then the presenters on the right, so that
  the n-th recipient turns right to receive from the n-th presenter.

Positions are numbered from the left, and each row is cut into thirds: left, centre, right.
Every page carries "as of" (the version of the plan printed) and "page x of y"; a draft
(``data.draft``) carries the DRAFT watermark on every page.

Built with reportlab's platypus (``printing.flow.Document``): the story is in
``printing.stage_sheet_cues``, the plan of the stage in ``printing.stage_sheet_plan``, the
palette and type (every text at least 8 pt) in ``printing.stage_sheet_look``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any, BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from printing.documents import StageSheetData, strings_of
from printing.flow import DRAFT, Document, Meta, NumberedCanvas, draw_draft
from printing.stage_positions import Position, stage_positions
from printing.stage_sheet_cues import KINDS, story
from printing.stage_sheet_look import (
    CELL_BOLD,
    FOOT,
    GOLD,
    HAIR,
    HAIRLINE,
    LABEL,
    META,
    SMALL,
    TITLE_EN,
    TITLE_ZH,
    Setter,
    baseline,
    clean,
    join,
    label,
    tint,
)
from printing.stage_sheet_plan import ROLES, ZONES, Sheet
from printing.typefaces import FontBook, script_of
from printing.wording import N_, NC_

__all__ = ["Position", "render_stage_sheet", "stage_positions", "write_stage_sheet"]

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 15 * mm
MARGIN_TOP = 44 * mm
MARGIN_TOP_LATER = 24 * mm
MARGIN_BOTTOM = 19 * mm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
GUTTER = 24 * mm
SHEET = N_("Stage manager's sheet")
ORIENTATION = N_("Left, centre and right as seen from the audience (house left = stage right).")
LABELS = (
    *ZONES.values(),
    *(role for role, _ in ROLES.values()),
    *KINDS.values(),
    SHEET,
    ORIENTATION,
    N_("Plan as of"),
    N_("As of"),
    N_("Page {page} of {total}"),
    N_("{count} item(s)"),
    N_("Backdrop"),
    N_("Audience"),
    N_("Zone"),
    N_("Name"),
    N_("Title, organisation"),
    N_("Role"),
    N_("Back row"),
    N_("No one placed yet."),
    N_("No signings or presentations are planned yet."),
    NC_("stage sheet's remarks", "Notes"),
)
"""Every message the sheet prints: their characters go into the fonts from the start."""


def _texts(data: StageSheetData) -> Iterator[str]:
    """Yield the texts the sheet may print, as printed, to size its fonts."""
    words = data.wording
    for key in LABELS:
        yield words.en(key)
        yield words.en(key).upper()
        yield words.zh(key)
    yield "#…▼·—"
    yield words.zh(SHEET) + "…·—"  # beside Chinese, these take the CJK face
    if data.draft:
        yield words.en(DRAFT)
        yield words.zh(DRAFT)
    for value in strings_of(data):
        yield clean(value)


class _Pages:
    """Draws the sheet's page heads (the first page's larger) and footers."""

    def __init__(self, setter: Setter, data: StageSheetData, meta: Meta) -> None:
        self.setter, self.data, self.words, self.meta = setter, data, data.wording, meta
        self.as_of = clean(data.as_of)

    def first(self, canvas: Any, doc: Any) -> None:
        """Draw the first page's head: what the sheet is, the occasion, the plan's version."""
        setter, occasion, top = self.setter, self.data.occasion, PAGE_HEIGHT - 12 * mm
        setter.draw(canvas, MARGIN_X, baseline(top, LABEL), label(self.words, SHEET), LABEL)
        self._as_of_box(canvas, top, 13 * mm)
        width = TEXT_WIDTH - 76 * mm
        y = top - LABEL.leading - 1.5 * mm
        lines = [
            (clean(occasion.title_zh) or clean(occasion.title_en), TITLE_ZH, 9.0, width),
            (join(occasion.date_en, occasion.date_zh), TITLE_EN, 8.0, width),
            (
                join(occasion.venue_en, occasion.venue_zh),
                TITLE_EN,
                8.0,
                TEXT_WIDTH,
            ),  # below the box
        ]
        for text, kind, least, room in lines:
            how = {"width": room, "least": least}
            setter.draw_fitted(canvas, MARGIN_X, baseline(y, kind), text, kind, **how)
            y -= kind.leading
        rule_y = PAGE_HEIGHT - MARGIN_TOP + 10 * mm
        orientation = self.words.both(ORIENTATION, "   ")
        how = {"width": TEXT_WIDTH}
        setter.draw_fitted(canvas, MARGIN_X, rule_y - 5 * mm, orientation, META, **how)
        self._rule(canvas, rule_y)

    def later(self, canvas: Any, doc: Any) -> None:
        """Draw a later page's head: what the sheet is and the plan's version."""
        setter, top = self.setter, PAGE_HEIGHT - 12 * mm
        heading = label(self.words, SHEET)
        setter.draw(canvas, MARGIN_X, baseline(top, LABEL), heading, LABEL)
        short = self.words.both(N_("Plan as of")) + "  " + self.as_of
        room = TEXT_WIDTH - setter.width(heading, LABEL) - 10 * mm
        x, kind = PAGE_WIDTH - MARGIN_X - room, CELL_BOLD.but(size=8)
        setter.draw_fitted(canvas, x, baseline(top, LABEL), short, kind, width=room, align="right")
        self._rule(canvas, top - LABEL.leading - 2 * mm)

    def _as_of_box(self, canvas: Any, top: float, height: float) -> None:
        """Draw the version of the plan, boxed at the top right, where it cannot be missed."""
        setter, value = self.setter, self.as_of or "—"
        kind = CELL_BOLD.but(size=9)
        width = min(70 * mm, max(42 * mm, setter.width(value, kind) + 8 * mm))
        x = PAGE_WIDTH - MARGIN_X - width
        canvas.setFillColor(tint(GOLD, 0.12))
        canvas.rect(x, top - height, width, height, stroke=0, fill=1)
        canvas.setFillColor(GOLD)
        canvas.rect(x, top - height, 1 * mm, height, stroke=0, fill=1)
        heading = label(self.words, N_("Plan as of"))
        setter.draw_fitted(canvas, x + 4 * mm, top - 5 * mm, heading, SMALL, width=width - 6 * mm)
        y = top - height + 3.4 * mm
        setter.draw_fitted(canvas, x + 4 * mm, y, value, kind, width=width - 6 * mm)

    @staticmethod
    def _rule(canvas: Any, y: float) -> None:
        """Draw a hairline across the text width at y."""
        canvas.setStrokeColor(HAIRLINE)
        canvas.setLineWidth(HAIR)
        canvas.line(MARGIN_X, y, PAGE_WIDTH - MARGIN_X, y)

    def footer(self, canvas: Any, page: int, total: int) -> None:
        """Draw the footer (what the sheet is, as of, page x of y) and a draft's watermark."""
        if self.meta.draft:
            draw_draft(canvas, self.setter.book, self.meta)
        setter, words, y = self.setter, self.words, 11 * mm
        self._rule(canvas, y + 4 * mm)
        left = join(label(words, SHEET), words.both(N_("As of")) + "  " + self.as_of)
        right = words.both(N_("Page {page} of {total}"), "   ", page=page, total=total)
        setter.draw(canvas, MARGIN_X, y, right, FOOT, align="right", width=TEXT_WIDTH)
        room = TEXT_WIDTH - setter.width(right, FOOT) - 8 * mm
        setter.draw_fitted(canvas, MARGIN_X, y, left, FOOT, width=room)


class _Document(Document):
    """The sheet's document: its DRAFT mark goes over the page (``_Pages.footer``), not under.

    The plan's white boxes and tinted bands would hide most of a mark drawn under them.
    """

    def handle_pageBegin(self) -> None:  # noqa: N802 (reportlab's name)
        """Begin a page, without the watermark beneath."""
        BaseDocTemplate.handle_pageBegin(self)


def _meta(data: StageSheetData) -> Meta:
    """Return what the PDF says of itself: title, author, subject, language, draft."""
    occasion, words = data.occasion, data.wording
    gathering = join(occasion.title_en, occasion.title_zh, separator=" ")
    hosts = join(*(host.name_en or host.name_zh for host in occasion.hosts), separator=", ")
    subject = join(words.both(SHEET), words.both(N_("Plan as of")) + " " + clean(data.as_of))
    return Meta(
        title=f"Stage sheet: {gathering}" if gathering else "Stage sheet",
        author=hosts or gathering,
        subject=subject,
        lang=words.language,
        draft=data.draft,
        draft_zh=words.zh(DRAFT),
    )


def write_stage_sheet(data: StageSheetData, out: BinaryIO) -> int:
    """Write the stage manager's sheet as an A4 PDF to out; return the number of pages."""
    script = script_of(data.wording.language)
    book = FontBook.covering(_texts(data), script)
    setter = Setter(book, script)
    meta = _meta(data)
    pages = _Pages(setter, data, meta)
    height_first = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    height_later = PAGE_HEIGHT - MARGIN_TOP_LATER - MARGIN_BOTTOM
    sheet = Sheet(setter, data.wording, GUTTER, TEXT_WIDTH - GUTTER, height_later)
    doc = _Document(out, book, meta, pagesize=A4)
    frames = [
        Frame(MARGIN_X, MARGIN_BOTTOM, TEXT_WIDTH, height, 0, 0, 0, 0, id=name)
        for name, height in (("first", height_first), ("later", height_later))
    ]
    doc.addPageTemplates(
        [
            PageTemplate("first", [frames[0]], onPage=pages.first, autoNextPageTemplate="later"),
            PageTemplate("later", [frames[1]], onPage=pages.later),
        ]
    )

    class SheetCanvas(NumberedCanvas):
        on_page_end = staticmethod(pages.footer)

    doc.build(story(sheet, data), canvasmaker=SheetCanvas)
    return doc.page


def render_stage_sheet(data: StageSheetData) -> bytes:
    """Return the stage manager's sheet as an A4 PDF."""
    buffer = io.BytesIO()
    write_stage_sheet(data, buffer)
    return buffer.getvalue()
