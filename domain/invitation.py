"""An organiser's invitation of one guest to a gathering, answered through a personal link.

The invitation holds seats in the gathering's guest list (the invitee's, and those of the
companions the organiser reserved) until it is accepted, declined, revoked or expires at
its batch's deadline. The link's token is not stored: only its digest is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.common import derived_id
from domain.errors import (
    AlreadyErased,
    InvalidTransition,
    InvalidValue,
    InvitationDeclined,
    InvitationExpired,
    InvitationRevoked,
    InvitationUsed,
    Term,
)
from domain.personal import Kind, personal, personal_text, sealed_text

MAX_COMPANIONS = 10
"""The most accompanying persons (aide, photographer) one invitation may allow."""
INVITEE_DETAILS = ("full_name", "name_zh", "organisation", "job_title", "email", "language")
"""What the organiser tells about an invitee; it fills the registration form."""


def sealed_companion(companion: Sequence[Any]) -> list[Any]:
    """Return [registration id, name and role] as an event keeps them: the companion's data.

    Sealed with the companion's registration's key: erasing the companion erases them.
    """
    registration_id, name, role = companion
    data = {"full_name": str(name), "role": str(role)}
    return [str(registration_id), personal(UUID(str(registration_id)), data, Kind.DETAILS)]


def opened_companion(companion: Sequence[Any]) -> list[str]:
    """Return [registration id, name, role] from an event ([id, name, role] in older ones)."""
    if len(companion) == 3:
        return [str(part) for part in companion]
    registration_id, sealed = companion
    return [str(registration_id), sealed_text(sealed, "full_name"), sealed_text(sealed, "role")]


class InvitationState(StrEnum):
    """Where an invitation stands."""

    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    REVOKED = "revoked"


class Invitation(Aggregate):
    """One invited guest: their details, category, batch deadline and allowed companions."""

    erased = False
    """Whether the invitee's personal data were erased (they read as placeholders since)."""

    @event("Invited")
    def __init__(
        self,
        id: UUID,
        gathering_id: UUID,
        batch: str,
        deadline: datetime,
        details: Mapping[str, Any],
        category: str,
        companions_allowed: int,
        companions_reserved: bool,
        token_digest: str,
        at: datetime,
        actor: str,
    ) -> None:
        self.gathering_id = gathering_id
        self.batch = batch
        self.deadline = deadline
        self.details = personal(id, details, Kind.DETAILS)  # plain in older events
        self.category = category
        self.companions_allowed = companions_allowed
        self.companions_reserved = companions_reserved
        self.token_digest = token_digest
        self.state = InvitationState.INVITED
        self.invited_at = at
        self.updated_at = at
        self.registration_id: UUID | None = None
        self.companions: list[list[str]] = []
        self.reminded = False

    @property
    def seats(self) -> int:
        """Return how many seats the invitation holds while unanswered."""
        return 1 + (self.companions_allowed if self.companions_reserved else 0)

    @property
    def email(self) -> str:
        """Return the invitee's e-mail address as the organiser gave it."""
        return str(self.details.get("email", ""))

    @property
    def language(self) -> str | None:
        """Return the invitee's language for their mails (None: bilingual)."""
        return str(self.details.get("language") or "") or None

    def is_due(self, at: datetime) -> bool:
        """Tell whether an unanswered invitation has reached its deadline at `at`."""
        return self.state is InvitationState.INVITED and at >= self.deadline

    def check_answerable(self, at: datetime) -> None:
        """Raise why the invitation cannot be accepted or declined at `at` (if it cannot)."""
        if self.state is InvitationState.ACCEPTED:
            raise InvitationUsed("this invitation has been accepted already", field="token")
        if self.state is InvitationState.DECLINED:
            raise InvitationDeclined("this invitation was declined", field="token")
        if self.state is InvitationState.REVOKED:
            raise InvitationRevoked(
                "this invitation was withdrawn by the organisers", field="token"
            )
        if self.state is InvitationState.EXPIRED or at >= self.deadline:
            raise InvitationExpired(
                "the deadline to answer this invitation has passed", field="token"
            )

    def check_companions(self, count: int) -> None:
        """Raise InvalidValue if more companions are named than the invitation allows."""
        if len(self.companions) + count > self.companions_allowed:
            raise InvalidValue(
                "this invitation allows %(count)s accompanying person(s)",
                field="companions",
                count=self.companions_allowed,
            )

    def accept(
        self, registration_id: UUID, companions: list[list[str]], at: datetime, actor: str
    ) -> None:
        """Accept: the invitee's registration (and companions') take the held seats."""
        self.check_answerable(at)
        self.check_companions(len(companions))
        sealed = [sealed_companion(c) for c in companions]
        self._accept(registration_id=registration_id, companions=sealed, at=at, actor=actor)

    @event("Accepted")
    def _accept(
        self, registration_id: UUID, companions: list[list[Any]], at: datetime, actor: str
    ) -> None:
        self.state = InvitationState.ACCEPTED
        self.registration_id = registration_id
        self.companions = [opened_companion(c) for c in companions]
        self.updated_at = at

    def name_companion(self, companion: list[str], at: datetime, actor: str) -> None:
        """Add one accompanying person after acceptance ([registration id, name, role])."""
        if self.state is not InvitationState.ACCEPTED:
            raise InvalidTransition(
                "companions are named by an invitee who accepted", field="companions"
            )
        if at >= self.deadline:
            raise InvitationExpired(
                "the deadline to answer this invitation has passed", field="token"
            )
        self.check_companions(1)
        self._name_companion(companion=sealed_companion(companion), at=at, actor=actor)

    @event("CompanionNamed")
    def _name_companion(self, companion: list[Any], at: datetime, actor: str) -> None:
        self.companions = [*self.companions, opened_companion(companion)]
        self.updated_at = at

    def decline(self, at: datetime, actor: str, reason: str = "") -> None:
        """Decline: the held seats are given back."""
        self.check_answerable(at)
        self._decline(at=at, actor=actor, reason=personal_text(self.id, reason))

    @event("Declined")
    def _decline(self, at: datetime, actor: str, reason: Mapping[str, str] | str) -> None:
        self.state = InvitationState.DECLINED
        self.updated_at = at

    def expire(self, at: datetime, actor: str) -> None:
        """Mark an unanswered invitation expired once its deadline has passed."""
        if not self.is_due(at):
            self._refuse(Term("expire"))
        self._expire(at=at, actor=actor)

    @event("Expired")
    def _expire(self, at: datetime, actor: str) -> None:
        self.state = InvitationState.EXPIRED
        self.updated_at = at

    def revoke(self, at: datetime, actor: str) -> None:
        """Withdraw an unanswered invitation: its link stops working, its seats are freed."""
        self._check_unanswered(Term("revoke"))
        self._revoke(at=at, actor=actor)

    @event("Revoked")
    def _revoke(self, at: datetime, actor: str) -> None:
        self.state = InvitationState.REVOKED
        self.updated_at = at

    def resend(self, at: datetime, actor: str) -> None:
        """Send the invitation mail again (same link)."""
        self._check_unanswered(Term("resend"))
        self.check_answerable(at)
        self._resend(at=at, actor=actor)

    @event("Resent")
    def _resend(self, at: datetime, actor: str) -> None:
        self.updated_at = at

    def remind(self, at: datetime, actor: str) -> bool:
        """Send the one reminder before the deadline; return False if it was sent already."""
        if self.reminded or self.state is not InvitationState.INVITED or at >= self.deadline:
            return False
        self._remind(at=at, actor=actor)
        return True

    @event("Reminded")
    def _remind(self, at: datetime, actor: str) -> None:
        self.reminded = True

    def erase_personal_data(self, at: datetime, actor: str, reason: str) -> None:
        """Record that the invitee's data are erased (the store destroys the invitation's key).

        An open invitation is withdrawn first (its seats go back); an accepted one is erased
        through its registration, which holds the guest's data since.
        """
        if self.erased:
            raise AlreadyErased(
                "the personal data of this invitation have been erased", field="invitation"
            )
        if self.state is InvitationState.ACCEPTED:
            raise InvalidTransition(
                "this invitation was accepted: erase the personal data of its registration",
                field="invitation",
            )
        if self.state is InvitationState.INVITED:
            self._refuse(Term("erase"))
        self._erase_personal_data(at=at, actor=actor, reason=reason)

    @event("PersonalDataErased")
    def _erase_personal_data(self, at: datetime, actor: str, reason: str) -> None:
        self.erased = True
        self.details = personal(self.id, self.details, Kind.DETAILS).erased_copy()
        self.updated_at = at

    def _check_unanswered(self, action: str) -> None:
        if self.state is not InvitationState.INVITED:
            self._refuse(action)

    def _refuse(self, action: str) -> None:
        raise InvalidTransition(
            "cannot %(action)s an invitation that is %(state)s",
            field="state",
            action=action,
            state=Term(self.state.value),
        )


class InvitationRoll(Aggregate):
    """The invitations of one gathering and the deadline of each of their batches."""

    @staticmethod
    def create_id(gathering_id: UUID) -> UUID:
        """Return the id of the invitation roll of the gathering `gathering_id`."""
        return derived_id("invitation-roll", gathering_id.hex)

    @event("Opened")
    def __init__(self, gathering_id: UUID) -> None:
        self.gathering_id = gathering_id
        self.batches: dict[str, datetime] = {}
        self.invitations: list[UUID] = []

    def deadline_of(self, batch: str, deadline: datetime | None) -> datetime:
        """Return the batch's deadline: its own if it exists (a different one is refused)."""
        known = self.batches.get(batch)
        if known is not None and deadline is not None and deadline != known:
            raise InvalidValue(
                "batch %(batch)r has its deadline already; leave the deadline out or give "
                "the same one",
                field="deadline",
                batch=batch,
            )
        if known is not None:
            return known
        if deadline is None:
            raise InvalidValue(
                "a new batch needs a deadline (batch %(batch)r)", field="deadline", batch=batch
            )
        return deadline

    def add(self, invitation: Invitation) -> None:
        """Enter a new invitation (and its batch, if new)."""
        self._add(invitation_id=invitation.id, batch=invitation.batch, deadline=invitation.deadline)

    @event("InvitationAdded")
    def _add(self, invitation_id: UUID, batch: str, deadline: datetime) -> None:
        self.batches = {**self.batches, batch: deadline}
        self.invitations = [*self.invitations, invitation_id]
