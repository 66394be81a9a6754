"""Domain tests of the scan judgement table, in memory: every status, in the order decided."""

from __future__ import annotations

import ast
import itertools
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.attendance import Attendance
from domain.checkpoint import Checkpoint
from domain.door_device import DoorDevice
from domain.gathering import Gathering
from domain.registration import GuestDetails, Registration
from domain.scan import Scan, ScanStatus
from domain.scan_judgement import Judgement, ScanRequest
from domain.scan_rules import CLOSED_BY_ORGANISERS, REASONS, RULES
from tests.unit.test_domain_gathering import T0, schedule

S = ScanStatus
ALICE = "organiser:alice"
DURING = T0 + timedelta(hours=1)
ORDER = [rule.name for rule in RULES]


@dataclass(frozen=True)
class FakeBadge:
    """A genuine badge, as the application service hands it over after checking its MAC."""

    gathering_id: UUID
    serial: int

    def is_for(self, gathering_id: UUID) -> bool:
        return self.gathering_id == gathering_id


class Door:
    """A gathering with two checkpoints, one device, and the attendances recorded so far."""

    def __init__(self) -> None:
        self.gathering = schedule()
        for code, categories in (("main", ("guest", "vip")), ("lounge", ("vip",))):
            self.gathering.define_checkpoint(
                Checkpoint(code, code, code, categories, category_notes={"vip": "front row"}),
                T0 - timedelta(days=1),
                ALICE,
            )
        self.device = DoorDevice(
            setup_code_digest="digest",
            gathering_id=self.gathering.id,
            name="door 1",
            setup_expires_at=T0,
            at=T0 - timedelta(days=1),
            actor=ALICE,
        )
        self.attendances: dict[UUID, Attendance] = {}
        self.loads = 0
        self.scans = itertools.count()

    def attendance_of(self, registration_id: UUID) -> Attendance | None:
        self.loads += 1
        return self.attendances.get(registration_id)

    def judge(
        self,
        badge: FakeBadge | None,
        registration: Registration | None,
        checkpoint: str = "main",
        invalid_reason: str = "",
        **request: Any,
    ) -> Judgement:
        """Judge one scan and keep the attendance it changed, as the saved store would."""
        fields = {"direction": "in", "scanned_at": DURING, **request}
        client_scan_id = f"scan-{next(self.scans)}"
        scan = ScanRequest("token", checkpoint, client_scan_id, **fields)
        scan_id = Scan.create_id(self.device.id, client_scan_id)
        judged = Judgement(
            self.gathering, self.gathering.checkpoint(checkpoint), self.device, scan, scan_id
        )
        judged.judge(badge, registration, self.attendance_of, invalid_reason)
        for attendance in judged.changed:
            self.attendances[attendance.registration_id] = attendance
        return judged


def guest(gathering: Gathering, state: str = "confirmed", category: str = "guest") -> Registration:
    details = GuestDetails("Cha Yichao", "cha@example.org", "HKSTP", "Chairman", True, "查毅超")
    return Registration(
        id=uuid4(),
        gathering_id=gathering.id,
        details={**details.as_dict(), "accessibility": "wheelchair"},
        category=category,
        state=state,
        at=T0 - timedelta(days=7),
        actor="guest",
    )


def badge_of(registration: Registration) -> FakeBadge:
    return FakeBadge(registration.gathering_id, registration.badge_serial)


def test_the_table_gives_every_status_and_names_each_rule_once() -> None:
    assert {rule.status for rule in RULES} == set(ScanStatus)
    assert len(set(ORDER)) == len(ORDER)
    assert ORDER[0] == "not_a_badge"
    assert ORDER[-1] == "entry"
    assert [rule.name for rule in RULES if rule.passes] == ["exit", "already_checked_in", "entry"]


# A scan that is fine in every way (a vip at the vip lounge, during the gathering), and the
# one thing each refusal of the table changes in it.
FINE: dict[str, Any] = {
    "genuine": True,
    "badge_gathering": "ours",
    "registered": True,
    "registration_gathering": "ours",
    "replaced": False,
    "state": "confirmed",
    "closed": False,
    "category": "vip",
    "scanned_at": DURING,
}
FAULTS: dict[str, dict[str, Any]] = {
    "not_a_badge": {"genuine": False},
    "badge_of_another_gathering": {"badge_gathering": "other"},
    "no_registration": {"registered": False},
    "registered_elsewhere": {"registration_gathering": "other"},
    "replaced_badge": {"replaced": True},
    "cancelled": {"state": "cancelled"},
    "not_confirmed": {"state": "waitlisted"},
    "closed_by_organisers": {"closed": True},
    "category_not_admitted": {"category": "guest"},
    "outside_hours": {"scanned_at": T0 - timedelta(hours=2)},
}
INVALID_REASON = "the badge's signature is wrong (forged or damaged)"


def judge_faults(door: Door, *faults: str) -> Judgement:
    """Judge a scan at the vip lounge that has these faults."""
    s = dict(FINE)
    for fault in faults:
        s.update(FAULTS[fault])
    other = schedule(slug="another")
    registration = guest(
        other if s["registration_gathering"] == "other" else door.gathering,
        state=s["state"],
        category=s["category"],
    )
    badge_gathering = other.id if s["badge_gathering"] == "other" else door.gathering.id
    badge = FakeBadge(badge_gathering, registration.badge_serial)
    if s["replaced"]:  # the event itself: reissuing checks the state, which may be a fault too
        registration._reissue_badge(at=T0 - timedelta(days=1), actor=ALICE, serial=2)
    if s["closed"]:
        door.gathering.close_checkpoint("lounge", T0, ALICE)
    return door.judge(
        badge if s["genuine"] else None,
        registration if s["registered"] else None,
        checkpoint="lounge",
        invalid_reason=INVALID_REASON,
        scanned_at=s["scanned_at"],
    )


def test_the_faults_are_listed_in_the_order_of_the_table() -> None:
    assert list(FAULTS) == ORDER[: len(FAULTS)]
    assert ORDER[len(FAULTS) :] == ["not_inside", "exit", "already_checked_in", "entry"]


def test_the_scan_without_faults_is_an_entry() -> None:
    door = Door()
    judged = judge_faults(door)
    assert judged.rule is RULES[ORDER.index("entry")]
    assert (judged.status, judged.reason) == (S.OK, REASONS[S.OK])
    assert door.loads == 1


REFUSAL_REASONS = {
    "not_a_badge": INVALID_REASON,
    "not_confirmed": "This registration is not confirmed (it is waitlisted).",
    "closed_by_organisers": CLOSED_BY_ORGANISERS,
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_each_refusal_alone_is_decided_by_its_rule(fault: str) -> None:
    door = Door()
    judged = judge_faults(door, fault)
    rule = RULES[ORDER.index(fault)]
    assert judged.rule is rule
    assert judged.status is rule.status
    assert judged.reason == REFUSAL_REASONS.get(fault, REASONS[rule.status])
    assert door.loads == 0  # a refused scan never reads the attendance
    assert judged.changed == []
    answer = judged.answer(DURING)
    assert (answer["status"], answer["guest"], answer["first_check_in"]) == (
        rule.status.value,
        None,
        None,
    )


PAIRS = [(a, b) for a, b in itertools.combinations(FAULTS, 2) if not FAULTS[a].keys() & FAULTS[b]]


@pytest.mark.parametrize(("first", "later"), PAIRS)
def test_a_scan_with_two_faults_gets_the_rule_first_in_the_table(first: str, later: str) -> None:
    judged = judge_faults(Door(), first, later)
    assert judged.rule is not None
    assert judged.rule.name == first


def test_a_cancelled_badge_at_a_closed_checkpoint_is_answered_cancelled() -> None:
    judged = judge_faults(Door(), "closed_by_organisers", "cancelled")
    assert (judged.status, judged.reason) == (S.CANCELLED, REASONS[S.CANCELLED])


def test_a_cancelled_registration_is_cancelled_rather_than_not_confirmed() -> None:
    assert judge_faults(Door(), "cancelled").status is S.CANCELLED


def test_a_closed_checkpoint_says_the_organisers_closed_it_even_outside_its_hours() -> None:
    judged = judge_faults(Door(), "closed_by_organisers", "outside_hours")
    assert judged.rule is not None
    assert (judged.rule.name, judged.reason) == ("closed_by_organisers", CLOSED_BY_ORGANISERS)


def test_the_registration_is_recorded_once_the_badge_is_of_this_gathering() -> None:
    for fault, recorded in [
        ("not_a_badge", False),
        ("badge_of_another_gathering", False),
        ("no_registration", False),
        ("registered_elsewhere", True),
        ("replaced_badge", True),
        ("cancelled", True),
    ]:
        scan = judge_faults(Door(), fault).record("fingerprint", DURING)
        assert (scan.registration_id is not None) is recorded, fault
        assert scan.status is RULES[ORDER.index(fault)].status


def test_entries_exits_and_re_entry_follow_the_guest_in_and_out() -> None:
    door = Door()
    vip = guest(door.gathering, category="vip")
    badge = badge_of(vip)
    steps = [
        ("out", S.NOT_INSIDE, REASONS[S.NOT_INSIDE], "not_inside"),
        ("in", S.OK, REASONS[S.OK], "entry"),
        ("in", S.ALREADY_CHECKED_IN, REASONS[S.ALREADY_CHECKED_IN], "already_checked_in"),
        ("out", S.OK, "Goodbye: exit recorded.", "exit"),
        ("out", S.NOT_INSIDE, REASONS[S.NOT_INSIDE], "not_inside"),
        ("in", S.OK, "Welcome back: re-entry.", "entry"),
        ("in", S.ALREADY_CHECKED_IN, REASONS[S.ALREADY_CHECKED_IN], "already_checked_in"),
    ]
    first_at = DURING + timedelta(minutes=1)
    for n, (direction, status, reason, rule) in enumerate(steps):
        at = DURING + timedelta(minutes=n)
        judged = door.judge(badge, vip, direction=direction, scanned_at=at)
        assert judged.rule is not None
        assert (judged.status, judged.reason, judged.rule.name) == (status, reason, rule), n
        answer = judged.answer(at)
        if rule == "not_inside":
            assert judged.changed == []
            assert answer["guest"] is None
            continue
        assert judged.changed == [door.attendances[vip.id]]
        assert answer["first_check_in"] == {
            "at": first_at.isoformat(),
            "checkpoint": "main",
            "device": door.device.label,
        }
        assert answer["guest"]["notes"] == ["front row", "wheelchair"]
    attendance = door.attendances[vip.id]
    assert attendance.is_inside("main")
    assert not attendance.is_inside("lounge")  # each checkpoint keeps its own entries
    kinds = [type(e).__qualname__ for e in attendance.collect_events()]
    assert kinds == [
        "Attendance.Started",  # with the first entry
        "Attendance.Left",
        "Attendance.Entered",
    ]


def test_entering_one_checkpoint_is_a_first_entry_at_another() -> None:
    door = Door()
    vip = guest(door.gathering, category="vip")
    assert door.judge(badge_of(vip), vip).status is S.OK
    judged = door.judge(badge_of(vip), vip, checkpoint="lounge")
    assert (judged.status, judged.reason) == (S.OK, REASONS[S.OK])
    assert door.loads == 2  # read once per passing scan


@pytest.mark.parametrize(
    ("local_status", "conflict"), [("ok", True), ("refused", False), ("", False)]
)
def test_an_offline_entry_of_a_guest_inside_is_a_conflict_only_if_the_door_let_them_in(
    local_status: str, conflict: bool
) -> None:
    door = Door()
    registration = guest(door.gathering)
    badge = badge_of(registration)
    door.judge(badge, registration)
    at = DURING + timedelta(minutes=5)
    judged = door.judge(badge, registration, scanned_at=at, offline=True, local_status=local_status)
    assert judged.status is S.ALREADY_CHECKED_IN
    assert judged.conflict is conflict
    attendance = door.attendances[registration.id]
    flagged = [e for e in attendance.collect_events() if type(e) is Attendance.ConflictFlagged]
    assert len(flagged) == int(conflict)
    assert [c["scanned_at"] for c in attendance.conflicts] == ([at] if conflict else [])
    scan = judged.record("fingerprint", at + timedelta(minutes=3))
    assert scan.offline is True
    assert scan.answer["conflict"] is conflict
    assert scan.answer["offline"] is True


def test_an_offline_scan_is_judged_by_the_same_table() -> None:
    door = Door()
    registration = guest(door.gathering, state="cancelled")
    judged = door.judge(badge_of(registration), registration, offline=True, local_status="ok")
    assert (judged.status, judged.conflict, judged.changed) == (S.CANCELLED, False, [])
    fresh = guest(door.gathering)
    judged = door.judge(badge_of(fresh), fresh, offline=True, local_status="ok")
    assert (judged.status, judged.conflict) == (S.OK, False)


def test_the_recorded_scan_holds_the_judgement_and_its_answer() -> None:
    door = Door()
    registration = guest(door.gathering)
    received = DURING + timedelta(seconds=2)
    judged = door.judge(badge_of(registration), registration, manual=True)
    scan = judged.record("fingerprint", received)
    assert (scan.status, scan.reason, scan.registration_id) == (
        S.OK,
        REASONS[S.OK],
        registration.id,
    )
    assert (scan.checkpoint, scan.direction, scan.scanned_at) == ("main", "in", DURING)
    assert scan.answer == judged.answer(received)
    assert scan.answer["manual"] is True
    assert scan.answer["scan_id"] == str(judged.scan_id)
    assert scan.answer["guest"] == {
        "registration_id": str(registration.id),
        "full_name": "Cha Yichao",
        "name_zh": "查毅超",
        "organisation": "HKSTP",
        "job_title": "Chairman",
        "category": "guest",
        "notes": ["wheelchair"],
    }


FORBIDDEN = ("flask", "marshmallow", "reportlab", "eventsourcing.persistence", "events_app")
DOMAIN = Path(__file__).resolve().parents[2] / "domain"


def imported_modules(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.append(node.module or "")
    return found


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.py")), ids=lambda p: p.name)
def test_the_domain_imports_no_framework_no_persistence_and_nothing_of_the_app(
    path: Path,
) -> None:
    """The judgement and every domain module it may import (all of domain/)."""
    forbidden = [
        name
        for name in imported_modules(path)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    ]
    assert forbidden == []


def test_the_judgement_modules_are_checked() -> None:
    names = {p.name for p in DOMAIN.glob("*.py")}
    assert {"scan_rules.py", "scan_judgement.py"} <= names
    assert "domain.scan_rules" in imported_modules(DOMAIN / "scan_judgement.py")
