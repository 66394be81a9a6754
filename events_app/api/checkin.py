"""Check-in API: checkpoints, door devices and their enrolment, scans, conflicts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import request

from domain.checkpoint import Checkpoint
from domain.errors import Forbidden
from domain.roles import Permission
from events_app.api.auth import (
    DEVICE_SECURITY,
    EITHER_SECURITY,
    SECURITY,
    current_actor,
    current_device,
    device_required,
    organiser_or_device_required,
    organiser_required,
    requesting_device,
    scanning_device_required,
)
from events_app.api.docs import error_docs
from events_app.api.parsing import Blueprint
from events_app.context import services
from events_app.presenters.common import json_safe
from events_app.schemas.changes import ChangeListSchema
from events_app.schemas.checkpoints import (
    CheckpointListSchema,
    CheckpointOutSchema,
    CheckpointSchema,
    DeviceCreateSchema,
    DeviceListSchema,
    DeviceSchema,
    EnrolledSchema,
    EnrolSchema,
    NewDeviceSchema,
)
from events_app.schemas.scans import (
    ConflictListSchema,
    DoorCheckInSchema,
    DoorGuestListSchema,
    GuestSearchSchema,
    ScanAnswerSchema,
    ScanBatchAnswerSchema,
    ScanBatchSchema,
    ScanInSchema,
)
from events_app.services.authorisation import public
from events_app.services.checkin import ScanRequest
from events_app.services.checkpoints import Checkpoints, describe, listing, summarise
from events_app.services.devices import format_setup_code
from events_app.services.qr_images import qr_svg

bp = Blueprint("checkin", __name__, description="Checkpoints, door devices and scans")
errors = error_docs(bp)
# Schema instances, not classes: webargs would build (and deep-copy the fields of) a new
# schema on every request, about a tenth of a scan's time in the app.
SCAN_IN = ScanInSchema()
SCAN_BATCH = ScanBatchSchema()
DOOR_CHECK_IN = DoorCheckInSchema()
CHECK_IN_FOUND_DOC = (
    "For a guest without their badge, found with GET /door/guests: the registration is "
    "judged exactly like a scan of its current badge (same statuses, same rules for repeats, "
    "re-sent client scan ids and offline uploads) and recorded as a scan with `manual: true`. "
    "A registration of another gathering answers 404 `not_found`."
)


CLOSE_DOC = (
    "From now on every scan at this checkpoint is refused with status `closed` (its reason "
    "says the organisers closed it). Defining it again with PUT reopens it. Closing a closed "
    "checkpoint answers 409 `invalid_transition`; an unknown code 404 `not_found`."
)


def checkpoints() -> Checkpoints:
    """Return the checkpoint commands on the app's store."""
    return Checkpoints(services().box_office)


@bp.route("/gatherings/<slug>/checkpoints", methods=["PUT"])
@organiser_required(Permission.MANAGE_DEVICES)
@bp.arguments(CheckpointSchema)
@bp.response(200, CheckpointOutSchema)
@errors(400, 401, 403, 404, 409, 422)
@bp.doc(security=SECURITY)
def define_checkpoint(fields: dict[str, Any], slug: str) -> dict[str, Any]:
    """Define a checkpoint, or change (and reopen) the one with the same code (organiser)."""
    checkpoint = Checkpoint(**{**fields, "categories": tuple(fields["categories"])})
    gathering = checkpoints().define(slug, checkpoint, current_actor())
    return describe(gathering, gathering.checkpoint(checkpoint.code))


@bp.route("/gatherings/<slug>/checkpoints/<code>/close", methods=["POST"])
@organiser_required(Permission.MANAGE_DEVICES)
@bp.response(200, CheckpointOutSchema)
@errors(401, 403, 404, 409)
@bp.doc(security=SECURITY, description=CLOSE_DOC)
def close_checkpoint(slug: str, code: str) -> dict[str, Any]:
    """Close a checkpoint: it admits no one until defined again (organiser)."""
    gathering = checkpoints().close(slug, code, current_actor())
    return describe(gathering, gathering.checkpoint(code))


@bp.route("/gatherings/<slug>/checkpoints/<code>/history", methods=["GET"])
@organiser_required(Permission.VIEW)
@bp.response(200, ChangeListSchema)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def checkpoint_history(slug: str, code: str) -> dict[str, Any]:
    """Every change of one checkpoint, oldest first, with who made it (organiser)."""
    changes = checkpoints().history(slug, code)
    zone = ZoneInfo(services().box_office.gathering(slug).timezone)
    return {
        "subject": f"checkpoint {code}",
        "events": [
            {**c.__dict__, "summary": summarise(c, zone), "data": json_safe(c.data)}
            for c in changes
        ],
    }


@bp.route("/gatherings/<slug>/checkpoints", methods=["GET"])
@organiser_or_device_required(Permission.VIEW)
@bp.response(200, CheckpointListSchema)
@errors(401, 403, 404)
@bp.doc(security=EITHER_SECURITY)
def list_checkpoints(slug: str) -> dict[str, Any]:
    """List the checkpoints of a gathering (organiser, or a door device of the gathering)."""
    gathering = services().box_office.gathering(slug)
    device = requesting_device()
    if device is not None and device.gathering_id != gathering.id:
        raise Forbidden("a door device only sees the checkpoints of its own gathering")
    return {"items": listing(gathering)}


@bp.route("/gatherings/<slug>/devices", methods=["POST"])
@organiser_required(Permission.MANAGE_DEVICES)
@bp.arguments(DeviceCreateSchema)
@bp.response(201, NewDeviceSchema)
@errors(400, 401, 403, 404, 422)
@bp.doc(security=SECURITY)
def register_device(fields: dict[str, Any], slug: str) -> dict[str, Any]:
    """Register a door device; answers with its one-time set-up code and QR (organiser)."""
    new = services().devices.register(
        slug, fields["name"], timedelta(minutes=fields["valid_minutes"]), current_actor()
    )
    setup_url = f"{request.host_url}door?setup={new.setup_code}"
    return {
        "id": new.device.id,
        "name": new.device.name,
        "setup_code": format_setup_code(new.setup_code),
        "setup_url": setup_url,
        "setup_qr_svg": qr_svg(setup_url),
        "setup_expires_at": new.device.setup_expires_at,
    }


@bp.route("/gatherings/<slug>/devices", methods=["GET"])
@organiser_required(Permission.VIEW)
@bp.response(200, DeviceListSchema)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def list_devices(slug: str) -> dict[str, Any]:
    """List the door devices of a gathering with their last activity (organiser)."""
    gathering = services().box_office.gathering(slug)
    return {"items": services().checkin_view.devices(str(gathering.id))}


@bp.route("/devices/<uuid:device_id>/revoke", methods=["POST"])
@organiser_required(Permission.MANAGE_DEVICES)
@bp.response(200, DeviceSchema)
@errors(401, 403, 404, 409)
@bp.doc(security=SECURITY)
def revoke_device(device_id: UUID) -> dict[str, Any]:
    """Revoke a door device at once (organiser)."""
    device = services().devices.revoke(device_id, current_actor())
    return {"id": device.id, "name": device.name, "state": "revoked"}


@bp.route("/devices/enrol", methods=["POST"])
@public
@bp.arguments(EnrolSchema)
@bp.response(201, EnrolledSchema)
@errors(400, 401, 404, 409, 422, 429)
def enrol_device(fields: dict[str, Any]) -> dict[str, Any]:
    """Enrol this device with the one-time set-up code an organiser showed (door page)."""
    enrolment = services().devices.enrol(fields["setup_code"])
    gathering = services().box_office.gathering_by_id(enrolment.device.gathering_id)
    return {
        "device_id": enrolment.device.id,
        "device_token": enrolment.token,
        "name": enrolment.device.name,
        "gathering_id": gathering.id,
        "gathering_slug": gathering.slug,
        "gathering_title_en": gathering.title_en,
        "gathering_title_zh": gathering.title_zh,
        "timezone": gathering.timezone,
        "checkpoints": listing(gathering),
    }


def scan_request(fields: dict[str, Any]) -> ScanRequest:
    """Return the scan a device sent, checking it names this device if it names one."""
    device = current_device()
    if fields.get("device_id") not in (None, device.id):
        raise Forbidden("device_id does not match the device's token", field="device_id")
    return ScanRequest(
        token=fields.get("token", ""),
        checkpoint=fields["checkpoint"],
        client_scan_id=fields["client_scan_id"],
        scanned_at=fields["scanned_at"],
        direction=fields["direction"],
        offline=fields["offline"],
        local_status=fields["local_status"],
    )


def scan_answer(fields: dict[str, Any]) -> dict[str, Any]:
    """Judge one scan and return its answer with `recorded`."""
    result = services().checkin.scan(current_device(), scan_request(fields))
    return {**result.answer, "recorded": result.recorded}


@bp.route("/scans", methods=["POST"])
@scanning_device_required
@bp.arguments(SCAN_IN)
@bp.response(200, ScanAnswerSchema)
@errors(400, 401, 403, 404, 413, 422, 429)
@bp.doc(security=DEVICE_SECURITY)
def scan(fields: dict[str, Any]) -> dict[str, Any]:
    """Scan a badge at a checkpoint: one status and a reason (door device)."""
    return scan_answer(fields)


@bp.route("/scans/batch", methods=["POST"])
@scanning_device_required
@bp.arguments(SCAN_BATCH)
@bp.response(200, ScanBatchAnswerSchema)
@errors(400, 401, 403, 404, 413, 422, 429)
@bp.doc(security=DEVICE_SECURITY)
def scan_batch(fields: dict[str, Any]) -> dict[str, Any]:
    """Upload scans made offline: judged in the order they happened (door device)."""
    scans = fields["scans"]
    services().checkin.check_times(current_device(), [scan_request(s) for s in scans])
    order = sorted(range(len(scans)), key=lambda i: scans[i]["scanned_at"])
    answers: dict[int, dict[str, Any]] = {i: scan_answer(scans[i]) for i in order}
    return {"results": [answers[i] for i in range(len(scans))]}


@bp.route("/door/guests", methods=["GET"])
@device_required
@bp.arguments(GuestSearchSchema, location="query")
@bp.response(200, DoorGuestListSchema)
@errors(401, 403, 422)
@bp.doc(security=DEVICE_SECURITY)
def find_guests(query: dict[str, Any]) -> dict[str, Any]:
    """Find guests by name, e-mail or organisation, for those without a badge (door device)."""
    gathering_id = str(current_device().gathering_id)
    return {"items": services().checkin_view.find_guests(gathering_id, query["q"])}


@bp.route("/door/check-ins", methods=["POST"])
@scanning_device_required
@bp.arguments(DOOR_CHECK_IN)
@bp.response(200, ScanAnswerSchema)
@errors(400, 401, 403, 404, 413, 422, 429)
@bp.doc(security=DEVICE_SECURITY, description=CHECK_IN_FOUND_DOC)
def check_in_found_guest(fields: dict[str, Any]) -> dict[str, Any]:
    """Check in (or out) a guest found by a door search, as a scan of their badge (door device)."""
    result = services().checkin.check_in_found(
        current_device(), fields["registration_id"], scan_request(fields)
    )
    return {**result.answer, "recorded": result.recorded}


@bp.route("/gatherings/<slug>/scan-conflicts", methods=["GET"])
@organiser_required(Permission.VIEW)
@bp.response(200, ConflictListSchema)
@errors(401, 403, 404)
@bp.doc(security=SECURITY)
def conflicts(slug: str) -> dict[str, Any]:
    """List badges let in twice (e.g. at two doors while offline), to review (organiser)."""
    gathering = services().box_office.gathering(slug)
    return {"items": services().checkin_view.conflicts(str(gathering.id))}
