"""What the correction pages share: refusals in the page's language, the fields of each form."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext

from domain.common import N_
from domain.errors import DomainError
from domain.registration import Registration
from events_app.context import services
from events_app.pages.console.common import refused_message
from events_app.pages.console.words import category_name

REGISTRATION_FIELDS = (
    ("full_name", N_("Full name"), 200),
    ("name_zh", N_("Name in Chinese"), 100),
    ("organisation", N_("Organisation"), 200),
    ("job_title", N_("Job title"), 200),
    ("email", N_("E-mail"), 254),
    ("phone", N_("Phone"), 40),
    ("dietary", N_("Dietary requirements"), 500),
    ("accessibility", N_("Accessibility needs"), 500),
    ("notes", N_("Organisers' notes"), 1000),
)
"""The registration's edit form: (field, label, most characters); labels are messages."""
GATHERING_TEXTS = (
    ("title_en", N_("Title (English)"), 300),
    ("title_zh", N_("Title (Chinese)"), 300),
    ("venue", N_("Venue (English)"), 300),
    ("venue_zh", N_("Venue (Chinese)"), 300),
)
GATHERING_TIMES = (
    ("starts_at", N_("Starts at")),
    ("ends_at", N_("Ends at")),
    ("registration_opens_at", N_("Registration opens")),
    ("registration_closes_at", N_("Registration closes")),
)
FIELD_WORDS = {
    **{name: label for name, label, _limit in REGISTRATION_FIELDS},
    **{name: label for name, label, _limit in GATHERING_TEXTS},
    **dict(GATHERING_TIMES),
    "category": N_("Category"),
    "capacity": N_("Capacity"),
    "categories": N_("Categories"),
    "door_list_max_age_minutes": N_("Door list age limit (minutes)"),
    "retention_days": N_("Personal data kept after the end (days)"),
}
"""Each corrected field's name, a console message."""


def field_words(names: Any) -> str:
    """Return the names of these fields, listed in the page's language."""
    return gettext(", ").join(
        gettext(FIELD_WORDS[name]) if name in FIELD_WORDS else name for name in names
    )


def bilingual(error: DomainError) -> str:
    """Say why a correction was refused, in the page's language."""
    return refused_message(error)


def refusal_field(error: DomainError) -> dict[str, str]:
    """Return a refusal as the message of the field it names."""
    return {error.field or "form": refused_message(error)}


def form_values(form: Any, names: Any) -> dict[str, str]:
    """Return the posted values of these fields."""
    return {name: form.get(name, "") for name in names}


def full_category_note(result: Registration) -> str:
    """Name the full category when it, not the whole event, kept the guest from a seat."""
    app = services().box_office
    guest_list = app.guest_list(result.gathering_id)
    capacity = app.gathering_by_id(result.gathering_id).capacity_for(result.category)
    if guest_list.confirmed_count() >= capacity.overall:
        return ""
    return gettext(
        "All %(count)s %(category)s seats are taken (seats are left overall), so the "
        "registration is now on the waitlist.",
        count=capacity.category,
        category=category_name(result.category),
    )
