"""Finding the registration a console URL names, within its gathering."""

from __future__ import annotations

from uuid import UUID

from flask import url_for

from domain.errors import NotFound
from domain.gathering import Gathering
from domain.registration import Registration
from events_app.context import services
from events_app.pages.console.common import render_console


def find_registration(gathering: Gathering, raw_id: str) -> Registration | None:
    """Return the gathering's registration named in a URL, or None (unknown or elsewhere)."""
    try:
        registration_id = UUID(raw_id)
    except ValueError:
        return None
    try:
        registration = services().box_office.registration(registration_id)
    except NotFound:
        return None
    return registration if registration.gathering_id == gathering.id else None


def missing(slug: str, gathering: Gathering) -> tuple[str, int]:
    """Answer 404 with a console page saying the registration is not found here."""
    return render_console("console/registrations_missing.html", slug, gathering=gathering), 404


def registration_url(slug: str, registration_id: UUID | str) -> str:
    """Return the address of a registration's console page."""
    return url_for(
        "console_registrations.registration", slug=slug, registration_id=str(registration_id)
    )
