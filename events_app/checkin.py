"""Check-in: judge a badge scan at a checkpoint, record it, and answer the door at once."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.attendance import Attendance
from domain.checkpoint import Checkpoint
from domain.door_device import DoorDevice
from domain.errors import NotFound
from domain.gathering import Gathering
from domain.registration import Registration, RegistrationState
from domain.scan import Scan, ScanStatus
from events_app.badge_tokens import BadgeClaims, BadgeSigner, InvalidBadge, fingerprint
from events_app.invalid_scans import InvalidScans
from events_app.scan_times import check_scan_times
from events_app.services import LaunchEvents

S = ScanStatus

REASONS = {
    S.OK: "Welcome: first entry here.",
    S.ALREADY_CHECKED_IN: "This badge has already been used here.",
    S.UNKNOWN: "The badge is genuine but names no registration we know.",
    S.REVOKED: "This badge was replaced by a newer one (reissued).",
    S.CANCELLED: "This registration was cancelled.",
    S.NOT_CONFIRMED: "This registration is not confirmed",
    S.WRONG_EVENT: "This badge is for another event.",
    S.NOT_ADMITTED_HERE: "Guests of this category are not admitted at this checkpoint.",
    S.CLOSED: "This checkpoint is closed at the time of the scan.",
    S.NOT_INSIDE: "The guest has no entry here to leave from.",
}
CLOSED_BY_ORGANISERS = "The organisers have closed this checkpoint: no one is admitted here."


@dataclass(frozen=True)
class ScanRequest:
    """One scan as a door device sends it."""

    token: str
    checkpoint: str
    client_scan_id: str
    scanned_at: datetime
    direction: str = "in"
    offline: bool = False
    local_status: str = ""
    manual: bool = False


@dataclass(frozen=True)
class ScanResult:
    """The answer to a scan, and whether this request recorded it (False for a replay)."""

    answer: dict[str, Any]
    recorded: bool


class CheckIn:
    """The one entry point door devices scan through."""

    def __init__(self, app: LaunchEvents, signer: BadgeSigner) -> None:
        self._app = app
        self._signer = signer
        self.invalid_scans: InvalidScans | None = None  # set by events_app.rate_limits

    def close(self) -> None:
        """Write the invalid scans counted but not written yet."""
        if self.invalid_scans is not None:
            self.invalid_scans.close()

    def badge_token(self, registration: Registration) -> str:
        """Return the current badge token of a registration."""
        return self._signer.sign(
            registration.gathering_id, registration.id, registration.badge_serial
        )

    def check_times(self, device: DoorDevice, requests: list[ScanRequest]) -> None:
        """Refuse all the scans before any is judged if one is dated wrong (scan_times)."""
        gathering = self._app.read(Gathering, device.gathering_id, "gathering")
        check_scan_times(gathering, self._app.clock(), [r.scanned_at for r in requests])

    def scan(self, device: DoorDevice, request: ScanRequest) -> ScanResult:
        """Judge, record and answer one scan; a re-sent client scan id gets the first answer."""
        app = self._app
        received_at = app.clock()
        self.check_times(device, [request])
        gathering = app.read(Gathering, device.gathering_id, "gathering")
        checkpoint = gathering.checkpoint(request.checkpoint)
        scan_id = Scan.create_id(device.id, request.client_scan_id)
        claims, invalid_reason = self._claims(request.token)
        key = claims.registration_id if claims else scan_id
        attempts = itertools.count()
        kept: list[bool] = []  # whether an invalid scan is a sample, asked once

        def command() -> tuple[ScanResult, list[Aggregate]]:
            # A re-sent client scan id is rare. The first attempt does not look for an
            # earlier scan: saving a second Scan with its id fails on the store's unique
            # key, which undoes the whole save, and the retry finds and returns the first.
            earlier = self._recorded(scan_id) if next(attempts) else None
            if earlier is not None:
                return ScanResult(earlier.answer, recorded=False), []
            judged = Judgement(gathering, checkpoint, device, request, scan_id)
            if claims is None:
                judged.refuse(S.INVALID, invalid_reason)
            else:
                judged.judge(claims, self._registration(claims.registration_id), app)
            invalid = self.invalid_scans
            if invalid is not None and invalid.only_counts(device.id, judged.status, kept):
                invalid.count(device, judged.status, received_at)
                return ScanResult(judged.answer(received_at), recorded=True), []
            scan = judged.record(fingerprint(request.token), received_at)
            return ScanResult(scan.answer, recorded=True), [scan, *judged.changed]

        return app.execute(key, command)

    def check_in_found(
        self, device: DoorDevice, registration_id: UUID, request: ScanRequest
    ) -> ScanResult:
        """Judge and record a guest found by name at the door as a scan of their current badge."""
        registration = self._registration(registration_id)
        if registration is None or registration.gathering_id != device.gathering_id:
            raise NotFound("no registration with this id at this event", field="registration_id")
        token = self.badge_token(registration)
        return self.scan(device, replace(request, token=token, manual=True))

    def _claims(self, token: str) -> tuple[BadgeClaims | None, str]:
        try:
            return self._signer.verify(token), ""
        except InvalidBadge as error:
            return None, str(error)

    def _recorded(self, scan_id: UUID) -> Scan | None:
        try:
            return self._app.load(Scan, scan_id, "scan")
        except NotFound:
            return None

    def _registration(self, registration_id: UUID) -> Registration | None:
        try:
            return self._app.registration(registration_id)
        except NotFound:
            return None


class Judgement:
    """The decision on one scan, built up step by step, then recorded as a Scan."""

    def __init__(
        self,
        gathering: Gathering,
        checkpoint: Checkpoint,
        device: DoorDevice,
        request: ScanRequest,
        scan_id: UUID,
    ) -> None:
        self.gathering = gathering
        self.checkpoint = checkpoint
        self.device = device
        self.request = request
        self.scan_id = scan_id
        self.status = S.INVALID
        self.reason = ""
        self.registration: Registration | None = None
        self.first_entry: dict[str, Any] | None = None
        self.conflict = False
        self.changed: list[Aggregate] = []

    def refuse(self, status: ScanStatus, reason: str = "") -> None:
        """Answer with a refusal."""
        self.status = status
        self.reason = reason or REASONS[status]

    def judge(
        self, claims: BadgeClaims, registration: Registration | None, app: LaunchEvents
    ) -> None:
        """Decide on a genuine badge: who it is, whether they may pass here and now."""
        if not claims.is_for(self.gathering.id):
            return self.refuse(S.WRONG_EVENT)
        if registration is None:
            return self.refuse(S.UNKNOWN)
        self.registration = registration
        if registration.gathering_id != self.gathering.id:
            return self.refuse(S.WRONG_EVENT)
        if claims.serial != registration.badge_serial:
            return self.refuse(S.REVOKED)
        if registration.state is RegistrationState.CANCELLED:
            return self.refuse(S.CANCELLED)
        if registration.state is not RegistrationState.CONFIRMED:
            return self.refuse(
                S.NOT_CONFIRMED, f"{REASONS[S.NOT_CONFIRMED]} (it is {registration.state.value})."
            )
        if self.checkpoint.closed:
            return self.refuse(S.CLOSED, CLOSED_BY_ORGANISERS)
        if not self.checkpoint.admits(registration.category):
            return self.refuse(S.NOT_ADMITTED_HERE)
        hours = self.gathering.starts_at, self.gathering.ends_at
        if not self.checkpoint.is_open(self.request.scanned_at, *hours):
            return self.refuse(S.CLOSED)
        return self._pass(self._attendance(app, registration))

    def _attendance(self, app: LaunchEvents, registration: Registration) -> Attendance:
        try:
            return app.load(Attendance, Attendance.create_id(registration.id), "attendance")
        except NotFound:
            return Attendance(registration_id=registration.id, gathering_id=self.gathering.id)

    def _pass(self, attendance: Attendance) -> None:
        code, device = self.checkpoint.code, self.device.label
        scanned_at = self.request.scanned_at
        inside = attendance.is_inside(code)
        if self.request.direction == "out":
            if not inside:
                return self.refuse(S.NOT_INSIDE)
            attendance.leave(code, device, scanned_at, self.scan_id)
            self.status, self.reason = S.OK, "Goodbye: exit recorded."
        elif inside:
            self.refuse(S.ALREADY_CHECKED_IN)
            if self.request.offline and self.request.local_status == S.OK:
                self.conflict = True
                attendance.flag_conflict(
                    code,
                    device,
                    scanned_at,
                    self.scan_id,
                    "let in by a device while offline, but already checked in here",
                )
        else:
            re_entry = attendance.first_entry_at(code) is not None
            attendance.enter(code, device, scanned_at, self.scan_id)
            self.status = S.OK
            self.reason = "Welcome back: re-entry." if re_entry else REASONS[S.OK]
        self.first_entry = attendance.first_entry_at(code)
        self.changed.append(attendance)
        return None

    def record(self, token_fingerprint: str, received_at: datetime) -> Scan:
        """Return the Scan aggregate that records this judgement."""
        return Scan(
            device_id=self.device.id,
            client_scan_id=self.request.client_scan_id,
            gathering_id=self.gathering.id,
            checkpoint=self.checkpoint.code,
            direction=self.request.direction,
            token_fingerprint=token_fingerprint,
            registration_id=self.registration.id if self.registration else None,
            scanned_at=self.request.scanned_at,
            received_at=received_at,
            offline=self.request.offline,
            status=self.status.value,
            reason=self.reason,
            answer=self.answer(received_at),
        )

    def answer(self, received_at: datetime) -> dict[str, Any]:
        """Return what the door shows."""
        shows_guest = self.status in {S.OK, S.ALREADY_CHECKED_IN}
        return {
            "status": self.status.value,
            "reason": self.reason,
            "scan_id": str(self.scan_id),
            "checkpoint": self.checkpoint.code,
            "direction": self.request.direction,
            "scanned_at": self.request.scanned_at.isoformat(),
            "received_at": received_at.isoformat(),
            "offline": self.request.offline,
            "conflict": self.conflict,
            "manual": self.request.manual,
            "guest": self._guest() if shows_guest else None,
            "first_check_in": self._first_entry() if shows_guest else None,
        }

    def _guest(self) -> dict[str, Any] | None:
        registration = self.registration
        if registration is None:
            return None
        details = registration.details
        notes = [
            n
            for n in (
                self.checkpoint.note_for(registration.category),
                details.get("accessibility", ""),
            )
            if n
        ]
        return {
            "registration_id": str(registration.id),
            "full_name": details["full_name"],
            "name_zh": details.get("name_zh", ""),
            "organisation": details["organisation"],
            "job_title": details["job_title"],
            "category": registration.category,
            "notes": notes,
        }

    def _first_entry(self) -> dict[str, Any] | None:
        if self.first_entry is None:
            return None
        return {
            "at": self.first_entry["scanned_at"].isoformat(),
            "checkpoint": self.checkpoint.code,
            "device": self.first_entry["device"],
        }
