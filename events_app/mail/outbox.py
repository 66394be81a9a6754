"""The guest-mail outbox: queues mails from the notification log, sends them, lists them.

- **Queueing** (`queueing`): a projection of the registration events a guest should hear
  about, on the read models' machinery; each queues one `GuestMail` aggregate.
- **Sending** (`sending`): a pass takes the due mails in the order they were queued, hands
  them over in one SMTP session (or writes them to the outbox folder) and records each
  outcome as an event of the mail. Passes hold a lock shared by every process on the
  store, so two gunicorn workers never send the same mail. The messages are written here.
- **Listing** (`listing`): the mail events projected into the `mail_messages` table
  (rebuildable from the store) that organisers list, filtered by state.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from email.message import EmailMessage
from uuid import UUID

from domain.gathering import Gathering
from domain.guest_mail import INVITATION_KINDS, WITH_BADGE, GuestMail
from domain.invitation import Invitation
from domain.registration import Registration
from events_app.mail.compose import Attachment, MailFacts, calendar_text, compose
from events_app.mail.erasure import SEND_LOCK, MailErasure
from events_app.mail.ics import CalendarEvent, calendar
from events_app.mail.listing import MailListing, MailRow
from events_app.mail.queueing import MailQueue
from events_app.mail.sending import Sender, SendReport
from events_app.mail.settings import MailSettings
from events_app.mail.transport import FolderTransport, Transport
from events_app.read_models.consistency import allowance, need, note_behind
from events_app.services.badge_print import badge_data
from events_app.services.badge_tokens import BadgeSigner
from events_app.services.box_office import BoxOffice
from events_app.services.confirmation import confirmation_token
from events_app.services.invitation_tokens import invitation_token
from events_app.store.locks import Locks
from events_app.store.reads import replay
from events_app.store.sql import Database
from events_app.store.storage import Storage
from printing.badges import render_badge

log = logging.getLogger(__name__)

SEND_BATCH = 100

__all__ = ["MailRow", "Outbox", "SendReport"]


def _quiet(report: SendReport) -> None:
    """Say nothing about a pass."""


class Outbox:
    """Queues, sends and lists the mails to guests."""

    def __init__(
        self,
        app: BoxOffice,
        database: Database,
        storage: Storage,
        signer: BadgeSigner,
        secret_key: str,
        settings: MailSettings,
    ) -> None:
        self._app = app
        self._signer = signer
        self._secret_key = secret_key
        self.settings = settings
        self._transport: Transport = settings.transport()
        self._locks = Locks(storage, database)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._thread_guard = threading.Lock()
        self.wait_seconds = 1.0
        self._queue = MailQueue(app, database, self._locks, storage.kind)
        self._listing = MailListing(app, database, self._locks)
        self._sender = Sender(app, self.message, self._stop)
        keepers = [self._transport, FolderTransport(settings.outbox_dir)]  # mails' copies
        self.erasure = MailErasure(
            app, self._locks, database, self._listing, self._sender, self.catch_up, keepers
        )

    # Following the notification log ---------------------------------------------

    def catch_up(self) -> int:
        """Queue the mails of, and list, every event recorded so far; return the position."""
        self._queue.projector.run_to_end()
        return self._listing.projector.run_to_end()

    def _ready(self) -> None:
        """Catch up before a listing, for at most `READ_WAIT_SECONDS` within a request.

        Each batch commits as it goes, so a listing that stops short loses nothing: it
        answers from what is listed and says how far behind (see `consistency`).
        """
        if need().patient:
            self.catch_up()
            return
        deadline = time.monotonic() + allowance(self.wait_seconds)
        queue, listing = self._queue.projector, self._listing.projector
        queue.wait_for(queue.latest(), deadline - time.monotonic())
        latest = listing.latest()
        reached = listing.wait_for(latest, deadline - time.monotonic())
        if reached < latest:
            note_behind(latest - reached)

    def rebuild(self) -> int:
        """Forget the listing and list every mail in the store again; return the position."""
        self._listing.forget()
        return self.catch_up()

    # Sending ----------------------------------------------------------------------

    def run_once(self, *, wait: bool = True, everything: bool = False) -> SendReport:
        """Queue what is new and send every mail that is due; return what happened.

        `wait=False` gives up at once when another thread or process is sending;
        `everything` also retries failed mails now instead of at their next attempt.
        """
        with self._locks.hold(SEND_LOCK, blocking=wait) as held:
            if not held:
                return SendReport(busy=True)
            self.catch_up()
            report = SendReport()
            tried: set[str] = set()
            limit = SEND_BATCH * 10 if everything else SEND_BATCH
            while not self._stop.is_set():
                due = self._listing.due(self._app.clock(), limit, everything=everything)
                due = [m for m in due if m not in tried]
                if not due:
                    break
                tried.update(due)
                if not self._sender.deliver(self._transport, due, report):
                    break
                self.catch_up()
            self.catch_up()
            return report

    def message(self, mail: GuestMail) -> EmailMessage:
        """Return the e-mail message of a mail, as it is sent now, in the guest's language."""
        if mail.kind in INVITATION_KINDS:
            return self._invitation_message(mail)
        registration: Registration = replay(
            None, self._app.events.get(mail.registration_id, lte=mail.registration_version)
        )
        gathering = self._app.gathering_by_id(mail.gathering_id)
        link = self.settings.link(
            gathering.slug, confirmation_token(self._secret_key, registration.id)
        )
        details = registration.details
        facts = MailFacts(
            mail_id=str(mail.id),
            kind=mail.kind,
            full_name=details["full_name"],
            name_zh=details.get("name_zh", ""),
            email=mail.recipient,
            title_en=gathering.title_en,
            title_zh=gathering.title_zh,
            venue=gathering.venue,
            venue_zh=gathering.venue_zh,
            timezone=gathering.timezone,
            starts_at=gathering.starts_at,
            ends_at=gathering.ends_at,
            link=link,
            language=registration.language,
        )
        now = self._app.clock()
        with self.settings.app_context():
            attachments = []
            if mail.kind in WITH_BADGE:
                attachments = self._badge_and_calendar(gathering, registration, facts, now)
            return compose(facts, self.settings.sender, now, attachments)

    def _invitation_message(self, mail: GuestMail) -> EmailMessage:
        """Return an invitation (or its reminder) with the invitee's personal link."""
        invitation: Invitation = replay(
            None, self._app.events.get(mail.registration_id, lte=mail.registration_version)
        )
        gathering = self._app.gathering_by_id(mail.gathering_id)
        token = invitation_token(self._secret_key, invitation.id)
        facts = MailFacts(
            mail_id=str(mail.id),
            kind=mail.kind,
            full_name=invitation.details["full_name"],
            name_zh=invitation.details.get("name_zh", ""),
            email=mail.recipient,
            title_en=gathering.title_en,
            title_zh=gathering.title_zh,
            venue=gathering.venue,
            venue_zh=gathering.venue_zh,
            timezone=gathering.timezone,
            starts_at=gathering.starts_at,
            ends_at=gathering.ends_at,
            link=self.settings.invitation_link(token),
            language=invitation.language,
            deadline=invitation.deadline,
        )
        with self.settings.app_context():
            return compose(facts, self.settings.sender, self._app.clock(), [])

    def _badge_and_calendar(
        self, gathering: Gathering, registration: Registration, facts: MailFacts, now: datetime
    ) -> list[Attachment]:
        token = self._signer.sign(gathering.id, registration.id, registration.badge_serial)
        pdf = render_badge(badge_data(gathering, registration, token))
        summary, location, description = calendar_text(facts)
        ics = calendar(
            CalendarEvent(
                uid=f"{registration.id}@launch-events",
                starts_at=gathering.starts_at,
                ends_at=gathering.ends_at,
                timezone=gathering.timezone,
                summary=summary,
                location=location,
                description=description,
                url=facts.link,
                stamp=now,
            )
        )
        return [
            Attachment("badge.pdf", "application", "pdf", pdf),
            Attachment(
                "event.ics", "text", "calendar", ics, (("method", "PUBLISH"), ("charset", "utf-8"))
            ),
        ]

    def retry(self, mail_id: UUID, actor: str) -> MailRow:
        """Try a failed mail again at the next pass; return it as listed."""
        self._sender.record(
            mail_id, lambda m: m.requeue(self._app.clock(), actor), unless_sent=False
        )
        return self.get(mail_id)

    # The background sender --------------------------------------------------------

    def start_sender(self) -> bool:
        """Start this process's sender thread unless it runs; return whether it started."""
        with self._thread_guard:
            if self._thread is not None and self._thread.is_alive():
                return False
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._send_forever, name="guest-mail-sender", daemon=True
            )
            self._thread.start()
            return True

    def send_forever(
        self, poll_seconds: float | None = None, on_pass: Callable[[SendReport], None] = _quiet
    ) -> None:
        """Queue and send due mails every `poll_seconds` until `stop()` is called."""
        poll = self.settings.poll_seconds if poll_seconds is None else poll_seconds
        while not self._stop.is_set():
            try:
                on_pass(self.run_once(wait=False))
            except Exception:
                log.exception("the guest-mail sender failed; it tries again shortly")
            self._stop.wait(poll)

    def _send_forever(self) -> None:
        self.send_forever()

    def stop(self) -> None:
        """Ask the sender (thread or loop) to stop after the mail it is handing over."""
        self._stop.set()

    def close(self, timeout: float = 15.0) -> None:
        """Stop the sender thread after the mail it is handing over, if it runs."""
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    # Listing ------------------------------------------------------------------------

    def search(
        self,
        gathering_id: str | None = None,
        *,
        states: Iterable[str] = (),
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[MailRow], int]:
        """Return a page of mails (of one gathering, or all), oldest first, and the total."""
        self._ready()
        return self._listing.search(gathering_id, states=states, limit=limit, offset=offset)

    def counts(self, gathering_id: str) -> dict[str, int]:
        """Return how many mails of a gathering are in each state."""
        self._ready()
        return self._listing.counts(gathering_id)

    def of_registration(self, registration_id: str) -> list[MailRow]:
        """Return the mails queued for one registration, oldest first."""
        self._ready()
        return self._listing.of_registration(registration_id)

    def get(self, mail_id: UUID) -> MailRow:
        """Return one mail as listed; raise NotFound."""
        self._ready()
        return self._listing.get(str(mail_id))
