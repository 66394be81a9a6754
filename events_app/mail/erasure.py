"""Erasing a guest from the outbox: their unsent mails cancelled, their .eml files deleted.

Run after the guest's key is destroyed (see `services.personal_data`). It holds the send
lock, which every process's send pass holds: a pass running when the guest is erased
finishes first (a mail it handed over was sent before the erasure, and its file is then
deleted); no pass starts meanwhile. A pass that starts later finds the mails cancelled,
and one that meets a mail not yet cancelled (the erasure stopped part-way) looks the guest
up again and cancels it instead of sending it. A queueing batch that read the address just
before the keys were destroyed is waited for (the catch-up lock) and its mail cancelled
like the others; the key its seal made anew is destroyed again. Run again, it does the
same: nothing is cancelled twice and a file already deleted is no error. An invitee erased
without a registration is forgotten the same way, by their invitation's id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from uuid import UUID

from domain.guest_mail import ERASED_REASON, GuestMail
from domain.invitation import Invitation
from domain.registration import Registration
from events_app.mail.listing import MailListing
from events_app.mail.sending import Sender
from events_app.mail.transport import Transport
from events_app.services.box_office import BoxOffice
from events_app.store.locks import Locks
from events_app.store.sql import Database

SEND_LOCK = "mail-send"
"""The lock of a send pass, in every process on the store."""


class MailErasure:
    """Cancels an erased guest's unsent mails and deletes what the transport kept."""

    def __init__(
        self,
        app: BoxOffice,
        locks: Locks,
        database: Database,
        listing: MailListing,
        sender: Sender,
        catch_up: Callable[[], int],
        keepers: Sequence[Transport],
    ) -> None:
        self._app = app
        self._locks = locks
        self._database = database
        self._listing = listing
        self._sender = sender
        self._catch_up = catch_up
        self._keepers = list(keepers)
        """What may keep copies of mails: the transport, and the outbox folder (mails were
        written there while no SMTP server was set)."""

    def forget(self, registration: Registration, actor: str) -> list[str]:
        """Cancel the guest's unsent mails, delete their files; return the mails cancelled."""
        return self.forget_subjects(subjects_of(registration), actor)

    def forget_invitation(self, invitation: Invitation, actor: str) -> list[str]:
        """Cancel an erased invitee's unsent mails, delete their files; return those cancelled."""
        return self.forget_subjects([str(invitation.id)], actor)

    def forget_subjects(self, subjects: list[str], actor: str) -> list[str]:
        """Cancel the unsent mails filed under `subjects`, delete their files; return those."""
        cancelled = []
        with self._locks.hold(SEND_LOCK):
            self._catch_up()  # a queueing batch that read the address before is listed
            for mail_id in self._listing.of_guest(subjects):
                if self._sender.record(UUID(mail_id), self._cancel(actor)):
                    cancelled.append(mail_id)
                for keeper in self._keepers:
                    keeper.forget(mail_id)
            self._catch_up()
            self._listing.forget_guest(subjects)
            for subject in subjects:  # a mail sealed meanwhile made a new key: it goes too
                self._app.personal_keys.destroy(UUID(subject).hex)
        self._database.reclaim(["mail_messages"])
        return cancelled

    def _cancel(self, actor: str) -> Callable[[GuestMail], None]:
        return lambda mail: mail.cancel(self._app.clock(), actor, ERASED_REASON)


def subjects_of(registration: Registration) -> list[str]:
    """Return the ids the guest's mails are filed under: the registration's, the invitation's."""
    subjects = [str(registration.id)]
    if registration.invitation_id is not None and registration.companion_of is None:
        subjects.append(str(registration.invitation_id))
    return subjects
