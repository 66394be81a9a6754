"""Which exhibition changes stand in the way of an organiser's action on firms and booths."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

STAFF_EVENTS = frozenset(
    {"StaffBadgeTaken", "StaffBadgeReleased", "StaffBadgeRequested", "StaffRequestDropped"}
)


def touching(*firms_and_booths: UUID | str | None) -> Callable[[Any], bool]:
    """Return a test of whether an exhibition event changed these firms or booths.

    Guests taking or giving back staff badges change the exhibition all day long; they
    do not change a booth, so they never count as another organiser's change.
    """
    wanted = {(v.hex if isinstance(v, UUID) else v).upper() for v in firms_and_booths if v}

    def concerns(domain_event: Any) -> bool:
        if type(domain_event).__name__ in STAFF_EVENTS:
            return False
        values = vars(domain_event).values()
        return any(isinstance(v, str) and v.upper() in wanted for v in values)

    return concerns
