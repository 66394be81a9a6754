"""The door's own API: checking in a guest found by name, checkpoints for devices, the page."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from domain.scan import Scan, ScanStatus
from events_app.pages.door_labels import door_config
from tests.checkin_helpers import (
    CHECKPOINTS,
    badge_token,
    confirmed_guest,
    enrol_device,
    scan_body,
)
from tests.conftest import SLUG, FakeClock, gathering_payload, services_of


def check_in(
    client: FlaskClient, door: dict[str, str], registration_id: str, clock: FakeClock, **extra: Any
) -> Any:
    body = scan_body("", clock(), **extra)
    del body["token"]
    return client.post(
        "/api/v1/door/check-ins", json={**body, "registration_id": registration_id}, headers=door
    )


def statuses(app: Flask) -> list[str]:
    services = services_of(app)
    services.guest_list.catch_up()
    with services.database.transaction() as tx:
        rows = tx.execute("SELECT status FROM rm_scans ORDER BY seq").all()
    return [row[0] for row in rows]


def test_guest_found_by_name_is_checked_in_like_a_badge_scan(
    app: Flask, client: FlaskClient, door: dict[str, str], clock: FakeClock
) -> None:
    guest = confirmed_guest(client, 1, full_name="Cha Yichao", name_zh="查毅超")
    found = client.get("/api/v1/door/guests", query_string={"q": "查毅"}, headers=door).json
    registration_id = found["items"][0]["registration_id"]
    assert registration_id == guest["id"]

    first = check_in(client, door, registration_id, clock, client_scan_id="manual-0001")
    assert first.status_code == 200, first.json
    assert first.json["status"] == "ok"
    assert first.json["manual"] is True
    assert first.json["recorded"] is True
    assert first.json["guest"]["name_zh"] == "查毅超"

    # The same client scan id again: the first answer, nothing recorded twice.
    clock.advance(minutes=1)
    again = check_in(client, door, registration_id, clock, client_scan_id="manual-0001")
    assert again.json["recorded"] is False
    assert again.json["status"] == "ok"

    # A second check-in by name, or a scan of the badge, is a repeat entry.
    repeat = check_in(client, door, registration_id, clock)
    assert repeat.json["status"] == "already_checked_in"
    assert repeat.json["first_check_in"]["at"] == first.json["scanned_at"]
    badge = client.post(
        "/api/v1/scans", json=scan_body(badge_token(app, guest["id"]), clock()), headers=door
    ).json
    assert badge["status"] == "already_checked_in"
    assert badge["manual"] is False
    assert statuses(app) == ["ok", "already_checked_in", "already_checked_in"]

    device_id = uuid.UUID(door["X-Device-Id"])
    scan = services_of(app).box_office.load(Scan, Scan.create_id(device_id, "manual-0001"), "scan")
    assert scan.status is ScanStatus.OK
    assert scan.registration_id == uuid.UUID(registration_id)

    out = check_in(client, door, registration_id, clock, direction="out")
    assert (out.json["status"], out.json["reason"]) == ("ok", "Goodbye: exit recorded.")


def test_check_in_by_name_refuses_what_a_badge_would(
    app: Flask,
    client: FlaskClient,
    door: dict[str, str],
    clock: FakeClock,
    organiser: dict[str, str],
) -> None:
    pending = confirmed_guest(client, 1, category="vip")
    assert check_in(client, door, pending["id"], clock).json["status"] == "not_confirmed"
    cancelled = confirmed_guest(client, 2)
    client.post(f"/api/v1/registrations/{cancelled['id']}/cancel", json={}, headers=organiser)
    assert check_in(client, door, cancelled["id"], clock).json["status"] == "cancelled"
    press = confirmed_guest(client, 3, category="press")
    services_of(app).box_office.approve(uuid.UUID(press["id"]), "organiser:test")
    answer = check_in(client, door, press["id"], clock, checkpoint="vip-lounge")
    assert answer.json["status"] == "not_admitted_here"
    assert answer.json["guest"] is None
    # Let in offline by name at a second door, after an entry here: a conflict to review.
    guest = confirmed_guest(client, 4)
    assert check_in(client, door, guest["id"], clock).json["status"] == "ok"
    second = enrol_device(client, organiser, "door 2")
    late = check_in(client, second, guest["id"], clock, offline=True, local_status="ok")
    assert (late.json["status"], late.json["conflict"]) == ("already_checked_in", True)


def test_check_in_by_name_only_for_registrations_of_the_devices_gathering(
    app: Flask,
    client: FlaskClient,
    door: dict[str, str],
    clock: FakeClock,
    organiser: dict[str, str],
) -> None:
    other = gathering_payload(slug="another-launch")
    assert client.post("/api/v1/gatherings", json=other, headers=organiser).status_code == 201
    elsewhere = client.post(
        "/api/v1/gatherings/another-launch/registrations",
        json={
            "full_name": "Zhong Hai",
            "organisation": "Hetao Development Authority",
            "job_title": "Director",
            "email": "zhong@example.org",
            "consent": True,
        },
    ).json
    for registration_id in (elsewhere["id"], str(uuid.uuid4())):
        response = check_in(client, door, registration_id, clock)
        assert response.status_code == 404
        assert response.json["error"]["code"] == "not_found"
        assert response.json["error"]["field"] == "registration_id"
    malformed = check_in(client, door, "not-a-uuid", clock)
    assert (malformed.status_code, malformed.json["error"]["code"]) == (422, "validation_failed")
    assert malformed.json["error"]["field"] == "registration_id"
    guest = confirmed_guest(client, 1)
    nowhere = check_in(client, door, guest["id"], clock, checkpoint="nowhere")
    assert nowhere.status_code == 404
    assert nowhere.json["error"]["field"] == "checkpoint"
    assert statuses(app) == []


def test_check_in_by_name_needs_an_active_device(
    client: FlaskClient,
    door: dict[str, str],
    clock: FakeClock,
    organiser: dict[str, str],
) -> None:
    guest = confirmed_guest(client, 1)
    as_organiser = check_in(client, organiser, guest["id"], clock)
    assert (as_organiser.status_code, as_organiser.json["error"]["code"]) == (
        401,
        "invalid_credential",
    )
    anonymous = check_in(client, {}, guest["id"], clock)
    assert (anonymous.status_code, anonymous.json["error"]["code"]) == (401, "unauthorized")
    client.post(f"/api/v1/devices/{door['X-Device-Id']}/revoke", headers=organiser)
    revoked = check_in(client, door, guest["id"], clock)
    assert (revoked.status_code, revoked.json["error"]["code"]) == (401, "device_revoked")


def test_check_in_by_name_is_documented_with_its_errors(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").json
    operation = spec["paths"]["/api/v1/door/check-ins"]["post"]
    assert set(operation["responses"]) >= {"200", "401", "403", "404", "422"}
    assert operation["security"] == [{"deviceToken": []}]
    assert "manual" in operation["description"]
    schema_ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = spec["components"]["schemas"][schema_ref.rsplit("/", 1)[-1]]
    assert {"registration_id", "checkpoint", "client_scan_id", "scanned_at"} <= set(
        schema["required"]
    )
    listing = spec["paths"]["/api/v1/gatherings/{slug}/checkpoints"]["get"]
    assert listing["security"] == [{"organiserToken": []}, {"deviceToken": []}]


def test_door_device_lists_the_checkpoints_of_its_own_gathering_only(
    client: FlaskClient, door: dict[str, str], organiser: dict[str, str]
) -> None:
    mine = client.get(f"/api/v1/gatherings/{SLUG}/checkpoints", headers=door)
    assert mine.status_code == 200
    assert [c["code"] for c in mine.json["items"]] == [c["code"] for c in CHECKPOINTS]
    other = gathering_payload(slug="another-launch")
    assert client.post("/api/v1/gatherings", json=other, headers=organiser).status_code == 201
    theirs = client.get("/api/v1/gatherings/another-launch/checkpoints", headers=door)
    assert (theirs.status_code, theirs.json["error"]["code"]) == (403, "forbidden")
    assert client.get(f"/api/v1/gatherings/{SLUG}/checkpoints").status_code == 401
    forged = {"Authorization": "Bearer dev_" + uuid.uuid4().hex + "_nope"}
    assert client.get(f"/api/v1/gatherings/{SLUG}/checkpoints", headers=forged).status_code == 401
    # The device still may not use organiser endpoints.
    assert client.get(f"/api/v1/gatherings/{SLUG}/devices", headers=door).status_code == 403


def test_enrolment_tells_the_page_the_gathering_id_and_timezone(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    created = client.post(
        f"/api/v1/gatherings/{SLUG}/devices", json={"name": "phone"}, headers=organiser
    ).json
    enrolled = client.post("/api/v1/devices/enrol", json={"setup_code": created["setup_code"]})
    assert enrolled.json["gathering_id"] == gathering["id"]
    assert enrolled.json["timezone"] == "Asia/Shanghai"
    assert created["setup_url"].startswith("http://localhost/door?setup=")


def test_door_page_is_served_hardened_with_every_status_and_a_chinese_headline_beside(
    app: Flask, client: FlaskClient, clock: FakeClock
) -> None:
    page = client.get("/door?setup=<script>alert(1)</script>")
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    assert "script-src" not in page.headers["Content-Security-Policy"]  # default-src 'self'
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["Referrer-Policy"] == "no-referrer"
    html = page.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "vendor/jsQR.js" in html
    with app.test_request_context("/door"):
        config = door_config()
    for status in ScanStatus:
        text = config["statuses"][status.value]
        assert text["tone"] == {"ok": "ok", "already_checked_in": "warn"}.get(status.value, "stop")
        assert text["title"][0].isascii(), status
        assert text["detail"].isascii(), status
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text["title"][1]), status
    assert clock().isoformat() == client.get("/door/clock").json["now"]
    worker = client.get("/door-sw.js")
    assert worker.status_code == 200
    assert worker.mimetype == "text/javascript"
    assert '"/door"' in worker.get_data(as_text=True)
    assert '"/api/*"' in worker.get_data(as_text=True)
    vendored = client.get("/web/static/vendor/jsQR.js")
    assert vendored.status_code == 200
    vendored.close()
