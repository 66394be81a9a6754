"""Who stands where for one cue of the stage sheet (see ``printing.stage_sheet``)."""

from __future__ import annotations

from dataclasses import dataclass

from printing.documents import CeremonyItemData, Person
from printing.stage_sheet_look import clean


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
    """Return the index of the first party naming the person's organisation (or containing it)."""
    names = [n.casefold() for n in (clean(person.organisation), clean(person.organisation_zh)) if n]
    for index, party in enumerate(parties):
        folded = party.casefold()
        if any(name in folded or folded in name for name in names):
            return index
    return len(parties)


def stage_positions(kind: str, item: CeremonyItemData) -> list[Position]:
    """Return who stands where for one item, front row then back row."""
    kind = kind.strip().lower()
    if kind == "award":
        front = [("recipient", p) for p in item.people] + [
            ("presenter", p) for p in item.presenters
        ]
        back: list[tuple[str, Person]] = []
    else:
        parties = [clean(p) for p in item.parties if clean(p)]
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
