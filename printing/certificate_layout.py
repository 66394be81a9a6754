"""The page of one certificate as one flowable: its parts stacked, shrunk together to fit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from printing.certificate_parts import Centred, Signatures, authority_lines, presenter_lines
from printing.documents import CertificateData
from printing.flow import Meta, draw_draft
from printing.formal import (
    GOLD,
    INK,
    INK_MUTED,
    INK_SOFT,
    NAVY,
    Label,
    clean,
    draft_word,
    join,
    label,
)
from printing.formal import paragraphs as split_paragraphs
from printing.typefaces import FontBook
from printing.wording import N_

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
INNER = 16.6 * mm  # the inner rules
CONTENT_X = 34 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * CONTENT_X
CONTENT_TOP = PAGE_HEIGHT - 29 * mm
FOOT_Y = 24 * mm
CONTENT_BOTTOM = FOOT_Y + 8 * mm
COLON = "\uff1a"
"""The full-width colon between a bilingual label ("Presented by  頒授嘉賓") and names."""
CITATION_SIZE, CITATION_LEAST = 11.0, 7.5


class Ornament(Flowable):
    """A short gold rule with a diamond in its middle."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Take the width and 6 mm."""
        self.width, self.height = available_width, 6 * mm
        return self.width, self.height

    def draw(self) -> None:
        """Draw the rule and the diamond."""
        cx, y, canvas = self.width / 2, 3 * mm, self.canv
        canvas.setStrokeColor(GOLD)
        canvas.setLineWidth(0.6)
        canvas.line(cx - 22 * mm, y, cx - 3 * mm, y)
        canvas.line(cx + 3 * mm, y, cx + 22 * mm, y)
        canvas.setFillColor(GOLD)
        r = 1.3 * mm
        path = canvas.beginPath()
        path.moveTo(cx, y + r)
        for x, dy in ((cx + r, y), (cx, y - r), (cx - r, y)):
            path.lineTo(x, dy)
        path.close()
        canvas.drawPath(path, stroke=0, fill=1)


class Layout(Flowable):
    """One certificate, filling the frame; ``tell``, if set, is called once it is drawn."""

    def __init__(self, book: FontBook, data: CertificateData, script: str) -> None:
        """Keep what the certificate needs; ``tell`` and ``bookmark`` may be set after."""
        super().__init__()
        self.book, self.data, self.script = book, data, script
        self.tell: Callable[[], None] | None = None
        self.bookmark: Flowable | None = None
        self.centred = Centred(book, script, CONTENT_WIDTH)
        self.citing = Centred(book, script, CONTENT_WIDTH * 0.86)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Take the whole frame (so that the next certificate goes to the next page)."""
        self.width, self.height = available_width, CONTENT_TOP - CONTENT_BOTTOM - 0.01
        return self.width, self.height

    def _main(self) -> tuple[str, str, str]:
        """Return the recipient's Chinese and English headline, and who received it."""
        recipient = self.data.recipient
        if clean(recipient.organisation + recipient.organisation_zh):
            name = join(recipient.name_en, recipient.name_zh, separator=" ")
            received = join(name, recipient.title, separator=", ")
            return recipient.organisation_zh, recipient.organisation, received
        return recipient.name_zh, recipient.name_en, ""

    def _tops(self, scale: float) -> list[Any]:
        data, words, fit = self.data, self.data.wording, self.centred.fit
        main_zh, main_en, received = self._main()
        certify = words.both(N_("This is to certify that"), "   ")
        received_by = words.both(N_("Received by")) + COLON + received if received else ""
        label_ = Label(
            self.book,
            label(words, N_("Certificate")),
            8,
            GOLD,
            bold=True,
            tracking=1.2,
            align=TA_CENTER,
            script=self.script,
            leading=11,
        )
        return [
            label_,
            Spacer(1, 4 * mm * scale),
            *fit(data.title_zh, 26 * scale, NAVY, bold=True, least=14, leading=34 / 26),
            *fit(data.title_en, 13 * scale, INK_SOFT, least=8, leading=18 / 13),
            Spacer(1, 2 * mm * scale),
            Ornament(),
            Spacer(1, 3 * mm * scale),
            Label(
                self.book,
                certify,
                9,
                INK_MUTED,
                tracking=0.4,
                align=TA_CENTER,
                script=self.script,
                leading=13,
            ),
            Spacer(1, 2 * mm * scale),
            *fit(main_zh, 22 * scale, INK, bold=True, least=12, leading=30 / 22),
            *fit(main_en, 14.5 * scale, NAVY, bold=True, least=8, leading=20 / 14.5),
            *fit(received_by, 9 * scale, INK_SOFT, least=7, leading=13 / 9),
            Spacer(1, 4 * mm * scale),
        ]

    def _signatures(self, scale: float) -> list[Any]:
        data = self.data
        if data.authorities:
            columns = [(authority_lines(a, scale), a.seal) for a in data.authorities]
            seal = label(data.wording, N_("Seal"))
            return [Signatures(self.centred, columns, scale, seal)]
        if not data.presenters:
            return []
        if len(data.presenters) > 8:
            names = ", ".join(
                join(p.name_en, p.name_zh, separator=" ")
                or join(p.organisation, p.organisation_zh, separator=" ")
                for p in data.presenters
            )
            said = data.wording.both(N_("Presented by")) + COLON + names
            return self.centred.fit(said, 8 * scale, INK_SOFT, least=7, lines=4, leading=1.4)
        columns = [(presenter_lines(p, scale), False) for p in data.presenters]
        return [Signatures(self.centred, columns, scale)]

    def _bottoms(self, scale: float) -> list[Any]:
        data, fit = self.data, self.centred.fit
        return [
            *fit(data.occasion_zh, 7.5, INK_MUTED, least=7, lines=1, leading=1.4),
            *fit(data.occasion_en, 7.5, INK_MUTED, least=7, lines=1, leading=1.4),
            Spacer(1, 3 * mm),
            *self._signatures(scale),
            Spacer(1, 5 * mm),
        ]

    def _layout(self) -> tuple[list[Any], list[Any], float]:
        """Return the parts from the top, those above the foot, and the room between them."""
        scale = 1.0
        needed = 2 * CITATION_LEAST * 1.5 + 2.5 * mm if self.data.citation else 0.0
        while True:
            tops, bottoms = self._tops(scale), self._bottoms(scale)
            room = self.height - self.centred.height(tops) - self.centred.height(bottoms)
            if room >= needed or scale < 0.5:
                return tops, bottoms, room
            scale *= 0.9

    def draw(self) -> None:
        """Draw DRAFT if a draft, then the parts, the citation in the room left, the foot."""
        if self.bookmark is not None:
            self.bookmark.drawOn(self.canv, 0, self.height)
        if self.data.draft:
            self.canv.saveState()
            self.canv.translate(-CONTENT_X, -CONTENT_BOTTOM)
            meta = Meta("", "", "", draft=True, draft_zh=draft_word(self.data.wording))
            draw_draft(self.canv, self.book, meta)
            self.canv.restoreState()
        tops, bottoms, room = self._layout()
        texts = [p for text in self.data.citation for p in split_paragraphs(text)]
        room = max(0.0, room - 2.5 * mm)  # a little air above the occasion
        citation = self.citing.cut(texts, CITATION_SIZE, CITATION_LEAST, room, INK_SOFT)
        y = self.height
        for flowable in tops:
            y = self._place(flowable, y)
        y -= max(0.0, room - self.citing.height(citation)) / 2  # centred in its room
        for flowable in citation:
            y = self._place(flowable, y, self.citing.width)
        y = self.centred.height(bottoms)
        for flowable in bottoms:
            y = self._place(flowable, y)
        self._foot()
        if self.tell is not None:
            self.tell()

    def _place(self, flowable: Any, top: float, width: float = CONTENT_WIDTH) -> float:
        """Draw a flowable centred in the width below top; return its bottom."""
        _, height = flowable.wrap(width, 10_000)
        flowable.drawOn(self.canv, (CONTENT_WIDTH - width) / 2, top - height)
        return top - height

    def _foot(self) -> None:
        """Draw the foot: the date at the left, the number at the right."""
        data, book, canvas = self.data, self.book, self.canv
        y, left = FOOT_Y - CONTENT_BOTTOM, -8 * mm
        right = CONTENT_WIDTH + 8 * mm
        reference = clean(data.reference)
        no_label, date_label = label(data.wording, N_("No.")), label(data.wording, N_("Date"))
        how = {"script": self.script}
        canvas.setFillColor(INK)
        reference_width = book.width(reference, 8.5, self.script, True)
        book.draw(canvas, right - reference_width, y, reference, 8.5, bold=True, **how)
        canvas.setFillColor(INK_MUTED)
        no_width = book.width(no_label, 7.5, self.script) + 0.6 * max(0, len(no_label) - 1)
        x = right - reference_width - 2.5 * mm - no_width
        book.draw(canvas, x, y, no_label, 7.5, char_space=0.6, **how)
        date = join(data.date_en, data.date_zh, separator="   ")
        if date:
            drawn = book.draw(canvas, left, y, date_label, 7.5, char_space=0.6, **how)
            room = x - 10 * mm - (left + drawn + 2.5 * mm)
            size = 8.5
            while size > 7 and book.width(date, size, self.script, True) > room:
                size -= 0.25
            while len(date) > 1 and book.width(date, size, self.script, True) > room:
                date = date[:-2].rstrip() + "…"
            canvas.setFillColor(INK)
            book.draw(canvas, left + drawn + 2.5 * mm, y, date, size, bold=True, **how)
