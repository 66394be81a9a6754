"""Wording of the guest pages: messages of the guest catalogue (events_app/languages)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext

from domain.common import N_


@dataclass(frozen=True)
class FormField:
    """One input of the registration form; `label` is a message of the guest catalogue."""

    name: str
    label: str
    kind: str = "text"
    required: bool = True
    max_length: int = 200
    autocomplete: str = ""


FORM_FIELDS = (
    FormField("full_name", N_("Full name"), autocomplete="name"),
    FormField("name_zh", N_("Name in Chinese"), required=False, max_length=100),
    FormField("organisation", N_("Organisation"), autocomplete="organization"),
    FormField("job_title", N_("Job title"), autocomplete="organization-title"),
    FormField("email", N_("E-mail"), kind="email", max_length=254, autocomplete="email"),
    FormField("phone", N_("Phone"), kind="tel", required=False, max_length=40, autocomplete="tel"),
    FormField(
        "dietary", N_("Dietary requirements"), kind="textarea", required=False, max_length=500
    ),
    FormField(
        "accessibility", N_("Accessibility needs"), kind="textarea", required=False, max_length=500
    ),
)

CATEGORY_NAMES = {
    "guest": N_("Guest"),
    "vip": N_("VIP"),
    "speaker": N_("Speaker"),
    "press": N_("Press"),
    "exhibitor": N_("Exhibitor"),
    "partner": N_("Partner"),
    "staff": N_("Staff"),
}
"""Each guest category's name, a message of the guest catalogue."""

STATE_TEXT = {
    "confirmed": N_("You are confirmed. We look forward to welcoming you."),
    "pending": N_("Your registration is awaiting approval by the organisers."),
    "waitlisted": N_(
        "The event is full, so you are on the waitlist. You will be confirmed "
        "automatically when a seat frees up."
    ),
    "rejected": N_("Your registration was not approved."),
    "cancelled": N_("Your registration is cancelled."),
}
"""What the confirmation page says of each state, a message of the guest catalogue."""

FIRM_MESSAGES = {
    "missing": N_("Please choose the firm you exhibit with."),
    "not_found": N_("This firm does not exhibit here; please choose one from the list."),
    "staff_quota_exceeded": N_("All staff badges of this firm are taken; please contact the firm."),
    "invalid_transition": N_("This firm cannot register staff at the moment."),
}
"""What the form says when exhibitor staff name no firm, an unknown one, or a full one."""


def firm_message(code: str) -> str:
    """Return the message for a refused firm choice (by error code), in the page's language."""
    if code in ("invalid_value", "validation_failed"):
        return gettext(FIRM_MESSAGES["missing"])
    return gettext(FIRM_MESSAGES.get(code, FIRM_MESSAGES["not_found"]))


def staff_code_message(firm_name: str) -> str:
    """Return the message for a staff code that is not the firm's current one."""
    return gettext(
        "This staff code is not valid for %(firm)s. Check it with your firm (it may have "
        "been renewed), or leave it blank to have the organisers approve your registration.",
        firm=firm_name,
    )
