"""Corrections (organiser): PATCH a gathering or a registration, reinstate a cancellation."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Any
from uuid import UUID

from domain.roles import Permission
from events_app.api.auth import SECURITY, current_actor, organiser_required
from events_app.api.docs import error_docs
from events_app.api.parsing import Blueprint
from events_app.context import services
from events_app.presenters.common import gathering_data, json_safe, registration_data
from events_app.schemas.corrections import (
    GatheringCorrectedSchema,
    GatheringPatchSchema,
    RegistrationCorrectedSchema,
    RegistrationPatchSchema,
)
from events_app.services.corrections import Correction, Corrections

bp = Blueprint("corrections", __name__, description="Corrections by organisers")
errors = error_docs(bp)


def seen(key: UUID, fields: dict[str, Any]) -> AbstractContextManager[None]:
    """Run only on the version the caller saw, when it gave one."""
    version = fields.pop("version", None)
    return nullcontext() if version is None else services().box_office.expecting({key: version})


def outcome(correction: Correction) -> dict[str, Any]:
    """Return what a correction changed and whom it promoted."""
    return {
        "changes": [
            {"field": name, "before": json_safe(before), "after": json_safe(after)}
            for name, (before, after) in correction.changed.items()
        ],
        "promoted": [r.id for r in correction.promoted],
    }


@bp.route("/gatherings/<slug>", methods=["PATCH"])
@organiser_required(Permission.PLAN)
@bp.arguments(GatheringPatchSchema)
@bp.response(200, GatheringCorrectedSchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def correct_gathering(fields: dict[str, Any], slug: str) -> dict[str, Any]:
    """Correct a gathering: titles, venue, times, window, capacities, approval flags.

    Raising a capacity confirms waitlisted guests at once, first come first served;
    lowering one below the guests already confirmed is refused (409
    capacity_below_confirmed, with the numbers). Nothing is written on a refusal.
    """
    app = services().box_office
    gathering_id = app.gathering(slug).id
    with seen(gathering_id, fields):
        correction = Corrections(app).correct_gathering(slug, fields, current_actor())
    gathering = app.gathering(slug)
    data = gathering_data(gathering, app.guest_list(gathering.id), app.clock())
    return {**data, "version": gathering.version, **outcome(correction)}


def registration_view(registration_id: UUID) -> dict[str, Any]:
    """Return a registration with its version and notes."""
    app = services().box_office
    registration = app.registration(registration_id)
    data = registration_data(registration, app.guest_list(registration.gathering_id))
    data.setdefault("notes", "")
    return {**data, "version": registration.version, "badge_serial": registration.badge_serial}


@bp.route("/registrations/<uuid:registration_id>", methods=["PATCH"])
@organiser_required(Permission.MANAGE_REGISTRATIONS)
@bp.arguments(RegistrationPatchSchema)
@bp.response(200, RegistrationCorrectedSchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def correct_registration(fields: dict[str, Any], registration_id: UUID) -> dict[str, Any]:
    """Correct a guest's details or category; the badge stays valid.

    The e-mail stays unique in the gathering (409 email_already_registered); a confirmed
    guest moves only into a category with a free seat (409 category_full).
    """
    app = services().box_office
    app.registration(registration_id)
    with seen(registration_id, fields):
        correction = Corrections(app).correct_registration(registration_id, fields, current_actor())
    return {**registration_view(registration_id), **outcome(correction)}


@bp.route("/registrations/<uuid:registration_id>/reinstate", methods=["POST"])
@organiser_required(Permission.MANAGE_REGISTRATIONS)
@bp.response(200, RegistrationCorrectedSchema)
@errors(401, 403, 404, 409)
@bp.doc(security=SECURITY)
def reinstate(registration_id: UUID) -> dict[str, Any]:
    """Reinstate a cancelled registration: confirmed if a seat is free, else waitlisted."""
    Corrections(services().box_office).reinstate(registration_id, current_actor())
    return registration_view(registration_id)
