"""The running-order page: what happens when and where, in the gathering's local time.

Items are added and edited with forms whose times are typed in the gathering's zone and
turned into aware datetimes; a wrong value, or an item that would take a place already
taken then (unless parallel), shows the form again with the typed values and the message
next to the field (422), and nothing is written. Every post carries the running order's
version, so a change another organiser saved meanwhile is not overwritten.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import g, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from domain.roles import Permission
from domain.running_order import AgendaItem, RunningOrder
from events_app.context import services
from events_app.pages.console.common import (
    act,
    console_blueprint,
    form_version,
    gathering_or_404,
    render_console,
)
from events_app.pages.console.planning_forms import (
    FormInvalid,
    attempt,
    found_or_404,
    load_form,
    local_input,
)
from events_app.pages.console.planning_history import history_rows
from events_app.pages.console.planning_labels import AGENDA_KINDS, register_globals
from events_app.pages.sessions import organiser_page
from events_app.presenters.planning import recorded_version
from events_app.schemas.running_order import AgendaItemInSchema, agenda_item_from
from events_app.services.planning import Planning

bp = console_blueprint("console_running_order", __name__)
register_globals(bp)
TEXT_FIELDS = (
    "starts_at",
    "ends_at",
    "title_en",
    "title_zh",
    "kind",
    "location",
    "speaker_name",
    "speaker_registration_id",
    "ceremony_id",
    "notes",
)


def planning() -> Planning:
    """Return the planning service."""
    return services().planning


def zone_of(slug: str) -> ZoneInfo:
    """Return the gathering's time zone (404 for an unknown gathering)."""
    return ZoneInfo(gathering_or_404(slug).timezone)


def running_order_of(slug: str) -> RunningOrder:
    """Return the gathering's running order, or answer 404 for an unknown gathering."""
    gathering_or_404(slug)
    return planning().running_order(slug)


def back(slug: str) -> str:
    """Return the running-order page's address."""
    return url_for("console_running_order.running_order", slug=slug)


def item_values(item: dict[str, Any], zone: ZoneInfo) -> dict[str, Any]:
    """Return a form's values for an item (times in the gathering's zone)."""
    return {
        **{name: str(item.get(name) or "") for name in TEXT_FIELDS},
        "starts_at": local_input(item.get("starts_at"), zone),
        "ends_at": local_input(item.get("ends_at"), zone),
        "parallel": bool(item.get("parallel")),
    }


def blank_values(slug: str, zone: ZoneInfo, running_order: RunningOrder) -> dict[str, Any]:
    """Return the add form: starting when the last item ends (or the gathering starts)."""
    gathering = gathering_or_404(slug)
    items = running_order.in_order()
    start = max((i["ends_at"] for i in items), default=gathering.starts_at)
    start = min(start, gathering.ends_at)
    return item_values({"starts_at": start, "ends_at": start, "kind": "speech"}, zone)


def typed_values() -> dict[str, Any]:
    """Return what the organiser typed in an item form."""
    return {
        **{name: request.form.get(name, "") for name in TEXT_FIELDS},
        "parallel": bool(request.form.get("parallel")),
    }


def load_item(typed: dict[str, Any], zone: ZoneInfo) -> AgendaItem:
    """Return the agenda item a form describes, or raise FormInvalid naming the fields."""
    data = {
        **typed,
        "speaker_registration_id": typed["speaker_registration_id"].strip() or None,
        "ceremony_id": typed["ceremony_id"].strip() or None,
    }
    fields = load_form(AgendaItemInSchema(), data, zone, times=("starts_at", "ends_at"))
    return agenda_item_from(fields)


def ceremonies_by_id(slug: str) -> dict[str, Any]:
    """Return the gathering's ceremonies by id (for the ceremony select and links)."""
    return {str(c.id): c for c in planning().ceremonies(slug)}


def render_list(
    slug: str, values: dict[str, Any] | None = None, errors: dict[str, str] | None = None
) -> str:
    """Render the running order with the add form."""
    zone = zone_of(slug)
    running_order = running_order_of(slug)
    return render_console(
        "console/running_order.html",
        slug,
        items=running_order.in_order(),
        version=recorded_version(running_order),
        kinds=AGENDA_KINDS,
        ceremonies=ceremonies_by_id(slug),
        values=values or blank_values(slug, zone, running_order),
        errors=errors or {},
    )


def render_edit(
    slug: str,
    item_id: str,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> str:
    """Render the edit form of one item."""
    zone = zone_of(slug)
    running_order = running_order_of(slug)
    item = found_or_404(lambda: running_order.item(item_id))
    return render_console(
        "console/running_order_item.html",
        slug,
        item=item,
        version=recorded_version(running_order),
        kinds=AGENDA_KINDS,
        ceremonies=ceremonies_by_id(slug),
        values=values or item_values(item, zone),
        errors=errors or {},
    )


@bp.get("/running-order")
@organiser_page(Permission.VIEW)
def running_order(slug: str) -> str:
    """Show the items by time, in the gathering's zone, with the add form."""
    return render_list(slug)


@bp.post("/running-order")
@organiser_page(Permission.PLAN)
def add(slug: str) -> Any:
    """Add an item; a wrong field or a taken place shows the form again (422)."""
    zone = zone_of(slug)
    shown = running_order_of(slug)
    typed = typed_values()
    try:
        item = load_item(typed, zone)
    except FormInvalid as invalid:
        return render_list(slug, typed, invalid.errors), 422
    return attempt(
        lambda: planning().schedule_item(slug, item, g.organiser.label),
        done=gettext("Added to the running order: %(title)s.", title=item.title_en),
        back=back(slug),
        versions={shown.id: form_version()},
        refused=lambda errors: (render_list(slug, typed, errors), 422),
    )


@bp.get("/running-order/<item_id>/edit")
@organiser_page(Permission.PLAN)
def edit(slug: str, item_id: str) -> str:
    """Show the edit form of one item."""
    return render_edit(slug, item_id)


@bp.post("/running-order/<item_id>")
@organiser_page(Permission.PLAN)
def change(slug: str, item_id: str) -> Any:
    """Replace an item's time, titles, kind, speaker or place."""
    zone = zone_of(slug)
    shown = running_order_of(slug)
    found_or_404(lambda: shown.item(item_id))
    typed = typed_values()
    try:
        item = load_item(typed, zone)
    except FormInvalid as invalid:
        return render_edit(slug, item_id, typed, invalid.errors), 422
    return attempt(
        lambda: planning().change_item(slug, item_id, item, g.organiser.label),
        done=gettext("Saved: %(title)s.", title=item.title_en),
        back=back(slug),
        versions={shown.id: form_version()},
        refused=lambda errors: (render_edit(slug, item_id, typed, errors), 422),
    )


@bp.post("/running-order/<item_id>/remove")
@organiser_page(Permission.PLAN)
def remove(slug: str, item_id: str) -> Response:
    """Take an item out of the running order."""
    shown = running_order_of(slug)
    item = found_or_404(lambda: shown.item(item_id))
    return act(
        lambda: planning().remove_item(slug, item_id, g.organiser.label),
        done=gettext("Removed from the running order: %(title)s.", title=item["title_en"]),
        back=back(slug),
        versions={shown.id: form_version()},
    )


@bp.get("/running-order/<item_id>/history")
@organiser_page(Permission.VIEW)
def history(slug: str, item_id: str) -> str:
    """Every change of one item (also after it was removed), in plain words."""
    zone = zone_of(slug)
    running_order_of(slug)
    changes = found_or_404(lambda: planning().history_of_item(slug, item_id))
    return render_console(
        "console/running_order_history.html",
        slug,
        item_id=item_id,
        title=title_of(changes),
        rows=history_rows(changes, zone.key),
    )


def title_of(changes: list[Any]) -> str:
    """Return the latest title an item had in its history."""
    titles = [c.data["item"]["title_en"] for c in changes if isinstance(c.data.get("item"), dict)]
    return titles[-1] if titles else ""
