"""The guest's own data from their confirmation link: see it, download it, erase it."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from events_app.services.confirmation import confirmation_token
from tests.checkin_helpers import badge_token, door, scan_body
from tests.conftest import SLUG, FakeClock, guest, services_of

__all__ = ["door"]

LANGUAGES = {"en": "en", "zh-HK": "zh_Hant_HK", "zh-CN": "zh_Hans_CN"}
DOORS = {"en": "Main entrance, Block B", "zh-HK": "B座正門", "zh-CN": "B座正门"}
TITLES = {"en": "Your personal data", "zh-HK": "你的個人資料", "zh-CN": "你的个人信息"}


def registered(client: FlaskClient, n: int = 7, **overrides: Any) -> tuple[str, str]:
    """Register a guest through the API; return their id and their confirmation link."""
    answer = client.post(f"/api/v1/gatherings/{SLUG}/registrations", json=guest(n, **overrides))
    assert answer.status_code == 201, answer.json
    registration_id = str(answer.json["id"])
    token = confirmation_token(client.application.secret_key, uuid.UUID(registration_id))  # type: ignore[arg-type]
    return registration_id, f"/gatherings/{SLUG}/registrations/{token}"


def csrf_of(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "no CSRF field"
    return match.group(1)


def checked_in(app: Flask, client: FlaskClient, door: dict[str, str], rid: str, at: Any) -> None:
    response = client.post("/api/v1/scans", json=scan_body(badge_token(app, rid), at), headers=door)
    assert response.status_code == 200, response.json
    assert response.json["status"] == "ok"


def erase(client: FlaskClient, link: str, **extra: str) -> Any:
    """Post the erase form as the page and its question do (ticked, confirmed)."""
    csrf = csrf_of(client.get(f"{link}/erase").get_data(as_text=True))
    data = {"csrf_token": csrf, "understood": "yes", "confirm": "yes", **extra}
    return client.post(f"{link}/erase", data=data)


def test_the_confirmation_page_links_to_the_guests_data(
    client: FlaskClient, gathering: dict[str, Any]
) -> None:
    _, link = registered(client)
    page = client.get(link).get_data(as_text=True)
    for anchor in ("see-my-data", "download-my-data", "erase-my-data"):
        assert f'id="{anchor}"' in page


@pytest.mark.parametrize("accept", LANGUAGES)
def test_the_guest_sees_what_is_held_in_their_language(
    app: Flask,
    client: FlaskClient,
    gathering: dict[str, Any],
    door: dict[str, str],
    clock: FakeClock,
    accept: str,
) -> None:
    rid, link = registered(client, phone="+852 9123 4567", dietary="no peanuts")
    checked_in(app, client, door, rid, clock())
    response = client.get(f"{link}/my-data", headers={"Accept-Language": accept})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert TITLES[accept] in page
    for held in ("Guest Number 7", "黃秉修", "guest7@example.org", "+852 9123 4567", "no peanuts"):
        assert held in page
    assert page.count('class="checkin"') == 1
    assert DOORS[accept] in page  # the checkpoint's name in the page's language and script
    assert page.count('class="history-') >= 1


def test_the_guest_downloads_their_data_as_a_json_file(
    app: Flask,
    client: FlaskClient,
    gathering: dict[str, Any],
    door: dict[str, str],
    clock: FakeClock,
) -> None:
    rid, link = registered(client, phone="+852 9123 4567")
    checked_in(app, client, door, rid, clock())
    services_of(app).outbox.catch_up()
    response = client.get(f"{link}/my-data.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="personal-data-{rid}.json"'
    )
    data = json.loads(response.get_data(as_text=True))
    assert data["registration_id"] == rid
    assert data["details"]["full_name"] == "Guest Number 7"
    assert data["details"]["phone"] == "+852 9123 4567"
    assert data["registered_at"].startswith("2026-02-01T09:00")
    assert next(entry["what"] for entry in data["history"]) == "Submitted"
    assert data["history"][0]["who"] == "guest"
    assert [(c["checkpoint"], c["status"]) for c in data["checkins"]] == [("main-entrance", "ok")]
    assert [(m["kind"], m["recipient"]) for m in data["mails"]] == [
        ("confirmed", "guest7@example.org")
    ]
    assert data["invitation"] is None
    assert data["companions"] == []


def test_a_forged_or_unknown_link_answers_404_like_a_bad_confirmation_link(
    app: Flask, client: FlaskClient, gathering: dict[str, Any]
) -> None:
    _, link = registered(client)
    token = link.rsplit("/", 1)[1]
    forged = confirmation_token("another-secret", uuid.UUID(int=1))
    unknown = confirmation_token(app.secret_key, uuid.uuid4())  # type: ignore[arg-type]
    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), forged, unknown, "x"):
        base = f"/gatherings/{SLUG}/registrations/{bad}"
        for path in ("", "/my-data", "/my-data.json", "/erase"):
            assert client.get(base + path).status_code == 404, base + path
        assert client.post(base + "/erase", data={"understood": "yes"}).status_code == 404
    assert client.get(f"/gatherings/no-such-event/registrations/{token}/my-data").status_code == 404


# Erasing ---------------------------------------------------------------------------------


def test_the_guest_erases_after_a_tick_and_the_question_then_the_link_says_so(
    app: Flask,
    client: FlaskClient,
    gathering: dict[str, Any],
    door: dict[str, str],
    clock: FakeClock,
) -> None:
    rid, link = registered(client)
    checked_in(app, client, door, rid, clock())
    form = client.get(f"{link}/erase")
    assert form.status_code == 200
    text = form.get_data(as_text=True)
    assert "(1 so far)" in text  # the check-in that stays
    csrf = csrf_of(text)
    untick = client.post(f"{link}/erase", data={"csrf_token": csrf})
    assert untick.status_code == 422
    assert "Please tick the box" in untick.get_data(as_text=True)
    expired = client.post(f"{link}/erase", data={"csrf_token": "forged", "understood": "yes"})
    assert expired.status_code == 400
    asked = client.post(f"{link}/erase", data={"csrf_token": csrf, "understood": "yes"})
    assert asked.status_code == 200
    assert 'id="confirm-yes"' in asked.get_data(as_text=True)
    registration = services_of(app).box_office.registration(uuid.UUID(rid))
    assert not registration.erased  # asked, not done
    done = client.post(
        f"{link}/erase", data={"csrf_token": csrf, "understood": "yes", "confirm": "yes"}
    )
    assert done.status_code == 303
    after = client.get(done.headers["Location"])
    assert after.status_code == 410
    page = after.get_data(as_text=True)
    assert "Your data were erased" in page
    assert "Done: your personal data are erased." in page
    assert 'id="badge"' not in page
    assert "Guest Number 7" not in page
    registration = services_of(app).box_office.registration(uuid.UUID(rid))
    assert registration.erased
    history = services_of(app).box_office.history(registration.id)
    assert (history[-1].type, history[-1].actor, history[-1].data["reason"]) == (
        "PersonalDataErased",
        "guest",
        "guest's request",
    )
    for path in ("/my-data", "/my-data.json", "/erase"):
        gone = client.get(link + path)
        assert gone.status_code == 410
        assert "had already been erased" in gone.get_data(as_text=True)
    badge = client.get(f"/api/v1/confirmations/{link.rsplit('/', 1)[1]}/badge.png")
    assert (badge.status_code, badge.json["error"]["code"]) == (409, "already_erased")


def test_erasing_twice_says_so_without_an_error(
    app: Flask, client: FlaskClient, gathering: dict[str, Any]
) -> None:
    _, link = registered(client)
    csrf = csrf_of(client.get(f"{link}/erase").get_data(as_text=True))
    data = {"csrf_token": csrf, "understood": "yes", "confirm": "yes"}
    assert client.post(f"{link}/erase", data=data).status_code == 303
    again = client.post(f"{link}/erase", data=data)  # a second tab, a double click
    assert again.status_code == 410
    assert "had already been erased" in again.get_data(as_text=True)


@pytest.mark.parametrize("accept", LANGUAGES)
def test_the_erase_pages_read_in_each_language(
    client: FlaskClient, gathering: dict[str, Any], accept: str
) -> None:
    _, link = registered(client)
    headers = {"Accept-Language": accept}
    form = client.get(f"{link}/erase", headers=headers).get_data(as_text=True)
    csrf = csrf_of(form)
    asked = client.post(
        f"{link}/erase", data={"csrf_token": csrf, "understood": "yes"}, headers=headers
    ).get_data(as_text=True)
    done = client.post(
        f"{link}/erase",
        data={"csrf_token": csrf, "understood": "yes", "confirm": "yes"},
        headers=headers,
    )
    erased = client.get(done.headers["Location"], headers=headers).get_data(as_text=True)
    english = ("Erase my data", "Yes, erase my data", "Your data were erased")
    for page, words in zip((form, asked, erased), english, strict=True):
        assert (words in page) == (accept == "en"), (accept, words)


def test_erase_posts_are_rate_limited_per_address(
    database_url: str, clock: FakeClock, gathering: dict[str, Any], client: FlaskClient
) -> None:
    from tests.rate_limit_helpers import apps as limited_apps
    from tests.rate_limit_helpers import from_address, retry_after

    _, link = registered(client)
    with limited_apps(database_url, clock, count=1, RATELIMIT_GUEST_ERASURES="2/minute") as made:
        prober = from_address(made[0].test_client(), "203.0.113.7")
        for _ in range(2):  # no tick: refused, nothing done, but counted
            assert prober.post(f"{link}/erase", data={"understood": "yes"}).status_code == 400
        assert retry_after(prober.post(f"{link}/erase", data={})) >= 1
        other = from_address(made[0].test_client(), "203.0.113.8")
        assert other.post(f"{link}/erase", data={}).status_code == 400  # its own count


def test_an_invitees_export_holds_the_invitation_and_the_companion_theirs_the_host(
    app: Flask, client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    from tests.pages.test_invitation_pages import accepted_page, invite

    confirmation = accepted_page(client, invite(client, organiser))
    services_of(app).outbox.catch_up()
    data = json.loads(client.get(f"{confirmation}/my-data.json").get_data(as_text=True))
    assert data["details"]["full_name"] == "Wang Xiaoming"
    assert data["invitation"]["state"] == "accepted"
    assert data["invitation"]["companions_allowed"] == 1
    assert [(c["full_name"], c["role"]) for c in data["companions"]] == [("Li Aide", "aide")]
    assert "invitation" in [mail["kind"] for mail in data["mails"]]  # the invitation's mail
    companion_id = data["companions"][0]["registration_id"]
    token = confirmation_token(app.secret_key, uuid.UUID(companion_id))  # type: ignore[arg-type]
    companion_link = f"/gatherings/{SLUG}/registrations/{token}"
    theirs = json.loads(client.get(f"{companion_link}/my-data.json").get_data(as_text=True))
    assert theirs["accompanies"]["full_name"] == "Wang Xiaoming"
    assert theirs["invitation"] is None
    page = client.get(f"{confirmation}/my-data").get_data(as_text=True)
    assert 'id="held-invitation"' in page
    assert "Li Aide (aide)" in page
