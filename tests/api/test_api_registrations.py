"""Application tests of the registration API, run on SQLite and on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.conftest import SLUG, FakeClock, gathering_payload, guest, services_of

REGISTER = f"/api/v1/gatherings/{SLUG}/registrations"


def register(client: FlaskClient, n: int = 1, **overrides: Any) -> Any:
    return client.post(REGISTER, json=guest(n, **overrides))


def test_guest_registers_and_is_confirmed(client: FlaskClient, gathering: dict[str, Any]) -> None:
    response = register(client)
    assert response.status_code == 201
    body = response.json
    assert body["state"] == "confirmed"
    assert body["name_zh"] == "黃秉修"
    assert body["confirmation_url"].endswith(body["confirmation_token"])
    again = client.get(f"/api/v1/confirmations/{body['confirmation_token']}")
    assert again.json["id"] == body["id"]


def registrations(client: FlaskClient, organiser: dict[str, str], **query: Any) -> Any:
    return client.get(REGISTER, query_string=query, headers=organiser).json


def post(client: FlaskClient, path: str, organiser: dict[str, str], body: Any = None) -> Any:
    return client.post(path, json=body or {}, headers=organiser)


def test_vip_waits_for_approval_then_is_confirmed(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    vip = register(client, category="vip").json
    assert vip["state"] == "pending"
    approved = post(client, f"/api/v1/registrations/{vip['id']}/approve", organiser)
    assert approved.status_code == 200
    assert approved.json["state"] == "confirmed"


def test_full_gathering_waitlists_and_promotes_first_come_first_served(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    seated = [register(client, n).json for n in range(10)]
    assert {r["state"] for r in seated} == {"confirmed"}
    first, second = register(client, 10).json, register(client, 11).json
    assert (first["state"], first["waitlist_position"]) == ("waitlisted", 1)
    assert second["waitlist_position"] == 2
    post(client, f"/api/v1/registrations/{seated[3]['id']}/cancel", organiser, {"reason": "ill"})
    promoted = client.get(f"/api/v1/registrations/{first['id']}", headers=organiser).json
    assert promoted["state"] == "confirmed"
    still = client.get(f"/api/v1/registrations/{second['id']}", headers=organiser).json
    assert (still["state"], still["waitlist_position"]) == ("waitlisted", 1)
    history = client.get(f"/api/v1/registrations/{first['id']}/history", headers=organiser)
    assert [(e["type"], e["actor"]) for e in history.json["events"]] == [
        ("Submitted", "guest"),
        ("Promoted", "system"),
    ]
    counts = registrations(client, organiser)["counts"]["by_state"]
    assert counts == {"confirmed": 10, "waitlisted": 1, "cancelled": 1}


def test_history_names_the_organiser_credential(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str], clock: FakeClock
) -> None:
    vip = register(client, category="vip").json
    clock.advance(hours=1)
    post(client, f"/api/v1/registrations/{vip['id']}/approve", organiser)
    clock.advance(hours=1)
    client.post(f"/api/v1/confirmations/{vip['confirmation_token']}/cancel", json={})
    events = client.get(f"/api/v1/registrations/{vip['id']}/history", headers=organiser).json
    rows = [(e["version"], e["type"], e["actor"]) for e in events["events"]]
    assert rows[0] == (1, "Submitted", "guest")
    assert rows[1][1] == "Approved"
    assert rows[1][2].startswith("organiser:alice#")
    assert rows[2] == (3, "Cancelled", "guest")
    times = [e["at"] for e in events["events"]]
    assert times == sorted(times)
    assert len(set(times)) == 3


def test_capacity_override_is_for_vips_and_recorded(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    for n in range(10):
        register(client, n)
    vip = register(client, 20, category="vip").json
    press = register(client, 21, category="press").json
    refused = post(
        client,
        f"/api/v1/registrations/{press['id']}/approve",
        organiser,
        {"override_capacity": True},
    )
    assert refused.status_code == 422
    assert refused.json["error"]["code"] == "override_not_allowed"
    waiting = post(client, f"/api/v1/registrations/{vip['id']}/approve", organiser)
    assert waiting.json["state"] == "waitlisted"
    again = post(client, f"/api/v1/registrations/{vip['id']}/approve", organiser)
    assert again.json["error"]["code"] == "no_seat_available"
    forced = post(
        client, f"/api/v1/registrations/{vip['id']}/approve", organiser, {"override_capacity": True}
    )
    assert forced.json["state"] == "confirmed"
    assert forced.json["capacity_overridden"] is True
    assert client.get(f"/api/v1/gatherings/{SLUG}").json["confirmed"] == 11


def test_an_override_asked_for_while_a_seat_is_free_is_not_recorded(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    vip = register(client, 20, category="vip").json
    approved = post(
        client, f"/api/v1/registrations/{vip['id']}/approve", organiser, {"override_capacity": True}
    )
    assert approved.json["state"] == "confirmed"
    assert approved.json["capacity_overridden"] is False


def test_list_filters_and_searches(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    register(client, 1, full_name="Sun Dong", name_zh="孫東", organisation="HKSAR Government")
    register(client, 2, full_name="Huang Wei", name_zh="黃偉", category="vip")
    register(client, 3, full_name="Yu Chen", name_zh="魚晨", organisation="Force Sensors 100%_Ltd")
    assert registrations(client, organiser, q="孫")["total"] == 1
    assert registrations(client, organiser, q="hksar")["items"][0]["full_name"] == "Sun Dong"
    assert registrations(client, organiser, q="100%_")["total"] == 1
    assert registrations(client, organiser, q="%")["total"] == 1  # literal, not a wildcard
    assert registrations(client, organiser, state="pending")["total"] == 1
    assert registrations(client, organiser, category="guest")["total"] == 2
    page = registrations(client, organiser, limit=2, offset=2)
    assert (page["total"], len(page["items"])) == (3, 1)


def test_rebuilt_read_model_matches_the_live_one(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str], runner: Any
) -> None:
    ids = [register(client, n).json["id"] for n in range(12)]
    post(client, f"/api/v1/registrations/{ids[0]}/cancel", organiser)
    before = registrations(client, organiser, limit=100)
    result = runner.invoke(args=["read-models", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "rebuilt" in result.output
    assert registrations(client, organiser, limit=100) == before


# Bad input -------------------------------------------------------------------------------


def assert_error(response: Any, status: int, code: str, field: str | None = None) -> None:
    assert response.status_code == status, response.json
    error = response.json["error"]
    assert error["code"] == code
    assert error["message"]
    if field is not None:
        assert error["field"] == field or field in error["fields"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"full_name": ""}, "full_name"),
        ({"full_name": "x" * 201}, "full_name"),
        ({"full_name": "Bad\x07Name"}, "full_name"),
        ({"organisation": "A\u200bB"}, "organisation"),
        ({"consent": False}, "consent"),
        ({"consent": "maybe"}, "consent"),
        ({"category": "alien"}, "category"),
        ({"phone": "call me"}, "phone"),
        ({"full_name": 42}, "full_name"),
        ({"unexpected": "field"}, "unexpected"),
        ({"dietary": "y" * 501}, "dietary"),
    ],
)
def test_invalid_registrations_are_refused_and_record_nothing(
    client: FlaskClient,
    gathering: dict[str, Any],
    organiser: dict[str, str],
    overrides: dict[str, Any],
    field: str,
) -> None:
    assert_error(register(client, **overrides), 422, "validation_failed", field)
    assert registrations(client, organiser)["total"] == 0


def test_missing_fields_and_malformed_json(client: FlaskClient, gathering: dict[str, Any]) -> None:
    assert_error(client.post(REGISTER, json={}), 422, "validation_failed", "email")
    bad = client.post(REGISTER, data="{nope", content_type="application/json")
    assert_error(bad, 400, "malformed_json")
    assert_error(client.post(REGISTER, json=["a", "list"]), 422, "validation_failed")


def test_category_not_offered_by_the_gathering(
    client: FlaskClient, gathering: dict[str, Any]
) -> None:
    assert_error(register(client, category="staff"), 422, "unknown_category", "category")


def test_duplicate_email_is_refused(client: FlaskClient, gathering: dict[str, Any]) -> None:
    register(client, 1)
    duplicate = register(client, 2, email="  GUEST1@Example.org ")
    assert_error(duplicate, 409, "email_already_registered", "email")


def test_registration_outside_the_window(
    client: FlaskClient, gathering: dict[str, Any], clock: FakeClock
) -> None:
    clock.advance(days=40)
    assert_error(register(client), 409, "registration_closed")
    clock.advance(days=-80)
    assert_error(register(client), 409, "registration_closed")


def test_unknown_slug_ids_and_tokens(client: FlaskClient, organiser: dict[str, str]) -> None:
    assert_error(client.get("/api/v1/gatherings/nope"), 404, "not_found")
    assert_error(
        client.post("/api/v1/gatherings/nope/registrations", json=guest()), 404, "not_found"
    )
    missing = "00000000-0000-4000-8000-000000000000"
    assert_error(
        client.get(f"/api/v1/registrations/{missing}", headers=organiser), 404, "not_found"
    )
    assert_error(
        client.get("/api/v1/registrations/not-a-uuid", headers=organiser), 404, "not_found"
    )
    assert_error(client.get("/api/v1/confirmations/forged-token"), 404, "not_found")


def test_approving_a_cancelled_registration_is_refused(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    r = register(client).json
    post(client, f"/api/v1/registrations/{r['id']}/cancel", organiser)
    refused = post(client, f"/api/v1/registrations/{r['id']}/approve", organiser)
    assert_error(refused, 409, "invalid_transition")
    history = client.get(f"/api/v1/registrations/{r['id']}/history", headers=organiser).json
    assert [e["type"] for e in history["events"]] == ["Submitted", "Cancelled"]


def test_organiser_endpoints_need_a_valid_token(
    client: FlaskClient, gathering: dict[str, Any], app: Any
) -> None:
    r = register(client).json
    assert_error(client.get(REGISTER), 401, "unauthorized")
    bad = {"Authorization": "Bearer org_wrong"}
    assert_error(client.get(REGISTER, headers=bad), 401, "invalid_credential")
    assert_error(
        client.post(f"/api/v1/registrations/{r['id']}/cancel", json={}), 401, "unauthorized"
    )
    events = services_of(app).box_office
    token, credential_id = events.issue_organiser_token("bob")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(REGISTER, headers=headers).status_code == 200
    events.revoke_organiser_credential(credential_id)
    assert_error(client.get(REGISTER, headers=headers), 401, "invalid_credential")


def test_gathering_creation_is_validated(client: FlaskClient, organiser: dict[str, str]) -> None:
    url = "/api/v1/gatherings"
    naive = gathering_payload(starts_at="2026-03-02T09:30:00")
    assert_error(
        client.post(url, json=naive, headers=organiser), 422, "validation_failed", "starts_at"
    )
    backwards = gathering_payload(ends_at="2026-03-01T09:30:00+08:00")
    assert_error(
        client.post(url, json=backwards, headers=organiser), 422, "invalid_schedule", "ends_at"
    )
    bad_slug = gathering_payload(slug="Not A Slug")
    assert_error(
        client.post(url, json=bad_slug, headers=organiser), 422, "validation_failed", "slug"
    )
    bad_tz = gathering_payload(timezone="Mars/Olympus")
    assert_error(
        client.post(url, json=bad_tz, headers=organiser), 422, "validation_failed", "timezone"
    )
    assert client.post(url, json=gathering_payload(), headers=organiser).status_code == 201
    again = client.post(url, json=gathering_payload(), headers=organiser)
    assert_error(again, 409, "already_exists", "slug")


def test_openapi_documents_every_endpoint_with_its_errors(client: FlaskClient, app: Any) -> None:
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    documented = {
        (path, method.upper())
        for path, operations in spec["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    }
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule.endswith("openapi.json"):
            continue
        path = rule.rule.replace("<uuid:", "<").replace("<", "{").replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method) in documented
            responses = spec["paths"][path][method.lower()]["responses"]
            errors = [code for code in responses if code.startswith("4")]
            assert errors, f"{method} {path} documents no error response"
            for code in errors:
                schema = responses[code]["content"]["application/json"]["schema"]
                assert schema["$ref"].endswith("/Error")
    error = spec["components"]["schemas"]["Error"]
    assert "error" in error["properties"]


def test_confirmation_tokens_have_one_spelling() -> None:
    from uuid import uuid4

    from events_app.services.confirmation import confirmation_token, registration_id_from

    rid = uuid4()
    token = confirmation_token("k", rid)
    assert registration_id_from("k", token) == rid
    last = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    base = last.index(token[-1]) & ~0b11  # the last character carries 2 unused bits
    variants = {token[:-1] + last[base + pad] for pad in range(4)} - {token}
    assert len(variants) == 3
    assert all(registration_id_from("k", v) is None for v in variants)
