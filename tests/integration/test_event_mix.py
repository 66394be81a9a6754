"""The event-mix generator (benchmarks/event_mix.py): its figures are the store's figures.

A small mix is written on SQLite and PostgreSQL (and in memory); what `Mix` says must
agree with the aggregates read back from the store, with the read models (guest list,
arrivals, devices, conflicts) and with the real check-in path scanning on after it.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import IntegrityError
from flask import Flask

from benchmarks.event_mix import Mix, fill
from domain.attendance import Attendance
from domain.errors import NotFound
from domain.registration import Registration
from domain.scan import Scan
from events_app.services.box_office import BoxOffice
from events_app.services.checkin import ScanRequest
from tests.conftest import FakeClock, make_app, services_of

REGISTRATIONS = 200
SCANS = 2_000


def every_event(events: BoxOffice) -> list[Any]:
    """Return every domain event in the store, each read back by the app's mapper."""
    found: list[Any] = []
    position = 0
    while batch := events.recorder.select_notifications(position + 1, 1000):
        found.extend(events.mapper.to_domain_event(n) for n in batch)
        position = batch[-1].id
    return found


def from_store(events: BoxOffice, mix: Mix, stored: list[Any]) -> dict[str, Any]:
    """Return the mix's figures as the aggregates loaded from the store tell them."""
    registration_ids = {e.originator_id for e in stored if type(e) is Registration.Submitted}
    states: Counter[str] = Counter()
    arrived: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    attendances: dict[str, dict[str, Any]] = {}
    for registration_id in registration_ids:
        registration = events.registration(registration_id)
        states[registration.state.value] += 1
        try:
            attendance = events.load(Attendance, Attendance.create_id(registration_id), "")
        except NotFound:  # never let in
            continue
        if registration.state.value != "confirmed" or not attendance.first_entry:
            continue
        for code in attendance.first_entry:
            arrived[code] += 1
            inside[code] += attendance.is_inside(code)
        attendances[str(registration_id)] = {
            "first": {c: e["scanned_at"] for c, e in attendance.first_entry.items()},
            "inside": sorted(c for c, i in attendance.inside.items() if i),
        }
    return {
        "by_state": dict(states),
        "arrived_by_checkpoint": {code: arrived[code] for code in mix.arrived_by_checkpoint},
        "inside_by_checkpoint": {code: inside[code] for code in mix.inside_by_checkpoint},
        "attendances": attendances,
    }


def check_read_models(app: Flask, mix: Mix) -> None:
    """The current read models show exactly the mix's figures."""
    services = services_of(app)
    gathering_id = str(mix.gathering_id)
    assert services.guest_list.counts(gathering_id)["by_state"] == mix.by_state
    figures = services.arrivals.figures(mix.slug)
    assert figures.checked_in == mix.arrived
    assert figures.inside == mix.inside
    assert figures.expected == sum(mix.expected.values())
    assert {c.category: c.checked_in for c in figures.by_category if c.checked_in} == (
        mix.arrived_by_category
    )
    assert {c.code: c.checked_in for c in figures.by_checkpoint} == mix.arrived_by_checkpoint
    assert {c.code: c.inside for c in figures.by_checkpoint} == mix.inside_by_checkpoint
    devices = services.checkin_view.devices(gathering_id)
    assert {d["id"]: d["scans"] for d in devices} == mix.scans_by_device
    assert len(services.checkin_view.conflicts(gathering_id)) == mix.conflicts


def scan_on(app: Flask, mix: Mix) -> None:
    """The real check-in path, scanning after the mix, sees the mix's attendances."""
    services = services_of(app)
    events = services.box_office
    gathering = events.gathering_by_id(mix.gathering_id)
    device = services.devices.device(UUID(mix.devices[0]))
    inside = next(r for r, a in mix.attendances.items() if "main-hall" in a["inside"])
    request = ScanRequest(
        token=services.checkin.badge_token(events.registration(UUID(inside))),
        checkpoint="main-hall",
        client_scan_id="after-the-mix-1",
        scanned_at=gathering.ends_at - timedelta(minutes=1),
    )
    assert services.checkin.scan(device, request).answer["status"] == "already_checked_in"
    out = services.checkin.scan(
        device, ScanRequest(**{**request.__dict__, "client_scan_id": "after-2", "direction": "out"})
    )
    assert out.answer["status"] == "ok"
    assert services.arrivals.figures(mix.slug).inside == mix.inside - 1


def test_a_mix_agrees_with_the_store_and_the_read_models(app: Flask) -> None:
    services = services_of(app)
    written: list[int] = []
    mix = fill(
        services.box_office,
        registrations=REGISTRATIONS,
        scans=SCANS,
        seed=7,
        progress=written.append,
        signer=services.signer,
        chunk=500,
    )
    stored = every_event(services.box_office)
    assert len(stored) == mix.events == written[-1]
    assert written == sorted(written)
    assert len(written) > 5
    assert sum(type(e) is Scan.Recorded for e in stored) == SCANS == mix.scans
    assert sum(mix.scans_by_status.values()) == sum(mix.scans_by_device.values()) == SCANS
    statuses = {e.status for e in stored if type(e) is Scan.Recorded}
    assert {"ok", "already_checked_in", "invalid", "closed", "not_inside"} <= statuses
    assert Counter(e.status for e in stored if type(e) is Scan.Recorded) == Counter(
        mix.scans_by_status
    )
    assert any(type(e) is Attendance.Left for e in stored)
    assert sum(e.offline for e in stored if type(e) is Scan.Recorded) == mix.offline_scans > 0
    assert {"confirmed", "waitlisted", "cancelled"} <= set(mix.by_state)
    loaded = from_store(services.box_office, mix, stored)
    assert loaded["by_state"] == mix.by_state
    assert loaded["arrived_by_checkpoint"] == mix.arrived_by_checkpoint
    assert loaded["inside_by_checkpoint"] == mix.inside_by_checkpoint
    assert loaded["attendances"] == mix.attendances
    assert len(mix.attendances) == mix.arrived > 0
    check_read_models(app, mix)
    scan_on(app, mix)


def test_a_mix_into_an_existing_gathering(app: Flask, gathering: dict[str, Any]) -> None:
    services = services_of(app)
    mix = fill(
        services.box_office,
        gathering_id=UUID(gathering["id"]),
        registrations=50,
        scans=600,
        devices=2,
        signer=services.signer,
    )
    assert mix.slug == gathering["slug"]
    assert mix.by_state.get("waitlisted", 0) > 0  # the test gathering has 10 seats
    assert set(mix.arrived_by_checkpoint) == {"main-hall", "ceremony-hall"}
    check_read_models(app, mix)


@pytest.mark.parametrize("background", [True, False])
def test_the_same_seed_makes_the_same_day(clock: FakeClock, background: bool) -> None:
    figures = []
    for _ in range(2):
        app = make_app("memory://", clock)
        try:
            mix = fill(
                services_of(app).box_office,
                registrations=100,
                scans=1_000,
                seed=3,
                background=background,
            )
        finally:
            services_of(app).close()
        figures.append((mix.events, mix.by_state, mix.scans_by_status, mix.arrived, mix.inside))
    assert figures[0] == figures[1]


def test_a_failed_write_stops_the_fill(clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app("memory://", clock)
    events = services_of(app).box_office
    insert = events.recorder.insert_events
    calls: list[int] = []

    def failing(stored: list[Any], **kwargs: Any) -> Any:
        calls.append(len(stored))
        if len(calls) == 3:
            raise IntegrityError("the third write fails")
        return insert(stored, **kwargs)

    monkeypatch.setattr(events.recorder, "insert_events", failing)
    try:
        with pytest.raises(IntegrityError):
            fill(events, registrations=100, scans=3_000, chunk=500)
        assert len(calls) == 3  # nothing is written after the failure
        assert events.recorder.max_notification_id() == calls[0] + calls[1]
    finally:
        services_of(app).close()
