"""Organisers' corrections: a gathering's details and limits, a guest's details, reinstatement.

Each runs as one command through `BoxOffice.execute` (the gathering's lock, then
optimistic retries), so the gathering, its guest list, the corrected registration and
any guest promoted from the waitlist are saved together or not at all. The guest list is
always loaded before the limits it is checked against (see `BoxOffice.register_placed`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.common import SYSTEM
from domain.errors import CorrectionRefused
from domain.gathering import Capacity, Gathering
from domain.gathering_categories import GuestCategory
from domain.guest_list import GuestList
from domain.registration import Registration, RegistrationState
from events_app.services.box_office import BoxOffice
from events_app.store.application import StaleRead


@dataclass(frozen=True)
class Correction:
    """What a correction changed (field: (before, after)) and whom it promoted."""

    changed: dict[str, tuple[Any, Any]]
    promoted: list[Registration] = field(default_factory=list)


def promote_waiting(
    app: BoxOffice, guest_list: GuestList, limits: dict[str, Capacity], at: datetime
) -> list[Registration]:
    """Seat the waitlisted guests who fit `limits` now, first come first served."""
    promoted = []
    for waiting_id in guest_list.next_promotions(limits):
        guest_list.promote(waiting_id)
        waiting = app.registration(waiting_id)
        if waiting.state is not RegistrationState.WAITLISTED:
            raise StaleRead(waiting_id)  # another worker promoted them since; run again
        waiting.promote(at, SYSTEM)
        promoted.append(waiting)
    return promoted


def merged_categories(gathering: Gathering, asked: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Return every category's whole policy with the parts asked for changed."""
    merged = {name: dict(policy) for name, policy in gathering.categories.items()}
    for name, part in asked.items():
        merged.setdefault(
            name, {"capacity": None, "approval_required": False, "invitation_only": False}
        ).update(part)
    return merged


class Corrections:
    """What organisers correct after the fact."""

    def __init__(self, app: BoxOffice) -> None:
        self._app = app

    def correct_gathering(self, slug: str, changes: dict[str, Any], actor: str) -> Correction:
        """Correct a gathering; a raised limit seats waitlisted guests in the same save."""
        app = self._app
        gathering_id = Gathering.create_id(slug)

        def command() -> tuple[Correction, list[Aggregate]]:
            guest_list = app.guest_list(gathering_id)
            gathering = app.gathering_by_id(gathering_id)
            asked = dict(changes)
            if "categories" in asked:
                asked["categories"] = merged_categories(gathering, asked["categories"])
            old = gathering.capacities()
            at = app.clock()
            retention = asked.pop("retention_days", gathering.retention_days)
            before = gathering.retention_days
            changed = gathering.correct(asked, at, actor)
            if gathering.set_retention(retention, at, actor):
                changed["retention_days"] = (before, retention)
            if not changed:
                return Correction({}), []
            new = gathering.capacities()
            if new == old:
                return Correction(changed), [gathering]
            guest_list.resize(old, new)
            promoted = promote_waiting(app, guest_list, new, at)
            return Correction(changed, promoted), [gathering, guest_list, *promoted]

        return app.execute(gathering_id, command)

    def correct_registration(
        self, registration_id: UUID, changes: dict[str, str], actor: str
    ) -> Correction:
        """Correct a guest's details or category, keeping the guest list's rules."""
        app = self._app
        gathering_id = app.registration(registration_id).gathering_id

        def command() -> tuple[Correction, list[Aggregate]]:
            registration = app.registration(registration_id)
            registration.check_not_erased()
            guest_list = app.guest_list(gathering_id)
            gathering = app.gathering_by_id(gathering_id)
            moved = self._move(registration, guest_list, gathering, changes.get("category"))
            if "email" in changes and registration.is_active:
                guest_list.change_email(registration_id, changes["email"], app.email_hash)
            at = app.clock()
            changed = registration.correct(changes, at, actor)
            promoted = promote_waiting(app, guest_list, gathering.capacities(), at) if moved else []
            touched = [guest_list] if guest_list.pending_events else []
            return Correction(changed, promoted), [*touched, registration, *promoted]

        return app.execute(gathering_id, command)

    @staticmethod
    def _move(
        registration: Registration,
        guest_list: GuestList,
        gathering: Gathering,
        category: str | None,
    ) -> bool:
        if category is None or category == registration.category:
            return False
        gathering.policy(category)
        if GuestCategory.EXHIBITOR in (category, registration.category):
            raise CorrectionRefused(
                "exhibitor staff hold a badge of their firm, so their category cannot be "
                "changed here",
                field="category",
            )
        if not registration.is_active:
            return False
        guest_list.move(registration.id, category, gathering.capacity_for(category))
        return True

    def reinstate(self, registration_id: UUID, actor: str) -> Registration:
        """Bring a cancelled registration back: confirmed if a seat is free, else waitlisted."""
        app = self._app
        gathering_id = app.registration(registration_id).gathering_id

        def command() -> tuple[Registration, list[Aggregate]]:
            registration = app.registration(registration_id)
            registration.check_state(RegistrationState.CANCELLED, action="reinstate")
            if registration.category == GuestCategory.EXHIBITOR:
                raise CorrectionRefused(
                    "exhibitor staff are reinstated by registering again through their firm",
                    field="category",
                )
            guest_list = app.guest_list(gathering_id)
            capacity = app.limits_of(gathering_id, registration.category)[1]
            standing = guest_list.admit(
                registration_id,
                registration.email,
                registration.category,
                capacity,
                approval_required=False,
                hasher=app.email_hash,
            )
            registration.reinstate(standing, app.clock(), actor)
            return registration, [guest_list, registration]

        return app.execute(gathering_id, command)
