"""The ceremonies pages: the list by time, and one ceremony with its items and history.

A ceremony's title, time and place and its items are edited with forms that are shown
again with the typed values and a message naming each wrong field (422). Marking it
ready, recording the signing or the award, withdrawing it, removing and reordering items
are single posts through `act`. Every post carries the ceremony's version, so a ceremony
another organiser changed meanwhile is not overwritten. Signed or awarded: locked.
"""

from __future__ import annotations

from typing import Any

from flask import g, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from domain.ceremony import Ceremony, CeremonyState
from domain.roles import Permission
from events_app.context import services
from events_app.pages.console import questions
from events_app.pages.console.ceremony_checks import (
    DUPLICATE,
    IMPLAUSIBLE,
    already_planned,
    outside_day,
    plausible,
)
from events_app.pages.console.ceremony_item_form import load_item, shown_again, typed_item
from events_app.pages.console.ceremony_rendering import (
    ceremony_or_404,
    page_of,
    planning,
    render_ceremony,
    render_list,
    zone_of,
)
from events_app.pages.console.common import act, console_blueprint, form_version, gathering_or_404
from events_app.pages.console.planning_forms import (
    FormInvalid,
    attempt,
    aware_from_local,
    flash_invalid,
    found_or_404,
    load_form,
)
from events_app.pages.console.planning_labels import register_globals
from events_app.pages.sessions import organiser_page
from events_app.schemas.ceremonies import CeremonyDetailsSchema, CeremonyInSchema
from events_app.schemas.common import ReasonSchema
from events_app.services.planning import day_of

bp = console_blueprint("console_ceremonies", __name__)
register_globals(bp)


@bp.get("/ceremonies")
@organiser_page(Permission.VIEW)
def ceremonies(slug: str) -> str:
    """List the ceremonies by time, with their state."""
    return render_list(slug)


@bp.post("/ceremonies")
@organiser_page(Permission.PLAN)
def plan(slug: str) -> Any:
    """Plan a ceremony; a wrong field shows the form again with its message."""
    zone = zone_of(slug)
    values = {k: request.form.get(k, "") for k in CeremonyInSchema().fields}
    try:
        fields = load_form(CeremonyInSchema(), values, zone, times=("starts_at",))
    except FormInvalid as invalid:
        return render_list(slug, values, invalid.errors), 422
    if already_planned(slug, fields):  # e.g. the form sent twice by a double click
        return render_list(slug, values, {"form": gettext(DUPLICATE)}), 422
    planned: list[Ceremony] = []

    def plan_it() -> None:
        planned.append(planning().plan_ceremony(slug, g.organiser.label, **fields))

    response = attempt(
        plan_it,
        done=gettext("Ceremony planned: %(title)s.", title=fields["title_en"]),
        back=url_for("console_ceremonies.ceremonies", slug=slug),
        versions={},
        refused=lambda errors: (render_list(slug, values, errors), 422),
    )
    if planned and isinstance(response, Response):
        response.headers["Location"] = page_of(slug, planned[0])
    return response


@bp.get("/ceremonies/<ceremony_id>")
@organiser_page(Permission.VIEW)
def ceremony(slug: str, ceremony_id: str) -> str:
    """Show a ceremony: details, items, what can be done next, and its history."""
    return render_ceremony(slug, ceremony_or_404(slug, ceremony_id))


def change(
    slug: str,
    shown: Ceremony,
    action: Any,
    done: str,
    form: str,
    values: dict[str, Any],
) -> Any:
    """Run a form's change on the version seen, or show the form again with the refusal."""

    def refused(errors: dict[str, str]) -> tuple[str, int]:
        fresh = found_or_404(lambda: planning().ceremony(slug, shown.id))
        return render_ceremony(slug, fresh, form=form, values=values, errors=errors), 422

    return attempt(
        action,
        done=done,
        back=page_of(slug, shown),
        versions={shown.id: form_version()},
        refused=refused,
    )


@bp.post("/ceremonies/<ceremony_id>")
@organiser_page(Permission.PLAN)
def change_details(slug: str, ceremony_id: str) -> Any:
    """Change a ceremony's titles, time or place."""
    shown = ceremony_or_404(slug, ceremony_id)
    values = {k: request.form.get(k, "") for k in CeremonyDetailsSchema().fields}
    try:
        fields = load_form(CeremonyDetailsSchema(), values, zone_of(slug), times=("starts_at",))
    except FormInvalid as invalid:
        return render_ceremony(
            slug, shown, form="details", values=values, errors=invalid.errors
        ), 422
    return change(
        slug,
        shown,
        lambda: planning().change_ceremony(slug, shown.id, g.organiser.label, **fields),
        gettext("Ceremony details saved."),
        "details",
        values,
    )


@bp.post("/ceremonies/<ceremony_id>/items")
@organiser_page(Permission.PLAN)
def add_item(slug: str, ceremony_id: str) -> Any:
    """Add an agreement, pledge or award at the end of the ceremony."""
    shown = ceremony_or_404(slug, ceremony_id)
    typed = typed_item()
    try:
        item = load_item(typed, zone_of(slug))
    except FormInvalid as invalid:
        return render_ceremony(
            slug, shown, form="new-item", values=shown_again(typed), errors=invalid.errors
        ), 422
    return change(
        slug,
        shown,
        lambda: planning().add_ceremony_item(slug, shown.id, item, g.organiser.label),
        gettext("Item %(reference)s added.", reference=item.reference),
        "new-item",
        shown_again(typed),
    )


def item_or_404(ceremony: Ceremony, item_id: str) -> dict[str, Any]:
    """Return an item of the ceremony named in the URL, or answer 404."""
    return found_or_404(lambda: ceremony.item(item_id))  # type: ignore[no-any-return]


@bp.post("/ceremonies/<ceremony_id>/items/<item_id>")
@organiser_page(Permission.PLAN)
def change_item(slug: str, ceremony_id: str, item_id: str) -> Any:
    """Replace an item's reference, titles, parties, people or text."""
    shown = ceremony_or_404(slug, ceremony_id)
    item_or_404(shown, item_id)
    typed = typed_item()
    form = f"item-{item_id}"
    try:
        item = load_item(typed, zone_of(slug))
    except FormInvalid as invalid:
        return render_ceremony(
            slug, shown, form=form, values=shown_again(typed), errors=invalid.errors
        ), 422
    return change(
        slug,
        shown,
        lambda: planning().change_ceremony_item(slug, shown.id, item_id, item, g.organiser.label),
        gettext("Item %(reference)s saved.", reference=item.reference),
        form,
        shown_again(typed),
    )


@bp.post("/ceremonies/<ceremony_id>/items/<item_id>/remove")
@organiser_page(Permission.PLAN)
def remove_item(slug: str, ceremony_id: str, item_id: str) -> Response:
    """Take an item out of the ceremony."""
    shown = ceremony_or_404(slug, ceremony_id)
    item = item_or_404(shown, item_id)
    return act(
        lambda: planning().remove_ceremony_item(slug, shown.id, item_id, g.organiser.label),
        done=gettext("Item %(reference)s removed.", reference=item["reference"]),
        back=page_of(slug, shown),
        versions={shown.id: form_version()},
    )


@bp.post("/ceremonies/<ceremony_id>/items/<item_id>/move")
@organiser_page(Permission.PLAN)
def move_item(slug: str, ceremony_id: str, item_id: str) -> Response:
    """Move an item one place up or down in the ceremony's running order."""
    shown = ceremony_or_404(slug, ceremony_id)
    item_or_404(shown, item_id)
    order = [i["id"] for i in shown.items]
    at = order.index(item_id)
    step = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if step is None:
        return flash_invalid({"direction": gettext("choose up or down")}, page_of(slug, shown))
    to = min(max(at + step, 0), len(order) - 1)
    order[at], order[to] = order[to], order[at]
    return act(
        lambda: planning().reorder_ceremony_items(slug, shown.id, order, g.organiser.label),
        done=gettext("Items put in a new order."),
        back=page_of(slug, shown),
        versions={shown.id: form_version()},
    )


@bp.post("/ceremonies/<ceremony_id>/ready")
@organiser_page(Permission.PLAN)
def mark_ready(slug: str, ceremony_id: str) -> Response:
    """Approve the ceremony's documents."""
    shown = ceremony_or_404(slug, ceremony_id)
    return act(
        lambda: planning().mark_ceremony_ready(slug, shown.id, g.organiser.label),
        done=gettext("Documents approved: the ceremony is ready."),
        back=page_of(slug, shown),
        versions={shown.id: form_version()},
    )


@bp.post("/ceremonies/<ceremony_id>/complete")
@organiser_page(Permission.PLAN)
def complete(slug: str, ceremony_id: str) -> Response:
    """Record that the ceremony took place: signed, or awarded for an award."""
    shown = ceremony_or_404(slug, ceremony_id)
    raw = request.form.get("happened_at", "").strip()
    happened_at = None
    if raw:
        try:
            happened_at = aware_from_local(raw, zone_of(slug))
        except ValueError as error:
            return flash_invalid({"happened_at": str(error)}, page_of(slug, shown))
        if not plausible(happened_at, gathering_or_404(slug)):
            return flash_invalid({"happened_at": gettext(IMPLAUSIBLE)}, page_of(slug, shown))
    when = happened_at or services().box_office.clock()
    day = day_of(gathering_or_404(slug))
    if not day.allows(when):  # say so now rather than after the organiser confirmed
        return flash_invalid({"happened_at": outside_day(day)}, page_of(slug, shown))
    awarded = shown.completed_state is CeremonyState.AWARDED
    return act(
        lambda: planning().complete_ceremony(slug, shown.id, happened_at, g.organiser.label),
        done=gettext("Awards presented recorded; the ceremony is now locked.")
        if awarded
        else gettext("Signing recorded; the ceremony is now locked."),
        back=page_of(slug, shown),
        versions={shown.id: form_version()},
        ask=questions.complete(shown, when, zone_of(slug), page_of(slug, shown)),
    )


@bp.post("/ceremonies/<ceremony_id>/withdraw")
@organiser_page(Permission.PLAN)
def withdraw(slug: str, ceremony_id: str) -> Response:
    """Call the ceremony off."""
    shown = ceremony_or_404(slug, ceremony_id)
    try:
        reason = load_form(
            ReasonSchema(), {"reason": request.form.get("reason", "")}, zone_of(slug)
        )["reason"]
    except FormInvalid as invalid:
        return flash_invalid(invalid.errors, page_of(slug, shown))
    return act(
        lambda: planning().withdraw_ceremony(slug, shown.id, reason, g.organiser.label),
        done=gettext("Ceremony withdrawn."),
        back=page_of(slug, shown),
        versions={shown.id: form_version()},
    )
