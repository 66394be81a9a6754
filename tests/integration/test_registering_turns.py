"""Registering: the kept guest list survives a refusal, and the processes take turns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from domain.gathering import Gathering
from domain.registration import GuestDetails
from tests.conftest import SLUG, guest, services_of


def register(app: Flask, n: int) -> Any:
    """Register guest `n` through the services."""
    return services_of(app).box_office.register_placed(SLUG, GuestDetails(**guest(n)), "guest")


def test_a_refused_registration_leaves_the_kept_guest_list_to_the_next(
    app: Flask, gathering: dict[str, Any]
) -> None:
    """A duplicate e-mail is refused and the next registration goes on from the kept list."""
    box_office = services_of(app).box_office
    register(app, 1)
    with pytest.raises(Exception, match="already"):
        register(app, 1)
    gathering_id = Gathering.create_id(SLUG)
    kept = box_office.kept_guest_lists.take(gathering_id)
    assert kept is not None
    assert not kept.pending_events
    version = kept.version
    box_office.kept_guest_lists.give_back(kept)
    placed = register(app, 2)
    assert placed.registration.state.value == "confirmed"
    saved = box_office.guest_list(gathering_id)
    assert len(saved.emails) == 2
    assert saved.version == version + 1


@pytest.mark.parametrize("store", ["sqlite"])
def test_a_slug_no_gathering_has_makes_no_lock_file(
    client: FlaskClient, gathering: dict[str, Any], database_url: str
) -> None:
    """Registering for a gathering takes its lock; an unknown slug leaves no lock file."""
    body = guest(1) | {"category": "guest"}
    assert client.post(f"/api/v1/gatherings/{SLUG}/registrations", json=body).status_code == 201
    body = guest(2) | {"category": "guest"}
    assert client.post(f"/api/v1/gatherings/{SLUG}/registrations", json=body).status_code == 201
    answer = client.post("/api/v1/gatherings/no-such-launch/registrations", json=body)
    assert answer.status_code == 404
    folder = Path(database_url.removeprefix("sqlite:///")).parent
    locks = sorted(p.name for p in folder.glob("*.registrations-*.lock"))
    assert locks == [f"events.sqlite.registrations-{Gathering.create_id(SLUG).hex}.lock"]
