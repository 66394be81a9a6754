"""Console: what the retention run will erase, and when ("Personal data of 12 guests …")."""

from __future__ import annotations

from flask_babel import get_locale, ngettext

from domain.gathering import Gathering
from domain.retention import due_at
from events_app.context import services
from events_app.languages.dates import day_text


def retention_notice(gathering: Gathering) -> str:
    """Say, in the page's language, whose personal data are erased on which day."""
    entry = services().retention.schedule([gathering.id])[0]
    day = day_text(due_at(gathering), gathering.timezone, str(get_locale() or "en"))
    days = gathering.retention_days
    if entry.due and not entry.guests:
        return ngettext(
            "Guests' personal data were erased from %(day)s (%(num)d day after the end).",
            "Guests' personal data were erased from %(day)s (%(num)d days after the end).",
            days,
            day=day,
        )
    if entry.due:
        return ngettext(
            "Personal data of %(num)d guest are due for erasure since %(day)s "
            "(%(days)d days after the end).",
            "Personal data of %(num)d guests are due for erasure since %(day)s "
            "(%(days)d days after the end).",
            entry.guests,
            days=days,
            day=day,
        )
    return ngettext(
        "Personal data of %(num)d guest will be erased on %(day)s (%(days)d days after the end).",
        "Personal data of %(num)d guests will be erased on %(day)s (%(days)d days after the end).",
        entry.guests,
        days=days,
        day=day,
    )
