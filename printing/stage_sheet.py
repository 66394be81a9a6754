"""The stage manager's sheet: A4, every signing and presentation in order, who stands where.

For each ceremony of the day, each item (a cue) gets its number, time, titles and reference,
a plan of the stage with a numbered position per person, a table of the positions (zone,
names, organisation, role) and the notes. Left, centre and right are as seen from the
audience (house left, which is stage right), and the sheet says so on every page.

Who stands where (``stage_positions``):

- signing and pledge: the signatories in a row, in the order of the parties (a person goes
  with the first party whose name contains their organisation, or is contained in it; those
  with no party follow in the order given); witnesses (``presenters``) stand behind them;
- award: the recipients on the left, in order, then the presenters on the right, so that
  the n-th recipient turns right to receive from the n-th presenter.

Positions are numbered from the left, and each row is cut into thirds: left, centre, right.
Every page carries "as of" (the version of the plan printed) and "page x of y".
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from printing.documents import CeremonyData, CeremonyItemData, Person, StageSheetData
from printing.layout import (
    A4,
    GOLD,
    HAIR,
    HAIRLINE,
    INK,
    INK_MUTED,
    INK_SOFT,
    NAVY,
    PAPER_TINT,
    WHITE,
    Block,
    Flow,
    Frame,
    Style,
    Typesetter,
    baseline,
    hex_colour,
    join,
    label,
    new_writer,
    tint,
)
from printing.pdf import Content, mm
from printing.textfit import clean_text
from printing.wording import N_, NC_, Wording

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = mm(15)
MARGIN_TOP = mm(44)
MARGIN_TOP_LATER = mm(24)
MARGIN_BOTTOM = mm(19)
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
MAX_PER_ROW = 8
SEAT_HEIGHT = mm(15)
SEAT_GAP = mm(2)
STAGE_PADDING = mm(4)
"""The stage plan's positions: their height, the gap between them, the stage's padding."""

ZONES = {"left": N_("Left"), "centre": N_("Centre"), "right": N_("Right")}
ROLES = {
    "signatory": (N_("Signatory"), NAVY),
    "partner": (N_("Partner"), NAVY),
    "witness": (N_("Witness"), hex_colour("#5A6B7D")),
    "recipient": (N_("Recipient"), hex_colour("#A8842F")),
    "presenter": (N_("Presenter"), hex_colour("#2E7D64")),
}
KINDS = {"signing": N_("Signing"), "pledge": N_("Pledge"), "award": N_("Award")}
"""The English of zones, roles and ceremony kinds: messages, their Chinese the wording's."""

LABEL = Style(7.5, 10, NAVY, bold=True, tracking=1.2)
SMALL = Style(6.3, 8.5, INK_MUTED, bold=True, tracking=0.5)
TITLE_ZH = Style(12, 16, INK, bold=True)
TITLE_EN = Style(8.5, 11.5, INK_SOFT)
CEREMONY_EN = Style(11, 14.5, NAVY, bold=True)
CEREMONY_ZH = Style(10, 14, INK_SOFT, bold=True)
CUE_TIME = Style(11, 14, NAVY, bold=True)
CUE_EN = Style(9.5, 13, INK, bold=True)
CUE_ZH = Style(9, 12.5, INK_SOFT)
META = Style(7.5, 10.5, INK_MUTED)
CELL = Style(8, 11, INK)
CELL_BOLD = Style(8, 11, INK, bold=True)
SEAT_ZH = Style(8, 10, INK, bold=True)
SEAT_EN = Style(6.2, 7.8, INK_SOFT)
FOOT = Style(7, 9, INK_MUTED)


@dataclass(frozen=True)
class Position:
    """Where one person stands for a cue: number from the left, zone, row and role."""

    number: int
    zone: str  # left, centre, right (as seen from the audience)
    row: str  # front, back
    role: str  # signatory, partner, witness, recipient, presenter
    person: Person


def _zone(index: int, count: int) -> str:
    """Return the third of a row of count people that position index falls in."""
    where = (index + 0.5) / count
    if where < 1 / 3:
        return "left"
    if where > 2 / 3:
        return "right"
    return "centre"


def _party_index(person: Person, parties: list[str]) -> int:
    names = [
        n.casefold()
        for n in (clean_text(person.organisation), clean_text(person.organisation_zh))
        if n
    ]
    for index, party in enumerate(parties):
        folded = party.casefold()
        if any(name in folded or folded in name for name in names):
            return index
    return len(parties)


def stage_positions(kind: str, item: CeremonyItemData) -> list[Position]:
    """Return who stands where for one item, front row then back row (see module docstring)."""
    kind = kind.strip().lower()
    if kind == "award":
        front = [("recipient", p) for p in item.people] + [
            ("presenter", p) for p in item.presenters
        ]
        back: list[tuple[str, Person]] = []
    else:
        parties = [clean_text(p) for p in item.parties if clean_text(p)]
        ordered = sorted(
            enumerate(item.people), key=lambda pair: (_party_index(pair[1], parties), pair[0])
        )
        role = "partner" if kind == "pledge" else "signatory"
        front = [(role, person) for _, person in ordered]
        back = [("witness", p) for p in item.presenters]
    positions = []
    for row, people in (("front", front), ("back", back)):
        for index, (role, person) in enumerate(people):
            positions.append(
                Position(len(positions) + 1, _zone(index, len(people)), row, role, person)
            )
    return positions


def _frame(page: int) -> Frame:
    top = PAGE_HEIGHT - (MARGIN_TOP if page == 1 else MARGIN_TOP_LATER)
    return Frame(MARGIN_X, MARGIN_BOTTOM, PAGE_WIDTH - MARGIN_X, top)


class _Sheet:
    def __init__(self, ts: Typesetter, data: StageSheetData) -> None:
        self.ts = ts
        self.data = data
        self.words: Wording = data.wording

    def as_of_box(self, content: Content, top: float, height: float) -> None:
        """Draw the version of the plan, boxed at the top right, where it cannot be missed."""
        ts = self.ts
        value = clean_text(self.data.as_of) or "—"
        value_style = CELL_BOLD.but(size=9)
        width = min(mm(70), max(mm(42), ts.width(value, value_style) + mm(8)))
        x = PAGE_WIDTH - MARGIN_X - width
        content.fill_colour(tint(GOLD, 0.12))
        content.rect(x, top - height, width, height)
        content.fill_colour(GOLD)
        content.rect(x, top - height, mm(1), height)
        ts.draw(content, x + mm(4), top - mm(5), label(self.words, N_("Plan as of")), SMALL)
        ts.draw_fitted(
            content, x + mm(4), top - height + mm(3.2), value, value_style, width - mm(6)
        )

    def start_page(self, content: Content, page: int) -> None:
        """Draw the page head: what the sheet is, the occasion, the version of the plan."""
        ts, occasion = self.ts, self.data.occasion
        top = PAGE_HEIGHT - mm(12)
        heading = label(self.words, N_("Stage manager's sheet"))
        if page == 1:
            ts.draw(content, MARGIN_X, baseline(top, LABEL), heading, LABEL)
            self.as_of_box(content, top, mm(12))
            width = TEXT_WIDTH - mm(76)
            y = top - LABEL.leading - mm(1.5)
            title = ts.fit(occasion.title_zh, TITLE_ZH, width, 9, max_lines=1)
            for line in title.lines:
                ts.draw(
                    content, MARGIN_X, baseline(y, TITLE_ZH), line, TITLE_ZH.but(size=title.size)
                )
                y -= TITLE_ZH.leading
            date = join(occasion.date_en, occasion.date_zh)
            venue = join(occasion.venue_en, occasion.venue_zh)
            for text in (date, venue):
                fitted = ts.fit(text, TITLE_EN, width, 6.5, max_lines=1)
                for line in fitted.lines:
                    style = TITLE_EN.but(size=fitted.size)
                    ts.draw(content, MARGIN_X, baseline(y, TITLE_EN), line, style)
                    y -= TITLE_EN.leading
            rule_y = PAGE_HEIGHT - MARGIN_TOP + mm(10)
            orientation = self.words.both(
                N_("Left, centre and right as seen from the audience (house left = stage right)."),
                "   ",
            )
            ts.draw(content, MARGIN_X, rule_y - mm(5), orientation, META)
        else:
            ts.draw(content, MARGIN_X, baseline(top, LABEL), heading, LABEL)
            short = self.words.both(N_("Plan as of")) + "  " + clean_text(self.data.as_of)
            room = TEXT_WIDTH - ts.width(heading, LABEL) - mm(10)
            ts.draw_fitted(
                content,
                PAGE_WIDTH - MARGIN_X - room,
                baseline(top, LABEL),
                short,
                CELL_BOLD.but(size=8),
                room,
                align="right",
            )
            rule_y = top - LABEL.leading - mm(2)
        content.stroke_colour(HAIRLINE)
        content.line_width(HAIR)
        content.line(MARGIN_X, rule_y, PAGE_WIDTH - MARGIN_X, rule_y)

    def footer(self, content: Content, page: int, total: int) -> None:
        """Draw the footer: as of, and page x of y."""
        ts, y = self.ts, mm(11)
        content.stroke_colour(HAIRLINE)
        content.line_width(HAIR)
        content.line(MARGIN_X, y + mm(4), PAGE_WIDTH - MARGIN_X, y + mm(4))
        words = self.words
        left = join(
            label(words, N_("Stage manager's sheet")),
            words.both(N_("As of")) + "  " + clean_text(self.data.as_of),
        )
        right = words.both(N_("Page {page} of {total}"), "   ", page=page, total=total)
        ts.draw(content, MARGIN_X, y, right, FOOT, align="right", width=TEXT_WIDTH)
        ts.draw_fitted(content, MARGIN_X, y, left, FOOT, TEXT_WIDTH - ts.width(right, FOOT) - mm(8))

    # Blocks ----------------------------------------------------------------------

    def ceremony_head(self, ceremony: CeremonyData) -> Block:
        """Return a ceremony's heading: a tinted band with time, titles, place and notes."""
        ts, block = self.ts, Block(keep=True)
        pad = mm(2.5)
        x = mm(24)
        width = TEXT_WIDTH - x - pad
        inner = Block()
        y = 0.0
        if clean_text(ceremony.title_en):
            y = inner.text(ts, ceremony.title_en, CEREMONY_EN, y, width=width)
        if clean_text(ceremony.title_zh):
            y = inner.text(ts, ceremony.title_zh, CEREMONY_ZH, y, width=width)
        known = KINDS.get(ceremony.kind.strip().lower())
        kind = self.words.both(known, " ") if known else clean_text(ceremony.kind)
        # Translators: printed after the English count, e.g. "3 item(s) 項".
        count = self.words.both(N_("{count} item(s)"), " ", count=len(ceremony.items))
        details = join(kind, ceremony.location, count)
        y = inner.text(ts, details, META, y + mm(0.5), width=width)
        if clean_text(ceremony.notes):
            y = inner.text(ts, ceremony.notes, META.but(colour=INK_SOFT), y, width=width)
        inner.pad(y)
        height = inner.height + 2 * pad

        def band(content: Content, left: float, top: float) -> None:
            content.fill_colour(PAPER_TINT)
            content.rect(left, top - height, TEXT_WIDTH, height)
            content.fill_colour(NAVY)
            content.rect(left, top - height, mm(1.2), height)
            ts.draw(
                content,
                left + mm(5),
                baseline(top - pad, CUE_TIME),
                clean_text(ceremony.starts),
                CUE_TIME.but(size=13),
            )

        block.drawing(0, height, band)
        block.embed(inner, pad, x)
        block.pad(height + mm(4))
        return block

    def cue(self, number: int, ceremony: CeremonyData, item: CeremonyItemData) -> Block:
        """Return one cue: heading, stage plan, positions table and notes."""
        ts = self.ts
        block = Block(keep=True, orphans=2, widows=2)
        x = mm(24)
        width = TEXT_WIDTH - x
        y = block.embed(self.cue_head(number, ceremony, item, x, width), 0)

        positions = stage_positions(ceremony.kind, item)
        if positions:
            plan = self.stage_plan(positions, width)
            y = block.embed(plan, y, x) + mm(3)
            y = self.table(block, positions, y, x, width)
        else:
            nobody = self.words.both(N_("No one placed yet."))
            y = block.text(ts, nobody, META, y, x=x, width=width)
        if clean_text(item.notes):
            y = self.notes(block, item.notes, y + mm(2), x, width)
        bottom = y + mm(4)
        block.rule(bottom, 0, TEXT_WIDTH)
        block.pad(bottom + mm(4))
        return block

    def cue_head(
        self, number: int, ceremony: CeremonyData, item: CeremonyItemData, x: float, width: float
    ) -> Block:
        """Return a cue's heading: its number and time in a chip, titles, and reference."""
        ts = self.ts
        head = Block()
        time = clean_text(item.time) or (clean_text(ceremony.starts) if number == 1 else "")

        def chip(content: Content, left: float, top: float) -> None:
            content.fill_colour(NAVY)
            content.rounded_rect(left, top - mm(5.2), mm(11), mm(5.2), 2)
            style = CELL_BOLD.but(colour=WHITE, size=8.5)
            ts.draw(
                content, left, top - mm(3.6), f"{number:02d}", style, align="centre", width=mm(11)
            )
            if time:
                ts.draw(content, left, baseline(top - mm(6.5), CUE_TIME), time, CUE_TIME)

        head.drawing(0, mm(5.2) + CUE_TIME.leading, chip)
        reference = clean_text(item.reference)
        ref_width = ts.width(reference, META) + mm(4)
        y = 0.0
        if clean_text(item.title_en):
            y = head.text(ts, item.title_en, CUE_EN, y, x=x, width=width - ref_width)
        if clean_text(item.title_zh):
            y = head.text(ts, item.title_zh, CUE_ZH, y, x=x, width=width - ref_width)

        def ref(content: Content, left: float, top: float) -> None:
            ts.draw(
                content, left, baseline(top, META), reference, META, align="right", width=TEXT_WIDTH
            )

        head.drawing(0, META.leading, ref)
        head.pad(max(y, head.height) + mm(2))
        return head

    def stage_plan(self, positions: list[Position], width: float) -> Block:
        """Return the plan: the stage with a box per position, the audience below."""
        ts, block = self.ts, Block()
        rows = [
            [p for p in positions if p.row == "back"],
            [p for p in positions if p.row == "front"],
        ]
        rows = [row for row in rows if row]
        lines = []
        for row in rows:
            for start in range(0, len(row), MAX_PER_ROW):
                lines.append(row[start : start + MAX_PER_ROW])
        pad, gap = STAGE_PADDING, SEAT_GAP
        height = pad * 2 + mm(4) + len(lines) * (SEAT_HEIGHT + gap) - gap

        def stage(content: Content, left: float, top: float) -> None:
            content.fill_colour(tint(NAVY, 0.05))
            content.rect(left, top - height, width, height)
            content.stroke_colour(tint(NAVY, 0.35))
            content.line_width(0.5)
            content.stroke_rect(left, top - height, width, height)
            self.stage_labels(content, left, top, width)
            self.seat_rows(content, left, top - pad - mm(4), width, lines)

        block.drawing(0, height, stage)

        def audience(content: Content, left: float, top: float) -> None:
            ts.draw(
                content,
                left,
                baseline(top, SMALL),
                label(self.words, N_("Audience")) + "  ▼",
                SMALL,
                align="centre",
                width=width,
            )

        block.drawing(height + mm(1), SMALL.leading, audience)
        return block

    def stage_labels(self, content: Content, left: float, top: float, width: float) -> None:
        """Label the stage: the backdrop in the middle, stage left and right at the sides."""
        ts = self.ts
        ts.draw(
            content,
            left,
            top - mm(3.4),
            label(self.words, N_("Backdrop")),
            SMALL,
            align="centre",
            width=width,
        )
        for side in ("left", "right"):
            text = label(self.words, ZONES[side])
            align = "left" if side == "left" else "right"
            ts.draw(
                content,
                left + mm(2),
                top - mm(3.4),
                text,
                SMALL.but(colour=INK_MUTED),
                align=align,
                width=width - mm(4),
            )

    def seat_rows(
        self, content: Content, left: float, y: float, width: float, lines: list[list[Position]]
    ) -> None:
        """Draw the rows of positions from `y` down, each row centred on the stage."""
        seat_height, gap, pad = SEAT_HEIGHT, SEAT_GAP, STAGE_PADDING
        for line in lines:
            count = len(line)
            seat = min(mm(30), (width - 2 * pad - (count - 1) * gap) / count)
            total = count * seat + (count - 1) * gap
            x = left + (width - total) / 2
            for position in line:
                self.seat(content, x, y, seat, seat_height, position)
                x += seat + gap
            y -= seat_height + gap

    def seat(
        self,
        content: Content,
        x: float,
        top: float,
        width: float,
        height: float,
        position: Position,
    ) -> None:
        """Draw one position: number, names and role, in the colour of the role."""
        ts = self.ts
        known, colour = ROLES.get(position.role, ("", INK_MUTED))
        english = self.words.en(known) if known else position.role
        chinese = self.words.zh(known) if known else ""
        content.fill_colour(WHITE)
        content.rect(x, top - height, width, height)
        content.stroke_colour(colour)
        content.line_width(0.7)
        content.stroke_rect(x, top - height, width, height)
        content.fill_colour(colour)
        content.rect(x, top - mm(3.6), width, mm(3.6))
        number = CELL_BOLD.but(size=7, colour=WHITE)
        ts.draw(content, x + mm(1.2), top - mm(2.6), str(position.number), number)
        role = SMALL.but(size=5.2, colour=WHITE, tracking=0.3)
        fitted = ts.fit(f"{english.upper()} {chinese}", role, width - mm(6), 4.2, max_lines=1)
        for line in fitted.lines:
            ts.draw(
                content,
                x,
                top - mm(2.6),
                line,
                role.but(size=fitted.size),
                align="right",
                width=width - mm(1.2),
            )
        self.seat_names(content, x + mm(1), top - mm(3.6) - mm(1), width - mm(2), position)

    def seat_names(
        self, content: Content, x: float, y: float, inner: float, position: Position
    ) -> None:
        """Set a position's names (or, with none, its organisation's) centred from `y` down."""
        ts = self.ts
        person = position.person
        name_zh = clean_text(person.name_zh)
        name_en = clean_text(person.name_en)
        if not (name_zh or name_en):
            name_zh, name_en = clean_text(person.organisation_zh), clean_text(person.organisation)
        if name_zh:
            fitted = ts.fit(name_zh, SEAT_ZH, inner, 5.5, max_lines=1)
            for line in fitted.lines:
                y -= SEAT_ZH.leading
                ts.draw(
                    content,
                    x,
                    y + 2,
                    line,
                    SEAT_ZH.but(size=fitted.size),
                    align="centre",
                    width=inner,
                )
        if name_en:
            fitted = ts.fit(name_en, SEAT_EN, inner, 4.8, max_lines=2 if not name_zh else 1)
            for line in fitted.lines:
                y -= SEAT_EN.leading
                ts.draw(
                    content,
                    x,
                    y + 1.5,
                    line,
                    SEAT_EN.but(size=fitted.size),
                    align="centre",
                    width=inner,
                )

    def table(
        self, block: Block, positions: list[Position], y: float, x: float, width: float
    ) -> float:
        """Add the positions table (one unbreakable element per row); return the offset below."""
        ts = self.ts
        columns = [mm(8), mm(19), mm(46), width - mm(8 + 19 + 46 + 27), mm(27)]
        words = self.words
        headings = [
            "#",
            words.both(N_("Zone")),
            words.both(N_("Name")),
            words.both(N_("Title, organisation")),
            words.both(N_("Role")),
        ]
        offsets = [sum(columns[:i]) for i in range(len(columns))]

        def heading(content: Content, left: float, top: float) -> None:
            for text, offset in zip(headings, offsets, strict=True):
                ts.draw(content, left + offset, baseline(top, SMALL), text, SMALL)
            content.stroke_colour(INK_SOFT)
            content.line_width(0.5)
            content.line(left, top - SMALL.leading - 1, left + width, top - SMALL.leading - 1)

        y = block.add(y, SMALL.leading + mm(1), _shift(heading, x))
        for position in positions:
            cells = self.table_cells(position, columns)
            height = max(len(cell) for cell in cells) * CELL.leading + mm(1.6)

            def row(content: Content, left: float, top: float, cells=cells, height=height) -> None:
                for cell, offset in zip(cells, offsets, strict=True):
                    line_top = top - mm(0.8)
                    for text, style in cell:
                        ts.draw(content, left + offset, baseline(line_top, CELL), text, style)
                        line_top -= CELL.leading
                content.stroke_colour(HAIRLINE)
                content.line_width(HAIR)
                content.line(left, top - height, left + width, top - height)

            y = block.add(y, height, _shift(row, x))
        return y

    def table_cells(
        self, position: Position, columns: list[float]
    ) -> list[list[tuple[str, Style]]]:
        """Return the lines of each cell of a position's row in the table, with their style."""
        ts, person = self.ts, position.person
        words = self.words
        name = join(person.name_en, person.name_zh, separator="  ")
        organisation = join(person.organisation, person.organisation_zh, separator=" ")
        details = join(person.title, organisation, separator=", ")
        small = CELL.but(size=7.5)
        where = [(words.both(ZONES[position.zone]), CELL)]
        if position.row == "back":
            where.append((words.both(N_("Back row")), CELL.but(size=7, colour=INK_MUTED)))
        return [
            [(str(position.number), CELL_BOLD)],
            where,
            [(line, CELL_BOLD) for line in ts.wrap(name, CELL_BOLD, columns[2] - mm(2))],
            [(line, small) for line in ts.wrap(details, small, columns[3] - mm(2))],
            [(words.both(ROLES[position.role][0]), CELL)],
        ]

    def notes(self, block: Block, text: str, y: float, x: float, width: float) -> float:
        """Add the notes of a cue in a tinted box; return the offset below."""
        ts = self.ts
        pad = mm(2.2)
        heading = label(self.words, NC_("stage sheet's remarks", "Notes"))
        lines = ts.wrap(text, CELL, width - 2 * pad)
        height = SMALL.leading + len(lines) * CELL.leading + 2 * pad

        def draw(content: Content, left: float, top: float) -> None:
            content.fill_colour(tint(GOLD, 0.1))
            content.rect(left, top - height, width, height)
            ts.draw(
                content, left + pad, baseline(top - pad, SMALL), heading, SMALL.but(colour=GOLD)
            )
            line_top = top - pad - SMALL.leading
            for line in lines:
                ts.draw(content, left + pad, baseline(line_top, CELL), line, CELL)
                line_top -= CELL.leading

        return block.add(y, height, _shift(draw, x))

    def layout(self) -> list[Content]:
        """Lay out the whole sheet; return its pages with footers."""
        flow = Flow(_frame, self.start_page)
        number = 0
        ceremonies = [c for c in self.data.ceremonies if c.items or clean_text(c.title_en)]
        if not ceremonies:
            empty = Block()
            text = self.words.both(N_("No signings or presentations are planned yet."))
            empty.pad(empty.text(self.ts, text, CELL, 0, width=TEXT_WIDTH))
            flow.place(empty)
        for ceremony in ceremonies:
            cues = []
            for item in ceremony.items:
                number += 1
                cues.append(self.cue(number, ceremony, item))
            head = self.ceremony_head(ceremony)
            flow.place(head, keep_with=cues[0].height if cues else 0.0)
            for cue in cues:
                flow.place(cue)
            flow.space(mm(4))
        total = len(flow.pages)
        for page, content in enumerate(flow.pages, start=1):
            self.footer(content, page, total)
        return flow.pages


def _shift(
    draw: Callable[[Content, float, float], None], dx: float
) -> Callable[[Content, float, float], None]:
    def shifted(content: Content, left: float, top: float) -> None:
        draw(content, left + dx, top)

    return shifted


def layout_stage_sheet(ts: Typesetter, data: StageSheetData) -> list[Content]:
    """Lay out the stage manager's sheet; return its pages."""
    return _Sheet(ts, data).layout()


def write_stage_sheet(data: StageSheetData, out: BinaryIO) -> int:
    """Write the stage manager's sheet as an A4 PDF to out; return the number of pages."""
    title = f"Stage manager's sheet: {clean_text(data.occasion.title_en)}"
    writer, ts = new_writer(out, title, data.wording.language)
    pages = layout_stage_sheet(ts, data)
    for content in pages:
        writer.add_page(PAGE_WIDTH, PAGE_HEIGHT, content)
    writer.close()
    return len(pages)


def render_stage_sheet(data: StageSheetData) -> bytes:
    """Return the stage manager's sheet as an A4 PDF."""
    buffer = io.BytesIO()
    write_stage_sheet(data, buffer)
    return buffer.getvalue()
