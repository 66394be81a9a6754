"""Invalid badges beyond a device's samples are counted compactly, and organisers are alerted."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
from flask import Flask

from domain.door_device import DoorDevice
from domain.errors import InvalidValue
from domain.scan import Scan
from tests.checkin_helpers import define_checkpoints, enrol_device, scan_body
from tests.conftest import FakeClock, gathering_payload, services_of
from tests.console_helpers import open_account, sign_in
from tests.rate_limit_helpers import apps

RAISED = {"RATELIMIT_SCANS": "1000000/minute", "INVALID_SCAN_FLUSH_SECONDS": 3600}


def set_up(app: Flask, name: str = "Door 3") -> dict[str, str]:
    token, _ = services_of(app).box_office.issue_organiser_token("alice")
    organiser = {"Authorization": f"Bearer {token}"}
    client = app.test_client()
    assert (
        client.post("/api/v1/gatherings", json=gathering_payload(), headers=organiser).status_code
        == 201
    )
    define_checkpoints(client, organiser)
    return enrol_device(client, organiser, name)


def forge(
    app: Flask, door: dict[str, str], clock: FakeClock, count: int, step: float = 0
) -> list[int]:
    client = app.test_client()
    statuses = []
    for _ in range(count):
        body = scan_body("FORGED" + uuid.uuid4().hex, clock.now)
        answer = client.post("/api/v1/scans", json=body, headers=door)
        if answer.status_code == 200:
            assert answer.json["status"] == "invalid"
        statuses.append(answer.status_code)
        clock.advance(seconds=step)
    return statuses


def recorded_scans(app: Flask) -> int:
    return len(services_of(app).box_office.ids_created_as(Scan.Recorded, limit=1_000_000))


def counted(app: Flask, door: dict[str, str]) -> list[Any]:
    events = services_of(app).box_office
    device_id = uuid.UUID(door["X-Device-Id"])
    return [e for e in events.events.get(device_id) if type(e).__name__ == "InvalidScansCounted"]


def stored_events(app: Flask) -> int:
    return int(services_of(app).box_office.recorder.max_notification_id() or 0)


def test_first_samples_are_recorded_then_counted_across_instances(
    database_url: str, clock: FakeClock
) -> None:
    config = {**RAISED, "INVALID_SCAN_SAMPLES": "5/2 minutes"}
    with apps(database_url, clock, **config) as (first, second):
        door = set_up(first)
        assert forge(first, door, clock, 3) == [200] * 3
        assert forge(second, door, clock, 4) == [200] * 4
        assert forge(first, door, clock, 23) == [200] * 23
        assert recorded_scans(first) == 5  # the window's samples, shared by both instances
        for app in (first, second):
            services_of(app).checkin.invalid_scans.flush()
        events = counted(first, door)
        assert len(events) == 2  # one per instance and minute
        assert sum(e.count for e in events) == 25
        assert {s for e in events for s in e.statuses} == {"invalid"}
        clock.advance(minutes=2)
        forge(first, door, clock, 1)
        assert recorded_scans(first) == 6  # a new window keeps new samples


def test_ten_thousand_invalid_scans_grow_the_store_by_a_bounded_amount(
    tmp_path: Any, clock: FakeClock
) -> None:
    url = f"sqlite:///{tmp_path / 'events.sqlite'}"
    with apps(url, clock, 1, INVALID_SCAN_FLUSH_SECONDS=3600) as (app,):
        door = set_up(app)
        before = stored_events(app)
        statuses = forge(app, door, clock, 10_000, step=0.006)  # 10,000 in a minute
        services_of(app).checkin.invalid_scans.flush()
        growth = stored_events(app) - before
        print(
            f"\ndefault limits: {statuses.count(200)} answered, {statuses.count(429)} refused 429, "
            f"store grew by {growth} events"
        )
        assert statuses.count(429) > 9_000
        assert growth <= 25


def test_compact_counting_alone_bounds_the_growth_and_drops_no_count(
    tmp_path: Any, clock: FakeClock
) -> None:
    url = f"sqlite:///{tmp_path / 'events.sqlite'}"
    with apps(url, clock, 1, **RAISED) as (app,):
        door = set_up(app)
        before = stored_events(app)
        assert forge(app, door, clock, 10_000, step=0.006) == [200] * 10_000
        services_of(app).checkin.invalid_scans.flush()
        growth = stored_events(app) - before
        samples = recorded_scans(app)
        total = samples + sum(e.count for e in counted(app, door))
        print(
            f"\nlimit raised: 10,000 answered, {samples} kept as scans, "
            f"{len(counted(app, door))} count events, store grew by {growth} events"
        )
        assert samples == 20
        assert total == 10_000
        assert growth <= 25


def test_counts_are_written_by_the_background_thread_and_on_close(
    tmp_path: Any, clock: FakeClock
) -> None:
    url = f"sqlite:///{tmp_path / 'events.sqlite'}"
    config = {**RAISED, "INVALID_SCAN_SAMPLES": "1/2 minutes", "INVALID_SCAN_FLUSH_SECONDS": 0.05}
    with apps(url, clock, 1, **config) as (app,):
        door = set_up(app)
        forge(app, door, clock, 11)
        invalid = services_of(app).checkin.invalid_scans
        for _ in range(400):  # waits for the thread, at most 20 s
            if invalid.pending() == 0 and counted(app, door):
                break
            time.sleep(0.05)
        assert sum(e.count for e in counted(app, door)) == 10
    config["INVALID_SCAN_FLUSH_SECONDS"] = 3600
    with apps(url, clock, 1, **config) as (app,):
        forge(app, door, clock, 4)
        assert services_of(app).checkin.invalid_scans.pending() == 4
    with apps(url, clock, 1, **config) as (app,):
        assert sum(e.count for e in counted(app, door)) == 14  # written when the app closed


def test_a_failed_write_keeps_the_counts_for_the_next_flush(
    tmp_path: Any, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'events.sqlite'}"
    with apps(url, clock, 1, **RAISED, INVALID_SCAN_SAMPLES="1/2 minutes") as (app,):
        door = set_up(app)
        forge(app, door, clock, 6)
        invalid = services_of(app).checkin.invalid_scans
        with monkeypatch.context() as patch:
            patch.setattr(invalid, "_write", lambda *_: (_ for _ in ()).throw(OSError("disk")))
            assert invalid.flush() == 0
        assert invalid.pending() == 5
        assert invalid.flush() == 1
        assert sum(e.count for e in counted(app, door)) == 5


def test_a_count_must_be_positive_and_add_up(clock: FakeClock) -> None:
    device = DoorDevice(
        setup_code_digest="x",
        gathering_id=uuid.uuid4(),
        name="d",
        setup_expires_at=clock.now,
        at=clock.now,
        actor="test",
    )
    with pytest.raises(InvalidValue):
        device.count_invalid_scans(device.gathering_id, clock.now, 0, {}, clock.now)
    with pytest.raises(InvalidValue):
        device.count_invalid_scans(device.gathering_id, clock.now, 3, {"invalid": 2}, clock.now)
    device.count_invalid_scans(device.gathering_id, clock.now, 3, {"invalid": 3}, clock.now)
    assert device.invalid_scans_counted == 3


def test_the_dashboard_alerts_on_a_device_scanning_many_invalid_badges(
    database_url: str, clock: FakeClock
) -> None:
    with apps(database_url, clock, 1, **RAISED) as (app,):
        door = set_up(app, "Door 3")
        token = services_of(app).box_office.issue_organiser_token("bob")[0]
        quiet = enrol_device(app.test_client(), {"Authorization": f"Bearer {token}"}, "Door 4")
        console = app.test_client()
        assert sign_in(console, open_account(app)).status_code == 303
        forge(app, door, clock, 520)
        forge(app, quiet, clock, 10)
        services_of(app).checkin.invalid_scans.flush()
        page = console.get("/organiser/gatherings/launch-2026/").get_data(as_text=True)
        shown = [
            n for n in (500, 520) if f"Door 3: {n} invalid badges in the last 2 minutes" in page
        ]
        assert shown, page[:2000]
        in_chinese = console.get(
            "/organiser/gatherings/launch-2026/", headers={"Accept-Language": "zh-HK"}
        ).get_data(as_text=True)
        assert f"Door 3：過去 2 分鐘內有 {shown[0]} 張無效襟章" in in_chinese
        assert "Door 4:" not in page  # below the alert's threshold
        clock.advance(minutes=3)
        later = console.get("/organiser/gatherings/launch-2026/").get_data(as_text=True)
        assert "invalid badges in the last" not in later
