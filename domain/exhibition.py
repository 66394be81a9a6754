"""The showcase of one gathering: booth slots, exhibiting firms and their staff badges.

It is the consistency boundary for the rules that span slots and firms: a slot never holds
two firms, a firm never holds two slots, and a firm's staff never take more badges than
its quota. Staff vouched for by their firm's staff code take a badge at once; others only
ask for one, and take it when an organiser approves them. The code itself is derived
outside the domain from the firm's id and its code generation, which renewing raises.
Every command is one event naming the slot and the firm it touches, so the history of any
slot or firm can be read back from the events.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.common import check_text, derived_id
from domain.errors import (
    AlreadyExists,
    FirmAlreadyPlaced,
    InvalidTransition,
    InvalidValue,
    Named,
    NotFound,
    SlotTaken,
    StaffCodeInvalid,
    StaffQuotaExceeded,
    Term,
)
from domain.exhibits import MAX_STAFF_QUOTA, SECTORS, BoothSlot, FirmProfile, FirmState

__all__ = ["MAX_STAFF_QUOTA", "SECTORS", "BoothSlot", "Exhibition", "FirmProfile", "FirmState"]


class Exhibition(Aggregate):
    """Booth slots and exhibiting firms of one gathering."""

    @staticmethod
    def create_id(gathering_id: UUID) -> UUID:
        """Return the id of the exhibition of the gathering `gathering_id`."""
        return derived_id("exhibition", gathering_id.hex)

    @event("Opened")
    def __init__(self, gathering_id: UUID) -> None:
        self.gathering_id = gathering_id
        self.sectors: list[str] = list(SECTORS)
        self.slots: dict[str, dict[str, Any]] = {}
        self.firms: dict[str, dict[str, Any]] = {}
        self.occupant: dict[str, str] = {}  # slot code -> firm id (hex)
        self.staff: dict[str, str] = {}  # registration id (hex) -> firm id (hex)
        self.staff_requests: dict[str, str] = {}  # registration id (hex) -> firm id (hex)

    # Queries ---------------------------------------------------------------

    def firm(self, firm_id: UUID) -> dict[str, Any]:
        """Return the firm's record, or raise NotFound."""
        try:
            return self.firms[firm_id.hex]
        except KeyError:
            raise NotFound("no such exhibiting firm", field="firm_id") from None

    def slot(self, code: str) -> dict[str, Any]:
        """Return the slot's record, or raise NotFound."""
        try:
            return self.slots[code.strip().upper()]
        except KeyError:
            raise NotFound("no booth slot %(code)r", field="slot", code=code) from None

    def firm_in(self, code: str) -> UUID | None:
        """Return the firm that holds slot `code`, if any."""
        holder = self.occupant.get(code.strip().upper())
        return UUID(holder) if holder else None

    def staff_of(self, firm_id: UUID) -> list[UUID]:
        """Return the registrations holding the firm's staff badges."""
        return [UUID(r) for r, f in self.staff.items() if f == firm_id.hex]

    def firm_of_staff(self, registration_id: UUID) -> UUID | None:
        """Return the firm whose staff badge the registration holds, if any."""
        firm = self.staff.get(registration_id.hex)
        return UUID(firm) if firm else None

    def requests_of(self, firm_id: UUID) -> list[UUID]:
        """Return the registrations waiting for approval to take one of the firm's badges."""
        return [UUID(r) for r, f in self.staff_requests.items() if f == firm_id.hex]

    def firm_requested_by(self, registration_id: UUID) -> UUID | None:
        """Return the firm whose staff badge the registration asked for, if it waits."""
        firm = self.staff_requests.get(registration_id.hex)
        return UUID(firm) if firm else None

    def staff_code_generation(self, firm_id: UUID) -> int:
        """Return the generation of the firm's staff code (renewing raises it)."""
        return int(self.firm(firm_id).get("code_generation", 1))

    def check_sector(self, sector: str) -> None:
        """Raise InvalidValue unless the exhibition has this sector."""
        if sector not in self.sectors:
            raise InvalidValue(
                "unknown sector %(sector)r; add it first (sectors: %(sectors)s)",
                field="sector",
                sector=sector,
                sectors=", ".join(self.sectors),
            )

    def _check_state(self, firm: dict[str, Any], *allowed: FirmState, action: str) -> None:
        if FirmState(firm["state"]) not in allowed:
            raise InvalidTransition(
                "cannot %(action)s a firm that is %(state)s",
                field="firm_id",
                action=action,
                state=Term(firm["state"]),
            )

    def _check_free(self, code: str) -> None:
        self.slot(code)
        if code in self.occupant:
            raise SlotTaken("booth %(code)s already holds another firm", field="slot", code=code)

    # Sectors and slots -------------------------------------------------------

    def add_sector(self, sector: str, at: datetime, actor: str) -> None:
        """Offer a new sector for slots and firms."""
        name = check_text(sector, "sector", limit=40).lower().replace(" ", "-")
        if name in self.sectors:
            raise AlreadyExists("sector %(name)r exists already", field="sector", name=name)
        self._add_sector(sector=name, at=at, actor=actor)

    @event("SectorAdded")
    def _add_sector(self, sector: str, at: datetime, actor: str) -> None:
        self.sectors.append(sector)

    def define_slot(self, slot: BoothSlot, at: datetime, actor: str) -> None:
        """Add a booth slot, or change the zone, floor, sector or size of one."""
        checked = slot.checked()
        self.check_sector(checked.sector)
        self._define_slot(slot=asdict(checked), at=at, actor=actor)

    @event("SlotDefined")
    def _define_slot(self, slot: dict[str, Any], at: datetime, actor: str) -> None:
        self.slots[slot["code"]] = slot

    def remove_slot(self, code: str, at: datetime, actor: str) -> None:
        """Take away a free booth slot."""
        key = code.strip().upper()
        self.slot(key)
        if key in self.occupant:
            raise SlotTaken(
                "booth %(key)s holds a firm; move or withdraw it first", field="slot", key=key
            )
        self._remove_slot(slot=key, at=at, actor=actor)

    @event("SlotRemoved")
    def _remove_slot(self, slot: str, at: datetime, actor: str) -> None:
        del self.slots[slot]

    # Firms -------------------------------------------------------------------

    def apply(self, firm_id: UUID, profile: FirmProfile, at: datetime, actor: str) -> None:
        """Take in a firm's application to exhibit."""
        checked = profile.checked()
        self.check_sector(checked.sector)
        if firm_id.hex in self.firms:
            raise AlreadyExists("this firm has applied already", field="firm_id")
        self._check_name_free(checked, firm_id)
        self._apply(firm_id=firm_id.hex, profile=checked.as_dict(), at=at, actor=actor)

    def _active_firms(self) -> list[dict[str, Any]]:
        return [f for f in self.firms.values() if f["state"] != FirmState.WITHDRAWN]

    def _check_name_free(self, profile: FirmProfile, firm_id: UUID) -> None:
        names = {
            (f["name_en"].lower(), f["name_zh"])
            for f in self._active_firms()
            if f["id"] != firm_id.hex
        }
        if (profile.name_en.lower(), profile.name_zh) in names:
            raise AlreadyExists("a firm with this name has applied already", field="name_en")

    @event("FirmApplied")
    def _apply(self, firm_id: str, profile: dict[str, Any], at: datetime, actor: str) -> None:
        self.firms[firm_id] = {
            **profile,
            "id": firm_id,
            "state": FirmState.APPLIED.value,
            "slot": None,
            "applied_at": at,
            "code_generation": 1,
        }

    def change_profile(self, firm_id: UUID, profile: FirmProfile, at: datetime, actor: str) -> None:
        """Change what the showcase says about a firm (its quota not below its staff)."""
        firm = self.firm(firm_id)
        self._check_state(
            firm, FirmState.APPLIED, FirmState.ALLOCATED, FirmState.CONFIRMED, action=Term("change")
        )
        checked = profile.checked()
        self.check_sector(checked.sector)
        self._check_name_free(checked, firm_id)
        if checked.staff_quota < len(self.staff_of(firm_id)):
            raise StaffQuotaExceeded(
                "%(count)s staff badges are taken already",
                field="staff_quota",
                count=len(self.staff_of(firm_id)),
            )
        self._change_profile(firm_id=firm_id.hex, profile=checked.as_dict(), at=at, actor=actor)

    @event("FirmProfileChanged")
    def _change_profile(
        self, firm_id: str, profile: dict[str, Any], at: datetime, actor: str
    ) -> None:
        self.firms[firm_id].update(profile)

    def allocate(self, firm_id: UUID, code: str, at: datetime, actor: str) -> None:
        """Give an applicant firm a free booth slot."""
        firm = self.firm(firm_id)
        key = code.strip().upper()
        if firm["slot"] is not None:
            raise FirmAlreadyPlaced(
                "the firm holds booth %(slot)s; move it instead", field="firm_id", slot=firm["slot"]
            )
        self._check_state(firm, FirmState.APPLIED, action=Term("allocate a slot to"))
        self._check_free(key)
        self._allocate(firm_id=firm_id.hex, slot=key, at=at, actor=actor)

    @event("SlotAllocated")
    def _allocate(self, firm_id: str, slot: str, at: datetime, actor: str) -> None:
        self.occupant[slot] = firm_id
        self.firms[firm_id].update(slot=slot, state=FirmState.ALLOCATED.value)

    def confirm(self, firm_id: UUID, at: datetime, actor: str) -> None:
        """Record that the firm accepts its slot."""
        firm = self.firm(firm_id)
        self._check_state(firm, FirmState.ALLOCATED, action=Term("confirm"))
        self._confirm(firm_id=firm_id.hex, slot=firm["slot"], at=at, actor=actor)

    @event("FirmConfirmed")
    def _confirm(self, firm_id: str, slot: str, at: datetime, actor: str) -> None:
        self.firms[firm_id]["state"] = FirmState.CONFIRMED.value

    def move(self, firm_id: UUID, code: str, at: datetime, actor: str) -> None:
        """Move a placed firm to a free slot."""
        firm = self.firm(firm_id)
        self._check_state(firm, FirmState.ALLOCATED, FirmState.CONFIRMED, action=Term("move"))
        key = code.strip().upper()
        if firm["slot"] == key:
            raise InvalidValue("the firm is in booth %(key)s already", field="slot", key=key)
        self._check_free(key)
        self._move(firm_id=firm_id.hex, from_slot=firm["slot"], to_slot=key, at=at, actor=actor)

    @event("FirmMoved")
    def _move(self, firm_id: str, from_slot: str, to_slot: str, at: datetime, actor: str) -> None:
        del self.occupant[from_slot]
        self.occupant[to_slot] = firm_id
        self.firms[firm_id]["slot"] = to_slot

    def swap(self, first: UUID, second: UUID, at: datetime, actor: str) -> None:
        """Exchange the slots of two placed firms."""
        if first == second:
            raise InvalidValue("a firm cannot swap with itself", field="second_firm_id")
        for firm_id in (first, second):
            self._check_state(
                self.firm(firm_id), FirmState.ALLOCATED, FirmState.CONFIRMED, action=Term("swap")
            )
        self._swap(
            first_firm=first.hex,
            first_slot=self.firm(first)["slot"],
            second_firm=second.hex,
            second_slot=self.firm(second)["slot"],
            at=at,
            actor=actor,
        )

    @event("FirmsSwapped")
    def _swap(
        self,
        first_firm: str,
        first_slot: str,
        second_firm: str,
        second_slot: str,
        at: datetime,
        actor: str,
    ) -> None:
        self.occupant[first_slot], self.occupant[second_slot] = second_firm, first_firm
        self.firms[first_firm]["slot"] = second_slot
        self.firms[second_firm]["slot"] = first_slot

    def withdraw(self, firm_id: UUID, reason: str, at: datetime, actor: str) -> None:
        """Withdraw a firm: its slot becomes free and its staff badges are released."""
        firm = self.firm(firm_id)
        self._check_state(
            firm,
            FirmState.APPLIED,
            FirmState.ALLOCATED,
            FirmState.CONFIRMED,
            action=Term("withdraw"),
        )
        self._withdraw(
            firm_id=firm_id.hex,
            slot=firm["slot"],
            reason=check_text(reason, "reason", limit=500, required=False),
            at=at,
            actor=actor,
        )

    @event("FirmWithdrawn")
    def _withdraw(
        self, firm_id: str, slot: str | None, reason: str, at: datetime, actor: str
    ) -> None:
        if slot is not None:
            self.occupant.pop(slot, None)
        self.firms[firm_id].update(slot=None, state=FirmState.WITHDRAWN.value)
        self.staff = {r: f for r, f in self.staff.items() if f != firm_id}
        self.staff_requests = {r: f for r, f in self.staff_requests.items() if f != firm_id}

    def renew_staff_code(self, firm_id: UUID, at: datetime, actor: str) -> None:
        """Give the firm a new staff code: the old code (and its link) stops working."""
        firm = self.firm(firm_id)
        self._check_state(
            firm, FirmState.APPLIED, FirmState.ALLOCATED, FirmState.CONFIRMED, action=Term("renew")
        )
        generation = self.staff_code_generation(firm_id) + 1
        self._renew_staff_code(firm_id=firm_id.hex, generation=generation, at=at, actor=actor)

    @event("StaffCodeRenewed")
    def _renew_staff_code(self, firm_id: str, generation: int, at: datetime, actor: str) -> None:
        self.firms[firm_id]["code_generation"] = generation

    # Staff badges --------------------------------------------------------------

    def check_takes_staff(self, firm_id: UUID) -> None:
        """Raise NotFound or InvalidTransition unless the firm's staff may register now."""
        self._check_state(
            self.firm(firm_id),
            FirmState.ALLOCATED,
            FirmState.CONFIRMED,
            action=Term("register staff of"),
        )

    def admit_staff(
        self,
        firm_id: UUID,
        registration_id: UUID,
        code_right: bool | None,
        at: datetime,
        actor: str,
    ) -> bool:
        """Take a badge for staff vouched for by the firm's code; without a code, ask for one.

        `code_right` is None when no code was given. Returns whether the registration was
        vouched for (otherwise it must wait for an organiser's approval). A wrong code, or
        the code before the last renewal, is refused: nothing changes.
        """
        self.check_takes_staff(firm_id)
        if code_right is None:
            self.request_staff_badge(firm_id, registration_id, at, actor)
            return False
        if not code_right:
            firm = self.firm(firm_id)
            name = Named(firm["name_en"], firm["name_zh"])
            raise StaffCodeInvalid(
                "this staff code is not valid for %(name)s (it may have been renewed); "
                "leave it blank to wait for approval",
                field="staff_code",
                name=name,
            )
        self.take_staff_badge(firm_id, registration_id, at, actor)
        return True

    def request_staff_badge(
        self, firm_id: UUID, registration_id: UUID, at: datetime, actor: str
    ) -> None:
        """Record that a registration not vouched for by a code asks for a staff badge."""
        self.check_takes_staff(firm_id)
        self._request_staff_badge(
            firm_id=firm_id.hex, registration_id=registration_id.hex, at=at, actor=actor
        )

    @event("StaffBadgeRequested")
    def _request_staff_badge(
        self, firm_id: str, registration_id: str, at: datetime, actor: str
    ) -> None:
        self.staff_requests[registration_id] = firm_id

    def take_staff_badge(
        self, firm_id: UUID, registration_id: UUID, at: datetime, actor: str
    ) -> None:
        """Give one of the firm's staff badges to a registration, within its quota."""
        firm = self.firm(firm_id)
        self.check_takes_staff(firm_id)
        taken = len(self.staff_of(firm_id))
        if taken >= firm["staff_quota"]:
            raise StaffQuotaExceeded(
                "all %(quota)s staff badges of this firm are taken",
                field="firm_id",
                quota=firm["staff_quota"],
            )
        self._take_staff_badge(
            firm_id=firm_id.hex, registration_id=registration_id.hex, at=at, actor=actor
        )

    @event("StaffBadgeTaken")
    def _take_staff_badge(
        self, firm_id: str, registration_id: str, at: datetime, actor: str
    ) -> None:
        self.staff[registration_id] = firm_id
        self.staff_requests.pop(registration_id, None)

    def release_staff_badge(self, registration_id: UUID, at: datetime, actor: str) -> None:
        """Give back the staff badge a cancelled registration held, or drop its request."""
        firm = self.staff.get(registration_id.hex)
        if firm is not None:
            self._release_staff_badge(
                firm_id=firm, registration_id=registration_id.hex, at=at, actor=actor
            )
        requested = self.staff_requests.get(registration_id.hex)
        if requested is not None:
            self._drop_staff_request(
                firm_id=requested, registration_id=registration_id.hex, at=at, actor=actor
            )

    @event("StaffRequestDropped")
    def _drop_staff_request(
        self, firm_id: str, registration_id: str, at: datetime, actor: str
    ) -> None:
        self.staff_requests.pop(registration_id, None)

    @event("StaffBadgeReleased")
    def _release_staff_badge(
        self, firm_id: str, registration_id: str, at: datetime, actor: str
    ) -> None:
        self.staff.pop(registration_id, None)
