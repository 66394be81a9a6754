"""Planning API of the ceremonies: their details, items, sign-off and histories."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.roles import Permission
from events_app.api.auth import SECURITY, current_actor, organiser_required
from events_app.api.planning.blueprint import CEREMONIES, CEREMONY, bp, errors, planning
from events_app.presenters.planning import ceremony_data, history_data
from events_app.schemas.ceremonies import (
    CeremonyDetailsSchema,
    CeremonyInSchema,
    CeremonyItemInSchema,
    CeremonyListSchema,
    CeremonySchema,
    CeremonyWithItemSchema,
    CompleteSchema,
    ReorderSchema,
    ceremony_item_from,
)
from events_app.schemas.changes import ChangeListSchema
from events_app.schemas.common import ReasonSchema


@bp.route(CEREMONIES, methods=["GET"])
@organiser_required(Permission.VIEW)
@bp.response(200, CeremonyListSchema)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def list_ceremonies(slug: str) -> dict[str, Any]:
    """List the ceremonies by time (withdrawn ones included)."""
    return {"items": [ceremony_data(c) for c in planning().ceremonies(slug)]}


@bp.route(CEREMONIES, methods=["POST"])
@organiser_required(Permission.PLAN)
@bp.arguments(CeremonyInSchema)
@bp.response(201, CeremonySchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def plan_ceremony(fields: dict[str, Any], slug: str) -> dict[str, Any]:
    """Plan a signing, pledge or award ceremony within the gathering's time."""
    return ceremony_data(planning().plan_ceremony(slug, current_actor(), **fields))


@bp.route(CEREMONY, methods=["GET"])
@organiser_required(Permission.VIEW)
@bp.response(200, CeremonySchema)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def get_ceremony(slug: str, ceremony_id: UUID) -> dict[str, Any]:
    """Return one ceremony with its items."""
    return ceremony_data(planning().ceremony(slug, ceremony_id))


@bp.route(CEREMONY, methods=["PUT"])
@organiser_required(Permission.PLAN)
@bp.arguments(CeremonyDetailsSchema)
@bp.response(200, CeremonySchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def change_ceremony(fields: dict[str, Any], slug: str, ceremony_id: UUID) -> dict[str, Any]:
    """Change the title, time or place (a ready ceremony goes back to planned)."""
    return ceremony_data(planning().change_ceremony(slug, ceremony_id, current_actor(), **fields))


@bp.route(CEREMONY + "/items", methods=["POST"])
@organiser_required(Permission.PLAN)
@bp.arguments(CeremonyItemInSchema)
@bp.response(201, CeremonyWithItemSchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def add_ceremony_item(fields: dict[str, Any], slug: str, ceremony_id: UUID) -> dict[str, Any]:
    """Add an agreement, pledge or award at the end of the ceremony's running order."""
    item_id, ceremony = planning().add_ceremony_item(
        slug, ceremony_id, ceremony_item_from(fields), current_actor()
    )
    return {**ceremony_data(ceremony), "item_id": item_id}


@bp.route(CEREMONY + "/items/<item_id>", methods=["PUT"])
@organiser_required(Permission.PLAN)
@bp.arguments(CeremonyItemInSchema)
@bp.response(200, CeremonySchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def change_ceremony_item(
    fields: dict[str, Any], slug: str, ceremony_id: UUID, item_id: str
) -> dict[str, Any]:
    """Replace an item's reference, titles, parties, people or text."""
    ceremony = planning().change_ceremony_item(
        slug, ceremony_id, item_id, ceremony_item_from(fields), current_actor()
    )
    return ceremony_data(ceremony)


@bp.route(CEREMONY + "/items/<item_id>", methods=["DELETE"])
@organiser_required(Permission.PLAN)
@bp.response(200, CeremonySchema)
@errors(401, 403, 404, 409)
@bp.doc(security=SECURITY)
def remove_ceremony_item(slug: str, ceremony_id: UUID, item_id: str) -> dict[str, Any]:
    """Take an item out of the ceremony."""
    ceremony = planning().remove_ceremony_item(slug, ceremony_id, item_id, current_actor())
    return ceremony_data(ceremony)


@bp.route(CEREMONY + "/reorder", methods=["POST"])
@organiser_required(Permission.PLAN)
@bp.arguments(ReorderSchema)
@bp.response(200, CeremonySchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def reorder_ceremony_items(fields: dict[str, Any], slug: str, ceremony_id: UUID) -> dict[str, Any]:
    """Put the items in a new order (every item id exactly once)."""
    ceremony = planning().reorder_ceremony_items(
        slug, ceremony_id, fields["order"], current_actor()
    )
    return ceremony_data(ceremony)


@bp.route(CEREMONY + "/ready", methods=["POST"])
@organiser_required(Permission.PLAN)
@bp.response(200, CeremonySchema)
@errors(401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def mark_ready(slug: str, ceremony_id: UUID) -> dict[str, Any]:
    """Approve the documents: every item names people and has its text."""
    return ceremony_data(planning().mark_ceremony_ready(slug, ceremony_id, current_actor()))


@bp.route(CEREMONY + "/complete", methods=["POST"])
@organiser_required(Permission.PLAN)
@bp.arguments(CompleteSchema, required=False)
@bp.response(200, CeremonySchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def complete(fields: dict[str, Any], slug: str, ceremony_id: UUID) -> dict[str, Any]:
    """Record that a ready ceremony took place: `signed`, or `awarded` for an award."""
    ceremony = planning().complete_ceremony(
        slug, ceremony_id, fields.get("happened_at"), current_actor()
    )
    return ceremony_data(ceremony)


@bp.route(CEREMONY + "/withdraw", methods=["POST"])
@organiser_required(Permission.PLAN)
@bp.arguments(ReasonSchema, required=False)
@bp.response(200, CeremonySchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def withdraw_ceremony(fields: dict[str, Any], slug: str, ceremony_id: UUID) -> dict[str, Any]:
    """Call a ceremony off (not once signed or awarded)."""
    ceremony = planning().withdraw_ceremony(
        slug, ceremony_id, fields.get("reason", ""), current_actor()
    )
    return ceremony_data(ceremony)


@bp.route(CEREMONY + "/history", methods=["GET"])
@organiser_required(Permission.VIEW)
@bp.response(200, ChangeListSchema)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def ceremony_history(slug: str, ceremony_id: UUID) -> dict[str, Any]:
    """Every change of a ceremony, with who signed it off and when."""
    return history_data(
        f"ceremony {ceremony_id}", planning().history_of_ceremony(slug, ceremony_id)
    )
