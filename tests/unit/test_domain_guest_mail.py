"""A guest mail's personal data and its cancellation (the domain alone)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from domain.errors import InvalidTransition
from domain.guest_mail import ERASED_REASON, GuestMail, MailKind, MailState
from domain.personal import Kind, PersonalData

AT = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)


def queued(**overrides: object) -> GuestMail:
    """Return a mail queued for a registration."""
    values: dict[str, object] = {
        "registration_id": uuid4(),
        "registration_version": 1,
        "gathering_id": uuid4(),
        "kind": MailKind.CONFIRMED,
        "recipient": "guest@example.org",
        "at": AT,
        "actor": "system",
    }
    return GuestMail.queue(**{**values, **overrides})  # type: ignore[arg-type]


def test_the_recipient_and_errors_are_the_registrations_personal_data() -> None:
    mail = queued()
    (event,) = mail.collect_events()
    assert isinstance(event.recipient, PersonalData)
    assert (event.recipient.subject, event.recipient.kind) == (mail.registration_id, Kind.DETAILS)
    assert mail.recipient == "guest@example.org"
    mail.delivery_failed(AT, "system", "550 <guest@example.org> unknown", permanent=False)
    (failed,) = mail.collect_events()
    assert isinstance(failed.error, PersonalData)
    assert failed.error.subject == mail.registration_id
    assert mail.last_error == "550 <guest@example.org> unknown"


def test_a_cancelled_mail_is_never_delivered_nor_retried() -> None:
    mail = queued()
    mail.cancel(AT, "alice", ERASED_REASON)
    assert (mail.state, mail.cancel_reason, mail.next_attempt_at) == (
        MailState.CANCELLED,
        ERASED_REASON,
        None,
    )
    assert mail.done
    for change in (
        lambda: mail.delivered(AT, "system", "file x.eml"),
        lambda: mail.delivery_failed(AT, "system", "down", permanent=False),
        lambda: mail.requeue(AT, "alice"),
        lambda: mail.cancel(AT, "alice", ERASED_REASON),
    ):
        with pytest.raises(InvalidTransition):
            change()


def test_a_sent_mail_cannot_be_cancelled() -> None:
    mail = queued()
    mail.delivered(AT, "system", "smtp")
    with pytest.raises(InvalidTransition):
        mail.cancel(AT, "alice", ERASED_REASON)


def test_an_erased_recipient_reads_empty_and_erased() -> None:
    mail = queued()
    erased = PersonalData(mail.registration_id, {"email": ""}, Kind.DETAILS, erased=True)
    again = GuestMail(
        registration_id=mail.registration_id,
        registration_version=2,
        gathering_id=mail.gathering_id,
        kind="confirmed",
        recipient=erased,
        at=AT,
        actor="system",
    )
    assert (again.recipient, again.recipient_erased) == ("", True)
    plain = GuestMail(  # as stored before recipients were sealed
        registration_id=mail.registration_id,
        registration_version=3,
        gathering_id=mail.gathering_id,
        kind="confirmed",
        recipient="old@example.org",
        at=AT,
        actor="system",
    )
    assert (plain.recipient, plain.recipient_erased) == ("old@example.org", False)
