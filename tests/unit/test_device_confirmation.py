"""A device let in on the process's copy is refused if the store's copy refuses it since."""

from __future__ import annotations

from copy import deepcopy
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.door_device import DoorDevice
from domain.errors import DeviceRevoked
from events_app.services.devices import TokenRefused, confirmed

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def enrolled() -> DoorDevice:
    device = DoorDevice(uuid4().hex, uuid4(), "door 1", NOW + timedelta(hours=1), NOW, "test")
    device.enrol("digest-of-the-token", NOW)
    return device


def test_the_device_as_the_store_has_it_now_is_returned() -> None:
    device = enrolled()
    now = deepcopy(device)
    now.count_invalid_scans(device.gathering_id, NOW, 1, {"forged": 1}, NOW)
    assert confirmed(device, now) is now


def test_a_device_revoked_since_is_refused() -> None:
    device = enrolled()
    now = deepcopy(device)
    now.revoke(NOW, "organiser")
    with pytest.raises(DeviceRevoked):
        confirmed(device, now)


def test_a_device_revoked_before_it_was_given_stays_as_it_was() -> None:
    device = enrolled()  # e.g. the organiser's desk of walk-ins, never checked for revocation
    device.revoke(NOW, "organiser")
    assert confirmed(device, device) is device


def test_a_missing_device_or_another_token_is_refused() -> None:
    device = enrolled()
    with pytest.raises(TokenRefused):
        confirmed(device, None)
    other = deepcopy(device)
    other.token_digest = "another-digest"
    with pytest.raises(TokenRefused):
        confirmed(device, other)
