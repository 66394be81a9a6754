"""The gathering's day: when a signing or an award can have taken place.

A ceremony happens during the gathering; recording it is allowed from an hour before the
gathering starts to an hour after it ends, so that a typo in the date (or a signing recorded
months ahead, with the clock's time) is refused instead of locking the ceremony for good.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from domain.common import require_aware
from domain.errors import OutsideGathering

MARGIN = timedelta(hours=1)
"""How long before the start and after the end of the gathering a ceremony may be recorded."""


@dataclass(frozen=True)
class GatheringDay:
    """The gathering's start and end, in its own time zone."""

    starts_at: datetime
    ends_at: datetime
    timezone: str

    @property
    def allowed(self) -> tuple[datetime, datetime]:
        """Return the first and last moment a ceremony may be recorded as happening."""
        return self.starts_at - MARGIN, self.ends_at + MARGIN

    def allows(self, moment: datetime) -> bool:
        """Tell whether a ceremony can have happened at `moment`."""
        first, last = self.allowed
        return first <= require_aware(moment, "happened_at") <= last

    def describe(self) -> str:
        """Return the allowed range as the venue reads it, e.g. 2026-03-02 08:00 to 13:00."""
        zone = ZoneInfo(self.timezone)
        first, last = (moment.astimezone(zone) for moment in self.allowed)
        end = f"{last:%H:%M}" if first.date() == last.date() else f"{last:%Y-%m-%d %H:%M}"
        return f"{first:%Y-%m-%d %H:%M} to {end} ({self.timezone})"

    def check(self, moment: datetime, field: str = "happened_at") -> None:
        """Raise OutsideGathering unless a ceremony can have happened at `moment`."""
        if self.allows(moment):
            return
        shown = f"{moment.astimezone(ZoneInfo(self.timezone)):%Y-%m-%d %H:%M}"
        raise OutsideGathering(
            "a signing or award must be recorded on the gathering's day, from %(allowed)s "
            "(an hour either side of the gathering); %(moment)s is outside it",
            field=field,
            allowed=self.describe(),
            moment=shown,
        )
