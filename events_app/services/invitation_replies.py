"""The invitee's replies by link: accept (with companions), name a companion, decline.

"Answers" are the guests' answers to the organiser's own questions (domain/answers.py):
the invitee gives them on accepting, for the invitation's category; companions give none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate

from domain.answers import checked_answers
from domain.common import GUEST
from domain.guest_list import GuestList
from domain.invitation import Invitation
from domain.personal import Kind, personal
from domain.registration import GuestDetails, Registration
from events_app.services.invitation_loading import InvitationLoading


@dataclass(frozen=True)
class Companion:
    """An accompanying person an invitee names (aide, photographer)."""

    full_name: str
    role: str
    name_zh: str = ""
    email: str = ""


class InvitationReplies(InvitationLoading):
    """What the holder of an invitation's link replies: accept or decline, name companions."""

    def open(self, token: str) -> Invitation:
        """Return the invitation of a link, expiring it first if its deadline has passed."""
        invitation = self.by_token(token)
        if invitation.is_due(self.app.clock()):
            return self.expire(invitation.id)
        return invitation

    def accept(
        self,
        token: str,
        details: GuestDetails,
        companions: Sequence[Companion] = (),
        actor: str = GUEST,
        answers: dict[str, Any] | None = None,
    ) -> Registration:
        """Accept by link: a registration in the held seat, and one per companion named.

        `answers` (to the gathering's own questions asked of the invitation's category) are
        checked as public registration checks them: InvalidAnswers names each one at fault
        and nothing is written. Companions answer no questions: theirs are left empty.
        """
        invitation = self.open(token)
        invitation.check_answerable(self.app.clock())
        invitation.check_companions(len(companions))
        questions = self.app.questionnaire_of(invitation.gathering_id).in_order(retired=True)
        answered = checked_answers(questions, invitation.category, answers or {})
        registration_id = uuid4()
        companion_ids = [uuid4() for _ in companions]

        def command() -> tuple[Registration, list[Aggregate]]:
            at = self.app.clock()
            current = self.invitation(invitation.id)
            guest_list = self.app.guest_list(current.gathering_id)
            named = [
                [str(cid), c.full_name, c.role]
                for cid, c in zip(companion_ids, companions, strict=True)
            ]
            current.accept(registration_id, named, at, actor)
            registration = self._invitee(
                current, guest_list, registration_id, details, answered, at, actor
            )
            others = [
                self._companion(current, guest_list, registration, cid, c, details, at, actor)
                for cid, c in zip(companion_ids, companions, strict=True)
            ]
            return registration, [guest_list, current, registration, *others]

        return self.app.execute(invitation.gathering_id, command)

    def _invitee(
        self,
        invitation: Invitation,
        guest_list: GuestList,
        registration_id: UUID,
        details: GuestDetails,
        answers: dict[str, Any],
        at: datetime,
        actor: str,
    ) -> Registration:
        """Register the invitee in their held seat, with their answers."""
        return self._seated(
            invitation, guest_list, registration_id, details, at, actor, answers=answers
        )

    def _companion(
        self,
        invitation: Invitation,
        guest_list: GuestList,
        invitee: Registration,
        companion_id: UUID,
        companion: Companion,
        details: GuestDetails,
        at: datetime,
        actor: str,
    ) -> Registration:
        """Register a companion in a seat of the invitation: no answers (they are not asked)."""
        own = GuestDetails(
            full_name=companion.full_name,
            name_zh=companion.name_zh,
            email=companion.email,
            organisation=details.organisation,
            job_title=companion.role,
            consent=details.consent,
            language=details.language,
        )
        return self._seated(
            invitation, guest_list, companion_id, own, at, actor, companion_of=invitee.id
        )

    def _seated(
        self,
        invitation: Invitation,
        guest_list: GuestList,
        registration_id: UUID,
        details: GuestDetails,
        at: datetime,
        actor: str,
        **links: Any,
    ) -> Registration:
        """Register someone of the invitation in its seats, confirmed: inviting was the approval."""
        _, capacity = self.app.limits_of(invitation.gathering_id, invitation.category)
        standing = guest_list.admit_held(
            registration_id,
            details.email,
            invitation.id,
            invitation.category,
            capacity,
            approval_required=False,
            hasher=self.app.email_hash,
        )
        if "answers" in links:
            links["answers"] = personal(registration_id, links["answers"], Kind.ANSWERS)
        return Registration(
            id=registration_id,
            gathering_id=invitation.gathering_id,
            details=details.of(registration_id),
            category=invitation.category,
            state=standing,
            at=at,
            actor=actor,
            invitation_id=invitation.id,
            **links,
        )

    def name_companion(self, token: str, companion: Companion, actor: str = GUEST) -> Registration:
        """Name one more accompanying person after acceptance: a registration of their own."""
        invitation = self.by_token(token)
        companion_id = uuid4()

        def command() -> tuple[Registration, list[Aggregate]]:
            at = self.app.clock()
            current = self.invitation(invitation.id)
            guest_list = self.app.guest_list(current.gathering_id)
            current.name_companion(
                [str(companion_id), companion.full_name, companion.role], at, actor
            )
            invitee = self.app.registration(current.registration_id)  # type: ignore[arg-type]
            invitee.check_can_be_accompanied()
            facts = GuestDetails(
                full_name=invitee.details["full_name"],
                email=invitee.email,
                organisation=invitee.details.get("organisation", ""),
                job_title="",
                consent=bool(invitee.details.get("consent", True)),
                language=invitee.language,
            )
            registration = self._companion(
                current, guest_list, invitee, companion_id, companion, facts, at, actor
            )
            return registration, [guest_list, current, registration]

        return self.app.execute(invitation.gathering_id, command)

    def decline(self, token: str, actor: str = GUEST, reason: str = "") -> Invitation:
        """Decline by link: the held seats go back (to the first waitlisted guests)."""
        invitation = self.open(token)
        return self._free(invitation.id, lambda i, at: i.decline(at, actor, reason))
