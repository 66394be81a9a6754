"""The outbox's listing: the mail events projected into `mail_messages`, and its queries.

A projection like the read models' (`read_models.projector`): each batch of mail events
is applied and committed with its position in one transaction. The table can be rebuilt
from the store at any time; a store listed by another version is listed again.

The recipient and the last error are kept until the guest's personal data are erased:
the projection also follows `Registration.PersonalDataErased` (and an unaccepted invitee's
`Invitation.PersonalDataErased`) and blanks them in every
row of the guest (see `listing_changes`). Rebuilt after an erasure, the sealed events
give "" for both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Notification

from domain.errors import NotFound
from domain.guest_mail import MailState
from domain.invitation import Invitation
from domain.registration import Registration
from events_app.mail.listing_changes import (
    CHANGES,
    COLUMNS,
    ERASED_SCHEMA,
    ERASED_TOPIC,
    INVITATION_ERASED_TOPIC,
    MAIL_TOPICS,
    epoch_us,
    forget_guest,
)
from events_app.read_models.projector import POSITIONS_SCHEMA, Projector, recorded_versions
from events_app.store.locks import Locks
from events_app.store.sql import Database, Transaction

VIEW_POSITION = "mail:view:v2"
"""The listing's name and version: a store listed by another version is listed again."""
VERSIONS = "mail:view:%"
CATCH_UP_LOCK = "mail-catch-up"
"""The lock the outbox's projections take turns on, in every process on the store."""
BATCH = 500

SCHEMA = (
    POSITIONS_SCHEMA,
    """CREATE TABLE IF NOT EXISTS mail_messages (
        id TEXT PRIMARY KEY, gathering_id TEXT NOT NULL, registration_id TEXT NOT NULL,
        kind TEXT NOT NULL, recipient TEXT NOT NULL, state TEXT NOT NULL,
        attempts INTEGER NOT NULL, last_error TEXT NOT NULL, next_attempt_at TEXT,
        due_us BIGINT, queued_at TEXT NOT NULL, updated_at TEXT NOT NULL, sent_at TEXT,
        via TEXT NOT NULL, seq BIGINT NOT NULL)""",
    """CREATE INDEX IF NOT EXISTS mail_messages_by_gathering
        ON mail_messages (gathering_id, state, seq)""",
    """CREATE INDEX IF NOT EXISTS mail_messages_due ON mail_messages (due_us)""",
    ERASED_SCHEMA,
)


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


class MailListing:
    """The `mail_messages` table: kept by its projection, read by organisers and the sender."""

    def __init__(self, app: Application, database: Database, locks: Locks) -> None:
        self._db = database
        self.projector = Projector(
            app,
            database,
            locks,
            name=VIEW_POSITION,
            apply=self._apply,
            topics=[*MAIL_TOPICS, ERASED_TOPIC, INVITATION_ERASED_TOPIC],
            batch=BATCH,
            lock=CATCH_UP_LOCK,
        )
        self._app = app
        self._mapper = app.mapper
        with self._db.transaction(exclusive=True) as tx:
            for statement in SCHEMA:
                tx.execute(statement)
            stale = recorded_versions(tx, VERSIONS) - {VIEW_POSITION}
        if stale:
            self.forget()

    def forget(self) -> None:
        """Empty the listing, so that its projection lists every mail again."""
        self.projector.forget(["mail_messages", "mail_erased"], VERSIONS)

    def _apply(self, tx: Transaction, notifications: Sequence[Notification]) -> None:
        for notification in notifications:
            domain_event = self._mapper.to_domain_event(notification)
            if isinstance(domain_event, Registration.PersonalDataErased):  # type: ignore[attr-defined]
                forget_guest(tx, self._subjects(domain_event.originator_id))
            elif isinstance(domain_event, Invitation.PersonalDataErased):  # type: ignore[attr-defined]
                forget_guest(tx, [str(domain_event.originator_id)])
            else:
                CHANGES[type(domain_event)](tx, domain_event, notification.id)

    def _subjects(self, registration_id: UUID) -> list[str]:
        """Return the ids an erased guest's mails are filed under (see `subjects_of`)."""
        first = next(iter(self._app.events.get(registration_id, lte=1)))
        subjects = [str(registration_id)]
        invitation_id = getattr(first, "invitation_id", None)
        if invitation_id is not None and getattr(first, "companion_of", None) is None:
            subjects.append(str(invitation_id))
        return subjects

    def forget_guest(self, subjects: list[str]) -> None:
        """Blank the rows of an erased guest at once (the projection does it as it passes)."""
        with self._db.transaction() as tx:
            forget_guest(tx, subjects)

    def of_guest(self, subjects: Iterable[str]) -> list[str]:
        """Return the ids of every mail to these subjects (registrations or invitations)."""
        subjects = list(subjects)
        with self._db.transaction() as tx:
            rows = tx.execute(
                "SELECT id FROM mail_messages "
                f"WHERE registration_id IN ({', '.join('?' * len(subjects))}) ORDER BY seq",
                subjects,
            ).all()
        return [str(row[0]) for row in rows]

    def due(self, now: datetime, limit: int, *, everything: bool = False) -> list[str]:
        """Return the ids of the mails due at `now` (with `everything`, of all unsent), in order."""
        with self._db.transaction() as tx:
            if everything:
                rows = tx.execute(
                    "SELECT id FROM mail_messages WHERE due_us IS NOT NULL ORDER BY seq LIMIT ?",
                    (limit,),
                )
            else:
                rows = tx.execute(
                    "SELECT id FROM mail_messages WHERE due_us IS NOT NULL AND due_us <= ? "
                    "ORDER BY seq LIMIT ?",
                    (epoch_us(now), limit),
                )
            return [str(row[0]) for row in rows.all()]

    def search(
        self,
        gathering_id: str | None = None,
        *,
        states: Iterable[str] = (),
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[MailRow], int]:
        """Return a page of mails (of one gathering, or all), oldest first, and the total."""
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
        with self._db.transaction() as tx:
            rows = tx.execute(
                "SELECT state, COUNT(*) FROM mail_messages WHERE gathering_id = ? GROUP BY state",
                (gathering_id,),
            ).all()
        counts = {state.value: 0 for state in MailState}
        counts.update({str(state): int(count) for state, count in rows})
        return counts

    def of_registration(self, registration_id: str) -> list[MailRow]:
        """Return the mails queued for one registration, oldest first."""
        with self._db.transaction() as tx:
            rows = tx.execute(
                f"SELECT {COLUMNS} FROM mail_messages WHERE registration_id = ? ORDER BY seq",
                (registration_id,),
            ).all()
        return [MailRow(*row) for row in rows]

    def get(self, mail_id: str) -> MailRow:
        """Return one mail as listed; raise NotFound."""
        with self._db.transaction() as tx:
            row = tx.execute(f"SELECT {COLUMNS} FROM mail_messages WHERE id = ?", (mail_id,)).one()
        if row is None:
            raise NotFound("mail not found")
        return MailRow(*row)
