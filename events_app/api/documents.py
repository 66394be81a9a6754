"""Printed documents as PDF downloads: programme, stage sheet, agreements, certificates.

Each takes ``?as_of=`` (an ISO 8601 time with its offset) to reprint the document as the
plan was then; each document names the version of the plan it shows. ``?lang=zh_Hans_CN``
prints Simplified Chinese beside the English, instead of Traditional (Hong Kong).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any, BinaryIO
from uuid import UUID

from flask import Response
from marshmallow import Schema, fields, validate

from domain.roles import Permission
from events_app.api.auth import SECURITY, organiser_required
from events_app.api.docs import error_docs
from events_app.api.parsing import Blueprint
from events_app.context import services
from events_app.languages import LANGUAGES
from events_app.schemas.common import SaneDateTime
from events_app.services.documents import PAGE_SIZES, Documents

bp = Blueprint(
    "documents",
    __name__,
    description="Printed documents (PDF): programme, stage sheet, agreements, certificates. "
    "?as_of reprints a document as the plan was then. 404 not_found: unknown gathering, "
    "ceremony or item, or as_of before it existed; 409 ceremony_withdrawn, "
    "409 wrong_ceremony_kind; 422 document_incomplete (names the field, e.g. people) or "
    "validation_failed (e.g. an as_of without its UTC offset). ?lang=zh_Hans_CN prints "
    "Simplified Chinese beside the English (default: Traditional, as in Hong Kong).",
)
errors = error_docs(bp)
PDF = {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}


class AsOfQuerySchema(Schema):
    """Which version of the plan to print, and which Chinese beside the English."""

    as_of = SaneDateTime(
        load_default=None,
        metadata={
            "description": "print the plan as it was then (ISO 8601 with offset); "
            "default: the current plan"
        },
    )
    lang = fields.String(
        load_default=None,
        validate=validate.OneOf(LANGUAGES),
        metadata={
            "description": "the Chinese printed beside the English: zh_Hans_CN Simplified; "
            "zh_Hant_HK or en (the default) Traditional as written in Hong Kong. Error "
            "messages follow it too"
        },
    )


class ProgrammeQuerySchema(AsOfQuerySchema):
    """Version of the plan and page size of the programme."""

    size = fields.String(
        load_default="A5",
        validate=validate.OneOf(PAGE_SIZES),
        metadata={"description": "A5 booklet pages (default) or A4"},
    )


def documents() -> Documents:
    """Return the document service of this app."""
    return Documents(services().box_office)


def pdf(filename: str, write: Callable[[BinaryIO], Any]) -> Response:
    """Write a whole PDF (so a refusal answers before any byte is sent) and return it."""
    buffer = io.BytesIO()
    write(buffer)
    response = Response(buffer.getvalue(), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/gatherings/<slug>/programme.pdf", methods=["GET"])
@organiser_required(Permission.VIEW_DOCUMENTS)
@bp.arguments(ProgrammeQuerySchema, location="query")
@bp.response(200, description="the programme booklet")
@errors(401, 403, 404, 422)
@bp.doc(security=SECURITY, responses={"200": PDF})
def programme(query: dict[str, Any], slug: str) -> Response:
    """Download the programme: running order, ceremonies, exhibitors and booth map."""
    return pdf(
        f"programme-{slug}.pdf",
        lambda out: documents().programme(
            slug, out, size=query["size"], as_of=query["as_of"], language=query["lang"]
        ),
    )


@bp.route("/gatherings/<slug>/stage-sheet.pdf", methods=["GET"])
@organiser_required(Permission.VIEW_DOCUMENTS)
@bp.arguments(AsOfQuerySchema, location="query")
@bp.response(200, description="the stage manager's sheet")
@errors(401, 403, 404, 422)
@bp.doc(security=SECURITY, responses={"200": PDF})
def stage_sheet(query: dict[str, Any], slug: str) -> Response:
    """Download the stage manager's sheet: every ceremony held, with its items and positions."""
    return pdf(
        f"stage-sheet-{slug}.pdf",
        lambda out: documents().stage_sheet(
            slug, out, as_of=query["as_of"], language=query["lang"]
        ),
    )


@bp.route("/gatherings/<slug>/ceremonies/<uuid:ceremony_id>/agreements.pdf", methods=["GET"])
@organiser_required(Permission.VIEW_DOCUMENTS)
@bp.arguments(AsOfQuerySchema, location="query")
@bp.response(200, description="every agreement of the ceremony, in running order")
@errors(401, 403, 404, 409, 422)
@bp.doc(security=SECURITY, responses={"200": PDF})
def agreements(query: dict[str, Any], slug: str, ceremony_id: UUID) -> Response:
    """Download all agreements (or pledges) of a signing or pledge ceremony in one PDF."""
    service = documents()
    language = query["lang"]
    found = service.agreements(slug, ceremony_id, as_of=query["as_of"], language=language)
    return pdf(
        f"agreements-{ceremony_id}.pdf",
        lambda out: service.write_agreements(found, out, language=language),
    )


@bp.route(
    "/gatherings/<slug>/ceremonies/<uuid:ceremony_id>/items/<item_id>/agreement.pdf",
    methods=["GET"],
)
@organiser_required(Permission.VIEW_DOCUMENTS)
@bp.arguments(AsOfQuerySchema, location="query")
@bp.response(200, description="one agreement")
@errors(401, 403, 404, 409, 422)
@bp.doc(security=SECURITY, responses={"200": PDF})
def agreement(query: dict[str, Any], slug: str, ceremony_id: UUID, item_id: str) -> Response:
    """Download one agreement (or pledge) of a signing or pledge ceremony."""
    service = documents()
    language = query["lang"]
    found = service.agreements(
        slug, ceremony_id, item_id=item_id, as_of=query["as_of"], language=language
    )
    reference = "".join(c if c.isalnum() or c in "-_" else "-" for c in found[0].item.reference)
    return pdf(
        f"agreement-{reference}.pdf",
        lambda out: service.write_agreements(found, out, language=language),
    )


@bp.route("/gatherings/<slug>/ceremonies/<uuid:ceremony_id>/certificates.pdf", methods=["GET"])
@organiser_required(Permission.VIEW_DOCUMENTS)
@bp.arguments(AsOfQuerySchema, location="query")
@bp.response(200, description="one certificate per recipient, A4 landscape")
@errors(401, 403, 404, 409, 422)
@bp.doc(security=SECURITY, responses={"200": PDF})
def certificates(query: dict[str, Any], slug: str, ceremony_id: UUID) -> Response:
    """Download the certificates of an award ceremony, one page per recipient."""
    service = documents()
    language = query["lang"]
    found = service.certificates(slug, ceremony_id, as_of=query["as_of"], language=language)
    return pdf(
        f"certificates-{ceremony_id}.pdf",
        lambda out: service.write_certificates(found, out, language=language),
    )
