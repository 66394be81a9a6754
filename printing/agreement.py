"""Agreements for signing on stage: A4 portrait, clauses flowing over pages, signature blocks.

Page one opens with the reference, the titles (Chinese, then English), where and when it is
signed, and the parties; the numbered clauses follow, wrapping and flowing over as many pages
as they need (never fewer than two lines of a clause at the foot or head of a page). The
signature blocks come last, two to a row: each names the organisation, leaves room to sign
above a rule, and gives the signatory's names, title and a date line. A block is never cut:
a row that does not fit moves whole to the next page. Every page carries the reference,
"as of" (the version of the text printed) and "Page x of y".

``render_agreement`` returns one agreement as PDF bytes; ``write_agreements`` streams many
into one PDF, laying out one agreement at a time.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import BinaryIO

from printing.documents import AgreementData, DocumentError, Person
from printing.layout import (
    A4,
    GOLD,
    HAIR,
    HAIRLINE,
    INK,
    INK_MUTED,
    INK_SOFT,
    NAVY,
    Block,
    Flow,
    Frame,
    Style,
    Typesetter,
    baseline,
    join,
    label,
    new_writer,
)
from printing.pdf import Content, PdfWriter, mm
from printing.textfit import clean_text, paragraphs
from printing.wording import N_, Wording

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = mm(25)
MARGIN_TOP = mm(22)
MARGIN_TOP_LATER = mm(27)  # below the running head
MARGIN_BOTTOM = mm(27)
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
NUMBER_WIDTH = mm(9)  # the hanging clause numbers
COLUMN_GAP = mm(14)
SIGNATURE_WIDTH = (TEXT_WIDTH - COLUMN_GAP) / 2
SIGNING_SPACE = mm(17)

LABEL = Style(7, 10, GOLD, bold=True, tracking=1.1)
SECTION = Style(7, 10, NAVY, bold=True, tracking=1.1)
TITLE_ZH = Style(20, 27, NAVY, bold=True)
TITLE_EN = Style(13, 17.5, INK_SOFT, bold=True)
META = Style(8.5, 12.5, INK_MUTED)
BODY = Style(10, 15, INK)
NUMBER = Style(10, 15, NAVY, bold=True)
SMALL = Style(6.5, 9, INK_MUTED, tracking=0.4)
ORG = Style(9, 12.5, NAVY, bold=True)
ORG_ZH = Style(9, 12.5, NAVY)
NAME = Style(11, 15, INK, bold=True)
TITLE = Style(8.5, 12, INK_SOFT)
FOOT = Style(7, 9, INK_MUTED)


def _frame(page: int) -> Frame:
    top = PAGE_HEIGHT - (MARGIN_TOP if page == 1 else MARGIN_TOP_LATER)
    return Frame(MARGIN_X, MARGIN_BOTTOM, PAGE_WIDTH - MARGIN_X, top)


def _check(data: AgreementData) -> None:
    item = data.item
    if not clean_text(item.reference):
        raise DocumentError("the agreement has no reference number", field="reference")
    reference = item.reference
    if not (clean_text(item.title_en) or clean_text(item.title_zh)):
        raise DocumentError(
            "agreement %(reference)s has no title", field="title_en", reference=reference
        )
    if not item.people:
        raise DocumentError(
            "agreement %(reference)s names no signatory: add at least one person",
            field="people",
            reference=reference,
        )
    for person in item.people:
        if not person.has_name:
            raise DocumentError(
                "a signatory of agreement %(reference)s has no name",
                field="people",
                reference=reference,
            )
    if not any(clean_text(clause) for clause in item.clauses):
        raise DocumentError(
            "agreement %(reference)s has no clauses", field="clauses", reference=reference
        )


def _parties(data: AgreementData) -> list[str]:
    parties = [clean_text(p) for p in data.item.parties if clean_text(p)]
    if parties:
        return parties
    # No parties named: the signatories' organisations, each once, in signing order.
    return list(dict.fromkeys(_organisation(p) for p in data.item.people if _organisation(p)))


def _organisation(person: Person) -> str:
    return join(person.organisation, person.organisation_zh, separator="  ")


def _heading(ts: Typesetter, data: AgreementData) -> Block:
    item = data.item
    block = Block()
    reference = data.wording.both(N_("Ref.")) + "  " + clean_text(item.reference)
    heading = label(data.wording, N_("Agreement"))

    def top_line(content: Content, left: float, top: float) -> None:
        ts.draw(content, left, baseline(top, LABEL), heading, LABEL)
        room = TEXT_WIDTH - ts.width(heading, LABEL) - mm(10)
        style = LABEL.but(colour=INK_SOFT, tracking=0.3)
        x = left + TEXT_WIDTH - room
        ts.draw_fitted(content, x, baseline(top, LABEL), reference, style, room, align="right")

    y = block.add(0, LABEL.leading, top_line)
    block.rule(y + mm(1.5), 0, TEXT_WIDTH, GOLD, 0.6)
    y += mm(6)
    if clean_text(item.title_zh):
        y = block.text(ts, item.title_zh, TITLE_ZH, y, width=TEXT_WIDTH, balanced=True)
    if clean_text(item.title_en):
        y = block.text(ts, item.title_en, TITLE_EN, y + mm(0.8), width=TEXT_WIDTH, balanced=True)
    occasion = data.occasion
    meta_en = join(
        data.ceremony_en,
        data.signing_date or occasion.date_en,
        data.place or occasion.venue_en,
    )
    meta_zh = join(data.ceremony_zh, occasion.date_zh, occasion.venue_zh)
    y += mm(3)
    for line in (meta_en, meta_zh):
        if line:
            y = block.text(ts, line, META, y, width=TEXT_WIDTH)
    block.pad(y + mm(7))
    return block


def _section(ts: Typesetter, wording: Wording, key: str) -> Block:
    block = Block()
    y = block.lines(ts, [label(wording, key)], SECTION, 0)
    block.rule(y + mm(1), 0, TEXT_WIDTH, HAIRLINE, HAIR)
    block.pad(y + mm(4))
    return block


def _numbered(ts: Typesetter, number: str, text: str, space_after: float) -> Block:
    """Return a clause or party: the number hanging left, the text wrapped beside it."""
    block = Block(keep=False, orphans=2, widows=2)
    block.lines(ts, [number], NUMBER, 0)
    y = 0.0
    width = TEXT_WIDTH - NUMBER_WIDTH
    for index, paragraph in enumerate(paragraphs(text)):
        if index:
            y += BODY.leading * 0.4
        y = block.lines(ts, ts.wrap(paragraph, BODY, width), BODY, y, x=NUMBER_WIDTH)
    block.pad(y + space_after)
    return block


def _organisation_lines(ts: Typesetter, person: Person, width: float) -> list[tuple[str, Style]]:
    lines = [(line, ORG) for line in ts.wrap(person.organisation, ORG, width)]
    return lines + [(line, ORG_ZH) for line in ts.wrap(person.organisation_zh, ORG_ZH, width)]


def signature_block(
    ts: Typesetter,
    person: Person,
    wording: Wording,
    width: float = SIGNATURE_WIDTH,
    organisation_lines: int = 0,
) -> Block:
    """Return the signature block of one signatory (kept whole on one page).

    organisation_lines reserves room for that many lines of organisation name, so that the
    signature rules of a row line up.
    """
    block = Block(keep=True)
    y = block.lines(ts, [label(wording, N_("For and on behalf of"))], SMALL, 0)
    y += mm(0.8)
    lines = _organisation_lines(ts, person, width)
    for line, style in lines:
        y = block.lines(ts, [line], style, y)
    y += ORG.leading * max(0, organisation_lines - len(lines))
    y += SIGNING_SPACE
    block.rule(y, 0, width, INK, 0.6)
    y = block.lines(ts, [label(wording, N_("Signature"))], SMALL, y + mm(1))
    y += mm(2.5)
    name = join(person.name_en, person.name_zh, separator="  ")
    y = block.text(ts, name, NAME, y, width=width)
    if clean_text(person.title):
        y = block.text(ts, person.title, TITLE, y, width=width)
    y += mm(6)
    date_label = label(wording, N_("Date"))
    label_width = ts.width(date_label, SMALL) + mm(2)

    def date_line(content: Content, left: float, top: float) -> None:
        line_y = baseline(top, SMALL)
        ts.draw(content, left, line_y, date_label, SMALL)
        content.stroke_colour(INK)
        content.line_width(0.4)
        content.line(left + label_width, line_y - 1, left + width * 0.62, line_y - 1)

    y = block.add(y, SMALL.leading, date_line)
    block.pad(y + mm(9))
    return block


def _signature_row(ts: Typesetter, people: list[Person], wording: Wording) -> Block:
    row = Block(keep=True)
    tallest = max(len(_organisation_lines(ts, p, SIGNATURE_WIDTH)) for p in people)
    for column, person in enumerate(people):
        single = signature_block(ts, person, wording, organisation_lines=tallest)
        offset = column * (SIGNATURE_WIDTH + COLUMN_GAP)
        for element in single.elements:

            def draw(content: Content, left: float, top: float, element=element, dx=offset) -> None:
                element.draw(content, left + dx, top)

            row.add(element.y, element.height, draw)
        row.pad(single.height)
    return row


def _running_head(ts: Typesetter, data: AgreementData) -> Callable[[Content, int], None]:
    item = data.item
    title = clean_text(item.title_en) or clean_text(item.title_zh)
    reference = clean_text(item.reference)
    width = TEXT_WIDTH - ts.width(reference, FOOT) - mm(8)
    fitted = ts.fit(title, FOOT, width, FOOT.size, max_lines=1)
    short = fitted.lines[0] if fitted.lines else ""

    def start(content: Content, page: int) -> None:
        if page == 1:
            return
        y = PAGE_HEIGHT - mm(16)
        ts.draw(content, MARGIN_X, y, short, FOOT)
        ts.draw(content, MARGIN_X, y, reference, FOOT, align="right", width=TEXT_WIDTH)
        content.stroke_colour(HAIRLINE)
        content.line_width(HAIR)
        content.line(MARGIN_X, y - mm(2.2), PAGE_WIDTH - MARGIN_X, y - mm(2.2))

    return start


def _footer(ts: Typesetter, data: AgreementData, content: Content, page: int, total: int) -> None:
    y = mm(15)
    content.stroke_colour(HAIRLINE)
    content.line_width(HAIR)
    content.line(MARGIN_X, y + mm(4), PAGE_WIDTH - MARGIN_X, y + mm(4))
    words = data.wording
    left = join(
        f"Ref. {clean_text(data.item.reference)}",
        words.both(N_("As of")) + "  " + clean_text(data.as_of),
    )
    right = words.both(N_("Page {page} of {total}"), "   ", page=page, total=total)
    ts.draw(content, MARGIN_X, y, right, FOOT, align="right", width=TEXT_WIDTH)
    ts.draw_fitted(content, MARGIN_X, y, left, FOOT, TEXT_WIDTH - ts.width(right, FOOT) - mm(8))


def layout_agreement(ts: Typesetter, data: AgreementData) -> list[Content]:
    """Lay out one agreement; return its pages, footers drawn (raises DocumentError)."""
    _check(data)
    words = data.wording
    flow = Flow(_frame, _running_head(ts, data))
    flow.place(_heading(ts, data))

    parties = _parties(data)
    if parties:
        first = _numbered(ts, "(1)", parties[0], mm(1.5))
        flow.place(_section(ts, words, N_("Parties")), keep_with=first.head_height())
        for number, party in enumerate(parties, start=1):
            flow.place(first if number == 1 else _numbered(ts, f"({number})", party, mm(1.5)))
        flow.space(mm(6))

    clauses = [clause for clause in data.item.clauses if clean_text(clause)]
    blocks = [_numbered(ts, f"{n}.", clause, mm(3)) for n, clause in enumerate(clauses, 1)]
    flow.place(_section(ts, words, N_("Terms")), keep_with=blocks[0].head_height())
    for block in blocks:
        flow.place(block)
    flow.space(mm(5))

    people = list(data.item.people)
    rows = [_signature_row(ts, people[i : i + 2], words) for i in range(0, len(people), 2)]
    heading = _section(ts, words, N_("Signatures"))
    witness = Block(keep=True)
    witnessed = N_("In witness whereof, the parties have signed this agreement on the dates below.")
    soft = BODY.but(colour=INK_SOFT, size=9, leading=13.5)
    y = witness.text(ts, words.en(witnessed), soft, 0, width=TEXT_WIDTH)
    y = witness.text(ts, words.zh(witnessed), soft, y, width=TEXT_WIDTH)
    witness.pad(y + mm(6))
    flow.place(heading, keep_with=witness.height + rows[0].height)
    flow.place(witness)
    for row in rows:
        flow.place(row)

    total = len(flow.pages)
    for page, content in enumerate(flow.pages, start=1):
        _footer(ts, data, content, page, total)
    return flow.pages


def _title(data: AgreementData) -> str:
    return join(data.item.reference, data.item.title_en or data.item.title_zh, separator=" ")


def render_agreement(data: AgreementData) -> bytes:
    """Return one agreement as an A4 PDF (raises DocumentError if it cannot be made)."""
    _check(data)
    buffer = io.BytesIO()
    writer, ts = new_writer(buffer, _title(data), data.wording.language)
    _write_pages(writer, layout_agreement(ts, data))
    writer.close()
    return buffer.getvalue()


def _write_pages(writer: PdfWriter, pages: list[Content]) -> None:
    for content in pages:
        writer.add_page(PAGE_WIDTH, PAGE_HEIGHT, content)


def write_agreements(
    agreements: Iterable[AgreementData],
    out: BinaryIO,
    *,
    wording: Wording,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Stream agreements, in order, into one PDF; return how many.

    Each is laid out and written before the next is read, so memory does not grow with the
    batch. progress, if given, is called with the number written after each agreement. An
    agreement that cannot be made raises DocumentError before anything of it is written.
    wording gives the Chinese of the page saying there is nothing, and the PDF's language.
    """
    writer, ts = new_writer(out, "Agreements", wording.language)
    count = 0
    for data in agreements:
        _write_pages(writer, layout_agreement(ts, data))
        count += 1
        if progress is not None:
            progress(count)
    if count == 0:
        _write_pages(writer, [_empty_page(ts, wording)])
    writer.close()
    return count


def _empty_page(ts: Typesetter, wording: Wording) -> Content:
    content = Content()
    nothing = N_("No agreements to print.")
    ts.draw(content, MARGIN_X, PAGE_HEIGHT - MARGIN_TOP - 20, wording.en(nothing), META)
    ts.draw(content, MARGIN_X, PAGE_HEIGHT - MARGIN_TOP - 34, wording.zh(nothing), META)
    return content
