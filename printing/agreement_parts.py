"""The flowables of an agreement: heading, sections, numbered clauses, signature rows.

A clause whose text starts with its own number (``printing.clause_numbers``) keeps it and is
given no second one.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, KeepTogether, Spacer, Table, TableStyle

from printing.clause_numbers import own_number
from printing.documents import AgreementData, Person
from printing.formal import (
    GOLD,
    HAIR,
    HAIRLINE,
    INK,
    INK_MUTED,
    INK_SOFT,
    NAVY,
    Label,
    TopLine,
    clean,
    curly,
    join,
    label,
    paragraphs,
    text,
    text_style,
    title,
)
from printing.linebreak import Text
from printing.typefaces import FontBook
from printing.wording import N_, Wording

PAGE_WIDTH = 210 * mm
MARGIN_X = 25 * mm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
NUMBER_WIDTH = 9 * mm  # the hanging clause numbers
COLUMN_GAP = 14 * mm
SIGNATURE_WIDTH = (TEXT_WIDTH - COLUMN_GAP) / 2
SIGNING_SPACE = 17 * mm
SMALL = 7.0  # the small labels (print: at least 7 pt)


class DateLine(Flowable):
    """The date line: its label ("DATE  日期") and a rule to write the date on."""

    def __init__(self, book: FontBook, value: str, script: str) -> None:
        super().__init__()
        self.book, self.value, self.script = book, value, script

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Take the width and one small line."""
        self.width, self.height = available_width, SMALL * 1.4
        return self.width, self.height

    def draw(self) -> None:
        """Draw the label and the rule after it."""
        self.canv.setFillColor(INK_MUTED)
        drawn = self.book.draw(
            self.canv, 0, 2, self.value, SMALL, script=self.script, char_space=0.4
        )
        self.canv.setStrokeColor(INK)
        self.canv.setLineWidth(0.4)
        self.canv.line(drawn + 2 * mm, 1, self.width * 0.62, 1)


class Parts:
    """Makes the flowables of agreements in one font book, labels in one wording."""

    def __init__(self, book: FontBook, wording: Wording, script: str) -> None:
        """Keep the book, the wording and the reader's script; make the styles."""
        self.book, self.words, self.script = book, wording, script
        s = text_style
        self.title_zh = s(book, "title-zh", 20, leading=27, textColor=NAVY, bold=True)
        self.title_en = s(book, "title-en", 13, leading=17.5, textColor=INK_SOFT, bold=True)
        self.meta = s(book, "meta", 8.5, leading=12.5, textColor=INK_MUTED)
        self.body = s(book, "body", 10, leading=15, textColor=INK, leftIndent=NUMBER_WIDTH)
        self.soft = s(book, "soft", 9, leading=13.5, textColor=INK_SOFT)
        self.org = s(book, "org", 9, leading=12.5, textColor=NAVY, bold=True)
        self.org_zh = s(book, "org-zh", 9, leading=12.5, textColor=NAVY)
        self.name = s(book, "name", 11, leading=15, textColor=INK, bold=True)
        self.role = s(book, "role", 8.5, leading=12, textColor=INK_SOFT)

    def _text(self, value: str, style: Any, bold: bool = False) -> Flowable:
        return text(self.book, value, style, self.script, bold)

    def _label(self, key: str, size: float, colour: Any, **how: Any) -> Label:
        how.setdefault("script", self.script)
        return Label(self.book, label(self.words, key), size, colour, **how)

    def heading(self, data: AgreementData) -> list[Flowable]:
        """Return the top line, the titles, where and when, and the space after."""
        item, occasion = data.item, data.occasion
        reference = self.words.both(N_("Ref.")) + "  " + clean(item.reference)
        top = TopLine(
            self._label(N_("Agreement"), SMALL, GOLD, bold=True, tracking=0.9, leading=10),
            Label(
                self.book,
                reference,
                SMALL,
                INK_SOFT,
                bold=True,
                tracking=0.3,
                leading=10,
                align=TA_RIGHT,
                script=self.script,
            ),
        )
        found: list[Flowable] = [top, Spacer(1, 4.5 * mm)]
        for value, style in ((item.title_zh, self.title_zh), (item.title_en, self.title_en)):
            if clean(value):
                found += title(self.book, value, style, TEXT_WIDTH, script=self.script, bold=True)
                found.append(Spacer(1, 0.8 * mm))
        meta_en = join(
            data.ceremony_en, data.signing_date or occasion.date_en, data.place or occasion.venue_en
        )
        meta_zh = join(data.ceremony_zh, occasion.date_zh, occasion.venue_zh)
        found.append(Spacer(1, 2.2 * mm))
        found += [self._text(line, self.meta) for line in (meta_en, meta_zh) if line]
        found.append(Spacer(1, 7 * mm))
        return found

    def section(self, key: str) -> Flowable:
        """Return a section heading with its hairline, kept with what follows."""
        heading = Table(
            [
                [self._label(key, SMALL, NAVY, bold=True, tracking=0.9, leading=10)],
                [HRFlowable(width="100%", thickness=HAIR, color=HAIRLINE, spaceBefore=1 * mm)],
            ],
            colWidths=[TEXT_WIDTH],
            style=TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.book.base),  # not Helvetica
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, -1), (-1, -1), 4 * mm),
                ]
            ),
        )
        heading.keepWithNext = True
        return heading

    def numbered(self, number: str, value: str, space_after: float) -> list[Flowable]:
        """Return a clause or party: the number hanging left, its paragraphs beside it."""
        found = []
        for index, line in enumerate(paragraphs(value)):
            style = self.body.clone(
                f"body-{index}",
                spaceBefore=self.body.leading * 0.4 if index else 0,
                bulletFontName=self._number_font(number),
                bulletFontSize=10,
                bulletColor=NAVY,
                bulletIndent=0,
            )
            markup = self.book.markup(curly(line), self.script)
            found.append(Text(markup, style, bulletText=None if index else number or None))
        if found:
            found[-1].style = found[-1].style.clone("body-last", spaceAfter=space_after)
        return found

    def _number_font(self, number: str) -> str:
        runs = self.book.runs(number or "1", self.script, bold=True)
        return runs[0][0]

    def clauses(self, clauses: list[str]) -> list[Flowable]:
        """Return the clauses in order, numbered by position, or by the numbers they carry.

        Once any clause carries its own number, the numbering is the text's: a clause
        without one (a preamble, a note) is given none.
        """
        owns, previous = [], ""
        for position, clause in enumerate(clauses, start=1):
            previous = own_number(clause, position, previous)
            owns.append(previous)
        numbered_by_text = any(owns)
        found: list[Flowable] = []
        for position, (clause, own) in enumerate(zip(clauses, owns, strict=True), start=1):
            # A clause's paragraphs (English, Chinese) stay together when they fit a page.
            found.append(KeepTogether(self.clause(position, clause, own, numbered_by_text)))
        return found

    def clause(
        self, position: int, clause: str, own: str = "", numbered_by_text: bool = False
    ) -> list[Flowable]:
        """Return a clause numbered by its position, or by the number its text starts with."""
        if not own:
            number = "" if numbered_by_text else f"{position}."
            return self.numbered(number, clause, 3 * mm)
        rest = clean(clause, keep_newlines=True)[len(own) :].lstrip(" ")
        fits = self.book.width(own, 10, self.script, True) <= NUMBER_WIDTH - 1.5 * mm
        if fits and len(self.book.runs(own, self.script, True)) == 1 and rest:
            return self.numbered(own, rest, 3 * mm)
        return self.numbered("", clean(clause, keep_newlines=True), 3 * mm)

    def preamble(self, data: AgreementData) -> list[Flowable]:
        """Return where and when the agreement is made, between the parties that follow."""
        occasion = data.occasion
        date_en = clean(data.signing_date) or clean(occasion.date_en)
        date_zh = clean(occasion.date_zh) or date_en
        place_en = clean(data.place) or clean(occasion.venue_en)
        place_zh = clean(occasion.venue_zh) or place_en
        if place_en:
            key = N_("This agreement is made on {date} at {place} between:")
            english = self.words.en(key, date=date_en, place=place_en)
            chinese = self.words.zh(key, date=date_zh, place=place_zh)
        else:
            key = N_("This agreement is made on {date} between:")
            english, chinese = self.words.en(key, date=date_en), self.words.zh(key, date=date_zh)
        return [self._text(english, self.soft), self._text(chinese, self.soft), Spacer(1, 2 * mm)]

    def agreed(self) -> list[Flowable]:
        """Return the sentence that opens the terms, in English and Chinese."""
        key = N_("The parties agree as follows:")
        return [
            self._text(self.words.en(key), self.soft),
            self._text(self.words.zh(key), self.soft),
            Spacer(1, 3 * mm),
        ]

    def witness(self) -> list[Flowable]:
        """Return the sentence before the signatures, in English and Chinese."""
        key = N_("In witness whereof, the parties have signed this agreement on the dates below.")
        lines = [
            self._text(self.words.en(key), self.soft),
            self._text(self.words.zh(key), self.soft),
        ]
        return [*lines, Spacer(1, 6 * mm)]

    def _signatory(self, person: Person) -> list[list[Any]]:
        """Return the four cells of a signature block, top to bottom."""
        org = [
            self._label(N_("For and on behalf of"), SMALL, INK_MUTED, tracking=0.4),
            Spacer(1, 0.8 * mm),
        ]
        org += (
            [self._text(person.organisation, self.org, True)] if clean(person.organisation) else []
        )
        if clean(person.organisation_zh):
            org.append(self._text(person.organisation_zh, self.org_zh))
        named = [
            self._label(N_("Signature"), SMALL, INK_MUTED, tracking=0.4),
            Spacer(1, 2.5 * mm),
            self._text(join(person.name_en, person.name_zh, separator="  "), self.name, True),
        ]
        if clean(person.title):
            named.append(self._text(person.title, self.role))
        date = [
            Spacer(1, 6 * mm),
            DateLine(self.book, label(self.words, N_("Date")), self.script),
            Spacer(1, 3 * mm),
        ]
        return [org, [Spacer(1, SIGNING_SPACE)], named, date]

    def signature_row(self, people: list[Person]) -> Table:
        """Return up to two signature blocks side by side, their rules level."""
        blocks = [self._signatory(p) for p in people]
        rows = [[b[row] for b in blocks] for row in range(4)]
        empty = Spacer(1, 0)  # not "": a string cell would set Helvetica
        if len(blocks) == 1:
            rows = [[cells[0], empty, empty] for cells in rows]
        else:
            rows = [[cells[0], empty, cells[1]] for cells in rows]
        style = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), self.book.base),
        ]
        style += [
            (side, (0, 0), (-1, -1), 0)
            for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")
        ]
        style += [("LINEBELOW", (c, 1), (c, 1), 0.6, INK) for c in range(0, 2 * len(blocks), 2)]
        style += [("TOPPADDING", (0, 2), (-1, 2), 1 * mm)]
        return Table(
            rows,
            colWidths=[SIGNATURE_WIDTH, COLUMN_GAP, SIGNATURE_WIDTH],
            style=TableStyle(style),
            hAlign="LEFT",
        )

    def nothing(self, key: str) -> list[Flowable]:
        """Return the page of an empty batch: nothing to print, in both languages."""
        return [
            Spacer(1, 8 * mm),
            self._text(self.words.en(key), self.meta),
            self._text(self.words.zh(key), self.meta),
        ]
