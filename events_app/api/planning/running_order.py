"""Planning API of the running order: the agenda items and their histories."""

from __future__ import annotations

from typing import Any

from domain.roles import Permission
from events_app.api.auth import SECURITY, current_actor, organiser_required
from events_app.api.planning.blueprint import AGENDA, bp, errors, planning
from events_app.presenters.planning import agenda_data, history_data
from events_app.schemas.changes import ChangeListSchema
from events_app.schemas.running_order import (
    AgendaItemInSchema,
    AgendaItemSchema,
    AgendaSchema,
    agenda_item_from,
)


@bp.route(AGENDA, methods=["GET"])
@organiser_required(Permission.VIEW)
@bp.response(200, AgendaSchema)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def get_agenda(slug: str) -> dict[str, Any]:
    """Return the running order by start time."""
    return agenda_data(planning().running_order(slug))


@bp.route(AGENDA, methods=["POST"])
@organiser_required(Permission.PLAN)
@bp.arguments(AgendaItemInSchema)
@bp.response(201, AgendaItemSchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def schedule_item(fields: dict[str, Any], slug: str) -> dict[str, Any]:
    """Schedule an item (409 `agenda_overlap` when its place is taken then, unless parallel)."""
    item_id, running_order = planning().schedule_item(
        slug, agenda_item_from(fields), current_actor()
    )
    return running_order.item(item_id)


@bp.route(AGENDA + "/<item_id>", methods=["GET"])
@organiser_required(Permission.VIEW)
@bp.response(200, AgendaItemSchema)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def get_agenda_item(slug: str, item_id: str) -> dict[str, Any]:
    """Return one item of the running order."""
    return planning().running_order(slug).item(item_id)


@bp.route(AGENDA + "/<item_id>", methods=["PUT"])
@organiser_required(Permission.PLAN)
@bp.arguments(AgendaItemInSchema)
@bp.response(200, AgendaItemSchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def change_agenda_item(fields: dict[str, Any], slug: str, item_id: str) -> dict[str, Any]:
    """Replace an item's time, titles, kind, speaker or place."""
    running_order = planning().change_item(slug, item_id, agenda_item_from(fields), current_actor())
    return running_order.item(item_id)


@bp.route(AGENDA + "/<item_id>", methods=["DELETE"])
@organiser_required(Permission.PLAN)
@bp.response(204)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def remove_agenda_item(slug: str, item_id: str) -> None:
    """Take an item out of the running order."""
    planning().remove_item(slug, item_id, current_actor())


@bp.route(AGENDA + "/<item_id>/history", methods=["GET"])
@organiser_required(Permission.VIEW)
@bp.response(200, ChangeListSchema)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def agenda_item_history(slug: str, item_id: str) -> dict[str, Any]:
    """Every change of one agenda item (also after it was removed)."""
    return history_data(f"agenda item {item_id}", planning().history_of_item(slug, item_id))
