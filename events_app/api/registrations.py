"""Registrations: read one, approve, reject, cancel, and its history (organiser)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import current_app

from domain.common import GUEST
from domain.errors import NotFound
from domain.roles import Permission
from events_app.api.auth import SECURITY, current_actor, organiser_required
from events_app.api.docs import error_docs
from events_app.api.parsing import Blueprint
from events_app.context import services
from events_app.presenters.common import json_safe, registration_data
from events_app.schemas.common import ReasonSchema
from events_app.schemas.personal_data import PersonalDataSchema
from events_app.schemas.registrations import ApproveSchema, HistorySchema, RegistrationSchema
from events_app.services.authorisation import public
from events_app.services.confirmation import registration_id_from

bp = Blueprint("registrations", __name__, description="Decisions on registrations")
errors = error_docs(bp)


def present(registration_id: UUID) -> dict[str, Any]:
    """Return a registration as the API shows it, fresh from the store."""
    app = services().box_office
    registration = app.registration(registration_id)
    return registration_data(registration, app.guest_list(registration.gathering_id))


@bp.route("/registrations/<uuid:registration_id>", methods=["GET"])
@organiser_required(Permission.VIEW)
@bp.response(200, RegistrationSchema)
@errors(401, 404)
@bp.doc(security=SECURITY)
def get_registration(registration_id: UUID) -> dict[str, Any]:
    """Return one registration."""
    return present(registration_id)


@bp.route("/registrations/<uuid:registration_id>/approve", methods=["POST"])
@organiser_required(Permission.MANAGE_REGISTRATIONS)
@bp.arguments(ApproveSchema, required=False)
@bp.response(200, RegistrationSchema)
@errors(400, 401, 404, 409, 422)
@bp.doc(security=SECURITY)
def approve(fields: dict[str, Any], registration_id: UUID) -> dict[str, Any]:
    """Approve: a seat if one is free (or a VIP override), else the waitlist."""
    services().box_office.approve(
        registration_id, current_actor(), override=fields.get("override_capacity", False)
    )
    return present(registration_id)


@bp.route("/registrations/<uuid:registration_id>/reject", methods=["POST"])
@organiser_required(Permission.MANAGE_REGISTRATIONS)
@bp.arguments(ReasonSchema, required=False)
@bp.response(200, RegistrationSchema)
@errors(400, 401, 404, 409, 422)
@bp.doc(security=SECURITY)
def reject(fields: dict[str, Any], registration_id: UUID) -> dict[str, Any]:
    """Reject a pending registration."""
    services().box_office.reject(registration_id, current_actor(), fields.get("reason", ""))
    return present(registration_id)


@bp.route("/registrations/<uuid:registration_id>/cancel", methods=["POST"])
@organiser_required(Permission.MANAGE_REGISTRATIONS)
@bp.arguments(ReasonSchema, required=False)
@bp.response(200, RegistrationSchema)
@errors(400, 401, 404, 409, 422)
@bp.doc(security=SECURITY)
def cancel(fields: dict[str, Any], registration_id: UUID) -> dict[str, Any]:
    """Cancel a registration; the first waitlisted guest who fits gets the seat."""
    services().box_office.cancel(registration_id, current_actor(), fields.get("reason", ""))
    return present(registration_id)


@bp.route("/registrations/<uuid:registration_id>/history", methods=["GET"])
@organiser_required(Permission.VIEW)
@bp.response(200, HistorySchema)
@errors(401, 404)
@bp.doc(security=SECURITY)
def history(registration_id: UUID) -> dict[str, Any]:
    """Return the registration's domain events in order, with when and who."""
    entries = services().box_office.history(registration_id)
    return {
        "registration_id": registration_id,
        "events": [{**entry.__dict__, "data": json_safe(entry.data)} for entry in entries],
    }


@bp.route("/registrations/<uuid:registration_id>/personal-data", methods=["GET"])
@organiser_required(Permission.EXPORT_PERSONAL_DATA)
@bp.response(200, PersonalDataSchema)
@errors(401, 403, 404, 409)
@bp.doc(security=SECURITY)
def personal_data(registration_id: UUID) -> dict[str, Any]:
    """Return everything held about the guest (a request of access); 409 once erased."""
    return services().personal_export.gather(registration_id).as_data()


@bp.route("/registrations/<uuid:registration_id>/reissue-badge", methods=["POST"])
@organiser_required(Permission.MANAGE_REGISTRATIONS)
@bp.response(200, RegistrationSchema)
@errors(401, 403, 404, 409)
@bp.doc(security=SECURITY)
def reissue(registration_id: UUID) -> dict[str, Any]:
    """Issue a new badge (lost badge): the old badge's code is answered `revoked`."""
    services().box_office.reissue_badge(registration_id, current_actor())
    return present(registration_id)


def guest_registration(token: str) -> UUID:
    """Return the registration a confirmation token names, or raise NotFound."""
    registration_id = registration_id_from(current_app.secret_key, token)  # type: ignore[arg-type]
    if registration_id is None:
        raise NotFound("no registration has this confirmation token")
    return registration_id


@bp.route("/confirmations/<token>", methods=["GET"])
@public
@bp.response(200, RegistrationSchema)
@errors(404)
def get_confirmation(token: str) -> dict[str, Any]:
    """Return the guest's own registration (public, by confirmation token)."""
    return present(guest_registration(token))


@bp.route("/confirmations/<token>/cancel", methods=["POST"])
@public
@bp.arguments(ReasonSchema, required=False)
@bp.response(200, RegistrationSchema)
@errors(400, 404, 409, 422)
def cancel_confirmation(fields: dict[str, Any], token: str) -> dict[str, Any]:
    """Cancel the guest's own registration (public, by confirmation token)."""
    registration_id = guest_registration(token)
    services().box_office.cancel(registration_id, GUEST, fields.get("reason", ""))
    return present(registration_id)
