"""Retention: the day a gathering's guests' personal data are erased (N days after its end).

The day is counted in the gathering's own time zone: the end's date plus the days kept.
From the start of that day (there) the erasure is due; the daily run erases then.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.gathering import Gathering


def erase_on(gathering: Gathering) -> date:
    """Return the day (in the gathering's zone) its guests' personal data are erased."""
    zone = ZoneInfo(gathering.timezone)
    return gathering.ends_at.astimezone(zone).date() + timedelta(days=gathering.retention_days)


def due_at(gathering: Gathering) -> datetime:
    """Return the moment the erasure is due: the start of `erase_on`, in the gathering's zone."""
    return datetime.combine(erase_on(gathering), time(0), tzinfo=ZoneInfo(gathering.timezone))


def is_due(gathering: Gathering, at: datetime) -> bool:
    """Tell whether the gathering's guests' personal data are to be erased at `at`."""
    return at >= due_at(gathering)
