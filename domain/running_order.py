"""The running order of one gathering: what happens when and where.

It is the consistency boundary for the rule that two items never take the same
location at the same time, unless one of them is marked parallel.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.common import check_text, check_within, derived_id
from domain.errors import AgendaOverlap, InvalidValue, NotFound

MAX_ITEMS = 200


class AgendaKind(StrEnum):
    """What sort of item it is."""

    SPEECH = "speech"
    CEREMONY = "ceremony"
    EXHIBITION = "exhibition"
    TOUR = "tour"
    RECEPTION = "reception"
    OTHER = "other"


@dataclass(frozen=True)
class AgendaItem:
    """One item of the running order."""

    starts_at: datetime
    ends_at: datetime
    title_en: str
    title_zh: str
    kind: str
    location: str
    speaker_name: str = ""
    speaker_registration_id: str = ""
    ceremony_id: str = ""
    parallel: bool = False
    notes: str = ""

    def checked(self, window: tuple[datetime, datetime]) -> dict[str, Any]:
        """Return the item as plain data, or raise a domain error naming the field."""
        check_within(self.starts_at, window, "starts_at")
        check_within(self.ends_at, window, "ends_at")
        if self.ends_at <= self.starts_at:
            raise InvalidValue("ends_at must be after starts_at", field="ends_at")
        try:
            kind = AgendaKind(self.kind)
        except ValueError:
            raise InvalidValue("unknown kind %(kind)r", field="kind", kind=self.kind) from None
        return {
            **asdict(self),
            "kind": kind.value,
            "title_en": check_text(self.title_en, "title_en"),
            "title_zh": check_text(self.title_zh, "title_zh", limit=100),
            "location": check_text(self.location, "location", limit=100),
            "speaker_name": check_text(self.speaker_name, "speaker_name", required=False),
            "notes": check_text(self.notes, "notes", limit=500, required=False),
        }


class RunningOrder(Aggregate):
    """The agenda items of one gathering."""

    @staticmethod
    def create_id(gathering_id: UUID) -> UUID:
        """Return the id of the running order of the gathering `gathering_id`."""
        return derived_id("running-order", gathering_id.hex)

    @event("Opened")
    def __init__(self, gathering_id: UUID) -> None:
        self.gathering_id = gathering_id
        self.items: dict[str, dict[str, Any]] = {}
        self.ceremony_ids: list[str] = []

    def list_ceremony(self, ceremony_id: UUID) -> None:
        """Note a newly planned ceremony of the gathering, so it can be found again."""
        if str(ceremony_id) not in self.ceremony_ids:
            self._list_ceremony(ceremony_id=str(ceremony_id))

    @event("CeremonyListed")
    def _list_ceremony(self, ceremony_id: str) -> None:
        self.ceremony_ids.append(ceremony_id)

    def item(self, item_id: str) -> dict[str, Any]:
        """Return one item, or raise NotFound."""
        try:
            return self.items[item_id]
        except KeyError:
            raise NotFound("no such agenda item", field="item_id") from None

    def in_order(self) -> list[dict[str, Any]]:
        """Return the items by start time (then end time and location)."""
        return sorted(
            self.items.values(), key=lambda i: (i["starts_at"], i["ends_at"], i["location"])
        )

    def _check_free(self, data: dict[str, Any], item_id: str) -> None:
        if data["parallel"]:
            return
        for other_id, other in self.items.items():
            if other_id == item_id or other["parallel"]:
                continue
            same_place = other["location"].casefold() == data["location"].casefold()
            overlaps = other["starts_at"] < data["ends_at"] and data["starts_at"] < other["ends_at"]
            if same_place and overlaps:
                raise AgendaOverlap(
                    "%(location)s is taken then by %(title)r (%(starts_at)s to %(ends_at)s); "
                    "change the time or mark the item parallel",
                    field="starts_at",
                    location=data["location"],
                    title=other["title_en"],
                    starts_at=other["starts_at"].isoformat(),
                    ends_at=other["ends_at"].isoformat(),
                )

    def schedule(
        self,
        item_id: str,
        item: AgendaItem,
        window: tuple[datetime, datetime],
        at: datetime,
        actor: str,
    ) -> None:
        """Add an item to the running order."""
        if item_id in self.items:
            raise InvalidValue("this agenda item exists already", field="item_id")
        if len(self.items) >= MAX_ITEMS:
            raise InvalidValue("at most %(limit)s agenda items", field="items", limit=MAX_ITEMS)
        data = item.checked(window)
        self._check_free(data, item_id)
        self._schedule(item={**data, "id": item_id}, at=at, actor=actor)

    @event("ItemScheduled")
    def _schedule(self, item: dict[str, Any], at: datetime, actor: str) -> None:
        self.items[item["id"]] = item

    def change(
        self,
        item_id: str,
        item: AgendaItem,
        window: tuple[datetime, datetime],
        at: datetime,
        actor: str,
    ) -> None:
        """Replace an item's time, titles, kind, speaker or place."""
        self.item(item_id)
        data = item.checked(window)
        self._check_free(data, item_id)
        self._change(item={**data, "id": item_id}, at=at, actor=actor)

    @event("ItemChanged")
    def _change(self, item: dict[str, Any], at: datetime, actor: str) -> None:
        self.items[item["id"]] = item

    def remove(self, item_id: str, at: datetime, actor: str) -> None:
        """Take an item out of the running order."""
        self.item(item_id)
        self._remove(item_id=item_id, at=at, actor=actor)

    @event("ItemRemoved")
    def _remove(self, item_id: str, at: datetime, actor: str) -> None:
        del self.items[item_id]
