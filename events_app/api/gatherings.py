"""Gatherings: create one, read one, register for one, and list its guests."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for

from domain.registration import GuestDetails
from domain.roles import Permission
from events_app.api.auth import SECURITY, current_actor, organiser_required
from events_app.api.docs import error_docs
from events_app.api.parsing import Blueprint
from events_app.context import services
from events_app.languages import stated_language
from events_app.presenters.common import gathering_data, registration_fields, row_data
from events_app.schemas.gatherings import GatheringCreateSchema, GatheringSchema
from events_app.schemas.registrations import (
    GuestRegistrationSchema,
    RegistrationCreateSchema,
    RegistrationPageSchema,
    RegistrationQuerySchema,
)
from events_app.services.authorisation import public
from events_app.services.confirmation import confirmation_token

bp = Blueprint("gatherings", __name__, description="Gatherings and their guest lists")
errors = error_docs(bp)


def gathering_view(slug: str) -> dict[str, Any]:
    """Return a gathering with its current seat figures."""
    app = services().box_office
    gathering = app.gathering(slug)
    return gathering_data(gathering, app.guest_list(gathering.id), app.clock())


@bp.route("", methods=["POST"])
@organiser_required(Permission.PLAN)
@bp.arguments(GatheringCreateSchema)
@bp.response(201, GatheringSchema)
@errors(400, 401, 409, 422)
@bp.doc(security=SECURITY)
def create_gathering(fields: dict[str, Any]) -> dict[str, Any]:
    """Schedule a new gathering (organiser)."""
    gathering = services().box_office.schedule_gathering(current_actor(), **fields)
    return gathering_view(gathering.slug)


@bp.route("/<slug>", methods=["GET"])
@public
@bp.response(200, GatheringSchema)
@errors(404)
def get_gathering(slug: str) -> dict[str, Any]:
    """Return a gathering with its seats left (public)."""
    return gathering_view(slug)


@bp.route("/<slug>/registrations", methods=["POST"])
@public
@bp.arguments(RegistrationCreateSchema)
@bp.response(201, GuestRegistrationSchema)
@errors(400, 404, 409, 422, 429)
def register(fields: dict[str, Any], slug: str) -> dict[str, Any]:
    """Register a guest (public): confirmed, awaiting approval or waitlisted.

    Exhibitor staff name their firm (`firm_id`) and give its `staff_code` to take one
    of its staff badges; without the code they wait for an organiser's approval.
    """
    category = fields.pop("category")
    firm_id = fields.pop("firm_id")
    code = fields.pop("staff_code")
    answers = fields.pop("answers")
    fields["language"] = fields["language"] or stated_language()
    app = services().box_office
    placed = app.register_placed(
        slug, GuestDetails(**fields), category, firm_id=firm_id, staff_code=code, answers=answers
    )
    registration = placed.registration
    token = confirmation_token(current_app.secret_key, registration.id)  # type: ignore[arg-type]
    # The waitlist place the registration was saved with: no second load of the guest list.
    data = registration_fields(registration, placed.waitlist_position)
    data["confirmation_token"] = token
    data["firm_id"] = firm_id
    data["confirmation_url"] = url_for("web.confirmation", slug=slug, token=token, _external=True)
    return data


@bp.route("/<slug>/registrations", methods=["GET"])
@organiser_required(Permission.VIEW)
@bp.arguments(RegistrationQuerySchema, location="query")
@bp.response(200, RegistrationPageSchema)
@errors(401, 404, 422)
@bp.doc(security=SECURITY)
def list_registrations(query: dict[str, Any], slug: str) -> dict[str, Any]:
    """List and search the guest list, filtered by state and category (organiser)."""
    gathering = services().box_office.gathering(slug)
    view = services().guest_list
    page = view.search(
        str(gathering.id),
        states=query["state"],
        categories=query["category"],
        text=query["q"],
        answer=tuple(query["answer"].split("=", 1)) if query["answer"] else None,  # type: ignore[arg-type]
        limit=query["limit"],
        offset=query["offset"],
    )
    return {
        "items": [row_data(row) for row in page.rows],
        "total": page.total,
        "limit": query["limit"],
        "offset": query["offset"],
        "counts": view.counts(str(gathering.id)),
    }
