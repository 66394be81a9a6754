"""The printed programme: cover, running order, ceremonies, exhibitors, booth map.

A5 portrait by default: it is handed to guests and held in one hand, and a print shop
imposes A5 pages two to an A4 (or SRA4) sheet and saddle-stitches them, so the page count is
made a multiple of four with ruled "Notes" pages. Margins are mirrored (wider at the spine)
and the page numbers sit at the outer corners. ``page_size="A4"`` gives the same document on
A4 (type a fifth larger, no padding), for a desk copy or a PDF sent by e-mail.

Pages: a cover (titles in Chinese and English, date, venue, hosts); the running order
(times, titles, speakers and places); the ceremonies with their items, parties, signatories,
recipients and presenters; the exhibitor directory by sector, with booth codes; the booth
map, one labelled group of numbered boxes per zone, coloured by sector, with the firm in
each booth and a legend. Every page says which version of the plan it shows (``as_of``).

The pieces each render one part: `programme_page` (page geometry, type, running heads,
folios, sectors), `programme_cover`, `programme_running_order` (agenda and ceremonies),
`programme_directory` and `programme_map`; this module puts them together in order.
"""

from __future__ import annotations

import io
from typing import BinaryIO

from printing.documents import ProgrammeData
from printing.layout import Flow, Typesetter, new_writer
from printing.pdf import Content
from printing.programme_cover import ProgrammeCover
from printing.programme_directory import DirectoryBlocks
from printing.programme_map import BoothMap, booth_span
from printing.programme_page import SECTORS, natural_key
from printing.programme_running_order import RunningOrderBlocks
from printing.textfit import clean_text

__all__ = [
    "SECTORS",
    "booth_span",
    "layout_programme",
    "natural_key",
    "render_programme",
    "write_programme",
]


class _Programme(ProgrammeCover, RunningOrderBlocks, DirectoryBlocks, BoothMap):
    """Lays out one programme; the styles scale with the page size."""

    def layout(self) -> list[Content]:
        """Lay out the whole programme; return its pages, footers drawn."""
        flow = Flow(self.frame, self.start_page)
        self.cover(flow.content)
        self.place_running_order(flow)
        self.place_directory(flow)
        self.place_booth_map(flow)
        pages = flow.pages
        if self.booklet:
            while len(pages) % 4:
                content = Content()
                self.notes_page(content, len(pages) + 1)
                pages.append(content)
        for page, content in enumerate(pages, start=1):
            self.footer(content, page)
        return pages


def layout_programme(
    ts: Typesetter, data: ProgrammeData, page_size: str = "A5"
) -> tuple[list[Content], tuple[float, float]]:
    """Lay out a programme; return its pages and their size in points."""
    programme = _Programme(ts, data, page_size, None)
    pages = programme.layout()
    if data.exhibitors and programme.found_map_page is not None:
        # The directory names the page of the map, known once the map is placed.
        programme = _Programme(ts, data, page_size, programme.found_map_page)
        pages = programme.layout()
    return pages, (programme.width, programme.height)


def write_programme(data: ProgrammeData, out: BinaryIO, *, page_size: str = "A5") -> int:
    """Write the programme as a PDF to out; return the number of pages."""
    title = f"Programme: {clean_text(data.occasion.title_en)}"
    writer, ts = new_writer(out, title, data.wording.language)
    pages, (width, height) = layout_programme(ts, data, page_size)
    for content in pages:
        writer.add_page(width, height, content)
    writer.close()
    return len(pages)


def render_programme(data: ProgrammeData, *, page_size: str = "A5") -> bytes:
    """Return the programme as PDF bytes (A5 booklet pages, or A4)."""
    buffer = io.BytesIO()
    write_programme(data, buffer, page_size=page_size)
    return buffer.getvalue()
