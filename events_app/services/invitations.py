"""Invitations: organisers invite guests into held seats; invitees answer by their link.

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

from domain.common import GUEST, SYSTEM, normalise_email
from domain.errors import DomainError, InvalidValue, NotFound
from domain.gathering import Gathering
from domain.guest_list import GuestList
from domain.invitation import MAX_COMPANIONS, Invitation, InvitationRoll, InvitationState
from domain.registration import GuestDetails, Registration
from events_app.services.box_office import BoxOffice
from events_app.services.corrections import promote_waiting
from events_app.services.invitation_tokens import invitation_id_from, token_digest
from events_app.services.invitation_tokens import invitation_token as make_token
from events_app.services.planning import Row, RowProblem, RowsRefused


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


@dataclass(frozen=True)
class Companion:
    """An accompanying person an invitee names (aide, photographer)."""

    full_name: str
    role: str
    name_zh: str = ""
    email: str = ""


class Invitations:
    """Invite, answer, remind and expire: the invitations of every gathering."""

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
            details=invitee.details(),
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

    # Answering --------------------------------------------------------------------

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
    ) -> Registration:
        """Accept by link: a registration in the held seat, and one per companion named."""
        invitation = self.open(token)
        invitation.check_answerable(self.app.clock())
        invitation.check_companions(len(companions))
        registration_id = uuid4()
        companion_ids = [uuid4() for _ in companions]

        def command() -> tuple[Registration, list[Aggregate]]:
            at = self.app.clock()
            current = self.invitation(invitation.id)
            guest_list = self.app.guest_list(current.gathering_id)
            policy, capacity = self.app.limits_of(current.gathering_id, current.category)
            named = [
                [str(cid), c.full_name, c.role]
                for cid, c in zip(companion_ids, companions, strict=True)
            ]
            current.accept(registration_id, named, at, actor)
            standing = guest_list.admit_held(
                registration_id,
                details.email,
                current.id,
                current.category,
                capacity,
                approval_required=policy.approval_required,
            )
            registration = Registration(
                id=registration_id,
                gathering_id=current.gathering_id,
                details=details.as_dict(),
                category=current.category,
                state=standing,
                at=at,
                actor=actor,
                invitation_id=current.id,
            )
            others = [
                self._companion(current, guest_list, registration, cid, c, details, at, actor)
                for cid, c in zip(companion_ids, companions, strict=True)
            ]
            return registration, [guest_list, current, registration, *others]

        return self.app.execute(invitation.gathering_id, command)

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
        policy, capacity = self.app.limits_of(invitation.gathering_id, invitation.category)
        standing = guest_list.admit_held(
            companion_id,
            companion.email,
            invitation.id,
            invitation.category,
            capacity,
            approval_required=policy.approval_required,
        )
        own = GuestDetails(
            full_name=companion.full_name,
            name_zh=companion.name_zh,
            email=companion.email,
            organisation=details.organisation,
            job_title=companion.role,
            consent=details.consent,
            language=details.language,
        )
        return Registration(
            id=companion_id,
            gathering_id=invitation.gathering_id,
            details=own.as_dict(),
            category=invitation.category,
            state=standing,
            at=at,
            actor=actor,
            invitation_id=invitation.id,
            companion_of=invitee.id,
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

    def revoke(self, slug: str, invitation_id: UUID, actor: str) -> Invitation:
        """Withdraw an unanswered invitation (organiser): its seats go back."""
        self._check_of(slug, invitation_id)
        return self._free(invitation_id, lambda i, at: i.revoke(at, actor))

    def expire(self, invitation_id: UUID) -> Invitation:
        """Expire an unanswered invitation whose deadline has passed: its seats go back."""
        return self._free(invitation_id, lambda i, at: i.expire(at, SYSTEM))

    def _free(self, invitation_id: UUID, change: object) -> Invitation:
        gathering_id = self.invitation(invitation_id).gathering_id

        def command() -> tuple[Invitation, list[Aggregate]]:
            at = self.app.clock()
            invitation = self.invitation(invitation_id)
            change(invitation, at)  # type: ignore[operator]
            guest_list = self.app.guest_list(gathering_id)
            guest_list.unhold(invitation_id)
            limits = self.app.gathering_by_id(gathering_id).capacities()
            promoted = promote_waiting(self.app, guest_list, limits, at)
            return invitation, [guest_list, invitation, *promoted]

        return self.app.execute(gathering_id, command)

    def _check_of(self, slug: str, invitation_id: UUID) -> Invitation:
        invitation = self.invitation(invitation_id)
        if invitation.gathering_id != self.app.gathering(slug).id:
            raise NotFound("%(what)s not found", what="invitation")
        return invitation

    # Organisers' follow-up ----------------------------------------------------------

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
