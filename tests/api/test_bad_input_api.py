"""Issue 12's bad input through the JSON API: each a clear 4xx naming the field, nothing written.

Lone surrogates and deep nesting go to every operation with a JSON body in the OpenAPI
document, on SQLite and PostgreSQL; so do offsets past 64 bits and year-1 times.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from events_app.api.parsing import MAX_DEPTH
from tests.checkin_helpers import CHECKPOINTS, badge_token, confirmed_guest, scan_body
from tests.conftest import SLUG, guest, services_of

DURING = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 at the venue
ANY_ID = "00000000-0000-4000-8000-000000000000"


def written(app: Flask) -> int:
    """Return how many events the store holds."""
    return int(services_of(app).box_office.recorder.max_notification_id() or 0)


def json_operations(client: FlaskClient) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Yield (method, path with the test gathering's slug, body schema) of each JSON body."""
    spec = client.get("/api/v1/openapi.json").json
    schemas = spec["components"]["schemas"]
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            if not body or "application/json" not in body["content"]:
                continue
            schema = body["content"]["application/json"]["schema"]
            schema = schemas[schema["$ref"].rsplit("/", 1)[1]] if "$ref" in schema else schema
            url = re.sub(r"\{[^}]+\}", ANY_ID, path.replace("{slug}", SLUG))
            yield method.upper(), url, schema


def first_text_field(schema: dict[str, Any]) -> str | None:
    """Return the name of the first string property of a body schema, if any."""
    for name, prop in schema.get("properties", {}).items():
        if prop.get("type") == "string" and not prop.get("readOnly"):
            return str(name)
    return None


def send(client: FlaskClient, method: str, url: str, body: str, *heads: dict[str, str]) -> Any:
    """Send a raw JSON body with each set of headers until one gets past authentication."""
    response = None
    for headers in heads:
        response = client.open(
            url, method=method, data=body, content_type="application/json", headers=headers
        )
        if response.status_code not in (401, 403):
            break
    return response


def test_a_lone_surrogate_in_any_json_text_field_is_refused_naming_it(
    app: Flask, client: FlaskClient, door: dict[str, str], organiser: dict[str, str]
) -> None:
    before, tried = written(app), 0
    for method, url, schema in json_operations(client):
        name = first_text_field(schema)
        if name is None:
            continue
        tried += 1
        body = '{"' + name + '": "Guest \\ud800 name"}'
        response = send(client, method, url, body, organiser, door)
        assert response.status_code == 422, (method, url, response.json)
        error = response.json["error"]
        assert (error["code"], error["field"]) == ("validation_failed", name), (url, error)
        assert "surrogate" in error["message"]
    assert tried >= 13
    assert written(app) == before


def test_the_public_registration_with_a_surrogate_writes_nothing(
    app: Flask, client: FlaskClient, gathering: dict[str, Any]
) -> None:
    before = written(app)
    for field, value in (("full_name", "\ud800"), ("organisation", "Acme \udfff Ltd")):
        response = client.post(
            f"/api/v1/gatherings/{SLUG}/registrations", json=guest(1, **{field: value})
        )
        assert response.status_code == 422
        assert response.json["error"]["field"] == field
    key = client.post(f"/api/v1/gatherings/{SLUG}/registrations", json={**guest(2), "\ud800": 1})
    assert (key.status_code, key.json["error"]["code"]) == (422, "validation_failed")
    assert written(app) == before
    assert client.post(f"/api/v1/gatherings/{SLUG}/registrations", json=guest(3)).status_code == 201


@pytest.mark.parametrize("depth", [1_000, 100_000, MAX_DEPTH + 1])
def test_json_nested_too_deep_is_malformed_on_every_operation(
    app: Flask, client: FlaskClient, door: dict[str, str], organiser: dict[str, str], depth: int
) -> None:
    before, tried = written(app), 0
    body = '{"full_name": ' + "[" * depth + "]" * depth + "}"
    for method, url, _ in json_operations(client):
        tried += 1
        response = send(client, method, url, body, organiser, door)
        assert response.status_code == 400, (method, url, response.json)
        assert response.json["error"]["code"] == "malformed_json"
    assert tried >= 25
    assert written(app) == before


def test_nesting_the_api_needs_is_still_read(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    nested = {**CHECKPOINTS[0], "category_notes": {"vip": "front row"}}
    response = client.put(f"/api/v1/gatherings/{SLUG}/checkpoints", json=nested, headers=organiser)
    assert response.status_code == 200, response.json


@pytest.mark.parametrize("value", [2**63 - 1, 2**63, 2**70, 10**30])
@pytest.mark.parametrize(
    "path", [f"/api/v1/gatherings/{SLUG}/{kind}" for kind in ("registrations", "mail")]
)
@pytest.mark.parametrize("name", ["offset", "limit"])
def test_integers_past_the_stores_range_are_refused(
    app: Flask,
    client: FlaskClient,
    gathering: dict[str, Any],
    organiser: dict[str, str],
    value: int,
    path: str,
    name: str,
) -> None:
    response = client.get(f"{path}?{name}={value}", headers=organiser)
    assert response.status_code == 422, response.json
    assert response.json["error"]["field"] == name
    assert client.get(f"{path}?{name}=5", headers=organiser).status_code == 200


def test_the_openapi_document_shows_the_bounds(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").json
    for path in ("/api/v1/gatherings/{slug}/registrations", "/api/v1/gatherings/{slug}/mail"):
        params = {p["name"]: p["schema"] for p in spec["paths"][path]["get"]["parameters"]}
        assert params["offset"]["maximum"] < 2**63
        assert params["limit"]["maximum"] < 2**63
    checkpoint = spec["components"]["schemas"]["Checkpoint"]["properties"]["opens_at"]
    assert "2000" in checkpoint["description"]


@pytest.mark.parametrize(
    "opens_at",
    ["0001-01-01T00:00:00+00:00", "9999-12-31T23:59:00-14:00", "2024-06-01T08:00:00+08:00"],
)
def test_a_checkpoint_far_from_the_gathering_is_refused(
    app: Flask,
    client: FlaskClient,
    gathering: dict[str, Any],
    organiser: dict[str, str],
    opens_at: str,
) -> None:
    before = written(app)
    body = {**CHECKPOINTS[0], "opens_at": opens_at}
    response = client.put(f"/api/v1/gatherings/{SLUG}/checkpoints", json=body, headers=organiser)
    assert response.status_code == 422, response.json
    assert response.json["error"]["field"] == "opens_at"
    late = {**CHECKPOINTS[0], "opens_at": None, "closes_at": "2027-09-01T00:00:00+00:00"}
    response = client.put(f"/api/v1/gatherings/{SLUG}/checkpoints", json=late, headers=organiser)
    assert (response.status_code, response.json["error"]["field"]) == (422, "closes_at")
    assert written(app) == before


@pytest.mark.parametrize(
    "at",
    [
        datetime(1, 1, 1, tzinfo=UTC),
        DURING - timedelta(days=400),
        datetime(1999, 12, 31, tzinfo=UTC),
    ],
)
def test_a_scan_dated_far_from_the_gathering_is_refused_and_arrivals_hold(
    app: Flask,
    client: FlaskClient,
    door: dict[str, str],
    organiser: dict[str, str],
    clock: Any,
    at: datetime,
) -> None:
    token = badge_token(app, confirmed_guest(client)["id"])
    clock.now = DURING
    before = written(app)
    for url, body in (
        ("/api/v1/scans", scan_body(token, at)),
        ("/api/v1/scans/batch", {"scans": [scan_body(token, at)]}),
    ):
        response = client.post(url, json=body, headers=door)
        assert response.status_code == 422, response.json
        assert response.json["error"]["field"].endswith("scanned_at")
    assert written(app) == before
    assert client.get(f"/api/v1/gatherings/{SLUG}/arrivals", headers=organiser).status_code == 200
    admitted = client.post("/api/v1/scans", json=scan_body(token, DURING), headers=door)
    assert admitted.status_code in (200, 201), admitted.json
    assert client.get(f"/api/v1/gatherings/{SLUG}/arrivals", headers=organiser).status_code == 200


def test_a_query_string_cannot_carry_a_surrogate(client: FlaskClient, door: dict[str, str]) -> None:
    for q in ("%ED%A0%80", "%F0", "\u00e9"):
        response = client.get(f"/api/v1/door/guests?q={q}", headers=door)
        assert response.status_code < 500, response.json


@pytest.mark.parametrize("token", ["é" * 43, "令牌" * 10, "\u00ff", "ｓｅｔｕｐ"])
def test_non_ascii_tokens_and_codes_are_refused_without_a_500(
    app: Flask, client: FlaskClient, door: dict[str, str], token: str
) -> None:
    before = written(app)
    for method, url, body in (
        ("GET", f"/api/v1/confirmations/{token}", None),
        ("POST", f"/api/v1/confirmations/{token}/cancel", {}),
        ("GET", f"/api/v1/confirmations/{token}/badge.pdf", None),
        ("POST", "/api/v1/devices/enrol", {"setup_code": token}),
    ):
        response = client.open(url, method=method, json=body)
        assert 400 <= response.status_code < 500, (url, response.status_code)
    bearer = {"Authorization": f"Bearer {token}".encode().decode("latin-1")}
    assert client.get(f"/api/v1/gatherings/{SLUG}/arrivals", headers=bearer).status_code == 401
    devices = {"Authorization": f"Bearer dev_{token}_x".encode().decode("latin-1")}
    assert client.post("/api/v1/scans", json={}, headers=devices).status_code == 401
    staff = guest(9, category="exhibitor", staff_code=token)
    response = client.post(f"/api/v1/gatherings/{SLUG}/registrations", json=staff)
    assert 400 <= response.status_code < 500
    assert client.get(f"/gatherings/{SLUG}/registrations/{token}").status_code == 404
    assert written(app) == before
