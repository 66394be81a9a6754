"""Helpers for planning tests: a gathering with exhibitors, slots, firms, ceremonies, agenda."""

from __future__ import annotations

from contextlib import suppress
from typing import Any
from uuid import UUID

from flask import Flask
from flask.testing import FlaskClient

from domain.errors import NotFound
from tests.conftest import SLUG, gathering_payload, guest, services_of

BASE = f"/api/v1/gatherings/{SLUG}"
EXHIBITION = f"{BASE}/exhibition"
CEREMONIES = f"{BASE}/ceremonies"
AGENDA = f"{BASE}/agenda"
REGISTER = f"{BASE}/registrations"
CATEGORIES = {
    "guest": {"capacity": None, "approval_required": False},
    "vip": {"capacity": 3, "approval_required": True},
    "exhibitor": {"capacity": 20, "approval_required": False},
}


def create_gathering(client: FlaskClient, organiser: dict[str, str], **overrides: Any) -> Any:
    """Create the test gathering with an exhibitor category."""
    payload = gathering_payload(categories=CATEGORIES, capacity=40, **overrides)
    response = client.post("/api/v1/gatherings", json=payload, headers=organiser)
    assert response.status_code == 201, response.json
    return response.json


def define_slot(
    client: FlaskClient, organiser: dict[str, str], code: str, sector: str = "ai-data"
) -> Any:
    body = {"zone": "Block B exhibition hall", "floor": "G/F", "sector": sector, "size": "3 x 2 m"}
    response = client.put(f"{EXHIBITION}/slots/{code}", json=body, headers=organiser)
    assert response.status_code == 200, response.json
    return response.json


def firm_body(name: str = "Force Sense Robotics", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name_en": name,
        "name_zh": "力感機器人",
        "sector": "advanced-manufacturing",
        "description": "Sample: fingertip-size multi-dimensional force sensors for embodied AI.",
        "contact_name": "Yu Ka Chun 余家俊",
        "contact_email": "hello@example.com",
        "staff_quota": 2,
    }
    body.update(changes)
    return body


def apply_firm(
    client: FlaskClient,
    organiser: dict[str, str],
    name: str = "Force Sense Robotics",
    **changes: Any,
) -> Any:
    response = client.post(
        f"{EXHIBITION}/firms", json=firm_body(name, **changes), headers=organiser
    )
    assert response.status_code == 201, response.json
    return response.json


def act(
    client: FlaskClient,
    organiser: dict[str, str],
    firm_id: str,
    action: str,
    body: dict[str, Any] | None = None,
) -> Any:
    return client.post(f"{EXHIBITION}/firms/{firm_id}/{action}", json=body or {}, headers=organiser)


def placed_firm(
    client: FlaskClient,
    organiser: dict[str, str],
    slot: str,
    name: str = "Force Sense Robotics",
    **changes: Any,
) -> Any:
    """Apply a firm and allocate it `slot`; return the firm."""
    firm = apply_firm(client, organiser, name, **changes)
    response = act(client, organiser, firm["id"], "allocate", {"slot": slot})
    assert response.status_code == 200, response.json
    return response.json


def staff_code(app: Flask, firm_id: str, slug: str = SLUG) -> str:
    """Return a firm's current staff code, as the console shows it."""
    return str(services_of(app).planning.staff_code(slug, UUID(firm_id)))


def exhibitor(client: FlaskClient, n: int, firm_id: str | None, **overrides: Any) -> Any:
    """Register exhibitor staff `n` of a firm, with the firm's staff code unless given."""
    if firm_id and "staff_code" not in overrides:
        with suppress(ValueError, NotFound):  # not a firm: the registration is refused anyway
            overrides["staff_code"] = staff_code(client.application, firm_id)
    return client.post(REGISTER, json=guest(n, category="exhibitor", firm_id=firm_id, **overrides))


def exhibition_version(app: Flask, slug: str = SLUG) -> int:
    """Return the version of the exhibition the store holds (0: none)."""
    return stored_events(app, services_of(app).planning.exhibition(slug).id)


def stored_events(app: Flask, aggregate_id: Any) -> int:
    """Return how many events the store holds for one aggregate."""
    return len(list(services_of(app).box_office.events.get(aggregate_id)))


def stored_count(app: Flask, topic_suffix: str) -> int:
    """Return how many events in the whole store have a topic ending in `topic_suffix`."""
    recorder = services_of(app).box_office.recorder
    notifications = recorder.select_notifications(start=1, limit=100_000)
    return sum(1 for n in notifications if n.topic.endswith(topic_suffix))


def ceremony_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "signing",
        "title_en": "Tenant enterprise signing ceremony",
        "title_zh": "入駐企業簽約儀式",
        "starts_at": "2026-03-02T10:50:00+08:00",
        "location": "Main stage 主會場",
    }
    body.update(changes)
    return body


def item_body(reference: str = "SAMPLE-TA-001", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "reference": reference,
        "title_en": "Tenancy agreement: Force Sense Robotics, office B-402",
        "title_zh": "入駐協議：力感機器人",
        "parties": [
            "Hong Kong Science and Technology Parks Corporation 香港科技園公司",
            "Force Sense Robotics 力感機器人",
        ],
        "people": [
            {
                "name_en": "Chan Tai Man",
                "name_zh": "陳大文",
                "title": "Head of Park Operations (sample)",
                "organisation": "Hong Kong Science and Technology Parks Corporation",
            },
            {
                "name_en": "Lam Wing Hei",
                "name_zh": "林永熙",
                "title": "CEO (sample)",
                "organisation": "Force Sense Robotics",
            },
        ],
        "clauses": ["1. Premises: office B-402, Block B.", "2. Term: two years."],
    }
    body.update(changes)
    return body


def plan_ceremony(client: FlaskClient, organiser: dict[str, str], **changes: Any) -> Any:
    response = client.post(CEREMONIES, json=ceremony_body(**changes), headers=organiser)
    assert response.status_code == 201, response.json
    return response.json


def add_item(
    client: FlaskClient, organiser: dict[str, str], ceremony_id: str, **changes: Any
) -> Any:
    response = client.post(
        f"{CEREMONIES}/{ceremony_id}/items", json=item_body(**changes), headers=organiser
    )
    assert response.status_code == 201, response.json
    return response.json


def agenda_body(start: str = "09:45", end: str = "09:55", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "starts_at": f"2026-03-02T{start}:00+08:00",
        "ends_at": f"2026-03-02T{end}:00+08:00",
        "title_en": "Speech by Sun Dong",
        "title_zh": "孫東局長致辭",
        "kind": "speech",
        "location": "Main stage 主會場",
        "speaker_name": "Sun Dong 孫東",
    }
    body.update(changes)
    return body


def schedule(client: FlaskClient, organiser: dict[str, str], *args: str, **changes: Any) -> Any:
    response = client.post(AGENDA, json=agenda_body(*args, **changes), headers=organiser)
    assert response.status_code == 201, response.json
    return response.json


def second_organiser(app: Flask, name: str = "bob") -> dict[str, str]:
    token, _ = services_of(app).box_office.issue_organiser_token(name)
    return {"Authorization": f"Bearer {token}"}


def assert_error(response: Any, status: int, code: str, field: str | None = None) -> None:
    assert response.status_code == status, response.json
    error = response.json["error"]
    assert error["code"] == code, error
    assert error["message"]
    if field is not None:
        assert error["field"] == field, error
        assert field in error["fields"], error
