"""The printed programme: cover, running order, ceremonies, exhibitors, booth map (platypus).

A5 portrait by default: it is handed to guests and held in one hand, and a print shop
imposes A5 pages two to an A4 (or SRA4) sheet and saddle-stitches them, so the page count is
made a multiple of four with ruled "Notes" pages. Margins are mirrored (wider at the spine:
a right-hand and a left-hand page template) and the folios sit at the outer corners.
``page_size="A4"`` gives the same document on A4 (type a fifth larger, no padding), for a
desk copy or a PDF sent by e-mail.

Pages: a cover (titles in Chinese and English, date, venue, hosts); the running order
(times, titles, speakers and places); the ceremonies with their items, parties, signatories,
recipients and presenters; the exhibitor directory by sector, with booth codes; the booth
map, one labelled group of numbered boxes per zone, coloured by sector, with the firm in
each booth and a legend. Every page says which version of the plan it shows (``as_of``) and,
after the cover, "page x of y"; each section has a bookmark. A draft plan (``draft``) is
watermarked DRAFT on every page.

The pieces each make one part: `programme_page` (geometry, type, sectors, headings),
`programme_cover`, `programme_running_order` (agenda and ceremonies), `programme_directory`
and `programme_map`; this module puts them together, with the running heads and footers.
"""

from __future__ import annotations

import io
import string
from typing import Any, BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Frame, PageBreak, PageTemplate

from printing.documents import ProgrammeData, strings_of
from printing.flow import DRAFT, Document, Meta, NumberedCanvas, draw_draft
from printing.programme_cover import ProgrammeCover
from printing.programme_directory import DirectoryBlocks
from printing.programme_map import BoothMap, booth_span
from printing.programme_palette import HAIR, HAIRLINE, NAVY, SECTORS, clean, join, natural_key
from printing.programme_running_order import PEOPLE_LABELS, RunningOrderBlocks
from printing.typefaces import FontBook, script_of
from printing.wording import N_, NC_

__all__ = ["SECTORS", "booth_span", "natural_key", "render_programme", "write_programme"]

NOTES = NC_("programme's ruled page", "Notes")
MESSAGES = (
    N_("Programme"),
    N_("Running order"),
    N_("Ceremonies"),
    N_("Exhibitors"),
    N_("Booth map"),
    N_("Hosted by"),
    N_("As of"),
    N_("Page {page} of {total}"),
    N_("Available"),
    N_("Other"),
    N_("Parties"),
    N_("People"),
    N_("Presented by"),
    N_("{count} firm"),
    N_("{count} firms"),
    N_("{firms} firms in {sectors} sectors"),
    N_("{firms} firms in {sectors} sectors · booths on the map, page {page}"),
    NOTES,
    *PEOPLE_LABELS.values(),
    *(sector.name_en for sector in SECTORS.values()),
)
ALWAYS = string.ascii_letters + string.digits + string.punctuation + "·–—…×【】“”‘’"


class _Programme(ProgrammeCover, RunningOrderBlocks, DirectoryBlocks, BoothMap):
    """Makes one programme: its story, page templates, running heads, footers, notes pages."""

    total = 0  # pages, once built
    pdf_meta: Meta | None = None

    def story(self) -> list[Flowable]:
        """Return the flowables of the whole programme, each section from a new page."""
        story: list[Flowable] = [self.cover()]
        for part in (self.running_order(), self.directory(), self.booth_map()):
            if part:
                story += [PageBreak(), *part]
        return story

    def templates(self) -> list[PageTemplate]:
        """Return the cover's page template and the text pages' (right and left in A5)."""
        size = (self.width, self.height)
        cover = Frame(0, 0, *size, 0, 0, 0, 0, id="cover")
        following = "left" if self.booklet else "page"
        pages = [PageTemplate("cover", [cover], pagesize=size, autoNextPageTemplate=following)]
        if self.booklet:
            for name, left, after in (("right", self.inner, "left"), ("left", self.outer, "right")):
                frame = self._frame(left, name)
                pages.append(PageTemplate(name, [frame], pagesize=size, autoNextPageTemplate=after))
        else:
            pages.append(PageTemplate("page", [self._frame(self.inner, "page")], pagesize=size))
        return pages

    def _frame(self, left: float, name: str) -> Frame:
        return Frame(left, self.bottom, self.text_width, self.frame_height, 0, 0, 0, 0, id=name)

    def _left(self, page: int) -> float:
        """Return the left margin of a page: odd pages are right-hand pages (spine left)."""
        return self.inner if not self.booklet or page % 2 else self.outer

    def section_of(self, page: int) -> str:
        """Return the section a page belongs to: the last begun before it, or at its top."""
        found = ""
        for at, key, opens_page in self.marks:
            if at < page or (at == page and opens_page):
                found = key
        return found

    def finish_page(self, canvas: Any, page: int, total: int) -> None:
        """Draw a page's running head (not on the cover), the version shown and its folio."""
        if page == 1 and self.pdf_meta is not None and self.pdf_meta.draft:
            draw_draft(canvas, self.book, self.pdf_meta)  # over the cover's panel, not under it
        left, outer_right = self._left(page), not self.booklet or page % 2 == 1
        if page > 1:
            y = self.height - mm * 11 * self.scale
            head = self.foot.but(char_space=0.6 * self.scale)
            section = self.section_of(page)
            first, second = (
                self.labelled(N_("Programme")),
                self.labelled(section) if section else "",
            )
            if not outer_right:
                first, second = second, first
            self.draw(canvas, left, y, first, head)
            self.draw(canvas, left + self.text_width, y, second, head, right=True)
            canvas.setStrokeColorRGB(*HAIRLINE)
            canvas.setLineWidth(HAIR)
            canvas.line(left, y - mm * 2, left + self.text_width, y - mm * 2)
        y = mm * 9 * self.scale
        folio = self.words.both(N_("Page {page} of {total}"), page=page, total=total)
        folio_width = self.text_width_of(folio, self.folio) if page > 1 else 0.0
        room = self.text_width - folio_width - mm * 6
        as_of, kind = self.fitted(
            self.words.both(N_("As of")) + "  " + clean(self.data.as_of), self.foot, room, 7
        )
        if outer_right:
            self.draw(canvas, left, y, as_of, kind)
            if page > 1:
                self.draw(canvas, left + self.text_width, y, folio, self.folio, right=True)
        else:
            self.draw(canvas, left, y, folio, self.folio)
            self.draw(canvas, left + self.text_width, y, as_of, kind, right=True)

    def notes_page(self, canvas: Any, page: int) -> None:
        """Draw a ruled page for notes (booklet padding)."""
        left, top = self._left(page), self.height - self.top
        kind = self.title_en.but(colour=NAVY)
        self.draw(canvas, left, top - kind.size, self.words.both(NOTES), kind)
        canvas.setStrokeColorRGB(*HAIRLINE)
        canvas.setLineWidth(HAIR)
        y = top - mm * 14
        while y > self.bottom + mm * 2:
            canvas.line(left, y, left + self.text_width, y)
            y -= mm * 8


def _canvas_for(programme: _Programme, meta: Meta) -> type[NumberedCanvas]:
    """Return a canvas class that pads a booklet to whole sheets and finishes every page."""

    class ProgrammeCanvas(NumberedCanvas):
        on_page_end = staticmethod(programme.finish_page)

        def save(self) -> None:
            """Add ruled notes pages up to a multiple of four (A5), then finish the pages."""
            while programme.booklet and len(self._kept) % 4:
                if meta.draft:
                    draw_draft(self, programme.book, meta)
                programme.notes_page(self, len(self._kept) + 1)
                self.showPage()
            programme.total = len(self._kept)
            super().save()

    return ProgrammeCanvas


def font_book(data: ProgrammeData) -> FontBook:
    """Return the fonts of a programme: its texts, their capitals and its labels."""
    words = data.wording
    texts = [clean(text) for text in strings_of(data)]
    texts += [words.zh(key) for key in MESSAGES] + [words.en(key) for key in MESSAGES]
    texts += [text.upper() for text in texts] + [ALWAYS]
    if getattr(data, "draft", False):
        texts.append(words.en(DRAFT) + words.zh(DRAFT))  # the watermark's words
    return FontBook.covering(sorted(set(texts)), script_of(words.language))


def meta_of(data: ProgrammeData) -> Meta:
    """Return the programme's metadata: title, hosts as author, subject, language, draft."""
    occasion, words = data.occasion, data.wording
    title = f"{words.en(N_('Programme'))} — {clean(occasion.title_en)}"
    if clean(occasion.title_zh):
        title += f" · {words.zh(N_('Programme'))} — {clean(occasion.title_zh)}"
    hosts = [join(host.name_en, host.name_zh, separator=" ") for host in occasion.hosts]
    sections = (N_("Running order"), N_("Ceremonies"), N_("Exhibitors"), N_("Booth map"))
    subject = join(*(words.both(key, separator=" ") for key in sections))
    subject = join(subject, occasion.date_en, occasion.venue_en, separator=" — ")
    return Meta(
        title=title,
        author="; ".join(hosts) or clean(occasion.title_en),
        subject=subject,
        lang=words.language,
        draft=bool(getattr(data, "draft", False)),
        draft_zh=words.zh(DRAFT),
    )


def _build(data: ProgrammeData, out: Any, book: FontBook, page_size: str, **how: Any) -> _Programme:
    """Build the programme once into out; return what made it (its marks and pages)."""
    programme = _Programme(book, data, page_size)
    programme.map_page = how.get("map_page")
    meta = programme.pdf_meta = meta_of(data)
    document = Document(
        out,
        book,
        meta,
        pagesize=(programme.width, programme.height),
        pageTemplates=programme.templates(),
    )
    document.build(programme.story(), canvasmaker=_canvas_for(programme, meta))
    return programme


def write_programme(data: ProgrammeData, out: BinaryIO, *, page_size: str = "A5") -> int:
    """Write the programme as a PDF to out; return the number of pages."""
    book = font_book(data)
    map_page = None
    if data.exhibitors and data.slots:
        # The directory names the map's page, known once laid out (a placeholder of 2 digits).
        trial = _build(data, io.BytesIO(), book, page_size, map_page=99)
        map_page = next((page for page, key, _ in trial.marks if key == N_("Booth map")), None)
    return _build(data, out, book, page_size, map_page=map_page).total


def render_programme(data: ProgrammeData, *, page_size: str = "A5") -> bytes:
    """Return the programme as PDF bytes (A5 booklet pages, or A4)."""
    buffer = io.BytesIO()
    write_programme(data, buffer, page_size=page_size)
    return buffer.getvalue()
