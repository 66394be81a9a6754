"""What every platypus document shares: paragraphs in the font book, metadata, page numbers, DRAFT.

- ``paragraph(book, text, style)`` makes a ``printing.linebreak.Text`` whose markup puts
  each run of the text in the face the fallback chain chose (``printing.typefaces``);
- ``Document`` is a ``BaseDocTemplate`` whose PDFs carry title, author, subject and
  ``/Lang``, start in the book's own font (no unembedded Helvetica), are byte-identical for
  the same input (reportlab's ``invariant``), and, when ``draft`` is set, carry a DRAFT
  watermark in English and Chinese on every page;
- ``NumberedCanvas`` knows the page count when each page is finished, for "page x of y"
  footers without a second build.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable

from printing.linebreak import Text
from printing.typefaces import HANT, FontBook
from printing.wording import N_

DRAFT_COLOUR = Color(0.78, 0.16, 0.12, alpha=0.16)
DRAFT = N_("DRAFT")
"""The watermark's message: printed in English and in the wording's Chinese."""


@dataclass(frozen=True)
class Meta:
    """What a PDF says of itself: title, author, subject, language, whether it is a draft."""

    title: str
    author: str
    subject: str
    lang: str = "en"  # BCP 47, e.g. "en", "zh-Hant-HK", "zh-Hans-CN"
    draft: bool = False
    draft_zh: str = ""  # the Chinese of N_("DRAFT") in the document's wording


def style(book: FontBook, name: str, size: float, **options: Any) -> ParagraphStyle:
    """Return a paragraph style in the book's Latin font, with CJK-aware wrapping."""
    options.setdefault("leading", round(size * 1.4, 2))
    bold = options.pop("bold", False)
    return ParagraphStyle(
        name, fontName=book.font(bold=bold), fontSize=size, wordWrap="CJK", **options
    )


def paragraph(book: FontBook, text: str, paragraph_style: ParagraphStyle, **how: Any) -> Text:
    """Return text as a paragraph, each run in its face (``script``, ``bold`` in how)."""
    script, bold = how.get("script", HANT), how.get("bold", False)
    return Text(book.markup(text, script, bold), paragraph_style)


def draw_draft(canvas: Canvas, book: FontBook, meta: Meta) -> None:
    """Draw the DRAFT watermark across the page, in English and Chinese."""
    width, height = canvas._pagesize
    size = min(width, height) / 7
    canvas.saveState()
    canvas.setFillColor(DRAFT_COLOUR)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(35)
    for line, text in enumerate(t for t in ("DRAFT", meta.draft_zh) if t):
        drawn = book.width(text, size, bold=True)
        book.draw(canvas, -drawn / 2, -line * size * 1.15, text, size, bold=True)
    canvas.restoreState()


class NumberedCanvas(Canvas):
    """A canvas that keeps its pages until saved, so each can be told the page count."""

    on_page_end: Callable[[Canvas, int, int], None] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kept: list[dict[str, Any]] = []
        self._deferred: list[Callable[[Canvas], None]] = []

    def defer(self, action: Callable[[Canvas], None]) -> None:
        """Do action on this page when it is written (a bookmark needs the page's reference)."""
        self._deferred.append(action)

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        """Keep the page instead of writing it."""
        self._kept.append(dict(self.__dict__))
        self._deferred = []
        self._startPage()

    def save(self) -> None:
        """Finish every kept page, now that their number is known, and write the PDF."""
        total = len(self._kept)
        for number, state in enumerate(self._kept, start=1):
            self.__dict__.update(state)
            for action in self._deferred:
                action(self)
            if self.on_page_end is not None:
                self.on_page_end(self, number, total)
            super().showPage()
        super().save()


def numbered(footer: Callable[[Canvas, int, int], None]) -> type[NumberedCanvas]:
    """Return a NumberedCanvas class that calls footer(canvas, page, total) on each page."""
    return type("Numbered", (NumberedCanvas,), {"on_page_end": staticmethod(footer)})


class Document(BaseDocTemplate):
    """A BaseDocTemplate with metadata, the book's initial font and an optional DRAFT mark."""

    def __init__(self, out: Any, book: FontBook, meta: Meta, **options: Any) -> None:
        """Start a document written to out (a path or a binary file)."""
        self.book, self.meta = book, meta
        super().__init__(
            out,
            title=meta.title,
            author=meta.author,
            subject=meta.subject,
            creator="launch-events",
            lang=meta.lang,
            invariant=1,
            initialFontName=book.base,
            **options,
        )

    def handle_pageBegin(self) -> None:  # noqa: N802 (reportlab's name)
        """Begin a page and, on a draft, draw the watermark under its content."""
        super().handle_pageBegin()
        if self.meta.draft:
            draw_draft(self.canv, self.book, self.meta)


class Bookmark(Flowable):
    """An invisible flowable that adds an outline entry (a PDF bookmark) where it lands."""

    def __init__(self, title: str, level: int = 0) -> None:
        super().__init__()
        self.title, self.level = title, level
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Take no room."""
        return 0, 0

    def draw(self) -> None:
        """Add the bookmark at this position of the page."""
        sequence = getattr(self.canv, "_bookmark_sequence", 0) + 1
        self.canv._bookmark_sequence = sequence
        key = f"section-{sequence}"
        left, top = self.canv.absolutePosition(0, 0)

        def bind(canvas: Canvas) -> None:
            canvas.bookmarkHorizontalAbsolute(key, top, left=left)
            canvas.addOutlineEntry(self.title, key, level=self.level, closed=False)

        defer = getattr(self.canv, "defer", None)
        if defer is not None:
            defer(bind)  # a NumberedCanvas writes its pages later: bind to the right one then
        else:
            bind(self.canv)
