"""An e-mail to a guest about their registration, and what became of its delivery."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.common import derived_id
from domain.errors import InvalidTransition, Term

MAX_ATTEMPTS = 20
"""Attempts after which a mail that keeps failing is given up (about a day of retries)."""
FIRST_RETRY = timedelta(seconds=30)
"""The wait after the first failed attempt; each further failure doubles it."""
LONGEST_WAIT = timedelta(hours=1)
"""The longest wait between two attempts."""


class MailKind(StrEnum):
    """What a mail tells the guest."""

    CONFIRMED = "confirmed"
    PENDING = "pending"
    WAITLISTED = "waitlisted"
    APPROVED = "approved"
    REJECTED = "rejected"
    PROMOTED = "promoted"
    CANCELLED = "cancelled"
    BADGE_REISSUED = "badge_reissued"
    INVITATION = "invitation"
    INVITATION_REMINDER = "invitation_reminder"


INVITATION_KINDS = frozenset({MailKind.INVITATION, MailKind.INVITATION_REMINDER})
"""Kinds of mail about an invitation (their `registration_id` is the invitation's id)."""


WITH_BADGE = frozenset(
    {MailKind.CONFIRMED, MailKind.APPROVED, MailKind.PROMOTED, MailKind.BADGE_REISSUED}
)
"""Kinds of mail sent to a guest who has just got a seat (or a new badge): they carry the
badge PDF and a calendar entry."""


class MailState(StrEnum):
    """Where a mail stands."""

    QUEUED = "queued"
    FAILED = "failed"
    SENT = "sent"


def retry_delay(attempt: int) -> timedelta:
    """Return the wait before the attempt after failed attempt number `attempt` (1-based)."""
    return min(FIRST_RETRY * 2 ** (attempt - 1), LONGEST_WAIT)


class GuestMail(Aggregate):
    """One e-mail to a guest, caused by one event of their registration."""

    @staticmethod
    def create_id(registration_id: UUID, registration_version: int) -> UUID:
        """Return the id of the mail caused by this version of a registration."""
        return derived_id("guest-mail", f"{registration_id}:{registration_version}")

    @event("Queued")
    def __init__(
        self,
        registration_id: UUID,
        registration_version: int,
        gathering_id: UUID,
        kind: str,
        recipient: str,
        at: datetime,
        actor: str,
    ) -> None:
        self.registration_id = registration_id
        self.registration_version = registration_version
        self.gathering_id = gathering_id
        self.kind = MailKind(kind)
        self.recipient = recipient
        self.queued_at = at
        self.state = MailState.QUEUED
        self.attempts = 0
        self.last_error = ""
        self.next_attempt_at: datetime | None = at
        self.sent_at: datetime | None = None

    @classmethod
    def queue(
        cls,
        *,
        registration_id: UUID,
        registration_version: int,
        gathering_id: UUID,
        kind: MailKind,
        recipient: str,
        at: datetime,
        actor: str,
    ) -> GuestMail:
        """Queue the mail that one event of a registration calls for."""
        return cls(
            registration_id=registration_id,
            registration_version=registration_version,
            gathering_id=gathering_id,
            kind=kind.value,
            recipient=recipient,
            at=at,
            actor=actor,
        )

    @property
    def gave_up(self) -> bool:
        """Tell whether no further attempt will be made unless an organiser asks for one."""
        return self.state is MailState.FAILED and self.next_attempt_at is None

    def delivery_failed(self, at: datetime, actor: str, error: str, *, permanent: bool) -> None:
        """Record a failed attempt: retry later with a growing wait, or give up."""
        self._check_unsent(Term("record a failed delivery of"))
        attempt = self.attempts + 1
        retry = not permanent and attempt < MAX_ATTEMPTS
        self._delivery_failed(
            at=at,
            actor=actor,
            attempt=attempt,
            error=error,
            permanent=permanent,
            next_attempt_at=at + retry_delay(attempt) if retry else None,
        )

    @event("DeliveryFailed")
    def _delivery_failed(
        self,
        at: datetime,
        actor: str,
        attempt: int,
        error: str,
        permanent: bool,
        next_attempt_at: datetime | None,
    ) -> None:
        self.state = MailState.FAILED
        self.attempts = attempt
        self.last_error = error
        self.next_attempt_at = next_attempt_at

    def delivered(self, at: datetime, actor: str, via: str) -> None:
        """Record that the mail server (or the outbox folder) took the mail."""
        self._check_unsent(Term("deliver"))
        self._delivered(at=at, actor=actor, attempt=self.attempts + 1, via=via)

    @event("Delivered")
    def _delivered(self, at: datetime, actor: str, attempt: int, via: str) -> None:
        self.state = MailState.SENT
        self.attempts = attempt
        self.sent_at = at
        self.next_attempt_at = None

    def requeue(self, at: datetime, actor: str) -> None:
        """Try a failed mail again at once (e.g. after the address or the server was fixed)."""
        if self.state is not MailState.FAILED:
            raise InvalidTransition(
                "only a failed mail can be retried; this one is %(state)s", state=Term(self.state)
            )
        self._requeue(at=at, actor=actor)

    @event("Requeued")
    def _requeue(self, at: datetime, actor: str) -> None:
        self.next_attempt_at = at

    def _check_unsent(self, action: str) -> None:
        if self.state is MailState.SENT:
            raise InvalidTransition("cannot %(action)s a mail that was sent", action=action)
