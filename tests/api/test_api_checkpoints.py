"""The checkpoint API: an optional window (the gathering's hours), close, reopen, history."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.checkin_helpers import badge_token, confirmed_guest, enrol_device, scan_body
from tests.conftest import SLUG, FakeClock, make_app, services_of

URL = f"/api/v1/gatherings/{SLUG}/checkpoints"
DURING = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 at the venue
ENTRANCE = {
    "code": "main-entrance",
    "name_en": "Main entrance",
    "name_zh": "正門",
    "categories": ["guest", "vip"],
    "category_notes": {"guest": "Programme at the desk 請於服務台領取程序表"},
}


def when(text: str) -> datetime:
    return datetime.fromisoformat(text)


def put(client: FlaskClient, organiser: dict[str, str], **overrides: Any) -> Any:
    return client.put(URL, json={**ENTRANCE, **overrides}, headers=organiser)


def test_without_a_window_the_checkpoint_keeps_the_gatherings_hours(
    client: FlaskClient, gathering: Any, organiser: dict[str, str]
) -> None:
    defined = put(client, organiser)
    assert defined.status_code == 200, defined.json
    assert when(defined.json["opens_at"]) == when("2026-03-02T01:30:00+00:00")
    assert when(defined.json["closes_at"]) == when("2026-03-02T05:00:00+00:00")
    assert defined.json["opens_with_gathering"] is True
    assert defined.json["closes_with_gathering"] is True
    assert defined.json["closed"] is False
    early = put(client, organiser, opens_at="2026-03-02T08:45:00+08:00", closes_at=None)
    assert early.status_code == 200, early.json
    assert when(early.json["opens_at"]) == when("2026-03-02T00:45:00+00:00")
    assert early.json["opens_with_gathering"] is False
    assert early.json["closes_with_gathering"] is True
    [listed] = client.get(URL, headers=organiser).json["items"]
    assert listed == early.json


def test_bad_windows_and_notes_name_their_field_and_write_nothing(
    app: Flask, client: FlaskClient, gathering: Any, organiser: dict[str, str]
) -> None:
    for overrides, field in [
        ({"opens_at": "2026-03-02T14:00:00+08:00"}, "opens_at"),
        ({"closes_at": "2026-03-02T09:00:00+08:00"}, "closes_at"),
        (
            {"opens_at": "2026-03-02T11:00:00+08:00", "closes_at": "2026-03-02T10:00:00+08:00"},
            "closes_at",
        ),
        ({"opens_at": "2026-03-02T11:00:00"}, "opens_at"),
        ({"category_notes": {"press": "no press here"}}, "category_notes"),
        ({"categories": ["speaker"]}, "categories"),
    ]:
        refused = put(client, organiser, **overrides)
        assert refused.status_code == 422, (overrides, refused.json)
        assert refused.json["error"]["field"] == field, (overrides, refused.json)
    assert services_of(app).box_office.gathering(SLUG).checkpoints == {}


def test_close_refuses_every_scan_until_the_checkpoint_is_defined_again(
    app: Flask, client: FlaskClient, gathering: Any, organiser: dict[str, str], clock: FakeClock
) -> None:
    put(client, organiser)
    door = enrol_device(client, organiser)
    token = badge_token(app, confirmed_guest(client)["id"])
    clock.now = DURING
    assert client.post(f"{URL}/main-entrance/close", headers=door).status_code == 403
    assert client.post(f"{URL}/main-entrance/close").status_code == 401
    closed = client.post(f"{URL}/main-entrance/close", headers=organiser)
    assert closed.status_code == 200, closed.json
    assert closed.json["closed"] is True
    again = client.post(f"{URL}/main-entrance/close", headers=organiser)
    assert (again.status_code, again.json["error"]["code"]) == (409, "invalid_transition")
    unknown = client.post(f"{URL}/nope/close", headers=organiser)
    assert (unknown.status_code, unknown.json["error"]["code"]) == (404, "not_found")
    listed = client.get(URL, headers=door).json["items"]
    assert listed[0]["closed"] is True

    refused = client.post("/api/v1/scans", json=scan_body(token, DURING), headers=door)
    assert refused.json["status"] == "closed"
    assert refused.json["reason"] == (
        "The organisers have closed this checkpoint: no one is admitted here."
    )
    reopened = put(client, organiser)
    assert reopened.json["closed"] is False
    welcome = client.post("/api/v1/scans", json=scan_body(token, DURING), headers=door)
    assert welcome.json["status"] == "ok"
    assert welcome.json["guest"]["notes"] == ["Programme at the desk 請於服務台領取程序表"]

    history = client.get(f"{URL}/main-entrance/history", headers=organiser)
    assert history.status_code == 200
    assert [e["type"] for e in history.json["events"]] == [
        "CheckpointDefined",
        "CheckpointClosed",
        "CheckpointDefined",
    ]
    assert history.json["events"][1]["summary"] == (
        "checkpoint main-entrance closed: it admits no one"
    )
    assert all(e["actor"].startswith("organiser:alice") for e in history.json["events"])
    assert client.get(f"{URL}/nope/history", headers=organiser).status_code == 404


def test_an_old_checkpoint_event_with_its_window_replays_from_the_store(
    app: Flask,
    client: FlaskClient,
    gathering: Any,
    organiser: dict[str, str],
    clock: FakeClock,
    database_url: str,
) -> None:
    events = services_of(app).box_office
    stored = events.gathering(SLUG)
    old_data = {  # a CheckpointDefined as recorded before windows were optional
        **ENTRANCE,
        "categories": ["guest"],
        "opens_at": datetime(2026, 3, 2, 1, 0, tzinfo=UTC),
        "closes_at": datetime(2026, 3, 2, 3, 0, tzinfo=UTC),
    }
    stored._define_checkpoint(checkpoint=old_data, at=clock(), actor="organiser:alice")
    events.save(stored)
    token = badge_token(app, confirmed_guest(client)["id"])

    fresh = make_app(database_url, clock)  # another process, reading the store from scratch
    try:
        other = fresh.test_client()
        door = enrol_device(other, organiser)
        [listed] = other.get(URL, headers=door).json["items"]
        assert when(listed["opens_at"]) == when("2026-03-02T01:00:00+00:00")
        assert listed["opens_with_gathering"] is False
        assert listed["closed"] is False
        clock.now = DURING
        ok = other.post("/api/v1/scans", json=scan_body(token, DURING), headers=door)
        assert ok.json["status"] == "ok"
        late = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)
        clock.now = late
        shut = other.post(
            "/api/v1/scans", json=scan_body(token, late, direction="out"), headers=door
        )
        assert shut.json["status"] == "closed"
    finally:
        services_of(fresh).close()


def test_the_checkpoint_endpoints_are_documented_with_their_errors(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").json
    close = spec["paths"]["/api/v1/gatherings/{slug}/checkpoints/{code}/close"]["post"]
    assert set(close["responses"]) >= {"200", "401", "403", "404", "409"}
    assert "reopens" in close["description"]
    history = spec["paths"]["/api/v1/gatherings/{slug}/checkpoints/{code}/history"]["get"]
    assert set(history["responses"]) >= {"200", "401", "403", "404"}
    define = spec["paths"]["/api/v1/gatherings/{slug}/checkpoints"]["put"]
    assert set(define["responses"]) >= {"200", "401", "403", "404", "409", "422"}
    ref = define["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = spec["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert "opens_at" not in schema["required"]
    assert "closes_at" not in schema["required"]


def test_concurrent_adds_and_closes_of_one_checkpoint_each_happen_once(
    app: Flask, gathering: Any, database_url: str, clock: FakeClock
) -> None:
    from domain.checkpoint import Checkpoint
    from domain.errors import AlreadyExists, InvalidTransition
    from events_app.services.checkpoints import Checkpoints
    from tests.integration.test_concurrency import run_together

    second = make_app(database_url, clock)  # as another process on the same store
    try:
        services = [Checkpoints(services_of(a).box_office) for a in (app, second)]

        def add(index: int) -> str:
            entrance = Checkpoint(
                **{**ENTRANCE, "name_en": f"Door {index}", "categories": ("guest",)}
            )
            try:
                services[index % 2].add(SLUG, entrance, f"organiser:{index}")
            except AlreadyExists:
                return "refused"
            return "added"

        def close(index: int) -> str:
            try:
                services[index % 2].close(SLUG, "main-entrance", f"organiser:{index}")
            except InvalidTransition:
                return "refused"
            return "closed"

        assert sorted(run_together(6, add)) == ["added"] + ["refused"] * 5
        assert sorted(run_together(6, close)) == ["closed"] + ["refused"] * 5
        history = services[0].history(SLUG, "main-entrance")
        assert [c.type for c in history] == ["CheckpointDefined", "CheckpointClosed"]
    finally:
        services_of(second).close()
