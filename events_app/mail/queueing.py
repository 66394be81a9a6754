"""Queueing guest mails: a projection of registration events that saves `GuestMail` aggregates.

It follows the notification log on the read models' machinery (`read_models.projector`),
receiving only the registration events a guest may hear about. Its effects are events in
the store, which no transaction of the projection's tables can span: each batch saves its
mails first, under ids derived from the registration and its version, and then commits
its position. A batch applied again (after a crash before that commit, or on a position
set back) finds its mails saved and queues nothing twice. On a store that existed before
the outbox, queueing starts at the end of the log: old registrations get no mail.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import IntegrityError, Notification
from eventsourcing.utils import get_topic

from domain.common import SYSTEM
from domain.guest_mail import GuestMail, MailKind
from domain.invitation import Invitation
from domain.registration import Registration
from events_app.mail.listing import BATCH, CATCH_UP_LOCK, VIEW_POSITION
from events_app.read_models.projector import (
    POSITIONS_SCHEMA,
    Projector,
    position_of,
    set_position,
)
from events_app.services.box_office import BoxOffice
from events_app.store.locks import Locks
from events_app.store.sql import Database, Transaction

log = logging.getLogger(__name__)

QUEUE_POSITION = "mail:queue"
OLD_POSITIONS = "mail_positions"
"""The table the outbox kept its positions in before it followed the log as a projection."""

REGISTRATION_KINDS: dict[str, MailKind | None] = {
    get_topic(Registration.Submitted): None,  # the kind depends on the state it was given
    get_topic(Registration.Approved): MailKind.APPROVED,  # type: ignore[attr-defined]
    get_topic(Registration.Waitlisted): MailKind.WAITLISTED,  # type: ignore[attr-defined]
    get_topic(Registration.Rejected): MailKind.REJECTED,  # type: ignore[attr-defined]
    get_topic(Registration.Promoted): MailKind.PROMOTED,  # type: ignore[attr-defined]
    get_topic(Registration.Cancelled): MailKind.CANCELLED,  # type: ignore[attr-defined]
    get_topic(Registration.BadgeReissued): MailKind.BADGE_REISSUED,  # type: ignore[attr-defined]
}
INVITATION_MAILS: dict[str, MailKind] = {
    get_topic(Invitation.Invited): MailKind.INVITATION,  # type: ignore[attr-defined]
    get_topic(Invitation.Resent): MailKind.INVITATION,  # type: ignore[attr-defined]
    get_topic(Invitation.Reminded): MailKind.INVITATION_REMINDER,  # type: ignore[attr-defined]
}
SUBMITTED_KINDS = {
    "confirmed": MailKind.CONFIRMED,
    "pending": MailKind.PENDING,
    "waitlisted": MailKind.WAITLISTED,
}


class MailQueue:
    """The projection that turns registration events into queued mails."""

    def __init__(self, app: BoxOffice, database: Database, locks: Locks, storage_kind: str):
        self._app = app
        self.projector = Projector(
            app,
            database,
            locks,
            name=QUEUE_POSITION,
            apply=_positions_only,
            topics=sorted({*REGISTRATION_KINDS, *INVITATION_MAILS}),
            batch=BATCH,
            lock=CATCH_UP_LOCK,
            effects=self._queue_batch,
        )
        end_of_log = app.recorder.max_notification_id() or 0
        with database.transaction(exclusive=True) as tx:
            tx.execute(POSITIONS_SCHEMA)
            if position_of(tx, QUEUE_POSITION) is None:
                start_positions(tx, storage_kind, end_of_log)

    def _queue_batch(self, notifications: Sequence[Notification]) -> None:
        mails = []
        for notification in notifications:
            mail = self._mail_for(self._app.mapper.to_domain_event(notification))
            if mail is not None:
                mails.append(mail)
        self._save(mails)

    def _mail_for(self, domain_event: Any) -> GuestMail | None:
        """Return the mail a registration event calls for, if any."""
        topic = get_topic(type(domain_event))
        kind = REGISTRATION_KINDS.get(topic) or INVITATION_MAILS.get(topic)
        if kind is None and topic == get_topic(Registration.Submitted):
            kind = SUBMITTED_KINDS.get(str(getattr(domain_event, "state", "")))
        if kind is None:
            return None
        first = domain_event
        if not hasattr(first, "details"):
            first = next(iter(self._app.events.get(domain_event.originator_id, lte=1)))
        details = first.details
        if getattr(details, "erased", False):  # erased before the mail was queued
            return None
        return GuestMail.queue(
            registration_id=domain_event.originator_id,
            registration_version=domain_event.originator_version,
            gathering_id=first.gathering_id,
            kind=kind,
            recipient=details["email"],
            at=domain_event.at,
            actor=SYSTEM,
        )

    def _save(self, mails: list[GuestMail]) -> None:
        """Save new mails; a mail queued before (by a batch applied again) is skipped."""
        if not mails:
            return
        try:
            self._app.save(*mails)
        except IntegrityError:
            for mail in mails:
                try:
                    self._app.save(mail)
                except IntegrityError:
                    log.info("mail %s was queued already", mail.id)


def _positions_only(tx: Transaction, notifications: Sequence[Notification]) -> None:
    """Change no table: a batch's queued mails are in the store before its position commits."""


def start_positions(tx: Transaction, storage_kind: str, end_of_log: int) -> None:
    """Record where the outbox's projections start on a store they never followed.

    From the positions table of the outbox before it became a projection, if the store
    has one, so that no mail is queued or listed twice; otherwise at the end of the log.
    """
    old = _old_positions(tx, storage_kind)
    set_position(tx, QUEUE_POSITION, old.get(QUEUE_POSITION, end_of_log))
    if VIEW_POSITION in old and position_of(tx, VIEW_POSITION) is None:
        set_position(tx, VIEW_POSITION, old[VIEW_POSITION])


def _old_positions(tx: Transaction, storage_kind: str) -> dict[str, int]:
    if storage_kind == "postgres":
        found = tx.execute("SELECT to_regclass(?) IS NOT NULL", (OLD_POSITIONS,)).one()
    else:
        found = tx.execute(
            "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = ?",
            (OLD_POSITIONS,),
        ).one()
    if not (found and found[0]):
        return {}
    rows = tx.execute("SELECT name, position FROM mail_positions").all()
    return {str(name): int(position) for name, position in rows}
