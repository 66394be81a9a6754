"""The programme's running order and ceremonies: agenda rows, ceremony heads and items."""

from __future__ import annotations

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from printing.documents import AgendaEntry, CeremonyData, CeremonyItemData, Person
from printing.programme_page import ProgrammePage
from printing.programme_palette import GOLD, HAIR, HAIRLINE, INK_SOFT, NAVY, clean, join
from printing.wording import N_

PEOPLE_LABELS = {
    "signing": N_("Signatories"),
    "pledge": N_("Partners"),
    "award": N_("Recipients"),
}


class RunningOrderBlocks(ProgrammePage):
    """The flowables of the running order and the ceremonies."""

    def _row(self, left: list[Flowable], right: list[Flowable], pad: float, rule: bool) -> Table:
        """Return a two-column row: the time column, then the text."""
        x = self.time_column()
        table = Table([[left, right]], colWidths=[x, self.text_width - x])
        commands = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), self.book.base),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        ]
        if rule:
            commands.append(("LINEBELOW", (0, 0), (-1, -1), HAIR, Color(*HAIRLINE)))
        table.setStyle(TableStyle(commands))
        return self.splittable(table)

    def agenda_row(self, entry: AgendaEntry) -> Table:
        """Return one row of the running order: times left, titles and details right."""
        times = [self.para(entry.starts, self.time)]
        if clean(entry.ends):
            times.append(self.para(f"– {clean(entry.ends)}", self.time_end))
        text = []
        if clean(entry.title_en):
            text.append(self.para(entry.title_en, self.title_en))
        if clean(entry.title_zh):
            text.append(self.para(entry.title_zh, self.title_zh))
        details = join(entry.speaker, entry.location)
        if details:
            text.append(self.para(details, self.meta))
        if clean(entry.notes):
            text.append(self.para(entry.notes, self.meta.but(colour=INK_SOFT)))
        return self._row(times, text or [Spacer(1, 1)], mm * 2.2 * self.scale, True)

    def ceremony_head(self, ceremony: CeremonyData) -> Table:
        """Return the heading of one ceremony: time, titles, place."""
        title = self.title_en.but(size=self.title_en.size * 1.1, colour=NAVY)
        text = []
        if clean(ceremony.title_en):
            text.append(self.para(ceremony.title_en, title))
        if clean(ceremony.title_zh):
            text.append(self.para(ceremony.title_zh, self.title_zh))
        details = join(ceremony.location, ceremony.notes)
        if details:
            text.append(self.para(details, self.meta))
        return self._row(
            [self.para(ceremony.starts, self.time)], text or [Spacer(1, 1)], mm * 1.5, False
        )

    def ceremony_item(
        self, kind: str, number: int, item: CeremonyItemData
    ) -> tuple[list[list[Flowable]], bool]:
        """Return one item of a ceremony as units (reference and titles, then each entry).

        The item is kept on one page when short (the flag); a long one breaks between its
        units, never between a group's label and its first entry.
        """
        x = self.time_column()
        reference = join(f"{number:02d}", clean(item.reference), separator="   ")
        head: list[Flowable] = [
            Spacer(1, mm * 1.2 * self.scale),
            self.label_line(reference, self.small_label.but(colour=GOLD), x),
        ]
        if clean(item.title_en):
            head.append(self.para(item.title_en, self.title_en.but(indent=x)))
        if clean(item.title_zh):
            head.append(self.para(item.title_zh, self.title_zh.but(indent=x)))
        units: list[list[Flowable]] = [head]
        for key, entries in self.item_groups(kind, item):
            if entries:
                label = self.label_line(self.labelled(key), self.small_label, x)
                units.append([Spacer(1, mm), label, *entries[0]])
                units += entries[1:]
        units[-1] = [*units[-1], Spacer(1, mm * 2.5 * self.scale)]
        height = sum(f.wrap(self.text_width, self.frame_height)[1] for u in units for f in u)
        return units, height <= self.frame_height * 0.3

    def item_groups(
        self, kind: str, item: CeremonyItemData
    ) -> list[tuple[str, list[list[Flowable]]]]:
        """Return an item's groups (parties, people, presenters), each label with its entries."""
        x = self.time_column()
        groups: list[tuple[str, list[list[Flowable]]]] = []
        parties = [clean(p) for p in item.parties if clean(p)]
        if parties and kind != "award":
            entries = [[self.para(party, self.body.but(indent=x))] for party in parties]
            groups.append((N_("Parties"), entries))
        people = PEOPLE_LABELS.get(kind, N_("People"))
        groups.append((people, [self.person(p) for p in item.people]))
        groups.append((N_("Presented by"), [self.person(p) for p in item.presenters]))
        return groups

    def person(self, person: Person) -> list[Flowable]:
        """Return a person: names in bold, then title and organisation."""
        x = self.time_column()
        organisation = join(person.organisation, person.organisation_zh, separator=" ")
        if person.has_name:
            name = join(person.name_en, person.name_zh, separator=" ")
            details = join(person.title, organisation, separator=", ")
        else:
            name, details = organisation, clean(person.title)
        lines: list[Flowable] = [self.para(name, self.name.but(indent=x))]
        if details:
            lines.append(self.para(details, self.meta.but(indent=x)))
        lines.append(Spacer(1, mm * 0.6))
        return lines

    def running_order(self) -> list[Flowable]:
        """Return the running order, then the ceremonies, from a new page (if there are any)."""
        agenda = [self.agenda_row(entry) for entry in self.data.agenda]
        ceremonies = [c for c in self.data.ceremonies if c.items or clean(c.title_en)]
        if not (agenda or ceremonies):
            return []
        story: list[Flowable] = []
        if agenda:
            story.append(KeepTogether([*self.section_title(N_("Running order")), agenda[0]]))
            story += agenda[1:]
        if ceremonies:
            if agenda:
                story.append(Spacer(1, mm * 8 * self.scale))
            story += self.ceremonies(ceremonies, opens_page=not agenda)
        return story

    def ceremonies(self, ceremonies: list[CeremonyData], opens_page: bool) -> list[Flowable]:
        """Return the ceremonies, each head kept with the start of its first item."""
        story: list[Flowable] = []
        title = self.section_title(N_("Ceremonies"), opens_page)
        for ceremony in ceremonies:
            kind = ceremony.kind.strip().lower()
            chunks: list[list[Flowable]] = [[*title, self.ceremony_head(ceremony)]]
            title = []
            for number, item in enumerate(ceremony.items, 1):
                units, keep = self.ceremony_item(kind, number, item)
                if keep:
                    units = [[f for unit in units for f in unit]]
                if number == 1:
                    chunks[0] += units.pop(0)
                chunks += units
            story += [KeepTogether(chunk) for chunk in chunks]
            story.append(Spacer(1, mm * 3))
        return story
