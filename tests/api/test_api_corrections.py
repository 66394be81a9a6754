"""The corrections API: PATCH a gathering or a registration, reinstate; refusals write nothing."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import SLUG, guest, services_of

REGISTER = f"/api/v1/gatherings/{SLUG}/registrations"
GATHERING = f"/api/v1/gatherings/{SLUG}"


def register(client: FlaskClient, n: int, **overrides: Any) -> Any:
    response = client.post(REGISTER, json=guest(n, **overrides))
    assert response.status_code == 201, response.json
    return response.json


def approve(client: FlaskClient, organiser: dict[str, str], rid: str) -> Any:
    return client.post(f"/api/v1/registrations/{rid}/approve", json={}, headers=organiser)


def stored(app: Flask) -> int:
    """Return how many events the store holds."""
    return services_of(app).box_office.recorder.max_notification_id() or 0


def patch(client: FlaskClient, path: str, organiser: dict[str, str], body: Any) -> Any:
    return client.patch(path, json=body, headers=organiser)


def refused(
    app: Flask, client: FlaskClient, path: str, organiser: dict[str, str], body: Any
) -> Any:
    """PATCH `body`, check nothing was written, and return the error."""
    before = stored(app)
    response = patch(client, path, organiser, body)
    assert 400 <= response.status_code < 500, response.json
    assert stored(app) == before
    return response.status_code, response.json["error"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title_en", "Launch, corrected"),
        ("title_zh", "啟動儀式（更正）"),
        ("venue", "Hall 2"),
        ("starts_at", "2026-03-02T10:00:00+08:00"),
        ("ends_at", "2026-03-02T14:00:00+08:00"),
        ("registration_opens_at", "2026-01-10T09:00:00+08:00"),
        ("registration_closes_at", "2026-03-01T18:00:00+08:00"),
        ("capacity", 20),
    ],
)
def test_patch_gathering_changes_one_field(
    client: FlaskClient,
    gathering: dict[str, Any],
    organiser: dict[str, str],
    field: str,
    value: Any,
) -> None:
    response = patch(client, GATHERING, organiser, {field: value})
    assert response.status_code == 200, response.json
    assert [c["field"] for c in response.json["changes"]] == [field]
    assert client.get(GATHERING).json[field] == value


def test_patch_category_policy_and_add_a_category(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    body = {"categories": {"vip": {"approval_required": False}, "speaker": {"capacity": 2}}}
    response = patch(client, GATHERING, organiser, body)
    assert response.status_code == 200, response.json
    categories = client.get(GATHERING).json["categories"]
    closed = {"invitation_only": False}
    assert categories["vip"] == {"capacity": 3, "approval_required": False, **closed}
    assert categories["speaker"] == {"capacity": 2, "approval_required": False, **closed}
    assert register(client, 1, category="vip")["state"] == "confirmed"


def test_raising_a_full_category_promotes_the_first_waitlisted_at_once(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    vips = [register(client, n, category="vip") for n in range(5)]
    states = [approve(client, organiser, v["id"]).json["state"] for v in vips]
    assert states == ["confirmed"] * 3 + ["waitlisted"] * 2
    response = patch(client, GATHERING, organiser, {"categories": {"vip": {"capacity": 4}}})
    assert response.status_code == 200, response.json
    assert response.json["promoted"] == [vips[3]["id"]]
    get = client.get(f"/api/v1/registrations/{vips[4]['id']}", headers=organiser).json
    assert (get["state"], get["waitlist_position"]) == ("waitlisted", 1)
    history = client.get(f"/api/v1/registrations/{vips[3]['id']}/history", headers=organiser)
    assert history.json["events"][-1]["type"] == "Promoted"


def test_full_category_approval_names_the_category(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    vips = [register(client, n, category="vip") for n in range(4)]
    for vip in vips:
        approve(client, organiser, vip["id"])
    again = approve(client, organiser, vips[3]["id"])
    assert again.status_code == 409
    assert "no VIP seat is free: all 3 VIP seats are taken" in again.json["error"]["message"]


def test_lowering_below_confirmed_is_refused_with_the_numbers(
    app: Flask, client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    for n in range(3):
        approve(client, organiser, register(client, n, category="vip")["id"])
    for n in range(3, 8):
        register(client, n)
    body = {"categories": {"vip": {"capacity": 2}}}
    status, error = refused(app, client, GATHERING, organiser, body)
    assert (status, error["code"], error["field"]) == (
        409,
        "capacity_below_confirmed",
        "categories",
    )
    assert error["message"] == "3 guests are confirmed in VIP; the capacity cannot go below 3"
    status, error = refused(app, client, GATHERING, organiser, {"capacity": 7})
    assert (error["code"], error["field"]) == ("capacity_below_confirmed", "capacity")
    assert error["message"] == "8 guests are confirmed; the capacity cannot go below 8"
    assert patch(client, GATHERING, organiser, {"capacity": 8}).status_code == 200


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"ends_at": "2026-03-02T09:00:00+08:00"}, 422, "ends_at"),
        ({"registration_closes_at": "2026-03-03T09:00:00+08:00"}, 422, "registration_closes_at"),
        ({"capacity": 0}, 422, "capacity"),
        ({"capacity": 2}, 422, "categories"),  # VIP's 3 seats exceed it
        ({"categories": {"nobody": {"capacity": 1}}}, 422, "categories.nobody.key"),
        ({"title_en": ""}, 422, "title_en"),
        ({"starts_at": "2026-03-02T10:00:00"}, 422, "starts_at"),
        ({"slug": "other"}, 422, "slug"),
        ({"capacity": 20, "version": 1}, 409, "version"),
    ],
)
def test_bad_gathering_patches_are_refused_and_write_nothing(
    app: Flask,
    client: FlaskClient,
    gathering: dict[str, Any],
    organiser: dict[str, str],
    body: dict[str, Any],
    status: int,
    field: str,
) -> None:
    register(client, 1)  # the gathering is at version 1; its guest list moved on
    patch(client, GATHERING, organiser, {"venue": "Hall 3"})  # now version 2
    got_status, error = refused(app, client, GATHERING, organiser, body)
    assert (got_status, error["field"]) == (status, field), error


def test_stale_gathering_patch_is_refused(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    first = patch(client, GATHERING, organiser, {"venue": "Hall 2", "version": 1})
    assert first.status_code == 200
    assert first.json["version"] == 2
    second = patch(client, GATHERING, organiser, {"capacity": 30, "version": 1})
    assert (second.status_code, second.json["error"]["code"]) == (409, "changed_meanwhile")
    assert client.get(GATHERING).json["capacity"] == 10


def test_patch_needs_an_organiser(client: FlaskClient, gathering: dict[str, Any]) -> None:
    assert client.patch(GATHERING, json={"capacity": 20}).status_code == 401
    assert client.patch("/api/v1/gatherings/nope", json={}).status_code == 401


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("full_name", "Guest Number One"),
        ("name_zh", "王小明"),
        ("organisation", "HKSTP"),
        ("job_title", "Chief Engineer"),
        ("email", "new.address@example.org"),
        ("phone", "+852 1234 5678"),
        ("notes", "arrives late"),
        ("category", "vip"),
    ],
)
def test_patch_registration_changes_one_field(
    client: FlaskClient,
    gathering: dict[str, Any],
    organiser: dict[str, str],
    field: str,
    value: str,
) -> None:
    rid = register(client, 1)["id"]
    response = patch(client, f"/api/v1/registrations/{rid}", organiser, {field: value})
    assert response.status_code == 200, response.json
    assert response.json[field] == value
    assert response.json["badge_serial"] == 1
    [change] = response.json["changes"]
    assert change["field"] == field
    assert change["after"] == value
    history = client.get(f"/api/v1/registrations/{rid}/history", headers=organiser).json
    assert history["events"][-1]["type"] == "Corrected"
    assert history["events"][-1]["actor"].startswith("organiser:alice")
    listed = client.get(REGISTER, headers=organiser).json["items"][0]
    if field != "notes":
        assert listed[field] == value


def test_a_changed_email_is_free_again_and_the_new_one_taken(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    rid = register(client, 1)["id"]
    patch(client, f"/api/v1/registrations/{rid}", organiser, {"email": "New@Example.org"})
    assert client.post(REGISTER, json=guest(2, email="new@example.org")).status_code == 409
    assert client.post(REGISTER, json=guest(3, email="guest1@example.org")).status_code == 201


def test_moving_a_confirmed_guest_frees_a_seat_for_the_waitlist(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    vips = [register(client, n, category="vip") for n in range(4)]
    for vip in vips:
        approve(client, organiser, vip["id"])
    moved = patch(
        client, f"/api/v1/registrations/{vips[0]['id']}", organiser, {"category": "guest"}
    )
    assert moved.status_code == 200, moved.json
    assert moved.json["promoted"] == [vips[3]["id"]]
    assert moved.json["state"] == "confirmed"


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"email": "guest2@example.org"}, 409, "email_already_registered", "email"),
        ({"email": "GUEST2@example.org "}, 409, "email_already_registered", "email"),
        ({"category": "vip"}, 409, "category_full", "category"),
        ({"category": "speaker"}, 422, "unknown_category", "category"),
        ({"category": "nobody"}, 422, "validation_failed", "category"),
        ({"full_name": ""}, 422, "validation_failed", "full_name"),
        ({"email": "not an address"}, 422, "validation_failed", "email"),
        ({"phone": "call me"}, 422, "validation_failed", "phone"),
        ({"badge_serial": 5}, 422, "validation_failed", "badge_serial"),
        ({"full_name": "X", "version": 1}, 409, "changed_meanwhile", "version"),
    ],
)
def test_bad_registration_patches_are_refused_and_write_nothing(
    app: Flask,
    client: FlaskClient,
    gathering: dict[str, Any],
    organiser: dict[str, str],
    body: dict[str, Any],
    status: int,
    code: str,
    field: str,
) -> None:
    for n in range(3):
        approve(client, organiser, register(client, n + 10, category="vip")["id"])
    rid = register(client, 1)["id"]
    register(client, 2)
    patch(client, f"/api/v1/registrations/{rid}", organiser, {"notes": "v2"})
    got = refused(app, client, f"/api/v1/registrations/{rid}", organiser, body)
    assert (got[0], got[1]["code"], got[1]["field"]) == (status, code, field), got


def test_cancelled_registration_is_reinstated_confirmed_or_waitlisted(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    seated = [register(client, n) for n in range(10)]
    cancel = f"/api/v1/registrations/{seated[0]['id']}/cancel"
    assert client.post(cancel, json={}, headers=organiser).status_code == 200
    back = client.post(f"/api/v1/registrations/{seated[0]['id']}/reinstate", headers=organiser)
    assert (back.status_code, back.json["state"]) == (200, "confirmed")
    client.post(f"/api/v1/registrations/{seated[1]['id']}/cancel", json={}, headers=organiser)
    register(client, 20)  # takes the freed seat
    back = client.post(f"/api/v1/registrations/{seated[1]['id']}/reinstate", headers=organiser)
    assert (back.json["state"], back.json["waitlist_position"]) == ("waitlisted", 1)
    again = client.post(f"/api/v1/registrations/{seated[1]['id']}/reinstate", headers=organiser)
    assert (again.status_code, again.json["error"]["code"]) == (409, "invalid_transition")
    listed = client.get(REGISTER, headers=organiser, query_string={"state": "waitlisted"}).json
    assert [r["id"] for r in listed["items"]] == [seated[1]["id"]]


def test_reinstating_needs_the_email_to_be_free(
    app: Flask, client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    first = register(client, 1)
    client.post(f"/api/v1/registrations/{first['id']}/cancel", json={}, headers=organiser)
    register(client, 2, email="guest1@example.org")
    before = stored(app)
    back = client.post(f"/api/v1/registrations/{first['id']}/reinstate", headers=organiser)
    assert (back.status_code, back.json["error"]["code"]) == (409, "email_already_registered")
    assert stored(app) == before


def test_openapi_documents_the_corrections(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").json
    gathering = spec["paths"]["/api/v1/gatherings/{slug}"]["patch"]
    registration = spec["paths"]["/api/v1/registrations/{registration_id}"]["patch"]
    for operation in (gathering, registration):
        assert {"200", "401", "404", "409", "422"} <= set(operation["responses"])
    assert "/api/v1/registrations/{registration_id}/reinstate" in spec["paths"]


JUNK: list[Any] = [
    None,
    [],
    "x",
    0,
    -1,
    10**20,
    {"nested": {}},
    "\x00",
    "9999-12-31T23:59:59+14:00",
    "0001-01-01T00:00:00-12:00",
]


def test_junk_patches_never_get_a_500_and_write_nothing_when_refused(
    app: Flask, client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    rid = register(client, 1)["id"]
    gathering_fields = [
        "title_en",
        "starts_at",
        "registration_closes_at",
        "capacity",
        "categories",
        "version",
    ]
    registration_fields = ["full_name", "email", "category", "notes", "version"]
    targets = [(GATHERING, gathering_fields), (f"/api/v1/registrations/{rid}", registration_fields)]
    for path, names in targets:
        for name in names:
            for value in JUNK:
                before = stored(app)
                response = patch(client, path, organiser, {name: value})
                assert response.status_code < 500, (path, name, value, response.json)
                if response.status_code >= 400:
                    assert stored(app) == before, (path, name, value)
                    assert response.json["error"]["code"]
        for body in ([], "text", {"categories": {"vip": None}}):
            response = client.patch(path, json=body, headers=organiser)
            assert 400 <= response.status_code < 500, (path, body)
