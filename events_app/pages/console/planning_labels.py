"""Wording of the planning pages: states, kinds, field names, messages of the planning catalogue.

Each table holds English messages marked with `N_`; they are translated where they are
shown (`gettext`, or `_()` in the templates), in the request's language.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask_babel import gettext

from domain.common import N_
from events_app.languages import current_language
from events_app.languages.dates import day_text, when_text
from events_app.pages.labels import CATEGORY_NAMES

FIRM_STATES = {
    "applied": N_("Applied"),
    "allocated": N_("Allocated"),
    "confirmed": N_("Confirmed"),
    "withdrawn": N_("Withdrawn"),
}
CEREMONY_KINDS = {"signing": N_("Signing"), "pledge": N_("Pledge"), "award": N_("Award")}
CEREMONY_STATES = {
    "planned": N_("Planned"),
    "ready": N_("Ready"),
    "signed": N_("Signed"),
    "awarded": N_("Awarded"),
    "withdrawn": N_("Withdrawn"),
}
AGENDA_KINDS = {
    "speech": N_("Speech"),
    "ceremony": N_("Ceremony"),
    "exhibition": N_("Exhibition"),
    "tour": N_("Tour"),
    "reception": N_("Reception"),
    "other": N_("Other"),
}
FIELD_LABELS = {
    "form": N_("Form"),
    "firm_id": N_("Firm"),
    "first_firm_id": N_("First firm"),
    "second_firm_id": N_("Second firm"),
    "slot": N_("Booth"),
    "reason": N_("Reason"),
    "direction": N_("Direction"),
    "happened_at": N_("Happened at"),
    "kind": N_("Kind"),
    "title_en": N_("Title (English)"),
    "title_zh": N_("Title (Chinese)"),
    "starts_at": N_("Starts at"),
    "ends_at": N_("Ends at"),
    "location": N_("Location"),
    "reference": N_("Reference"),
    "parties": N_("Parties"),
    "people": N_("People"),
    "presenters": N_("Presented or witnessed by"),
    "authorities": N_("Issuing authorities"),
    "signatory": N_("Signatory"),
    "seal": N_("Seal"),
    "clauses": N_("Text"),
    "name_en": N_("Name (English)"),
    "name_zh": N_("Name (Chinese)"),
    "title": N_("Title"),
    "organisation": N_("Organisation"),
    "registration_id": N_("Registration id"),
    "speaker_name": N_("Speaker"),
    "speaker_registration_id": N_("Speaker's registration id"),
    "ceremony_id": N_("Ceremony staged"),
    "parallel": N_("Parallel"),
    "notes": N_("Notes"),
    "item": N_("Item"),
    "code": N_("Code"),
    "categories": N_("Admits"),
    "category_notes": N_("Notes for door staff"),
    "opens_at": N_("Opens at"),
    "closes_at": N_("Closes at"),
    "checkpoint": N_("Checkpoint"),
}
"""The name of each form field as the planning pages' messages call it."""


def field_label(name: str) -> str:
    """Return a form field's name in the request's language (as it is, when unknown)."""
    label = FIELD_LABELS.get(name)
    return gettext(label) if label else name.replace("_", " ")


def category_name(category: str) -> str:
    """Return a guest category's name in the request's language."""
    name = CATEGORY_NAMES.get(category)
    return gettext(name) if name else category


def shown(table: dict[str, str], key: str) -> str:
    """Return the translated label of `key` in one of the tables above (the key if unknown)."""
    label = table.get(key)
    return gettext(label) if label else key


def when(moment: Any, timezone: str, ends: Any = None) -> str:
    """Return a time (and the end of a span) as the request's language writes it."""
    return when_text(moment, timezone, current_language(), ends)


def day(moment: Any, timezone: str) -> str:
    """Return the day of a time at the venue as the request's language writes it."""
    return day_text(moment, timezone, current_language())


def register_globals(bp: Blueprint) -> None:
    """Let every template (and the macros they import) word fields, states and times."""
    for function in (field_label, category_name, shown, when, day):
        bp.add_app_template_global(function, function.__name__)
