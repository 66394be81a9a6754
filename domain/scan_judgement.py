"""The judgement of one scan: the table's answer, what it changes, and the Scan that records it.

The rules and their order are in domain/scan_rules.py. A judgement reads plain values and
aggregates (the gathering, the checkpoint, the device, the registration and the guest's
attendance); the application service loads them, checks the badge's signature, and saves
the Scan with the changed attendance in one atomic write.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.attendance import Attendance, Entry
from domain.checkpoint import Checkpoint
from domain.door_device import DoorDevice
from domain.gathering import Gathering
from domain.personal import Kind, personal
from domain.registration import Registration
from domain.scan import Scan, ScanStatus
from domain.scan_rules import NO_ATTENDANCE, AttendanceView, Badge, Case, Rule, first_rule

S = ScanStatus
OFFLINE_CONFLICT = "let in by a device while offline, but already checked in here"

AttendanceOf = Callable[[UUID], Attendance | None]
"""Returns the recorded attendance of a registration id, or None before its first scan."""


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


class Judgement:
    """The decision on one scan, made by the judgement table, then recorded as a Scan."""

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
        self.rule: Rule | None = None
        self.status = S.INVALID
        self.reason = ""
        self.registration: Registration | None = None
        self.first_entry: dict[str, Any] | None = None
        self.conflict = False
        self.changed: list[Attendance] = []

    def judge(
        self,
        badge: Badge | None,
        registration: Registration | None,
        attendance_of: AttendanceOf,
        invalid_reason: str = "",
    ) -> None:
        """Decide on a scanned code: `badge` is None when it is no genuine badge (and why).

        A registration whose personal data were erased is no registration the door knows:
        its badge answers `unknown`, as on a device, whose list no longer holds the guest.
        """
        if registration is not None and registration.erased:
            registration = None
        case = Case(
            gathering=self.gathering,
            checkpoint=self.checkpoint,
            direction=self.request.direction,
            scanned_at=self.request.scanned_at,
            badge=badge,
            registration=registration,
            load_attendance=lambda: self._attendance(attendance_of, case.guest),
            invalid_reason=invalid_reason,
        )
        rule = self.rule = first_rule(case)
        self.status, self.reason = rule.status, rule.reason_for(case)
        self.registration = registration if case.badge_is_ours else None
        if rule.passes:
            self._pass(rule, case)

    @staticmethod
    def _attendance(attendance_of: AttendanceOf, registration: Registration) -> AttendanceView:
        found = attendance_of(registration.id)
        return NO_ATTENDANCE if found is None else found

    def _pass(self, rule: Rule, case: Case) -> None:
        """Change the guest's attendance as the rule says; start it on their first pass."""
        recorded = case.attendance
        if isinstance(recorded, Attendance):
            attendance = recorded
            self._change(rule, attendance)
        else:
            attendance = self._start(rule, case.guest)
        self.first_entry = attendance.first_entry_at(self.checkpoint.code)
        self.changed.append(attendance)

    def _start(self, rule: Rule, guest: Registration) -> Attendance:
        """Return the guest's new attendance, an entry recorded in the event that starts it."""
        entered = self._entry() if rule.name == "entry" else None
        attendance = Attendance(
            registration_id=guest.id, gathering_id=self.gathering.id, entered=entered
        )
        if entered is None:  # not reached: exit and already_checked_in need the guest inside
            self._change(rule, attendance)
        return attendance

    def _entry(self) -> Entry:
        return {
            "checkpoint": self.checkpoint.code,
            "device": self.device.label,
            "scanned_at": self.request.scanned_at,
            "scan_id": self.scan_id,
        }

    def _change(self, rule: Rule, attendance: Attendance) -> None:
        code, device = self.checkpoint.code, self.device.label
        scanned_at = self.request.scanned_at
        if rule.name == "exit":
            attendance.leave(code, device, scanned_at, self.scan_id)
        elif rule.name == "entry":
            attendance.enter(code, device, scanned_at, self.scan_id)
        elif self.request.offline and self.request.local_status == S.OK:
            self.conflict = True
            attendance.flag_conflict(code, device, scanned_at, self.scan_id, OFFLINE_CONFLICT)

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

    def _guest(self) -> Mapping[str, Any] | None:
        """Return who the badge is of, as the registration's personal data (sealed if stored)."""
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
        shown = {
            "registration_id": str(registration.id),
            "full_name": details["full_name"],
            "name_zh": details.get("name_zh", ""),
            "organisation": details["organisation"],
            "job_title": details["job_title"],
            "category": registration.category,
            "notes": notes,
        }
        guest = personal(registration.id, shown, Kind.DETAILS)
        return guest.erased_copy() if registration.erased else guest

    def _first_entry(self) -> dict[str, Any] | None:
        if self.first_entry is None:
            return None
        return {
            "at": self.first_entry["scanned_at"].isoformat(),
            "checkpoint": self.checkpoint.code,
            "device": self.first_entry["device"],
        }
