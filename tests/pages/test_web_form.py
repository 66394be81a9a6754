"""Tests of the guest web pages (registration form, confirmation page), on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import uuid
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from events_app.pages.guest import CSRF_MESSAGE
from events_app.pages.labels import FORM_FIELDS
from events_app.services.confirmation import confirmation_token
from tests.conftest import SLUG, FakeClock, guest

FORM = f"/gatherings/{SLUG}/register"
API_REGISTER = f"/api/v1/gatherings/{SLUG}/registrations"
CONFIRMATION = re.compile(
    rf"^(?:http://localhost)?/gatherings/{SLUG}/registrations/([A-Za-z0-9_-]+)$"
)
VOID = {"input", "br", "meta", "link", "img", "hr"}


class Page(HTMLParser):
    """What a guest sees on a page: field values, texts by id, attributes by id."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self.checked: set[str] = set()
        self.attrs: dict[str, dict[str, str | None]] = {}
        self.texts: dict[str, str] = {}
        self._open: list[tuple[str, str | None]] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self.feed(html)
        self.close()
        self.texts = {key: " ".join(text.split()) for key, text in self.texts.items()}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        key = a.get("id") or (f"label:{a['for']}" if tag == "label" and a.get("for") else None)
        if a.get("id"):
            self.attrs[str(a["id"])] = a
        name = str(a.get("name", ""))
        if tag == "input":
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.checked.add(name)
            else:
                self.values[name] = a.get("value") or ""
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = ""
        elif tag == "select":
            self._select = name
        elif tag == "option" and "selected" in a and self._select:
            self.values[self._select] = a.get("value") or ""
        if tag not in VOID:
            self._open.append((tag, key))
            if key:
                self.texts.setdefault(key, "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data
        for _, key in self._open:
            if key:
                self.texts[key] += data

    def text(self, element_id: str) -> str:
        return self.texts.get(element_id, "")


def page_of(response: Any) -> Page:
    return Page(response.get_data(as_text=True))


def csrf_of(response: Any) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True))
    assert match, "no CSRF hidden field on the page"
    return match.group(1)


def form_data(n: int = 1, **overrides: Any) -> dict[str, str]:
    """Return what a guest types into the form (`consent=False` leaves the box unticked)."""
    data = guest(n, **overrides)
    consent = data.pop("consent")
    form = {key: str(value) for key, value in data.items()}
    if consent:
        form["consent"] = "yes"
    return form


def submit(client: FlaskClient, n: int = 1, **overrides: Any) -> Any:
    """Open the form, then send it with its CSRF token."""
    token = csrf_of(client.get(FORM))
    return client.post(FORM, data={**form_data(n, **overrides), "csrf_token": token})


def recorded(client: FlaskClient, organiser: dict[str, str]) -> list[dict[str, Any]]:
    body = client.get(API_REGISTER, query_string={"limit": 500}, headers=organiser).json
    assert body["total"] == len(body["items"])
    return list(body["items"])


def confirmation_path(response: Any) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)
    location = response.headers["Location"]
    assert CONFIRMATION.match(location), location
    return location


def register_and_confirm(client: FlaskClient, n: int = 1, **overrides: Any) -> tuple[str, Page]:
    path = confirmation_path(submit(client, n, **overrides))
    response = client.get(path)
    assert response.status_code == 200
    return path, page_of(response)


# The form ------------------------------------------------------------------------------


LANGUAGE_WORDS = {
    "en": ("Full name", "I attend as", "Register", "Launch ceremony of the Hetao"),
    "zh-HK": ("英文全名", "出席身份", "報名", "河套香港青年科創谷啟動儀式"),
    "zh-CN": ("英文全名", "出席身份", "报名", "河套香港青年科创谷启动仪式"),
}
OTHER_WORDS = {
    "en": ("報名", "报名", "英文全名"),
    "zh-HK": ("Full name", "I attend as", "报名", "单位", "电子邮件"),
    "zh-CN": ("Full name", "I attend as", "報名", "機構", "電郵"),
}


@pytest.mark.parametrize("language", ["en", "zh-HK", "zh-CN"])
def test_form_is_in_the_guests_language_and_carries_a_csrf_token(
    client: FlaskClient, gathering: dict[str, Any], language: str
) -> None:
    response = client.get(FORM, headers={"Accept-Language": language})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.mimetype_params.get("charset") == "utf-8"
    html = response.get_data(as_text=True)
    page = page_of(response)
    name, attend, register, title = LANGUAGE_WORDS[language]
    assert name in page.text("label:full_name")
    assert attend in page.text("label:category")
    assert register in page.text("submit")
    assert title in html
    body = html.split("<main>", 1)[1]
    for word in OTHER_WORDS[language]:
        assert word not in body, (language, word)
    for field in FORM_FIELDS:
        assert field.name in page.values
    assert len(page.values["csrf_token"]) >= 32
    assert page.values["category"] == "guest"
    assert "consent" not in page.checked
    assert "disabled" not in page.attrs["submit"]
    assert "closed" not in page.attrs


def test_the_language_switch_is_remembered(client: FlaskClient, gathering: dict[str, Any]) -> None:
    chosen = client.get(f"{FORM}?lang=zh_Hans_CN", headers={"Accept-Language": "en"})
    assert "报名" in page_of(chosen).text("submit")
    assert 'lang="zh-Hans-CN"' in chosen.get_data(as_text=True)
    later = client.get(FORM, headers={"Accept-Language": "en"})
    assert "报名" in page_of(later).text("submit")
    back = client.get(f"{FORM}?lang=en")
    assert "Register" in page_of(back).text("submit")
    assert "Register" in page_of(client.get(FORM)).text("submit")
    ignored = client.get(f"{FORM}?lang=klingon")
    assert "Register" in page_of(ignored).text("submit")


def test_the_pages_stylesheet_is_served(client: FlaskClient, gathering: dict[str, Any]) -> None:
    html = client.get(FORM).get_data(as_text=True)
    match = re.search(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert match
    response = client.get(match.group(1))
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    assert b".masthead" in response.data


def test_the_token_is_stable_within_a_session_and_differs_between_sessions(
    app: Flask, client: FlaskClient, gathering: dict[str, Any]
) -> None:
    first = csrf_of(client.get(FORM))
    assert csrf_of(client.get(FORM)) == first
    assert csrf_of(app.test_client().get(FORM)) != first


@pytest.mark.parametrize("token", [None, "", "forged-token", "other-session"])
def test_post_without_a_valid_csrf_token_is_refused_and_records_nothing(
    app: Flask,
    client: FlaskClient,
    gathering: dict[str, Any],
    organiser: dict[str, str],
    token: str | None,
) -> None:
    client.get(FORM)  # the guest has a session with its own token
    data = form_data(1, full_name="Sun Dong", name_zh="孫東")
    if token == "other-session":
        token = csrf_of(app.test_client().get(FORM))
    if token is not None:
        data["csrf_token"] = token
    response = client.post(FORM, data=data)
    assert response.status_code == 400
    page = page_of(response)
    assert page.text("notice") == CSRF_MESSAGE
    assert page.values["full_name"] == "Sun Dong"
    assert page.values["name_zh"] == "孫東"
    assert page.values["csrf_token"]  # a fresh form to submit again
    assert recorded(client, organiser) == []


def test_post_without_any_session_is_refused(
    app: Flask, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    token = csrf_of(app.test_client().get(FORM))
    fresh = app.test_client()
    response = fresh.post(FORM, data={**form_data(1), "csrf_token": token})
    assert response.status_code == 400
    assert recorded(fresh, organiser) == []


def test_resubmitting_after_an_expired_form_works(
    client: FlaskClient, gathering: dict[str, Any]
) -> None:
    refused = client.post(FORM, data=form_data(1))
    assert refused.status_code == 400
    again = client.post(FORM, data={**form_data(1), "csrf_token": csrf_of(refused)})
    confirmation_path(again)


# Errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "sun.dong-at-example.org"}, "email", "valid e-mail"),
        ({"email": ""}, "email", ""),
        ({"consent": False}, "consent", "agree"),
        ({"full_name": "x" * 201}, "full_name", "200"),
        ({"name_zh": "孫" * 101}, "name_zh", "100"),
        ({"full_name": "Sun\x07Dong"}, "full_name", "control characters"),
        ({"organisation": "HKSTP\u200b"}, "organisation", "control characters"),
        ({"organisation": "   "}, "organisation", ""),
        ({"job_title": ""}, "job_title", ""),
        ({"phone": "call me"}, "phone", "format"),
        ({"dietary": "y" * 501}, "dietary", "500"),
        ({"category": "alien"}, "category", ""),
        ({"category": "staff"}, "category", "staff"),
    ],
)
def test_invalid_form_is_shown_again_with_the_message_next_to_the_field(
    client: FlaskClient,
    gathering: dict[str, Any],
    organiser: dict[str, str],
    overrides: dict[str, Any],
    field: str,
    message: str,
) -> None:
    typed = {
        "full_name": "Sun Dong",
        "name_zh": "孫東",
        "organisation": "Hong Kong Science Park 香港科學園",
        "dietary": "素食 vegetarian",
        **overrides,
    }
    response = submit(client, 1, **typed)
    assert response.status_code == 422
    page = page_of(response)
    error = page.text(f"{field}-error")
    assert error, f"no inline message for {field}"
    assert message.lower() in error.lower()
    assert "Please correct the fields marked below" in page.text("error-summary")
    assert page.attrs[field].get("aria-invalid") == "true"
    assert page.attrs[field].get("aria-describedby") == f"{field}-error"
    # What the guest typed is kept, Chinese included.
    expected = form_data(1, **typed)
    for name in ("full_name", "name_zh", "organisation", "job_title", "email", "dietary"):
        assert page.values[name] == expected[name], name
    if "consent" in expected:
        assert "consent" in page.checked
    assert recorded(client, organiser) == []


def test_every_problem_is_shown_at_once(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    response = submit(client, 1, email="nope", full_name="", consent=False)
    assert response.status_code == 422
    page = page_of(response)
    assert page.text("email-error")
    assert page.text("full_name-error")
    assert "agree" in page.text("consent-error")
    assert "organisation-error" not in page.attrs
    assert recorded(client, organiser) == []


def test_fields_the_form_does_not_have_are_ignored(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    token = csrf_of(client.get(FORM))
    data = {**form_data(1), "csrf_token": token, "submit": "", "utm_source": "newsletter"}
    confirmation_path(client.post(FORM, data=data))
    assert [r["email"] for r in recorded(client, organiser)] == ["guest1@example.org"]


def test_markup_typed_by_the_guest_is_shown_as_text(
    client: FlaskClient, gathering: dict[str, Any]
) -> None:
    name = '"><script>alert(1)</script>'
    response = submit(client, 1, full_name=name, email="bad")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert page_of(response).values["full_name"] == name
    path, page = register_and_confirm(client, 1, full_name=name)
    assert "<script>alert(1)</script>" not in client.get(path).get_data(as_text=True)
    assert name in page.text("confirmation")


# Confirmation --------------------------------------------------------------------------


def test_valid_registration_redirects_to_a_confirmation_in_plain_words(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    response = submit(client, 1, full_name="  Sun Dong ", name_zh="孫東", email=" sun@example.org ")
    path = confirmation_path(response)
    page = page_of(client.get(path))
    assert "Sun Dong" in page.text("confirmation")
    assert "孫東" in page.text("confirmation")
    assert page.attrs["state"]["data-state"] == "confirmed"
    assert "You are confirmed" in page.text("state")
    assert "waitlist-position" not in page.attrs
    assert "Guest" in page.text("confirmation")
    in_chinese = page_of(client.get(path, headers={"Accept-Language": "zh-HK"}))
    assert "您的報名已確認" in in_chinese.text("state")
    assert "嘉賓" in in_chinese.text("confirmation")
    [row] = recorded(client, organiser)
    assert (row["full_name"], row["name_zh"], row["email"]) == (
        "Sun Dong",
        "孫東",
        "sun@example.org",
    )
    assert row["state"] == "confirmed"
    # The link stays valid: the guest can come back to it.
    assert client.get(path).status_code == 200


def test_vip_is_awaiting_approval(client: FlaskClient, gathering: dict[str, Any]) -> None:
    _, page = register_and_confirm(client, 1, category="vip")
    assert page.attrs["state"]["data-state"] == "pending"
    assert "awaiting approval" in page.text("state")
    assert "VIP" in page.text("confirmation")


def test_full_gathering_puts_the_guest_on_the_waitlist_with_a_position(
    client: FlaskClient, gathering: dict[str, Any]
) -> None:
    for n in range(10):
        assert client.post(API_REGISTER, json=guest(n)).status_code == 201
    _, first = register_and_confirm(client, 10)
    _, second = register_and_confirm(client, 11)
    assert first.attrs["state"]["data-state"] == "waitlisted"
    assert "waitlist" in first.text("state")
    assert "1" in first.text("waitlist-position")
    assert "2" in second.text("waitlist-position")


def test_the_same_email_twice_is_refused_on_the_email_field(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    confirmation_path(submit(client, 1))
    response = submit(client, 2, email="  GUEST1@Example.org ", name_zh="孫東")
    assert response.status_code == 409
    page = page_of(response)
    assert "already registered" in page.text("email-error")
    assert page.values["name_zh"] == "孫東"
    assert page.values["full_name"] == "Guest Number 2"
    assert len(recorded(client, organiser)) == 1


@pytest.mark.parametrize("days", [40, -20])
def test_outside_the_registration_window_the_form_is_closed(
    client: FlaskClient,
    gathering: dict[str, Any],
    organiser: dict[str, str],
    clock: FakeClock,
    days: int,
) -> None:
    clock.advance(days=days)
    page = page_of(client.get(FORM))
    assert "Registration is not open" in page.text("closed")
    assert "disabled" in page.attrs["submit"]
    response = submit(client, 1)
    assert response.status_code == 409
    assert "Registration is not open" in page_of(response).text("closed")
    simplified = page_of(client.get(FORM, headers={"Accept-Language": "zh-CN"}))
    assert "报名目前未开放" in simplified.text("closed")
    assert recorded(client, organiser) == []


def test_registration_window_edges(
    client: FlaskClient, gathering: dict[str, Any], clock: FakeClock
) -> None:
    clock.now = clock.now.fromisoformat(gathering["registration_closes_at"])
    assert "closed" in page_of(client.get(FORM)).attrs
    clock.advance(seconds=-1)
    assert "closed" not in page_of(client.get(FORM)).attrs
    confirmation_path(submit(client, 1))


# Not found -------------------------------------------------------------------------------


def test_unknown_gathering_is_not_found(client: FlaskClient, gathering: dict[str, Any]) -> None:
    assert client.get("/gatherings/no-such-event/register").status_code == 404
    token = csrf_of(client.get(FORM))
    response = client.post(
        "/gatherings/no-such-event/register", data={**form_data(1), "csrf_token": token}
    )
    assert response.status_code == 404


def test_unknown_or_tampered_confirmation_token_is_not_found(
    app: Flask, client: FlaskClient, gathering: dict[str, Any]
) -> None:
    path = confirmation_path(submit(client, 1))
    token = path.rsplit("/", 1)[1]
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    forged = confirmation_token("another-secret", uuid.UUID(int=1))
    unknown = confirmation_token(app.secret_key, uuid.uuid4())  # type: ignore[arg-type]
    for bad in (flipped, token[:-2], forged, unknown, "x", "!!!!", "A" * 200):
        response = client.get(f"/gatherings/{SLUG}/registrations/{bad}")
        assert response.status_code == 404, bad
    assert client.get(f"/gatherings/no-such-event/registrations/{token}").status_code == 404


# Cancelling ------------------------------------------------------------------------------


def cancel(client: FlaskClient, path: str, csrf: str | None) -> Any:
    """Post the cancel form as its confirmation page does, with `confirm=yes`."""
    data = {"confirm": "yes"} if csrf is None else {"csrf_token": csrf, "confirm": "yes"}
    return client.post(f"{path}/cancel", data=data)


def test_cancelling_from_the_confirmation_page_promotes_the_waitlist(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    mine, _ = register_and_confirm(client, 1, name_zh="孫東")
    for n in range(2, 11):
        assert client.post(API_REGISTER, json=guest(n)).status_code == 201
    waiting, page = register_and_confirm(client, 11)
    assert page.attrs["state"]["data-state"] == "waitlisted"

    confirmation = client.get(mine, headers={"Accept-Language": "zh-HK"})
    assert "取消報名" in page_of(confirmation).text("cancel")
    response = cancel(client, mine, csrf_of(confirmation))
    assert response.status_code == 303
    after = client.get(response.headers["Location"])
    page = page_of(after)
    assert page.attrs["state"]["data-state"] == "cancelled"
    assert "Your registration is cancelled" in page.text("state")
    assert "Cancelled." in page.text("notice")
    in_chinese = page_of(
        client.get(response.headers["Location"], headers={"Accept-Language": "zh-HK"})
    )
    assert "已取消" in in_chinese.text("notice")
    assert "cancel" not in page.attrs  # nothing more to cancel
    assert page_of(client.get(waiting)).attrs["state"]["data-state"] == "confirmed"
    states = {r["email"]: r["state"] for r in recorded(client, organiser)}
    assert states["guest1@example.org"] == "cancelled"
    assert states["guest11@example.org"] == "confirmed"


@pytest.mark.parametrize("csrf", [None, "forged-token"])
def test_cancelling_without_a_valid_csrf_token_changes_nothing(
    client: FlaskClient, gathering: dict[str, Any], csrf: str | None
) -> None:
    mine, _ = register_and_confirm(client, 1)
    response = cancel(client, mine, csrf)
    assert response.status_code == 303
    page = page_of(client.get(response.headers["Location"]))
    assert page.attrs["state"]["data-state"] == "confirmed"
    assert "The page had expired; nothing was changed" in page.text("notice")
    assert "cancel" in page.attrs


def test_cancelling_twice_says_it_can_no_longer_be_cancelled(
    client: FlaskClient, gathering: dict[str, Any]
) -> None:
    mine, _ = register_and_confirm(client, 1)
    token = csrf_of(client.get(mine))
    cancel(client, mine, token)
    response = cancel(client, mine, token)
    page = page_of(client.get(response.headers["Location"]))
    assert page.attrs["state"]["data-state"] == "cancelled"
    assert "This registration can no longer be cancelled" in page.text("notice")


def test_cancelling_with_a_bad_token_or_slug_is_not_found(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    mine, _ = register_and_confirm(client, 1)
    csrf = csrf_of(client.get(mine))
    token = mine.rsplit("/", 1)[1]
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert cancel(client, f"/gatherings/{SLUG}/registrations/{flipped}", csrf).status_code == 404
    assert (
        cancel(client, f"/gatherings/no-such-event/registrations/{token}", csrf).status_code == 404
    )
    assert [r["state"] for r in recorded(client, organiser)] == ["confirmed"]
