"""Counting hits of busy keys in the process, taking them from the shared counter in leases.

A door device scanning hundreds of badges a minute would otherwise cost a database write
per scan for its rate limit alone. Instead a process takes a lease of several hits of the
key's window from the shared counter at once (one UPSERT) and hands them out one by one.
The leases grow, 1, 2, 4 ..., while a key stays busy in the process, up to a fiftieth of
the key's limit, and end with their window. So a limit of 600 a minute is met to within
11 hits per process and a window, and a limit under 100 is counted hit by hit, exactly.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

LEASE_SHARE = 50
"""A lease holds at most a LEASE_SHARE-th of the key's limit."""
MOST_KEYS = 10_000
"""Leases a process keeps; the oldest go first beyond this."""
Reserve = Callable[[int], tuple[int, float]]
"""Adds that many hits to the shared counter; returns its new count and its window's end."""


@dataclass
class Lease:
    """Hits of one window taken from the shared counter: counts `next` to `last` are ours."""

    next: int
    last: int
    ends: float
    size: int


def most_per_lease(key: str) -> int:
    """Return the largest lease for a key of the `limits` library (…/AMOUNT/MULTIPLES/UNIT)."""
    parts = key.rsplit("/", 3)
    try:
        amount = int(parts[-3])
    except (IndexError, ValueError):
        return 1
    return max(1, min(amount // LEASE_SHARE, 64))


class Leases:
    """The leases of one process, by key; safe for threads."""

    def __init__(self) -> None:
        self._leases: dict[str, Lease] = {}
        self._guard = threading.Lock()

    def hit(self, key: str, amount: int, now: float, reserve: Reserve) -> int:
        """Return the count of this hit in its window, reserving a new lease when needed."""
        with self._guard:
            lease = self._leases.get(key)
            if lease is not None and now < lease.ends and lease.next + amount - 1 <= lease.last:
                count = lease.next + amount - 1
                lease.next = count + 1
                return count
            fresh = lease is None or now >= lease.ends
            size = max(amount, 1 if fresh else min(lease.size * 2, most_per_lease(key)))
            total, ends = reserve(size)
            first = total - size + 1
            self._leases.pop(key, None)
            self._leases[key] = Lease(first + amount, total, ends, size)
            while len(self._leases) > MOST_KEYS:
                self._leases.pop(next(iter(self._leases)))
            return first + amount - 1

    def forget(self, key: str | None = None) -> None:
        """Drop the lease of `key` (every lease without one)."""
        with self._guard:
            if key is None:
                self._leases.clear()
            else:
                self._leases.pop(key, None)
