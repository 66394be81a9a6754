"""Exhibitor staff are vouched for by their firm's staff code, or wait for approval.

Through the guest form, the API and the console, on SQLite and PostgreSQL (every test runs
on both stores).
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import unquote, urlsplit
from uuid import UUID, uuid4

import pytest
from flask import Flask
from flask.testing import FlaskClient

from events_app.services.staff_codes import StaffCodes, normalised
from tests.conftest import SLUG, services_of
from tests.console_helpers import csrf_from
from tests.pages.test_ask_first import question_form
from tests.pages.test_web_form import page_of, submit
from tests.planning_helpers import (
    create_gathering,
    define_slot,
    exhibition_version,
    exhibitor,
    placed_firm,
    staff_code,
    stored_count,
)

CONSOLE = f"/organiser/gatherings/{SLUG}/exhibition"


@pytest.fixture
def firm(client: FlaskClient, organiser: dict[str, str]) -> dict[str, Any]:
    """A gathering with one allocated firm whose quota is one staff badge."""
    create_gathering(client, organiser)
    define_slot(client, organiser, "B07")
    return dict(
        placed_firm(
            client,
            organiser,
            "B07",
            "Force Sense Robotics",
            staff_quota=1,
            contact_email="events@forcesense.example",
        )
    )


def staff(app: Flask, firm: dict[str, Any]) -> list[UUID]:
    return list(services_of(app).planning.exhibition(SLUG).staff_of(UUID(firm["id"])))


def state_of(app: Flask, registration_id: str) -> str:
    return str(services_of(app).box_office.registration(UUID(registration_id)).state.value)


def approve(client: FlaskClient, organiser: dict[str, str], registration_id: str) -> Any:
    return client.post(
        f"/api/v1/registrations/{registration_id}/approve", json={}, headers=organiser
    )


def renew(app: Flask, firm: dict[str, Any]) -> None:
    services_of(app).planning.renew_staff_code(SLUG, UUID(firm["id"]), "organiser:test")


# The rule --------------------------------------------------------------------------------


def test_an_exhibitor_registration_without_the_firm_s_code_does_not_get_a_staff_badge(
    app: Flask, client: FlaskClient, organiser: dict[str, str], firm: dict[str, Any]
) -> None:
    stranger = submit(client, 1, category="exhibitor", firm_id=firm["id"], staff_code="")
    assert stranger.status_code == 303
    waiting = client.get(stranger.headers["Location"])
    assert page_of(waiting).attrs["state"]["data-state"] == "pending"
    assert "awaiting approval" in page_of(waiting).text("state")
    assert staff(app, firm) == []

    by_api = exhibitor(client, 2, firm["id"], staff_code="")
    assert by_api.status_code == 201
    assert by_api.json["state"] == "pending"
    assert staff(app, firm) == []

    insider = exhibitor(client, 3, firm["id"])  # with the code: the one badge
    assert insider.status_code == 201
    assert insider.json["state"] == "confirmed"
    assert staff(app, firm) == [UUID(insider.json["id"])]


def test_strangers_never_use_up_the_quota_and_approval_takes_a_badge_within_it(
    app: Flask, client: FlaskClient, organiser: dict[str, str], firm: dict[str, Any]
) -> None:
    strangers = [exhibitor(client, n, firm["id"], staff_code="").json for n in range(1, 6)]
    assert {s["state"] for s in strangers} == {"pending"}
    assert staff(app, firm) == []

    approved = approve(client, organiser, strangers[0]["id"])
    assert approved.status_code == 200
    assert approved.json["state"] == "confirmed"
    assert staff(app, firm) == [UUID(strangers[0]["id"])]

    full = approve(client, organiser, strangers[1]["id"])
    assert full.status_code == 409
    assert full.json["error"]["code"] == "staff_quota_exceeded"
    assert state_of(app, strangers[1]["id"]) == "pending"
    assert exhibitor(client, 9, firm["id"]).json["error"]["code"] == "staff_quota_exceeded"

    rejected = client.post(
        f"/api/v1/registrations/{strangers[2]['id']}/reject", json={}, headers=organiser
    )
    assert rejected.status_code == 200
    exhibition = services_of(app).planning.exhibition(SLUG)
    assert UUID(strangers[2]["id"]) not in exhibition.requests_of(UUID(firm["id"]))


# The guest form --------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["wrong", "renewed"])
def test_a_wrong_or_renewed_code_re_renders_the_form_and_writes_nothing(
    app: Flask, client: FlaskClient, firm: dict[str, Any], case: str
) -> None:
    typed = "ABCDE-FGHJK"
    if case == "renewed":
        typed = staff_code(app, firm["id"])
        renew(app, firm)
    submissions, version = stored_count(app, "Registration.Submitted"), exhibition_version(app)

    response = submit(
        client, 1, category="exhibitor", firm_id=firm["id"], staff_code=typed, full_name="Yu Ka"
    )

    assert response.status_code == 422
    page = page_of(response)
    message = page.text("staff_code-error")
    assert "This staff code is not valid for Force Sense Robotics 力感機器人" in message
    client.get(f"/gatherings/{SLUG}/register?lang=zh-HK")  # the guest switches to Chinese
    again = submit(
        client, 1, category="exhibitor", firm_id=firm["id"], staff_code=typed, full_name="Yu Ka"
    )
    assert "此人員代碼對 力感機器人 Force Sense Robotics 無效" in page_of(again).text(
        "staff_code-error"
    )
    assert page.attrs["staff_code"].get("aria-invalid") == "true"
    assert page.values["full_name"] == "Yu Ka"
    assert page.values["staff_code"] == typed
    assert stored_count(app, "Registration.Submitted") == submissions
    assert exhibition_version(app) == version


def test_the_firm_s_link_pre_fills_the_form_and_registers_with_a_badge(
    app: Flask, client: FlaskClient, firm: dict[str, Any]
) -> None:
    code = staff_code(app, firm["id"])
    form = client.get(f"/gatherings/{SLUG}/register?firm={firm['id']}&code={code}")
    assert form.status_code == 200
    page = page_of(form)
    assert page.values["staff_code"] == code
    assert page.values["category"] == "exhibitor"
    assert page.values["firm_id"] == firm["id"]
    assert "Staff code from your firm" in page.text("label:staff_code")
    link = f"/gatherings/{SLUG}/register?firm={firm['id']}&code={code}"
    in_chinese = page_of(client.get(link, headers={"Accept-Language": "zh-HK"}))
    assert "企業提供的人員代碼" in in_chinese.text("label:staff_code")

    typed = " " + code.lower().replace("-", " ") + " "  # forgiving about case and spaces
    response = submit(client, 1, category="exhibitor", firm_id=firm["id"], staff_code=typed)
    assert response.status_code == 303
    assert len(staff(app, firm)) == 1


# The API ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "status", "state"),
    [("right", 201, "confirmed"), ("", 201, "pending"), ("wrong", 422, None), ("old", 422, None)],
)
def test_the_api_follows_the_same_rules(
    app: Flask, client: FlaskClient, firm: dict[str, Any], code: str, status: int, state: str
) -> None:
    typed = {"right": None, "": "", "wrong": "0000000000"}.get(code)
    if code == "old":
        typed = staff_code(app, firm["id"])
        renew(app, firm)
    fields = {} if typed is None else {"staff_code": typed}
    submissions = stored_count(app, "Registration.Submitted")

    response = exhibitor(client, 1, firm["id"], **fields)

    assert response.status_code == status, response.json
    if state is not None:
        assert response.json["state"] == state
        assert len(staff(app, firm)) == (1 if state == "confirmed" else 0)
        return
    error = response.json["error"]
    assert (error["code"], error["field"]) == ("staff_code_invalid", "staff_code")
    assert "not valid for Force Sense Robotics" in error["message"]
    assert stored_count(app, "Registration.Submitted") == submissions


# The console -----------------------------------------------------------------------------


def test_the_console_shows_the_code_and_renewing_it_asks_first_and_stops_the_old_one(
    app: Flask, client: FlaskClient, console: FlaskClient, firm: dict[str, Any]
) -> None:
    old = staff_code(app, firm["id"])
    text = console.get(CONSOLE).get_data(as_text=True)
    row = re.search(rf'<li id="staff-code-{firm["id"]}">(.*?)</li>', text, re.S)
    assert row
    assert old in row.group(1)
    link = re.search(rf'id="link-{firm["id"]}"', row.group(1))
    assert link
    assert f"/gatherings/{SLUG}/register?firm={firm['id']}&amp;code={old}" in row.group(1)
    mail = re.search(r'href="(mailto:[^"]+)"', row.group(1))
    assert mail
    assert unquote(html.unescape(mail.group(1))).count(old) >= 2
    assert urlsplit(html.unescape(mail.group(1))).path == "events@forcesense.example"

    version = re.search(r'name="version" value="(\d+)"', text)
    assert version
    data = {"csrf_token": csrf_from(text), "version": version.group(1)}
    asked = console.post(f"{CONSOLE}/firms/{firm['id']}/renew-code", data=data)
    assert "The current code and its link stop working at once" in asked.get_data(as_text=True)
    assert staff_code(app, firm["id"]) == old
    action, fields = question_form(asked)
    assert console.post(action, data=fields).status_code == 303

    new = staff_code(app, firm["id"])
    assert new != old
    assert new in console.get(CONSOLE).get_data(as_text=True)
    history = console.get(f"{CONSOLE}/firms/{firm['id']}/history").get_data(as_text=True)
    assert "staff code of Force Sense Robotics 力感機器人 renewed" in html.unescape(history)
    assert exhibitor(client, 1, firm["id"], staff_code=old).status_code == 422
    assert exhibitor(client, 2, firm["id"], staff_code=new).json["state"] == "confirmed"


def test_withdrawing_a_firm_cancels_the_staff_waiting_for_its_badges(
    app: Flask, client: FlaskClient, organiser: dict[str, str], firm: dict[str, Any]
) -> None:
    waiting = exhibitor(client, 1, firm["id"], staff_code="").json
    withdrawn = client.post(
        f"/api/v1/gatherings/{SLUG}/exhibition/firms/{firm['id']}/withdraw",
        json={},
        headers=organiser,
    )
    assert withdrawn.status_code == 200
    assert state_of(app, waiting["id"]) == "cancelled"


# The codes themselves --------------------------------------------------------------------


def test_codes_depend_on_the_firm_the_generation_and_the_secret() -> None:
    firm_id = uuid4()
    codes = StaffCodes("secret")
    code = codes.code_for(firm_id, 1)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}", code)
    assert code == StaffCodes("secret").code_for(firm_id, 1)
    assert code != codes.code_for(firm_id, 2)
    assert code != codes.code_for(uuid4(), 1)
    assert code != StaffCodes("other").code_for(firm_id, 1)
    assert codes.check(firm_id, 1, code.lower().replace("-", "")) is True
    assert codes.check(firm_id, 2, code) is False
    assert codes.check(firm_id, 1, "  ") is None
    assert codes.check(firm_id, 1, None) is None
    assert normalised("o1l-i") == "0111"


def test_the_api_reads_and_renews_a_firm_s_code(
    app: Flask, client: FlaskClient, organiser: dict[str, str], firm: dict[str, Any]
) -> None:
    path = f"/api/v1/gatherings/{SLUG}/exhibition/firms/{firm['id']}/staff-code"
    assert client.get(path).status_code == 401
    shown = client.get(path, headers=organiser)
    assert shown.status_code == 200
    assert shown.json["staff_code"] == staff_code(app, firm["id"])
    assert shown.json["generation"] == 1
    assert shown.json["link"].endswith(
        f"/gatherings/{SLUG}/register?firm={firm['id']}&code={shown.json['staff_code']}"
    )

    renewed = client.post(f"{path}/renew", headers=organiser)
    assert renewed.status_code == 200
    assert renewed.json["generation"] == 2
    assert renewed.json["staff_code"] != shown.json["staff_code"]
    old = exhibitor(client, 1, firm["id"], staff_code=shown.json["staff_code"])
    assert old.json["error"]["code"] == "staff_code_invalid"
    assert (
        exhibitor(client, 2, firm["id"], staff_code=renewed.json["staff_code"]).status_code == 201
    )

    unknown = f"/api/v1/gatherings/{SLUG}/exhibition/firms/{uuid4()}/staff-code"
    assert client.get(unknown, headers=organiser).status_code == 404
    assert client.post(f"{unknown}/renew", headers=organiser).status_code == 404
    paths = client.get("/api/v1/openapi.json").json["paths"]
    documented = paths["/api/v1/gatherings/{slug}/exhibition/firms/{firm_id}/staff-code/renew"]
    assert {"401", "403", "404", "409"} <= set(documented["post"]["responses"])
