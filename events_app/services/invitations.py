"""Invitations: organisers invite guests into held seats; invitees reply by their link.

Every command that touches seats changes the invitation, the gathering's guest list and
any registration in one atomic save through `BoxOffice.execute` (the gathering's lock,
then optimistic retries), so held seats, public registrations and acceptances racing for
the last seats never overfill a category. A freed seat promotes the first waitlisted guest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate

from domain.common import SYSTEM, normalise_email
from domain.errors import DomainError, InvalidValue
from domain.gathering import Gathering
from domain.guest_list import GuestList
from domain.invitation import MAX_COMPANIONS, Invitation, InvitationRoll, InvitationState
from domain.personal import Kind, personal
from events_app.services.corrections import promote_waiting
from events_app.services.invitation_replies import Companion, InvitationReplies
from events_app.services.invitation_tokens import invitation_token as make_token
from events_app.services.invitation_tokens import token_digest
from events_app.services.planning import Row, RowProblem, RowsRefused

__all__ = ["Companion", "Invitations", "Invitee", "check_invitee"]


@dataclass(frozen=True)
class Invitee:
    """Whom an organiser invites: what they know of the guest, and the invitation's terms."""

    full_name: str
    email: str
    category: str
    batch: str
    deadline: datetime | None = None
    name_zh: str = ""
    organisation: str = ""
    job_title: str = ""
    language: str | None = None
    companions_allowed: int = 0
    companions_reserved: bool = False

    def details(self) -> dict[str, str]:
        """Return what fills the invitee's registration form."""
        return {
            "full_name": self.full_name,
            "name_zh": self.name_zh,
            "organisation": self.organisation,
            "job_title": self.job_title,
            "email": self.email,
            "language": self.language or "",
        }


class Invitations(InvitationReplies):
    """Invite, follow up, remind and expire: the invitations of every gathering (and replies)."""

    # Inviting -------------------------------------------------------------------

    def invite(self, slug: str, invitee: Invitee, actor: str) -> Invitation:
        """Invite one guest: their seats are held until they answer or the deadline passes."""
        invitations = self.invite_many(slug, [Row(1, invitee)], actor)
        return invitations[0]

    def invite_many(self, slug: str, rows: Sequence[Row[Invitee]], actor: str) -> list[Invitation]:
        """Invite many guests in one write: one refused row (RowsRefused lists all) writes none."""
        gathering = self.app.gathering(slug)
        at = self.app.clock()
        ids = [uuid4() for _ in rows]

        def command() -> tuple[list[Invitation], list[Aggregate]]:
            guest_list = self.app.guest_list(gathering.id)
            gathering_now = self.app.gathering_by_id(gathering.id)
            roll = self.roll(gathering.id) or InvitationRoll(gathering_id=gathering.id)
            known = self._invited_emails(roll)
            made, problems = [], []
            for invitation_id, row in zip(ids, rows, strict=True):
                try:
                    check_invitee(row.value, at, known)
                    made.append(
                        self._invite(
                            gathering_now, guest_list, roll, invitation_id, row.value, at, actor
                        )
                    )
                    known.add(normalise_email(row.value.email))
                except DomainError as refusal:
                    problems.append(
                        RowProblem(
                            row.number, refusal.field, refusal.code, refusal.message, refusal
                        )
                    )
            if problems:
                raise RowsRefused(problems)
            return made, [guest_list, roll, *made]

        return self.app.execute(gathering.id, command)

    def _invited_emails(self, roll: InvitationRoll) -> set[str]:
        """Return the e-mail addresses of the gathering's invitations still open or accepted."""
        live = (InvitationState.INVITED, InvitationState.ACCEPTED)
        found = (self.invitation(i) for i in roll.invitations)
        return {normalise_email(i.email) for i in found if i.state in live and i.email}

    def _invite(
        self,
        gathering: Gathering,
        guest_list: GuestList,
        roll: InvitationRoll,
        invitation_id: UUID,
        invitee: Invitee,
        at: datetime,
        actor: str,
    ) -> Invitation:
        deadline = roll.deadline_of(invitee.batch, invitee.deadline)
        capacity = gathering.capacity_for(invitee.category)  # UnknownCategory first
        invitation = Invitation(
            id=invitation_id,
            gathering_id=gathering.id,
            batch=invitee.batch,
            deadline=deadline,
            details=personal(invitation_id, invitee.details(), Kind.DETAILS),
            category=invitee.category,
            companions_allowed=invitee.companions_allowed,
            companions_reserved=invitee.companions_reserved,
            token_digest=token_digest(make_token(self.secret_key, invitation_id)),
            at=at,
            actor=actor,
        )
        guest_list.hold(invitation.id, invitee.category, invitation.seats, capacity)
        roll.add(invitation)
        return invitation

    # Following up --------------------------------------------------------------------

    def resend(self, slug: str, invitation_id: UUID, actor: str) -> Invitation:
        """Send an unanswered invitation's mail again, with the same link."""
        self._check_of(slug, invitation_id)

        def command() -> tuple[Invitation, list[Aggregate]]:
            invitation = self.invitation(invitation_id)
            invitation.resend(self.app.clock(), actor)
            return invitation, [invitation]

        return self.app.execute(invitation_id, command)

    def sweep(self, slug: str) -> int:
        """Expire due invitations, free companion seats unnamed by the deadline; count expiries."""
        at = self.app.clock()
        expired = 0
        gathering = self.app.gathering(slug)
        for invitation in self.of_gathering(slug):
            if invitation.is_due(at):
                self.expire(invitation.id)
                expired += 1
            elif invitation.state is InvitationState.ACCEPTED and at >= invitation.deadline:
                self._release_unnamed(gathering.id, invitation.id)
        return expired

    def _release_unnamed(self, gathering_id: UUID, invitation_id: UUID) -> None:
        def command() -> tuple[None, list[Aggregate]]:
            guest_list = self.app.guest_list(gathering_id)
            if not guest_list.seats_held_by(invitation_id):
                return None, []
            guest_list.unhold(invitation_id)
            limits = self.app.gathering_by_id(gathering_id).capacities()
            promoted = promote_waiting(self.app, guest_list, limits, self.app.clock())
            return None, [guest_list, *promoted]

        self.app.execute(gathering_id, command)

    def remind(self, slug: str, within: timedelta) -> int:
        """Remind, once each, unanswered invitees whose deadline is within `within`; count them."""
        at = self.app.clock()
        reminded = 0
        for invitation in self.of_gathering(slug):
            if invitation.state is not InvitationState.INVITED or invitation.reminded:
                continue
            if not at < invitation.deadline <= at + within:
                continue

            def command(invitation_id: UUID = invitation.id) -> tuple[bool, list[Aggregate]]:
                current = self.invitation(invitation_id)
                done = current.remind(self.app.clock(), SYSTEM)
                return done, [current] if done else []

            reminded += bool(self.app.execute(invitation.id, command))
        return reminded


def check_invitee(invitee: Invitee, at: datetime, known: set[str]) -> None:
    """Raise InvalidValue for an invitee the gathering cannot take as given."""
    if not invitee.full_name.strip():
        raise InvalidValue("%(name)s must not be empty", field="full_name", name="full name")
    if not invitee.batch.strip():
        raise InvalidValue("%(name)s must not be empty", field="batch", name="batch")
    if not 0 <= invitee.companions_allowed <= MAX_COMPANIONS:
        raise InvalidValue(
            "an invitation allows 0 to %(count)s accompanying persons",
            field="companions_allowed",
            count=MAX_COMPANIONS,
        )
    if invitee.deadline is not None and invitee.deadline.tzinfo is None:
        raise InvalidValue("%(name)s must be timezone-aware", field="deadline", name="deadline")
    if invitee.deadline is not None and invitee.deadline <= at:
        raise InvalidValue("the deadline must be in the future", field="deadline")
    if invitee.email and normalise_email(invitee.email) in known:
        raise InvalidValue("this e-mail address has been invited already", field="email")
