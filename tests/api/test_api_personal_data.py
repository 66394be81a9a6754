"""GET /api/v1/registrations/<id>/personal-data and `flask personal-data export`."""

from __future__ import annotations

import json
import uuid
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from domain.roles import Role
from tests.conftest import SLUG, guest, services_of


def registered(client: FlaskClient, n: int = 3) -> str:
    answer = client.post(f"/api/v1/gatherings/{SLUG}/registrations", json=guest(n))
    assert answer.status_code == 201, answer.json
    return str(answer.json["id"])


def test_an_organiser_exports_a_guests_data_and_an_erased_guest_answers_409(
    app: Flask, client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    rid = registered(client)
    path = f"/api/v1/registrations/{rid}/personal-data"
    assert client.get(path).status_code == 401
    viewer = services_of(app).box_office.issue_organiser_token("v", "test", role=Role.VIEWER)[0]
    refused = client.get(path, headers={"Authorization": f"Bearer {viewer}"})
    assert refused.status_code == 403
    data = client.get(path, headers=organiser).json
    assert data["details"]["email"] == "guest3@example.org"
    assert data["gathering"]["slug"] == SLUG
    assert data["history"][0] == {
        "at": data["registered_at"],
        "what": "Submitted",
        "who": "guest",
    }
    missing = client.get(f"/api/v1/registrations/{uuid.uuid4()}/personal-data", headers=organiser)
    assert missing.status_code == 404
    services_of(app).personal_data.erase(uuid.UUID(rid), "owner:test", "asked")
    erased = client.get(path, headers=organiser)
    assert (erased.status_code, erased.json["error"]["code"]) == (409, "already_erased")


def test_the_export_is_documented_with_its_errors(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").json
    operation = spec["paths"]["/api/v1/registrations/{registration_id}/personal-data"]["get"]
    assert {"200", "401", "403", "404", "409"} <= set(operation["responses"])
    assert "PersonalData" in json.dumps(operation["responses"]["200"])
    assert "PersonalData" in spec["components"]["schemas"]


def test_the_cli_writes_the_export_and_refuses_an_erased_guest(
    app: Flask, client: FlaskClient, gathering: dict[str, Any], tmp_path: Any
) -> None:
    rid = registered(client)
    runner = app.test_cli_runner()
    out = tmp_path / "export.json"
    done = runner.invoke(args=["personal-data", "export", rid, "--output", str(out)])
    assert done.exit_code == 0, done.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["details"]["name_zh"] == "黃秉修"
    to_stdout = runner.invoke(args=["personal-data", "export", rid])
    assert to_stdout.exit_code == 0
    assert json.loads(to_stdout.stdout)["registration_id"] == rid
    services_of(app).personal_data.erase(uuid.UUID(rid), "owner:test", "asked")
    refused = runner.invoke(args=["personal-data", "export", rid, "--output", str(out)])
    assert refused.exit_code == 1
    assert "already_erased" in refused.output
    assert "erased" in refused.output
    assert json.loads(out.read_text(encoding="utf-8"))["registration_id"] == rid  # left as it was
