"""The check-in scan API: one clear answer per scan, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.checkin_helpers import (
    badge_token,
    confirmed_guest,
    define_checkpoints,
    enrol_device,
    scan_body,
)
from tests.conftest import SLUG, FakeClock, gathering_payload, services_of


def scan(client: FlaskClient, door: dict[str, str], body: dict[str, Any]) -> Any:
    response = client.post("/api/v1/scans", json=body, headers=door)
    assert response.status_code == 200, response.json
    return response.json


def scans_recorded(app: Flask) -> int:
    services = services_of(app)
    services.guest_list.catch_up()
    with services.database.transaction() as tx:
        return int(tx.execute("SELECT COUNT(*) FROM rm_scans").one()[0])


def test_first_scan_is_ok_then_already_checked_in(
    app: Flask, client: FlaskClient, door: dict[str, str], clock: FakeClock
) -> None:
    vip = confirmed_guest(client, 1, category="vip", full_name="Sun Dong", name_zh="孫東")
    organiser_approves(app, vip["id"])
    token = badge_token(app, vip["id"])
    first = scan(client, door, scan_body(token, clock()))
    assert first["status"] == "ok"
    assert first["guest"]["name_zh"] == "孫東"
    assert first["guest"]["category"] == "vip"
    assert "VIP: escort to front row 貴賓：請引領至前排" in first["guest"]["notes"]
    assert first["recorded"] is True
    clock.advance(minutes=3)
    second = scan(client, door, scan_body(token, clock()))
    assert second["status"] == "already_checked_in"
    assert second["first_check_in"]["at"] == first["scanned_at"]
    assert second["first_check_in"]["checkpoint"] == "main-entrance"
    assert second["guest"]["full_name"] == "Sun Dong"
    # duplicates are judged per checkpoint
    assert scan(client, door, scan_body(token, clock(), "vip-lounge"))["status"] == "ok"


def organiser_approves(app: Flask, registration_id: str) -> None:
    import uuid

    services_of(app).box_office.approve(uuid.UUID(registration_id), "organiser:test")


def test_exit_and_re_entry(
    app: Flask, client: FlaskClient, door: dict[str, str], clock: FakeClock
) -> None:
    token = badge_token(app, confirmed_guest(client)["id"])
    assert scan(client, door, scan_body(token, clock(), direction="out"))["status"] == "not_inside"
    assert scan(client, door, scan_body(token, clock()))["status"] == "ok"
    clock.advance(minutes=10)
    left = scan(client, door, scan_body(token, clock(), direction="out"))
    assert left["status"] == "ok"
    clock.advance(minutes=10)
    back = scan(client, door, scan_body(token, clock()))
    assert back["status"] == "ok"
    assert "re-entry" in back["reason"]
    assert back["first_check_in"]["at"] < back["scanned_at"]


def test_resent_client_scan_id_returns_the_first_answer_and_records_nothing(
    app: Flask, client: FlaskClient, door: dict[str, str], clock: FakeClock
) -> None:
    token = badge_token(app, confirmed_guest(client)["id"])
    body = scan_body(token, clock(), client_scan_id="phone-1:000001")
    first = scan(client, door, body)
    events_before = app_event_count(app)
    clock.advance(minutes=1)
    again = scan(client, door, body)
    assert again["status"] == "ok"
    assert again["recorded"] is False
    assert {k: v for k, v in again.items() if k != "recorded"} == {
        k: v for k, v in first.items() if k != "recorded"
    }
    assert app_event_count(app) == events_before
    assert scans_recorded(app) == 1


def app_event_count(app: Flask) -> int:
    return int(services_of(app).box_office.recorder.max_notification_id() or 0)


def test_refusals_name_their_reason(
    app: Flask,
    client: FlaskClient,
    door: dict[str, str],
    clock: FakeClock,
    organiser: dict[str, str],
) -> None:
    guest = confirmed_guest(client, 1)
    token = badge_token(app, guest["id"])
    tampered = token[:20] + ("A" if token[20] != "A" else "B") + token[21:]
    cases = {
        "invalid": [tampered, token[:-3], "garbage", "x" * 3000, "", token.lower()],
    }
    for status, tokens in cases.items():
        for bad in tokens:
            if not bad:
                continue
            answer = scan(client, door, scan_body(bad, clock()))
            assert answer["status"] == status, bad
            assert answer["reason"]
            assert answer["guest"] is None
    pending = confirmed_guest(client, 2, category="vip")
    assert (
        scan(client, door, scan_body(badge_token(app, pending["id"]), clock()))["status"]
        == "not_confirmed"
    )
    press = confirmed_guest(client, 3, category="press")
    organiser_approves(app, press["id"])
    answer = scan(client, door, scan_body(badge_token(app, press["id"]), clock(), "vip-lounge"))
    assert answer["status"] == "not_admitted_here"
    vip = confirmed_guest(client, 4, category="vip")
    organiser_approves(app, vip["id"])
    cancelled = confirmed_guest(client, 5)
    client.post(f"/api/v1/registrations/{cancelled['id']}/cancel", json={}, headers=organiser)
    assert (
        scan(client, door, scan_body(badge_token(app, cancelled["id"]), clock()))["status"]
        == "cancelled"
    )
    clock.advance(hours=4)  # the VIP lounge has closed
    late = scan(client, door, scan_body(badge_token(app, vip["id"]), clock(), "vip-lounge"))
    assert late["status"] == "closed"
    assert scans_recorded(app) == 9  # every scan is recorded, refused ones too


def test_reissued_badge_revokes_the_old_token(
    app: Flask,
    client: FlaskClient,
    door: dict[str, str],
    clock: FakeClock,
    organiser: dict[str, str],
) -> None:
    guest = confirmed_guest(client)
    old = badge_token(app, guest["id"])
    response = client.post(f"/api/v1/registrations/{guest['id']}/reissue-badge", headers=organiser)
    assert response.status_code == 200, response.json
    new = badge_token(app, guest["id"])
    assert new != old
    assert scan(client, door, scan_body(old, clock()))["status"] == "revoked"
    assert scan(client, door, scan_body(new, clock()))["status"] == "ok"


def test_badge_of_another_gathering_is_wrong_event(
    app: Flask,
    client: FlaskClient,
    door: dict[str, str],
    clock: FakeClock,
    organiser: dict[str, str],
) -> None:
    other = gathering_payload(slug="another-launch")
    assert client.post("/api/v1/gatherings", json=other, headers=organiser).status_code == 201
    response = client.post(
        "/api/v1/gatherings/another-launch/registrations",
        json={
            "full_name": "Zhong Hai",
            "name_zh": "钟海",
            "organisation": "Hetao Development Authority",
            "job_title": "Director",
            "email": "zhong@example.org",
            "consent": True,
        },
    )
    token = badge_token(app, response.json["id"])
    answer = scan(client, door, scan_body(token, clock()))
    assert answer["status"] == "wrong_event"
    assert answer["guest"] is None


def test_offline_batch_is_judged_in_order_and_conflicts_are_flagged(
    app: Flask,
    client: FlaskClient,
    door: dict[str, str],
    clock: FakeClock,
    organiser: dict[str, str],
) -> None:
    second_door = enrol_device(client, organiser, "door 2")
    token = badge_token(app, confirmed_guest(client)["id"])
    other = badge_token(app, confirmed_guest(client, 2)["id"])
    t0 = clock()
    # door 2 was online and let the guest in at t0 + 2 min
    online = scan(client, second_door, scan_body(token, t0 + timedelta(minutes=2)))
    assert online["status"] == "ok"
    clock.advance(minutes=30)
    # door 1 was offline: it let the same guest in at t0 (earlier) and another guest twice
    batch = [
        scan_body(other, t0 + timedelta(minutes=5), offline=True, local_status="ok"),
        scan_body(token, t0, offline=True, local_status="ok"),
        scan_body(other, t0 + timedelta(minutes=1), offline=True, local_status="ok"),
    ]
    response = client.post("/api/v1/scans/batch", json={"scans": batch}, headers=door)
    assert response.status_code == 200, response.json
    results = response.json["results"]
    assert [r["status"] for r in results] == ["already_checked_in", "already_checked_in", "ok"]
    assert [r["conflict"] for r in results] == [True, True, False]
    conflicts = client.get(f"/api/v1/gatherings/{SLUG}/scan-conflicts", headers=organiser).json
    assert len(conflicts["items"]) == 2
    assert {c["device"].split("#")[0] for c in conflicts["items"]} == {"device:door 1"}
    again = client.post("/api/v1/scans/batch", json={"scans": batch}, headers=door).json
    assert [r["recorded"] for r in again["results"]] == [False, False, False]
    assert (
        len(
            client.get(f"/api/v1/gatherings/{SLUG}/scan-conflicts", headers=organiser).json["items"]
        )
        == 2
    )


def test_devices_enrol_once_expire_and_can_be_revoked(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str], clock: FakeClock
) -> None:
    define_checkpoints(client, organiser)
    created = client.post(
        f"/api/v1/gatherings/{SLUG}/devices",
        json={"name": "phone", "valid_minutes": 10},
        headers=organiser,
    ).json
    assert created["setup_qr_svg"].startswith("<?xml")
    assert created["setup_url"].endswith(created["setup_code"].replace("-", ""))
    code = created["setup_code"].lower().replace("-", " ")  # typed by hand
    enrolled = client.post("/api/v1/devices/enrol", json={"setup_code": code})
    assert enrolled.status_code == 201
    assert [c["code"] for c in enrolled.json["checkpoints"]] == ["main-entrance", "vip-lounge"]
    used = client.post("/api/v1/devices/enrol", json={"setup_code": code})
    assert used.json["error"]["code"] == "setup_code_used"
    late = client.post(
        f"/api/v1/gatherings/{SLUG}/devices",
        json={"name": "late", "valid_minutes": 10},
        headers=organiser,
    ).json
    clock.advance(minutes=11)
    expired = client.post("/api/v1/devices/enrol", json={"setup_code": late["setup_code"]})
    assert expired.json["error"]["code"] == "setup_code_expired"
    unknown = client.post("/api/v1/devices/enrol", json={"setup_code": "AAAAA-AAAAA"})
    assert unknown.status_code == 404
    headers = {"Authorization": f"Bearer {enrolled.json['device_token']}"}
    assert client.get("/api/v1/door/guests?q=guest", headers=headers).status_code == 200
    listed = client.get(f"/api/v1/gatherings/{SLUG}/devices", headers=organiser).json["items"]
    assert [d["state"] for d in listed] == ["enrolled", "registered"]
    revoked = client.post(f"/api/v1/devices/{created['id']}/revoke", headers=organiser)
    assert revoked.status_code == 200
    refused = client.get("/api/v1/door/guests?q=guest", headers=headers)
    assert (refused.status_code, refused.json["error"]["code"]) == (401, "device_revoked")


def test_door_staff_cannot_use_organiser_endpoints(
    client: FlaskClient, door: dict[str, str], organiser: dict[str, str]
) -> None:
    forbidden = client.get(f"/api/v1/gatherings/{SLUG}/registrations", headers=door)
    assert (forbidden.status_code, forbidden.json["error"]["code"]) == (403, "forbidden")
    assert client.post("/api/v1/scans", json={}, headers=organiser).status_code == 401


def test_door_lookup_finds_guests_of_its_gathering_only(
    client: FlaskClient, door: dict[str, str]
) -> None:
    confirmed_guest(client, 1, full_name="Cha Yichao", name_zh="查毅超")
    found = client.get("/api/v1/door/guests", query_string={"q": "查毅"}, headers=door).json
    assert [g["full_name"] for g in found["items"]] == ["Cha Yichao"]
    assert client.get("/api/v1/door/guests", headers=door).status_code == 422


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"checkpoint": "nowhere"}, "checkpoint"),
        ({"client_scan_id": "short"}, "client_scan_id"),
        ({"scanned_at": "yesterday"}, "scanned_at"),
        ({"scanned_at": "2026-02-01T09:00:00"}, "scanned_at"),
        ({"direction": "sideways"}, "direction"),
        ({"token": 12345}, "token"),
        ({"device_id": "00000000-0000-4000-8000-000000000000"}, "device_id"),
    ],
)
def test_malformed_scans_are_refused_and_record_nothing(
    app: Flask,
    client: FlaskClient,
    door: dict[str, str],
    clock: FakeClock,
    change: dict[str, Any],
    field: str,
) -> None:
    token = badge_token(app, confirmed_guest(client)["id"])
    response = client.post(
        "/api/v1/scans", json={**scan_body(token, clock()), **change}, headers=door
    )
    assert 400 <= response.status_code < 500
    assert field in (response.json["error"]["field"], *response.json["error"]["fields"])
    assert scans_recorded(app) == 0


def test_scan_in_the_future_is_refused(
    app: Flask, client: FlaskClient, door: dict[str, str], clock: FakeClock
) -> None:
    token = badge_token(app, confirmed_guest(client)["id"])
    response = client.post(
        "/api/v1/scans", json=scan_body(token, clock() + timedelta(hours=1)), headers=door
    )
    assert response.json["error"]["code"] == "scanned_at_in_future"
