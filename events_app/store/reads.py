"""Reading aggregates fast: a replay without protocol checks, and a cache shared by threads."""

from __future__ import annotations

from collections.abc import Iterable
from copy import deepcopy
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, LRUCache
from eventsourcing.domain import Aggregate


def replay(aggregate: Any, domain_events: Iterable[Any]) -> Any:
    """Apply domain events to an aggregate (None before the first) and return it.

    eventsourcing's `project_aggregate` does the same, but first asserts that each event
    is an instance of a runtime-checkable protocol, which costs more than the replay
    itself (about a tenth of a scan's time).
    """
    for domain_event in domain_events:
        aggregate = domain_event.mutate(aggregate)
    return aggregate


class SharedReads:
    """Aggregates read often and changed rarely, kept by the process and checked on each read.

    A read asks the store for the events recorded after the kept version (one indexed
    query, which finds none most of the time) and applies those it finds to a copy, so it
    sees every change committed before it, whichever process made it (a device revoked
    through another gunicorn worker is refused at once), while it decodes and replays
    nothing when nothing changed. The aggregates it returns are shared by the threads of
    the process: read them, never change them (commands `load` their own copy).
    """

    def __init__(self, maxsize: int) -> None:
        self._kept: LRUCache[UUID, Aggregate] = LRUCache(maxsize=maxsize)

    def kept(self, aggregate_id: UUID) -> Aggregate | None:
        """Return the aggregate as this process last read it, if it keeps it."""
        try:
            return self._kept.get(aggregate_id)
        except KeyError:
            return None

    def update(self, aggregate_id: UUID, kept: Aggregate | None, newer: Iterable[Any]) -> Aggregate:
        """Return `kept` with the `newer` events (read after its version) applied, and keep it."""
        newer = list(newer)
        if kept is not None and not newer:
            return kept
        aggregate = replay(None if kept is None else deepcopy(kept), newer)  # copy on write
        if aggregate is None:
            raise AggregateNotFoundError(aggregate_id)
        self._kept.put(aggregate_id, aggregate)
        return aggregate
