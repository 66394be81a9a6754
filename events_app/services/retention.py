"""Retention: erase every guest's personal data of a gathering N days after its end.

`expire` erases, for each gathering whose day has come (see `domain.retention`), every
registration not erased yet, and every invitation never accepted (its invitee's details,
reply and mails; an accepted one goes with its registration), one by one through the
ordinary erasure (its event, then its key destroyed). Erasing is idempotent per guest: an
interrupted run is finished by the next one, and a run over erased guests does nothing.
Serving processes run it once a day (`DailyRetention`): under a lock shared by every
process on the store, and only when `retention_runs` has no row for the day (UTC), which
is written when the run finishes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date
from uuid import UUID

from domain.errors import AlreadyErased
from domain.gathering import Gathering
from domain.retention import erase_on, is_due
from events_app.read_models.retention import RetentionView, RunRecord
from events_app.services.box_office import BoxOffice
from events_app.services.personal_data import PersonalDataErasure
from events_app.store.locks import Locks

log = logging.getLogger(__name__)
ACTOR = "retention"
LOCK = "retention"
POLL_SECONDS = 3600.0
"""How often a serving process looks whether today's run is still to do."""


@dataclass(frozen=True)
class Due:
    """When a gathering's guests' personal data are erased, and how many still hold some."""

    gathering: Gathering
    erase_on: date
    guests: int
    due: bool
    invitees: int = 0
    """Invitees who never accepted whose data are held (counted only when asked)."""


@dataclass
class Expiry:
    """What a run erased (or, dry, would erase) of one gathering."""

    gathering: Gathering
    erased: list[UUID] = field(default_factory=list)
    invitations: list[UUID] = field(default_factory=list)
    """The invitations never accepted whose invitees' data it erased."""


def reason_for(gathering: Gathering) -> str:
    """Return the reason an erasure by retention records."""
    return f"retention: {gathering.retention_days} days after the end"


class Retention:
    """Erase personal data whose retention has run out."""

    def __init__(
        self, app: BoxOffice, erasure: PersonalDataErasure, view: RetentionView, locks: Locks
    ) -> None:
        self._app = app
        self._erasure = erasure
        self.view = view
        self._locks = locks

    def schedule(self, gathering_ids: list[UUID], *, invitees: bool = False) -> list[Due]:
        """Return, for each of these gatherings, its erasure day and the guests it concerns.

        With `invitees`, also how many unaccepted invitees' data are held (each is loaded).
        """
        now = self._app.clock()
        held = self.view.held()
        unaccepted = self._erasure.unaccepted
        return [
            Due(
                g,
                erase_on(g),
                held.get(str(g.id), 0),
                is_due(g, now),
                len(unaccepted(g.id)) if invitees else 0,
            )
            for g in self._app.gatherings(gathering_ids)
        ]

    def expire(self, gathering_ids: list[UUID], *, dry_run: bool = False) -> list[Expiry]:
        """Erase the guests and unaccepted invitees of every due gathering (dry: only list them)."""
        now = self._app.clock()
        done = []
        for gathering in self._app.gatherings(gathering_ids):
            if is_due(gathering, now):
                done.append(self._expire_one(gathering, dry_run))
        return done

    def _expire_one(self, gathering: Gathering, dry_run: bool) -> Expiry:
        expiry = Expiry(gathering)
        gathering_id = str(gathering.id)
        ids = self.view.registration_ids(gathering_id)
        keyed = self.view.keyed_ids(gathering_id)
        for rid in ids:
            registration_id = UUID(rid)
            was_erased = self._app.registration(registration_id).erased
            if dry_run or (was_erased and rid not in keyed):
                if not was_erased:
                    expiry.erased.append(registration_id)
                continue
            try:  # erased before, its key left by a stop midway: erasing again destroys it
                self._erasure.erase(registration_id, ACTOR, reason_for(gathering))
            except AlreadyErased:  # erased meanwhile, by someone else, or before
                continue
            expiry.erased.append(registration_id)
        self._expire_invitations(expiry, dry_run)
        return expiry

    def _expire_invitations(self, expiry: Expiry, dry_run: bool) -> None:
        """Erase the gathering's invitees who never accepted (dry: only list them)."""
        reason = reason_for(expiry.gathering)
        for invitation in self._erasure.unaccepted(expiry.gathering.id):
            if dry_run:
                if not invitation.erased:
                    expiry.invitations.append(invitation.id)
                continue
            try:  # an erased one with its key left: erasing again destroys the key
                self._erasure.erase_invitation(invitation.id, ACTOR, reason)
            except AlreadyErased:
                continue
            expiry.invitations.append(invitation.id)

    def run_daily(self, gathering_ids: Callable[[], list[UUID]]) -> RunRecord | None:
        """Run today's expiry unless another process runs it or it ran today; return it."""
        with self._locks.hold(LOCK, blocking=False) as held:
            if not held:
                return None
            started = self._app.clock()
            day = started.astimezone(UTC).date().isoformat()
            if self.view.run_of(day) is not None:
                return None
            erased = sum(len(e.erased) + len(e.invitations) for e in self.expire(gathering_ids()))
            run = RunRecord(day, started.isoformat(), self._app.clock().isoformat(), erased)
            self.view.record_run(run)
            return run


class DailyRetention:
    """A serving process's thread that runs the expiry once a day."""

    def __init__(
        self,
        retention: Retention,
        gathering_ids: Callable[[], list[UUID]],
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        self._retention = retention
        self._gathering_ids = gathering_ids
        self.poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._guard = threading.Lock()

    def start(self) -> bool:
        """Start the thread unless it runs; return whether it started."""
        with self._guard:
            if self._thread is not None and self._thread.is_alive():
                return False
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._run, name="personal-data-retention", daemon=True
            )
            self._thread.start()
            return True

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                run = self._retention.run_daily(self._gathering_ids)
                if run is not None:
                    log.info(
                        "retention run of %s: %d guests and invitees erased", run.day, run.erased
                    )
            except Exception:
                log.exception("the retention run failed; it tries again later")
            self._stop.wait(self.poll_seconds)

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the thread after the erasure it is doing."""
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
