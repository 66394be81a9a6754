"""Console: what is held about one guest, for an owner answering their request of access.

The same record as the guest's own "See my data" page, and its JSON file; a guest whose
data were erased has nothing left to export, which the page says (409).
"""

from __future__ import annotations

from typing import Any

from flask import Response

from domain.errors import AlreadyErased
from domain.roles import Permission
from events_app.context import services
from events_app.errors import refusal_text
from events_app.pages.console.common import console_blueprint, gathering_or_404, render_console
from events_app.pages.console.registration_lookup import find_registration, missing
from events_app.pages.personal_record import json_download, private, record_context
from events_app.pages.sessions import organiser_page

bp = console_blueprint("console_personal_data", __name__)


@bp.get("/registrations/<registration_id>/personal-data")
@organiser_page(Permission.EXPORT_PERSONAL_DATA)
def page(slug: str, registration_id: str) -> Any:
    """Show everything held about the guest, in the organiser's language."""
    gathering = gathering_or_404(slug)
    found = find_registration(gathering, registration_id)
    if found is None:
        return missing(slug, gathering)
    try:
        record = services().personal_export.gather(found.id)
    except AlreadyErased as error:
        shown = render_console(
            "console/personal_data.html",
            slug,
            gathering=gathering,
            registration_id=found.id,
            erased_message=refusal_text(error),
        )
        return private(Response(shown, status=409, mimetype="text/html"))
    shown = render_console(
        "console/personal_data.html",
        slug,
        gathering=gathering,
        registration_id=found.id,
        erased_message="",
        c=record_context(record),
    )
    return private(Response(shown, mimetype="text/html"))


@bp.get("/registrations/<registration_id>/personal-data.json")
@organiser_page(Permission.EXPORT_PERSONAL_DATA)
def download(slug: str, registration_id: str) -> Any:
    """Send everything held about the guest as a JSON file (409 page once erased)."""
    gathering = gathering_or_404(slug)
    found = find_registration(gathering, registration_id)
    if found is None:
        return missing(slug, gathering)
    try:
        return json_download(services().personal_export.gather(found.id).as_data())
    except AlreadyErased:
        return page(slug, registration_id)
