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
from werkzeug.wrappers import Response

from domain.exhibition import Exhibition
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
    FIRM_STATES,
    FormInvalid,
    flash_invalid,
    found_or_404,
    history_rows,
    load_form,
)
from events_app.pages.console.staff_code_rows import staff_code_rows
from events_app.pages.sessions import organiser_page
from events_app.presenters.planning import PLACED, exhibition_data, history_data, recorded_version
from events_app.schemas.common import ReasonSchema
from events_app.services.planning import Planning
from events_app.store.seen_versions import Seen

bp = console_blueprint("console_exhibition", __name__)
NO_ZONE = "No zone 未分區"


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
        {"zone": zone or NO_ZONE, "slots": list(group)}
        for zone, group in groupby(slots, key=lambda s: s["zone"])
    ]


@bp.get("/exhibition")
@organiser_page
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
@organiser_page
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
        f"Booth {slot.upper()} allocated to {name_of(shown, firm_id)}. 已分配展位。",
        (firm_id, slot),
    )


@bp.post("/exhibition/firms/<firm_id>/confirm")
@organiser_page
def confirm(slug: str, firm_id: str) -> Response:
    """Record that a firm accepts its booth."""
    shown = exhibition_of(slug)
    firm = firm_or_404(shown, firm_id)
    return run(
        slug,
        lambda: planning().confirm(slug, firm, g.organiser.label),
        f"{name_of(shown, firm)} confirmed its booth. 已確認展位。",
        (firm, slot_of(shown, firm)),
    )


@bp.post("/exhibition/firms/<firm_id>/move")
@organiser_page
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
        f"{name_of(shown, firm)} moved to booth {slot.upper()}. 已調動展位。",
        (firm, slot_of(shown, firm), slot),
    )


@bp.post("/exhibition/swap")
@organiser_page
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
        f"{name_of(shown, first)} and {name_of(shown, second)} swapped booths. 已互換展位。",
        (first, second, slot_of(shown, first), slot_of(shown, second)),
    )


@bp.post("/exhibition/firms/<firm_id>/withdraw")
@organiser_page
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
        f"{name_of(shown, firm)} withdrawn. 企業已退出。",
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
@organiser_page
def renew_code(slug: str, firm_id: str) -> Response:
    """Give a firm a new staff code: the old code and link stop working."""
    shown = exhibition_of(slug)
    firm = firm_or_404(shown, firm_id)
    return run(
        slug,
        lambda: planning().renew_staff_code(slug, firm, g.organiser.label),
        f"{name_of(shown, firm)} has a new staff code; send it to the firm. "
        "已更新人員代碼，請通知該企業。",
        (firm,),
        questions.renew_code(name_of(shown, firm), back(slug) + "#staff-codes"),
    )


@bp.get("/exhibition/firms/<firm_id>/history")
@organiser_page
def firm_history(slug: str, firm_id: str) -> str:
    """Every change that touched a firm, in plain words."""
    shown = exhibition_of(slug)
    firm = firm_or_404(shown, firm_id)
    changes = found_or_404(lambda: planning().history_of_firm(slug, firm))
    history = history_data(name_of(shown, firm), changes, shown)
    return render_console(
        "console/exhibition_history.html",
        slug,
        title_en=f"History of {name_of(shown, firm)}",
        title_zh="企業記錄",
        rows=history_rows(history, render_zone(slug)),
    )


@bp.get("/exhibition/slots/<code>/history")
@organiser_page
def slot_history(slug: str, code: str) -> str:
    """Every change that touched a booth (also a removed one), in plain words."""
    shown = exhibition_of(slug)
    changes = found_or_404(lambda: planning().history_of_slot(slug, code))
    key = code.strip().upper()
    history = history_data(f"booth {key}", changes, shown)
    return render_console(
        "console/exhibition_history.html",
        slug,
        title_en=f"History of booth {key}",
        title_zh="展位記錄",
        rows=history_rows(history, render_zone(slug)),
    )
