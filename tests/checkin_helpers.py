"""Helpers for check-in tests: a gathering with checkpoints, an enrolled device, badges."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import SLUG, guest, services_of

CHECKPOINTS = [
    {
        "code": "main-entrance",
        "name_en": "Main entrance, Block B",
        "name_zh": "B座正門",
        "categories": ["guest", "vip", "press"],
        "opens_at": "2026-02-01T08:00:00+00:00",
        "closes_at": "2026-03-02T06:00:00+00:00",
        "category_notes": {"vip": "VIP: escort to front row 貴賓：請引領至前排"},
    },
    {
        "code": "vip-lounge",
        "name_en": "VIP lounge",
        "name_zh": "貴賓室",
        "categories": ["vip"],
        "opens_at": "2026-02-01T08:00:00+00:00",
        "closes_at": "2026-02-01T12:00:00+00:00",
    },
]


def define_checkpoints(client: FlaskClient, organiser: dict[str, str]) -> None:
    for checkpoint in CHECKPOINTS:
        response = client.put(
            f"/api/v1/gatherings/{SLUG}/checkpoints", json=checkpoint, headers=organiser
        )
        assert response.status_code == 200, response.json


def enrol_device(
    client: FlaskClient, organiser: dict[str, str], name: str = "door 1"
) -> dict[str, str]:
    """Register and enrol a device; return its auth headers and id."""
    created = client.post(
        f"/api/v1/gatherings/{SLUG}/devices", json={"name": name}, headers=organiser
    )
    assert created.status_code == 201, created.json
    enrolled = client.post("/api/v1/devices/enrol", json={"setup_code": created.json["setup_code"]})
    assert enrolled.status_code == 201, enrolled.json
    return {
        "Authorization": f"Bearer {enrolled.json['device_token']}",
        "X-Device-Id": enrolled.json["device_id"],
    }


@pytest.fixture
def door(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> dict[str, str]:
    """A gathering's checkpoints defined and an enrolled door device; its auth headers."""
    define_checkpoints(client, organiser)
    return enrol_device(client, organiser)


def confirmed_guest(client: FlaskClient, n: int = 1, **overrides: Any) -> dict[str, Any]:
    response = client.post(f"/api/v1/gatherings/{SLUG}/registrations", json=guest(n, **overrides))
    assert response.status_code == 201, response.json
    return dict(response.json)


def badge_token(app: Flask, registration_id: str) -> str:
    services = services_of(app)
    return services.checkin.badge_token(
        services.box_office.registration(uuid.UUID(registration_id))
    )


def scan_body(
    token: str, at: datetime, checkpoint: str = "main-entrance", **extra: Any
) -> dict[str, Any]:
    return {
        "token": token,
        "checkpoint": checkpoint,
        "client_scan_id": extra.pop("client_scan_id", uuid.uuid4().hex),
        "scanned_at": at.isoformat(),
        **extra,
    }
