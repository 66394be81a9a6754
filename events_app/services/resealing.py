"""Migrating a store written before personal data were sealed: its events rewritten in place.

Events of earlier versions hold personal data as plain dicts (a registration's details,
answers and corrections; an invitee's details; the guest a scan showed) and guest lists
key e-mail addresses by the address itself. `PersonalDataMigration.run` rewrites each
such stored event into the form this version writes: the same originator, version and
topic, only its state changed (the personal data sealed with the subject's own key, or
written as erased when the guest was erased meanwhile; the e-mails keyed by their HMAC).
Guest-list snapshots get the same keys. Then the database is vacuumed (SQLite: VACUUM
and an emptied WAL, with secure_delete; PostgreSQL: VACUUM FULL of the two tables) so no
freed page keeps the plain bytes.

It works in batches (`BATCH` events of the topics concerned), each one transaction that
takes the events' write lock, rewrites the batch and records how far it got in
`personal_data_migration`: killed midway, a new run continues from there; on a migrated
store it rewrites nothing. Serving processes may keep running (their writes wait while a
batch commits, and they read both forms), but a quiet hour is best. Read models are
rebuilt afterwards by the CLI command; `personal-data-migration` (a lock of
`events_app.store.locks`) keeps a second migration from running at once.

Keys: one per registration and per invitation, made (and committed) before the batch that
seals with it, in `personal_keys`, as new events' keys are; with a master key set
(LAUNCH_EVENTS_MASTER_KEY) each is sealed by it, so the migration must be given the
serving processes' master key (a wrong one stops it before anything is read). Once it
has run, losing the master key loses every guest's data, the migrated ones too. Backups
taken before hold the plain text: they are not migrated. Free texts stored as plain
strings (`TEXT_PATHS`: the reasons of a rejection, a cancellation or a declined
invitation, a mail's recipient and its delivery errors) and the companions named in an
invitation ([id, name, role]) are sealed the same way. The read models are rebuilt.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from uuid import UUID

from domain.errors import DomainError
from domain.personal import Kind, PersonalData
from events_app.services.box_office import BoxOffice
from events_app.services.plain_events import (
    COMPANION_TOPICS,
    EMAIL_TOPICS,
    ERASED,
    HASHED,
    MAIL_FAILED,
    PERSONAL_PATHS,
    SEALED,
    TEXT_PATHS,
    TOPICS,
    as_uuid,
    companions_of,
    is_plain,
    is_plain_text,
    put_at,
    subject_at,
    value_at,
    with_state,
)
from events_app.store.locks import Locks
from events_app.store.migration_rows import MigrationRows, MigrationRun, StoredRow

BATCH = 500
LOCK = "personal-data-migration"


class MigrationRunning(DomainError):
    """Another process is migrating this store now."""

    code = "migration_running"


class PersonalDataMigration:
    """Rewrite plain personal data of earlier versions into the sealed form (see the module)."""

    def __init__(self, app: BoxOffice, rows: MigrationRows, locks: Locks) -> None:
        self._app = app
        self._rows = rows
        self._locks = locks
        if app.mapper.compressor or app.mapper.cipher:
            raise NotImplementedError("stores with a compressor or a cipher are not migrated")
        self._sealing = app.mapper.transcoder.names[SEALED]  # type: ignore[attr-defined]

    def runs(self) -> list[MigrationRun]:
        """Return the record of every run, oldest first."""
        return self._rows.runs()

    def run(
        self,
        actor: str,
        *,
        batch: int = BATCH,
        after_batch: Callable[[MigrationRun], None] | None = None,
    ) -> MigrationRun:
        """Migrate the store (continuing an unfinished run); return the run's record.

        `after_batch` is called after each committed batch (progress; tests stop there).
        """
        with self._locks.hold(LOCK, blocking=False) as held:
            if not held:
                raise MigrationRunning("the personal data are being migrated by another process")
            run = self._resume_or_start(actor)
            while self._step(run, batch):
                if after_batch is not None:
                    after_batch(run)
            self._finish(run)
            return run

    def _resume_or_start(self, actor: str) -> MigrationRun:
        runs = self._rows.runs()
        if runs and runs[-1].finished_at is None:
            return runs[-1]
        run = MigrationRun(runs[-1].run + 1 if runs else 1, actor, self._now())
        with self._rows.transaction() as tx:
            self._rows.save_run(tx, run)
        return run

    def _step(self, run: MigrationRun, batch: int) -> bool:
        """Rewrite the next batch and record it; False when none is left."""
        found = self._rows.events_after(run.position, TOPICS, batch)
        if not found:
            return False
        # Keys are made first, outside the batch's lock (on SQLite they are written on
        # another connection to the same file); the erased are read again under the lock.
        with self._rows.transaction(lock=False) as tx:
            erased = self._erased(tx)
            self._mail_owners = self._owners(tx, found)
        made = {s for row in found for s in self._plain_subjects(row)} - erased
        for subject in made:
            self._app.personal_keys.cipher(subject.hex, create=True)
        with self._rows.transaction() as tx:
            erased = self._erased(tx)
            changed = [new for row in found if (new := self._resealed(row, erased)) is not None]
            self._rows.rewrite(tx, changed, snapshots=False)
            for row in changed:
                name = row.topic.rsplit(":", 1)[-1]
                run.counts[name] = run.counts.get(name, 0) + 1
            run.position = found[-1].position
            run.scanned += len(found)
            run.batches += 1
            self._rows.save_run(tx, run)
        for subject in made & erased:  # a key made just before its guest was erased
            self._app.personal_keys.destroy(subject.hex)
        return True

    def _finish(self, run: MigrationRun) -> None:
        with self._rows.transaction() as tx:
            changed = [new for row in self._rows.snapshots(tx) if (new := self._rekeyed(row))]
            self._rows.rewrite(tx, changed, snapshots=True)
            run.snapshots += len(changed)
            self._rows.save_run(tx, run)
        if run.rewritten or run.snapshots:  # not finished until vacuumed: a new run does it
            self._rows.vacuum()
        with self._rows.transaction() as tx:
            run.finished_at = self._now()
            self._rows.save_run(tx, run)

    # Reading the rows ----------------------------------------------------------

    def _erased(self, tx: Any) -> set[UUID]:
        """Return the subjects erased: registrations, and the invitations they accepted."""
        stored_ids = self._rows.ids_of(tx, ERASED)
        subjects = {as_uuid(i) for i in stored_ids}
        for state in self._rows.first_states(tx, stored_ids):
            submitted = json.loads(state)
            invitation, companion = submitted.get("invitation_id"), submitted.get("companion_of")
            if invitation is not None and companion is None:
                subjects.add(as_uuid(invitation["_data_"]))
        return subjects

    def _owners(self, tx: Any, rows: list[StoredRow]) -> dict[str, UUID]:
        """Return the registration (or invitation) of each mail whose failure is in `rows`."""
        ids = sorted({str(row.originator_id) for row in rows if row.topic == MAIL_FAILED})
        owners = {}
        for mail_id, state in zip(ids, self._rows.first_states(tx, ids), strict=False):
            owners[mail_id] = as_uuid(json.loads(state)["registration_id"]["_data_"])
        return owners

    def _plain_subjects(self, row: StoredRow) -> list[UUID]:
        """Return whose personal data `row` holds in plain."""
        state = json.loads(row.state)
        subjects = [
            subject_at(row, state, path)
            for path, _kind in PERSONAL_PATHS.get(row.topic, ())
            if is_plain(value_at(state, path))
        ]
        if row.topic in TEXT_PATHS and is_plain_text(state.get(TEXT_PATHS[row.topic][0])):
            subjects.append(self._text_subject(row, state))
        return subjects + [UUID(c[0]) for c in companions_of(row, state) if len(c) == 3]

    def _text_subject(self, row: StoredRow, state: dict[str, Any]) -> UUID:
        """Return whose free text `row` holds: a mail's guest, else the aggregate."""
        if row.topic == MAIL_FAILED:
            return self._mail_owners[str(row.originator_id)]
        if "registration_id" in state and row.topic in TEXT_PATHS and "recipient" in state:
            return as_uuid(state["registration_id"]["_data_"])
        return as_uuid(row.originator_id)

    def _seal(self, subject: UUID, data: dict[str, Any], kind: Kind, erased: set[UUID]) -> Any:
        """Return `data` sealed for `subject` as stored (erased when the subject is)."""
        personal = PersonalData(subject, data, kind)
        sealed = self._sealing.encode(personal.erased_copy() if subject in erased else personal)
        return {"_type_": SEALED, "_data_": sealed}

    def _resealed(self, row: StoredRow, erased: set[UUID]) -> StoredRow | None:
        """Return the row with its plain personal data sealed (None: nothing plain)."""
        state = json.loads(row.state)
        changed = False
        for path, kind in PERSONAL_PATHS.get(row.topic, ()):
            value = value_at(state, path)
            if not is_plain(value):
                continue
            subject = subject_at(row, state, path)
            put_at(state, path, self._seal(subject, self._decoded(value), kind, erased))
            changed = True
        if row.topic in TEXT_PATHS:
            name, field, kind = TEXT_PATHS[row.topic]
            if is_plain_text(state.get(name)):
                subject = self._text_subject(row, state)
                state[name] = self._seal(subject, {field: state[name]}, kind, erased)
                changed = True
        if row.topic in COMPANION_TOPICS and any(len(c) == 3 for c in companions_of(row, state)):
            sealed = [self._sealed_companion(c, erased) for c in companions_of(row, state)]
            name = COMPANION_TOPICS[row.topic]
            state[name] = sealed if name == "companions" else sealed[0]
            changed = True
        email = state.get("email") if row.topic in EMAIL_TOPICS else None
        if email and not HASHED.fullmatch(email):
            state["email"] = self._app.email_hash(email)
            changed = True
        return with_state(row, state) if changed else None

    def _sealed_companion(self, companion: list[Any], erased: set[UUID]) -> list[Any]:
        """Return [id, name, role] as [id, sealed name and role] (sealed ones as they are)."""
        if len(companion) != 3:
            return companion
        registration_id, name, role = companion
        data = {"full_name": name, "role": role}
        return [registration_id, self._seal(UUID(registration_id), data, Kind.DETAILS, erased)]

    def _rekeyed(self, row: StoredRow) -> StoredRow | None:
        """Return a snapshot with its guest list's plain e-mail keys hashed (None: none)."""
        state = json.loads(row.state)
        emails = state.get("state", {}).get("emails")
        if not isinstance(emails, dict) or all(HASHED.fullmatch(k) for k in emails):
            return None
        state["state"]["emails"] = {
            (k if HASHED.fullmatch(k) else self._app.email_hash(k)): v for k, v in emails.items()
        }
        return with_state(row, state)

    def _now(self) -> str:
        return self._app.clock().isoformat()

    def _decoded(self, value: dict[str, Any]) -> dict[str, Any]:
        """Return a plain stored mapping with its values decoded as the transcoder does."""
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
        decoded: dict[str, Any] = self._app.mapper.transcoder.decode(text)
        return decoded
