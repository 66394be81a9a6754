"""Organiser sign-in (password, lock-out, CSRF, session end) and the live arrivals page."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from events_app.pages.sessions import SESSION_KEY
from tests.checkin_helpers import (
    badge_token,
    confirmed_guest,
    scan_body,
)
from tests.conftest import SLUG, FakeClock, services_of
from tests.console_helpers import PASSWORD, csrf_from, open_account, sign_in

PAGE = f"/organiser/gatherings/{SLUG}/arrivals"
JSON = f"/organiser/gatherings/{SLUG}/arrivals.json"


@pytest.fixture
def username(app: Flask) -> str:
    return open_account(app, "carol", "Carol Ho")


def test_anonymous_visitors_are_sent_to_sign_in_and_json_answers_401(
    client: FlaskClient, gathering: dict[str, Any]
) -> None:
    page = client.get(PAGE)
    assert page.status_code == 303
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


def test_sign_in_takes_username_and_password_and_goes_where_it_was_asked(
    client: FlaskClient, gathering: dict[str, Any], username: str
) -> None:
    form = client.get(f"/organiser/sign-in?next={PAGE}")
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    for text in ("Username", "Password", 'autocomplete="current-password"', '<html lang="en">'):
        assert text in html
    assert "用戶名稱" not in html  # one language a page: English unless asked otherwise
    assert f'name="next" value="{PAGE}"' in html
    chinese = client.get("/organiser/sign-in?lang=zh-HK").get_data(as_text=True)
    for text in ("用戶名稱", "密碼", "主辦方登入", '<html lang="zh-Hant-HK">'):
        assert text in chinese
    assert "Username" not in chinese
    simplified = client.get("/organiser/sign-in?lang=zh-CN").get_data(as_text=True)
    assert "用户名" in simplified
    assert '<html lang="zh-Hans-CN">' in simplified
    client.get("/organiser/sign-in?lang=en")  # the choice is remembered: back to English
    signed_in = sign_in(client, " CAROL ", PASSWORD, PAGE)
    assert signed_in.status_code == 303
    assert signed_in.headers["Location"] == PAGE
    with client.session_transaction() as session:
        assert PASSWORD not in str(dict(session))  # only the account's id and times
        assert session[SESSION_KEY]
    assert client.get(JSON).status_code == 200
    assert "Carol Ho" in client.get(PAGE).get_data(as_text=True)


def test_the_password_is_kept_only_as_a_salted_hash(app: Flask, username: str) -> None:
    accounts = services_of(app).accounts
    account = accounts.account(username)
    assert account.password_hash.startswith("scrypt:")
    assert PASSWORD not in account.password_hash
    open_account(app, "dave", "Dave")
    assert accounts.account("dave").password_hash != account.password_hash  # salted


@pytest.mark.parametrize(
    ("typed_user", "typed_password", "status", "message"),
    [
        ("", "", 422, "Enter your username and password"),
        ("carol", "", 422, "Enter your username and password"),
        ("carol", "not the password", 401, "Wrong username or password"),
        ("nobody", PASSWORD, 401, "Wrong username or password"),
        ("../carol", PASSWORD, 401, "Wrong username or password"),
        ("carol", "x" * 5000, 401, "Wrong username or password"),
    ],
)
def test_sign_in_refuses_wrong_input_in_plain_words(
    client: FlaskClient,
    gathering: dict[str, Any],
    username: str,
    typed_user: str,
    typed_password: str,
    status: int,
    message: str,
) -> None:
    refused = sign_in(client, typed_user, typed_password)
    assert refused.status_code == status
    html = refused.get_data(as_text=True)
    assert message in html
    assert 'aria-invalid="true"' in html
    assert client.get(JSON).status_code == 401


def test_repeated_wrong_passwords_lock_the_account_for_a_while(
    app: Flask, client: FlaskClient, clock: FakeClock, gathering: dict[str, Any], username: str
) -> None:
    for _ in range(4):
        assert sign_in(client, username, "guessing wrong").status_code == 401
    locked = sign_in(client, username, "guessing wrong")
    assert locked.status_code == 429
    assert "locked until" in locked.get_data(as_text=True)
    # While locked, even the right password is refused, and nothing more is recorded.
    account_id = services_of(app).accounts.account(username).id
    recorded = len(services_of(app).box_office.changes(account_id))
    assert sign_in(client, username, PASSWORD).status_code == 429
    assert len(services_of(app).box_office.changes(account_id)) == recorded
    clock.advance(minutes=15)
    assert sign_in(client, username, PASSWORD).status_code == 303
    types = [entry.type for entry in services_of(app).box_office.changes(account_id)]
    assert types == ["Opened"] + ["SignInFailed"] * 5 + ["SignedIn"]


def test_an_administrator_can_lift_a_lock_out_from_the_cli(
    app: Flask, client: FlaskClient, gathering: dict[str, Any], username: str
) -> None:
    for _ in range(5):
        sign_in(client, username, "guessing wrong")
    assert sign_in(client, username, PASSWORD).status_code == 429
    result = app.test_cli_runner().invoke(args=["accounts", "unlock", username])
    assert result.exit_code == 0, result.output
    assert sign_in(client, username, PASSWORD).status_code == 303


def test_sign_in_and_sign_out_need_the_csrf_token(
    client: FlaskClient, gathering: dict[str, Any], username: str
) -> None:
    client.get("/organiser/sign-in")
    forged = client.post(
        "/organiser/sign-in",
        data={"username": username, "password": PASSWORD, "csrf_token": "forged"},
    )
    assert forged.status_code == 400
    assert "expired" in forged.get_data(as_text=True)
    assert client.get(JSON).status_code == 401

    assert sign_in(client, username).status_code == 303
    ignored = client.post("/organiser/sign-out", data={"csrf_token": "forged"})
    assert ignored.status_code == 303
    assert client.get(JSON).status_code == 200
    page = client.get(PAGE).get_data(as_text=True)
    signed_out = client.post("/organiser/sign-out", data={"csrf_token": csrf_from(page)})
    assert signed_out.status_code == 303
    assert "notice=signed_out" in signed_out.headers["Location"]
    assert client.get(JSON).status_code == 401
    assert client.get(PAGE).status_code == 303


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
    client: FlaskClient, gathering: dict[str, Any], username: str, next_url: str
) -> None:
    response = sign_in(client, username, PASSWORD, next_url)
    assert response.status_code == 303
    assert response.headers["Location"] == "/organiser/"


@pytest.mark.parametrize("change", ["close", "password"])
def test_closing_an_account_or_changing_its_password_ends_its_sessions_at_once(
    app: Flask, client: FlaskClient, gathering: dict[str, Any], username: str, change: str
) -> None:
    assert sign_in(client, username, PASSWORD, PAGE).status_code == 303
    assert client.get(JSON).status_code == 200
    accounts = services_of(app).accounts
    if change == "close":
        accounts.close(username, "test", keep_an_owner=False)
    else:
        accounts.change_password(username, "a brand new passphrase", "test")
    data = client.get(JSON)
    assert (data.status_code, data.json["error"]["code"]) == (401, "session_ended")
    assert set(data.json["error"]) == {"code", "message", "field", "fields"}
    page = client.get(PAGE)
    assert page.status_code == 303
    assert "notice=ended" in page.headers["Location"]
    assert "has ended" in client.get(page.headers["Location"]).get_data(as_text=True)
    assert sign_in(client, username, PASSWORD).status_code == 401
    if change == "password":
        assert sign_in(client, username, "a brand new passphrase").status_code == 303


def test_a_session_left_unused_expires(
    client: FlaskClient, clock: FakeClock, gathering: dict[str, Any], username: str
) -> None:
    assert sign_in(client, username).status_code == 303
    clock.advance(minutes=100)
    assert client.get(JSON).status_code == 200  # in use: the session goes on
    clock.advance(minutes=100)
    assert client.get(PAGE).status_code == 200
    clock.advance(minutes=121)
    expired = client.get(PAGE)
    assert expired.status_code == 303
    assert "notice=idle" in expired.headers["Location"]
    assert "expired" in client.get(expired.headers["Location"]).get_data(as_text=True)
    assert client.get(JSON).status_code == 401  # the session was forgotten


def test_a_session_naming_no_account_is_signed_out(
    client: FlaskClient, gathering: dict[str, Any]
) -> None:
    for value in ("not-a-uuid", "00000000-0000-4000-8000-000000000000", 42):
        with client.session_transaction() as session:
            session[SESSION_KEY] = value
        assert client.get(JSON).status_code == 401
        assert client.get(PAGE).status_code == 303


def test_page_shows_the_figures_in_each_language_and_the_json_matches_the_api(
    app: Flask,
    client: FlaskClient,
    door: dict[str, str],
    organiser: dict[str, str],
    username: str,
    clock: FakeClock,
) -> None:
    first = confirmed_guest(client, 1)
    confirmed_guest(client, 2)
    sign_in(client, username)
    scan(client, door, scan_body(badge_token(app, first["id"]), clock()))
    page = client.get(PAGE)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert '<span id="checked-in">1</span>' in html
    assert '<span id="expected">2</span>' in html
    assert '<span id="percent">50</span>%' in html
    assert 'style="width: 50%"' in html
    for text in ("Checked in", "By category", "By checkpoint", ">Guest<", '"live": "Live"'):
        assert text in html
    assert "Main entrance, Block B" in html
    assert "B座正門" not in html
    assert "已簽到" not in html
    chinese = client.get(PAGE, headers={"Accept-Language": "zh-HK"}).get_data(as_text=True)
    for text in ("已簽到", "按類別", "按檢查點", ">嘉賓<", "B座正門", "河套香港青年科創谷啟動儀式"):
        assert text in chinese
    assert "Main entrance, Block B" not in chinese
    assert "By checkpoint" not in chinese
    simplified = client.get(PAGE, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "按检查点" in simplified
    assert "B座正门" in simplified
    assert 'data-start="2026-02-01T17:00:00+08:00"' in html
    assert '<dd id="latest">17:00</dd>' in html
    assert "/web/static/arrivals.js" in html
    assert client.get("/web/static/arrivals.js").status_code == 200

    live = client.get(JSON)
    assert live.headers["Cache-Control"] == "no-store"
    # the API's figures, each checkpoint also named in the page's language for its script
    figures = live.json
    names = [checkpoint.pop("name") for checkpoint in figures["by_checkpoint"]]
    assert figures == client.get(f"/api/v1/gatherings/{SLUG}/arrivals", headers=organiser).json
    assert names[0] == "Main entrance, Block B"
    chinese_json = client.get(JSON, headers={"Accept-Language": "zh-CN"}).json
    assert chinese_json["by_checkpoint"][0]["name"] == "B座正门"
    assert figures["checked_in"] == 1
    clock.advance(minutes=1)
    scan(client, door, scan_body(badge_token(app, confirmed_guest(client, 3)["id"]), clock()))
    assert (client.get(JSON).json["checked_in"], client.get(JSON).json["expected"]) == (2, 3)


def scan(client: FlaskClient, door: dict[str, str], body: dict[str, Any]) -> None:
    response = client.post("/api/v1/scans", json=body, headers=door)
    assert response.json["status"] == "ok", response.json


def test_unknown_gathering_is_404_on_the_page_and_in_json(
    client: FlaskClient, gathering: dict[str, Any], username: str
) -> None:
    sign_in(client, username)
    assert client.get("/organiser/gatherings/no-such-event/arrivals").status_code == 404
    missing = client.get("/organiser/gatherings/no-such-event/arrivals.json")
    assert (missing.status_code, missing.json["error"]["code"]) == (404, "not_found")


def test_home_lists_the_events_and_opens_one_by_its_address(
    client: FlaskClient, gathering: dict[str, Any], username: str
) -> None:
    sign_in(client, username)
    home = client.get("/organiser/")
    assert home.status_code == 200
    html = home.get_data(as_text=True)
    assert "Carol Ho" in html
    assert f'href="/organiser/gatherings/{SLUG}/"' in html
    assert "Launch" in html
    assert "河套香港青年科創谷啟動儀式" not in html
    chinese = client.get("/organiser/?lang=zh-HK").get_data(as_text=True)
    assert "河套香港青年科創谷啟動儀式" in chinese
    assert "活動" in chinese
    client.get("/organiser/?lang=en")
    opened = client.get("/organiser/", query_string={"slug": f" {SLUG.upper()} "})
    assert (opened.status_code, opened.headers["Location"]) == (
        302,
        f"/organiser/gatherings/{SLUG}/",
    )
    wrong = client.get("/organiser/", query_string={"slug": "../../etc"})
    assert wrong.status_code == 200
    assert "Not a valid event address" in wrong.get_data(as_text=True)
