"""Guest lists a process keeps between its registrations, brought up to date on each use.

Loading a guest list reads its latest snapshot (it grows with every guest: megabytes for
a large launch) and replays the events after it, on every registration. A process instead
keeps the guest list its last registration saved, and the next registration takes it
and applies the events recorded since (those saved by other processes or other commands:
one indexed query, which finds a few or none). The store stays the judge: the save is
optimistic as before, so a guest list another process changed in between makes it fail
and the command runs again on a fresh load.

A kept guest list has one user at a time: `take` removes it, and only a guest list whose
save succeeded is given back, so one changed by a command that failed (a refused
registration, a conflict) is never reused.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from uuid import UUID

from domain.guest_list import GuestList

KEPT = 4
"""Guest lists kept per process (one per gathering open for registration at a time)."""


class KeptGuestLists:
    """The guest lists last saved by a process's registrations, at most KEPT of them."""

    def __init__(self, size: int = KEPT) -> None:
        self._size = size
        self._kept: OrderedDict[UUID, GuestList] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, gathering_id: UUID) -> GuestList | None:
        """Remove and return the guest list kept for a gathering, if any."""
        with self._lock:
            return self._kept.pop(gathering_id, None)

    def give_back(self, guest_list: GuestList | None) -> None:
        """Keep a guest list whose changes are saved (unless a later version is kept)."""
        if guest_list is None or guest_list.pending_events:
            return  # not saved: never reuse it
        gathering_id = guest_list.gathering_id
        with self._lock:
            kept = self._kept.get(gathering_id)
            if kept is not None and kept.version >= guest_list.version:
                return
            self._kept[gathering_id] = guest_list
            self._kept.move_to_end(gathering_id)
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)

    def clear(self) -> None:
        """Forget every kept guest list."""
        with self._lock:
            self._kept.clear()
