"""Registrations: register, approve, reject and cancel, with the waitlist and staff badges.

A registration and the guest list of its gathering change in one atomic save, run by
`execute` under the gathering's lock; a freed seat promotes the next waitlisted guest in
that same save, and exhibitor staff take or give back a badge of their firm's quota.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate

from domain.answers import checked_answers
from domain.common import GUEST, SYSTEM
from domain.errors import ByInvitationOnly, InvalidValue, NotFound
from domain.exhibition import Exhibition
from domain.gathering import Gathering
from domain.gathering_categories import GuestCategory, category_term
from domain.guest_list import CONFIRMED_OVER_CAPACITY, GuestList
from domain.personal import Kind, personal
from domain.questionnaire import Questionnaire
from domain.registration import GuestDetails, Registration, RegistrationState
from events_app.services.gatherings import GatheringCommands
from events_app.services.kept_guest_lists import KeptGuestLists
from events_app.services.staff_codes import StaffCodes
from events_app.store.application import Clock, HistoryEntry, StaleRead
from events_app.store.reads import replay
from events_app.store.seen_versions import check_seen


@dataclass(frozen=True)
class Placed:
    """A new registration and its place on the waitlist (None if not on it) when saved."""

    registration: Registration
    waitlist_position: int | None


class RegistrationCommands(GatheringCommands):
    """Register guests and change their registrations, keeping the guest list in step."""

    def __init__(
        self,
        env: dict[str, str],
        clock: Clock,
        staff_codes: StaffCodes | None = None,
        *,
        master_key: bytes | None = None,
    ) -> None:
        super().__init__(env, clock, master_key=master_key)
        # Without a secret key no staff code is right: exhibitor staff wait for approval.
        self.staff_codes = staff_codes or StaffCodes(secrets.token_hex(32))
        self.kept_guest_lists = KeptGuestLists()

    def register(
        self,
        slug: str,
        details: GuestDetails,
        category: str,
        actor: str = GUEST,
        firm_id: UUID | None = None,
        staff_code: str | None = None,
        answers: dict[str, Any] | None = None,
    ) -> Registration:
        """Register a guest: confirmed, pending approval or waitlisted.

        Exhibitor staff name their firm (`firm_id`). With the firm's staff code they take
        one of its staff badges, in the same atomic save, so a firm's quota holds under
        concurrent registrations; without one they wait for an organiser's approval and
        take no badge until then; a wrong (or renewed) code is refused. `answers` (to the
        gathering's own questions) are checked first: InvalidAnswers names each one at fault.
        """
        return self.register_placed(
            slug, details, category, actor, firm_id, staff_code, answers
        ).registration

    def register_placed(
        self,
        slug: str,
        details: GuestDetails,
        category: str,
        actor: str = GUEST,
        firm_id: UUID | None = None,
        staff_code: str | None = None,
        answers: dict[str, Any] | None = None,
    ) -> Placed:
        """Register a guest as `register` does; return it with its place on the waitlist."""
        gathering = self._current_gathering(Gathering.create_id(slug))
        at = self.clock()
        gathering.check_registration_open(at)
        if gathering.policy(category).invitation_only and actor == GUEST:
            raise ByInvitationOnly(
                "the %(category)s category is by invitation only",
                field="category",
                category=category_term(category),
            )
        check_firm_named(category, firm_id)
        questions = self.questionnaire_of(gathering.id).in_order(retired=True)
        answered = checked_answers(questions, category, answers or {})
        registration_id = uuid4()

        def command() -> tuple[tuple[Placed, GuestList], list[Aggregate]]:
            guest_list = self._guest_list_to_change(gathering.id)
            # The limits are read after the guest list: a correction of them saves the
            # guest list too, so one saved since makes this save fail and run again.
            current = self._current_gathering(gathering.id)
            policy, capacity = current.policy(category), current.capacity_for(category)
            staff_of, vouched = self._staff_badge(
                gathering.id, firm_id, staff_code, registration_id, at, actor
            )
            standing = guest_list.admit(
                registration_id,
                details.email,
                category,
                capacity,
                approval_required=policy.approval_required or not vouched,
                hasher=self.email_hash,
            )
            registration = Registration(
                id=registration_id,
                gathering_id=gathering.id,
                details=details.of(registration_id),
                category=category,
                state=standing,
                at=at,
                actor=actor,
                answers=personal(registration_id, answered, Kind.ANSWERS),
            )
            placed = Placed(registration, guest_list.waitlist_position(registration_id))
            return (placed, guest_list), [guest_list, registration, *staff_of]

        placed, saved = self.execute(gathering.id, command)
        self.kept_guest_lists.give_back(saved)  # the next registration starts from it
        return placed

    def _current_gathering(self, gathering_id: UUID) -> Gathering:
        """Return a gathering as the store has it now, to read only (shared by threads)."""
        gathering = self.read(Gathering, gathering_id, "gathering")
        check_seen(gathering_id, gathering.version, "gathering", self._events_after)
        return gathering

    def _guest_list_to_change(self, gathering_id: UUID) -> GuestList:
        """Return the gathering's guest list as the store has it now, this command's own.

        The one this process saved last (see KeptGuestLists), with the events recorded
        since applied, else one loaded from the store.
        """
        kept = self.kept_guest_lists.take(gathering_id)
        if kept is None:
            return self.guest_list(gathering_id)
        list_id = GuestList.create_id(gathering_id)
        guest_list: GuestList = replay(kept, self._events_after(list_id, kept.version))
        check_seen(list_id, guest_list.version, "guest list", self._events_after)
        return guest_list

    def _staff_badge(
        self,
        gathering_id: UUID,
        firm_id: UUID | None,
        staff_code: str | None,
        registration_id: UUID,
        at: datetime,
        actor: str,
    ) -> tuple[list[Aggregate], bool]:
        """Take (or, without a code, ask for) a staff badge; say whether it was vouched."""
        if firm_id is None:
            return [], True
        exhibition = self.exhibition_of(gathering_id)
        if exhibition is None:
            raise NotFound("this gathering has no exhibition", field="firm_id")
        exhibition.firm(firm_id)  # NotFound before the code is looked at
        generation = exhibition.staff_code_generation(firm_id)
        right = self.staff_codes.check(firm_id, generation, staff_code)
        vouched = exhibition.admit_staff(firm_id, registration_id, right, at, actor)
        return [exhibition], vouched

    def exhibition_of(self, gathering_id: UUID) -> Exhibition | None:
        """Return the exhibition of a gathering, if one was planned."""
        try:
            return self.load(Exhibition, Exhibition.create_id(gathering_id), "exhibition")
        except NotFound:
            return None

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


def check_firm_named(category: str, firm_id: UUID | None) -> None:
    """Raise InvalidValue unless exhibitor staff, and only they, name their firm."""
    if category == GuestCategory.EXHIBITOR and firm_id is None:
        raise InvalidValue("exhibitor staff must name their firm", field="firm_id")
    if category != GuestCategory.EXHIBITOR and firm_id is not None:
        raise InvalidValue("only exhibitor staff name a firm", field="firm_id")
