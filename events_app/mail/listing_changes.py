"""How each mail event changes the `mail_messages` listing (see `listing`).

The recipient and the last error are kept until the guest's personal data are erased: on
`Registration.PersonalDataErased` the guest's rows are blanked and their subjects (the
registration's id, and the invitation's it accepted: ids only) recorded in `mail_erased`,
so that a mail event listed after the erasure (queued by a batch that read the address
just before) is listed blank too.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from eventsourcing.utils import get_topic

from domain.guest_mail import GuestMail, MailState
from domain.invitation import Invitation
from domain.personal import sealed_text
from domain.registration import Registration
from events_app.store.sql import Transaction

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ERASED_SCHEMA = "CREATE TABLE IF NOT EXISTS mail_erased (subject_id TEXT PRIMARY KEY)"
COLUMNS = (
    "id, gathering_id, registration_id, kind, recipient, state, attempts, last_error, "
    "next_attempt_at, queued_at, updated_at, sent_at, via"
)


def forget_guest(tx: Transaction, subjects: list[str]) -> None:
    """Blank the recipient and the errors of every mail of an erased guest, now and later."""
    marks = ", ".join("?" * len(subjects))
    tx.execute(
        "UPDATE mail_messages SET recipient = '', last_error = '' "
        f"WHERE registration_id IN ({marks})",
        subjects,
    )
    for subject in subjects:
        tx.execute(
            "INSERT INTO mail_erased (subject_id) VALUES (?) ON CONFLICT (subject_id) DO NOTHING",
            (subject,),
        )


def _erased(tx: Transaction, subject: str) -> bool:
    return (
        tx.execute("SELECT 1 FROM mail_erased WHERE subject_id = ?", (subject,)).one() is not None
    )


def epoch_us(moment: datetime) -> int:
    """Return `moment` in microseconds since 1970, as the `due_us` column keeps it."""
    return (moment - EPOCH) // timedelta(microseconds=1)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def _queued(tx: Transaction, domain_event: Any, seq: int) -> None:
    at = _iso(domain_event.at)
    erased = _erased(tx, str(domain_event.registration_id))
    tx.execute(
        f"INSERT INTO mail_messages ({COLUMNS}, due_us, seq) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
        (
            str(domain_event.originator_id),
            str(domain_event.gathering_id),
            str(domain_event.registration_id),
            domain_event.kind,
            "" if erased else sealed_text(domain_event.recipient, "email"),
            MailState.QUEUED.value,
            0,
            "",
            at,
            at,
            at,
            None,
            "",
            epoch_us(domain_event.at),
            seq,
        ),
    )


def _delivery_failed(tx: Transaction, domain_event: Any, seq: int) -> None:
    retry_at = domain_event.next_attempt_at
    tx.execute(
        "UPDATE mail_messages SET state = ?, attempts = ?, "
        "last_error = CASE WHEN EXISTS (SELECT 1 FROM mail_erased "
        "WHERE subject_id = mail_messages.registration_id) THEN '' ELSE ? END, "
        "next_attempt_at = ?, due_us = ?, updated_at = ? WHERE id = ?",
        (
            MailState.FAILED.value,
            domain_event.attempt,
            sealed_text(domain_event.error, "error"),
            _iso(retry_at),
            None if retry_at is None else epoch_us(retry_at),
            _iso(domain_event.at),
            str(domain_event.originator_id),
        ),
    )


def _delivered(tx: Transaction, domain_event: Any, seq: int) -> None:
    at = _iso(domain_event.at)
    tx.execute(
        "UPDATE mail_messages SET state = ?, attempts = ?, next_attempt_at = NULL, "
        "due_us = NULL, sent_at = ?, via = ?, updated_at = ? WHERE id = ?",
        (
            MailState.SENT.value,
            domain_event.attempt,
            at,
            domain_event.via,
            at,
            str(domain_event.originator_id),
        ),
    )


def _requeued(tx: Transaction, domain_event: Any, seq: int) -> None:
    at = _iso(domain_event.at)
    tx.execute(
        "UPDATE mail_messages SET next_attempt_at = ?, due_us = ?, updated_at = ? WHERE id = ?",
        (at, epoch_us(domain_event.at), at, str(domain_event.originator_id)),
    )


def _cancelled(tx: Transaction, domain_event: Any, seq: int) -> None:
    tx.execute(
        "UPDATE mail_messages SET state = ?, next_attempt_at = NULL, due_us = NULL, "
        "updated_at = ? WHERE id = ?",
        (MailState.CANCELLED.value, _iso(domain_event.at), str(domain_event.originator_id)),
    )


CHANGES: dict[type, Any] = {
    GuestMail.Queued: _queued,  # type: ignore[attr-defined]
    GuestMail.DeliveryFailed: _delivery_failed,  # type: ignore[attr-defined]
    GuestMail.Delivered: _delivered,  # type: ignore[attr-defined]
    GuestMail.Requeued: _requeued,  # type: ignore[attr-defined]
    GuestMail.Cancelled: _cancelled,  # type: ignore[attr-defined]
}
"""How each mail event changes the listing, by the event's class."""
MAIL_TOPICS = sorted(map(get_topic, CHANGES))
"""The topics of those events: the listing's projection receives no other notification
(but `ERASED_TOPIC` and `INVITATION_ERASED_TOPIC`)."""
ERASED_TOPIC = get_topic(Registration.PersonalDataErased)  # type: ignore[attr-defined]
INVITATION_ERASED_TOPIC = get_topic(Invitation.PersonalDataErased)  # type: ignore[attr-defined]
