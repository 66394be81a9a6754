"""Registering a guest: one query for what the registration reads, and turns across processes.

A registration reads its gathering, the gathering's questions and its guest list, and
saves the guest list with the new registration in one atomic save, run by `execute`
under the gathering's lock. The gathering and the questions are the process's shared
copies, the guest list the one its last registration saved (see KeptGuestLists); one
query brings all three up to date. The processes registering for one gathering take
turns (a lock they share), so that none of them fails to save for another's and has to
start again from a guest list loaded anew.
"""

from __future__ import annotations

import secrets
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from domain.answers import checked_answers
from domain.common import GUEST
from domain.errors import ByInvitationOnly, InvalidValue, NotFound, Term
from domain.exhibition import Exhibition
from domain.gathering import Gathering
from domain.gathering_categories import GuestCategory, category_term
from domain.guest_list import GuestList
from domain.personal import Kind, personal
from domain.questionnaire import Questionnaire
from domain.registration import GuestDetails, Registration
from events_app.services.gatherings import GatheringCommands
from events_app.services.kept_guest_lists import KeptGuestLists
from events_app.services.staff_codes import StaffCodes
from events_app.store.application import Clock
from events_app.store.batch_reads import select_after
from events_app.store.locks import Locks
from events_app.store.reads import replay
from events_app.store.seen_versions import check_seen


@dataclass(frozen=True)
class Placed:
    """A new registration and its place on the waitlist (None if not on it) when saved."""

    registration: Registration
    waitlist_position: int | None


class Registering(GatheringCommands):
    """Register guests: confirmed, pending approval or waitlisted, with staff badges."""

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
        self.registration_locks: Locks | None = None
        """The locks the processes of the store share (see `_registering`); set when opened."""

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
        """Register a guest: confirmed, pending approval or waitlisted, with its waitlist place.

        Exhibitor staff name their firm (`firm_id`). With the firm's staff code they take
        one of its staff badges, in the same atomic save, so a firm's quota holds under
        concurrent registrations; without one they wait for an organiser's approval and
        take no badge until then; a wrong (or renewed) code is refused. `answers` (to the
        gathering's own questions) are checked first: InvalidAnswers names each one at fault.
        """
        gathering_id = Gathering.create_id(slug)
        at = self.clock()
        registration_id = uuid4()

        def command() -> tuple[tuple[Placed, GuestList], list[Aggregate]]:
            # The limits are read with the guest list, in one query: a correction of them
            # saves the guest list too, so one saved since makes this save fail and run again.
            gathering, questions, guest_list = self._registration_reads(gathering_id)
            try:
                answered = checked_request(
                    gathering, questions, at, category, actor, firm_id, answers
                )
                staff_of, vouched = self._staff_badge(
                    gathering_id, firm_id, staff_code, registration_id, at, actor
                )
                standing = guest_list.admit(
                    registration_id,
                    details.email,
                    category,
                    gathering.capacity_for(category),
                    approval_required=gathering.policy(category).approval_required or not vouched,
                    hasher=self.email_hash,
                )
            except BaseException:
                self.kept_guest_lists.give_back(guest_list)  # only if unchanged
                raise
            registration = Registration(
                id=registration_id,
                gathering_id=gathering_id,
                details=details.of(registration_id),
                category=category,
                state=standing,
                at=at,
                actor=actor,
                answers=personal(registration_id, answered, Kind.ANSWERS),
            )
            placed = Placed(registration, guest_list.waitlist_position(registration_id))
            return (placed, guest_list), [guest_list, registration, *staff_of]

        # The key that seals the guest's details is made before the gathering's lock is held.
        self.personal_keys.cipher(registration_id.hex, create=True)
        with self._registering(gathering_id):
            placed, saved = self.execute(gathering_id, command)
        self.kept_guest_lists.give_back(saved)  # the next registration starts from it
        return placed

    def _registering(self, gathering_id: UUID) -> AbstractContextManager[object]:
        """Hold the lock the processes registering for a gathering share, if they have one.

        Registrations of one gathering all change its guest list: run in two processes at
        once, one of them would fail to save and start again from a guest list loaded
        anew (a snapshot of every guest). Taking turns, each goes on from the one it kept.
        Only a gathering this process has read takes the lock (the store stays the judge
        of the others), so a slug no gathering has makes no lock (a file on SQLite).
        """
        if self.registration_locks is None or self._shared.kept(gathering_id) is None:
            return nullcontext()
        return self.registration_locks.hold(f"registrations-{gathering_id.hex}")

    def _registration_reads(
        self, gathering_id: UUID
    ) -> tuple[Gathering, list[dict[str, Any]], GuestList]:
        """Return a gathering, its questions and its guest list, as the store has them now.

        One query asks for the events since the versions this process has: of the
        gathering and its questionnaire (shared copies, read only) and of the guest list
        it kept (see KeptGuestLists), which becomes this command's own. Without one kept,
        the guest list is loaded from the store first: never after the limits.
        """
        list_id = GuestList.create_id(gathering_id)
        questions_id = Questionnaire.create_id(gathering_id)
        shared = {key: self._shared.kept(key) for key in (gathering_id, questions_id)}
        wanted = [(key, getattr(kept, "version", None)) for key, kept in shared.items()]
        kept = self.kept_guest_lists.take(gathering_id)
        guest_list = self._loaded_guest_list(gathering_id) if kept is None else kept
        if kept is not None:
            wanted.append((list_id, kept.version))
        rows = select_after(self.recorder, wanted)
        newer = {key: [self.mapper.to_domain_event(row) for row in rows[key]] for key in rows}
        gathering = self._updated(gathering_id, shared[gathering_id], newer[gathering_id])
        if not isinstance(gathering, Gathering) or guest_list is None:
            self.kept_guest_lists.give_back(guest_list)
            raise NotFound("%(what)s not found", what=Term("gathering"))
        check_seen(gathering_id, gathering.version, "gathering", self._events_after)
        questionnaire = self._updated(questions_id, shared[questions_id], newer[questions_id])
        questions = questionnaire.in_order(retired=True) if questionnaire else []
        if kept is not None:
            guest_list = replay(kept, newer[list_id])
            check_seen(list_id, guest_list.version, "guest list", self._events_after)
        return gathering, questions, guest_list

    def _loaded_guest_list(self, gathering_id: UUID) -> GuestList | None:
        """Return a gathering's guest list loaded from the store (None if it has none)."""
        try:
            return self.guest_list(gathering_id)
        except NotFound:
            return None

    def _updated(self, aggregate_id: UUID, kept: Any, newer: list[Any]) -> Any:
        """Return a shared aggregate brought up to date by `newer` (None if none exists)."""
        try:
            return self._shared.update(aggregate_id, kept, newer)
        except AggregateNotFoundError:
            return None

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


def check_firm_named(category: str, firm_id: UUID | None) -> None:
    """Raise InvalidValue unless exhibitor staff, and only they, name their firm."""
    if category == GuestCategory.EXHIBITOR and firm_id is None:
        raise InvalidValue("exhibitor staff must name their firm", field="firm_id")
    if category != GuestCategory.EXHIBITOR and firm_id is not None:
        raise InvalidValue("only exhibitor staff name a firm", field="firm_id")


def checked_request(
    gathering: Gathering,
    questions: list[dict[str, Any]],
    at: datetime,
    category: str,
    actor: str,
    firm_id: UUID | None,
    answers: dict[str, Any] | None,
) -> dict[str, Any]:
    """Return the checked answers of a registration the gathering takes; raise if it does not."""
    gathering.check_registration_open(at)
    if gathering.policy(category).invitation_only and actor == GUEST:
        raise ByInvitationOnly(
            "the %(category)s category is by invitation only",
            field="category",
            category=category_term(category),
        )
    check_firm_named(category, firm_id)
    return checked_answers(questions, category, answers or {})
