"""The demo gathering: the 2 March 2026 launch of the Hetao Hong Kong Youth Innovation Valley.

Facts from ../shared/seeds/README.md (two news reports of the occasion). The seed data are
files in `data/`, which `flask demo create` (events_app/cli/demo.py) reads through the
importers organisers use: the booth slots and firms as CSV, as `flask exhibition
import-slots` and `import-firms` read them; the gathering, ceremonies, running order and
checkpoints as TOML, each entry loaded by the API's schema for it. The 25 firms, their
booths, the agreements, signatories and certificate recipients are SAMPLE DATA invented for
the demo: every firm's description, every document's reference and first clause say so.
Officials named in the reports appear only as speakers.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

VENUE_TZ = ZoneInfo("Asia/Shanghai")


@contextmanager
def data_file(name: str) -> Iterator[Path]:
    """Give the path of one of the demo's seed files (extracted while in use, if zipped)."""
    with resources.as_file(resources.files(__name__) / "data" / name) as path:
        yield path


def read_data(name: str) -> dict[str, Any]:
    """Return the content of one of the demo's TOML seed files."""
    return tomllib.loads((resources.files(__name__) / "data" / name).read_text("utf-8"))


DEMO_GATHERING: dict[str, Any] = read_data("gathering.toml")
"""The demo gathering as `BoxOffice.schedule_gathering` takes it, without its dates."""
DEMO_SLUG: str = DEMO_GATHERING["slug"]


def venue_time(*parts: int) -> datetime:
    """Return a time at the venue (Asia/Shanghai, UTC+8)."""
    return datetime(*parts, tzinfo=VENUE_TZ)  # type: ignore[misc]


def on_the_day(day: datetime, clock_time: str) -> str:
    """Return a seed file's time of day ("10:50") on `day`, in ISO 8601 as the API takes it."""
    hour, minute = (int(part) for part in clock_time.split(":"))
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0).isoformat()


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
