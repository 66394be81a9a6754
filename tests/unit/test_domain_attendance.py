"""The attendance's events: a first entry starts it, older histories replay as they did."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import StoredEvent

from domain.attendance import Attendance
from domain.scan import ScanStatus
from domain.scan_judgement import Judgement
from events_app.config import system_clock
from events_app.services.box_office import BoxOffice
from tests.unit.test_domain_scan_judgement import DURING, Door, badge_of, guest

S = ScanStatus


def state_of(attendance: Attendance) -> dict[str, Any]:
    """Return what an attendance knows, without its id, version and timestamps."""
    names = ("registration_id", "gathering_id", "inside", "first_entry", "conflicts")
    return {name: getattr(attendance, name) for name in names}


def kinds(*aggregates: Aggregate) -> list[str]:
    """Return the names of the events the aggregates have pending, in order."""
    return [type(e).__qualname__ for a in aggregates for e in a.collect_events()]


def test_a_first_entry_writes_the_scan_and_the_attendance_that_it_starts() -> None:
    door = Door()
    registration = guest(door.gathering)
    judged = door.judge(badge_of(registration), registration)
    assert (judged.status, judged.rule and judged.rule.name) == (S.OK, "entry")
    scan = judged.record("fingerprint", DURING)
    (attendance,) = judged.changed
    started = attendance.pending_events[0]
    assert kinds(scan, attendance) == ["Scan.Recorded", "Attendance.Started"]
    entry = {"scanned_at": DURING, "device": door.device.label, "scan_id": judged.scan_id}
    assert started.entered == {"checkpoint": "main", **entry}  # type: ignore[attr-defined]
    assert attendance.is_inside("main")
    assert attendance.first_entry == {"main": entry}
    assert judged.answer(DURING)["first_check_in"]["at"] == DURING.isoformat()


def test_a_guest_who_was_never_let_in_has_no_attendance_created() -> None:
    door = Door()
    registration = guest(door.gathering)
    judged = door.judge(badge_of(registration), registration, direction="out")
    assert (judged.status, judged.changed, judged.first_entry) == (S.NOT_INSIDE, [], None)
    assert door.attendances == {}


def test_starting_with_an_entry_is_what_starting_then_entering_was() -> None:
    registration_id, gathering_id, scan_id = uuid4(), uuid4(), uuid4()
    entry = {"checkpoint": "main", "device": "door 1", "scanned_at": DURING, "scan_id": scan_id}
    before = Attendance(registration_id=registration_id, gathering_id=gathering_id)
    before.enter(**entry)
    now = Attendance(registration_id=registration_id, gathering_id=gathering_id, entered=entry)
    assert state_of(now) == state_of(before)
    assert now.id == before.id == Attendance.create_id(registration_id)


class ReplayingDoor(Door):
    """A door whose attendances are replayed from their events on each scan, as a store's."""

    def __init__(self) -> None:
        super().__init__()
        self.events: dict[UUID, list[Any]] = {}

    def attendance_of(self, registration_id: UUID) -> Attendance | None:
        self.loads += 1
        attendance = None
        for domain_event in self.events.get(registration_id, []):
            attendance = domain_event.mutate(attendance)
        return attendance

    def judge(self, *args: Any, **kwargs: Any) -> Judgement:
        judged = super().judge(*args, **kwargs)
        for attendance in judged.changed:
            self.events.setdefault(attendance.registration_id, []).extend(
                attendance.collect_events()
            )
        return judged


def test_exit_re_entry_and_conflicts_follow_a_first_entry_recorded_in_the_start() -> None:
    door = ReplayingDoor()
    registration = guest(door.gathering)
    badge = badge_of(registration)
    steps = [
        ({}, S.OK, "entry"),
        ({}, S.ALREADY_CHECKED_IN, "already_checked_in"),
        ({"offline": True, "local_status": "ok"}, S.ALREADY_CHECKED_IN, "already_checked_in"),
        ({"direction": "out"}, S.OK, "exit"),
        ({"direction": "out"}, S.NOT_INSIDE, "not_inside"),
        ({}, S.OK, "entry"),
    ]
    for n, (request, status, rule) in enumerate(steps):
        at = DURING + timedelta(minutes=n)
        judged = door.judge(badge, registration, scanned_at=at, **request)
        assert (judged.status, judged.rule and judged.rule.name) == (status, rule), n
        if status is not S.NOT_INSIDE:
            assert judged.answer(at)["first_check_in"]["at"] == DURING.isoformat(), n
    assert judged.reason == "Welcome back: re-entry."
    assert [type(e).__name__ for e in door.events[registration.id]] == [
        "Started",
        "ConflictFlagged",
        "Left",
        "Entered",
    ]
    attendance = door.attendance_of(registration.id)
    assert attendance is not None
    assert attendance.is_inside("main")
    assert [c["scanned_at"] for c in attendance.conflicts] == [DURING + timedelta(minutes=2)]


def test_a_stored_history_of_started_then_entered_replays_to_the_same_state() -> None:
    """A `Started` stored before it could hold an entry has no `entered` field at all."""
    app = BoxOffice(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=system_clock)
    entry = {"checkpoint": "main", "device": "door 1", "scanned_at": DURING, "scan_id": uuid4()}
    old = Attendance(registration_id=uuid4(), gathering_id=uuid4())
    old.enter(**entry)
    stored = [app.mapper.to_stored_event(e) for e in old.collect_events()]
    assert [s.topic.rsplit(".", 1)[-1] for s in stored] == ["Started", "Entered"]
    started = json.loads(stored[0].state)
    del started["entered"]  # as the earlier Attendance.__init__ stored it
    assert set(started) == {"registration_id", "gathering_id", "timestamp", "originator_topic"}
    stored[0] = StoredEvent(
        stored[0].originator_id,
        stored[0].originator_version,
        stored[0].topic,
        json.dumps(started).encode(),
    )
    assert "entered" not in vars(app.mapper.to_domain_event(stored[0]))
    app.recorder.insert_events(stored)
    replayed = app.load(Attendance, old.id, "attendance")
    assert state_of(replayed) == state_of(old)
    assert replayed.version == 2
    assert replayed.first_entry_at("main") == {
        k: entry[k] for k in ("scanned_at", "device", "scan_id")
    }
