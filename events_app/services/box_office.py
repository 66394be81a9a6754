"""Application services: load aggregates, run one domain command, save atomically."""

from __future__ import annotations

import hashlib
import logging
import random
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from copy import deepcopy
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID, uuid4

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    LRUCache,
    ProjectorFunction,
    Recording,
    Repository,
    project_aggregate,
)
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    EventStore,
    IntegrityError,
    InternalError,
    OperationalError,
    PersistenceError,
    ProgrammingError,
)
from eventsourcing.sqlite import SQLiteConnection, SQLiteConnectionPool, SQLiteDatastore
from eventsourcing.utils import get_topic

from domain.common import GUEST, SYSTEM
from domain.credential import OrganiserCredential
from domain.errors import AlreadyExists, DomainError, InvalidValue, NotFound
from domain.exhibition import Exhibition
from domain.gathering import Capacity, CategoryPolicy, Gathering
from domain.gathering_categories import GuestCategory
from domain.guest_list import CONFIRMED_OVER_CAPACITY, GuestList
from domain.registration import GuestDetails, Registration, RegistrationState
from events_app.read_models.consistency import note_written
from events_app.services.seen_versions import Seen, check_seen, expecting
from events_app.services.staff_codes import StaffCodes
from events_app.store.keyed_locks import KeyedLocks
from events_app.store.storage import SQLITE_SYNCHRONOUS

T = TypeVar("T")
Clock = Callable[[], datetime]
MAX_ATTEMPTS = 60
SHARED_READS = 1_000
"""How many rarely-changing aggregates (gatherings, door devices) a process keeps."""
SETUP_ATTEMPTS = 10
log = logging.getLogger(__name__)
HISTORY_META = frozenset(
    {"originator_id", "originator_version", "originator_topic", "timestamp", "at", "actor"}
)


class ConcurrencyConflict(DomainError):
    """Others kept changing the same records; the command gave up after many tries."""

    code = "concurrency_conflict"
    status = 409


class StaleRead(Exception):
    """A command read records that another process changed in between; `execute` retries it.

    E.g. a guest list read before another worker promoted its first waitlisted guest,
    then that guest's registration read after: promoting them again would be refused.
    """


@dataclass(frozen=True)
class HistoryEntry:
    """One domain event of an aggregate, as a person reads it."""

    version: int
    type: str
    at: datetime
    recorded_at: datetime
    actor: str
    data: dict[str, Any]


class BoxOffice(Application):
    """The event-sourced application: gatherings, registrations and credentials."""

    name = "LaunchEvents"
    """Kept from the first release: it names the store's tables and environment prefix."""
    snapshotting_intervals = {GuestList: 50}  # noqa: RUF012

    def __init__(
        self, env: dict[str, str], clock: Clock, staff_codes: StaffCodes | None = None
    ) -> None:
        _use_wal(env)
        super().__init__(env=env)
        self.clock = clock
        # Without a secret key no staff code is right: exhibitor staff wait for approval.
        self.staff_codes = staff_codes or StaffCodes(secrets.token_hex(32))
        self._locks = KeyedLocks()
        # Only the types in `snapshotting_intervals` ever have snapshots: the others are
        # read from their events alone, without first asking the snapshot store. That
        # saves a query per load, and on SQLite much more: the snapshots table is
        # WITHOUT ROWID, so a lookup there reads every multi-megabyte guest-list
        # snapshot it compares keys with (about 1.4 ms with one such snapshot).
        self._unsnapshotted = Repository(event_store=self.events)
        self._shared = SharedReads(self.events, SHARED_READS)
        self.saved: list[Callable[[int], None]] = []
        """Called with the position of the last event of every save (e.g. to wake a follower)."""

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording]:
        """Save as usual and note the position written (read-your-writes, see consistency)."""
        recordings = super().save(*objs, **kwargs)
        if recordings:
            position = max(r.notification.id for r in recordings)
            note_written(position)
            for callback in self.saved:
                callback(position)
        return recordings

    def take_snapshot(
        self,
        aggregate_id: UUID,
        version: int | None = None,
        projector_func: ProjectorFunction[Any, Any] = project_aggregate,
    ) -> None:
        """Snapshot an aggregate; a failure is logged, not raised.

        `save` takes snapshots after the events are committed. Were the failure raised,
        `execute` would take it for a conflict and run the command again, although its
        events are recorded (a registration would then be refused as its own duplicate).
        A snapshot only saves replay time: the next one is taken 50 versions later.
        """
        try:
            super().take_snapshot(aggregate_id, version, projector_func)
        except PersistenceError:
            log.warning("no snapshot of %s at version %s", aggregate_id, version, exc_info=True)

    # Several processes (e.g. gunicorn workers) may create the tables of a new store at
    # the same moment; on PostgreSQL the loser of that race gets an error although the
    # statements say IF NOT EXISTS. They are idempotent: run them again.

    def construct_factory(self, env: Any) -> Any:
        """Return eventsourcing's storage factory, with SQLite's commit durability set."""
        factory = super().construct_factory(env)
        datastore = getattr(factory, "datastore", None)
        if isinstance(datastore, SQLiteDatastore):
            _set_synchronous(datastore.pool, env.get("SQLITE_SYNCHRONOUS") or "NORMAL")
        return factory

    def construct_recorder(self) -> Any:
        """Create the events table (and its kin), retrying a concurrent creation."""
        return _retrying_setup(super().construct_recorder)

    def construct_snapshot_store(self) -> EventStore[UUID]:
        """Create the snapshots table, retrying a concurrent creation."""
        return _retrying_setup(super().construct_snapshot_store)

    # Plumbing --------------------------------------------------------------------

    def load(self, cls: type[T], aggregate_id: UUID, what: str) -> T:
        """Return the aggregate of type `cls`, or raise NotFound naming `what`."""
        try:
            aggregate = self._repository_for(cls).get(aggregate_id, projector_func=replay)
        except AggregateNotFoundError:
            raise NotFound(f"{what} not found") from None
        if not isinstance(aggregate, cls):
            raise NotFound(f"{what} not found")
        check_seen(aggregate_id, aggregate.version, what, self._events_after)  # type: ignore[attr-defined]
        return aggregate

    def _events_after(self, aggregate_id: UUID, version: int) -> list[Any]:
        """Return the aggregate's domain events after `version`."""
        return list(self.events.get(aggregate_id, gt=version))

    @staticmethod
    def expecting(seen: Mapping[UUID, int | Seen]) -> AbstractContextManager[None]:
        """Run commands only on the versions of these aggregates a person saw.

        Commands load their aggregates inside `execute`, again after a concurrent-write
        conflict, so a change another organiser saved first, in any process, is found
        and the command raises ChangedMeanwhile instead of overwriting it.
        """
        return expecting(seen)

    def read(self, cls: type[T], aggregate_id: UUID, what: str) -> T:
        """Return an up-to-date aggregate to read, not to change (see SharedReads).

        For aggregates read on every request and changed rarely (the gathering of a
        scan, the device of a request); `cls` must be a type without snapshots.
        """
        try:
            aggregate = self._shared.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFound(f"{what} not found") from None
        if not isinstance(aggregate, cls):
            raise NotFound(f"{what} not found")
        return aggregate

    def ids_created_as(self, created: type[Any], limit: int = 10_000) -> list[UUID]:
        """Return the ids of the aggregates whose creation event is of type `created`."""
        topic = get_topic(created)
        found = self.recorder.select_notifications(1, limit, topics=[topic])
        return [UUID(str(notification.originator_id)) for notification in found]

    def gatherings(self) -> list[Gathering]:
        """Return every gathering, soonest first."""
        found = [self.gathering_by_id(i) for i in self.ids_created_as(Gathering.Scheduled)]
        return sorted(found, key=lambda gathering: (gathering.starts_at, gathering.slug))

    def _repository_for(self, cls: type[Any]) -> Repository[UUID]:
        """Return the repository that reads aggregates of type `cls` fastest."""
        if any(issubclass(snapshotted, cls) for snapshotted in self.snapshotting_intervals):
            return self.repository
        return self._unsnapshotted

    def _serialised(self, key: UUID) -> AbstractContextManager[None]:
        return self._locks.hold(key)

    def execute(self, key: UUID, command: Callable[[], tuple[T, list[Aggregate]]]) -> T:
        """Run `command` until its aggregates save without a concurrent-write conflict.

        A lock per gathering serialises this process's writers; optimistic concurrency
        (a unique version per aggregate in the store) serialises writers across processes.
        """
        with self._serialised(key):
            for attempt in range(MAX_ATTEMPTS):
                if attempt:
                    time.sleep(random.uniform(0, 0.002 * attempt))  # noqa: S311
                try:
                    result, aggregates = command()
                except StaleRead:
                    continue
                try:
                    self.save(*aggregates)
                except (IntegrityError, OperationalError):
                    continue
                return result
        raise ConcurrencyConflict("too many concurrent changes; please try again")

    # Gatherings ------------------------------------------------------------------

    def schedule_gathering(self, actor: str, **fields: Any) -> Gathering:
        """Create a gathering and its empty guest list."""
        categories = {
            name: CategoryPolicy(**policy) for name, policy in fields.pop("categories").items()
        }
        gathering = Gathering.schedule(
            categories=categories, at=self.clock(), actor=actor, **fields
        )
        guest_list = GuestList(gathering_id=gathering.id)
        try:
            self.save(gathering, guest_list)
        except IntegrityError:
            raise AlreadyExists(
                f"a gathering with slug {gathering.slug!r} exists already", field="slug"
            ) from None
        return gathering

    def gathering(self, slug: str) -> Gathering:
        """Return the gathering with this slug."""
        return self.load(Gathering, Gathering.create_id(slug), "gathering")

    def gathering_by_id(self, gathering_id: UUID) -> Gathering:
        """Return the gathering with this id."""
        return self.load(Gathering, gathering_id, "gathering")

    def limits_of(self, gathering_id: UUID, category: str) -> tuple[CategoryPolicy, Capacity]:
        """Return a category's policy and seat limits as the store has them now.

        Read them after the guest list they are checked against (see `register`).
        """
        gathering = self.gathering_by_id(gathering_id)
        return gathering.policy(category), gathering.capacity_for(category)

    def guest_list(self, gathering_id: UUID) -> GuestList:
        """Return the guest list of a gathering."""
        return self.load(GuestList, GuestList.create_id(gathering_id), "guest list")

    # Registrations ---------------------------------------------------------------

    def register(
        self,
        slug: str,
        details: GuestDetails,
        category: str,
        actor: str = GUEST,
        firm_id: UUID | None = None,
        staff_code: str | None = None,
    ) -> Registration:
        """Register a guest: confirmed, pending approval or waitlisted.

        Exhibitor staff name their firm (`firm_id`). With the firm's staff code they take
        one of its staff badges, in the same atomic save, so a firm's quota holds under
        concurrent registrations; without one they wait for an organiser's approval and
        take no badge until then; a wrong (or renewed) code is refused.
        """
        gathering = self.gathering(slug)
        at = self.clock()
        gathering.check_registration_open(at)
        gathering.policy(category)
        check_firm_named(category, firm_id)
        registration_id = uuid4()

        def command() -> tuple[Registration, list[Aggregate]]:
            guest_list = self.guest_list(gathering.id)
            # The limits are read after the guest list: a correction of them saves the
            # guest list too, so one saved since makes this save fail and run again.
            policy, capacity = self.limits_of(gathering.id, category)
            staff_of, vouched = self._staff_badge(
                gathering.id, firm_id, staff_code, registration_id, at, actor
            )
            standing = guest_list.admit(
                registration_id,
                details.email,
                category,
                capacity,
                approval_required=policy.approval_required or not vouched,
            )
            registration = Registration(
                id=registration_id,
                gathering_id=gathering.id,
                details=details.as_dict(),
                category=category,
                state=standing,
                at=at,
                actor=actor,
            )
            return registration, [guest_list, registration, *staff_of]

        return self.execute(gathering.id, command)

    def _staff_badge(
        self,
        gathering_id: UUID,
        firm_id: UUID | None,
        staff_code: str | None,
        registration_id: UUID,
        at: datetime,
        actor: str,
    ) -> tuple[list[Aggregate], bool]:
        """Take (or, without a code, ask for) a staff badge; say whether it was vouched."""
        if firm_id is None:
            return [], True
        exhibition = self.exhibition_of(gathering_id)
        if exhibition is None:
            raise NotFound("this gathering has no exhibition", field="firm_id")
        exhibition.firm(firm_id)  # NotFound before the code is looked at
        generation = exhibition.staff_code_generation(firm_id)
        right = self.staff_codes.check(firm_id, generation, staff_code)
        vouched = exhibition.admit_staff(firm_id, registration_id, right, at, actor)
        return [exhibition], vouched

    def exhibition_of(self, gathering_id: UUID) -> Exhibition | None:
        """Return the exhibition of a gathering, if one was planned."""
        try:
            return self.load(Exhibition, Exhibition.create_id(gathering_id), "exhibition")
        except NotFound:
            return None

    def registration(self, registration_id: UUID) -> Registration:
        """Return one registration."""
        return self.load(Registration, registration_id, "registration")

    def approve(self, registration_id: UUID, actor: str, *, override: bool = False) -> Registration:
        """Approve a registration: it gets a seat, or a waitlist place when none is free."""
        gathering_id = self.registration(registration_id).gathering_id

        def command() -> tuple[Registration, list[Aggregate]]:
            registration = self.registration(registration_id)
            registration.check_state(
                RegistrationState.PENDING, RegistrationState.WAITLISTED, action="approve"
            )
            guest_list = self.guest_list(gathering_id)
            capacity = self.limits_of(gathering_id, registration.category)[1]
            at = self.clock()
            decision = guest_list.decide(
                registration_id, registration.category, capacity, override=override
            )
            if decision == "waitlisted":
                registration.waitlist(at, actor)
            else:
                registration.approve(at, actor, override=decision == CONFIRMED_OVER_CAPACITY)
            staff = self._approved_staff(registration, at, actor)
            return registration, [guest_list, registration, *staff]

        return self.execute(gathering_id, command)

    def reject(self, registration_id: UUID, actor: str, reason: str = "") -> Registration:
        """Turn down a pending registration."""
        return self._leave(registration_id, lambda r, at: r.reject(at, actor, reason))

    def cancel(self, registration_id: UUID, actor: str, reason: str = "") -> Registration:
        """Cancel a registration and promote from the waitlist into any freed seat."""
        return self._leave(registration_id, lambda r, at: r.cancel(at, actor, reason))

    def _leave(
        self, registration_id: UUID, change: Callable[[Registration, datetime], None]
    ) -> Registration:
        gathering_id = self.registration(registration_id).gathering_id

        def command() -> tuple[Registration, list[Aggregate]]:
            registration = self.registration(registration_id)
            at = self.clock()
            change(registration, at)
            guest_list = self.guest_list(gathering_id)
            guest_list.release(registration_id)
            promoted = self._promotions(gathering_id, guest_list, at)
            released = self._release_staff_badge(registration, at)
            return registration, [guest_list, registration, *promoted, *released]

        return self.execute(gathering_id, command)

    def _approved_staff(
        self, registration: Registration, at: datetime, actor: str
    ) -> list[Aggregate]:
        """Give approved staff not vouched for by a code the badge they asked for."""
        if registration.category != GuestCategory.EXHIBITOR:
            return []
        exhibition = self.exhibition_of(registration.gathering_id)
        firm_id = exhibition.firm_requested_by(registration.id) if exhibition else None
        if exhibition is None or firm_id is None:
            return []
        exhibition.take_staff_badge(firm_id, registration.id, at, actor)  # quota applies
        return [exhibition]

    def _release_staff_badge(self, registration: Registration, at: datetime) -> list[Aggregate]:
        if registration.category != GuestCategory.EXHIBITOR:
            return []
        exhibition = self.exhibition_of(registration.gathering_id)
        if exhibition is None or (
            exhibition.firm_of_staff(registration.id) is None
            and exhibition.firm_requested_by(registration.id) is None
        ):
            return []
        exhibition.release_staff_badge(registration.id, at, SYSTEM)
        return [exhibition]

    def cancel_many(
        self,
        gathering_id: UUID,
        registration_ids: list[UUID],
        actor: str,
        reason: str,
        at: datetime,
    ) -> list[Aggregate]:
        """Cancel active registrations within another command; return what to save.

        For a command that already holds the gathering's lock (e.g. withdrawing a firm
        cancels its staff): it changes the registrations and the guest list and promotes
        from the waitlist, but leaves the saving to the caller.
        """
        guest_list = self.guest_list(gathering_id)
        cancelled = []
        for registration_id in registration_ids:
            registration = self.registration(registration_id)
            if registration.is_active:
                registration.cancel(at, actor, reason)
                guest_list.release(registration_id)
                cancelled.append(registration)
        if not cancelled:
            return []
        return [guest_list, *cancelled, *self._promotions(gathering_id, guest_list, at)]

    def _promotions(
        self, gathering_id: UUID, guest_list: GuestList, at: datetime
    ) -> list[Registration]:
        gathering = self.gathering_by_id(gathering_id)
        capacity_of = {name: gathering.capacity_for(name) for name in gathering.categories}
        promoted = []
        for waiting_id in guest_list.next_promotions(capacity_of):
            guest_list.promote(waiting_id)
            waiting = self.registration(waiting_id)
            if waiting.state is not RegistrationState.WAITLISTED:
                raise StaleRead(waiting_id)
            waiting.promote(at, SYSTEM)
            promoted.append(waiting)
        return promoted

    def reissue_badge(self, registration_id: UUID, actor: str) -> Registration:
        """Issue a new badge to a confirmed guest; the old badge is revoked."""

        def command() -> tuple[Registration, list[Aggregate]]:
            registration = self.registration(registration_id)
            registration.reissue_badge(self.clock(), actor)
            return registration, [registration]

        return self.execute(registration_id, command)

    def history(self, registration_id: UUID) -> list[HistoryEntry]:
        """Return the domain events of a registration, oldest first."""
        self.registration(registration_id)
        return self.changes(registration_id)

    def changes(self, aggregate_id: UUID) -> list[HistoryEntry]:
        """Return the domain events of any aggregate as people read them, oldest first.

        Events without their own `at` and `actor` (e.g. a guest list being opened) show
        when the store recorded them and the actor `system`.
        """
        return [
            HistoryEntry(
                version=domain_event.originator_version,
                type=type(domain_event).__name__,
                at=getattr(domain_event, "at", domain_event.timestamp),
                recorded_at=domain_event.timestamp,
                actor=getattr(domain_event, "actor", SYSTEM),
                data={k: v for k, v in domain_event.__dict__.items() if k not in HISTORY_META},
            )
            for domain_event in self.events.get(aggregate_id)
        ]

    # Organiser credentials ---------------------------------------------------------

    def issue_organiser_token(self, name: str, actor: str = "cli") -> tuple[str, UUID]:
        """Create an organiser credential; return the token (shown once) and its id."""
        token = "org_" + secrets.token_urlsafe(32)
        credential = OrganiserCredential(
            token_digest=token_digest(token), name=name, at=self.clock(), actor=actor
        )
        self.save(credential)
        return token, credential.id

    def authenticate_organiser(self, token: str) -> OrganiserCredential | None:
        """Return the active credential this token belongs to, if any."""
        try:
            credential = self.load(
                OrganiserCredential, OrganiserCredential.create_id(token_digest(token)), "token"
            )
        except NotFound:
            return None
        return credential if credential.is_active else None

    def active_organiser_credential(self, credential_id: UUID) -> OrganiserCredential | None:
        """Return the credential with this id if it exists and is not revoked (read afresh)."""
        try:
            credential = self.load(OrganiserCredential, credential_id, "credential")
        except NotFound:
            return None
        return credential if credential.is_active else None

    def revoke_organiser_credential(self, credential_id: UUID, actor: str = "cli") -> None:
        """Stop an organiser credential from working."""
        credential = self.load(OrganiserCredential, credential_id, "credential")
        credential.revoke(self.clock(), actor)
        self.save(credential)


class SharedReads:
    """Aggregates read often and changed rarely, kept by the process and checked on each read.

    A read asks the store for the events recorded after the kept version (one indexed
    query, which finds none most of the time) and applies those it finds to a copy, so it
    sees every change committed before it, whichever process made it (a device revoked
    through another gunicorn worker is refused at once), while it decodes and replays
    nothing when nothing changed. The aggregates it returns are shared by the threads of
    the process: read them, never change them (commands `load` their own copy).
    """

    def __init__(self, events: EventStore[UUID], maxsize: int) -> None:
        self._events = events
        self._kept: LRUCache[UUID, Aggregate] = LRUCache(maxsize=maxsize)

    def get(self, aggregate_id: UUID) -> Aggregate:
        """Return the aggregate as the store has it now; raise AggregateNotFoundError."""
        try:
            kept: Aggregate | None = self._kept.get(aggregate_id)
        except KeyError:
            kept = None
        if kept is None:
            aggregate = replay(None, self._events.get(aggregate_id))
        else:
            newer = list(self._events.get(aggregate_id, gt=kept.version))
            if not newer:
                return kept
            aggregate = replay(deepcopy(kept), newer)  # copy on write
        if aggregate is None:
            raise AggregateNotFoundError(aggregate_id)
        self._kept.put(aggregate_id, aggregate)
        return aggregate


def replay(aggregate: Any, domain_events: Iterable[Any]) -> Any:
    """Apply domain events to an aggregate (None before the first) and return it.

    eventsourcing's `project_aggregate` does the same, but first asserts that each event
    is an instance of a runtime-checkable protocol, which costs more than the replay
    itself (about a tenth of a scan's time).
    """
    for domain_event in domain_events:
        aggregate = domain_event.mutate(aggregate)
    return aggregate


def _retrying_setup(construct: Callable[[], T]) -> T:
    for attempt in range(SETUP_ATTEMPTS):
        try:
            return construct()
        except (IntegrityError, InternalError, ProgrammingError):
            # e.g. 'duplicate key ... "pg_type_typname_nsp_index"', 'relation ... already
            # exists', 'tuple concurrently updated'; not a refused connection.
            if attempt == SETUP_ATTEMPTS - 1:
                raise
            time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))  # noqa: S311
    raise AssertionError("unreachable")


def _set_synchronous(pool: SQLiteConnectionPool, level: str) -> None:
    """Make every connection the pool opens use `PRAGMA synchronous = level`."""
    if level not in SQLITE_SYNCHRONOUS:
        raise ValueError(f"unknown SQLite synchronous level {level!r}")
    create = pool._create_connection

    def create_with_level() -> SQLiteConnection:
        connection = create()
        connection._sqlite_conn.execute(f"PRAGMA synchronous = {level}")
        return connection

    pool._create_connection = create_with_level  # type: ignore[method-assign]


def _use_wal(env: dict[str, str]) -> None:
    """Put an SQLite file in WAL mode before eventsourcing opens it.

    eventsourcing switches a file to WAL on its first connection, and that switch fails
    at once ("database is locked", with no retry) while another process is creating the
    tables of the same new file. Switching first, and retrying, avoids it.
    """
    name = env.get("SQLITE_DBNAME", "")
    if env.get("PERSISTENCE_MODULE") != "eventsourcing.sqlite" or not name:
        return
    if ":memory:" in name or "mode=memory" in name:
        return
    for attempt in range(SETUP_ATTEMPTS):
        try:
            connection = sqlite3.connect(name, uri=True, timeout=30)
        except sqlite3.Error:
            return  # eventsourcing will tell why the file cannot be opened
        try:
            if connection.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
                return
            connection.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError:
            if attempt == SETUP_ATTEMPTS - 1:
                raise
            time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))  # noqa: S311
        finally:
            connection.close()


def check_firm_named(category: str, firm_id: UUID | None) -> None:
    """Raise InvalidValue unless exhibitor staff, and only they, name their firm."""
    if category == GuestCategory.EXHIBITOR and firm_id is None:
        raise InvalidValue("exhibitor staff must name their firm", field="firm_id")
    if category != GuestCategory.EXHIBITOR and firm_id is not None:
        raise InvalidValue("only exhibitor staff name a firm", field="firm_id")


def token_digest(token: str) -> str:
    """Return the SHA-256 hex digest under which a bearer token is kept."""
    return hashlib.sha256(token.encode()).hexdigest()
