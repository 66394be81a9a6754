"""Invitations under real threads, on SQLite and PostgreSQL, in one or two app instances.

Held seats, acceptances and public registrations race for the last seats of a category:
whatever the interleaving, the category is never overfilled and every link is used once.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import SLUG, gathering_payload, guest, services_of
from tests.integration.test_concurrency import apps, run_together

pytestmark = pytest.mark.slow
__all__ = ["apps"]

INVITATIONS = f"/api/v1/gatherings/{SLUG}/invitations"


def setup(client: FlaskClient, organiser: dict[str, str], invited: int) -> list[str]:
    """Create a gathering whose guest category has 5 seats; invite `invited`; return tokens."""
    payload = gathering_payload(capacity=8)
    payload["categories"] = {
        "guest": {"capacity": 5, "approval_required": False},
        "vip": {"capacity": 3, "approval_required": False},
    }
    assert client.post("/api/v1/gatherings", json=payload, headers=organiser).status_code == 201
    tokens = []
    for n in range(invited):
        answer = client.post(
            INVITATIONS,
            json={
                "full_name": f"Official {n}",
                "email": f"official{n}@example.org",
                "category": "guest",
                "batch": "officials",
                "deadline": "2026-02-20T18:00:00+08:00",
                "companions_allowed": 1,
            },
            headers=organiser,
        )
        assert answer.status_code == 201, answer.json
        tokens.append(answer.json["link"].rsplit("/", 1)[1])
    return tokens


def seats_of(app: Flask) -> tuple[int, int]:
    """Return the confirmed and held seats of the guest category."""
    box_office = services_of(app).box_office
    guest_list = box_office.guest_list(box_office.gathering(SLUG).id)
    return guest_list.confirmed_count("guest"), guest_list.held_count("guest")


def test_twenty_acceptances_of_the_last_five_held_seats(
    apps: list[Flask], organiser: dict[str, str]
) -> None:
    clients = [a.test_client() for a in apps]
    tokens = setup(clients[0], organiser, 5)

    def accept(i: int) -> Any:
        client = clients[i % len(clients)]
        body = {
            "consent": True,
            "email": f"person{i}@example.org",
            "companions": [{"full_name": f"Aide {i}", "role": "aide"}],
        }
        answer = client.post(f"/api/v1/invitations/{tokens[i % 5]}/accept", json=body)
        return answer.status_code, answer.get_json()

    results = run_together(20, accept)
    codes = Counter(status if status == 201 else body["error"]["code"] for status, body in results)
    assert codes == {201: 5, "invitation_used": 15}
    assert seats_of(apps[0]) == (5, 0)
    # No seat was free for the companions (not reserved): they wait.
    states = Counter(body["companions"][0]["state"] for status, body in results if status == 201)
    assert states == {"waitlisted": 5}


def test_twenty_public_registrations_race_against_held_seats(
    apps: list[Flask], organiser: dict[str, str]
) -> None:
    clients = [a.test_client() for a in apps]
    tokens = setup(clients[0], organiser, 3)

    def act(i: int) -> Any:
        client = clients[i % len(clients)]
        if i < 3:
            answer = client.post(f"/api/v1/invitations/{tokens[i]}/accept", json={"consent": True})
        else:
            answer = client.post(f"/api/v1/gatherings/{SLUG}/registrations", json=guest(100 + i))
        return i, answer.status_code, answer.get_json()

    results = run_together(23, act)
    assert all(status == 201 for _i, status, _body in results), results
    invitees = Counter(body["registration"]["state"] for i, _s, body in results if i < 3)
    public = Counter(body["state"] for i, _s, body in results if i >= 3)
    assert invitees == {"confirmed": 3}
    assert public == {"confirmed": 2, "waitlisted": 18}
    assert seats_of(apps[0]) == (5, 0)
