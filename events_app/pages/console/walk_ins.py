"""Console: a walk-in at the desk is registered, checked in and badged in one flow.

One form (name, Chinese name, organisation, category, optional e-mail, the checkpoint
the guest enters by). The guest is confirmed at once, whatever the registration window
or approval rule, if a seat is free; the check-in is recorded as a manual check-in at the
chosen checkpoint by the organiser's desk. The result page offers the badge PDF.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from flask import g, redirect, request, url_for
from flask_babel import gettext
from marshmallow import Schema

from domain.attendance import Attendance
from domain.common import N_
from domain.errors import DomainError, NotFound
from domain.gathering import Gathering
from domain.registration import GuestDetails
from domain.roles import Permission
from events_app.context import services
from events_app.pages.console.common import console_blueprint, render_console
from events_app.pages.console.correction_forms import form_values, refusal_field
from events_app.pages.console.planning_forms import FormInvalid, load_form
from events_app.pages.console.registrations import find_registration, missing
from events_app.pages.console.words import category_name
from events_app.pages.sessions import organiser_page
from events_app.schemas.common import TrimmedEmail, optional_text, required_text
from events_app.services.walk_ins import WalkIns

bp = console_blueprint("console_walk_ins", __name__)
FIELDS = ("full_name", "name_zh", "organisation", "email", "category", "checkpoint", "walk_in")
CONSENT = N_("the guest must agree to the use of their data")
WALK_IN_FIELDS = (
    ("full_name", N_("Full name"), 200, True),
    ("name_zh", N_("Name in Chinese"), 100, False),
    ("organisation", N_("Organisation"), 200, True),
    ("email", N_("E-mail"), 254, False),
)
"""The form's text inputs: (field, label, most characters, required); labels are messages."""


class WalkInSchema(Schema):
    """What the desk asks a walk-in."""

    full_name = required_text(200)
    name_zh = optional_text(100)
    organisation = required_text(200)
    email = TrimmedEmail(load_default="")
    category = required_text(40)
    checkpoint = required_text(40)


def form_page(gathering: Gathering, values: dict[str, str], errors: dict[str, str]) -> Any:
    """Render the walk-in form."""
    checkpoints = [gathering.checkpoint(code) for code in gathering.checkpoints]
    page = render_console(
        "console/walk_in.html",
        gathering.slug,
        gathering=gathering,
        values=values,
        errors=errors,
        categories=[(n, category_name(n)) for n in gathering.categories],
        checkpoints=checkpoints,
        fields=WALK_IN_FIELDS,
    )
    return (page, 422) if errors else page


@bp.get("/walk-ins")
@organiser_page(Permission.CHECK_IN)
def walk_in(slug: str) -> Any:
    """Show the walk-in form."""
    gathering = services().box_office.gathering(slug)
    values = dict.fromkeys(FIELDS, "")
    values["category"] = "guest" if "guest" in gathering.categories else ""
    values["checkpoint"] = next(iter(gathering.checkpoints), "")
    values["walk_in"] = str(uuid4())  # the same form sent twice registers once
    return form_page(gathering, values, {})


@bp.post("/walk-ins")
@organiser_page(Permission.CHECK_IN)
def admit(slug: str) -> Any:
    """Register the walk-in, check them in, and show the result with the badge."""
    gathering = services().box_office.gathering(slug)
    values = form_values(request.form, FIELDS)
    data = {k: v for k, v in values.items() if k != "walk_in" and (k != "email" or v.strip())}
    errors: dict[str, str] = {}
    try:
        fields = load_form(WalkInSchema(), data, ZoneInfo(gathering.timezone))
    except FormInvalid as invalid:
        errors, fields = invalid.errors, {}
    if request.form.get("consent") != "1":
        errors["consent"] = gettext(CONSENT)
    if errors:
        return form_page(gathering, values, errors)
    category, checkpoint = fields.pop("category"), fields.pop("checkpoint")
    details = GuestDetails(job_title="", consent=True, **fields)
    desk = WalkIns(services().box_office, services().checkin)
    try:
        done = desk.admit(
            slug, details, category, checkpoint, g.organiser.label, form_id(values["walk_in"])
        )
    except DomainError as error:
        return form_page(gathering, values, refusal_field(error))
    target = url_for("console_walk_ins.result", slug=slug, registration_id=done.registration.id)
    return redirect(target, code=303)


@bp.get("/walk-ins/<registration_id>")
@organiser_page(Permission.CHECK_IN)
def result(slug: str, registration_id: str) -> Any:
    """Show a walk-in's registration and check-in, with their badge to print."""
    gathering = services().box_office.gathering(slug)
    found = find_registration(gathering, registration_id)
    if found is None:
        return missing(slug, gathering)
    return render_console(
        "console/walk_in_done.html",
        slug,
        gathering=gathering,
        registration=found,
        category_label=category_name(found.category),
        entries=entries_of(found.id),
    )


def form_id(raw: str) -> UUID:
    """Return the walk-in's id the form carries (a new one if it carries none)."""
    try:
        return UUID(raw)
    except ValueError:
        return uuid4()


def entries_of(registration_id: UUID) -> list[tuple[str, Any]]:
    """Return where and when the guest was checked in: (checkpoint, first entry)."""
    try:
        attendance = services().box_office.load(
            Attendance, Attendance.create_id(registration_id), "attendance"
        )
    except NotFound:
        return []
    return sorted(attendance.first_entry.items())
