"""An owner erases a guest's personal data from the console (and the CLI): asked twice."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Flask
from flask.testing import FlaskClient

from domain.roles import Role
from tests.conftest import SLUG, guest, services_of
from tests.console_helpers import PASSWORD, console, csrf_from, sign_in

__all__ = ["console"]


def registered(client: FlaskClient, gathering: Any) -> str:
    """Register a guest through the API; return the registration's id."""
    answer = client.post(f"/api/v1/gatherings/{SLUG}/registrations", json=guest(7))
    assert answer.status_code == 201, answer.json
    return str(answer.json["id"])


def erased(app: Flask, registration_id: str) -> bool:
    """Tell whether the registration reads erased."""
    return bool(services_of(app).box_office.registration(UUID(registration_id)).erased)


def test_an_owner_erases_after_a_reason_a_tick_and_the_question(
    app: Flask, console: FlaskClient, gathering: Any
) -> None:
    registration_id = registered(console, gathering)
    page_url = f"/organiser/gatherings/{SLUG}/registrations/{registration_id}"
    page = console.get(page_url).get_data(as_text=True)
    assert 'id="erase-form"' in page
    offered = ('id="edit-details"', 'id="reissue"', 'id="corrections"')
    assert all(action in page for action in offered), [a for a in offered if a not in page]
    form = {"csrf_token": csrf_from(page), "reason": "the guest asked by e-mail"}
    action = f"{page_url}/erase"
    untick = console.post(action, data=form)
    assert untick.status_code == 303  # no tick: nothing asked, nothing done
    assert not erased(app, registration_id)
    asked = console.post(action, data={**form, "understood": "yes"})
    assert asked.status_code == 200
    assert "Nobody can undo this" in asked.get_data(as_text=True)
    assert not erased(app, registration_id)
    done = console.post(action, data={**form, "understood": "yes", "confirm": "yes"})
    assert done.status_code == 303
    assert erased(app, registration_id)
    after = console.get(page_url).get_data(as_text=True)
    assert "Guest Number 7" not in after
    assert 'id="erase-form"' not in after
    assert "Personal data erased" in after  # the history says so, with the reason
    assert "the guest asked by e-mail" in after
    assert not [action for action in offered if action in after]  # nothing left to correct
    assert 'id="erased-note"' in after


def test_an_organiser_may_not_erase_and_the_cli_asks_for_an_owner(
    app: Flask, client: FlaskClient, gathering: Any
) -> None:
    registration_id = registered(client, gathering)
    accounts = services_of(app).accounts
    accounts.open("orla", "Orla", PASSWORD, "test", role=Role.ORGANISER)
    assert sign_in(client, "orla").status_code == 303
    page_url = f"/organiser/gatherings/{SLUG}/registrations/{registration_id}"
    page = client.get(page_url).get_data(as_text=True)
    assert 'id="erase-form"' not in page
    refused = client.post(
        f"{page_url}/erase",
        data={"csrf_token": csrf_from(page), "reason": "x", "understood": "yes", "confirm": "yes"},
    )
    assert refused.status_code == 403
    runner = app.test_cli_runner()
    erase = ["personal-data", "erase", registration_id, "--reason", "asked", "--yes"]
    as_organiser = runner.invoke(args=[*erase, "--account", "orla"])
    assert as_organiser.exit_code != 0
    assert "erase_personal_data" in as_organiser.output
    assert not erased(app, registration_id)
    assert runner.invoke(args=erase).exit_code == 0  # the machine's operator is an owner
    assert erased(app, registration_id)
    again = runner.invoke(args=erase)
    assert again.exit_code != 0
    assert "already" in again.output
