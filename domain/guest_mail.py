"""An e-mail to a guest about their registration, and what became of its delivery."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.common import derived_id
from domain.errors import InvalidTransition, Term
from domain.personal import Kind, PersonalData, personal, sealed_text

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
    CANCELLED = "cancelled"


DONE_STATES = frozenset({MailState.SENT, MailState.CANCELLED})
"""States after which a mail is never handed over (again)."""
ERASED_REASON = "personal data erased"
"""The reason a mail is cancelled for when its guest's personal data are erased."""


def retry_delay(attempt: int) -> timedelta:
    """Return the wait before the attempt after failed attempt number `attempt` (1-based)."""
    return min(FIRST_RETRY * 2 ** (attempt - 1), LONGEST_WAIT)


class GuestMail(Aggregate):
    """One e-mail to a guest, caused by one event of their registration.

    The recipient and the errors (which servers word with the address) are personal data
    of the mail's `registration_id` (the invitation's id for invitation mails): erasing the
    guest destroys that key, and both read as "" from then on.
    """

    cancel_reason = ""

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
        recipient: Mapping[str, Any] | str,
        at: datetime,
        actor: str,
    ) -> None:
        self.registration_id = registration_id
        self.registration_version = registration_version
        self.gathering_id = gathering_id
        self.kind = MailKind(kind)
        self.recipient = sealed_text(recipient, "email")  # plain in older events
        self.recipient_erased = isinstance(recipient, PersonalData) and recipient.erased
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
            recipient=personal(registration_id, {"email": recipient}, Kind.DETAILS),
            at=at,
            actor=actor,
        )

    @property
    def done(self) -> bool:
        """Tell whether the mail was sent or cancelled: it is never handed over again."""
        return self.state in DONE_STATES

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
            error=personal(self.registration_id, {"error": error}, Kind.DETAILS),
            permanent=permanent,
            next_attempt_at=at + retry_delay(attempt) if retry else None,
        )

    @event("DeliveryFailed")
    def _delivery_failed(
        self,
        at: datetime,
        actor: str,
        attempt: int,
        error: Mapping[str, Any] | str,
        permanent: bool,
        next_attempt_at: datetime | None,
    ) -> None:
        self.state = MailState.FAILED
        self.attempts = attempt
        self.last_error = sealed_text(error, "error")  # plain in older events
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

    def cancel(self, at: datetime, actor: str, reason: str) -> None:
        """Never send the mail (e.g. its guest's personal data were erased)."""
        self._check_unsent(Term("cancel"))
        self._cancel(at=at, actor=actor, reason=reason)

    @event("Cancelled")
    def _cancel(self, at: datetime, actor: str, reason: str) -> None:
        self.state = MailState.CANCELLED
        self.cancel_reason = reason
        self.next_attempt_at = None

    def _check_unsent(self, action: str) -> None:
        if self.state is MailState.SENT:
            raise InvalidTransition("cannot %(action)s a mail that was sent", action=action)
        if self.state is MailState.CANCELLED:
            raise InvalidTransition("cannot %(action)s a mail that was cancelled", action=action)
