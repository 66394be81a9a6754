"""Registrations: register, approve, reject and cancel, with the waitlist and staff badges.

A registration and the guest list of its gathering change in one atomic save, run by
`execute` under the gathering's lock; a freed seat promotes the next waitlisted guest in
that same save, and exhibitor staff take or give back a badge of their firm's quota.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.common import SYSTEM
from domain.errors import NotFound
from domain.gathering_categories import GuestCategory
from domain.guest_list import CONFIRMED_OVER_CAPACITY, GuestList
from domain.questionnaire import Questionnaire
from domain.registration import Registration, RegistrationState
from events_app.services.registering import Registering
from events_app.store.application import HistoryEntry, StaleRead


class RegistrationCommands(Registering):
    """Register guests and change their registrations, keeping the guest list in step."""

    def questionnaire_of(self, gathering_id: UUID) -> Questionnaire:
        """Return a gathering's own questions (an empty questionnaire if none were asked)."""
        try:
            return self.load(Questionnaire, Questionnaire.create_id(gathering_id), "questionnaire")
        except NotFound:
            return Questionnaire(gathering_id=gathering_id)

    def registration(self, registration_id: UUID) -> Registration:
        """Return one registration."""
        return self.load(Registration, registration_id, "registration")

    def approve(self, registration_id: UUID, actor: str, *, override: bool = False) -> Registration:
        """Approve a registration: it gets a seat, or a waitlist place when none is free."""
        gathering_id = self.registration(registration_id).gathering_id

        def command() -> tuple[Registration, list[Aggregate]]:
            registration = self.registration(registration_id)
            registration.check_state(
                RegistrationState.PENDING, RegistrationState.WAITLISTED, action="approve"
            )
            guest_list = self.guest_list(gathering_id)
            capacity = self.limits_of(gathering_id, registration.category)[1]
            at = self.clock()
            decision = guest_list.decide(
                registration_id, registration.category, capacity, override=override
            )
            if decision == "waitlisted":
                registration.waitlist(at, actor)
            else:
                registration.approve(at, actor, override=decision == CONFIRMED_OVER_CAPACITY)
            staff = self._approved_staff(registration, at, actor)
            return registration, [guest_list, registration, *staff]

        return self.execute(gathering_id, command)

    def reject(self, registration_id: UUID, actor: str, reason: str = "") -> Registration:
        """Turn down a pending registration."""
        return self._leave(registration_id, lambda r, at: r.reject(at, actor, reason))

    def cancel(self, registration_id: UUID, actor: str, reason: str = "") -> Registration:
        """Cancel a registration and promote from the waitlist into any freed seat."""
        return self._leave(registration_id, lambda r, at: r.cancel(at, actor, reason))

    def _leave(
        self, registration_id: UUID, change: Callable[[Registration, datetime], None]
    ) -> Registration:
        gathering_id = self.registration(registration_id).gathering_id

        def command() -> tuple[Registration, list[Aggregate]]:
            registration = self.registration(registration_id)
            at = self.clock()
            change(registration, at)
            guest_list = self.guest_list(gathering_id)
            guest_list.release(registration_id)
            promoted = self._promotions(gathering_id, guest_list, at)
            released = self._release_staff_badge(registration, at)
            return registration, [guest_list, registration, *promoted, *released]

        return self.execute(gathering_id, command)

    def _approved_staff(
        self, registration: Registration, at: datetime, actor: str
    ) -> list[Aggregate]:
        """Give approved staff not vouched for by a code the badge they asked for."""
        if registration.category != GuestCategory.EXHIBITOR:
            return []
        exhibition = self.exhibition_of(registration.gathering_id)
        firm_id = exhibition.firm_requested_by(registration.id) if exhibition else None
        if exhibition is None or firm_id is None:
            return []
        exhibition.take_staff_badge(firm_id, registration.id, at, actor)  # quota applies
        return [exhibition]

    def _release_staff_badge(self, registration: Registration, at: datetime) -> list[Aggregate]:
        if registration.category != GuestCategory.EXHIBITOR:
            return []
        exhibition = self.exhibition_of(registration.gathering_id)
        if exhibition is None or (
            exhibition.firm_of_staff(registration.id) is None
            and exhibition.firm_requested_by(registration.id) is None
        ):
            return []
        exhibition.release_staff_badge(registration.id, at, SYSTEM)
        return [exhibition]

    def cancel_many(
        self,
        gathering_id: UUID,
        registration_ids: list[UUID],
        actor: str,
        reason: str,
        at: datetime,
    ) -> list[Aggregate]:
        """Cancel active registrations within another command; return what to save.

        For a command that already holds the gathering's lock (e.g. withdrawing a firm
        cancels its staff): it changes the registrations and the guest list and promotes
        from the waitlist, but leaves the saving to the caller.
        """
        guest_list = self.guest_list(gathering_id)
        cancelled = []
        for registration_id in registration_ids:
            registration = self.registration(registration_id)
            if registration.is_active:
                registration.cancel(at, actor, reason)
                guest_list.release(registration_id)
                cancelled.append(registration)
        if not cancelled:
            return []
        return [guest_list, *cancelled, *self._promotions(gathering_id, guest_list, at)]

    def _promotions(
        self, gathering_id: UUID, guest_list: GuestList, at: datetime
    ) -> list[Registration]:
        gathering = self.gathering_by_id(gathering_id)
        capacity_of = {name: gathering.capacity_for(name) for name in gathering.categories}
        promoted = []
        for waiting_id in guest_list.next_promotions(capacity_of):
            guest_list.promote(waiting_id)
            waiting = self.registration(waiting_id)
            if waiting.state is not RegistrationState.WAITLISTED:
                raise StaleRead(waiting_id)
            waiting.promote(at, SYSTEM)
            promoted.append(waiting)
        return promoted

    def reissue_badge(self, registration_id: UUID, actor: str) -> Registration:
        """Issue a new badge to a confirmed guest; the old badge is revoked."""

        def command() -> tuple[Registration, list[Aggregate]]:
            registration = self.registration(registration_id)
            registration.reissue_badge(self.clock(), actor)
            return registration, [registration]

        return self.execute(registration_id, command)

    def history(self, registration_id: UUID) -> list[HistoryEntry]:
        """Return the domain events of a registration, oldest first."""
        self.registration(registration_id)
        return self.changes(registration_id)
