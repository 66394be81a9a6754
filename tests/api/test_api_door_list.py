"""The door list API: whole, then incremental, sealed, and only what judging needs."""

from __future__ import annotations

import gzip
import hashlib
import hmac
import json
import uuid
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from events_app.services.badge_tokens import door_digest
from tests.checkin_helpers import badge_token, confirmed_guest, enrol_device, scan_body
from tests.conftest import SLUG, FakeClock, services_of

PRIVATE = ("email", "phone", "dietary", "accessibility", "organisation", "job_title")


def sync(client: FlaskClient, door: dict[str, str], since: int = 0) -> dict[str, Any]:
    response = client.get(f"/api/v1/door/list?since={since}", headers=door)
    assert response.status_code == 200, response.json
    token = door["Authorization"].split(" ", 1)[1]
    key = hashlib.sha256(token.encode()).hexdigest().encode()
    expected = hmac.new(key, response.data, hashlib.sha256).hexdigest()
    assert response.headers["X-Door-List-MAC"] == expected
    assert response.headers["Cache-Control"] == "no-store"
    return dict(json.loads(response.data))


def test_a_device_gets_the_whole_list_then_only_what_changed(
    app: Flask, client: FlaskClient, door: dict[str, str], clock: FakeClock
) -> None:
    first = confirmed_guest(client, 1, full_name="Lee Ka Ming", name_zh="李家明")
    second = confirmed_guest(client, 2, full_name="Wong Siu Ling")
    whole = sync(client, door)
    assert whole["full"] is True
    assert whole["count"] == 2
    assert whole["max_age_minutes"] == 30
    assert whole["sync_seconds"] == 5
    entry = {e["registration_id"]: e for e in whole["entries"]}[first["id"]]
    assert entry["full_name"] == "Lee Ka Ming"
    assert entry["name_zh"] == "李家明"
    assert entry["state"] == "confirmed"
    assert entry["serial"] == 1
    assert entry["inside"] == []
    assert entry["badges"] == [door_digest(badge_token(app, first["id"]))]
    assert not set(PRIVATE) & set(entry)
    assert first["email"] not in json.dumps(whole)

    assert sync(client, door, whole["version"])["entries"] == []

    services_of(app).box_office.cancel(uuid.UUID(second["id"]), "organiser:test")
    old_token = badge_token(app, first["id"])
    services_of(app).box_office.reissue_badge(uuid.UUID(first["id"]), "organiser:test")
    scanned = client.post(
        "/api/v1/scans", json=scan_body(badge_token(app, first["id"]), clock()), headers=door
    )
    assert scanned.json["status"] == "ok"
    changed = sync(client, door, whole["version"])
    assert changed["full"] is False
    assert changed["count"] == 2
    assert changed["version"] > whole["version"]
    by_id = {e["registration_id"]: e for e in changed["entries"]}
    assert by_id[second["id"]]["state"] == "cancelled"
    assert by_id[first["id"]]["serial"] == 2
    assert by_id[first["id"]]["inside"] == ["main-entrance"]
    assert by_id[first["id"]]["first"] == {"main-entrance": scanned.json["scanned_at"]}
    assert door_digest(old_token) in by_id[first["id"]]["badges"]  # an old badge: "revoked"
    assert len(by_id[first["id"]]["badges"]) == 2


def test_bad_versions_are_refused_plainly(client: FlaskClient, door: dict[str, str]) -> None:
    for since in ("-1", "x", "1.5", "9" * 30):
        response = client.get(f"/api/v1/door/list?since={since}", headers=door)
        assert response.status_code == 422, (since, response.json)
        assert response.json["error"]["field"] == "since"
    ahead = client.get("/api/v1/door/list?since=999999", headers=door)
    assert ahead.status_code == 409
    assert ahead.json["error"]["code"] == "door_list_ahead"


def test_only_an_enrolled_unrevoked_device_may_sync(
    client: FlaskClient, door: dict[str, str], organiser: dict[str, str]
) -> None:
    assert client.get("/api/v1/door/list").status_code == 401
    assert client.get("/api/v1/door/list", headers=organiser).status_code == 401
    other = enrol_device(client, organiser, "door 2")
    revoked = client.post(f"/api/v1/devices/{other['X-Device-Id']}/revoke", headers=organiser)
    assert revoked.status_code == 200
    refused = client.get("/api/v1/door/list", headers=other)
    assert refused.status_code == 401
    assert refused.json["error"]["code"] == "device_revoked"


def test_a_large_list_is_sent_compressed(client: FlaskClient, door: dict[str, str]) -> None:
    for n in range(1, 31):
        confirmed_guest(client, n)
    response = client.get("/api/v1/door/list", headers={**door, "Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert len(json.loads(gzip.decompress(response.data))["entries"]) == 30


def test_the_age_limit_is_the_organisers_to_set(
    client: FlaskClient, door: dict[str, str], organiser: dict[str, str]
) -> None:
    url = f"/api/v1/gatherings/{SLUG}"
    for bad in (0, -5, 1441, "half an hour", None):
        refused = client.patch(url, json={"door_list_max_age_minutes": bad}, headers=organiser)
        assert refused.status_code == 422, bad
        assert refused.json["error"]["field"] == "door_list_max_age_minutes"
    done = client.patch(url, json={"door_list_max_age_minutes": 10}, headers=organiser)
    assert done.status_code == 200, done.json
    assert client.get(url).json["door_list_max_age_minutes"] == 10
    assert sync(client, door)["max_age_minutes"] == 10
