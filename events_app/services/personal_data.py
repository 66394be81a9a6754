"""Erasing a guest's personal data: the record of it in the events, then the key destroyed.

The registration records `PersonalDataErased` (who, why, when; nothing personal) and the
guest list frees the e-mail address, in one atomic save; then the registration's key is
destroyed (and the key of the invitation the guest accepted, which held their details):
every event sealed with it reads as placeholders from then on. Counts, states, seats and
check-ins are untouched. Then what else kept the guest's data forgets it (`on_erased`:
the outbox cancels their unsent mails and deletes their .eml files). Should the process
stop part-way, erasing again finishes the job (keys destroyed, mails cancelled) and still
refuses as erased already.

An invitee who never accepted is erased through their invitation (`erase_invitation`): an
open invitation is withdrawn in the same save (its seats go back, the waitlist moves up),
the invitation records `PersonalDataErased`, then its key is destroyed (details, decline
reason, mails) and `on_invitation_erased` forgets its mails.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.common import SYSTEM
from domain.errors import AlreadyErased, NotFound
from domain.invitation import Invitation, InvitationRoll, InvitationState
from domain.registration import Registration
from events_app.services.box_office import BoxOffice
from events_app.services.corrections import promote_waiting


class PersonalDataErasure:
    """Erase guests' personal data (crypto-shredding)."""

    def __init__(self, app: BoxOffice) -> None:
        self._app = app
        self.on_erased: list[Callable[[Registration, str], object]] = []
        """Called with the erased registration and the actor, after the keys are destroyed."""
        self.on_invitation_erased: list[Callable[[Invitation, str], object]] = []
        """Called with the erased invitation and the actor, after its key is destroyed."""

    def erase(self, registration_id: UUID, actor: str, reason: str) -> Registration:
        """Erase a registration's personal data; AlreadyErased if they were erased before."""
        app = self._app
        found = app.registration(registration_id)
        if found.erased:
            self._finish(found, actor)
            found.check_not_erased()

        def command() -> tuple[Registration, list[Aggregate]]:
            registration = app.registration(registration_id)
            guest_list = app.guest_list(registration.gathering_id)
            registration.erase_personal_data(app.clock(), actor, reason.strip())
            guest_list.forget_email(registration_id)
            touched = [guest_list] if guest_list.pending_events else []
            return registration, [*touched, registration]

        try:
            erased = app.execute(found.gathering_id, command)
        except AlreadyErased:
            self._finish(found, actor)  # erased meanwhile, by another process
            raise
        self._finish(erased, actor)
        return erased

    def _finish(self, registration: Registration, actor: str) -> None:
        """Destroy the keys, then have every other keeper forget the guest."""
        self._destroy_keys(registration)
        for forget in self.on_erased:
            forget(registration, actor)

    def _destroy_keys(self, registration: Registration) -> None:
        """Destroy the keys that open this guest's data: theirs, and their invitation's."""
        self._app.personal_keys.destroy(registration.id.hex)
        if registration.invitation_id is not None and registration.companion_of is None:
            self._app.personal_keys.destroy(registration.invitation_id.hex)

    # Invitees who never accepted ------------------------------------------------------

    def erase_invitation(self, invitation_id: UUID, actor: str, reason: str) -> Invitation:
        """Erase an unaccepted invitee's data (withdrawing an open invitation); AlreadyErased."""
        app = self._app
        found = app.load(Invitation, invitation_id, "invitation")
        if found.erased:
            self._finish_invitation(found, actor)
            found.erase_personal_data(app.clock(), actor, reason)  # raises AlreadyErased

        def command() -> tuple[Invitation, list[Aggregate]]:
            at = app.clock()
            invitation = app.load(Invitation, invitation_id, "invitation")
            touched: list[Aggregate] = []
            if invitation.state is InvitationState.INVITED and not invitation.erased:
                if invitation.is_due(at):  # past its deadline: it expires, as a sweep would
                    invitation.expire(at, SYSTEM)
                else:
                    invitation.revoke(at, actor)
                guest_list = app.guest_list(invitation.gathering_id)
                guest_list.unhold(invitation_id)
                limits = app.gathering_by_id(invitation.gathering_id).capacities()
                touched = [guest_list, *promote_waiting(app, guest_list, limits, at)]
            invitation.erase_personal_data(at, actor, reason.strip())
            return invitation, [*touched, invitation]

        try:
            erased = app.execute(found.gathering_id, command)
        except AlreadyErased:
            self._finish_invitation(found, actor)  # erased meanwhile, by another process
            raise
        self._finish_invitation(erased, actor)
        return erased

    def unaccepted(self, gathering_id: UUID) -> list[Invitation]:
        """Return the gathering's invitations never accepted whose data are still held.

        An erased one whose key a stop midway left is among them: erasing again destroys it.
        """
        try:
            roll = self._app.load(
                InvitationRoll, InvitationRoll.create_id(gathering_id), "invitation list"
            )
        except NotFound:
            return []
        found = (self._app.load(Invitation, i, "invitation") for i in roll.invitations)
        return [i for i in found if i.state is not InvitationState.ACCEPTED and self._held(i)]

    def _held(self, invitation: Invitation) -> bool:
        """Tell whether an invitation's data are still readable (not erased, or its key left)."""
        keys = self._app.personal_keys
        return not invitation.erased or keys.cipher(invitation.id.hex) is not None

    def _finish_invitation(self, invitation: Invitation, actor: str) -> None:
        """Destroy the invitation's key, then have every other keeper forget the invitee."""
        self._app.personal_keys.destroy(invitation.id.hex)
        for forget in self.on_invitation_erased:
            forget(invitation, actor)
