"""Planning API (organiser): the exhibition, the ceremonies and the running order.

Each view validates its input, makes one Planning call and serialises the answer.
Refused commands raise domain errors, which events_app.errors turns into 4xx answers.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.exhibition import BoothSlot, FirmProfile
from events_app.api.auth import SECURITY, current_actor, organiser_required
from events_app.api.docs import error_docs
from events_app.api.parsing import Blueprint
from events_app.context import services
from events_app.presenters.planning import (
    agenda_data,
    ceremony_data,
    exhibition_data,
    firm_data,
    firms_data,
    history_data,
    slot_data,
)
from events_app.schemas.common import ReasonSchema
from events_app.schemas.planning import (
    AgendaItemInSchema,
    AgendaItemSchema,
    AgendaSchema,
    CeremonyDetailsSchema,
    CeremonyInSchema,
    CeremonyItemInSchema,
    CeremonyListSchema,
    CeremonySchema,
    CeremonyWithItemSchema,
    ChangeListSchema,
    CompleteSchema,
    ExhibitionSchema,
    FirmInSchema,
    FirmListSchema,
    FirmQuerySchema,
    FirmSchema,
    ReorderSchema,
    SectorListSchema,
    SectorSchema,
    SlotInSchema,
    SlotRefSchema,
    SlotSchema,
    SwapSchema,
    agenda_item_from,
    ceremony_item_from,
)
from events_app.services.planning import Planning

bp = Blueprint(
    "planning",
    __name__,
    description="Exhibition (booth slots, firms, staff quotas), ceremonies and the running order "
    "(organiser). Every change is a domain event; each slot, firm, ceremony and agenda item "
    "has its history.",
)
errors = error_docs(bp)

EXHIBITION = "/gatherings/<slug>/exhibition"
FIRM = EXHIBITION + "/firms/<uuid:firm_id>"
CEREMONIES = "/gatherings/<slug>/ceremonies"
CEREMONY = CEREMONIES + "/<uuid:ceremony_id>"
AGENDA = "/gatherings/<slug>/agenda"


def planning() -> Planning:
    """Return the planning service of the current app."""
    return services().planning


# Converting validated input to domain values ----------------------------------------------


def profile_from(fields: dict[str, Any]) -> FirmProfile:
    """Return the firm profile the request describes."""
    return FirmProfile(**fields)


# Exhibition ------------------------------------------------------------------------------


@bp.route(EXHIBITION, methods=["GET"])
@organiser_required
@bp.response(200, ExhibitionSchema)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def get_exhibition(slug: str) -> dict[str, Any]:
    """Return the exhibition: sectors, booth slots with their firms, firms with staff badges."""
    return exhibition_data(planning().exhibition(slug))


@bp.route(EXHIBITION + "/sectors", methods=["GET"])
@organiser_required
@bp.response(200, SectorListSchema)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def list_sectors(slug: str) -> dict[str, Any]:
    """List the sectors (life-health, ai-data, advanced-manufacturing and any added)."""
    return {"items": planning().exhibition(slug).sectors}


@bp.route(EXHIBITION + "/sectors", methods=["POST"])
@organiser_required
@bp.arguments(SectorSchema)
@bp.response(201, SectorListSchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def add_sector(fields: dict[str, Any], slug: str) -> dict[str, Any]:
    """Add a sector."""
    return {"items": planning().add_sector(slug, fields["sector"], current_actor()).sectors}


@bp.route(EXHIBITION + "/slots/<code>", methods=["PUT"])
@organiser_required
@bp.arguments(SlotInSchema)
@bp.response(200, SlotSchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def define_slot(fields: dict[str, Any], slug: str, code: str) -> dict[str, Any]:
    """Define a booth slot, or change its zone, floor, sector or size."""
    exhibition = planning().define_slot(slug, BoothSlot(code=code, **fields), current_actor())
    return slot_data(exhibition, code)


@bp.route(EXHIBITION + "/slots/<code>", methods=["DELETE"])
@organiser_required
@bp.response(204)
@errors(401, 403, 404, 409)
@bp.doc(security=SECURITY)
def remove_slot(slug: str, code: str) -> None:
    """Remove a free booth slot (409 `slot_taken` while a firm holds it)."""
    planning().remove_slot(slug, code, current_actor())


@bp.route(EXHIBITION + "/slots/<code>/history", methods=["GET"])
@organiser_required
@bp.response(200, ChangeListSchema)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def slot_history(slug: str, code: str) -> dict[str, Any]:
    """Every change that touched a booth slot: who allocated, moved or freed it, and when."""
    changes = planning().history_of_slot(slug, code)
    return history_data(f"booth {code.strip().upper()}", changes, planning().exhibition(slug))


@bp.route(EXHIBITION + "/firms", methods=["GET"])
@organiser_required
@bp.arguments(FirmQuerySchema, location="query")
@bp.response(200, FirmListSchema)
@errors(401, 403, 404, 422)
@bp.doc(security=SECURITY)
def list_firms(query: dict[str, Any], slug: str) -> dict[str, Any]:
    """List the firms by name, filtered by `state` and `sector` (repeatable)."""
    return {"items": firms_data(planning().exhibition(slug), query["state"], query["sector"])}


@bp.route(EXHIBITION + "/firms", methods=["POST"])
@organiser_required
@bp.arguments(FirmInSchema)
@bp.response(201, FirmSchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def apply_firm(fields: dict[str, Any], slug: str) -> dict[str, Any]:
    """Take in a firm's application to exhibit (state `applied`)."""
    firm_id, exhibition = planning().apply(slug, profile_from(fields), current_actor())
    return firm_data(exhibition, firm_id)


@bp.route(FIRM, methods=["GET"])
@organiser_required
@bp.response(200, FirmSchema)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def get_firm(slug: str, firm_id: UUID) -> dict[str, Any]:
    """Return one firm with its slot and staff badges."""
    return firm_data(planning().exhibition(slug), firm_id)


@bp.route(FIRM, methods=["PUT"])
@organiser_required
@bp.arguments(FirmInSchema)
@bp.response(200, FirmSchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def change_firm(fields: dict[str, Any], slug: str, firm_id: UUID) -> dict[str, Any]:
    """Change a firm's names, sector, description, contact or staff quota."""
    exhibition = planning().change_profile(slug, firm_id, profile_from(fields), current_actor())
    return firm_data(exhibition, firm_id)


@bp.route(FIRM + "/allocate", methods=["POST"])
@organiser_required
@bp.arguments(SlotRefSchema)
@bp.response(200, FirmSchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def allocate(fields: dict[str, Any], slug: str, firm_id: UUID) -> dict[str, Any]:
    """Give an applicant firm a free slot (409 `slot_taken`, `firm_already_placed`)."""
    exhibition = planning().allocate(slug, firm_id, fields["slot"], current_actor())
    return firm_data(exhibition, firm_id)


@bp.route(FIRM + "/confirm", methods=["POST"])
@organiser_required
@bp.response(200, FirmSchema)
@errors(401, 403, 404, 409)
@bp.doc(security=SECURITY)
def confirm(slug: str, firm_id: UUID) -> dict[str, Any]:
    """Record that the firm accepts its slot."""
    return firm_data(planning().confirm(slug, firm_id, current_actor()), firm_id)


@bp.route(FIRM + "/move", methods=["POST"])
@organiser_required
@bp.arguments(SlotRefSchema)
@bp.response(200, FirmSchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def move(fields: dict[str, Any], slug: str, firm_id: UUID) -> dict[str, Any]:
    """Move a placed firm to a free slot."""
    exhibition = planning().move(slug, firm_id, fields["slot"], current_actor())
    return firm_data(exhibition, firm_id)


@bp.route(EXHIBITION + "/swap", methods=["POST"])
@organiser_required
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
@organiser_required
@bp.arguments(ReasonSchema, required=False)
@bp.response(200, FirmSchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def withdraw_firm(fields: dict[str, Any], slug: str, firm_id: UUID) -> dict[str, Any]:
    """Withdraw a firm: its slot becomes free and its staff registrations are cancelled."""
    exhibition = planning().withdraw_firm(slug, firm_id, fields.get("reason", ""), current_actor())
    return firm_data(exhibition, firm_id)


@bp.route(FIRM + "/history", methods=["GET"])
@organiser_required
@bp.response(200, ChangeListSchema)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def firm_history(slug: str, firm_id: UUID) -> dict[str, Any]:
    """Every change that touched a firm: application, slots, staff badges, withdrawal."""
    changes = planning().history_of_firm(slug, firm_id)
    return history_data(f"firm {firm_id}", changes, planning().exhibition(slug))


# Ceremonies ----------------------------------------------------------------------------


@bp.route(CEREMONIES, methods=["GET"])
@organiser_required
@bp.response(200, CeremonyListSchema)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def list_ceremonies(slug: str) -> dict[str, Any]:
    """List the ceremonies by time (withdrawn ones included)."""
    return {"items": [ceremony_data(c) for c in planning().ceremonies(slug)]}


@bp.route(CEREMONIES, methods=["POST"])
@organiser_required
@bp.arguments(CeremonyInSchema)
@bp.response(201, CeremonySchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def plan_ceremony(fields: dict[str, Any], slug: str) -> dict[str, Any]:
    """Plan a signing, pledge or award ceremony within the gathering's time."""
    return ceremony_data(planning().plan_ceremony(slug, current_actor(), **fields))


@bp.route(CEREMONY, methods=["GET"])
@organiser_required
@bp.response(200, CeremonySchema)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def get_ceremony(slug: str, ceremony_id: UUID) -> dict[str, Any]:
    """Return one ceremony with its items."""
    return ceremony_data(planning().ceremony(slug, ceremony_id))


@bp.route(CEREMONY, methods=["PUT"])
@organiser_required
@bp.arguments(CeremonyDetailsSchema)
@bp.response(200, CeremonySchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def change_ceremony(fields: dict[str, Any], slug: str, ceremony_id: UUID) -> dict[str, Any]:
    """Change the title, time or place (a ready ceremony goes back to planned)."""
    return ceremony_data(planning().change_ceremony(slug, ceremony_id, current_actor(), **fields))


@bp.route(CEREMONY + "/items", methods=["POST"])
@organiser_required
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
@organiser_required
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
@organiser_required
@bp.response(200, CeremonySchema)
@errors(401, 403, 404, 409)
@bp.doc(security=SECURITY)
def remove_ceremony_item(slug: str, ceremony_id: UUID, item_id: str) -> dict[str, Any]:
    """Take an item out of the ceremony."""
    ceremony = planning().remove_ceremony_item(slug, ceremony_id, item_id, current_actor())
    return ceremony_data(ceremony)


@bp.route(CEREMONY + "/reorder", methods=["POST"])
@organiser_required
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
@organiser_required
@bp.response(200, CeremonySchema)
@errors(401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def mark_ready(slug: str, ceremony_id: UUID) -> dict[str, Any]:
    """Approve the documents: every item names people and has its text."""
    return ceremony_data(planning().mark_ceremony_ready(slug, ceremony_id, current_actor()))


@bp.route(CEREMONY + "/complete", methods=["POST"])
@organiser_required
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
@organiser_required
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
@organiser_required
@bp.response(200, ChangeListSchema)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def ceremony_history(slug: str, ceremony_id: UUID) -> dict[str, Any]:
    """Every change of a ceremony, with who signed it off and when."""
    return history_data(
        f"ceremony {ceremony_id}", planning().history_of_ceremony(slug, ceremony_id)
    )


# Running order ----------------------------------------------------------------------------


@bp.route(AGENDA, methods=["GET"])
@organiser_required
@bp.response(200, AgendaSchema)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def get_agenda(slug: str) -> dict[str, Any]:
    """Return the running order by start time."""
    return agenda_data(planning().running_order(slug))


@bp.route(AGENDA, methods=["POST"])
@organiser_required
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
@organiser_required
@bp.response(200, AgendaItemSchema)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def get_agenda_item(slug: str, item_id: str) -> dict[str, Any]:
    """Return one item of the running order."""
    return planning().running_order(slug).item(item_id)


@bp.route(AGENDA + "/<item_id>", methods=["PUT"])
@organiser_required
@bp.arguments(AgendaItemInSchema)
@bp.response(200, AgendaItemSchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def change_agenda_item(fields: dict[str, Any], slug: str, item_id: str) -> dict[str, Any]:
    """Replace an item's time, titles, kind, speaker or place."""
    running_order = planning().change_item(slug, item_id, agenda_item_from(fields), current_actor())
    return running_order.item(item_id)


@bp.route(AGENDA + "/<item_id>", methods=["DELETE"])
@organiser_required
@bp.response(204)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def remove_agenda_item(slug: str, item_id: str) -> None:
    """Take an item out of the running order."""
    planning().remove_item(slug, item_id, current_actor())


@bp.route(AGENDA + "/<item_id>/history", methods=["GET"])
@organiser_required
@bp.response(200, ChangeListSchema)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def agenda_item_history(slug: str, item_id: str) -> dict[str, Any]:
    """Every change of one agenda item (also after it was removed)."""
    return history_data(f"agenda item {item_id}", planning().history_of_item(slug, item_id))
