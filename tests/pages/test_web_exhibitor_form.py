"""The guest form's firm select for exhibitor staff, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import SLUG, services_of
from tests.pages.test_web_form import csrf_of, form_data, page_of
from tests.planning_helpers import (
    act,
    apply_firm,
    create_gathering,
    define_slot,
    exhibition_version,
    exhibitor,
    placed_firm,
    staff_code,
    stored_count,
)

FORM = f"/gatherings/{SLUG}/register"


@pytest.fixture
def firms(client: FlaskClient, organiser: dict[str, str]) -> dict[str, Any]:
    """A gathering with exhibitors: a confirmed, an allocated, an applied and a withdrawn firm."""
    create_gathering(client, organiser)
    for code in ("A01", "B07", "C01"):
        define_slot(client, organiser, code)
    confirmed = placed_firm(client, organiser, "B07", "Force Sense Robotics", staff_quota=1)
    assert act(client, organiser, confirmed["id"], "confirm").status_code == 200
    allocated = placed_firm(client, organiser, "A01", "Sandbar Vision", name_zh="沙洲視覺")
    applied = apply_firm(client, organiser, "Lion Rock Imaging", name_zh="獅子山醫學影像")
    withdrawn = placed_firm(client, organiser, "C01", "Gone Robotics", name_zh="已退出")
    assert act(client, organiser, withdrawn["id"], "withdraw").status_code == 200
    return {"confirmed": confirmed, "allocated": allocated, "applied": applied, "gone": withdrawn}


def options(html: str) -> dict[str, str]:
    """Return the firm select's options: value -> text."""
    select = re.search(r'<select id="firm_id".*?</select>', html, re.S)
    assert select, "no firm select on the page"
    found = re.findall(r'<option value="([^"]*)"([^>]*)>(.*?)</option>', select.group(0), re.S)
    return {value: " ".join(text.split()) for value, _, text in found}


def submit(client: FlaskClient, n: int = 1, **overrides: Any) -> Any:
    token = csrf_of(client.get(FORM))
    return client.post(FORM, data={**form_data(n, **overrides), "csrf_token": token})


def test_the_form_offers_placed_firms_with_both_names(
    client: FlaskClient, firms: dict[str, Any]
) -> None:
    html = client.get(FORM).get_data(as_text=True)
    offered = options(html)
    assert set(offered) == {"", firms["confirmed"]["id"], firms["allocated"]["id"]}
    assert offered[firms["allocated"]["id"]] == "Sandbar Vision 沙洲視覺 · A01"
    assert offered[firms["confirmed"]["id"]] == "Force Sense Robotics 力感機器人 · B07"
    assert "Exhibiting firm" in page_of(client.get(FORM)).text("label:firm_id")
    in_chinese = client.get(FORM, headers={"Accept-Language": "zh-HK"})
    assert "參展企業" in page_of(in_chinese).text("label:firm_id")


def test_exhibitor_staff_register_with_their_firm(
    app: Flask, client: FlaskClient, firms: dict[str, Any]
) -> None:
    firm_id = firms["allocated"]["id"]
    code = staff_code(app, firm_id)
    response = submit(client, category="exhibitor", firm_id=firm_id, staff_code=code)
    assert response.status_code == 303, response.get_data(as_text=True)
    exhibition = services_of(app).planning.exhibition(SLUG)
    assert len(exhibition.staff_of(UUID(firms["allocated"]["id"]))) == 1


def test_a_full_firm_is_shown_but_not_offered(client: FlaskClient, firms: dict[str, Any]) -> None:
    assert exhibitor(client, 50, firms["confirmed"]["id"]).status_code == 201
    html = client.get(FORM, headers={"Accept-Language": "zh-HK"}).get_data(as_text=True)
    option = re.search(
        rf'<option value="{firms["confirmed"]["id"]}"([^>]*)>(.*?)</option>', html, re.S
    )
    assert option
    assert "disabled" in option.group(1)
    assert "名額已滿" in option.group(2)


@pytest.mark.parametrize(
    ("firm", "status", "message"),
    [
        ("", 422, "請選擇您所屬的參展企業"),
        ("not-a-firm", 422, "請從列表中選擇"),
        ("applied", 409, "目前不能登記參展人員"),
        ("gone", 409, "目前不能登記參展人員"),
        ("full", 409, "名額已滿"),
    ],
)
def test_a_missing_or_invalid_firm_re_renders_the_form_with_an_inline_message(
    app: Flask, client: FlaskClient, firms: dict[str, Any], firm: str, status: int, message: str
) -> None:
    client.get(f"{FORM}?lang=zh-HK")  # the guest chose Traditional Chinese: it is remembered
    code = ""
    if firm == "full":
        assert exhibitor(client, 50, firms["confirmed"]["id"]).status_code == 201
        firm = firms["confirmed"]["id"]
        code = staff_code(app, firm)
    elif firm in firms:
        firm = firms[firm]["id"]
    submissions, version = stored_count(app, "Registration.Submitted"), exhibition_version(app)

    response = submit(
        client, 1, category="exhibitor", firm_id=firm, staff_code=code, full_name="Yu Ka Chun"
    )

    assert response.status_code == status
    page = page_of(response)
    assert message in page.text("firm_id-error")
    assert page.attrs["firm_id"].get("aria-invalid") == "true"
    assert page.values["full_name"] == "Yu Ka Chun"
    assert page.values["category"] == "exhibitor"
    assert stored_count(app, "Registration.Submitted") == submissions
    assert exhibition_version(app) == version


def test_other_guests_choice_of_firm_is_ignored(
    app: Flask, client: FlaskClient, firms: dict[str, Any]
) -> None:
    response = submit(client, category="guest", firm_id=firms["allocated"]["id"])
    assert response.status_code == 303
    exhibition = services_of(app).planning.exhibition(SLUG)
    assert exhibition.staff_of(UUID(firms["allocated"]["id"])) == []


def test_a_gathering_without_exhibitors_has_no_firm_select(
    client: FlaskClient, gathering: dict[str, Any]
) -> None:
    html = client.get(FORM).get_data(as_text=True)
    assert 'id="firm_id"' not in html
    assert submit(client).status_code == 303
