"""Reading invitations (by id, by link, per gathering) and freeing the seats they hold."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.common import SYSTEM
from domain.errors import NotFound
from domain.invitation import Invitation, InvitationRoll, InvitationState
from events_app.services.box_office import BoxOffice
from events_app.services.corrections import promote_waiting
from events_app.services.invitation_tokens import invitation_id_from, token_digest
from events_app.services.invitation_tokens import invitation_token as make_token


class InvitationLoading:
    """Load invitations and give back the seats of those that end unaccepted."""

    def __init__(self, app: BoxOffice, secret_key: str) -> None:
        self.app = app
        self.secret_key = secret_key

    # Reading --------------------------------------------------------------------

    def token(self, invitation: Invitation) -> str:
        """Return the token of an invitation's personal link."""
        return make_token(self.secret_key, invitation.id)

    def invitation(self, invitation_id: UUID) -> Invitation:
        """Return one invitation."""
        return self.app.load(Invitation, invitation_id, "invitation")

    def by_token(self, token: str) -> Invitation:
        """Return the invitation a link names; raise NotFound for a token that is not one."""
        invitation_id = invitation_id_from(self.secret_key, token)
        if invitation_id is not None:
            try:
                invitation = self.invitation(invitation_id)
            except NotFound:
                invitation = None
            if invitation is not None and invitation.token_digest == token_digest(token):
                return invitation
        raise NotFound("no invitation has this link", field="token")

    def roll(self, gathering_id: UUID) -> InvitationRoll | None:
        """Return the invitation roll of a gathering (None: nobody invited yet)."""
        try:
            return self.app.load(
                InvitationRoll, InvitationRoll.create_id(gathering_id), "invitation list"
            )
        except NotFound:
            return None

    def of_gathering(self, slug: str) -> list[Invitation]:
        """Return the invitations of a gathering, in the order they were made."""
        roll = self.roll(self.app.gathering(slug).id)
        return [self.invitation(i) for i in roll.invitations] if roll else []

    def counts(self, slug: str, at: datetime | None = None) -> dict[str, dict[str, int]]:
        """Return, per category, how many invitations are in each state (due ones: expired)."""
        at = at or self.app.clock()
        counts: dict[str, dict[str, int]] = {}
        for invitation in self.of_gathering(slug):
            state = "expired" if invitation.is_due(at) else invitation.state.value
            row = counts.setdefault(invitation.category, {s.value: 0 for s in InvitationState})
            row[state] += 1
        for row in counts.values():
            row["total"] = sum(row[s.value] for s in InvitationState)
        return counts

    # Inviting -------------------------------------------------------------------

    def revoke(self, slug: str, invitation_id: UUID, actor: str) -> Invitation:
        """Withdraw an unanswered invitation (organiser): its seats go back."""
        self._check_of(slug, invitation_id)
        return self._free(invitation_id, lambda i, at: i.revoke(at, actor))

    def expire(self, invitation_id: UUID) -> Invitation:
        """Expire an unanswered invitation whose deadline has passed: its seats go back."""
        return self._free(invitation_id, lambda i, at: i.expire(at, SYSTEM))

    def _free(
        self, invitation_id: UUID, change: Callable[[Invitation, datetime], None]
    ) -> Invitation:
        gathering_id = self.invitation(invitation_id).gathering_id

        def command() -> tuple[Invitation, list[Aggregate]]:
            at = self.app.clock()
            invitation = self.invitation(invitation_id)
            change(invitation, at)
            guest_list = self.app.guest_list(gathering_id)
            guest_list.unhold(invitation_id)
            limits = self.app.gathering_by_id(gathering_id).capacities()
            promoted = promote_waiting(self.app, guest_list, limits, at)
            return invitation, [guest_list, invitation, *promoted]

        return self.app.execute(gathering_id, command)

    def of_slug(self, slug: str, invitation_id: UUID) -> Invitation:
        """Return an invitation of the gathering `slug` (NotFound if it is another's)."""
        return self._check_of(slug, invitation_id)

    def _check_of(self, slug: str, invitation_id: UUID) -> Invitation:
        invitation = self.invitation(invitation_id)
        if invitation.gathering_id != self.app.gathering(slug).id:
            raise NotFound("%(what)s not found", what="invitation")
        return invitation

    # Organisers' follow-up ----------------------------------------------------------
