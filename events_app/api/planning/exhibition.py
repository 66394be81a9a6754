"""Planning API of the exhibition: sectors, booth slots, firms and their histories."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.exhibition import BoothSlot, FirmProfile
from domain.roles import Permission
from events_app.api.auth import SECURITY, current_actor, organiser_required
from events_app.api.planning.blueprint import EXHIBITION, FIRM, bp, errors, planning
from events_app.presenters.planning import (
    exhibition_data,
    firm_data,
    firms_data,
    history_data,
    slot_data,
)
from events_app.schemas.changes import ChangeListSchema
from events_app.schemas.common import ReasonSchema
from events_app.schemas.exhibition import (
    ExhibitionSchema,
    FirmInSchema,
    FirmListSchema,
    FirmQuerySchema,
    FirmSchema,
    SectorListSchema,
    SectorSchema,
    SlotInSchema,
    SlotRefSchema,
    SlotSchema,
    SwapSchema,
)


def profile_from(fields: dict[str, Any]) -> FirmProfile:
    """Return the firm profile the request describes."""
    return FirmProfile(**fields)


# Exhibition ------------------------------------------------------------------------------


@bp.route(EXHIBITION, methods=["GET"])
@organiser_required(Permission.VIEW)
@bp.response(200, ExhibitionSchema)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def get_exhibition(slug: str) -> dict[str, Any]:
    """Return the exhibition: sectors, booth slots with their firms, firms with staff badges."""
    return exhibition_data(planning().exhibition(slug))


@bp.route(EXHIBITION + "/sectors", methods=["GET"])
@organiser_required(Permission.VIEW)
@bp.response(200, SectorListSchema)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def list_sectors(slug: str) -> dict[str, Any]:
    """List the sectors (life-health, ai-data, advanced-manufacturing and any added)."""
    return {"items": planning().exhibition(slug).sectors}


@bp.route(EXHIBITION + "/sectors", methods=["POST"])
@organiser_required(Permission.PLAN)
@bp.arguments(SectorSchema)
@bp.response(201, SectorListSchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def add_sector(fields: dict[str, Any], slug: str) -> dict[str, Any]:
    """Add a sector."""
    return {"items": planning().add_sector(slug, fields["sector"], current_actor()).sectors}


@bp.route(EXHIBITION + "/slots/<code>", methods=["PUT"])
@organiser_required(Permission.PLAN)
@bp.arguments(SlotInSchema)
@bp.response(200, SlotSchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def define_slot(fields: dict[str, Any], slug: str, code: str) -> dict[str, Any]:
    """Define a booth slot, or change its zone, floor, sector or size."""
    exhibition = planning().define_slot(slug, BoothSlot(code=code, **fields), current_actor())
    return slot_data(exhibition, code)


@bp.route(EXHIBITION + "/slots/<code>", methods=["DELETE"])
@organiser_required(Permission.PLAN)
@bp.response(204)
@errors(401, 403, 404, 409)
@bp.doc(security=SECURITY)
def remove_slot(slug: str, code: str) -> None:
    """Remove a free booth slot (409 `slot_taken` while a firm holds it)."""
    planning().remove_slot(slug, code, current_actor())


@bp.route(EXHIBITION + "/slots/<code>/history", methods=["GET"])
@organiser_required(Permission.VIEW)
@bp.response(200, ChangeListSchema)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def slot_history(slug: str, code: str) -> dict[str, Any]:
    """Every change that touched a booth slot: who allocated, moved or freed it, and when."""
    changes = planning().history_of_slot(slug, code)
    return history_data(f"booth {code.strip().upper()}", changes, planning().exhibition(slug))


@bp.route(EXHIBITION + "/firms", methods=["GET"])
@organiser_required(Permission.VIEW)
@bp.arguments(FirmQuerySchema, location="query")
@bp.response(200, FirmListSchema)
@errors(401, 403, 404, 422)
@bp.doc(security=SECURITY)
def list_firms(query: dict[str, Any], slug: str) -> dict[str, Any]:
    """List the firms by name, filtered by `state` and `sector` (repeatable)."""
    return {"items": firms_data(planning().exhibition(slug), query["state"], query["sector"])}


@bp.route(EXHIBITION + "/firms", methods=["POST"])
@organiser_required(Permission.PLAN)
@bp.arguments(FirmInSchema)
@bp.response(201, FirmSchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def apply_firm(fields: dict[str, Any], slug: str) -> dict[str, Any]:
    """Take in a firm's application to exhibit (state `applied`)."""
    firm_id, exhibition = planning().apply(slug, profile_from(fields), current_actor())
    return firm_data(exhibition, firm_id)


@bp.route(FIRM, methods=["GET"])
@organiser_required(Permission.VIEW)
@bp.response(200, FirmSchema)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def get_firm(slug: str, firm_id: UUID) -> dict[str, Any]:
    """Return one firm with its slot and staff badges."""
    return firm_data(planning().exhibition(slug), firm_id)


@bp.route(FIRM, methods=["PUT"])
@organiser_required(Permission.PLAN)
@bp.arguments(FirmInSchema)
@bp.response(200, FirmSchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def change_firm(fields: dict[str, Any], slug: str, firm_id: UUID) -> dict[str, Any]:
    """Change a firm's names, sector, description, contact or staff quota."""
    exhibition = planning().change_profile(slug, firm_id, profile_from(fields), current_actor())
    return firm_data(exhibition, firm_id)


@bp.route(FIRM + "/allocate", methods=["POST"])
@organiser_required(Permission.PLAN)
@bp.arguments(SlotRefSchema)
@bp.response(200, FirmSchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def allocate(fields: dict[str, Any], slug: str, firm_id: UUID) -> dict[str, Any]:
    """Give an applicant firm a free slot (409 `slot_taken`, `firm_already_placed`)."""
    exhibition = planning().allocate(slug, firm_id, fields["slot"], current_actor())
    return firm_data(exhibition, firm_id)


@bp.route(FIRM + "/confirm", methods=["POST"])
@organiser_required(Permission.PLAN)
@bp.response(200, FirmSchema)
@errors(401, 403, 404, 409)
@bp.doc(security=SECURITY)
def confirm(slug: str, firm_id: UUID) -> dict[str, Any]:
    """Record that the firm accepts its slot."""
    return firm_data(planning().confirm(slug, firm_id, current_actor()), firm_id)


@bp.route(FIRM + "/move", methods=["POST"])
@organiser_required(Permission.PLAN)
@bp.arguments(SlotRefSchema)
@bp.response(200, FirmSchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def move(fields: dict[str, Any], slug: str, firm_id: UUID) -> dict[str, Any]:
    """Move a placed firm to a free slot."""
    exhibition = planning().move(slug, firm_id, fields["slot"], current_actor())
    return firm_data(exhibition, firm_id)


@bp.route(EXHIBITION + "/swap", methods=["POST"])
@organiser_required(Permission.PLAN)
@bp.arguments(SwapSchema)
@bp.response(200, FirmListSchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def swap(fields: dict[str, Any], slug: str) -> dict[str, Any]:
    """Exchange the slots of two placed firms."""
    first, second = fields["first_firm_id"], fields["second_firm_id"]
    exhibition = planning().swap(slug, first, second, current_actor())
    return {"items": [firm_data(exhibition, first), firm_data(exhibition, second)]}


@bp.route(FIRM + "/withdraw", methods=["POST"])
@organiser_required(Permission.PLAN)
@bp.arguments(ReasonSchema, required=False)
@bp.response(200, FirmSchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def withdraw_firm(fields: dict[str, Any], slug: str, firm_id: UUID) -> dict[str, Any]:
    """Withdraw a firm: its slot becomes free and its staff registrations are cancelled."""
    exhibition = planning().withdraw_firm(slug, firm_id, fields.get("reason", ""), current_actor())
    return firm_data(exhibition, firm_id)


@bp.route(FIRM + "/history", methods=["GET"])
@organiser_required(Permission.VIEW)
@bp.response(200, ChangeListSchema)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def firm_history(slug: str, firm_id: UUID) -> dict[str, Any]:
    """Every change that touched a firm: application, slots, staff badges, withdrawal."""
    changes = planning().history_of_firm(slug, firm_id)
    return history_data(f"firm {firm_id}", changes, planning().exhibition(slug))
