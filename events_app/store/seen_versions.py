"""Commands on the versions a person saw: a later change by someone else is never overwritten.

A page shows a record at some version; the form sends that version back. The command runs
inside `expecting({id: version})`, and the application's `load` checks each aggregate it loads
against what was seen, inside the command and again after a concurrent-write retry, so a
change saved first by another organiser, in any process, raises ChangedMeanwhile.

An aggregate many people change at once (the exhibition: a booth here, a staff badge
there) can be expected as `Seen(version, concerns)`: then only the later events that
concern the command (e.g. mention its firm or booth) count as a change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.common import N_
from domain.errors import DomainError, Term


@dataclass(frozen=True)
class Seen:
    """The version of an aggregate a person saw, and which later events concern them."""

    version: int
    concerns: Callable[[Any], bool] | None = None
    """Tells whether a later domain event changes what the person acts on (None: all do)."""


class ChangedMeanwhile(DomainError):
    """A record changed after the version a person saw; their command was not run."""

    code = "changed_meanwhile"

    def __init__(
        self, what: str, aggregate_id: UUID, seen: int, now: int, versions: Iterable[int] = ()
    ) -> None:
        super().__init__(
            N_("someone else changed this %(what)s after you opened it; nothing was changed"),
            field="version",
            what=Term(what),
        )
        self.aggregate_id = aggregate_id
        self.seen = seen
        self.now = now
        self.versions = tuple(versions) or tuple(range(seen + 1, now + 1))
        """The versions that made the difference."""


_SEEN: ContextVar[Mapping[UUID, Seen] | None] = ContextVar("seen_versions", default=None)


@contextmanager
def expecting(seen: Mapping[UUID, int | Seen]) -> Iterator[None]:
    """Run the commands inside only on these versions of these aggregates."""
    token = _SEEN.set({key: s if isinstance(s, Seen) else Seen(s) for key, s in seen.items()})
    try:
        yield
    finally:
        _SEEN.reset(token)


def check_seen(
    aggregate_id: UUID, version: int, what: str, later: Callable[[UUID, int], Iterable[Any]]
) -> None:
    """Raise ChangedMeanwhile if the aggregate changed, as it concerns the command, since seen.

    `later(aggregate_id, version)` returns the aggregate's events after a version.
    """
    seen = (_SEEN.get() or {}).get(aggregate_id)
    if seen is None or seen.version == version:
        return
    if seen.concerns is None or version < seen.version:  # a version never shown is stale too
        raise ChangedMeanwhile(what, aggregate_id, seen.version, version)
    relevant = [e.originator_version for e in later(aggregate_id, seen.version) if seen.concerns(e)]
    if relevant:
        raise ChangedMeanwhile(what, aggregate_id, seen.version, version, relevant)
