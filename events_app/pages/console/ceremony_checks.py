"""What the ceremonies pages check before planning a ceremony or recording that it happened."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext

from domain.ceremony import CeremonyState
from domain.common import N_
from domain.gathering import Gathering
from domain.gathering_day import GatheringDay
from events_app.pages.console.ceremony_rendering import planning
from events_app.pages.console.planning_labels import when

PLAUSIBLE = timedelta(days=366)
IMPLAUSIBLE = N_("enter a time within a year of the event (check the year)")
DUPLICATE = N_("this ceremony is already planned at this time (was the form sent twice?)")


def plausible(at: datetime, gathering: Gathering) -> bool:
    """Tell whether a ceremony can have happened at `at`: within a year of the gathering."""
    return gathering.starts_at - PLAUSIBLE <= at <= gathering.ends_at + PLAUSIBLE


def already_planned(slug: str, fields: dict[str, Any]) -> bool:
    """Tell whether a ceremony with these kind, titles, time and place is planned already."""
    return any(
        c.state is not CeremonyState.WITHDRAWN
        and c.kind.value == fields["kind"]
        and c.title_en == fields["title_en"]
        and c.title_zh == fields.get("title_zh", "")
        and c.starts_at == fields["starts_at"]
        and c.location == fields.get("location", "")
        for c in planning().ceremonies(slug)
    )


def outside_day(day: GatheringDay) -> str:
    """Say which times a signing or an award may be recorded at."""
    return gettext(
        "enter a time on the gathering's day, from %(hours)s (an hour either side); "
        "leave it blank only while the ceremony is happening.",
        hours=when(day.allowed[0], day.timezone, day.allowed[1]),
    )
