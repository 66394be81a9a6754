"""Dates and times as each language writes them, in the gathering's time zone.

Tuesday 2 March 2027, 09:30–12:00 · 2027年3月2日（星期二）09:30–12:00
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date

DAY_PATTERNS = {
    "en": "EEEE d MMMM y",
    "zh_Hant_HK": "y年M月d日（EEEE）",
    "zh_Hans_CN": "y年M月d日（EEEE）",
}
SEPARATORS = {"en": ", ", "zh_Hant_HK": "", "zh_Hans_CN": ""}


def day_text(moment: datetime, timezone: str, language: str) -> str:
    """Return the day of `moment` at the venue, with its weekday, as `language` writes it."""
    local = moment.astimezone(ZoneInfo(timezone))
    pattern = DAY_PATTERNS.get(language, DAY_PATTERNS["en"])
    return format_date(local.date(), pattern, locale=language)


def when_text(starts: datetime, timezone: str, language: str, ends: datetime | None = None) -> str:
    """Return when something happens: its day, its start and (same day) its end time."""
    zone = ZoneInfo(timezone)
    start = starts.astimezone(zone)
    text = day_text(start, timezone, language) + SEPARATORS.get(language, ", ")
    text += f"{start:%H:%M}"
    if ends is not None:
        end = ends.astimezone(zone)
        if end.date() == start.date():
            text += f"–{end:%H:%M}"
        else:
            text += " – " + day_text(end, timezone, language) + SEPARATORS.get(language, ", ")
            text += f"{end:%H:%M}"
    return text
