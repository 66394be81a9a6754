"""Words of a registration's record, shared by the console and the guest's own data page.

Registration states, event names, mail kinds and categories in the page's language, and
times as the page's language writes them in the gathering's zone (console messages).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext

from domain.common import N_
from events_app.languages import current_language
from events_app.languages.dates import SEPARATORS, day_text, when_text
from events_app.pages.labels import CATEGORY_NAMES

STATE_NAMES = {
    "pending": N_("Pending"),
    "confirmed": N_("Confirmed"),
    "waitlisted": N_("Waitlisted"),
    "rejected": N_("Rejected"),
    "cancelled": N_("Cancelled"),
}
EVENT_NAMES = {
    "Submitted": N_("Registered"),
    "Approved": N_("Approved"),
    "Waitlisted": N_("Waitlisted"),
    "Promoted": N_("Promoted"),
    "Rejected": N_("Rejected"),
    "Cancelled": N_("Cancelled"),
    "BadgeReissued": N_("Badge reissued"),
    "Corrected": N_("Corrected"),
    "Reinstated": N_("Reinstated"),
    "AnswersChanged": N_("Answers changed"),
    "PersonalDataErased": N_("Personal data erased"),
}
MAIL_KINDS = {
    "confirmed": N_("Confirmation"),
    "pending": N_("Received"),
    "waitlisted": N_("Waitlist"),
    "rejected": N_("Rejection"),
    "approved": N_("Approved"),
    "promoted": N_("Off the waitlist"),
    "cancelled": N_("Cancellation"),
    "badge_reissued": N_("New badge"),
}
"""What each guest mail is, as the dashboard names it (console messages)."""


def category_name(code: str) -> str:
    """Return a guest category's name in the page's language (its code if unknown)."""
    return gettext(CATEGORY_NAMES[code]) if code in CATEGORY_NAMES else code


def state_name(code: str) -> str:
    """Return a registration state's name in the page's language (its code if unknown)."""
    return gettext(STATE_NAMES[code]) if code in STATE_NAMES else code


def event_name(kind: str) -> str:
    """Return what a recorded event's type means, in the page's language."""
    return gettext(EVENT_NAMES[kind]) if kind in EVENT_NAMES else kind


def shown_time(at: datetime, zone: ZoneInfo, *, seconds: bool = False) -> str:
    """Return a moment as the page's language writes it, in the gathering's zone."""
    language = current_language()
    if not seconds:
        return when_text(at, zone.key, language)
    local = at.astimezone(zone)
    separator = SEPARATORS.get(language, ", ")
    return f"{day_text(local, zone.key, language)}{separator}{local:%H:%M:%S}"
