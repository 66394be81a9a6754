"""Issue 12's bad input through the pages: a 400 page or the form again, nothing written.

Also: signing out ends the session's cookie at once, for a copy of it too, in another
app process (worker) on the same store, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import html
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from domain.checkpoint import REACH
from tests.conftest import SLUG, FakeClock, guest, make_app, services_of
from tests.console_helpers import PASSWORD, csrf_from, open_account, post_form, sign_in

HOME = "/organiser/"
CONSOLE = f"/organiser/gatherings/{SLUG}"
JSON = f"/organiser/gatherings/{SLUG}/arrivals.json"
BAD_TOKENS = ("é" * 43, "令牌", "\u00ff", "x\u200by")


def written(app: Flask) -> int:
    """Return how many events the store holds."""
    return int(services_of(app).box_office.recorder.max_notification_id() or 0)


def text_of(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("token", BAD_TOKENS)
def test_a_non_ascii_csrf_token_on_the_guest_forms_is_refused(
    app: Flask, client: FlaskClient, gathering: dict[str, Any], token: str
) -> None:
    before = written(app)
    page = f"/gatherings/{SLUG}/register"
    client.get(page)  # the session has a token of its own
    response = client.post(page, data={**guest(1), "consent": "yes", "csrf_token": token})
    assert response.status_code == 400
    assert "This form has expired" in text_of(response)
    chinese = client.post(
        f"{page}?lang=zh-HK", data={**guest(1), "consent": "yes", "csrf_token": token}
    )
    assert "表格已過期" in text_of(chinese)
    client.get(f"{page}?lang=en")
    signed = client.post(
        "/organiser/sign-in", data={"username": "x", "password": "y", "csrf_token": token}
    )
    assert signed.status_code == 400
    assert "The page had expired" in text_of(signed)
    chinese = client.post(
        "/organiser/sign-in?lang=zh-HK",
        data={"username": "x", "password": "y", "csrf_token": token},
    )
    assert chinese.status_code == 400
    assert "頁面已過期" in text_of(chinese)
    assert written(app) == before


@pytest.mark.parametrize("token", BAD_TOKENS)
def test_a_non_ascii_csrf_token_on_console_forms_is_refused(
    app: Flask, console: FlaskClient, gathering: dict[str, Any], token: str
) -> None:
    before = written(app)
    console.get(f"{CONSOLE}/devices")  # the session has a token of its own
    for action, fields in (
        (f"{CONSOLE}/devices", {"name": "door 9", "valid_minutes": "60"}),
        (f"{CONSOLE}/checkpoints", {"code": "x", "name_en": "X", "name_zh": "X"}),
    ):
        response = console.post(action, data={**fields, "csrf_token": token})
        assert response.status_code == 400, action
        assert "nothing was changed" in text_of(response)
        chinese = console.post(f"{action}?lang=zh-HK", data={**fields, "csrf_token": token})
        assert chinese.status_code == 400, action
        assert "未有作出任何更改" in text_of(chinese)
        console.get(f"{CONSOLE}/devices?lang=en")
    signed_out = console.post("/organiser/sign-out", data={"csrf_token": token})
    assert signed_out.status_code == 303
    assert console.get(JSON).status_code == 200  # a forged sign-out does nothing
    assert written(app) == before


def test_non_ascii_digits_in_console_number_fields_are_refused(
    app: Flask, console: FlaskClient, gathering: dict[str, Any]
) -> None:
    before = written(app)
    for minutes in ("²", "１２", "٣", "9" * 5000):
        page = f"{CONSOLE}/devices"
        response = post_form(console, page, page, name="door 9", valid_minutes=minutes)
        assert response.status_code == 422, minutes
        assert "1 minute to 7 days" in text_of(response)
        assert "設定碼" not in text_of(response)
        chinese = post_form(
            console, page + "?lang=zh-HK", page, name="door 9", valid_minutes=minutes
        )
        assert chinese.status_code == 422, minutes
        assert "設定碼有效時間須為 1 分鐘至 7 天" in text_of(chinese)
        console.get(page + "?lang=en")
    listed = console.get(f"{CONSOLE}/registrations?page=²")
    assert listed.status_code == 200
    edit = f"{CONSOLE}/edit"
    response = post_form(console, edit, edit, version="²", cap_guest="²")
    assert 400 <= response.status_code < 500
    assert written(app) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("opens_at", "0001-01-01T00:00"),
        ("opens_at", "2024-06-01T08:00"),
        ("closes_at", "9999-12-31T23:59"),
    ],
)
def test_a_checkpoint_far_from_the_gathering_is_refused_on_the_page(
    app: Flask, console: FlaskClient, gathering: dict[str, Any], field: str, value: str
) -> None:
    before = written(app)
    page = f"{CONSOLE}/checkpoints"
    fields = {"code": "main", "name_en": "Main", "name_zh": "正門", "categories": ["guest"]}
    response = post_form(
        console, page, page, **{**fields, "opens_at": "", "closes_at": "", field: value}
    )
    assert response.status_code == 422, text_of(response)[:500]
    shown = text_of(response)
    assert "nothing was changed" in shown
    assert f"{REACH.days} days" in shown or "2000 and 2100" in shown
    chinese = post_form(
        console,
        page,
        page + "?lang=zh-HK",
        **{**fields, "opens_at": "", "closes_at": "", field: value},
    )
    assert chinese.status_code == 422
    said = text_of(chinese)
    assert "未有作出任何更改" in said
    assert f"{REACH.days} 天內" in said or "2000 至 2100 年" in said
    assert written(app) == before


def cookie_of(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def replayed(app: Flask, cookie: str) -> FlaskClient:
    """Return a new client of `app` carrying a copy of a captured session cookie."""
    other = app.test_client()
    other.set_cookie("session", cookie, domain="localhost")
    return other


def test_signing_out_ends_a_copied_cookie_at_once_in_every_worker(
    app: Flask, database_url: str, clock: FakeClock, gathering: dict[str, Any]
) -> None:
    username = open_account(app)
    browser, phone = app.test_client(), app.test_client()
    assert sign_in(browser, username).status_code == 303
    assert sign_in(phone, username, PASSWORD).status_code == 303
    captured = cookie_of(browser)
    worker = make_app(database_url, clock)  # another gunicorn worker on the same store
    try:
        assert replayed(worker, captured).get(JSON).status_code == 200
        token = csrf_from(browser.get(HOME).get_data(as_text=True))
        assert browser.post("/organiser/sign-out", data={"csrf_token": token}).status_code == 303
        for process in (app, worker):
            copy = replayed(process, captured)
            refused = copy.get(JSON)
            assert refused.status_code == 401
            assert refused.json["error"]["code"] == "session_ended"
            page = copy.get(HOME)
            assert page.status_code == 303
            assert "sign-in" in page.headers["Location"]
        assert phone.get(JSON).status_code == 200  # the other sign-in goes on
        assert replayed(worker, cookie_of(phone)).get(JSON).status_code == 200
    finally:
        services_of(worker).close()


def test_sign_outs_are_forgotten_once_their_cookies_have_expired(
    app: Flask, clock: FakeClock, gathering: dict[str, Any]
) -> None:
    username = open_account(app)
    client = app.test_client()
    for _ in range(3):
        assert sign_in(client, username).status_code == 303
        token = csrf_from(client.get(HOME).get_data(as_text=True))
        client.post("/organiser/sign-out", data={"csrf_token": token})
        clock.advance(hours=3)  # beyond the idle limit of 2 hours
    account = services_of(app).accounts.account(username)
    assert list(account.signed_out) == [3]
    assert account.sign_ins == 3
