"""Badges: the QR badge of a confirmed guest as SVG, PNG or PDF, reissue, and batch PDFs."""

from __future__ import annotations

import tempfile
from typing import Any
from uuid import UUID

from flask import Response, current_app

from domain.errors import InvalidTransition, NotFound, Term
from domain.registration import Registration, RegistrationState
from domain.roles import Permission
from events_app.api.auth import SECURITY, organiser_required
from events_app.api.docs import error_docs
from events_app.api.parsing import Blueprint
from events_app.context import services
from events_app.schemas.badges import BadgeListQuerySchema, BadgeListSchema
from events_app.schemas.registrations import BadgeSheetQuerySchema
from events_app.services.authorisation import public
from events_app.services.badge_print import (
    badge_data,
    badge_sheet,
    registrations_to_print,
    unprintable_count,
)
from events_app.services.confirmation import registration_id_from
from events_app.services.qr_images import qr_png, qr_svg
from printing.badges import render_badge

bp = Blueprint(
    "badges",
    __name__,
    description="QR badges. The category band is printed in English and in the Chinese the "
    "guest registered in (Simplified for zh_Hans_CN, else Traditional as in Hong Kong).",
)
errors = error_docs(bp)
FORMATS = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf"}
UNPRINTABLE_HEADER = "X-Unprintable-Badges"
"""How many badges of a batch have characters no font covers (printed as a box)."""
FILE = {
    "content": {
        mime: {"schema": {"type": "string", "format": "binary"}} for mime in FORMATS.values()
    }
}


def confirmed(registration_id: UUID) -> Registration:
    """Return a registration that has a usable badge, or raise."""
    registration = services().box_office.registration(registration_id)
    registration.check_not_erased()  # AlreadyErased (409): an erased guest has no badge
    if registration.state is not RegistrationState.CONFIRMED:
        raise InvalidTransition(
            "only confirmed guests have a badge; this registration is %(state)s",
            field="state",
            state=Term(registration.state.value),
        )
    return registration


def badge_file(registration: Registration, fmt: str) -> Response:
    """Return the badge of a confirmed registration in `fmt` (svg, png or pdf)."""
    token = services().checkin.badge_token(registration)
    if fmt == "svg":
        body: bytes | str = qr_svg(token)
    elif fmt == "png":
        body = qr_png(token)
    else:
        gathering = services().box_office.gathering_by_id(registration.gathering_id)
        body = render_badge(badge_data(gathering, registration, token))
    response = Response(body, mimetype=FORMATS[fmt])
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Disposition"] = f'inline; filename="badge-{registration.id}.{fmt}"'
    return response


def check_format(fmt: str) -> str:
    """Return `fmt` if it is a badge format, else raise NotFound."""
    if fmt not in FORMATS:
        raise NotFound("badges come as .svg, .png or .pdf", field="format")
    return fmt


@bp.route("/registrations/<uuid:registration_id>/badge.<fmt>", methods=["GET"])
@organiser_required(Permission.VIEW_DOCUMENTS)
@bp.response(200, description="the badge: QR as SVG or PNG, or the card as PDF")
@errors(401, 403, 404, 409)
@bp.doc(security=SECURITY, responses={"200": FILE})
def organiser_badge(registration_id: UUID, fmt: str) -> Response:
    """Download a confirmed guest's badge: QR as SVG or PNG, or the lanyard card PDF."""
    check_format(fmt)
    return badge_file(confirmed(registration_id), fmt)


@bp.route("/confirmations/<token>/badge.<fmt>", methods=["GET"])
@public
@bp.response(200, description="the badge: QR as SVG or PNG, or the card as PDF")
@errors(404, 409)
@bp.doc(responses={"200": FILE})
def guest_badge(token: str, fmt: str) -> Response:
    """Download the guest's own badge (by confirmation token)."""
    check_format(fmt)
    registration_id = registration_id_from(current_app.secret_key, token)  # type: ignore[arg-type]
    if registration_id is None:
        raise NotFound("no registration has this confirmation token")
    return badge_file(confirmed(registration_id), fmt)


@bp.route("/gatherings/<slug>/badges", methods=["GET"])
@organiser_required(Permission.VIEW_DOCUMENTS)
@bp.arguments(BadgeListQuerySchema, location="query")
@bp.response(200, BadgeListSchema)
@errors(401, 403, 404, 422)
@bp.doc(security=SECURITY)
def badge_list(query: dict[str, Any], slug: str) -> dict[str, Any]:
    """List the badges a batch of the same query would print, with what no font covers."""
    gathering = services().box_office.gathering(slug)
    rows = registrations_to_print(services(), gathering, query["order"], query["category"])
    shown = [row for row in rows if row.unprintable or not query["unprintable_only"]]
    items = [
        {name: getattr(row, name) for name in BADGE_FIELDS}
        | {"registration_id": row.id, "unprintable": list(row.unprintable)}
        for row in shown
    ]
    return {"items": items, "total": len(rows), "unprintable": unprintable_count(rows)}


BADGE_FIELDS = ("full_name", "name_zh", "organisation", "job_title", "category")
SHEET_HEADERS = {
    UNPRINTABLE_HEADER: {
        "description": "how many of the badges have characters no font covers",
        "schema": {"type": "integer"},
    }
}


@bp.route("/gatherings/<slug>/badges.pdf", methods=["GET"])
@organiser_required(Permission.PRINT)
@bp.arguments(BadgeSheetQuerySchema, location="query")
@bp.response(
    200, description="A4 badge sheets", content_type="application/pdf", headers=SHEET_HEADERS
)
@errors(401, 403, 404, 422)
@bp.doc(security=SECURITY)
def badge_sheets(query: dict[str, Any], slug: str) -> Response:
    """All confirmed guests' badges on A4 sheets with cut marks, in the order asked.

    The header X-Unprintable-Badges says how many have characters no font covers.
    """
    gathering = services().box_office.gathering(slug)
    rows = registrations_to_print(services(), gathering, query["order"], query["category"])
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    badge_sheet(services(), gathering, rows, spool)
    spool.seek(0)

    def chunks() -> Any:
        with spool:
            while chunk := spool.read(64 * 1024):
                yield chunk

    response = Response(chunks(), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="badges-{slug}.pdf"'
    response.headers[UNPRINTABLE_HEADER] = str(unprintable_count(rows))
    return response
