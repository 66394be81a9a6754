"""Roles: who may grant what, the last owner, history of grants, older stores, one gathering."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from domain.credential import OrganiserCredential
from domain.errors import InvalidTransition, InvalidValue, RoleForbidden
from domain.organiser_account import OrganiserAccount
from domain.roles import Grant, Permission, Role
from events_app.cli.acting import ACCOUNT_ENV
from events_app.demo import DEMO_SLUG
from events_app.services.credentials import token_digest
from tests.conftest import services_of
from tests.console_helpers import PASSWORD, csrf_from, open_account, sign_in

EDIT = f"/organiser/gatherings/{DEMO_SLUG}/edit"


@pytest.fixture
def demo(app: Flask) -> Flask:
    """The app with the demo gathering, an owner `olivia` and one account of each other role."""
    assert app.test_cli_runner().invoke(args=["demo", "create"]).exit_code == 0
    accounts = services_of(app).accounts
    open_account(app, "olivia")
    for role in (Role.ORGANISER, Role.DOOR_SUPERVISOR, Role.VIEWER):
        accounts.open(role.value.replace("_", "-"), role.value, PASSWORD, "test", role=role)
    return app


def signed_in(app: Flask, username: str) -> FlaskClient:
    """Return a client signed in as `username`."""
    client = app.test_client()
    assert sign_in(client, username).status_code == 303
    return client


def test_an_organiser_cannot_grant_owner_nor_open_the_accounts_page(demo: Flask) -> None:
    accounts = services_of(demo).accounts
    organiser = accounts.account("organiser")
    with pytest.raises(RoleForbidden) as refused:
        accounts.grant_role("viewer", Role.OWNER, None, organiser)
    assert refused.value.code == "role_forbidden"
    assert Grant(Role.OWNER, None) not in accounts.account("viewer").grants
    page = signed_in(demo, "organiser").get("/organiser/accounts/viewer")
    assert page.status_code == 403
    assert "manage_accounts" in page.get_data(as_text=True)
    cli = demo.test_cli_runner().invoke(
        args=["accounts", "grant", "viewer", "owner"], env={ACCOUNT_ENV: "organiser"}
    )
    assert cli.exit_code != 0
    assert "role_forbidden" in cli.output
    assert Grant(Role.OWNER, None) not in accounts.account("viewer").grants


def test_a_viewer_posting_a_console_form_gets_403_and_nothing_is_written(demo: Flask) -> None:
    box_office = services_of(demo).box_office
    gathering = box_office.gathering(DEMO_SLUG)
    before = len(box_office.changes(gathering.id))
    viewer = signed_in(demo, "viewer")
    token = csrf_from(viewer.get("/organiser/").get_data(as_text=True))
    posted = viewer.post(EDIT, data={"csrf_token": token, "title_en": "Taken over"})
    assert posted.status_code == 403
    assert "plan" in posted.get_data(as_text=True)
    assert len(box_office.changes(gathering.id)) == before
    assert box_office.gathering(DEMO_SLUG).title_en != "Taken over"


def test_the_403_page_speaks_the_readers_language(demo: Flask) -> None:
    viewer = signed_in(demo, "viewer")
    page = viewer.get(EDIT, headers={"Accept-Language": "zh-HK"})
    assert page.status_code == 403
    assert "Your role does not allow this" not in page.get_data(as_text=True)


def test_the_console_hides_what_a_role_cannot_use(demo: Flask) -> None:
    dashboard = f"/organiser/gatherings/{DEMO_SLUG}/"
    viewer = signed_in(demo, "viewer").get(dashboard).get_data(as_text=True)
    organiser = signed_in(demo, "organiser").get(dashboard).get_data(as_text=True)
    door = signed_in(demo, "door-supervisor").get(dashboard).get_data(as_text=True)
    assert "/exports" not in viewer
    assert "/exports" in organiser
    assert 'id="edit-gathering-link"' not in viewer
    assert 'id="edit-gathering-link"' in organiser
    assert 'id="walk-in-link"' in door
    assert 'id="walk-in-link"' not in viewer
    assert "/printing" not in door
    home = signed_in(demo, "olivia").get("/organiser/").get_data(as_text=True)
    assert 'id="accounts-link"' in home
    assert 'id="accounts-link"' not in signed_in(demo, "organiser").get("/organiser/").text


def test_the_last_owner_cannot_be_removed(demo: Flask) -> None:
    accounts = services_of(demo).accounts
    owner = accounts.account("olivia")
    with pytest.raises(InvalidTransition):
        accounts.remove_role("olivia", Role.OWNER, None, owner)
    with pytest.raises(InvalidTransition):
        accounts.close("olivia", owner.label)
    console = signed_in(demo, "olivia")
    page = console.get("/organiser/accounts/olivia").get_data(as_text=True)
    removed = console.post(
        "/organiser/accounts/olivia/roles/remove",
        data={"csrf_token": csrf_from(page), "role": "owner", "gathering": ""},
    )
    assert removed.status_code == 303
    assert "last owner" in console.get(removed.headers["Location"]).get_data(as_text=True)
    assert accounts.account("olivia").is_owner
    accounts.grant_role("organiser", Role.OWNER, None, owner)  # a second owner: now it may go
    accounts.remove_role("olivia", Role.OWNER, None, owner)
    assert not accounts.account("olivia").is_owner


def test_grants_and_removals_are_events_in_the_accounts_history(demo: Flask) -> None:
    console = signed_in(demo, "olivia")
    page = console.get("/organiser/accounts/viewer").get_data(as_text=True)
    form: dict[str, Any] = {"csrf_token": csrf_from(page), "role": "door_supervisor"}
    granted = console.post(
        "/organiser/accounts/viewer/roles", data={**form, "gathering": DEMO_SLUG}
    )
    assert granted.status_code == 303
    viewer = services_of(demo).accounts.account("viewer")
    assert Grant(Role.DOOR_SUPERVISOR, DEMO_SLUG) in viewer.grants
    console.post("/organiser/accounts/viewer/roles/remove", data={**form, "gathering": DEMO_SLUG})
    history = services_of(demo).box_office.changes(viewer.id)
    kinds = [(entry.type, entry.data.get("gathering"), entry.actor) for entry in history]
    assert ("RoleGranted", DEMO_SLUG, "organiser:olivia") in kinds
    assert ("RoleRemoved", DEMO_SLUG, "organiser:olivia") in kinds
    shown = console.get("/organiser/accounts/viewer").get_data(as_text=True)
    assert shown.count('data-type="RoleGranted"') == 1
    assert shown.count('data-type="RoleRemoved"') == 1
    listed = demo.test_cli_runner().invoke(args=["accounts", "roles", "viewer"])
    assert listed.exit_code == 0
    assert "viewer" in listed.output


def test_a_role_for_one_gathering_stops_at_that_gathering(demo: Flask) -> None:
    accounts = services_of(demo).accounts
    owner = accounts.account("olivia")
    accounts.open("door-one", "Door one", PASSWORD, "test", role=Role.VIEWER, gathering="other")
    accounts.grant_role("door-one", Role.DOOR_SUPERVISOR, DEMO_SLUG, owner)
    door = signed_in(demo, "door-one")
    assert door.get(f"/organiser/gatherings/{DEMO_SLUG}/walk-ins").status_code == 200
    assert door.get(f"/organiser/gatherings/{DEMO_SLUG}/exports").status_code == 403
    assert door.get("/organiser/gatherings/other/walk-ins").status_code == 403
    with pytest.raises(InvalidValue):
        accounts.grant_role("door-one", Role.OWNER, DEMO_SLUG, owner)  # owner is global only


def test_api_refusals_name_the_permission_and_the_document_records_it(demo: Flask) -> None:
    box_office = services_of(demo).box_office
    token, _ = box_office.issue_organiser_token("v", "test", role=Role.VIEWER)
    client = demo.test_client()
    refused = client.post(
        "/api/v1/gatherings", json={}, headers={"Authorization": f"Bearer {token}"}
    )
    assert refused.status_code == 403
    assert refused.json["error"]["code"] == "role_forbidden"
    assert "plan" in refused.json["error"]["message"]
    spec = client.get("/api/v1/openapi.json").json
    create = spec["paths"]["/api/v1/gatherings"]["post"]
    assert create["x-permission"] == Permission.PLAN.value
    assert "403" in create["responses"]
    organiser_operations = [
        operation
        for path in spec["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict) and {"organiserToken": []} in operation.get("security", [])
    ]
    assert organiser_operations
    assert all("x-permission" in operation for operation in organiser_operations)
    assert all("403" in operation["responses"] for operation in organiser_operations)


def test_the_cli_acts_as_the_named_account_and_refuses_what_its_role_may_not(
    demo: Flask,
) -> None:
    runner = demo.test_cli_runner()
    as_viewer = runner.invoke(args=["accounts", "list", "--account", "viewer"])
    assert as_viewer.exit_code == 1
    assert "role_forbidden" in as_viewer.output
    assert "manage_accounts" in as_viewer.output
    unknown = runner.invoke(args=["accounts", "list"], env={ACCOUNT_ENV: "nobody"})
    assert unknown.exit_code == 1
    assert "nobody" in unknown.output
    as_owner = runner.invoke(args=["accounts", "unlock", "viewer", "--account", "olivia"])
    assert as_owner.exit_code == 0, as_owner.output
    history = services_of(demo).box_office.changes(OrganiserAccount.create_id("viewer"))
    assert history[-1].actor == "organiser:olivia"
    operator = runner.invoke(args=["accounts", "list"])  # no account: the machine's operator
    assert operator.exit_code == 0
    assert "olivia" in operator.output


def test_accounts_and_tokens_stored_without_a_role_read_as_owner(app: Flask) -> None:
    box_office = services_of(app).box_office
    at = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    account = OrganiserAccount("old-timer", "Old", "hash", at, "cli")
    credential = OrganiserCredential(token_digest("org_old"), "old", at, "cli")
    events = [*account.collect_events(), *credential.collect_events()]
    for event in events:  # as an older version of the app recorded them: no role at all
        del event.__dict__["role"]
        del event.__dict__["gathering"]
    box_office.events.put(events)
    read = services_of(app).accounts.account("old-timer")
    assert read.grants == frozenset({Grant(Role.OWNER, None)})
    assert read.may(Permission.MANAGE_ACCOUNTS, None)
    token = box_office.authenticate_organiser("org_old")
    assert token is not None
    assert token.grant == Grant(Role.OWNER, None)
    stored = box_office.recorder.select_events(account.id)
    assert b'"role"' not in stored[0].state


def test_an_owner_opens_an_account_and_bad_input_shows_the_form_again(demo: Flask) -> None:
    console = signed_in(demo, "olivia")
    page = console.get("/organiser/accounts/").get_data(as_text=True)
    fields = {"csrf_token": csrf_from(page), "username": "nina", "display_name": "Nina"}
    short = console.post(
        "/organiser/accounts/", data={**fields, "password": "short", "role": "viewer"}
    )
    assert short.status_code == 422
    assert 'data-field="password"' in short.get_data(as_text=True)
    assert 'value="nina"' in short.get_data(as_text=True)
    bad_role = console.post(
        "/organiser/accounts/", data={**fields, "password": PASSWORD, "role": "emperor"}
    )
    assert bad_role.status_code == 422
    assert 'data-field="role"' in bad_role.get_data(as_text=True)
    opened = console.post(
        "/organiser/accounts/",
        data={**fields, "password": PASSWORD, "role": "viewer", "gathering": DEMO_SLUG},
    )
    assert opened.status_code == 303
    nina = services_of(demo).accounts.account("nina")
    assert nina.grants == frozenset({Grant(Role.VIEWER, DEMO_SLUG)})
    assert 'data-username="nina"' in console.get("/organiser/accounts/").get_data(as_text=True)


def test_a_viewer_sees_no_form_that_changes_anything(demo: Flask) -> None:
    viewer = signed_in(demo, "viewer")
    organiser = signed_in(demo, "organiser")
    pages = ("exhibition", "running-order", "checkpoints", "devices", "ceremonies")
    for page in (*pages, "invitations", "questionnaire"):
        path = f"/organiser/gatherings/{DEMO_SLUG}/{page}"
        shown = viewer.get(path).get_data(as_text=True)
        assert shown.count('method="post"') == 1, page  # only the sign-out form
        assert organiser.get(path).get_data(as_text=True).count('method="post"') > 1, page


def test_a_token_for_one_gathering_works_there_only(demo: Flask) -> None:
    box_office = services_of(demo).box_office
    token, _ = box_office.issue_organiser_token(
        "desk", "test", role=Role.DOOR_SUPERVISOR, gathering=DEMO_SLUG
    )
    headers = {"Authorization": f"Bearer {token}"}
    client = demo.test_client()
    assert (
        client.get(f"/api/v1/gatherings/{DEMO_SLUG}/checkpoints", headers=headers).status_code
        == 200
    )
    elsewhere = client.get("/api/v1/gatherings/other/checkpoints", headers=headers)
    assert elsewhere.status_code == 403
    assert elsewhere.json["error"]["code"] == "role_forbidden"
    planning = client.post(f"/api/v1/gatherings/{DEMO_SLUG}/ceremonies", json={}, headers=headers)
    assert planning.status_code == 403
    device = services_of(demo).devices.register(DEMO_SLUG, "Door 1", timedelta(hours=1), "test")
    revoked = client.post(f"/api/v1/devices/{device.device.id}/revoke", headers=headers)
    assert revoked.status_code == 200, revoked.json  # the device's gathering is the token's
    issued = box_office.changes(box_office.authenticate_organiser(token).id)[0]
    assert (issued.data["role"], issued.data["gathering"]) == ("door_supervisor", DEMO_SLUG)
    with pytest.raises(InvalidValue):
        box_office.issue_organiser_token("x", "test", role=Role.OWNER, gathering=DEMO_SLUG)


def test_closing_an_account_asks_first(demo: Flask) -> None:
    accounts = services_of(demo).accounts
    accounts.open("temp", "Temporary Helper", PASSWORD, "test", role=Role.VIEWER)
    console = signed_in(demo, "olivia")
    token = csrf_from(console.get("/organiser/accounts/temp").get_data(as_text=True))
    asked = console.post("/organiser/accounts/temp/close", data={"csrf_token": token})
    assert asked.status_code == 200
    assert "Temporary Helper can no longer sign in" in asked.get_data(as_text=True)
    assert accounts.account("temp").is_open  # asking wrote nothing
    done = console.post(
        "/organiser/accounts/temp/close", data={"csrf_token": token, "confirm": "yes"}
    )
    assert done.status_code == 303
    assert not accounts.account("temp").is_open
