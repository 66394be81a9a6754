"""A ceremony on stage: signings, pledges and award presentations, with their documents.

Lifecycle: planned -> ready (documents approved) -> signed / awarded, or withdrawn.
Editing a ready ceremony sends it back to planned; nothing signed or awarded can change.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.ceremony_items import (
    MAX_AUTHORITIES,
    MAX_PEOPLE,
    Authority,
    CeremonyItem,
    Person,
    Signatory,
    with_defaults,
)
from domain.common import check_text, check_within, require_aware
from domain.errors import (
    AlreadyExists,
    DocumentLocked,
    InvalidTransition,
    InvalidValue,
    NotFound,
    Term,
)
from domain.gathering_day import GatheringDay

__all__ = [
    "FINAL_STATES",
    "MAX_AUTHORITIES",
    "MAX_ITEMS",
    "MAX_PEOPLE",
    "Authority",
    "Ceremony",
    "CeremonyItem",
    "CeremonyKind",
    "CeremonyState",
    "Person",
    "Signatory",
]

MAX_ITEMS = 60


class CeremonyKind(StrEnum):
    """What happens on stage."""

    SIGNING = "signing"  # e.g. tenant agreements, "Global Connect" partner agreements
    PLEDGE = "pledge"  # many partners commit together on one stage
    AWARD = "award"  # e.g. certificates presented to research entities


class CeremonyState(StrEnum):
    """Where a ceremony stands."""

    PLANNED = "planned"
    READY = "ready"
    SIGNED = "signed"
    AWARDED = "awarded"
    WITHDRAWN = "withdrawn"


FINAL_STATES = frozenset({CeremonyState.SIGNED, CeremonyState.AWARDED, CeremonyState.WITHDRAWN})


class Ceremony(Aggregate):
    """One ceremony of a gathering, with its items in running order."""

    @event("Planned")
    def __init__(
        self,
        gathering_id: UUID,
        kind: str,
        title_en: str,
        title_zh: str,
        starts_at: datetime,
        location: str,
        at: datetime,
        actor: str,
    ) -> None:
        self.gathering_id = gathering_id
        self.kind = CeremonyKind(kind)
        self.title_en = title_en
        self.title_zh = title_zh
        self.starts_at = starts_at
        self.location = location
        self.state = CeremonyState.PLANNED
        self.items: list[dict[str, Any]] = []
        self.completed_at: datetime | None = None
        self.completed_by = ""
        self.updated_at = at

    @classmethod
    def plan(
        cls,
        *,
        gathering_id: UUID,
        kind: str,
        title_en: str,
        title_zh: str,
        starts_at: datetime,
        location: str,
        window: tuple[datetime, datetime],
        at: datetime,
        actor: str,
    ) -> Ceremony:
        """Plan a ceremony within the gathering's window."""
        try:
            ceremony_kind = CeremonyKind(kind)
        except ValueError:
            raise InvalidValue("unknown ceremony kind %(kind)r", field="kind", kind=kind) from None
        check_within(starts_at, window, "starts_at")
        return cls(
            gathering_id=gathering_id,
            kind=ceremony_kind.value,
            title_en=check_text(title_en, "title_en"),
            title_zh=check_text(title_zh, "title_zh", limit=100),
            starts_at=starts_at,
            location=check_text(location, "location", required=False),
            at=at,
            actor=actor,
        )

    # Queries ---------------------------------------------------------------

    def item(self, item_id: str) -> dict[str, Any]:
        """Return one item, or raise NotFound."""
        for item in self.items:
            if item["id"] == item_id:
                return item
        raise NotFound("no item %(item_id)r in this ceremony", field="item_id", item_id=item_id)

    def check_editable(self) -> None:
        """Raise DocumentLocked once signed or awarded, InvalidTransition once withdrawn."""
        if self.state in (CeremonyState.SIGNED, CeremonyState.AWARDED):
            raise DocumentLocked(
                "this ceremony is %(state)s: its documents cannot change",
                field="state",
                state=Term(self.state.value),
            )
        if self.state is CeremonyState.WITHDRAWN:
            raise InvalidTransition("this ceremony was withdrawn", field="state")

    @property
    def completed_state(self) -> CeremonyState:
        """Return the state the ceremony ends in when it happens."""
        return CeremonyState.AWARDED if self.kind is CeremonyKind.AWARD else CeremonyState.SIGNED

    # Editing (sends a ready ceremony back to planned) ---------------------------

    def change_details(
        self,
        *,
        title_en: str,
        title_zh: str,
        starts_at: datetime,
        location: str,
        window: tuple[datetime, datetime],
        at: datetime,
        actor: str,
    ) -> None:
        """Change the title, time or place."""
        self.check_editable()
        check_within(starts_at, window, "starts_at")
        self._change_details(
            title_en=check_text(title_en, "title_en"),
            title_zh=check_text(title_zh, "title_zh", limit=100),
            starts_at=starts_at,
            location=check_text(location, "location", required=False),
            at=at,
            actor=actor,
        )

    @event("DetailsChanged")
    def _change_details(
        self,
        title_en: str,
        title_zh: str,
        starts_at: datetime,
        location: str,
        at: datetime,
        actor: str,
    ) -> None:
        self.title_en, self.title_zh = title_en, title_zh
        self.starts_at, self.location = starts_at, location
        self._edited(at)

    def add_item(self, item_id: str, item: CeremonyItem, at: datetime, actor: str) -> None:
        """Add an agreement, pledge or award at the end of the running order."""
        self.check_editable()
        if len(self.items) >= MAX_ITEMS:
            raise InvalidValue("at most %(limit)s items a ceremony", field="items", limit=MAX_ITEMS)
        data = self._checked_item(item)
        self._check_reference_free(data["reference"], item_id)
        self._add_item(item={**data, "id": item_id}, at=at, actor=actor)

    @event("ItemAdded")
    def _add_item(self, item: dict[str, Any], at: datetime, actor: str) -> None:
        self.items.append(with_defaults(item))
        self._edited(at)

    def change_item(self, item_id: str, item: CeremonyItem, at: datetime, actor: str) -> None:
        """Replace an item's parties, people, reference or text."""
        self.check_editable()
        self.item(item_id)
        data = self._checked_item(item)
        self._check_reference_free(data["reference"], item_id)
        self._change_item(item={**data, "id": item_id}, at=at, actor=actor)

    @event("ItemChanged")
    def _change_item(self, item: dict[str, Any], at: datetime, actor: str) -> None:
        self.items = [with_defaults(item) if i["id"] == item["id"] else i for i in self.items]
        self._edited(at)

    def remove_item(self, item_id: str, at: datetime, actor: str) -> None:
        """Take an item out of the ceremony."""
        self.check_editable()
        self.item(item_id)
        self._remove_item(item_id=item_id, at=at, actor=actor)

    @event("ItemRemoved")
    def _remove_item(self, item_id: str, at: datetime, actor: str) -> None:
        self.items = [i for i in self.items if i["id"] != item_id]
        self._edited(at)

    def reorder_items(self, order: list[str], at: datetime, actor: str) -> None:
        """Put the items in a new running order (every item exactly once)."""
        self.check_editable()
        if sorted(order) != sorted(i["id"] for i in self.items):
            raise InvalidValue("name every item of the ceremony exactly once", field="order")
        self._reorder_items(order=list(order), at=at, actor=actor)

    @event("ItemsReordered")
    def _reorder_items(self, order: list[str], at: datetime, actor: str) -> None:
        by_id = {i["id"]: i for i in self.items}
        self.items = [by_id[item_id] for item_id in order]
        self._edited(at)

    def _edited(self, at: datetime) -> None:
        if self.state is CeremonyState.READY:
            self.state = CeremonyState.PLANNED
        self.updated_at = at

    def _checked_item(self, item: CeremonyItem) -> dict[str, Any]:
        """Return an item as plain data; only an award's items name issuing authorities."""
        data = item.checked()
        if data["authorities"] and self.kind is not CeremonyKind.AWARD:
            raise InvalidValue(
                "only the items of an award name issuing authorities", field="authorities"
            )
        return data

    def _check_reference_free(self, reference: str, item_id: str) -> None:
        if any(i["reference"] == reference and i["id"] != item_id for i in self.items):
            raise AlreadyExists(
                "reference %(reference)r is used already", field="reference", reference=reference
            )

    # Lifecycle -------------------------------------------------------------------

    def mark_ready(self, at: datetime, actor: str) -> None:
        """Approve the documents: every item has a reference, people and its text."""
        if self.state is not CeremonyState.PLANNED:
            self.check_editable()
            raise InvalidTransition(
                "the ceremony is %(state)s already", field="state", state=Term(self.state.value)
            )
        if not self.items:
            raise InvalidValue("a ceremony needs at least one item to be ready", field="items")
        for item in self.items:
            if not item["people"]:
                raise InvalidValue(
                    "item %(reference)s names no signatory or recipient",
                    field="people",
                    reference=item["reference"],
                )
            if not item["clauses"]:
                raise InvalidValue(
                    "item %(reference)s has no text", field="clauses", reference=item["reference"]
                )
        self._mark_ready(at=at, actor=actor)

    @event("MarkedReady")
    def _mark_ready(self, at: datetime, actor: str) -> None:
        self.state = CeremonyState.READY
        self.updated_at = at

    def complete(
        self, happened_at: datetime, at: datetime, actor: str, *, day: GatheringDay
    ) -> None:
        """Record that the ceremony took place on the gathering's day: signed or awarded."""
        require_aware(happened_at, "happened_at")
        if self.state is not CeremonyState.READY:
            if self.state is CeremonyState.PLANNED:
                raise InvalidTransition(
                    "the documents are not approved yet (mark the ceremony ready)", field="state"
                )
            raise InvalidTransition(
                "the ceremony is %(state)s", field="state", state=Term(self.state.value)
            )
        day.check(happened_at)
        self._complete(
            state=self.completed_state.value, happened_at=happened_at, at=at, actor=actor
        )

    @event("Completed")
    def _complete(self, state: str, happened_at: datetime, at: datetime, actor: str) -> None:
        self.state = CeremonyState(state)
        self.completed_at = happened_at
        self.completed_by = actor
        self.updated_at = at

    def withdraw(self, reason: str, at: datetime, actor: str) -> None:
        """Call the ceremony off."""
        self.check_editable()
        self._withdraw(
            reason=check_text(reason, "reason", limit=500, required=False), at=at, actor=actor
        )

    @event("Withdrawn")
    def _withdraw(self, reason: str, at: datetime, actor: str) -> None:
        self.state = CeremonyState.WITHDRAWN
        self.updated_at = at
