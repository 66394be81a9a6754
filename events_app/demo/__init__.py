"""The demo gathering: the 2 March 2026 launch of the Hetao Hong Kong Youth Innovation Valley.

Facts from ../shared/seeds/README.md (two news reports of the occasion).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from domain.errors import AlreadyExists
from events_app.demo.checkpoints import define_demo_checkpoints
from events_app.demo.planning import plan_demo
from events_app.services.box_office import BoxOffice
from events_app.services.checkpoints import Checkpoints
from events_app.services.planning import Planning

VENUE_TZ = ZoneInfo("Asia/Shanghai")
DEMO_SLUG = "hetao-youth-innovation-valley-launch"


def venue_time(*parts: int) -> datetime:
    """Return a time at the venue (Asia/Shanghai, UTC+8)."""
    return datetime(*parts, tzinfo=VENUE_TZ)  # type: ignore[misc]


DEMO_GATHERING: dict[str, Any] = {
    "slug": DEMO_SLUG,
    "title_en": (
        '"One Park, Two Places — Shenzhen-Hong Kong Co-creation" and launch ceremony of the '
        "Hetao Hong Kong Youth Innovation Valley"
    ),
    "title_zh": "「一園兩地、深港共創」暨河套香港青年科創谷啟動儀式",
    "venue": (
        "Hong Kong Science Park Shenzhen Branch 香港科學園深圳分園, Hetao Shenzhen-Hong Kong "
        "Science and Technology Innovation Cooperation Zone, Futian, Shenzhen"
    ),
    "timezone": "Asia/Shanghai",
    "capacity": 220,
    "categories": {
        "guest": {"capacity": 90, "approval_required": False},
        "vip": {"capacity": 30, "approval_required": True},
        "speaker": {"capacity": 10, "approval_required": True},
        "press": {"capacity": 25, "approval_required": True},
        "exhibitor": {"capacity": 50, "approval_required": False},
        "partner": {"capacity": 30, "approval_required": True},
        "staff": {"capacity": 20, "approval_required": True},
    },
}


def demo_dates(now: datetime) -> dict[str, datetime]:
    """Return the demo's dates: 2 March 2026, or the next 2 March once that has passed.

    Registration opens six weeks before (or now, if later than that and still before the
    day) and closes at 09:00 on the day, so a demo started today has an open form.
    """
    year = 2026
    while venue_time(year, 3, 2, 9, 0) <= now:
        year += 1
    starts_at = venue_time(year, 3, 2, 9, 30)
    opens_at = min(venue_time(year, 1, 15, 9, 0), now - timedelta(minutes=1))
    return {
        "starts_at": starts_at,
        "ends_at": venue_time(year, 3, 2, 13, 0),
        "registration_opens_at": opens_at,
        "registration_closes_at": venue_time(year, 3, 2, 9, 0),
    }


def create_demo_gathering(
    app: BoxOffice, planning: Planning | None = None, actor: str = "cli:demo"
) -> bool:
    """Schedule the demo gathering and plan its day; return False if all was there (idempotent).

    The plan (running order, 25 sample firms in booths, ceremonies) and the checkpoints
    are added to a demo gathering that lacks them, e.g. one created before they existed.
    """
    created = True
    try:
        app.schedule_gathering(actor, **DEMO_GATHERING, **demo_dates(app.clock()))
    except AlreadyExists:
        created = False
    day = app.gathering(DEMO_SLUG).starts_at.astimezone(VENUE_TZ)
    planned = plan_demo(planning or Planning(app), DEMO_SLUG, day, actor)
    doors = define_demo_checkpoints(Checkpoints(app), DEMO_SLUG, day, actor)
    return created or planned or doors
