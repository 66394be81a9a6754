"""QR badges: one lanyard card as a PDF, or all of them on A4 sheets with crop marks.

The card is 90 x 130 mm (portrait; it fits A6 badge holders): a navy header with the event
title in Chinese and English, the date and the venue; the guest's names (Chinese and English),
job title and organisation; the QR code of the badge token (a sharp 1-bit image mask, one
sample a module); and a band in
the colour of the guest's category naming it in English and Chinese (the Chinese from the
badge's ``Wording``). Every text is at least 7 pt. Names shrink, then wrap onto two lines
(and only past that are cut with an ellipsis): they never leave their box; the title and the
date and venue line wrap. Text is drawn through ``printing.typefaces``: each character in a
face that has it (the badge's ``script`` picks SC or HK glyph forms for Chinese).

Drawn with reportlab's canvas (``printing.badge_card``). ``write_badge_sheets`` puts four
cards on each A4 sheet (2 x 2, each with a 2 mm bleed, crop marks in the margins and the
gutters) in one PDF; it reads the batch's texts first so that one font book serves the whole
batch (the badges are held as a list meanwhile: small data). The parts badges share are
forms, the QR codes compact literals, and each page's content is compressed as soon as the
page is done (``printing.badge_canvas.CompactCanvas``): 10,000 badges peak near 125 MB.
A single badge is drawn by the same code on a page the size of the card.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO

from printing.badge_canvas import CompactCanvas, crop_marks, sheet_origins
from printing.badge_card import CARD_HEIGHT, CARD_WIDTH, NAME_AREA_HEIGHT, PADDING, Card, NameLayout
from printing.badge_data import CATEGORIES, BadgeData, Category, category_style, hex_colour
from printing.typefaces import HANT, FontBook

SHEET_WIDTH, SHEET_HEIGHT = 595.2755905511812, 841.8897637795277  # A4
BLEED = 2 * 72 / 25.4
BADGES_PER_SHEET = 4
MARK_GREY = hex_colour("#8A8F98")
SLUG = ("Sheet · badges -", HANT)  # the characters of each sheet's slug, digits aside
__all__ = [
    "CARD_HEIGHT",
    "CARD_WIDTH",
    "CATEGORIES",
    "NAME_AREA_HEIGHT",
    "PADDING",
    "BadgeData",
    "Category",
    "NameLayout",
    "category_style",
]


def badge_texts(badge: BadgeData) -> list[tuple[str, str]]:
    """Return every text a badge prints, with its script (for the font book)."""
    style = category_style(badge.category)
    texts = (
        badge.full_name,
        badge.name_zh,
        badge.organisation,
        badge.job_title,
        badge.event_title_en,
        badge.event_title_zh,
        f"{badge.event_date} · {badge.venue}…",
        style.english + style.chinese(badge.wording),
    )
    return [(text, badge.script) for text in texts]


def layout_names(badge: BadgeData, book: FontBook | None = None) -> NameLayout:
    """Fit the names, job title and organisation into the width of the card."""
    return Card(None, book or FontBook(badge_texts(badge))).layout(badge)


def _canvas(out: BinaryIO, size: tuple[float, float], meta: dict[str, str], book: FontBook) -> Any:
    """Return a canvas writing to out whose PDF says what meta says, in the book's font."""
    canvas = CompactCanvas(
        out,
        pagesize=size,
        invariant=1,
        pageCompression=1,
        initialFontName=book.base,
        lang=meta["lang"] or None,
    )
    canvas.setTitle(meta["title"])
    canvas.setSubject(meta["subject"])
    canvas.setAuthor(meta["author"])
    canvas.setCreator("launch-events")
    return canvas


def render_badge(badge: BadgeData) -> bytes:
    """Return one badge as a PDF whose page is the card (90 x 130 mm)."""
    buffer = io.BytesIO()
    meta = _meta(f"Badge: {badge.full_name}", [badge])
    book = FontBook(badge_texts(badge))
    canvas = _canvas(buffer, (CARD_WIDTH, CARD_HEIGHT), meta, book)
    Card(canvas, book).draw(badge, category_style(badge.category), 0)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _meta(title: str, badges: list[BadgeData]) -> dict[str, str]:
    """Return the PDF's title, subject, author and language (one shared, else none)."""
    events = {badge.event_title_en for badge in badges}
    languages = {badge.wording.language for badge in badges}
    event = events.pop() if len(events) == 1 else ""
    return {
        "title": f"{title} — {event}" if event else title,
        "subject": event or "Badges",
        "author": event or "launch-events",
        "lang": languages.pop() if len(languages) == 1 else "",
    }


def card_origins() -> list[tuple[float, float]]:
    """Return the lower left trim corners of the cards of a sheet, in printing order."""
    return sheet_origins((SHEET_WIDTH, SHEET_HEIGHT), (CARD_WIDTH, CARD_HEIGHT))


def write_badge_sheets(
    badges: Iterable[BadgeData],
    out: BinaryIO,
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write all badges, in order, as one PDF of A4 sheets of four; return how many.

    progress, if given, is called with the number of badges drawn after each sheet. The
    PDF names the Chinese its badges are in when they share one.
    """
    batch = list(badges)
    texts = dict.fromkeys(text for badge in batch for text in badge_texts(badge))
    book = FontBook([SLUG, *texts])
    canvas = _canvas(out, (SHEET_WIDTH, SHEET_HEIGHT), _meta("Badges", batch), book)
    card, origins = Card(canvas, book), card_origins()
    styles: dict[str, Category] = {}
    for start in range(0, len(batch), BADGES_PER_SHEET):
        sheet = batch[start : start + BADGES_PER_SHEET]
        for badge, (x, y) in zip(sheet, origins, strict=False):
            style = styles.setdefault(badge.category, category_style(badge.category))
            canvas.saveState()
            canvas.translate(x, y)
            card.draw(badge, style, BLEED)
            canvas.restoreState()
        crop_marks(canvas, origins[: len(sheet)], (CARD_WIDTH, CARD_HEIGHT))
        slug = f"Sheet {start // BADGES_PER_SHEET + 1} · badges {start + 1}-{start + len(sheet)}"
        canvas.setFillColorRGB(*MARK_GREY)
        book.draw(canvas, origins[0][0], 5 * 72 / 25.4, slug, 7)
        canvas.showPage()
        if progress is not None:
            progress(start + len(sheet))
    if not batch:
        canvas.showPage()
    canvas.save()
    return len(batch)
