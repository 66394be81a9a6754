"""Organiser sign-in (token, CSRF, signed session) and the live arrivals page and its JSON."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from events_app.web.organiser import SESSION_KEY
from tests.checkin_helpers import (
    badge_token,
    confirmed_guest,
    scan_body,
)
from tests.conftest import SLUG, FakeClock, services_of

PAGE = f"/organiser/events/{SLUG}/arrivals"
JSON = f"/organiser/events/{SLUG}/arrivals.json"


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def sign_in(client: FlaskClient, token: str, next_url: str = "") -> Any:
    form = client.get("/organiser/sign-in").get_data(as_text=True)
    return client.post(
        "/organiser/sign-in",
        data={"csrf_token": csrf_from(form), "token": token, "next": next_url},
    )


@pytest.fixture
def token(app: Flask) -> str:
    issued, _ = services_of(app).events.issue_organiser_token("carol")
    return issued


def test_anonymous_visitors_are_sent_to_sign_in_and_json_answers_401(
    client: FlaskClient, gathering: dict[str, Any]
) -> None:
    page = client.get(PAGE)
    assert page.status_code == 302
    location = urlsplit(page.headers["Location"])
    assert location.path == "/organiser/sign-in"
    assert parse_qs(location.query)["next"] == [PAGE]
    home = client.get("/organiser/")
    assert urlsplit(home.headers["Location"]).path == "/organiser/sign-in"
    data = client.get(JSON)
    assert data.status_code == 401
    assert data.json == {
        "error": {
            "code": "unauthorized",
            "message": "sign in as an organiser first",
            "field": None,
            "fields": {},
        }
    }


def test_sign_in_takes_an_organiser_token_and_goes_where_it_was_asked(
    client: FlaskClient, gathering: dict[str, Any], token: str
) -> None:
    form = client.get(f"/organiser/sign-in?next={PAGE}")
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    assert "Organiser token" in html
    assert "主辦方權杖" in html
    assert f'name="next" value="{PAGE}"' in html
    signed_in = sign_in(client, token, PAGE)
    assert signed_in.status_code == 303
    assert signed_in.headers["Location"] == PAGE
    with client.session_transaction() as session:
        stored = session[SESSION_KEY]
    assert token not in stored  # only the credential's id is kept
    assert client.get(JSON).status_code == 200
    assert client.get(PAGE).status_code == 200


@pytest.mark.parametrize(
    ("typed", "status", "message"),
    [
        ("", 422, "Enter your organiser token"),
        ("org_not-a-real-token", 401, "unknown or revoked"),
        ("dev_abcdefgh", 403, "door device token"),
        ("x" * 5000, 401, "unknown or revoked"),
    ],
)
def test_sign_in_refuses_a_bad_token(
    client: FlaskClient, gathering: dict[str, Any], typed: str, status: int, message: str
) -> None:
    refused = sign_in(client, typed)
    assert refused.status_code == status
    html = refused.get_data(as_text=True)
    assert message in html
    assert 'aria-invalid="true"' in html
    assert client.get(JSON).status_code == 401


def test_sign_in_and_sign_out_need_the_csrf_token(
    client: FlaskClient, gathering: dict[str, Any], token: str
) -> None:
    client.get("/organiser/sign-in")
    forged = client.post("/organiser/sign-in", data={"token": token, "csrf_token": "forged"})
    assert forged.status_code == 400
    assert "expired" in forged.get_data(as_text=True)
    assert client.get(JSON).status_code == 401

    assert sign_in(client, token).status_code == 303
    ignored = client.post("/organiser/sign-out", data={"csrf_token": "forged"})
    assert ignored.status_code == 303
    assert client.get(JSON).status_code == 200
    page = client.get(PAGE).get_data(as_text=True)
    signed_out = client.post("/organiser/sign-out", data={"csrf_token": csrf_from(page)})
    assert signed_out.status_code == 303
    assert "notice=signed_out" in signed_out.headers["Location"]
    assert client.get(JSON).status_code == 401
    assert client.get(PAGE).status_code == 302


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/organiser/",
        "//evil.example/organiser/",
        "/api/v1/x",
        "/\\evil",
        "/organiser/../api/v1/x",
    ],
)
def test_sign_in_only_sends_organisers_to_this_site_s_organiser_pages(
    client: FlaskClient, gathering: dict[str, Any], token: str, next_url: str
) -> None:
    response = sign_in(client, token, next_url)
    assert response.status_code == 303
    assert response.headers["Location"] == "/organiser/"


def test_revoked_credential_loses_access_at_once(
    app: Flask, client: FlaskClient, gathering: dict[str, Any]
) -> None:
    issued, credential_id = services_of(app).events.issue_organiser_token("dave")
    assert sign_in(client, issued, PAGE).status_code == 303
    assert client.get(JSON).status_code == 200
    services_of(app).events.revoke_organiser_credential(credential_id)
    data = client.get(JSON)
    assert (data.status_code, data.json["error"]["code"]) == (401, "invalid_credential")
    assert set(data.json["error"]) == {"code", "message", "field", "fields"}
    page = client.get(PAGE)
    assert page.status_code == 302
    assert "notice=ended" in page.headers["Location"]
    assert "revoked" in client.get(page.headers["Location"]).get_data(as_text=True)
    refused = sign_in(client, issued)
    assert refused.status_code == 401


def test_a_session_naming_no_credential_is_signed_out(
    client: FlaskClient, gathering: dict[str, Any]
) -> None:
    for value in ("not-a-uuid", "00000000-0000-4000-8000-000000000000", 42):
        with client.session_transaction() as session:
            session[SESSION_KEY] = value
        assert client.get(JSON).status_code == 401
        assert client.get(PAGE).status_code == 302


def test_page_shows_the_figures_in_both_languages_and_the_json_matches_the_api(
    app: Flask,
    client: FlaskClient,
    door: dict[str, str],
    organiser: dict[str, str],
    token: str,
    clock: FakeClock,
) -> None:
    first = confirmed_guest(client, 1)
    confirmed_guest(client, 2)
    sign_in(client, token)
    scan(client, door, scan_body(badge_token(app, first["id"]), clock()))
    page = client.get(PAGE)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert '<span id="checked-in">1</span>' in html
    assert '<span id="expected">2</span>' in html
    assert '<span id="percent">50</span>%' in html
    assert 'style="width: 50%"' in html
    for text in ("Checked in", "已簽到", "By category", "按類別", "By checkpoint", "按檢查點"):
        assert text in html
    assert "Guest 嘉賓" in html
    assert "Main entrance, Block B" in html
    assert "B座正門" in html
    assert 'data-start="2026-02-01T17:00:00+08:00"' in html
    assert '<dd id="latest">17:00</dd>' in html
    assert "/web/static/arrivals.js" in html
    assert client.get("/web/static/arrivals.js").status_code == 200

    live = client.get(JSON)
    assert live.headers["Cache-Control"] == "no-store"
    assert live.json == client.get(f"/api/v1/gatherings/{SLUG}/arrivals", headers=organiser).json
    assert live.json["checked_in"] == 1
    clock.advance(minutes=1)
    scan(client, door, scan_body(badge_token(app, confirmed_guest(client, 3)["id"]), clock()))
    assert (client.get(JSON).json["checked_in"], client.get(JSON).json["expected"]) == (2, 3)


def scan(client: FlaskClient, door: dict[str, str], body: dict[str, Any]) -> None:
    response = client.post("/api/v1/scans", json=body, headers=door)
    assert response.json["status"] == "ok", response.json


def test_unknown_gathering_is_404_on_the_page_and_in_json(
    client: FlaskClient, gathering: dict[str, Any], token: str
) -> None:
    sign_in(client, token)
    assert client.get("/organiser/events/no-such-event/arrivals").status_code == 404
    missing = client.get("/organiser/events/no-such-event/arrivals.json")
    assert (missing.status_code, missing.json["error"]["code"]) == (404, "not_found")


def test_home_opens_the_arrivals_of_the_event_typed_in(
    client: FlaskClient, gathering: dict[str, Any], token: str
) -> None:
    sign_in(client, token)
    home = client.get("/organiser/")
    assert home.status_code == 200
    assert "carol" in home.get_data(as_text=True)
    opened = client.get("/organiser/", query_string={"slug": f" {SLUG.upper()} "})
    assert (opened.status_code, opened.headers["Location"]) == (302, PAGE)
    wrong = client.get("/organiser/", query_string={"slug": "../../etc"})
    assert wrong.status_code == 200
    assert "Not a valid event address" in wrong.get_data(as_text=True)
