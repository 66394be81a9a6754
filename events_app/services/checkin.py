"""Check-in: load what a scan is judged on, judge it (domain.scan_judgement), record it.

The rules are in domain/: this service checks the badge's signature, loads the device,
the gathering, the registration and the guest's attendance (in one query), and saves the
Scan and the changed Attendance in one atomic write, so the door has its answer at once.

Every read here brings the scanning device up to date as well, and refuses it if it was
revoked (or took another token) since the caller had it (`devices.confirmed`): a scan
request is let in on the process's copy of its device (`DoorDevices.authenticate_kept`),
and its first read confirms it, without a query of its own.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.attendance import Attendance
from domain.door_device import DoorDevice
from domain.errors import NotFound, Term
from domain.gathering import Gathering
from domain.registration import Registration
from domain.scan import Scan
from domain.scan_judgement import Judgement, ScanRequest
from events_app.services.badge_tokens import BadgeClaims, BadgeSigner, InvalidBadge, fingerprint
from events_app.services.box_office import BoxOffice
from events_app.services.devices import confirmed
from events_app.services.invalid_scans import InvalidScans
from events_app.services.scan_times import check_scan_times
from events_app.store.application import Wanted

__all__ = ["CheckIn", "ScanRequest", "ScanResult"]


@dataclass(frozen=True)
class ScanResult:
    """The answer to a scan, and whether this request recorded it (False for a replay)."""

    answer: dict[str, Any]
    recorded: bool


class CheckIn:
    """The one entry point door devices scan through."""

    def __init__(self, app: BoxOffice, signer: BadgeSigner) -> None:
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
        wanted: list[Wanted] = [
            (DoorDevice, device.id, True),
            (Gathering, device.gathering_id, True),
        ]
        now, gathering = self._app.read_all(wanted)
        confirmed(device, now)
        if gathering is None:
            raise NotFound("%(what)s not found", what=Term("gathering"))
        check_scan_times(gathering, self._app.clock(), [r.scanned_at for r in requests])

    def scan(self, device: DoorDevice, request: ScanRequest) -> ScanResult:
        """Judge, record and answer one scan; a re-sent client scan id gets the first answer."""
        app = self._app
        received_at = app.clock()
        scan_id = Scan.create_id(device.id, request.client_scan_id)
        claims, invalid_reason = self._claims(request.token)
        key = claims.registration_id if claims else scan_id
        attempts = itertools.count()
        kept: list[bool] = []  # whether an invalid scan is a sample, asked once

        def command() -> tuple[ScanResult, list[Aggregate]]:
            # A re-sent client scan id is rare. The first attempt does not look for an
            # earlier scan: saving a second Scan with its id fails on the store's unique
            # key, which undoes the whole save, and the retry finds and returns the first.
            earlier = self._recorded(device, scan_id) if next(attempts) else None
            if earlier is not None:
                return ScanResult(earlier.answer, recorded=False), []
            scanner, gathering, found, attendance = self._read(device, claims)
            check_scan_times(gathering, received_at, [request.scanned_at])
            checkpoint = gathering.checkpoint(request.checkpoint)
            judged = Judgement(gathering, checkpoint, scanner, request, scan_id)
            judged.judge(claims, found, lambda _: attendance, invalid_reason)
            invalid = self.invalid_scans
            if invalid is not None and invalid.only_counts(device.id, judged.status, kept):
                invalid.count(scanner, judged.status, received_at)
                return ScanResult(judged.answer(received_at), recorded=True), []
            scan = judged.record(fingerprint(request.token), received_at)
            return ScanResult(scan.answer, recorded=True), [scan, *judged.changed]

        return app.execute(key, command)

    def _read(
        self, device: DoorDevice, claims: BadgeClaims | None
    ) -> tuple[DoorDevice, Gathering, Registration | None, Attendance | None]:
        """Return the scan's device (confirmed), gathering, registration and attendance.

        All four are read in one query.
        """
        wanted: list[Wanted] = [
            (DoorDevice, device.id, True),
            (Gathering, device.gathering_id, True),
        ]
        if claims is not None:
            registration_id = claims.registration_id
            attendance_id = Attendance.create_id(registration_id)
            wanted += [(Registration, registration_id, False), (Attendance, attendance_id, False)]
        now, gathering, *guest = self._app.read_all(wanted)
        scanner = confirmed(device, now)
        if gathering is None:
            raise NotFound("%(what)s not found", what=Term("gathering"))
        registration, attendance = guest or (None, None)
        return scanner, gathering, registration, attendance

    def check_in_found(
        self, device: DoorDevice, registration_id: UUID, request: ScanRequest
    ) -> ScanResult:
        """Judge and record a guest found by name at the door as a scan of their current badge."""
        wanted: list[Wanted] = [
            (DoorDevice, device.id, True),
            (Registration, registration_id, False),
        ]
        now, registration = self._app.read_all(wanted)
        confirmed(device, now)
        if registration is None or registration.gathering_id != device.gathering_id:
            raise NotFound("no registration with this id at this event", field="registration_id")
        token = self.badge_token(registration)
        return self.scan(device, replace(request, token=token, manual=True))

    def _claims(self, token: str) -> tuple[BadgeClaims | None, str]:
        try:
            return self._signer.verify(token), ""
        except InvalidBadge as error:
            return None, str(error)

    def _recorded(self, device: DoorDevice, scan_id: UUID) -> Scan | None:
        """Return the scan recorded with this id, if any, confirming the device in the query."""
        now, scan = self._app.read_all([(DoorDevice, device.id, True), (Scan, scan_id, False)])
        confirmed(device, now)
        return scan  # type: ignore[no-any-return]
