"""The guest's own data from their confirmation link: see it, download it, erase it.

"See my data" and "Download my data" show what `PersonalExport` gathers; "Erase my data"
says what goes and what stays, wants a tick, asks again (ask_first), then erases as
`guest`. Once erased, every page of the link answers 410 with a page saying so.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext

from domain.common import GUEST, N_
from domain.errors import AlreadyErased, DomainError, NotFound
from domain.gathering import Gathering
from domain.registration import Registration
from events_app.context import services
from events_app.errors import refusal_text
from events_app.pages import TEMPLATES, ask_first, csrf
from events_app.pages.guest.confirmation import ask_guest, guest_registration
from events_app.pages.personal_record import json_download, private, record_context
from events_app.services.authorisation import public
from events_app.services.personal_export import PersonalRecord

bp = Blueprint("guest_data", __name__, template_folder=TEMPLATES)

PREFIX = "/gatherings/<slug>/registrations/<token>"
EXPIRED = N_("This form has expired. Please submit it again.")
TICK = N_("Please tick the box to say you understand that this cannot be undone.")
REASON = "guest's request"


def erased_page(gathering: Gathering, notice: str = "") -> Response:
    """Answer 410: the guest's data were erased (`notice`: erased just now, or already)."""
    page = render_template("data_erased.html", gathering=gathering, notice=notice)
    return private(Response(page, status=410, mimetype="text/html"))


def gathered(registration: Registration) -> PersonalRecord | None:
    """Return what is held about the guest; None once erased (before, or just now)."""
    if registration.erased:
        return None
    try:
        return services().personal_export.gather(registration.id)
    except AlreadyErased:  # erased since the registration was read
        return None


def erase_question(slug: str, token: str) -> ask_first.Question:
    """Return what erasing asks the guest first, in the page's language."""
    return ask_first.Question(
        title=gettext("Erase your data?"),
        consequences=(
            gettext("Your name, contact details, notes and answers become unreadable for good."),
            gettext(
                "Your badge stops working at the door and your registration no longer shows here."
            ),
        ),
        yes=gettext("Yes, erase my data"),
        back=url_for("web.confirmation", slug=slug, token=token),
        warning=gettext("Nobody can undo this, not even the organisers."),
    )


@bp.get(PREFIX + "/my-data")
@public
def see(slug: str, token: str) -> Response:
    """Show the guest everything held about them, in the page's language."""
    gathering, registration = guest_registration(slug, token)
    record = gathered(registration)
    if record is None:
        return erased_page(gathering, "already")
    page = render_template(
        "personal_data.html", gathering=gathering, token=token, c=record_context(record)
    )
    return private(Response(page, mimetype="text/html"))


@bp.get(PREFIX + "/my-data.json")
@public
def download(slug: str, token: str) -> Response:
    """Send the guest everything held about them as a JSON file."""
    gathering, registration = guest_registration(slug, token)
    record = gathered(registration)
    if record is None:
        return erased_page(gathering, "already")
    return json_download(record.as_data())


@bp.get(PREFIX + "/erase")
@public
def ask_to_erase(slug: str, token: str) -> Response:
    """Say what erasing does and keeps, with the tick box and the button."""
    gathering, registration = guest_registration(slug, token)
    if registration.erased:
        return erased_page(gathering, "already")
    return erase_form(gathering, registration, token)


def erase_form(
    gathering: Gathering,
    registration: Registration,
    token: str,
    message: str = "",
    status: int = 200,
) -> Response:
    """Render the erase page, with `message` saying why nothing was done yet."""
    checkins = len(services().checkin_view.scans_of(str(registration.id)))
    page = render_template(
        "erase_my_data.html", gathering=gathering, token=token, checkins=checkins, message=message
    )
    return private(Response(page, status=status, mimetype="text/html"))


@bp.post(PREFIX + "/erase")
@public
def erase(slug: str, token: str) -> Response:
    """Erase the guest's data once they ticked the box and said yes on the question."""
    gathering, registration = guest_registration(slug, token)
    if registration.erased:
        return erased_page(gathering, "already")
    if not csrf.is_valid(request.form.get(csrf.FIELD)):
        return erase_form(gathering, registration, token, gettext(EXPIRED), 400)
    if request.form.get("understood") != "yes":
        return erase_form(gathering, registration, token, gettext(TICK), 422)
    if not ask_first.confirmed(request.form):
        page = ask_guest(gathering, erase_question(slug, token))
        return private(Response(page, mimetype="text/html"))
    try:
        services().personal_data.erase(registration.id, GUEST, REASON)
    except AlreadyErased:
        return erased_page(gathering, "already")
    except NotFound:
        abort(404)
    except DomainError as error:
        return erase_form(gathering, registration, token, refusal_text(error), 409)
    target = url_for("web.confirmation", slug=slug, token=token, notice="erased")
    return redirect(target, code=303)  # type: ignore[return-value]
