"""Console pages: exports (the guest list and the check-ins as CSV files).

Both files are UTF-8 with a byte-order mark (so spreadsheet programs show Chinese), quoted
by the csv module, with formula-like cells defused, and named after the gathering and the
day in its time zone, e.g. `launch-2026-guest-list-2026-03-02.csv`.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, flash, redirect, request, url_for
from flask_babel import gettext

from domain.common import N_
from domain.gathering import Gathering
from domain.roles import Permission
from events_app.context import services
from events_app.pages.console.common import (
    console_blueprint,
    download,
    gathering_or_404,
    render_console,
)
from events_app.pages.console.registration_csv import (
    CHECK_IN_COLUMNS,
    check_in_rows,
    csv_bytes,
    guest_list_columns,
    guest_list_rows,
)
from events_app.pages.console.registrations import STATE_LABELS
from events_app.pages.console.words import category_name
from events_app.pages.sessions import organiser_page

bp = console_blueprint("console_exports", __name__)
CSV_TYPE = "text/csv; charset=utf-8"
UNKNOWN_STATE = N_("Not exported: unknown state “%(value)s”. Choose one from the list.")
UNKNOWN_CATEGORY = N_("Not exported: unknown category “%(value)s”. Choose one from the list.")


def filename(gathering: Gathering, what: str) -> str:
    """Return e.g. 'launch-2026-guest-list-2026-03-02.csv' (the day in the gathering's zone)."""
    today = services().box_office.clock().astimezone(ZoneInfo(gathering.timezone)).date()
    return f"{gathering.slug}-{what}-{today.isoformat()}.csv"


@bp.get("/exports")
@organiser_page(Permission.EXPORT_PERSONAL_DATA)
def exports(slug: str) -> str:
    """Offer the guest list and the check-ins as CSV downloads."""
    gathering = gathering_or_404(slug)
    return render_console(
        "console/exports.html",
        slug,
        gathering=gathering,
        states=STATE_LABELS,
        categories=[(name, category_name(name)) for name in gathering.categories],
    )


def chosen(values: list[str], allowed: Any, unknown_message: str) -> list[str] | None:
    """Return the filter values asked for, or None (after a message) when one is unknown."""
    picked = [value for value in values if value]
    unknown = [value for value in picked if value not in allowed]
    if unknown:
        flash(gettext(unknown_message, value=unknown[0][:40]), "error")
        return None
    return picked


@bp.get("/exports/guest-list.csv")
@organiser_page(Permission.EXPORT_PERSONAL_DATA)
def guest_list_csv(slug: str) -> Response | Any:
    """Download the guest list, optionally only some states and categories."""
    gathering = gathering_or_404(slug)
    states = chosen(request.args.getlist("state"), STATE_LABELS, UNKNOWN_STATE)
    categories = chosen(request.args.getlist("category"), gathering.categories, UNKNOWN_CATEGORY)
    if states is None or categories is None:
        return redirect(url_for("console_exports.exports", slug=slug), code=303)
    rows = guest_list_rows(
        services(),
        gathering,
        ZoneInfo(gathering.timezone),
        states=states,
        categories=categories,
    )
    questions = services().box_office.questionnaire_of(gathering.id).in_order(retired=True)
    columns = guest_list_columns(questions)
    return download(csv_bytes(columns, rows), filename(gathering, "guest-list"), CSV_TYPE)


@bp.get("/exports/check-ins.csv")
@organiser_page(Permission.EXPORT_PERSONAL_DATA)
def check_ins_csv(slug: str) -> Response:
    """Download every recorded scan and check-in, oldest first."""
    gathering = gathering_or_404(slug)
    rows = check_in_rows(services(), gathering, ZoneInfo(gathering.timezone))
    return download(csv_bytes(CHECK_IN_COLUMNS, rows), filename(gathering, "check-ins"), CSV_TYPE)
