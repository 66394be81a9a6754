"""The guest-mail outbox: follows the notification log, queues mails, sends them, shows them.

- **Queueing.** Like the read model, the outbox follows the application's notification
  log from a position stored in the same database. Every registration event a guest
  should hear about queues one `GuestMail` aggregate whose id is derived from the
  registration and its version, so processing an event twice cannot queue two mails (the
  second save is refused as a duplicate and ignored). On a store that existed before the
  outbox, it starts at the end of the log: old registrations get no mail.
- **Sending.** A pass takes the due mails in the order they were queued, hands them over
  in one SMTP session (or writes them to the outbox folder) and records each outcome as an
  event of the mail: `Delivered`, or `DeliveryFailed` with the error in plain words and the
  time of the next attempt (see `domain.guest_mail`). Passes hold a lock shared by every
  process on the store, so two gunicorn workers never send the same mail.
- **Showing.** The mail events are projected into the `mail_messages` table (rebuildable
  from the store) that organisers list, filtered by state.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from domain.common import SYSTEM
from domain.errors import NotFound
from domain.gathering import Gathering
from domain.guest_mail import WITH_BADGE, GuestMail, MailKind, MailState
from domain.registration import Registration
from events_app.mail.compose import Attachment, MailFacts, compose
from events_app.mail.ics import CalendarEvent, calendar
from events_app.mail.settings import MailSettings
from events_app.mail.transport import DeliveryError, ServerUnavailable, Transport
from events_app.read_models.consistency import allowance, need, note_behind
from events_app.services.badge_print import badge_data
from events_app.services.badge_tokens import BadgeSigner
from events_app.services.box_office import BoxOffice
from events_app.services.confirmation import confirmation_token
from events_app.store.application import ConcurrencyConflict
from events_app.store.locks import Locks
from events_app.store.reads import replay
from events_app.store.sql import Database, Transaction
from events_app.store.storage import Storage
from printing.badges import render_badge

log = logging.getLogger(__name__)

QUEUE_POSITION = "mail:queue"
VIEW_POSITION = "mail:view:v1"
"""The listing's name and version: a store listed by another version is listed again."""
BATCH = 500
SEND_BATCH = 100
SAVE_ATTEMPTS = 10
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS mail_positions (
        name TEXT PRIMARY KEY, position BIGINT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS mail_messages (
        id TEXT PRIMARY KEY, gathering_id TEXT NOT NULL, registration_id TEXT NOT NULL,
        kind TEXT NOT NULL, recipient TEXT NOT NULL, state TEXT NOT NULL,
        attempts INTEGER NOT NULL, last_error TEXT NOT NULL, next_attempt_at TEXT,
        due_us BIGINT, queued_at TEXT NOT NULL, updated_at TEXT NOT NULL, sent_at TEXT,
        via TEXT NOT NULL, seq BIGINT NOT NULL)""",
    """CREATE INDEX IF NOT EXISTS mail_messages_by_gathering
        ON mail_messages (gathering_id, state, seq)""",
    """CREATE INDEX IF NOT EXISTS mail_messages_due ON mail_messages (due_us)""",
)
COLUMNS = (
    "id, gathering_id, registration_id, kind, recipient, state, attempts, last_error, "
    "next_attempt_at, queued_at, updated_at, sent_at, via"
)

REGISTRATION_KINDS: dict[str, MailKind | None] = {
    get_topic(Registration.Submitted): None,  # the kind depends on the state it was given
    get_topic(Registration.Approved): MailKind.APPROVED,  # type: ignore[attr-defined]
    get_topic(Registration.Waitlisted): MailKind.WAITLISTED,  # type: ignore[attr-defined]
    get_topic(Registration.Rejected): MailKind.REJECTED,  # type: ignore[attr-defined]
    get_topic(Registration.Promoted): MailKind.PROMOTED,  # type: ignore[attr-defined]
    get_topic(Registration.Cancelled): MailKind.CANCELLED,  # type: ignore[attr-defined]
    get_topic(Registration.BadgeReissued): MailKind.BADGE_REISSUED,  # type: ignore[attr-defined]
}
SUBMITTED_KINDS = {
    "confirmed": MailKind.CONFIRMED,
    "pending": MailKind.PENDING,
    "waitlisted": MailKind.WAITLISTED,
}
MAIL_TOPICS = frozenset(
    get_topic(cls)
    for cls in (
        GuestMail.Queued,  # type: ignore[attr-defined]
        GuestMail.DeliveryFailed,  # type: ignore[attr-defined]
        GuestMail.Delivered,  # type: ignore[attr-defined]
        GuestMail.Requeued,  # type: ignore[attr-defined]
    )
)
TOPICS = sorted({*REGISTRATION_KINDS, *MAIL_TOPICS})


@dataclass(frozen=True)
class MailRow:
    """One mail as organisers see it."""

    id: str
    gathering_id: str
    registration_id: str
    kind: str
    recipient: str
    state: str
    attempts: int
    last_error: str
    next_attempt_at: str | None
    queued_at: str
    updated_at: str
    sent_at: str | None
    via: str

    @property
    def gave_up(self) -> bool:
        """Tell whether no further attempt will be made unless an organiser asks for one."""
        return self.state == MailState.FAILED and self.next_attempt_at is None


@dataclass
class SendReport:
    """What one pass of the outbox did."""

    sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    busy: bool = False
    """Another thread or process was sending: this pass sent nothing."""


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
        self._db = database
        self._signer = signer
        self._secret_key = secret_key
        self.settings = settings
        self._transport: Transport = settings.transport()
        self._locks = Locks(storage, database)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._thread_guard = threading.Lock()
        self.wait_seconds = 1.0
        end_of_log = app.recorder.max_notification_id() or 0
        with self._db.transaction(exclusive=True) as tx:
            for statement in SCHEMA:
                tx.execute(statement)
            names = {row[0] for row in tx.execute("SELECT name FROM mail_positions").all()}
            if names - {QUEUE_POSITION, VIEW_POSITION}:  # listed by another version
                tx.execute("DELETE FROM mail_messages")
                tx.execute("DELETE FROM mail_positions WHERE name <> ?", (QUEUE_POSITION,))
            tx.execute(
                "INSERT INTO mail_positions (name, position) VALUES (?, ?) "
                "ON CONFLICT (name) DO NOTHING",
                (QUEUE_POSITION, end_of_log),
            )

    # Following the notification log ---------------------------------------------

    def catch_up(self) -> int:
        """Queue the mails of, and list, every event recorded since the last catch-up."""
        latest = self._app.recorder.max_notification_id() or 0
        with self._db.transaction() as tx:
            if min(_positions(tx)) >= latest:
                return latest
        with self._locks.hold("mail-catch-up"):
            return self._apply_new()

    def _ready(self) -> None:
        """Catch up before a listing, for at most `READ_WAIT_SECONDS` within a request.

        Each batch commits as it goes, so a listing that stops short loses nothing: it
        answers from what is listed and says how far behind (see `consistency`).
        """
        wanted = need()
        deadline = None if wanted.patient else time.monotonic() + allowance(self.wait_seconds)
        latest = self._app.recorder.max_notification_id() or 0
        with self._db.transaction() as tx:
            if min(_positions(tx)) >= latest:
                return
        with self._locks.hold("mail-catch-up", blocking=deadline is None) as held:
            reached = self._apply_new(deadline) if held else 0
        if reached < latest:
            note_behind(latest - reached)

    def rebuild(self) -> int:
        """Forget the listing and list every mail in the store again; return the position."""
        with self._locks.hold("mail-catch-up"):
            with self._db.transaction(exclusive=True) as tx:
                tx.execute("DELETE FROM mail_messages")
                tx.execute("DELETE FROM mail_positions WHERE name <> ?", (QUEUE_POSITION,))
            return self._apply_new()

    def _apply_new(self, deadline: float | None = None) -> int:
        with self._db.transaction() as tx:
            queued_to, listed_to = _positions(tx)
        position = min(queued_to, listed_to)
        while True:
            latest = self._app.recorder.max_notification_id() or 0
            if position >= latest or (deadline is not None and time.monotonic() > deadline):
                return position
            notifications = self._app.recorder.select_notifications(
                start=position, limit=BATCH, stop=latest, topics=TOPICS, inclusive_of_start=False
            )
            mails: list[GuestMail] = []
            listed: list[tuple[DomainEventProtocol[Any], int]] = []
            for notification in notifications:
                if notification.topic in MAIL_TOPICS:
                    if notification.id > listed_to:
                        listed.append(
                            (self._app.mapper.to_domain_event(notification), notification.id)
                        )
                elif notification.id > queued_to:
                    mail = self._mail_for(self._app.mapper.to_domain_event(notification))
                    if mail is not None:
                        mails.append(mail)
            self._queue(mails)
            reached = notifications[-1].id if len(notifications) == BATCH else latest
            with self._db.transaction(exclusive=True) as tx:
                for domain_event, seq in listed:
                    _project(tx, domain_event, seq)
                queued_to, listed_to = max(queued_to, reached), max(listed_to, reached)
                _set_position(tx, QUEUE_POSITION, queued_to)
                _set_position(tx, VIEW_POSITION, listed_to)
            position = reached

    def _mail_for(self, domain_event: Any) -> GuestMail | None:
        """Return the mail a registration event calls for, if any."""
        kind = REGISTRATION_KINDS.get(get_topic(type(domain_event)))
        if kind is None:
            kind = SUBMITTED_KINDS.get(str(getattr(domain_event, "state", "")))
        if kind is None:
            return None
        if hasattr(domain_event, "details"):
            recipient, gathering_id = domain_event.details["email"], domain_event.gathering_id
        else:
            first = next(iter(self._app.events.get(domain_event.originator_id, lte=1)))
            recipient, gathering_id = first.details["email"], first.gathering_id
        return GuestMail.queue(
            registration_id=domain_event.originator_id,
            registration_version=domain_event.originator_version,
            gathering_id=gathering_id,
            kind=kind,
            recipient=recipient,
            at=domain_event.at,
            actor=SYSTEM,
        )

    def _queue(self, mails: list[GuestMail]) -> None:
        """Save new mails; a mail queued before (by a pass that stopped short) is skipped."""
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

    # Sending ----------------------------------------------------------------------

    def run_once(self, *, wait: bool = True, everything: bool = False) -> SendReport:
        """Queue what is new and send every mail that is due; return what happened.

        `wait=False` gives up at once when another thread or process is sending;
        `everything` also retries failed mails now instead of at their next attempt.
        """
        with self._locks.hold("mail-send", blocking=wait) as held:
            if not held:
                return SendReport(busy=True)
            self.catch_up()
            report = SendReport()
            tried: set[str] = set()
            while not self._stop.is_set():
                due = [m for m in self._due(everything) if m not in tried]
                if not due:
                    break
                tried.update(due)
                if not self._deliver(due, report):
                    break
                self.catch_up()
            self.catch_up()
            return report

    def _due(self, everything: bool) -> list[str]:
        now_us = _epoch_us(self._app.clock())
        with self._db.transaction() as tx:
            if everything:
                rows = tx.execute(
                    "SELECT id FROM mail_messages WHERE due_us IS NOT NULL ORDER BY seq LIMIT ?",
                    (SEND_BATCH * 10,),
                )
            else:
                rows = tx.execute(
                    "SELECT id FROM mail_messages WHERE due_us IS NOT NULL AND due_us <= ? "
                    "ORDER BY seq LIMIT ?",
                    (now_us, SEND_BATCH),
                )
            return [str(row[0]) for row in rows.all()]

    def _deliver(self, due: list[str], report: SendReport) -> bool:
        """Hand over the due mails in one session; return False if the server is unavailable."""
        pending = list(due)
        try:
            with self._transport.session() as send:
                while pending and not self._stop.is_set():
                    mail = self._app.load(GuestMail, UUID(pending[0]), "mail")
                    if mail.state is MailState.SENT or mail.gave_up:
                        pending.pop(0)
                        continue
                    try:
                        message = self.message(mail)
                    except ValueError as error:  # e.g. an address SMTP cannot carry
                        self._failed(
                            mail.id, f"the mail cannot be written: {error}", report, permanent=True
                        )
                        pending.pop(0)
                        continue
                    except Exception as error:
                        log.exception("could not write mail %s", mail.id)
                        self._failed(mail.id, f"could not write the mail: {error}", report)
                        pending.pop(0)
                        continue
                    try:
                        via = send(str(mail.id), message)
                    except ServerUnavailable:
                        raise
                    except DeliveryError as error:
                        self._failed(mail.id, error.message, report, permanent=error.permanent)
                        pending.pop(0)
                        continue
                    self._record(
                        mail.id, lambda m, via=via: m.delivered(self._app.clock(), SYSTEM, via)
                    )
                    report.sent.append(str(mail.id))
                    pending.pop(0)
        except ServerUnavailable as error:
            log.warning("guest mails wait: %s", error.message)
            for mail_id in pending:
                self._failed(UUID(mail_id), error.message, report)
            return False
        return True

    def _failed(
        self, mail_id: UUID, error: str, report: SendReport, *, permanent: bool = False
    ) -> None:
        now = self._app.clock()
        if self._record(
            mail_id, lambda m: m.delivery_failed(now, SYSTEM, error, permanent=permanent)
        ):
            report.failed.append((str(mail_id), error))

    def _record(
        self, mail_id: UUID, change: Callable[[GuestMail], None], *, unless_sent: bool = True
    ) -> bool:
        """Apply one change to a mail and save it, on fresh state after a conflict.

        With `unless_sent`, a mail found sent is left alone (and False returned).
        """
        for _ in range(SAVE_ATTEMPTS):
            mail = self._app.load(GuestMail, mail_id, "mail")
            if unless_sent and mail.state is MailState.SENT:
                return False
            change(mail)
            try:
                self._app.save(mail)
            except IntegrityError:
                continue
            return True
        raise ConcurrencyConflict("the mail kept changing while its delivery was recorded")

    def message(self, mail: GuestMail) -> EmailMessage:
        """Return the e-mail message of a mail, as it is sent now."""
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
            timezone=gathering.timezone,
            starts_at=gathering.starts_at,
            ends_at=gathering.ends_at,
            link=link,
        )
        now = self._app.clock()
        attachments = []
        if mail.kind in WITH_BADGE:
            attachments = self._badge_and_calendar(gathering, registration, link, now)
        return compose(facts, self.settings.sender, now, attachments)

    def _badge_and_calendar(
        self, gathering: Gathering, registration: Registration, link: str, now: datetime
    ) -> list[Attachment]:
        token = self._signer.sign(gathering.id, registration.id, registration.badge_serial)
        pdf = render_badge(badge_data(gathering, registration, token))
        ics = calendar(
            CalendarEvent(
                uid=f"{registration.id}@launch-events",
                starts_at=gathering.starts_at,
                ends_at=gathering.ends_at,
                timezone=gathering.timezone,
                summary=f"{gathering.title_en} / {gathering.title_zh}",
                location=gathering.venue,
                description=f"Your registration 您的報名: {link}",
                url=link,
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
        self._record(mail_id, lambda m: m.requeue(self._app.clock(), actor), unless_sent=False)
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
        clauses, params = ["1 = 1"], []
        if gathering_id is not None:
            clauses.append("gathering_id = ?")
            params.append(gathering_id)
        states = list(states)
        if states:
            clauses.append(f"state IN ({', '.join('?' * len(states))})")
            params.extend(states)
        where = " AND ".join(clauses)
        with self._db.transaction() as tx:
            total = tx.execute(f"SELECT COUNT(*) FROM mail_messages WHERE {where}", params).one()
            rows = tx.execute(
                f"SELECT {COLUMNS} FROM mail_messages WHERE {where} ORDER BY seq LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).all()
        return [MailRow(*row) for row in rows], int(total[0]) if total else 0

    def counts(self, gathering_id: str) -> dict[str, int]:
        """Return how many mails of a gathering are in each state."""
        self._ready()
        with self._db.transaction() as tx:
            rows = tx.execute(
                "SELECT state, COUNT(*) FROM mail_messages WHERE gathering_id = ? GROUP BY state",
                (gathering_id,),
            ).all()
        counts = {state.value: 0 for state in MailState}
        counts.update({str(state): int(count) for state, count in rows})
        return counts

    def get(self, mail_id: UUID) -> MailRow:
        """Return one mail as listed; raise NotFound."""
        self._ready()
        with self._db.transaction() as tx:
            row = tx.execute(
                f"SELECT {COLUMNS} FROM mail_messages WHERE id = ?", (str(mail_id),)
            ).one()
        if row is None:
            raise NotFound("mail not found")
        return MailRow(*row)


def _positions(tx: Transaction) -> tuple[int, int]:
    rows = dict(tx.execute("SELECT name, position FROM mail_positions").all())
    return int(rows.get(QUEUE_POSITION, 0)), int(rows.get(VIEW_POSITION, 0))


def _set_position(tx: Transaction, name: str, position: int) -> None:
    tx.execute(
        "INSERT INTO mail_positions (name, position) VALUES (?, ?) "
        "ON CONFLICT (name) DO UPDATE SET position = excluded.position",
        (name, position),
    )


def _epoch_us(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def _project(tx: Transaction, domain_event: Any, seq: int) -> None:
    """Apply one mail event to the listing."""
    name = type(domain_event).__qualname__
    mail_id = str(domain_event.originator_id)
    at = _iso(domain_event.at)
    if name == "GuestMail.Queued":
        tx.execute(
            f"INSERT INTO mail_messages ({COLUMNS}, due_us, seq) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            (
                mail_id,
                str(domain_event.gathering_id),
                str(domain_event.registration_id),
                domain_event.kind,
                domain_event.recipient,
                MailState.QUEUED.value,
                0,
                "",
                at,
                at,
                at,
                None,
                "",
                _epoch_us(domain_event.at),
                seq,
            ),
        )
    elif name == "GuestMail.DeliveryFailed":
        retry_at = domain_event.next_attempt_at
        tx.execute(
            "UPDATE mail_messages SET state = ?, attempts = ?, last_error = ?, "
            "next_attempt_at = ?, due_us = ?, updated_at = ? WHERE id = ?",
            (
                MailState.FAILED.value,
                domain_event.attempt,
                domain_event.error,
                _iso(retry_at),
                None if retry_at is None else _epoch_us(retry_at),
                at,
                mail_id,
            ),
        )
    elif name == "GuestMail.Delivered":
        tx.execute(
            "UPDATE mail_messages SET state = ?, attempts = ?, next_attempt_at = NULL, "
            "due_us = NULL, sent_at = ?, via = ?, updated_at = ? WHERE id = ?",
            (MailState.SENT.value, domain_event.attempt, at, domain_event.via, at, mail_id),
        )
    elif name == "GuestMail.Requeued":
        tx.execute(
            "UPDATE mail_messages SET next_attempt_at = ?, due_us = ?, updated_at = ? WHERE id = ?",
            (at, _epoch_us(domain_event.at), at, mail_id),
        )
