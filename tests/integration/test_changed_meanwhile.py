"""Commands run only on the versions a person saw: a later change by another is not overwritten."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from events_app.errors import domain_status
from events_app.store.seen_versions import ChangedMeanwhile
from tests.conftest import SLUG, guest, services_of
from tests.integration.test_concurrency import apps, run_together  # noqa: F401 (the `apps` fixture)


def registered(client: FlaskClient, n: int = 1, **overrides: Any) -> UUID:
    response = client.post(f"/api/v1/gatherings/{SLUG}/registrations", json=guest(n, **overrides))
    assert response.status_code == 201, response.json
    return UUID(response.json["id"])


def test_a_command_on_a_stale_version_is_refused_and_writes_nothing(
    app: Flask, client: FlaskClient, gathering: dict[str, Any]
) -> None:
    events = services_of(app).box_office
    registration_id = registered(client)
    seen = events.registration(registration_id).version
    events.reissue_badge(registration_id, "organiser:bob")  # someone else, meanwhile
    before = len(events.changes(registration_id))
    with pytest.raises(ChangedMeanwhile) as refused, events.expecting({registration_id: seen}):
        events.cancel(registration_id, "organiser:olivia")
    assert (refused.value.code, domain_status(refused.value)) == ("changed_meanwhile", 409)
    assert (refused.value.seen, refused.value.now) == (seen, seen + 1)
    assert len(events.changes(registration_id)) == before
    assert events.registration(registration_id).state.value == "confirmed"
    with events.expecting({registration_id: seen + 1}):
        events.cancel(registration_id, "organiser:olivia")
    assert events.registration(registration_id).state.value == "cancelled"


@pytest.mark.slow
def test_two_organisers_acting_on_the_same_version_one_wins(
    apps: list[Flask],  # noqa: F811 (the fixture imported above)
    gathering: dict[str, Any],
) -> None:
    registration_id = registered(apps[0].test_client())
    seen = services_of(apps[0]).box_office.registration(registration_id).version

    def reissue(index: int) -> str:
        events = services_of(apps[index % len(apps)]).box_office
        try:
            with events.expecting({registration_id: seen}):
                events.reissue_badge(registration_id, f"organiser:{index}")
        except ChangedMeanwhile:
            return "changed_meanwhile"
        return "ok"

    outcomes = run_together(6, reissue)
    assert sorted(outcomes) == ["changed_meanwhile"] * 5 + ["ok"]
    registration = services_of(apps[0]).box_office.registration(registration_id)
    assert (registration.version, registration.badge_serial) == (seen + 1, 2)
