"""Sending guest mails: handing due mails over in one session and recording each outcome.

Each outcome is an event of the mail: `Delivered`, or `DeliveryFailed` with the error in
plain words and the time of the next attempt (see `domain.guest_mail`). A mail found sent
or cancelled (by another pass, or an erasure) is left alone; a change that meets a
concurrent one is made again on fresh state. Right before a mail is written, the guest is
looked up again in the events (not in a key cache): a guest whose personal data were
erased gets no mail, which is cancelled instead.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from domain.common import SYSTEM
from domain.guest_mail import ERASED_REASON, INVITATION_KINDS, GuestMail
from domain.invitation import Invitation
from domain.registration import Registration
from events_app.mail.transport import DeliveryError, Send, ServerUnavailable, Transport
from events_app.services.box_office import BoxOffice
from events_app.store.application import ConcurrencyConflict

log = logging.getLogger(__name__)

SAVE_ATTEMPTS = 10


@dataclass
class SendReport:
    """What one pass of the outbox did."""

    sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    busy: bool = False
    """Another thread or process was sending: this pass sent nothing."""


class Sender:
    """Hands mails over to a transport and records what became of each."""

    def __init__(
        self,
        app: BoxOffice,
        message: Callable[[GuestMail], EmailMessage],
        stop: threading.Event,
    ) -> None:
        self._app = app
        self._message = message
        self._stop = stop

    def deliver(self, transport: Transport, due: list[str], report: SendReport) -> bool:
        """Hand over the due mails in one session; return False if the server is unavailable."""
        pending = list(due)
        try:
            with transport.session() as send:
                while pending and not self._stop.is_set():
                    self._hand_over(send, UUID(pending[0]), report)
                    pending.pop(0)
        except ServerUnavailable as error:
            log.warning("guest mails wait: %s", error.message)
            for mail_id in pending:
                self._failed(UUID(mail_id), error.message, report)
            return False
        return True

    def _hand_over(self, send: Send, mail_id: UUID, report: SendReport) -> None:
        """Write and send one mail unless it is done; raise ServerUnavailable."""
        mail = self._app.load(GuestMail, mail_id, "mail")
        if mail.done or mail.gave_up:
            return
        if self.guest_erased(mail):
            self.record(mail.id, lambda m: m.cancel(self._app.clock(), SYSTEM, ERASED_REASON))
            return
        try:
            message = self._message(mail)
        except ValueError as error:  # e.g. an address SMTP cannot carry
            self._failed(mail.id, f"the mail cannot be written: {error}", report, permanent=True)
            return
        except Exception as error:
            log.exception("could not write mail %s", mail.id)
            self._failed(mail.id, f"could not write the mail: {error}", report)
            return
        try:
            via = send(str(mail.id), message)
        except ServerUnavailable:
            raise
        except DeliveryError as error:
            self._failed(mail.id, error.message, report, permanent=error.permanent)
            return
        self.record(mail.id, lambda m: m.delivered(self._app.clock(), SYSTEM, via))
        report.sent.append(str(mail.id))

    def _failed(
        self, mail_id: UUID, error: str, report: SendReport, *, permanent: bool = False
    ) -> None:
        now = self._app.clock()
        if self.record(
            mail_id, lambda m: m.delivery_failed(now, SYSTEM, error, permanent=permanent)
        ):
            report.failed.append((str(mail_id), error))

    def guest_erased(self, mail: GuestMail) -> bool:
        """Tell whether the personal data of the mail's guest were erased (read afresh)."""
        if mail.recipient_erased or not mail.recipient:
            return True
        registration_id = mail.registration_id
        if mail.kind in INVITATION_KINDS:
            invitation = self._app.load(Invitation, registration_id, "invitation")
            registration_id = getattr(invitation, "registration_id", None)
            if registration_id is None:
                return False  # not accepted: no registration to erase
        return bool(self._app.load(Registration, registration_id, "registration").erased)

    def record(
        self, mail_id: UUID, change: Callable[[GuestMail], None], *, unless_sent: bool = True
    ) -> bool:
        """Apply one change to a mail and save it, on fresh state after a conflict.

        With `unless_sent`, a mail found sent or cancelled is left alone (False returned).
        """
        for _ in range(SAVE_ATTEMPTS):
            mail = self._app.load(GuestMail, mail_id, "mail")
            if unless_sent and mail.done:
                return False
            change(mail)
            try:
                self._app.save(mail)
            except IntegrityError:
                continue
            return True
        raise ConcurrencyConflict("the mail kept changing while its delivery was recorded")
