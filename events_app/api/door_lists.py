"""The door list API: a door device syncs what it needs to judge badges offline."""

from __future__ import annotations

import gzip
from typing import Any

from flask import Response, request

from events_app.api.auth import DEVICE_SECURITY, current_device, device_required
from events_app.api.docs import error_docs
from events_app.api.parsing import Blueprint
from events_app.context import services
from events_app.schemas.door_lists import DoorListQuerySchema, DoorListSchema
from events_app.services.door_lists import MAC_HEADER

bp = Blueprint("door_lists", __name__, description="The door list devices judge offline by")
errors = error_docs(bp)
GZIP_FROM_BYTES = 2_048
SYNC_DOC = (
    "The device's gathering's door list: with `since=0` every registration, else only those "
    "changed after that version. Apply the entries (replace a held row by registration id), "
    "keep `version` for the next call, and check that the list then has `count` rows. "
    f"The `{MAC_HEADER}` header holds the HMAC-SHA256 of the body, keyed by the hex SHA-256 "
    "of the device's token: a body that does not match is damaged or altered, and must not "
    "be applied. A `since` beyond the server's version answers 409 `door_list_ahead`."
)


@bp.route("/door/list", methods=["GET"])
@device_required
@bp.arguments(DoorListQuerySchema, location="query")
@bp.response(200, DoorListSchema, headers={MAC_HEADER: {"schema": {"type": "string"}}})
@errors(401, 403, 409, 422)
@bp.doc(security=DEVICE_SECURITY, description=SYNC_DOC)
def door_list(query: dict[str, Any]) -> Response:
    """Sync the door list: the whole of it, or what changed since a version (door device)."""
    synced = services().door_lists.sync(current_device(), query["since"])
    response = Response(synced.body, mimetype="application/json")
    response.headers[MAC_HEADER] = synced.mac
    response.headers["Cache-Control"] = "no-store"
    response.vary.add("Accept-Encoding")
    if len(synced.body) >= GZIP_FROM_BYTES and "gzip" in request.accept_encodings:
        response.set_data(gzip.compress(synced.body, compresslevel=5))
        response.headers["Content-Encoding"] = "gzip"
    return response
