"""Concurrent scans of one badge: exactly one first entry, every scan recorded.

Every test runs on an SQLite file and on PostgreSQL. Threads start together at a
barrier. With two app instances on the same store each instance has its own in-process
locks, so only the store's optimistic concurrency control (a unique version per
aggregate) stands between two doors and a double check-in, as between gunicorn
workers; the spawned OS processes test the same thing without a shared interpreter.
"""

from __future__ import annotations

import multiprocessing
import traceback
import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from domain.attendance import Attendance
from domain.scan import Scan
from tests.checkin_helpers import (
    CHECKPOINTS,
    badge_token,
    confirmed_guest,
    define_checkpoints,
    enrol_device,
    scan_body,
)
from tests.conftest import SLUG, FakeClock, make_app, services_of
from tests.integration.test_concurrency import JOIN_TIMEOUT, FixedClock, run_together

pytestmark = pytest.mark.slow

SECRET_KEY = "test-secret-key"  # the key make_app gives the app: the badge keys derive from it
THREADS = 10
PROCESSES = 4


@dataclass(frozen=True)
class Door:
    """An enrolled door device: its auth headers and id."""

    headers: dict[str, str]
    id: UUID


@dataclass(frozen=True)
class Scene:
    """A gathering with checkpoints, two enrolled doors and one confirmed guest's badge."""

    doors: list[Door]
    registration_id: UUID
    token: str


@pytest.fixture
def scene(
    app: Flask, client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> Scene:
    define_checkpoints(client, organiser)
    doors = []
    for name in ("door 1", "door 2"):
        headers = enrol_device(client, organiser, name)
        doors.append(Door(headers, UUID(headers["X-Device-Id"])))
    registration = confirmed_guest(client)
    assert registration["state"] == "confirmed"
    return Scene(doors, UUID(registration["id"]), badge_token(app, registration["id"]))


@pytest.fixture(params=[1, 2], ids=["one-instance", "two-instances"])
def apps(request: pytest.FixtureRequest, app: Flask, database_url: str, clock: FakeClock) -> Any:
    """The app under test, and with 2 a second app instance on the same store."""
    instances = [app]
    for _ in range(request.param - 1):
        instances.append(make_app(database_url, clock))
    yield instances
    for extra in instances[1:]:
        services_of(extra).close()


def post_scan(app: Flask, door: Door, body: dict[str, Any]) -> dict[str, Any]:
    response = app.test_client().post("/api/v1/scans", json=body, headers=door.headers)
    assert response.status_code == 200, response.json
    return dict(response.json)


def stored_event_types(app: Flask, aggregate_id: UUID) -> list[str]:
    """Return the type names of the events the store holds for one aggregate."""
    return [type(e).__name__ for e in services_of(app).box_office.events.get(aggregate_id)]


def recorded_scans(app: Flask, **where: str) -> int:
    """Return how many scans the read model (caught up first) holds, filtered by `where`."""
    services = services_of(app)
    services.guest_list.catch_up()
    clauses = " AND ".join(f"{column} = ?" for column in where) or "1 = 1"
    with services.database.transaction() as tx:
        row = tx.execute(f"SELECT COUNT(*) FROM rm_scans WHERE {clauses}", list(where.values()))
        return int(row.one()[0])  # type: ignore[index]


def stored_scan_events(app: Flask) -> int:
    """Return how many Scan.Recorded events the store holds."""
    notifications = services_of(app).box_office.recorder.select_notifications(
        start=1, limit=100_000
    )
    return sum(1 for n in notifications if n.topic.endswith("Scan.Recorded"))


def check_one_first_entry(app: Flask, scene: Scene, answers: list[dict[str, Any]]) -> None:
    """Assert one `ok` and only `already_checked_in` besides, all naming that first entry."""
    statuses = Counter(a["status"] for a in answers)
    assert statuses == {"ok": 1, "already_checked_in": len(answers) - 1}, answers
    first = next(a for a in answers if a["status"] == "ok")
    for answer in answers:
        assert answer["guest"]["registration_id"] == str(scene.registration_id)
        assert answer["first_check_in"]["at"] == first["scanned_at"]
        assert answer["first_check_in"]["device"] == first["first_check_in"]["device"]
    attendance_id = Attendance.create_id(scene.registration_id)
    assert stored_event_types(app, attendance_id) == ["Started"]  # with the entry
    rid = str(scene.registration_id)
    assert recorded_scans(app, registration_id=rid) == len(answers)
    assert recorded_scans(app, registration_id=rid, status="ok") == 1


# Threads --------------------------------------------------------------------------------


def test_ten_threads_at_two_doors_scan_one_badge_once(
    apps: list[Flask], scene: Scene, clock: FakeClock
) -> None:
    def scan(index: int) -> dict[str, Any]:
        door = scene.doors[index % len(scene.doors)]
        body = scan_body(scene.token, clock(), client_scan_id=f"thread-{index:04d}")
        return post_scan(apps[index % len(apps)], door, body)

    answers = run_together(THREADS, scan)

    assert all(a["recorded"] for a in answers)
    assert len({a["scan_id"] for a in answers}) == THREADS
    check_one_first_entry(apps[0], scene, answers)
    for instance in apps:  # every instance judges the next scan the same way
        again = post_scan(instance, scene.doors[0], scan_body(scene.token, clock()))
        assert again["status"] == "already_checked_in"


@pytest.mark.parametrize("badge", ["genuine", "tampered"])
def test_one_client_scan_id_sent_by_many_threads_is_recorded_once(
    apps: list[Flask], scene: Scene, clock: FakeClock, badge: str
) -> None:
    token = scene.token
    if badge == "tampered":  # no registration to serialise on: the scan id is the key
        token = token[:20] + ("A" if token[20] != "A" else "B") + token[21:]
    body = scan_body(token, clock(), client_scan_id="phone-1:000042")
    events_before = stored_scan_events(apps[0])

    answers = run_together(THREADS, lambda i: post_scan(apps[i % len(apps)], scene.doors[0], body))

    assert [a["recorded"] for a in answers].count(True) == 1, answers
    bare = [{k: v for k, v in a.items() if k != "recorded"} for a in answers]
    assert all(answer == bare[0] for answer in bare), bare
    assert bare[0]["status"] == ("ok" if badge == "genuine" else "invalid")
    scan_id = Scan.create_id(scene.doors[0].id, "phone-1:000042")
    assert bare[0]["scan_id"] == str(scan_id)
    assert stored_event_types(apps[0], scan_id) == ["Recorded"]
    assert stored_scan_events(apps[0]) == events_before + 1
    assert recorded_scans(apps[0]) == 1
    attendance = stored_event_types(apps[0], Attendance.create_id(scene.registration_id))
    assert attendance == (["Started"] if badge == "genuine" else [])


# Separate OS processes ---------------------------------------------------------------------


def scan_in_process(
    database_url: str,
    instance_path: str,
    now: str,
    device_id: str,
    token: str,
    client_scan_id: str,
    barrier: Any,
    results: Any,
) -> None:
    """Child process: open own services, wait for the others, scan the badge once."""
    from datetime import datetime

    from events_app.context import open_services
    from events_app.services.checkin import ScanRequest

    outcome: dict[str, Any]
    try:
        services = open_services(
            database_url, instance_path, FixedClock(now), secret_key=SECRET_KEY
        )
        try:
            device = services.devices.device(UUID(device_id))
            request = ScanRequest(
                token=token,
                checkpoint="main-entrance",
                client_scan_id=client_scan_id,
                scanned_at=datetime.fromisoformat(now),
            )
            barrier.wait(timeout=JOIN_TIMEOUT)
            result = services.checkin.scan(device, request)
            outcome = {**result.answer, "recorded": result.recorded}
        finally:
            services.close()
    except BaseException:
        barrier.abort()  # let the other processes go on at once
        outcome = {"error": traceback.format_exc()}
    results.put(outcome)


def test_four_processes_scan_one_badge_once(
    app: Flask, scene: Scene, database_url: str, tmp_path: Any, clock: FakeClock
) -> None:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    results = context.Queue()
    processes = [
        context.Process(
            target=scan_in_process,
            args=(
                database_url,
                str(tmp_path),
                clock.now.isoformat(),
                str(scene.doors[n % len(scene.doors)].id),
                scene.token,
                f"process-{n:04d}-{uuid.uuid4().hex[:8]}",
                barrier,
                results,
            ),
        )
        for n in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    try:
        answers = [results.get(timeout=JOIN_TIMEOUT) for _ in processes]
    finally:
        for process in processes:
            process.join(timeout=JOIN_TIMEOUT)
            if process.is_alive():
                process.kill()
    assert [a["error"] for a in answers if "error" in a] == []
    assert [p.exitcode for p in processes] == [0] * PROCESSES
    assert all(a["recorded"] for a in answers)
    check_one_first_entry(app, scene, answers)


# What each process keeps in memory stays true to the store --------------------------------


def test_another_instance_sees_a_revoked_device_and_a_changed_checkpoint_at_once(
    app: Flask,
    scene: Scene,
    database_url: str,
    clock: FakeClock,
    organiser: dict[str, str],
) -> None:
    """Door devices and gatherings are kept per process between scans; never stale."""
    other = make_app(database_url, clock)
    try:
        door = scene.doors[0]
        first = post_scan(other, door, scan_body(scene.token, clock(), "vip-lounge"))
        assert first["status"] == "not_admitted_here"  # the guest is no VIP
        changed = {**CHECKPOINTS[1], "categories": ["vip", "guest"]}
        response = app.test_client().put(
            f"/api/v1/gatherings/{SLUG}/checkpoints", json=changed, headers=organiser
        )
        assert response.status_code == 200, response.json
        assert post_scan(other, door, scan_body(scene.token, clock(), "vip-lounge"))["status"] == (
            "ok"
        )
        revoked = app.test_client().post(f"/api/v1/devices/{door.id}/revoke", headers=organiser)
        assert revoked.status_code == 200, revoked.json
        refused = other.test_client().post(
            "/api/v1/scans", json=scan_body(scene.token, clock()), headers=door.headers
        )
        assert (refused.status_code, refused.json["error"]["code"]) == (401, "device_revoked")
        still = post_scan(other, scene.doors[1], scan_body(scene.token, clock()))
        assert still["status"] == "ok"
    finally:
        services_of(other).close()
