"""Several aggregates read in one query: the same as reading them one by one, on each store."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from domain.door_device import DoorDevice
from domain.gathering import Gathering
from events_app.config import system_clock
from events_app.context import open_services
from events_app.store.batch_reads import select_after


@pytest.fixture(params=["memory", "persistent"])
def url(request: pytest.FixtureRequest, database_url: str) -> str:
    """The in-memory store, and each persistent store."""
    return "memory://" if request.param == "memory" else database_url


NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def count_one(device: DoorDevice) -> None:
    """Give the device one more event."""
    device.count_invalid_scans(device.gathering_id, NOW, 1, {"forged": 1}, NOW)


def make_devices(app: Any, count: int) -> list[DoorDevice]:
    """Save `count` devices; device n has n + 1 events."""
    gathering_id = uuid.uuid4()
    devices = [
        DoorDevice(uuid.uuid4().hex, gathering_id, f"door {n}", NOW, NOW, "test")
        for n in range(count)
    ]
    for n, device in enumerate(devices):
        for _ in range(n):
            count_one(device)
    app.save(*devices)
    return devices


def test_each_aggregates_events_after_its_version_come_in_order(url: str, tmp_path: Path) -> None:
    services = open_services(url, str(tmp_path), system_clock)
    try:
        app = services.box_office
        devices = make_devices(app, 4)
        absent = uuid.uuid4()
        wanted = [(d.id, after) for d, after in zip(devices, [None, 0, 1, 4], strict=True)]
        found = select_after(app.recorder, [*wanted, (absent, None)])
        for (device_id, after), _ in zip(wanted, devices, strict=True):
            one_by_one = app.recorder.select_events(device_id, gt=after)
            assert found[device_id] == list(one_by_one)
        assert [len(found[d.id]) for d in devices] == [1, 2, 2, 0]
        assert found[absent] == []
    finally:
        services.close()


def test_read_all_returns_shared_and_own_copies_and_none_for_the_missing(
    url: str, tmp_path: Path
) -> None:
    services = open_services(url, str(tmp_path), system_clock)
    try:
        app = services.box_office
        first, second = make_devices(app, 2)
        shared = app.read(DoorDevice, first.id, "device")
        again, own, wrong_type, missing = app.read_all(
            [
                (DoorDevice, first.id, True),
                (DoorDevice, second.id, False),
                (Gathering, second.id, False),
                (DoorDevice, uuid.uuid4(), True),
            ]
        )
        assert again is shared  # unchanged: the process's copy, no replay
        assert own is not app.read(DoorDevice, second.id, "device")
        assert (own.invalid_scans_counted, own.version) == (1, second.version)
        assert wrong_type is None
        assert missing is None
        changed = app.load(DoorDevice, first.id, "device")
        count_one(changed)
        app.save(changed)
        (fresh,) = app.read_all([(DoorDevice, first.id, True)])
        assert fresh.invalid_scans_counted == 1
        assert shared.invalid_scans_counted == 0
    finally:
        services.close()


def test_a_record_changed_since_seen_is_refused_by_its_type(url: str, tmp_path: Path) -> None:
    from events_app.store.seen_versions import ChangedMeanwhile

    services = open_services(url, str(tmp_path), system_clock)
    try:
        app = services.box_office
        (device,) = make_devices(app, 1)
        count_one(device)
        app.save(device)  # version 2, after a person saw version 1
        with app.expecting({device.id: 1}), pytest.raises(ChangedMeanwhile) as refused:
            app.read_all([(DoorDevice, device.id, False)])
        assert refused.value.params["what"] == "doordevice"
    finally:
        services.close()
