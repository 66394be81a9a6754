"""The programme's running order and ceremonies: agenda rows, ceremony heads and items."""

from __future__ import annotations

from printing.documents import (
    AgendaEntry,
    CeremonyData,
    CeremonyItemData,
    Person,
)
from printing.layout import (
    GOLD,
    INK_SOFT,
    NAVY,
    Block,
    Flow,
    join,
    label,
)
from printing.pdf import mm
from printing.programme_page import ProgrammePage
from printing.textfit import clean_text
from printing.wording import N_

PEOPLE_LABELS = {
    "signing": N_("Signatories"),
    "pledge": N_("Partners"),
    "award": N_("Recipients"),
}


class RunningOrderBlocks(ProgrammePage):
    """The blocks of the running order and the ceremonies."""

    def agenda_row(self, entry: AgendaEntry) -> Block:
        """Return one row of the running order: times left, titles and details right."""
        ts, block = self.ts, Block(keep=True)
        pad = mm(2.2 * self.scale)
        x = self._time_column()
        width = self.text_width - x
        y = block.lines(ts, [clean_text(entry.starts)], self.time, pad)
        if clean_text(entry.ends):
            block.lines(ts, [f"– {clean_text(entry.ends)}"], self.time_end, y)
        y = pad
        if clean_text(entry.title_en):
            y = block.text(ts, entry.title_en, self.title_en, y, x=x, width=width)
        if clean_text(entry.title_zh):
            y = block.text(ts, entry.title_zh, self.title_zh, y, x=x, width=width)
        details = join(entry.speaker, entry.location)
        if details:
            y = block.text(ts, details, self.meta, y + mm(0.4), x=x, width=width)
        if clean_text(entry.notes):
            y = block.text(ts, entry.notes, self.meta.but(colour=INK_SOFT), y, x=x, width=width)
        bottom = max(y, block.height) + pad
        block.rule(bottom, 0, self.text_width)
        block.pad(bottom)
        return block

    def ceremony_head(self, ceremony: CeremonyData) -> Block:
        """Return the heading of one ceremony: time, titles, place."""
        ts, block = self.ts, Block(keep=True)
        x = self._time_column()
        width = self.text_width - x
        top = mm(1.5 * self.scale)
        block.lines(ts, [clean_text(ceremony.starts)], self.time, top)
        title = self.title_en.but(size=self.title_en.size * 1.1, colour=NAVY)
        y = top
        if clean_text(ceremony.title_en):
            y = block.text(ts, ceremony.title_en, title, y, x=x, width=width)
        if clean_text(ceremony.title_zh):
            y = block.text(ts, ceremony.title_zh, self.title_zh, y, x=x, width=width)
        details = join(ceremony.location, ceremony.notes)
        if details:
            y = block.text(ts, details, self.meta, y, x=x, width=width)
        block.pad(max(y, block.height) + mm(1.5 * self.scale))
        return block

    def ceremony_item(self, kind: str, number: int, item: CeremonyItemData) -> Block:
        """Return one item of a ceremony: reference, titles, parties and people.

        The titles, each party and each person are unbreakable units; a long item may break
        between them (never between a group's label and its first entry).
        """
        ts = self.ts
        x = self._time_column()
        width = self.text_width - x
        head = Block()
        reference = join(f"{number:02d}", clean_text(item.reference), separator="   ")
        y = head.lines(ts, [reference], self.small_label.but(colour=GOLD), 0)
        if clean_text(item.title_en):
            y = head.text(ts, item.title_en, self.title_en, y, width=width)
        if clean_text(item.title_zh):
            y = head.text(ts, item.title_zh, self.title_zh, y, width=width)
        units = [(head, 0.0)]

        for key, entries in self.item_groups(kind, item, width):
            if not entries:
                continue
            first = Block()
            y = first.lines(ts, [label(self.words, key)], self.small_label, 0)
            first.pad(first.embed(entries[0], y))
            units.append((first, mm(1)))
            units += [(entry, 0.0) for entry in entries[1:]]

        block = Block(orphans=1, widows=1)
        y = mm(1.2 * self.scale)
        for unit, space in units:
            y = block.embed(unit, y + space, x)
        block.pad(y + mm(2.5 * self.scale))
        block.keep = block.height <= self.frame(1).height * 0.4
        return block

    def item_groups(
        self, kind: str, item: CeremonyItemData, width: float
    ) -> list[tuple[str, list[Block]]]:
        """Return an item's groups (parties, people, presenters), each label with its entries."""
        ts = self.ts
        groups: list[tuple[str, list[Block]]] = []
        parties = [clean_text(p) for p in item.parties if clean_text(p)]
        if parties and kind != "award":
            entries = []
            for party in parties:
                entry = Block()
                entry.pad(entry.text(ts, party, self.body, 0, width=width))
                entries.append(entry)
            groups.append((N_("Parties"), entries))
        people = PEOPLE_LABELS.get(kind, N_("People"))
        groups.append((people, [self.person(p, width) for p in item.people]))
        groups.append((N_("Presented by"), [self.person(p, width) for p in item.presenters]))
        return groups

    def person(self, person: Person, width: float) -> Block:
        """Return a person: names in bold, then title and organisation."""
        ts, block = self.ts, Block()
        organisation = join(person.organisation, person.organisation_zh, separator=" ")
        if person.has_name:
            name = join(person.name_en, person.name_zh, separator=" ")
            y = block.text(ts, name, self.name, 0, width=width)
            details = join(person.title, organisation, separator=", ")
        else:
            y = block.text(ts, organisation, self.name, 0, width=width)
            details = clean_text(person.title)
        if details:
            y = block.text(ts, details, self.meta, y, width=width)
        block.pad(y + mm(0.6))
        return block

    def place_running_order(self, flow: Flow) -> None:
        """Place the running order, then the ceremonies, from a new page (if there are any)."""
        agenda = [self.agenda_row(entry) for entry in self.data.agenda]
        ceremonies = [c for c in self.data.ceremonies if c.items or clean_text(c.title_en)]
        if not (agenda or ceremonies):
            return
        first = agenda[0] if agenda else self.ceremony_head(ceremonies[0])
        self.section = N_("Running order")
        flow.new_page()
        if agenda:
            self._begin_section(flow, N_("Running order"), first)
            for row in agenda:
                flow.place(row)
        if ceremonies:
            flow.space(mm(8 * self.scale))
            self.place_ceremonies(flow, ceremonies)

    def place_ceremonies(self, flow: Flow, ceremonies: list[CeremonyData]) -> None:
        """Place the ceremonies, each head kept with the start of its first item."""
        head = self.ceremony_head(ceremonies[0])
        self._begin_section(flow, N_("Ceremonies"), head)
        for ceremony in ceremonies:
            kind = ceremony.kind.strip().lower()
            items = [self.ceremony_item(kind, n, i) for n, i in enumerate(ceremony.items, 1)]
            keep = min(items[0].height, items[0].head_height(2)) if items else 0.0
            flow.place(self.ceremony_head(ceremony), keep_with=keep)
            for item in items:
                flow.place(item)
            flow.space(mm(3))
