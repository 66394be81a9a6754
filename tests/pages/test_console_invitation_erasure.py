"""An owner erases an unaccepted invitee from the console's invitations page: asked twice."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Flask
from flask.testing import FlaskClient

from domain.roles import Role
from tests.conftest import SLUG, services_of
from tests.console_helpers import PASSWORD, console, csrf_from, sign_in
from tests.integration.test_personal_data import NAME, invitee, leaked

__all__ = ["console"]
PAGE = f"/organiser/gatherings/{SLUG}/invitations"


def invited(app: Flask, client: FlaskClient) -> str:
    """Invite the distinctive guest through the API; return the invitation's id."""
    token, _ = services_of(app).box_office.issue_organiser_token("alice")
    answer = client.post(
        f"/api/v1/gatherings/{SLUG}/invitations",
        json=invitee(),
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 201, answer.json
    return str(answer.json["id"])


def erased(app: Flask, invitation_id: str) -> bool:
    """Tell whether the invitation reads erased."""
    return bool(services_of(app).invitations.invitation(UUID(invitation_id)).erased)


def test_an_owner_erases_an_invitee_after_a_reason_a_tick_and_the_question(
    app: Flask, console: FlaskClient, gathering: Any
) -> None:
    invitation_id = invited(app, console)
    page = console.get(PAGE).get_data(as_text=True)
    assert NAME in page
    assert f"/invitations/{invitation_id}/erase" in page
    form = {"csrf_token": csrf_from(page), "reason": "the invitee asked by phone"}
    action = f"{PAGE}/{invitation_id}/erase"
    untick = console.post(action, data=form)
    assert untick.status_code == 303  # no tick: nothing asked, nothing done
    assert not erased(app, invitation_id)
    asked = console.post(action, data={**form, "understood": "yes"})
    assert asked.status_code == 200
    question = asked.get_data(as_text=True)
    assert "Nobody can undo this" in question
    assert "its seats go back" in question  # still open: it is withdrawn with it
    assert not erased(app, invitation_id)
    done = console.post(action, data={**form, "understood": "yes", "confirm": "yes"})
    assert done.status_code == 303
    assert erased(app, invitation_id)
    after = console.get(PAGE).get_data(as_text=True)
    assert leaked(after.encode()) == []
    assert "Personal data erased" in after
    assert f"/invitations/{invitation_id}/erase" not in after
    again = console.post(action, data={**form, "understood": "yes", "confirm": "yes"})
    assert again.status_code == 303
    assert "erased" in console.get(PAGE).get_data(as_text=True)
    missing = console.post(f"{PAGE}/{UUID(int=1)}/erase", data={**form, "understood": "yes"})
    assert missing.status_code == 404


def test_an_organiser_is_not_offered_the_erasure_and_is_refused(
    app: Flask, client: FlaskClient, gathering: Any
) -> None:
    invitation_id = invited(app, client)
    services_of(app).accounts.open("orla", "Orla", PASSWORD, "test", role=Role.ORGANISER)
    assert sign_in(client, "orla").status_code == 303
    page = client.get(PAGE).get_data(as_text=True)
    assert f"/invitations/{invitation_id}/erase" not in page
    refused = client.post(
        f"{PAGE}/{invitation_id}/erase",
        data={"csrf_token": csrf_from(page), "reason": "x", "understood": "yes", "confirm": "yes"},
    )
    assert refused.status_code == 403
    assert not erased(app, invitation_id)
