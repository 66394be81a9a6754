"""The judgement table of a scan: its rules in the order they are decided, first match wins.

Every scan is answered by the first rule of `RULES` it meets, from "not a badge" down to
"entry". The door page judges offline scans by its door list with the rules marked
`offline`, in the same order (DoorList.judge in events_app/pages/static/door-list.js). The
table of cases tests/cases/door_cases.json holds the server (tests/api/test_door_cases.py)
and the page (tests/browser/test_door_cases_browser.py) to the same answers, a case for
each rule; a case the page cannot know as the server does says so (`offline_status`, `why`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from domain.checkpoint import Checkpoint
from domain.gathering import Gathering
from domain.registration import Registration, RegistrationState
from domain.scan import ScanStatus

S = ScanStatus

REASONS = {
    S.OK: "Welcome: first entry here.",
    S.ALREADY_CHECKED_IN: "This badge has already been used here.",
    S.INVALID: "The code is not a badge of this system.",
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
EXIT_RECORDED = "Goodbye: exit recorded."
RE_ENTRY = "Welcome back: re-entry."


class Badge(Protocol):
    """What a genuine badge says (events_app.services.badge_tokens.BadgeClaims is one)."""

    @property
    def serial(self) -> int:
        """Return how many times the badge has been issued, this one included."""
        ...

    def is_for(self, gathering_id: UUID) -> bool:
        """Tell whether the badge was issued for this gathering."""
        ...


class AttendanceView(Protocol):
    """What the rules read of a guest's attendance (domain.attendance.Attendance is one)."""

    def is_inside(self, checkpoint: str) -> bool:
        """Tell whether the guest has entered `checkpoint` and not left since."""
        ...

    def first_entry_at(self, checkpoint: str) -> dict[str, Any] | None:
        """Return when and by which device the guest first entered `checkpoint`."""
        ...


class NoAttendance:
    """The attendance of a guest none is recorded for: inside nowhere, never entered."""

    __slots__ = ()

    def is_inside(self, checkpoint: str) -> bool:
        """Tell whether the guest is inside `checkpoint`: never."""
        return False

    def first_entry_at(self, checkpoint: str) -> dict[str, Any] | None:
        """Return the guest's first entry at `checkpoint`: none."""
        return None


NO_ATTENDANCE = NoAttendance()
"""What the rules read of a guest before their first scan that passes a door."""


class Case:
    """What the rules read about one scan; the guest's attendance is loaded when first read."""

    __slots__ = (
        "_attendance",
        "badge",
        "badge_is_ours",
        "checkpoint",
        "direction",
        "gathering",
        "invalid_reason",
        "load_attendance",
        "registration",
        "scanned_at",
    )

    def __init__(
        self,
        gathering: Gathering,
        checkpoint: Checkpoint,
        direction: str,
        scanned_at: datetime,
        badge: Badge | None,
        registration: Registration | None,
        load_attendance: Callable[[], AttendanceView],
        invalid_reason: str = "",
    ) -> None:
        self.gathering = gathering
        self.checkpoint = checkpoint
        self.direction = direction
        self.scanned_at = scanned_at
        self.badge = badge
        self.registration = registration
        self.load_attendance = load_attendance
        self.invalid_reason = invalid_reason
        self.badge_is_ours = badge is not None and badge.is_for(gathering.id)
        """Whether the scanned code is a genuine badge of this gathering."""
        self._attendance: AttendanceView | None = None

    @property
    def genuine(self) -> Badge:
        """Return the badge, read only by rules after "not a badge"."""
        assert self.badge is not None
        return self.badge

    @property
    def guest(self) -> Registration:
        """Return the registration, read only by rules after "no registration"."""
        assert self.registration is not None
        return self.registration

    @property
    def attendance(self) -> AttendanceView:
        """Return the guest's attendance (NO_ATTENDANCE before their first entry), loaded once."""
        if self._attendance is None:
            self._attendance = self.load_attendance()
        return self._attendance

    @property
    def inside(self) -> bool:
        """Tell whether the guest is inside this checkpoint."""
        return self.attendance.is_inside(self.checkpoint.code)


@dataclass(frozen=True)
class Rule:
    """One line of the table: a scan for which `applies` is true gets `status` and a reason."""

    name: str
    status: ScanStatus
    applies: Callable[[Case], bool]
    reason: Callable[[Case], str] | None = None
    """The reason given, when not the status's own (REASONS)."""
    offline: bool = False
    """Whether the door page applies the rule itself when it judges a scan offline.

    Not "registered_elsewhere": the door list holds only its own gathering's registrations,
    so the page answers such a badge by "no_registration" (`unknown`).
    """
    passes: bool = False
    """Whether the guest passes the door's checks: the attendance is read and kept."""

    def reason_for(self, case: Case) -> str:
        """Return the reason the scan is given."""
        reason = self.reason(case) if self.reason is not None else ""
        return reason or REASONS[self.status]


def _no_badge(case: Case) -> bool:
    return case.badge is None


def _not_ours(case: Case) -> bool:
    return not case.badge_is_ours


def _no_registration(case: Case) -> bool:
    return case.registration is None


def _registered_elsewhere(case: Case) -> bool:
    return case.guest.gathering_id != case.gathering.id


def _replaced(case: Case) -> bool:
    return case.genuine.serial != case.guest.badge_serial


def _cancelled(case: Case) -> bool:
    return case.guest.state is RegistrationState.CANCELLED


def _unconfirmed(case: Case) -> bool:
    return case.guest.state is not RegistrationState.CONFIRMED


def _closed(case: Case) -> bool:
    return case.checkpoint.closed


def _not_admitted(case: Case) -> bool:
    return not case.checkpoint.admits(case.guest.category)


def _outside_hours(case: Case) -> bool:
    hours = case.gathering.starts_at, case.gathering.ends_at
    return not case.checkpoint.is_open(case.scanned_at, *hours)


def _leaves_unseen(case: Case) -> bool:
    return case.direction == "out" and not case.inside


def _leaves(case: Case) -> bool:
    return case.direction == "out"


def _inside(case: Case) -> bool:
    return case.inside


def _always(case: Case) -> bool:
    return True


def _why_invalid(case: Case) -> str:
    return case.invalid_reason


def _why_unconfirmed(case: Case) -> str:
    return f"{REASONS[S.NOT_CONFIRMED]} (it is {case.guest.state.value})."


def _why_closed(case: Case) -> str:
    return CLOSED_BY_ORGANISERS


def _goodbye(case: Case) -> str:
    return EXIT_RECORDED


def _welcome(case: Case) -> str:
    re_entry = case.attendance.first_entry_at(case.checkpoint.code) is not None
    return RE_ENTRY if re_entry else REASONS[S.OK]


RULES: tuple[Rule, ...] = (
    Rule("not_a_badge", S.INVALID, _no_badge, _why_invalid, offline=True),
    Rule("badge_of_another_gathering", S.WRONG_EVENT, _not_ours, offline=True),
    Rule("no_registration", S.UNKNOWN, _no_registration, offline=True),
    Rule("registered_elsewhere", S.WRONG_EVENT, _registered_elsewhere),
    Rule("replaced_badge", S.REVOKED, _replaced, offline=True),
    Rule("cancelled", S.CANCELLED, _cancelled, offline=True),
    Rule("not_confirmed", S.NOT_CONFIRMED, _unconfirmed, _why_unconfirmed, offline=True),
    Rule("closed_by_organisers", S.CLOSED, _closed, _why_closed, offline=True),
    Rule("category_not_admitted", S.NOT_ADMITTED_HERE, _not_admitted, offline=True),
    Rule("outside_hours", S.CLOSED, _outside_hours, offline=True),
    Rule("not_inside", S.NOT_INSIDE, _leaves_unseen, offline=True),
    Rule("exit", S.OK, _leaves, _goodbye, offline=True, passes=True),
    Rule("already_checked_in", S.ALREADY_CHECKED_IN, _inside, offline=True, passes=True),
    Rule("entry", S.OK, _always, _welcome, offline=True, passes=True),
)
"""The judgement table, in the order rules are decided."""


def first_rule(case: Case) -> Rule:
    """Return the rule that decides `case`: the first in RULES that applies."""
    for rule in RULES:
        if rule.applies(case):
            return rule
    raise AssertionError("the last rule applies to every scan")  # pragma: no cover
