"""A scan reads its device with its gathering, registration and attendance: one query.

The process's copy of a door device lets a scan in (DoorDevices.authenticate_kept); the
scan's one read of the events brings the device up to date with the rest and refuses it
there if it was revoked meanwhile, through whichever process. Statements are counted at
the driver (sqlite3's trace callback, psycopg's cursor execute), as benchmarks/profile_scans
does, and only those of the test's own thread (the read models' follower has its own).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient

from domain.attendance import Attendance
from domain.door_device import DoorDevice
from domain.gathering import Gathering
from tests.checkin_helpers import (
    badge_token,
    confirmed_guest,
    door,
    scan_body,
)
from tests.conftest import SLUG, FakeClock, make_app, services_of

__all__ = ["door"]  # a fixture (tests.checkin_helpers)


class EventReads:
    """The statements of one thread that read the events table."""

    def __init__(self) -> None:
        self.thread = threading.get_ident()
        self.table = "stored_events"
        self.statements: list[str] = []

    def saw(self, statement: str) -> None:
        """Keep `statement` if this thread sent it and it reads the events."""
        text = " ".join(statement.split())
        mine = threading.get_ident() == self.thread
        if mine and text.upper().startswith("SELECT") and self.table in text:
            self.statements.append(text)

    def during(self, act: Any) -> tuple[Any, int]:
        """Return what `act()` returns and how many event reads it made."""
        before = len(self.statements)
        result = act()
        return result, len(self.statements) - before


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> EventReads:
    """Event reads counted at the driver, for connections opened from now on."""
    counted = EventReads()
    connect = sqlite3.connect

    def traced(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        connection = connect(*args, **kwargs)
        connection.set_trace_callback(counted.saw)
        return connection

    monkeypatch.setattr(sqlite3, "connect", traced)
    execute = psycopg.Cursor.execute

    def executed(self: psycopg.Cursor[Any], query: Any, *args: Any, **kwargs: Any) -> Any:
        text = query.as_string(self.connection) if hasattr(query, "as_string") else query
        counted.saw(text if isinstance(text, str) else bytes(text).decode())
        return execute(self, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", executed)
    return counted


@pytest.fixture
def other(database_url: str, clock: FakeClock, reads: EventReads) -> Iterator[Flask]:
    """A second app on the same store, as another process, whose statements are counted."""
    second = make_app(database_url, clock)
    reads.table = services_of(second).box_office.recorder.events_table_name
    yield second
    services_of(second).close()


def scan(app: Flask, door: dict[str, str], body: dict[str, Any]) -> Any:
    return app.test_client().post("/api/v1/scans", json=body, headers=door)


def test_a_scan_reads_the_events_once_when_the_process_keeps_its_device(
    app: Flask,
    client: FlaskClient,
    door: dict[str, str],
    other: Flask,
    reads: EventReads,
    clock: FakeClock,
) -> None:
    tokens = [badge_token(app, confirmed_guest(client, n)["id"]) for n in range(1, 5)]
    first, count = reads.during(lambda: scan(other, door, scan_body(tokens[0], clock())))
    assert (first.status_code, first.json["status"]) == (200, "ok")
    assert count == 2  # the device read alone once, when the process does not keep it yet
    for token in tokens[1:]:
        answer, count = reads.during(lambda t=token: scan(other, door, scan_body(t, clock())))
        assert (answer.status_code, answer.json["status"]) == (200, "ok")
        assert count == 1, reads.statements[-count:]
    again, count = reads.during(lambda: scan(other, door, scan_body(tokens[0], clock())))
    assert again.json["status"] == "already_checked_in"
    assert count == 1
    batch = {"scans": [scan_body(t, clock(), direction="out") for t in tokens[:2]]}
    answer, count = reads.during(
        lambda: other.test_client().post("/api/v1/scans/batch", json=batch, headers=door)
    )
    assert [r["status"] for r in answer.json["results"]] == ["ok", "ok"]
    assert count == 1 + 2  # the batch's scan times, then each scan


def test_a_device_revoked_through_another_process_is_refused_on_its_next_scan(
    app: Flask,
    client: FlaskClient,
    door: dict[str, str],
    other: Flask,
    reads: EventReads,
    organiser: dict[str, str],
    clock: FakeClock,
) -> None:
    guest = confirmed_guest(client)
    token = badge_token(app, guest["id"])
    assert scan(other, door, scan_body(token, clock())).status_code == 200
    device_id = UUID(door["X-Device-Id"])
    kept = services_of(other).box_office.kept(DoorDevice, device_id)
    assert kept is not None
    revoked = client.post(f"/api/v1/devices/{device_id}/revoke", headers=organiser)
    assert revoked.status_code == 200, revoked.json
    assert not services_of(other).box_office.kept(DoorDevice, device_id).is_revoked  # stale

    refused, count = reads.during(lambda: scan(other, door, scan_body(token, clock())))
    assert (refused.status_code, refused.json["error"]["code"]) == (401, "device_revoked")
    assert count == 1  # refused by the scan's own read, on the folded path
    assert services_of(other).box_office.kept(DoorDevice, device_id).is_revoked
    batch = {"scans": [scan_body(token, clock(), direction="out")]}
    refused = other.test_client().post("/api/v1/scans/batch", json=batch, headers=door)
    assert (refused.status_code, refused.json["error"]["code"]) == (401, "device_revoked")
    body = scan_body("", clock(), registration_id=guest["id"])
    refused = other.test_client().post("/api/v1/door/check-ins", json=body, headers=door)
    assert (refused.status_code, refused.json["error"]["code"]) == (401, "device_revoked")
    attendance = services_of(app).box_office.events.get(Attendance.create_id(UUID(guest["id"])))
    assert [type(e).__name__ for e in attendance] == ["Started"]  # nothing since the first entry


def test_the_folded_path_refuses_what_the_separate_read_refuses(
    app: Flask, client: FlaskClient, door: dict[str, str], other: Flask, clock: FakeClock
) -> None:
    token = badge_token(app, confirmed_guest(client)["id"])
    assert scan(other, door, scan_body(token, clock())).status_code == 200  # device kept
    device_id = UUID(door["X-Device-Id"])
    gathering = services_of(other).box_office.gathering(SLUG)
    assert services_of(other).box_office.kept(Gathering, gathering.id) is not None  # kept too
    for bearer in (f"dev_{device_id.hex}_not-the-secret", f"dev_{gathering.id.hex}_x", "dev_x_y"):
        headers = {"Authorization": f"Bearer {bearer}"}
        refused = scan(other, headers, scan_body(token, clock()))
        assert (refused.status_code, refused.json["error"]["code"]) == (401, "invalid_credential")


def test_a_token_the_store_no_longer_takes_is_an_invalid_credential(
    app: Flask,
    client: FlaskClient,
    door: dict[str, str],
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from events_app.services import checkin
    from events_app.services.devices import TokenRefused

    token = badge_token(app, confirmed_guest(client)["id"])
    assert scan(app, door, scan_body(token, clock())).status_code == 200

    def refuse(device: DoorDevice, now: DoorDevice | None) -> DoorDevice:
        raise TokenRefused(device.id)

    monkeypatch.setattr(checkin, "confirmed", refuse)
    refused = scan(app, door, scan_body(token, clock()))
    assert (refused.status_code, refused.json["error"]["code"]) == (401, "invalid_credential")
