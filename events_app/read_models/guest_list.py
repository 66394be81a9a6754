"""The guest-list read model: the event store projected into SQL tables, and its queries.

A `Projector` applies the store's notification log in committed batches (a `Follower`
thread in each serving process keeps it current); every query first waits, for a
bounded time, for the position its request needs (see `consistency`): the visitor's own
last write, or else the end of the log as it stood. The same on SQLite and PostgreSQL,
with any number of workers and machines. The tables can be rebuilt at any time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.application import Application

from events_app.read_models.alerts import ALERT_SCHEMA, ALERT_TABLES
from events_app.read_models.answers import ANSWER_SCHEMA, ANSWER_TABLES, answers_of
from events_app.read_models.arrivals import ARRIVAL_SCHEMA, ARRIVAL_TABLES
from events_app.read_models.consistency import ReadModelBehind, allowance, need, note_behind
from events_app.read_models.door_list import DOOR_LIST_SCHEMA, DOOR_LIST_TABLES
from events_app.read_models.gatherings import GATHERING_SCHEMA, GATHERING_TABLES, gathering_ids
from events_app.read_models.projector import (
    POSITIONS_SCHEMA,
    REBUILD_BATCH,
    Projector,
    forget_versions,
    recorded_versions,
)
from events_app.read_models.rebuilding import indexes_deferred, secondary_indexes
from events_app.read_models.registrations import REGISTRATION_COLUMNS as COLUMNS
from events_app.read_models.registrations import SCANNED, TOPICS, batch_applier
from events_app.read_models.search import FTS5, SEARCH_TABLE, create_search_index, text_condition
from events_app.store.locks import Locks
from events_app.store.log_reads import log_reader
from events_app.store.sql import Database, Transaction

PROJECTION = "read_model:v12"
"""The projection's name and version: a store projected by another version is rebuilt.

v5: scans keep whether they were a check-in by name and why they were refused.
v6: the gatherings scheduled (`rm_gatherings`), so no page scans the log for them.
v7: the door list (`rm_door_list`) that door devices hold to judge offline.
v8: `search_text` folded into Simplified (`search.search_key`), so either script finds both,
    with a trigram index on PostgreSQL; scans indexed by registration (the door search
    counts each guest's entries).
v9: on SQLite, an FTS5 trigram table of `search_text` (`search.SEARCH_TABLE`).
v10: answers to the gatherings' own questions (`rm_answers`), filtered on and exported.
v11: erased guests (`Registration.PersonalDataErased`): placeholders in rm_registrations
    with an empty `search_text`, no answers, and door-list rows marked `erased`; SQLite
    read-model connections delete securely.
v12: `unprintable`, the characters of a guest's badge details no font covers (`printable`).
"""
VERSIONS = "read_model:%"
"""The names of this projection's versions, beside other projections' (e.g. the outbox's)."""
NEARLY_CURRENT = 2_000
"""Events behind the store within which a read waits for the end of the log (a batch or two)."""
PATIENCE_SECONDS = 3_600.0
"""How long a read outside any request (a command, the mail sender) may wait."""

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS rm_registrations (
        id TEXT PRIMARY KEY, gathering_id TEXT NOT NULL, full_name TEXT NOT NULL,
        name_zh TEXT NOT NULL, organisation TEXT NOT NULL, job_title TEXT NOT NULL,
        email TEXT NOT NULL, phone TEXT NOT NULL, category TEXT NOT NULL,
        state TEXT NOT NULL, dietary TEXT NOT NULL, accessibility TEXT NOT NULL,
        capacity_overridden INTEGER NOT NULL, submitted_at TEXT NOT NULL,
        updated_at TEXT NOT NULL, waitlist_seq BIGINT, unprintable TEXT NOT NULL DEFAULT '',
        search_text TEXT NOT NULL)""",
    """CREATE INDEX IF NOT EXISTS rm_registrations_by_gathering
        ON rm_registrations (gathering_id, state, category)""",
    """CREATE TABLE IF NOT EXISTS rm_scans (
        id TEXT PRIMARY KEY, gathering_id TEXT NOT NULL, device_id TEXT NOT NULL,
        checkpoint TEXT NOT NULL, direction TEXT NOT NULL, registration_id TEXT,
        category TEXT, status TEXT NOT NULL, scanned_at TEXT NOT NULL,
        received_at TEXT NOT NULL, offline INTEGER NOT NULL, manual INTEGER NOT NULL,
        reason TEXT NOT NULL, seq BIGINT NOT NULL)""",
    """CREATE INDEX IF NOT EXISTS rm_scans_by_gathering ON rm_scans (gathering_id, status)""",
    """CREATE INDEX IF NOT EXISTS rm_scans_by_device ON rm_scans (device_id, seq)""",
    """CREATE INDEX IF NOT EXISTS rm_scans_by_registration
        ON rm_scans (registration_id, status, direction)""",
    """CREATE TABLE IF NOT EXISTS rm_conflicts (
        scan_id TEXT PRIMARY KEY, gathering_id TEXT NOT NULL, registration_id TEXT NOT NULL,
        checkpoint TEXT NOT NULL, device TEXT NOT NULL, scanned_at TEXT NOT NULL,
        reason TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS rm_devices (
        id TEXT PRIMARY KEY, gathering_id TEXT NOT NULL, name TEXT NOT NULL,
        state TEXT NOT NULL, registered_at TEXT NOT NULL, setup_expires_at TEXT NOT NULL,
        enrolled_at TEXT, revoked_at TEXT, last_scan_at TEXT, scans INTEGER NOT NULL)""",
    *ARRIVAL_SCHEMA,
    *ALERT_SCHEMA,
    *GATHERING_SCHEMA,
    *DOOR_LIST_SCHEMA,
    *ANSWER_SCHEMA,
)
TABLES = (
    "rm_registrations",
    "rm_scans",
    "rm_conflicts",
    "rm_devices",
    *ARRIVAL_TABLES,
    *ALERT_TABLES,
    *GATHERING_TABLES,
    *DOOR_LIST_TABLES,
    *ANSWER_TABLES,
)


@dataclass(frozen=True)
class RegistrationRow:
    """One registration as the guest list shows it."""

    id: str
    gathering_id: str
    full_name: str
    name_zh: str
    organisation: str
    job_title: str
    email: str
    phone: str
    category: str
    state: str
    dietary: str
    accessibility: str
    capacity_overridden: bool
    submitted_at: str
    updated_at: str
    waitlist_seq: int | None
    unprintable: str = ""
    """The characters of the printed details no font covers, each once ('' if none)."""


@dataclass(frozen=True)
class GuestListPage:
    """A filtered page of the guest list with its total."""

    rows: list[RegistrationRow]
    total: int


class GuestListView:
    """Queries on the guest list, each first brought as far up to date as its request needs."""

    def __init__(
        self, app: Application, database: Database, locks: Locks, *, wait_seconds: float = 1.0
    ) -> None:
        self._db = database
        self.wait_seconds = wait_seconds
        self.search_index: str | None = None  # what `search.create_search_index` made
        self.projector = Projector(
            app,
            database,
            locks,
            name=PROJECTION,
            apply=batch_applier(app.mapper),
            topics=TOPICS,
            select=log_reader(app.recorder, plain={SCANNED}),  # scans read as plain JSON
        )
        self._create_tables()

    # Keeping up with the store -------------------------------------------------

    def ready(self, *, complete: bool = False) -> None:
        """Wait, within the request's allowance, for what the request needs to see.

        Nearly current, a read waits for the end of the log as it stands; far behind, it
        waits only for what it requires: the visitor's own write (or, with `complete`,
        everything, as an export needs). It raises `ReadModelBehind` when that is not
        reached in time, and otherwise answers from what is there, noting how far behind.
        """
        wanted = need()
        latest = self.projector.latest()
        position = self.projector.position()
        required = min(wanted.position or 0, latest)
        if complete or wanted.patient:
            required = latest
        goal = latest if latest - position <= NEARLY_CURRENT else required
        if position < goal:
            timeout = PATIENCE_SECONDS if wanted.patient else allowance(self.wait_seconds)
            position = self.projector.wait_for(goal, timeout)
        if position < required:
            raise ReadModelBehind(required, position, retry_after=1 + (required - position) / 5_000)
        if position < latest:
            note_behind(latest - position)

    def catch_up(self) -> int:
        """Apply everything recorded so far, however long it takes; return the position."""
        return self.projector.run_to_end()

    def rebuild(self, progress: Callable[[int], None] | None = None) -> int:
        """Forget the tables and project every event again; return the position."""
        self._forget()
        deferred = indexes_deferred(self.projector, self._db, secondary_indexes(SCHEMA))
        with self._db.rebuilding(), deferred:
            return self.projector.run_to_end(progress, batch=REBUILD_BATCH)

    def _create_tables(self) -> None:
        """Create the tables, dropping first any this version has not projected into.

        Tables without this version's position hold nothing of it (a batch commits its
        rows with its position), but may have another version's rows and columns.
        """
        with self._db.transaction(exclusive=True) as tx:
            tx.execute(POSITIONS_SCHEMA)
            if _projected_by_this_version(tx):
                self.search_index = _create(tx)
                return
        with self.projector.hold(), self._db.transaction(exclusive=True) as tx:
            if not _projected_by_this_version(tx):  # unless another process just began
                for table in (*TABLES, SEARCH_TABLE):
                    tx.execute(f"DROP TABLE IF EXISTS {table}")
                forget_versions(tx, VERSIONS)
            self.search_index = _create(tx)

    def _forget(self) -> None:
        searched = (SEARCH_TABLE,) if self.search_index == FTS5 else ()
        self.projector.forget((*TABLES, *searched), VERSIONS)

    # Queries --------------------------------------------------------------------

    def search(
        self,
        gathering_id: str,
        *,
        states: Iterable[str] = (),
        categories: Iterable[str] = (),
        text: str = "",
        limit: int = 50,
        offset: int = 0,
        answer: tuple[str, str] | None = None,
        unprintable: bool = False,
    ) -> GuestListPage:
        """Return a page of the gathering's registrations, filtered and searched.

        `answer` (question key, value) keeps the guests who gave that answer (one of the
        choices they ticked; `yes` or `no` for a yes/no question); `unprintable`, those
        with characters no font covers.
        """
        self.ready()
        with self._db.transaction() as tx:
            where, params = _filters(
                tx, gathering_id, list(states), list(categories), text, self.search_index
            )
            if answer is not None:
                where += (
                    " AND EXISTS (SELECT 1 FROM rm_answers a WHERE a.registration_id = "
                    "rm_registrations.id AND a.question_key = ? AND a.value = ?)"
                )
                params = [*params, *answer]
            if unprintable:
                where += " AND unprintable <> ''"
            total = tx.execute(f"SELECT COUNT(*) FROM rm_registrations WHERE {where}", params)
            count = int(total.one()[0])  # type: ignore[index]
            rows = tx.execute(
                f"SELECT {COLUMNS} FROM rm_registrations WHERE {where} "
                "ORDER BY submitted_at, id LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).all()
        return GuestListPage([_row(r) for r in rows], count)

    def answers(self, gathering_id: str) -> dict[str, dict[str, list[str]]]:
        """Return every answer of the gathering's registrations, waiting for all of them."""
        self.ready(complete=True)
        with self._db.transaction() as tx:
            return answers_of(tx, gathering_id)

    def gathering_ids(self) -> list[UUID]:
        """Return the id of every gathering scheduled, in the order they were scheduled."""
        self.ready()
        with self._db.transaction() as tx:
            return gathering_ids(tx)

    def counts(self, gathering_id: str) -> dict[str, dict[str, int]]:
        """Return the number of registrations by state and category."""
        self.ready()
        with self._db.transaction() as tx:
            rows = tx.execute(
                "SELECT state, category, COUNT(*) FROM rm_registrations "
                "WHERE gathering_id = ? GROUP BY state, category",
                (gathering_id,),
            ).all()
        by_state: dict[str, int] = {}
        by_category: dict[str, dict[str, int]] = {}
        for state, category, count in rows:
            by_state[state] = by_state.get(state, 0) + int(count)
            by_category.setdefault(category, {})[state] = int(count)
        return {"by_state": by_state, "by_category": by_category}  # type: ignore[dict-item]

    def waitlist_position(self, gathering_id: str, registration_id: str) -> int | None:
        """Return the 1-based waitlist place of a registration, if it is waitlisted."""
        self.ready()
        with self._db.transaction() as tx:
            mine = tx.execute(
                "SELECT waitlist_seq FROM rm_registrations WHERE id = ? AND state = 'waitlisted'",
                (registration_id,),
            ).one()
            if mine is None:
                return None
            ahead = tx.execute(
                "SELECT COUNT(*) FROM rm_registrations WHERE gathering_id = ? "
                "AND state = 'waitlisted' AND waitlist_seq < ?",
                (gathering_id, mine[0]),
            ).one()
        return int(ahead[0]) + 1  # type: ignore[index]


def _create(tx: Transaction) -> str | None:
    for statement in SCHEMA:
        tx.execute(statement)
    return create_search_index(tx)


def _projected_by_this_version(tx: Transaction) -> bool:
    return recorded_versions(tx, VERSIONS) == {PROJECTION}


def _filters(
    tx: Transaction,
    gathering_id: str,
    states: list[str],
    categories: list[str],
    text: str,
    index: str | None,
) -> tuple[str, list[Any]]:
    searched = text_condition(tx, "rm_registrations", text, index) if text.strip() else None
    clauses = [f"{searched.beside('gathering_id') if searched else 'gathering_id'} = ?"]
    params: list[Any] = [gathering_id]
    if states:
        clauses.append(f"state IN ({', '.join('?' * len(states))})")
        params.extend(states)
    if categories:
        clauses.append(f"category IN ({', '.join('?' * len(categories))})")
        params.extend(categories)
    if searched is not None:
        clauses.append(searched.sql)
        params.extend(searched.params)
    return " AND ".join(clauses), params


def _row(values: tuple[Any, ...]) -> RegistrationRow:
    row = list(values)
    row[12] = bool(row[12])
    return RegistrationRow(*row)
