"""The stage sheet's story: per ceremony a tinted heading, per cue its heading, plan, table, notes.

Each cue is kept together on a page when it fits (``KeepTogether``), a ceremony's heading
stays with its first cue, and the positions table repeats its heading row when it breaks.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, KeepTogether, Spacer, Table, TableStyle

from printing.documents import CeremonyData, CeremonyItemData, Person, StageSheetData
from printing.flow import Bookmark
from printing.flow import style as paragraph_style
from printing.linebreak import Text
from printing.stage_positions import Position, stage_positions
from printing.stage_sheet_look import (
    CELL,
    CELL_BOLD,
    CEREMONY_EN,
    CEREMONY_ZH,
    CUE_EN,
    CUE_TIME,
    CUE_ZH,
    GOLD,
    HAIR,
    HAIRLINE,
    INK_MUTED,
    INK_SOFT,
    META,
    NAVY,
    PAPER_TINT,
    SMALL,
    WHITE,
    Label,
    Type,
    baseline,
    clean,
    join,
    label,
    tint,
)
from printing.stage_sheet_plan import ROLES, ZONES, Sheet, stage_plan
from printing.wording import N_, NC_

KINDS = {"signing": N_("Signing"), "pledge": N_("Pledge"), "award": N_("Award")}
"""The English of ceremony kinds: messages, their Chinese the wording's."""
GUTTER = 24 * mm
"""The cues' left column (number and time); their heading, plan and table stand right of it."""
ROLE_COLUMN = 27 * mm
NO_PADDING = [
    (f"{side}PADDING", (0, 0), (-1, -1), 0) for side in ("LEFT", "RIGHT", "TOP", "BOTTOM")
]


def text(sheet: Sheet, value: str, kind: Type, **options: Any) -> Text:
    """Return value (cleaned; line breaks kept) as a paragraph in the sheet's fonts and a type."""
    book, script = sheet.setter.book, sheet.setter.script
    name = f"stage-{kind.size}-{kind.bold}-{options.get('alignment', 0)}"
    style: ParagraphStyle = paragraph_style(
        book,
        name,
        kind.size,
        bold=kind.bold,
        leading=kind.leading,
        textColor=kind.colour,
        **options,
    )
    lines = clean(value, keep_newlines=True).split("\n")
    return Text("<br/>".join(book.markup(line, script, kind.bold) for line in lines), style)


def _table(
    sheet: Sheet, rows: list[list[Any]], widths: list[float], commands: list, **options: Any
) -> Table:
    """Return a table of fixed column widths, unpadded unless commands say otherwise."""
    table = Table(rows, colWidths=widths, **options)
    font = ("FONTNAME", (0, 0), (-1, -1), sheet.setter.book.base)  # not reportlab's Helvetica
    table.setStyle(TableStyle([*NO_PADDING, font, ("VALIGN", (0, 0), (-1, -1), "TOP"), *commands]))
    return table


def ceremony_head(sheet: Sheet, ceremony: CeremonyData) -> Table:
    """Return a ceremony's heading: a tinted band with time, titles, place and notes."""
    words, total = sheet.words, sheet.indent + sheet.width
    body: list[Flowable] = []
    for value, kind in ((ceremony.title_en, CEREMONY_EN), (ceremony.title_zh, CEREMONY_ZH)):
        if clean(value):
            body.append(text(sheet, value, kind))
    known = KINDS.get(ceremony.kind.strip().lower())
    kind_text = words.both(known, " ") if known else clean(ceremony.kind)
    # Translators: printed after the English count, e.g. "3 item(s) 項".
    count = words.both(N_("{count} item(s)"), " ", count=len(ceremony.items))
    body += [Spacer(0, 0.5 * mm), text(sheet, join(kind_text, ceremony.location, count), META)]
    if clean(ceremony.notes):
        body.append(text(sheet, ceremony.notes, META.but(colour=INK_SOFT)))
    starts = text(sheet, ceremony.starts, CUE_TIME.but(size=13, leading=14.5))
    widths = [1.2 * mm, GUTTER - 1.2 * mm, total - GUTTER]
    commands = [
        ("BACKGROUND", (0, 0), (-1, -1), PAPER_TINT),
        ("BACKGROUND", (0, 0), (0, 0), NAVY),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5 * mm),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5 * mm),
        ("LEFTPADDING", (1, 0), (1, 0), 3.8 * mm),
        ("RIGHTPADDING", (2, 0), (2, 0), 2.5 * mm),
    ]
    table = _table(sheet, [[Spacer(0, 0), starts, body]], widths, commands, spaceAfter=4 * mm)
    return table


class CueChip(Flowable):
    """A cue's number, white in a navy chip, and its time below."""

    def __init__(self, sheet: Sheet, number: int, time: str) -> None:
        super().__init__()
        self.sheet, self.number, self.time = sheet, number, time
        self.width, self.height = GUTTER, 5.2 * mm + CUE_TIME.leading

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Take the gutter's width and the chip's height."""
        return self.width, self.height

    def draw(self) -> None:
        """Draw the chip, its number and the time."""
        canvas, setter, top = self.canv, self.sheet.setter, self.height
        canvas.setFillColor(NAVY)
        canvas.roundRect(0, top - 5.2 * mm, 11 * mm, 5.2 * mm, 2, stroke=0, fill=1)
        number = CELL_BOLD.but(colour=WHITE, size=8.5)
        how = {"align": "centre", "width": 11 * mm}
        setter.draw(canvas, 0, top - 3.6 * mm, f"{self.number:02d}", number, **how)
        if self.time:
            how = {"width": GUTTER - 2 * mm, "least": 8}
            setter.draw_fitted(
                canvas, 0, baseline(top - 6.5 * mm, CUE_TIME), self.time, CUE_TIME, **how
            )


def cue_head(sheet: Sheet, number: int, ceremony: CeremonyData, item: CeremonyItemData) -> Table:
    """Return a cue's heading: its number and time in a chip, titles, and reference."""
    time = clean(item.time) or (clean(ceremony.starts) if number == 1 else "")
    reference = clean(item.reference)
    ref_width = min(60 * mm, sheet.setter.width(reference, META) + 4 * mm)
    titles: list[Flowable] = [
        text(sheet, value, kind)
        for value, kind in ((item.title_en, CUE_EN), (item.title_zh, CUE_ZH))
        if clean(value)
    ]
    ref = text(sheet, reference, META, alignment=TA_RIGHT)
    widths = [GUTTER, sheet.width - ref_width, ref_width]
    commands = [("RIGHTPADDING", (1, 0), (1, 0), 2 * mm)]
    return _table(
        sheet, [[CueChip(sheet, number, time), titles, ref]], widths, commands, spaceAfter=2 * mm
    )


def positions_table(sheet: Sheet, positions: list[Position]) -> Table:
    """Return the positions table: number, zone, names, title and organisation, role."""
    words, width = sheet.words, sheet.width
    widths = [8 * mm, 19 * mm, 46 * mm, width - 73 * mm - ROLE_COLUMN, ROLE_COLUMN]
    keys = [N_("Zone"), N_("Name"), N_("Title, organisation"), N_("Role")]
    head = [Label(sheet.setter, "#", SMALL)] + [
        Label(sheet.setter, words.both(key), SMALL) for key in keys
    ]
    rows = [head] + [_row(sheet, position) for position in positions]
    commands = [
        ("RIGHTPADDING", (0, 0), (-1, -1), 2 * mm),
        ("TOPPADDING", (0, 1), (-1, -1), 0.8 * mm),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0.8 * mm),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, INK_SOFT),
        ("LINEBELOW", (0, 1), (-1, -1), HAIR, HAIRLINE),
    ]
    return _table(sheet, rows, widths, commands, repeatRows=1, hAlign="RIGHT")


def _row(sheet: Sheet, position: Position) -> list[Any]:
    """Return one position's cells in the table."""
    words, person = sheet.words, position.person
    zone: list[Flowable] = [text(sheet, words.both(ZONES[position.zone]), CELL)]
    if position.row == "back":
        zone.append(text(sheet, words.both(N_("Back row")), CELL.but(size=8, colour=INK_MUTED)))
    known = ROLES.get(position.role, ("", INK_MUTED))[0]
    role = words.both(known) if known else position.role
    if sheet.setter.width(role, CELL) > ROLE_COLUMN - 2 * mm:
        role = words.both(known, "\n") if known else role  # Chinese below, not cut in two
    return [
        text(sheet, str(position.number), CELL_BOLD),
        zone,
        text(sheet, join(person.name_en, person.name_zh, separator="  "), CELL_BOLD),
        text(sheet, _details(person), CELL.but(size=8, leading=11)),
        text(sheet, role, CELL),
    ]


def _details(person: Person) -> str:
    """Return a person's title and organisation (in both languages) on one line."""
    organisation = join(person.organisation, person.organisation_zh, separator=" ")
    return join(person.title, organisation, separator=", ")


def notes_box(sheet: Sheet, notes: str) -> Table:
    """Return the notes of a cue in a box tinted gold."""
    heading = label(sheet.words, NC_("stage sheet's remarks", "Notes"))
    rows = [[Label(sheet.setter, heading, SMALL.but(colour=GOLD))], [text(sheet, notes, CELL)]]
    pad = 2.2 * mm
    commands = [
        ("BACKGROUND", (0, 0), (-1, -1), tint(GOLD, 0.1)),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (0, 0), pad),
        ("BOTTOMPADDING", (0, -1), (0, -1), pad),
    ]
    return _table(sheet, rows, [sheet.width], commands, hAlign="RIGHT", spaceBefore=2 * mm)


def cue(
    sheet: Sheet, number: int, ceremony: CeremonyData, item: CeremonyItemData
) -> list[Flowable]:
    """Return one cue's flowables: heading, plan, positions table, notes and a rule below."""
    parts: list[Flowable] = [cue_head(sheet, number, ceremony, item)]
    positions = stage_positions(ceremony.kind, item)
    if positions:
        parts += [*stage_plan(sheet, positions), Spacer(0, 3 * mm)]
        parts.append(positions_table(sheet, positions))
    else:
        nobody = sheet.words.both(N_("No one placed yet."))
        parts.append(text(sheet, nobody, META, leftIndent=GUTTER))
    if clean(item.notes):
        parts.append(notes_box(sheet, item.notes))
    parts.append(HRFlowable("100%", HAIR, color=HAIRLINE, spaceBefore=4 * mm, spaceAfter=4 * mm))
    return parts


class Kept(KeepTogether):
    """Flowables kept on one page where they fit; started where they are if no page can hold them.

    (reportlab's KeepTogether would first move them to a taller frame: an empty first page.)
    """

    def __init__(self, flowables: list[Flowable], room: float) -> None:
        super().__init__(flowables)
        self.room = room

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """Split into the content (and a frame break where the content would fit the next)."""
        if getattr(self, "_wrapInfo", None) != (available_width, available_height):
            self.wrap(available_width, available_height)
        if self.room and self.room < self._H:
            return list(self._content)
        return super().split(available_width, available_height)


def story(sheet: Sheet, data: StageSheetData) -> list[Flowable]:
    """Return the whole sheet: each ceremony's heading kept with its first cue, then the rest."""
    ceremonies = [c for c in data.ceremonies if c.items or clean(c.title_en)]
    if not ceremonies:
        empty = sheet.words.both(N_("No signings or presentations are planned yet."))
        return [text(sheet, empty, CELL)]
    flowables: list[Flowable] = []
    number = 0
    for ceremony in ceremonies:
        mark = Bookmark(join(ceremony.starts, ceremony.title_en, ceremony.title_zh))
        kept: list[Flowable] = [mark, ceremony_head(sheet, ceremony)]
        for item in ceremony.items:
            number += 1
            kept += cue(sheet, number, ceremony, item)
            flowables.append(Kept(kept, sheet.page_room))  # a cue on one page where it fits
            kept = []
        flowables += [*kept, Spacer(0, 4 * mm)]
    return flowables
