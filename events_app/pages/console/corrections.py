"""Console: correct a guest's details, reinstate a cancellation, print one guest's badge.

The edit form is checked with the API's schema and runs only on the version of the
registration the organiser opened; a refusal (an e-mail in use, a full category...) shows
the form again with the message beside the field, in the page's language, and
writes nothing. A corrected name keeps the badge valid; the guest's page then says the printed
badge is out of date and offers to print it again.
"""

from __future__ import annotations

from typing import IO, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext, ngettext

from domain.errors import DomainError
from domain.gathering import Gathering
from domain.registration import Registration, RegistrationState
from domain.roles import Permission
from events_app.context import services
from events_app.pages.console.common import (
    act,
    console_blueprint,
    form_version,
    refused_message,
    render_console,
)
from events_app.pages.console.correction_forms import (
    REGISTRATION_FIELDS,
    field_words,
    form_values,
    refusal_field,
)
from events_app.pages.console.planning_forms import FormInvalid, load_form
from events_app.pages.console.printing import CannotPrint, serve_pdf
from events_app.pages.console.registrations import find_registration, missing, registration_url
from events_app.pages.console.words import category_name, state_name
from events_app.pages.sessions import organiser_page
from events_app.schemas.corrections import RegistrationPatchSchema
from events_app.services.badge_print import badge_data, registration_badges
from events_app.services.badge_runs import due_badges, edition_of, prints_of, record_print
from events_app.services.corrections import Correction, Corrections
from printing.badges import render_badge

bp = console_blueprint("console_corrections", __name__)
FIELDS = [name for name, *_rest in REGISTRATION_FIELDS]


@bp.app_template_global()
def badge_status(registration: Registration) -> str:
    """Return 'none' (no badge), 'unprinted', 'printed' or 'outdated' (printed, since changed)."""
    if registration.state is not RegistrationState.CONFIRMED:
        return "none"
    prints = prints_of(services(), registration.gathering_id)
    printed = prints.printed.get(registration.id.hex) if prints else None
    if printed is None:
        return "unprinted"
    return "printed" if printed == edition_of(registration) else "outdated"


@bp.app_template_global()
def badges_due(gathering: Gathering) -> int:
    """Return how many confirmed guests' current badges were never printed."""
    return len(due_badges(services(), gathering))


def edit_page(
    slug: str,
    gathering: Gathering,
    found: Registration,
    values: dict[str, str],
    errors: dict[str, str],
    version: int | None,
) -> Any:
    """Render the edit form with these values and messages."""
    page = render_console(
        "console/registration_edit.html",
        slug,
        gathering=gathering,
        registration=found,
        fields=REGISTRATION_FIELDS,
        values=values,
        errors=errors,
        version=version,
        categories=[(n, category_name(n)) for n in gathering.categories],
    )
    return (page, 422) if errors else page


@bp.get("/registrations/<registration_id>/edit")
@organiser_page(Permission.MANAGE_REGISTRATIONS)
def edit(slug: str, registration_id: str) -> Any:
    """Show the form that corrects a guest's details and category."""
    gathering = services().box_office.gathering(slug)
    found = find_registration(gathering, registration_id)
    if found is None:
        return missing(slug, gathering)
    values = {name: str(found.details.get(name, "")) for name in FIELDS}
    values["category"] = found.category
    return edit_page(slug, gathering, found, values, {}, found.version)


@bp.post("/registrations/<registration_id>/edit")
@organiser_page(Permission.MANAGE_REGISTRATIONS)
def save(slug: str, registration_id: str) -> Any:
    """Correct a guest's details and category, on the version the form showed."""
    gathering = services().box_office.gathering(slug)
    found = find_registration(gathering, registration_id)
    if found is None:
        return missing(slug, gathering)
    values = form_values(request.form, [*FIELDS, "category"])
    posted = {k: v for k, v in values.items() if k != "email" or v.strip() or found.email}
    version = form_version()
    try:
        changes = load_form(RegistrationPatchSchema(), posted, ZoneInfo(gathering.timezone))
    except FormInvalid as invalid:
        return edit_page(slug, gathering, found, values, invalid.errors, version)

    def refused(error: DomainError) -> Any:
        return edit_page(slug, gathering, found, values, refusal_field(error), version)

    return act(
        lambda: Corrections(services().box_office).correct_registration(
            found.id, changes, g.organiser.label
        ),
        done=corrected,
        back=registration_url(slug, found.id),
        versions={found.id: version},
        refused=refused,
    )


def corrected(result: Correction) -> tuple[str, str]:
    """Word what a correction changed."""
    if not result.changed:
        return gettext("Nothing to change: the details were already so."), "ok"
    message = gettext("Corrected: %(fields)s.", fields=field_words(result.changed))
    return message + promoted_words(len(result.promoted)), "ok"


def promoted_words(promoted: int) -> str:
    """Say how many waitlisted guests a correction seated ('' when none)."""
    if not promoted:
        return ""
    return " " + ngettext(
        "%(num)d waitlisted guest now confirmed.",
        "%(num)d waitlisted guests now confirmed.",
        promoted,
    )


@bp.post("/registrations/<registration_id>/reinstate")
@organiser_page(Permission.MANAGE_REGISTRATIONS)
def reinstate(slug: str, registration_id: str) -> Any:
    """Reinstate a cancelled registration: confirmed if a seat is free, else waitlisted."""
    gathering = services().box_office.gathering(slug)
    found = find_registration(gathering, registration_id)
    if found is None:
        return missing(slug, gathering)
    back = registration_url(slug, found.id)

    def refused(error: DomainError) -> Any:
        flash(refused_message(error), "error")
        return redirect(back, code=303)

    return act(
        lambda: Corrections(services().box_office).reinstate(found.id, g.organiser.label),
        done=reinstated,
        back=back,
        versions={found.id: form_version()},
        refused=refused,
    )


def reinstated(result: Registration) -> tuple[str, str]:
    """Word where a reinstated registration stands."""
    if result.state is RegistrationState.WAITLISTED:
        return gettext("Reinstated on the waitlist (no seat was free)."), "error"
    return gettext("Reinstated and confirmed."), "ok"


@bp.get("/registrations/<registration_id>/badge.pdf")
@organiser_page(Permission.VIEW_DOCUMENTS)
def badge(slug: str, registration_id: str) -> Any:
    """Print one confirmed guest's badge (recorded as printed)."""
    gathering = services().box_office.gathering(slug)
    found = find_registration(gathering, registration_id)
    if found is None:
        return missing(slug, gathering)
    return print_badges(slug, gathering, [found], "single", f"badge-{found.id}.pdf")


def print_badges(
    slug: str, gathering: Gathering, chosen: list[Registration], kind: str, filename: str
) -> Any:
    """Send these guests' badges as one PDF (one card, or A4 sheets) and record the run."""

    def write(out: IO[bytes]) -> None:
        fresh = [services().box_office.registration(r.id) for r in chosen]
        if not fresh:
            raise CannotPrint(
                gettext("Every confirmed guest's badge has been printed already; nothing is new.")
            )
        for registration in fresh:
            if registration.state is not RegistrationState.CONFIRMED:
                raise CannotPrint(
                    gettext(
                        "Only confirmed guests have a badge; this one is %(state)s.",
                        state=state_name(registration.state.value),
                    ),
                    409,
                )
        if kind == "single":
            token = services().checkin.badge_token(fresh[0])
            out.write(render_badge(badge_data(gathering, fresh[0], token)))
        else:
            registration_badges(services(), gathering, fresh, out)
        record_print(services(), gathering.id, fresh, kind, g.organiser.label)

    return serve_pdf(slug, filename, write)


def badge_url(slug: str, registration_id: UUID) -> str:
    """Return the address of one guest's badge PDF."""
    return url_for("console_corrections.badge", slug=slug, registration_id=str(registration_id))


@bp.get("/printing/new-badges.pdf")
@organiser_page(Permission.PRINT)
def new_badges(slug: str) -> Any:
    """Print, as one PDF, every badge new or changed since it was last printed."""
    gathering = services().box_office.gathering(slug)
    due = due_badges(services(), gathering)
    return print_badges(slug, gathering, due, "new", f"new-badges-{slug}.pdf")
