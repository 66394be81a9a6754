"""The exhibition page: the booth map, firms waiting for a booth, and what to do with them.

Every action is a form post carrying the CSRF token and the version of the exhibition the
organiser saw, run through `act`: when another organiser changed one of the action's firms
or booths meanwhile, nothing is overwritten (changes to other booths, and staff badges
taken by guests, do not stand in the way). Firms' and booths' histories are told in plain
words.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from typing import Any
from uuid import UUID

from flask import g, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from domain.common import N_
from domain.exhibition import Exhibition
from domain.roles import Permission
from events_app.context import services
from events_app.pages.ask_first import Question
from events_app.pages.console import questions
from events_app.pages.console.common import (
    act,
    console_blueprint,
    form_version,
    gathering_or_404,
    render_console,
)
from events_app.pages.console.exhibition_conflicts import touching
from events_app.pages.console.exhibition_forms import (
    firm_or_404,
    form_firm,
    name_of,
    render_zone,
    slot_field,
    slot_of,
)
from events_app.pages.console.planning_forms import (
    FormInvalid,
    flash_invalid,
    found_or_404,
    load_form,
)
from events_app.pages.console.planning_history import firm_namer, history_rows
from events_app.pages.console.planning_labels import FIRM_STATES, register_globals
from events_app.pages.console.staff_code_rows import staff_code_rows
from events_app.pages.sessions import organiser_page
from events_app.presenters.planning import PLACED, exhibition_data, recorded_version
from events_app.schemas.common import ReasonSchema
from events_app.services.planning import Planning
from events_app.store.seen_versions import Seen

bp = console_blueprint("console_exhibition", __name__)
register_globals(bp)
NO_ZONE = N_("No zone")


def planning() -> Planning:
    """Return the planning service."""
    return services().planning


def exhibition_of(slug: str) -> Exhibition:
    """Return the gathering's exhibition, or answer 404 for an unknown gathering."""
    gathering_or_404(slug)
    return planning().exhibition(slug)


def back(slug: str) -> str:
    """Return the exhibition page's address."""
    return url_for("console_exhibition.exhibition", slug=slug)


def booth_map(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the slots grouped by zone, each slot with its firm (or none)."""
    firms = {str(f["id"]): f for f in data["firms"]}
    slots = [
        {**slot, "firm": firms.get(str(slot["firm_id"])) if slot["firm_id"] else None}
        for slot in data["slots"]
    ]
    slots.sort(key=lambda s: (s["zone"] or "~", s["code"]))
    return [
        {"zone": zone or gettext(NO_ZONE), "slots": list(group)}
        for zone, group in groupby(slots, key=lambda s: s["zone"])
    ]


@bp.get("/exhibition")
@organiser_page(Permission.VIEW)
def exhibition(slug: str) -> str:
    """Show the booth map, the firms and the actions on them."""
    shown = exhibition_of(slug)
    data = exhibition_data(shown)
    firms = data["firms"]
    gathering = gathering_or_404(slug)
    return render_console(
        "console/exhibition.html",
        slug,
        gathering=gathering,
        staff_codes=staff_code_rows(planning(), gathering, shown),
        data=data,
        zones=booth_map(data),
        version=recorded_version(shown),
        waiting=[f for f in firms if f["state"] == "applied"],
        placed=[f for f in firms if f["state"] in PLACED],
        free=data["free_slots"],
        firm_states=FIRM_STATES,
    )


def run(
    slug: str,
    action: Any,
    done: str,
    touches: Iterable[UUID | str | None],
    ask: Question | None = None,
) -> Response:
    """Run one action unless another organiser changed its firms or booths since seen."""
    shown = exhibition_of(slug)
    seen = form_version()
    expected = None if seen is None else Seen(seen, touching(*touches))
    return act(action, done=done, back=back(slug), versions={shown.id: expected}, ask=ask)


@bp.post("/exhibition/allocate")
@organiser_page(Permission.PLAN)
def allocate(slug: str) -> Response:
    """Give a firm without a booth a free slot."""
    shown = exhibition_of(slug)
    try:
        firm_id = form_firm(shown, "firm_id")
        slot = slot_field(slug)
    except FormInvalid as invalid:
        return flash_invalid(invalid.errors, back(slug))
    return run(
        slug,
        lambda: planning().allocate(slug, firm_id, slot, g.organiser.label),
        gettext(
            "Booth %(booth)s allocated to %(firm)s.",
            booth=slot.upper(),
            firm=name_of(shown, firm_id),
        ),
        (firm_id, slot),
    )


@bp.post("/exhibition/firms/<firm_id>/confirm")
@organiser_page(Permission.PLAN)
def confirm(slug: str, firm_id: str) -> Response:
    """Record that a firm accepts its booth."""
    shown = exhibition_of(slug)
    firm = firm_or_404(shown, firm_id)
    return run(
        slug,
        lambda: planning().confirm(slug, firm, g.organiser.label),
        gettext("%(firm)s confirmed its booth.", firm=name_of(shown, firm)),
        (firm, slot_of(shown, firm)),
    )


@bp.post("/exhibition/firms/<firm_id>/move")
@organiser_page(Permission.PLAN)
def move(slug: str, firm_id: str) -> Response:
    """Move a placed firm to a free booth."""
    shown = exhibition_of(slug)
    firm = firm_or_404(shown, firm_id)
    try:
        slot = slot_field(slug)
    except FormInvalid as invalid:
        return flash_invalid(invalid.errors, back(slug))
    return run(
        slug,
        lambda: planning().move(slug, firm, slot, g.organiser.label),
        gettext(
            "%(firm)s moved to booth %(booth)s.", firm=name_of(shown, firm), booth=slot.upper()
        ),
        (firm, slot_of(shown, firm), slot),
    )


@bp.post("/exhibition/swap")
@organiser_page(Permission.PLAN)
def swap(slug: str) -> Response:
    """Exchange the booths of two placed firms."""
    shown = exhibition_of(slug)
    try:
        first = form_firm(shown, "first_firm_id")
        second = form_firm(shown, "second_firm_id")
    except FormInvalid as invalid:
        return flash_invalid(invalid.errors, back(slug))
    return run(
        slug,
        lambda: planning().swap(slug, first, second, g.organiser.label),
        gettext(
            "%(first)s and %(second)s swapped booths.",
            first=name_of(shown, first),
            second=name_of(shown, second),
        ),
        (first, second, slot_of(shown, first), slot_of(shown, second)),
    )


@bp.post("/exhibition/firms/<firm_id>/withdraw")
@organiser_page(Permission.PLAN)
def withdraw(slug: str, firm_id: str) -> Response:
    """Withdraw a firm: its booth is freed and its staff registrations cancelled."""
    shown = exhibition_of(slug)
    firm = firm_or_404(shown, firm_id)
    try:
        reason = load_form(
            ReasonSchema(), {"reason": request.form.get("reason", "")}, render_zone(slug)
        )["reason"]
    except FormInvalid as invalid:
        return flash_invalid(invalid.errors, back(slug))
    return run(
        slug,
        lambda: planning().withdraw_firm(slug, firm, reason, g.organiser.label),
        gettext("%(firm)s withdrawn.", firm=name_of(shown, firm)),
        (firm, slot_of(shown, firm)),
        questions.withdraw_firm(
            name_of(shown, firm),
            slot_of(shown, firm),
            len(shown.staff_of(firm)),
            reason,
            back(slug),
        ),
    )


@bp.post("/exhibition/firms/<firm_id>/renew-code")
@organiser_page(Permission.PLAN)
def renew_code(slug: str, firm_id: str) -> Response:
    """Give a firm a new staff code: the old code and link stop working."""
    shown = exhibition_of(slug)
    firm = firm_or_404(shown, firm_id)
    return run(
        slug,
        lambda: planning().renew_staff_code(slug, firm, g.organiser.label),
        gettext("%(firm)s has a new staff code; send it to the firm.", firm=name_of(shown, firm)),
        (firm,),
        questions.renew_code(name_of(shown, firm), back(slug) + "#staff-codes"),
    )


@bp.get("/exhibition/firms/<firm_id>/history")
@organiser_page(Permission.VIEW)
def firm_history(slug: str, firm_id: str) -> str:
    """Every change that touched a firm, in plain words."""
    shown = exhibition_of(slug)
    firm = firm_or_404(shown, firm_id)
    changes = found_or_404(lambda: planning().history_of_firm(slug, firm))
    return render_console(
        "console/exhibition_history.html",
        slug,
        title=gettext("History of %(firm)s", firm=name_of(shown, firm)),
        rows=history_rows(changes, gathering_or_404(slug).timezone, firm_namer(shown)),
    )


@bp.get("/exhibition/slots/<code>/history")
@organiser_page(Permission.VIEW)
def slot_history(slug: str, code: str) -> str:
    """Every change that touched a booth (also a removed one), in plain words."""
    shown = exhibition_of(slug)
    changes = found_or_404(lambda: planning().history_of_slot(slug, code))
    key = code.strip().upper()
    return render_console(
        "console/exhibition_history.html",
        slug,
        title=gettext("History of booth %(booth)s", booth=key),
        rows=history_rows(changes, gathering_or_404(slug).timezone, firm_namer(shown)),
    )
