"""Firms' staff codes through the API (organiser): read the current code, renew it.

Exhibitor staff who give their firm's code when registering take a staff badge at once;
the others wait for an organiser's approval. Renewing a code makes the old one (and the
links carrying it) stop working; staff registered already keep their badges.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import url_for
from marshmallow import Schema, fields

from domain.roles import Permission
from events_app.api.auth import SECURITY, current_actor, organiser_required
from events_app.api.docs import error_docs
from events_app.api.parsing import Blueprint
from events_app.context import services

bp = Blueprint(
    "staff_codes",
    __name__,
    description="Exhibiting firms' staff codes (organiser): staff who give it take a badge at "
    "once, others wait for approval.",
)
errors = error_docs(bp)
CODE = "/gatherings/<slug>/exhibition/firms/<uuid:firm_id>/staff-code"


class StaffCodeSchema(Schema):
    """A firm's current staff code and the registration link that carries it."""

    firm_id = fields.UUID()
    staff_code = fields.String(metadata={"description": "e.g. 7KQ2M-XW9DA"})
    generation = fields.Integer(metadata={"description": "1, raised by every renewal"})
    link = fields.Url(metadata={"description": "the registration form, firm and code filled in"})
    waiting = fields.Integer(metadata={"description": "staff without the code awaiting approval"})


def code_data(slug: str, firm_id: UUID) -> dict[str, Any]:
    """Return the firm's current code as the API shows it."""
    exhibition = services().planning.exhibition(slug)
    code = services().planning.staff_code(slug, firm_id)
    return {
        "firm_id": firm_id,
        "staff_code": code,
        "generation": exhibition.staff_code_generation(firm_id),
        "link": url_for("web.register", slug=slug, firm=str(firm_id), code=code, _external=True),
        "waiting": len(exhibition.requests_of(firm_id)),
    }


@bp.route(CODE, methods=["GET"])
@organiser_required(Permission.VIEW)
@bp.response(200, StaffCodeSchema)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def get_staff_code(slug: str, firm_id: UUID) -> dict[str, Any]:
    """Return the firm's current staff code and its pre-filled registration link."""
    return code_data(slug, firm_id)


@bp.route(CODE + "/renew", methods=["POST"])
@organiser_required(Permission.PLAN)
@bp.response(200, StaffCodeSchema)
@errors(401, 403, 404, 409)
@bp.doc(security=SECURITY)
def renew_staff_code(slug: str, firm_id: UUID) -> dict[str, Any]:
    """Give the firm a new staff code: the old code and its links stop working at once."""
    services().planning.renew_staff_code(slug, firm_id, current_actor())
    return code_data(slug, firm_id)
