"""Planning the showcase: sectors, booth slots, exhibiting firms and their staff codes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate

from domain.exhibition import BoothSlot, Exhibition, FirmProfile, FirmState
from events_app.services.planning.loading import PlanLoading
from events_app.store.application import HistoryEntry


class ExhibitionPlanning(PlanLoading):
    """What organisers do to the exhibition, one change at a time."""

    def _change_exhibition(
        self, slug: str, change: Callable[[Exhibition, datetime], None]
    ) -> Exhibition:
        gathering = self._app.gathering(slug)

        def command() -> tuple[Exhibition, list[Aggregate]]:
            exhibition = self._exhibition(gathering)
            change(exhibition, self._app.clock())
            return exhibition, [exhibition]

        return self._app.execute(gathering.id, command)

    def add_sector(self, slug: str, sector: str, actor: str) -> Exhibition:
        """Offer another sector."""
        return self._change_exhibition(slug, lambda e, at: e.add_sector(sector, at, actor))

    def define_slot(self, slug: str, slot: BoothSlot, actor: str) -> Exhibition:
        """Add or change a booth slot."""
        return self._change_exhibition(slug, lambda e, at: e.define_slot(slot, at, actor))

    def remove_slot(self, slug: str, code: str, actor: str) -> Exhibition:
        """Take away a free booth slot."""
        return self._change_exhibition(slug, lambda e, at: e.remove_slot(code, at, actor))

    def apply(self, slug: str, profile: FirmProfile, actor: str) -> tuple[UUID, Exhibition]:
        """Take in a firm's application; return its id."""
        firm_id = uuid4()
        exhibition = self._change_exhibition(
            slug, lambda e, at: e.apply(firm_id, profile, at, actor)
        )
        return firm_id, exhibition

    def change_profile(
        self, slug: str, firm_id: UUID, profile: FirmProfile, actor: str
    ) -> Exhibition:
        """Change what the showcase says about a firm."""
        return self._change_exhibition(
            slug, lambda e, at: e.change_profile(firm_id, profile, at, actor)
        )

    def allocate(self, slug: str, firm_id: UUID, slot: str, actor: str) -> Exhibition:
        """Give a firm a free slot."""
        return self._change_exhibition(slug, lambda e, at: e.allocate(firm_id, slot, at, actor))

    def confirm(self, slug: str, firm_id: UUID, actor: str) -> Exhibition:
        """Record that a firm accepts its slot."""
        return self._change_exhibition(slug, lambda e, at: e.confirm(firm_id, at, actor))

    def move(self, slug: str, firm_id: UUID, slot: str, actor: str) -> Exhibition:
        """Move a firm to a free slot."""
        return self._change_exhibition(slug, lambda e, at: e.move(firm_id, slot, at, actor))

    def swap(self, slug: str, first: UUID, second: UUID, actor: str) -> Exhibition:
        """Exchange two firms' slots."""
        return self._change_exhibition(slug, lambda e, at: e.swap(first, second, at, actor))

    def withdraw_firm(self, slug: str, firm_id: UUID, reason: str, actor: str) -> Exhibition:
        """Withdraw a firm; its slot is freed and its staff registrations are cancelled."""
        gathering = self._app.gathering(slug)

        def command() -> tuple[Exhibition, list[Aggregate]]:
            exhibition = self._exhibition(gathering)
            at = self._app.clock()
            staff = exhibition.staff_of(firm_id) + exhibition.requests_of(firm_id)
            exhibition.withdraw(firm_id, reason, at, actor)
            changed = self._app.cancel_many(
                gathering.id, staff, actor, f"exhibitor withdrawn: {reason}".strip(": "), at
            )
            return exhibition, [exhibition, *changed]

        return self._app.execute(gathering.id, command)

    def staff_code(self, slug: str, firm_id: UUID) -> str:
        """Return the firm's current staff code (for its contact and the pre-filled link)."""
        exhibition = self.exhibition(slug)
        generation = exhibition.staff_code_generation(firm_id)
        return self._app.staff_codes.code_for(firm_id, generation)

    def renew_staff_code(self, slug: str, firm_id: UUID, actor: str) -> Exhibition:
        """Give a firm a new staff code; the old one (and its link) stops working."""
        return self._change_exhibition(slug, lambda e, at: e.renew_staff_code(firm_id, at, actor))

    def history_of_slot(self, slug: str, code: str) -> list[HistoryEntry]:
        """Return every change that touched a booth slot (also a removed one), oldest first."""
        key = code.strip().upper()
        exhibition = self.exhibition(slug)
        changes = [c for c in self._history(exhibition.id) if key in _slots_named(c.data)]
        if not changes:
            exhibition.slot(key)  # raises NotFound
        return changes

    def history_of_firm(self, slug: str, firm_id: UUID) -> list[HistoryEntry]:
        """Return every change that touched an exhibiting firm, oldest first."""
        exhibition = self.exhibition(slug)
        exhibition.firm(firm_id)
        return [c for c in self._history(exhibition.id) if firm_id.hex in _firms_named(c.data)]

    def firms_taking_staff(self, slug: str) -> list[dict[str, Any]]:
        """Return the firms whose staff may register (allocated or confirmed), by name."""
        exhibition = self.exhibition(slug)
        placed = [
            {
                **firm,
                "id": str(UUID(firm["id"])),
                "staff_taken": len(exhibition.staff_of(UUID(firm["id"]))),
            }
            for firm in exhibition.firms.values()
            if firm["state"] in (FirmState.ALLOCATED, FirmState.CONFIRMED)
        ]
        return sorted(placed, key=lambda f: (f["name_en"].casefold(), f["name_zh"]))


def _slots_named(data: dict[str, Any]) -> set[str]:
    """Return the slot codes an exhibition event names (SlotDefined holds the whole slot)."""
    names = [data.get(k) for k in ("slot", "from_slot", "to_slot", "first_slot", "second_slot")]
    if isinstance(data.get("slot"), dict):
        names.append(data["slot"].get("code"))
    return {n for n in names if isinstance(n, str)}


def _firms_named(data: dict[str, Any]) -> set[str]:
    return {
        str(data[k]) for k in ("firm_id", "first_firm", "second_firm") if data.get(k) is not None
    }
