"""The event-sourced application beneath the commands: storage, loading, saving, retrying.

Nothing here knows a gathering or a registration: the services' commands are written on
top of it (see `events_app.services.box_office`).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import random
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    ProjectorFunction,
    Recording,
    Repository,
    project_aggregate,
)
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    EventStore,
    IntegrityError,
    JSONTranscoder,
    OperationalError,
    PersistenceError,
)
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.utils import get_topic

from domain.common import SYSTEM
from domain.errors import DomainError, NotFound, Term
from domain.personal import Kind, PersonalData, sealed_text
from events_app.store.batch_reads import select_after
from events_app.store.collecting import CollectedEvents
from events_app.store.keyed_locks import KeyedLocks
from events_app.store.personal_keys import PEPPER_SUBJECT, open_keys
from events_app.store.reads import SharedReads, replay
from events_app.store.sealing import SealedPersonalData
from events_app.store.seen_versions import Seen, check_seen, expecting
from events_app.store.setup import retrying_setup, set_synchronous, use_wal
from events_app.store.write_queue import is_file, queued

T = TypeVar("T")
Clock = Callable[[], datetime]
Wanted = tuple[type[Any], UUID, bool]
"""An aggregate a command reads: its type, its id, and whether it is a shared read."""
MAX_ATTEMPTS = 60
SHARED_READS = 1_000
"""How many rarely-changing aggregates (gatherings, door devices) a process keeps."""
HISTORY_META = frozenset(
    {"originator_id", "originator_version", "originator_topic", "timestamp", "at", "actor"}
)
log = logging.getLogger(__name__)


class ConcurrencyConflict(DomainError):
    """Others kept changing the same records; the command gave up after many tries."""

    code = "concurrency_conflict"


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


class EventSourcedApplication(Application):
    """An eventsourcing application whose commands retry conflicts and see fresh records."""

    def __init__(
        self, env: dict[str, str], clock: Clock, *, master_key: bytes | None = None
    ) -> None:
        use_wal(env)
        # Before the application's mapper is made: its transcoding seals with these keys.
        self.personal_keys = open_keys(env, master_key)
        # Made on first start; read now so that a missing or wrong master key stops the
        # start-up (MasterKeyError) rather than the first read of a guest's details.
        try:
            self._pepper = self.personal_keys.secret(PEPPER_SUBJECT)
        except Exception:
            self.personal_keys.close()
            raise
        super().__init__(env=env)
        self.clock = clock
        self._locks = KeyedLocks()
        # Only the types in `snapshotting_intervals` ever have snapshots: the others are
        # read from their events alone, without first asking the snapshot store. That
        # saves a query per load, and on SQLite much more: the snapshots table is
        # WITHOUT ROWID, so a lookup there reads every multi-megabyte guest-list
        # snapshot it compares keys with (about 1.4 ms with one such snapshot).
        self._unsnapshotted = Repository(event_store=self.events)
        self._shared = SharedReads(SHARED_READS)
        self.saved: list[Callable[[int], None]] = []
        """Called with the position of the last event of every save (e.g. to wake a follower)."""

    # Storage ---------------------------------------------------------------------

    def construct_factory(self, env: Any) -> Any:
        """Return eventsourcing's storage factory, with SQLite's commit durability set."""
        factory = super().construct_factory(env)
        datastore = getattr(factory, "datastore", None)
        if isinstance(datastore, SQLiteDatastore):
            set_synchronous(datastore.pool, env.get("SQLITE_SYNCHRONOUS") or "NORMAL")
            path = env.get("SQLITE_DBNAME", "")
            if is_file(path):  # writers queue for their turn (see write_queue)
                datastore.transaction = queued(datastore.transaction, path)  # type: ignore[method-assign]
        return factory

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        """Register eventsourcing's transcodings and the one sealing personal data."""
        super().register_transcodings(transcoder)
        transcoder.register(SealedPersonalData(self.personal_keys))

    def email_hash(self, normalised_email: str) -> str:
        """Return the keyed hash (HMAC-SHA256, the install's pepper) of an e-mail address."""
        return hmac.new(self._pepper, normalised_email.encode(), hashlib.sha256).hexdigest()

    def close(self) -> None:
        """Close the store and the key store."""
        super().close()
        self.personal_keys.close()

    def construct_recorder(self) -> Any:
        """Create the events table (and its kin), retrying a concurrent creation."""
        return retrying_setup(super().construct_recorder)

    def construct_snapshot_store(self) -> EventStore[UUID]:
        """Create the snapshots table, retrying a concurrent creation."""
        return retrying_setup(super().construct_snapshot_store)

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording]:
        """Save as eventsourcing does and tell `saved` the position of the last event written.

        The steps are `Application.save`'s, with the events collected by CollectedEvents.
        """
        processing_event = CollectedEvents()
        processing_event.collect_events(*objs, **kwargs)
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        self.notify(processing_event.events)  # eventsourcing's deprecated hook, kept
        if recordings:
            position = max(r.notification.id for r in recordings)
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

    # Reading ---------------------------------------------------------------------

    def load(self, cls: type[T], aggregate_id: UUID, what: str) -> T:
        """Return the aggregate of type `cls`, or raise NotFound naming `what`."""
        try:
            aggregate = self._repository_for(cls).get(aggregate_id, projector_func=replay)
        except AggregateNotFoundError:
            raise NotFound("%(what)s not found", what=Term(what)) from None
        if not isinstance(aggregate, cls):
            raise NotFound("%(what)s not found", what=Term(what))
        check_seen(aggregate_id, aggregate.version, what, self._events_after)  # type: ignore[attr-defined]
        return aggregate

    def _events_after(self, aggregate_id: UUID, version: int) -> list[Any]:
        """Return the aggregate's domain events after `version`."""
        return list(self.events.get(aggregate_id, gt=version))

    def _repository_for(self, cls: type[Any]) -> Repository[UUID]:
        """Return the repository that reads aggregates of type `cls` fastest."""
        if any(issubclass(snapshotted, cls) for snapshotted in self.snapshotting_intervals):
            return self.repository
        return self._unsnapshotted

    def read(self, cls: type[T], aggregate_id: UUID, what: str) -> T:
        """Return an up-to-date aggregate to read, not to change (see SharedReads).

        For aggregates read on every request and changed rarely (the gathering of a
        scan, the device of a request); `cls` must be a type without snapshots.
        """
        (aggregate,) = self.read_all([(cls, aggregate_id, True)])
        if aggregate is None:
            raise NotFound("%(what)s not found", what=Term(what))
        return aggregate  # type: ignore[no-any-return]

    def kept(self, cls: type[T], aggregate_id: UUID) -> T | None:
        """Return this process's copy of a shared aggregate (see `read`) without a query.

        It may be behind the store: a caller trusts it only for what it reads again.
        """
        kept = self._shared.kept(aggregate_id)
        return kept if isinstance(kept, cls) else None

    def read_all(self, wanted: Sequence[Wanted]) -> list[Any]:
        """Return each wanted aggregate (or None if absent) up to date, from one query.

        `wanted` names (type, id, shared): a shared one is read like `read` (the process's
        copy, brought up to date), the others like `load` (a copy of their own, to change).
        """
        kept = {
            aggregate_id: self._shared.kept(aggregate_id)
            for _, aggregate_id, shared in wanted
            if shared
        }
        after = [
            (aggregate_id, getattr(kept.get(aggregate_id), "version", None))
            for _, aggregate_id, _ in wanted
        ]
        rows = select_after(self.recorder, after)
        found: list[Any] = []
        for cls, aggregate_id, shared in wanted:
            events = map(self.mapper.to_domain_event, rows[aggregate_id])
            if shared:
                try:
                    aggregate = self._shared.update(aggregate_id, kept[aggregate_id], events)
                except AggregateNotFoundError:
                    aggregate = None
            else:
                aggregate = replay(None, events)
                if aggregate is not None:
                    what = cls.__name__.lower()  # e.g. "registration", as `load` names it
                    check_seen(aggregate_id, aggregate.version, what, self._events_after)
            found.append(aggregate if isinstance(aggregate, cls) else None)
        return found

    def ids_created_as(self, created: type[Any], limit: int = 10_000) -> list[UUID]:
        """Return the ids of the aggregates whose creation event is of type `created`."""
        topic = get_topic(created)
        found = self.recorder.select_notifications(1, limit, topics=[topic])
        return [UUID(str(notification.originator_id)) for notification in found]

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
                data={
                    k: _shown(v) for k, v in domain_event.__dict__.items() if k not in HISTORY_META
                },
            )
            for domain_event in self.events.get(aggregate_id)
        ]

    # Changing --------------------------------------------------------------------

    @staticmethod
    def expecting(seen: Mapping[UUID, int | Seen]) -> AbstractContextManager[None]:
        """Run commands only on the versions of these aggregates a person saw.

        Commands load their aggregates inside `execute`, again after a concurrent-write
        conflict, so a change another organiser saved first, in any process, is found
        and the command raises ChangedMeanwhile instead of overwriting it.
        """
        return expecting(seen)

    def execute(self, key: UUID, command: Callable[[], tuple[T, list[Aggregate]]]) -> T:
        """Run `command` until its aggregates save without a concurrent-write conflict.

        A lock per key (e.g. a gathering) serialises this process's writers; optimistic
        concurrency (a unique version per aggregate in the store) serialises writers
        across processes.
        """
        with self._locks.hold(key):
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


def _shown(value: Any) -> Any:
    """Return an event's value as a person reads it (personal data as plain dicts or texts)."""
    if isinstance(value, PersonalData):
        value = sealed_text(value) if value.kind is Kind.TEXT else value.plain()
    if isinstance(value, dict):
        return {k: _shown(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shown(v) for v in value]
    return value
