"""What a scan stores of the guest's attendance, and attendances stored by earlier versions.

A guest's first entry is recorded in the event that starts their attendance: the scan
writes two events, not three. Histories stored before (`Started` without an entry, then
`Entered`) are read as they were. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.persistence import StoredEvent
from flask import Flask
from flask.testing import FlaskClient

from domain.attendance import Attendance
from tests.api.test_api_scans import app_event_count, scan
from tests.checkin_helpers import badge_token, confirmed_guest, enrol_device, scan_body
from tests.conftest import SLUG, FakeClock, services_of


def stored_kinds(app: Flask, registration_id: str) -> list[str]:
    """Return the names of the guest's attendance events in the store."""
    events = services_of(app).box_office.events.get(Attendance.create_id(UUID(registration_id)))
    return [type(e).__name__ for e in events]


def test_a_first_entry_writes_two_events_and_the_attendance_starts_inside(
    app: Flask, client: FlaskClient, door: dict[str, str], clock: FakeClock
) -> None:
    registration = confirmed_guest(client)
    token = badge_token(app, registration["id"])
    before = app_event_count(app)
    first = scan(client, door, scan_body(token, clock()))
    assert first["status"] == "ok"
    assert app_event_count(app) - before == 2  # Scan.Recorded, Attendance.Started
    assert stored_kinds(app, registration["id"]) == ["Started"]
    clock.advance(minutes=1)
    again = scan(client, door, scan_body(token, clock()))
    assert again["status"] == "already_checked_in"
    assert again["first_check_in"] == first["first_check_in"]
    assert first["first_check_in"]["at"] == first["scanned_at"]


def test_exit_re_entry_and_an_offline_conflict_follow_a_first_entry(
    app: Flask,
    client: FlaskClient,
    door: dict[str, str],
    clock: FakeClock,
    organiser: dict[str, str],
) -> None:
    registration = confirmed_guest(client)
    token = badge_token(app, registration["id"])
    t0 = clock()
    assert scan(client, door, scan_body(token, t0))["status"] == "ok"
    offline = enrol_device(client, organiser, "door 2")
    clock.advance(minutes=10)
    let_in = scan_body(token, t0 + timedelta(minutes=1), offline=True, local_status="ok")
    conflict = scan(client, offline, let_in)
    assert (conflict["status"], conflict["conflict"]) == ("already_checked_in", True)
    assert scan(client, door, scan_body(token, clock(), direction="out"))["status"] == "ok"
    clock.advance(minutes=10)
    back = scan(client, door, scan_body(token, clock()))
    assert (back["status"], back["reason"]) == ("ok", "Welcome back: re-entry.")
    assert back["first_check_in"]["at"] == t0.isoformat()
    kinds = stored_kinds(app, registration["id"])
    assert kinds == ["Started", "ConflictFlagged", "Left", "Entered"]
    listed = client.get(f"/api/v1/gatherings/{SLUG}/scan-conflicts", headers=organiser).json
    assert len(listed["items"]) == 1


def store_old_history(app: Flask, registration_id: str, entry: dict[str, Any]) -> None:
    """Store a guest's attendance as earlier versions did: `Started`, then `Entered`."""
    box_office = services_of(app).box_office
    gathering_id = box_office.registration(UUID(registration_id)).gathering_id
    attendance = Attendance(registration_id=UUID(registration_id), gathering_id=gathering_id)
    attendance.enter(**entry)
    stored = [box_office.mapper.to_stored_event(e) for e in attendance.collect_events()]
    state = json.loads(stored[0].state)
    del state["entered"]  # no such field then
    first = stored[0]
    text = json.dumps(state, separators=(",", ":")).encode()
    stored[0] = StoredEvent(first.originator_id, first.originator_version, first.topic, text)
    box_office.recorder.insert_events(stored)


def test_an_attendance_stored_by_earlier_versions_is_read_as_it_was(
    app: Flask, client: FlaskClient, door: dict[str, str], clock: FakeClock
) -> None:
    registration = confirmed_guest(client)
    token = badge_token(app, registration["id"])
    entered_at = clock() - timedelta(minutes=5)
    device = "device:door 0#earlier"
    entry = {"checkpoint": "main-entrance", "device": device, "scanned_at": entered_at}
    store_old_history(app, registration["id"], {**entry, "scan_id": uuid4()})
    inside = scan(client, door, scan_body(token, clock()))
    assert inside["status"] == "already_checked_in"
    shown = {"at": entered_at.isoformat(), "checkpoint": "main-entrance", "device": device}
    assert inside["first_check_in"] == shown
    clock.advance(minutes=1)
    assert scan(client, door, scan_body(token, clock(), direction="out"))["status"] == "ok"
    clock.advance(minutes=1)
    back = scan(client, door, scan_body(token, clock()))
    assert (back["status"], back["reason"]) == ("ok", "Welcome back: re-entry.")
    assert back["first_check_in"] == shown
    kinds = stored_kinds(app, registration["id"])
    assert kinds == ["Started", "Entered", "Left", "Entered"]
