"""Rate limits through real requests: per device on scans, per address on the public doors.

Limits are shared by app instances on one store (as gunicorn workers or machines are), say
when to retry, and end with their window (the app's clock moves, nothing sleeps).
"""

from __future__ import annotations

import sqlite3
import uuid
from typing import Any

import pytest
from flask import Flask

from events_app.rate_limits import limiter_of
from events_app.rate_limits.storage import DatabaseStorage
from tests.checkin_helpers import define_checkpoints, enrol_device, scan_body
from tests.conftest import SLUG, FakeClock, gathering_payload, guest, services_of
from tests.console_helpers import csrf_from, open_account, sign_in
from tests.rate_limit_helpers import apps, from_address, limited_app, retry_after


def organiser_headers(app: Flask) -> dict[str, str]:
    token, _ = services_of(app).box_office.issue_organiser_token("alice")
    return {"Authorization": f"Bearer {token}"}


def set_up_door(app: Flask) -> dict[str, str]:
    client = app.test_client()
    organiser = organiser_headers(app)
    created = client.post("/api/v1/gatherings", json=gathering_payload(), headers=organiser)
    assert created.status_code == 201, created.json
    define_checkpoints(client, organiser)
    return enrol_device(client, organiser)


def forged(clock: FakeClock) -> dict[str, Any]:
    return scan_body("FORGED" + uuid.uuid4().hex, clock.now)


def test_scans_are_limited_per_device_across_two_instances_and_reset(
    database_url: str, clock: FakeClock
) -> None:
    with apps(database_url, clock, RATELIMIT_SCANS="5/minute") as (first, second):
        door = set_up_door(first)
        clients = [first.test_client(), second.test_client()]
        answers = [
            clients[n % 2].post("/api/v1/scans", json=forged(clock), headers=door) for n in range(5)
        ]
        assert [a.status_code for a in answers] == [200] * 5
        assert {a.json["status"] for a in answers} == {"invalid"}
        clock.advance(seconds=20)
        for client in clients:
            refused = client.post("/api/v1/scans", json=forged(clock), headers=door)
            assert 1 <= retry_after(refused) <= 40
            assert refused.json["error"]["code"] == "rate_limited"
            assert "door device" in refused.json["error"]["message"]
        # A batch and a guest found by name count against the same limit.
        batch = {"scans": [forged(clock)]}
        assert clients[0].post("/api/v1/scans/batch", json=batch, headers=door).status_code == 429
        clock.advance(seconds=41)
        assert clients[1].post("/api/v1/scans", json=forged(clock), headers=door).status_code == 200


def test_a_batch_upload_is_one_hit_and_devices_are_counted_apart(
    database_url: str, clock: FakeClock
) -> None:
    with apps(database_url, clock, 1, RATELIMIT_SCANS="2/minute") as (app,):
        door = set_up_door(app)
        other = enrol_device(app.test_client(), organiser_headers(app), "door 2")
        client = app.test_client()
        batch = {"scans": [forged(clock) for _ in range(300)]}
        uploaded = client.post("/api/v1/scans/batch", json=batch, headers=door)
        assert uploaded.status_code == 200
        assert len(uploaded.json["results"]) == 300
        assert client.post("/api/v1/scans", json=forged(clock), headers=door).status_code == 200
        assert client.post("/api/v1/scans", json=forged(clock), headers=door).status_code == 429
        assert client.post("/api/v1/scans", json=forged(clock), headers=other).status_code == 200


def test_door_list_syncs_are_limited_per_device_apart_from_scans(
    database_url: str, clock: FakeClock
) -> None:
    with apps(database_url, clock, 1, RATELIMIT_DOOR_LISTS="3/minute") as (app,):
        door = set_up_door(app)
        client = app.test_client()
        for _ in range(3):
            assert client.get("/api/v1/door/list", headers=door).status_code == 200
        refused = client.get("/api/v1/door/list", headers=door)
        assert refused.json["error"]["code"] == "rate_limited"
        assert 1 <= retry_after(refused) <= 60
        assert client.post("/api/v1/scans", json=forged(clock), headers=door).status_code == 200
        clock.advance(minutes=1, seconds=1)
        assert client.get("/api/v1/door/list", headers=door).status_code == 200


def test_registration_is_limited_per_address_through_api_and_form(
    database_url: str, clock: FakeClock
) -> None:
    with apps(database_url, clock, RATELIMIT_REGISTRATIONS="3/minute") as (first, second):
        first.test_client().post(
            "/api/v1/gatherings", json=gathering_payload(), headers=organiser_headers(first)
        )
        venue = [from_address(a.test_client(), "203.0.113.7") for a in (first, second)]
        url = f"/api/v1/gatherings/{SLUG}/registrations"
        assert venue[0].post(url, json=guest(1)).status_code == 201
        assert venue[1].post(url, json=guest(2)).status_code == 201
        page = venue[0].get(f"/gatherings/{SLUG}/register").get_data(as_text=True)
        form = {"csrf_token": csrf_from(page), **guest(3), "consent": "on"}
        assert venue[0].post(f"/gatherings/{SLUG}/register", data=form).status_code == 303
        refused = venue[1].post(url, json=guest(4))
        assert 1 <= retry_after(refused) <= 60
        assert refused.json["error"]["code"] == "rate_limited"
        form["email"] = "guest5@example.org"
        page_refused = venue[0].post(f"/gatherings/{SLUG}/register", data=form)
        seconds = retry_after(page_refused)
        html = page_refused.get_data(as_text=True)
        assert f"Please wait {seconds} seconds" in html
        assert 'value="guest5@example.org"' in html  # what the guest typed is kept
        elsewhere = from_address(second.test_client(), "198.51.100.9")
        assert elsewhere.post(url, json=guest(6)).status_code == 201
        clock.advance(minutes=1, seconds=1)
        assert venue[1].post(url, json=guest(7)).status_code == 201


def test_enrolment_and_sign_in_are_limited_per_address(database_url: str, clock: FakeClock) -> None:
    config = {"RATELIMIT_ENROLMENTS": "2/minute", "RATELIMIT_SIGN_INS": "2/minute"}
    with apps(database_url, clock, **config) as (first, second):
        client = from_address(first.test_client(), "192.0.2.1")
        other = from_address(second.test_client(), "192.0.2.1")
        for c in (client, other):
            wrong = c.post("/api/v1/devices/enrol", json={"setup_code": "ABCDE-FGHJK"})
            assert wrong.status_code == 404
        refused = client.post("/api/v1/devices/enrol", json={"setup_code": "ABCDE-FGHJK"})
        assert retry_after(refused) <= 60
        assert refused.json["error"]["code"] == "rate_limited"
        username = open_account(first)
        assert sign_in(client, username, "wrong").status_code == 401
        assert sign_in(other, username).status_code == 303
        blocked = sign_in(client, username)
        seconds = retry_after(blocked)
        assert "Too many attempts from your network" in blocked.get_data(as_text=True)
        assert f"wait {seconds} seconds" in blocked.get_data(as_text=True)
        clock.advance(seconds=61)
        assert sign_in(client, username).status_code == 303


def test_the_counters_live_in_the_apps_database(database_url: str, clock: FakeClock) -> None:
    with apps(database_url, clock, 1) as (app,):
        storage = limiter_of(app).storage
        assert isinstance(storage, DatabaseStorage)
        assert storage.incr("k", 60) == 1
        assert storage.incr("k", 60, amount=2) == 3
        assert storage.get("k") == 3
        assert storage.get_expiry("k") == clock.now.timestamp() + 60
        clock.advance(seconds=60)
        assert storage.get("k") == 0
        assert storage.incr("k", 60) == 1  # a new window
        storage.clear("k")
        assert storage.get("k") == 0
        assert storage.check()
        storage.incr("a", 10)
        assert storage.reset() == 1


def test_an_in_memory_app_keeps_its_counters_in_memory(clock: FakeClock) -> None:
    app = limited_app("memory://", clock, RATELIMIT_SCANS="1/minute")
    try:
        assert type(limiter_of(app).storage).__name__ == "MemoryStorage"
        door = set_up_door(app)
        client = app.test_client()
        assert client.post("/api/v1/scans", json=forged(clock), headers=door).status_code == 200
        assert (
            1 <= retry_after(client.post("/api/v1/scans", json=forged(clock), headers=door)) <= 60
        )
    finally:
        services_of(app).close()


def redis_url() -> str:
    try:
        import redis

        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_timeout=2).ping()
    except Exception as error:
        pytest.skip(f"no Redis at 127.0.0.1:6379: {error}")
    return "redis://127.0.0.1:6379/0"


def test_a_redis_storage_shares_the_limit(tmp_path: Any, clock: FakeClock) -> None:
    config = {
        "RATELIMIT_STORAGE_URI": redis_url(),
        "RATELIMIT_KEY_PREFIX": uuid.uuid4().hex,
        "RATELIMIT_REGISTRATIONS": "2/minute",
    }
    with apps(f"sqlite:///{tmp_path / 'events.sqlite'}", clock, **config) as (first, second):
        assert type(limiter_of(first).storage).__name__ == "RedisStorage"
        first.test_client().post(
            "/api/v1/gatherings", json=gathering_payload(), headers=organiser_headers(first)
        )
        url = f"/api/v1/gatherings/{SLUG}/registrations"
        assert first.test_client().post(url, json=guest(1)).status_code == 201
        assert second.test_client().post(url, json=guest(2)).status_code == 201
        assert 1 <= retry_after(first.test_client().post(url, json=guest(3))) <= 60


def test_the_openapi_document_declares_429_with_retry_after(client: Any) -> None:
    spec = client.get("/api/v1/openapi.json").json
    limited = [
        ("/api/v1/scans", "post"),
        ("/api/v1/scans/batch", "post"),
        ("/api/v1/door/check-ins", "post"),
        ("/api/v1/devices/enrol", "post"),
        ("/api/v1/gatherings/{slug}/registrations", "post"),
    ]
    for path, method in limited:
        refused = spec["paths"][path][method]["responses"]["429"]
        assert "Retry-After" in refused["headers"], path
        assert "rate_limited" in refused["description"]
    assert "429" not in spec["paths"]["/api/v1/gatherings/{slug}"]["get"]["responses"]


def test_rate_limits_can_be_switched_off(tmp_path: Any, clock: FakeClock) -> None:
    url = f"sqlite:///{tmp_path / 'events.sqlite'}"
    with apps(url, clock, 1, RATELIMIT_ENABLED=False, RATELIMIT_REGISTRATIONS="1/minute") as (app,):
        client = app.test_client()
        client.post("/api/v1/gatherings", json=gathering_payload(), headers=organiser_headers(app))
        url = f"/api/v1/gatherings/{SLUG}/registrations"
        assert [client.post(url, json=guest(n)).status_code for n in range(3)] == [201] * 3


def test_a_broken_counter_store_lets_requests_through(
    tmp_path: Any, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'events.sqlite'}"
    with apps(url, clock, 1, RATELIMIT_REGISTRATIONS="1/minute") as (app,):
        client = app.test_client()
        client.post("/api/v1/gatherings", json=gathering_payload(), headers=organiser_headers(app))

        def locked(*_: Any) -> Any:
            raise sqlite3.OperationalError("database is locked")

        monkeypatch.setattr(limiter_of(app).storage._db, "transaction", locked)
        url = f"/api/v1/gatherings/{SLUG}/registrations"
        assert [client.post(url, json=guest(n)).status_code for n in range(3)] == [201] * 3
        door = set_up_door_only(app)
        answer = client.post("/api/v1/scans", json=forged(clock), headers=door)
        assert answer.status_code == 200  # recorded as a scan, as before the limits
        assert answer.json["status"] == "invalid"


def set_up_door_only(app: Flask) -> dict[str, str]:
    client = app.test_client()
    organiser = organiser_headers(app)
    define_checkpoints(client, organiser)
    return enrol_device(client, organiser)


def test_behind_a_trusted_proxy_the_clients_address_is_counted(
    tmp_path: Any, clock: FakeClock
) -> None:
    url = f"sqlite:///{tmp_path / 'events.sqlite'}"
    config = {"TRUSTED_PROXIES": 1, "RATELIMIT_REGISTRATIONS": "1/minute"}
    with apps(url, clock, 1, **config) as (app,):
        client = from_address(app.test_client(), "127.0.0.1")  # the proxy
        client.post("/api/v1/gatherings", json=gathering_payload(), headers=organiser_headers(app))
        url = f"/api/v1/gatherings/{SLUG}/registrations"

        def register(n: int, address: str) -> int:
            headers = {"X-Forwarded-For": address}
            return client.post(url, json=guest(n), headers=headers).status_code

        assert [register(1, "198.51.100.1"), register(2, "198.51.100.2")] == [201, 201]
        assert register(3, "198.51.100.1") == 429


def test_busy_keys_are_counted_in_leases_within_a_fiftieth_of_the_limit(
    database_url: str, clock: FakeClock
) -> None:
    """Two processes' storages on one database: a busy key of a 600-a-minute limit is
    counted in leases (far fewer writes than hits), and neither lets more than 600 through."""
    key = "LIMITER/device:abc/scans/600/1/minute"
    with apps(database_url, clock, 2) as (one, other):
        storages = [limiter_of(one).storage, limiter_of(other).storage]
        admitted = sum(storages[n % 2].incr(key, 60) <= 600 for n in range(700))
        writes = storages[0].get(key)
        assert 600 - 2 * (600 // 50) <= admitted <= 600
        assert writes >= 700  # every hit (and the reserved rest) is in the shared counter
        clock.advance(seconds=60)
        assert storages[0].incr(key, 60) == 1  # a lease ends with its window


def test_keys_of_small_limits_are_counted_hit_by_hit(database_url: str, clock: FakeClock) -> None:
    key = "LIMITER/addr:10.0.0.1/guest-erasures/10/1/minute"
    with apps(database_url, clock, 2) as (one, other):
        storages = [limiter_of(one).storage, limiter_of(other).storage]
        counts = [storages[n % 2].incr(key, 60) for n in range(12)]
        assert counts == list(range(1, 13))
        assert storages[1].get(key) == 12


def test_scans_are_counted_under_flask_limiters_key_and_refused_until_the_window_ends(
    database_url: str, clock: FakeClock
) -> None:
    with apps(database_url, clock, 1, RATELIMIT_SCANS="3/minute") as (app,):
        door = set_up_door(app)
        client = app.test_client()
        device_hex = door["Authorization"].split("_")[1]
        key = f"LIMITER/device:{device_hex}/scans/3/1/minute"
        for hits in (1, 2, 3):
            assert client.post("/api/v1/scans", json=forged(clock), headers=door).status_code == 200
            assert limiter_of(app).storage.get(key) == hits
        clock.advance(seconds=20)
        refused = client.post("/api/v1/scans", json=forged(clock), headers=door)
        assert refused.status_code == 429
        assert refused.json["error"]["code"] == "rate_limited"
        assert retry_after(refused) == 40  # the window began with the first hit
        assert limiter_of(app).storage.get(key) == 4  # a refused hit counts, as Flask-Limiter's
