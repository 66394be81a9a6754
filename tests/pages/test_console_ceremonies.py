"""The console's ceremony pages: list, plan, edit, items, ready, signing, locked, history."""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import SLUG
from tests.console_helpers import csrf_from
from tests.planning_helpers import (
    CEREMONIES,
    add_item,
    plan_ceremony,
    second_organiser,
    stored_events,
)

LIST = f"/organiser/gatherings/{SLUG}/ceremonies"


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def page_of(ceremony: dict[str, Any]) -> str:
    return f"{LIST}/{ceremony['id']}"


def open_page(console: FlaskClient, page: str) -> tuple[str, str, str]:
    """Open a page; return its text, CSRF token and the version its forms carry."""
    response = console.get(page)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', text)
    return text, csrf_from(text), version.group(1) if version else ""


def post(console: FlaskClient, page: str, path: str, **fields: Any) -> Any:
    """Open `page`, then post `fields` to page + path with its CSRF token and version."""
    _, token, version = open_page(console, page)
    return console.post(page + path, data={"csrf_token": token, "version": version, **fields})


def details(**changes: str) -> dict[str, str]:
    fields = {
        "title_en": "Tenant enterprise signing ceremony",
        "title_zh": "入駐企業簽約儀式",
        "starts_at": "2026-03-02T10:50",
        "location": "Main stage 主會場",
    }
    fields.update(changes)
    return fields


def item_form(reference: str = "SAMPLE-TA-002", **changes: str) -> dict[str, str]:
    fields = {
        "reference": reference,
        "title_en": "Tenancy agreement: Bright Lab",
        "title_zh": "入駐協議：明光實驗室",
        "parties": "Hong Kong Science and Technology Parks Corporation\nBright Lab 明光實驗室\n",
        "clauses": "1. Premises: office B-405.\n\n2. Term: three years.",
        "people-0-name_en": "Chan Tai Man",
        "people-0-name_zh": "陳大文",
        "people-0-title": "Head of Park Operations",
        "people-0-organisation": "Hong Kong Science and Technology Parks Corporation",
        "people-0-registration_id": "",
        "people-1-name_en": "",
        "people-1-name_zh": "",
        "people-1-title": "",
        "people-1-organisation": "",
        "people-1-registration_id": "",
    }
    fields.update(changes)
    return fields


def state_of(console: FlaskClient, ceremony: dict[str, Any], organiser: dict[str, str]) -> Any:
    return console.get(f"{CEREMONIES}/{ceremony['id']}", headers=organiser).json


def test_the_list_shows_ceremonies_by_time_with_their_state(
    console: FlaskClient, organiser: dict[str, str], gathering: Any
) -> None:
    later = plan_ceremony(
        console,
        organiser,
        title_en="Award presentation",
        kind="award",
        starts_at="2026-03-02T11:30:00+08:00",
    )
    earlier = plan_ceremony(console, organiser)

    text, _, _ = open_page(console, LIST)

    assert text.index(earlier["id"]) < text.index(later["id"])
    assert "Monday 2 March 2026, 10:50" in text  # in the gathering's zone (Asia/Shanghai)
    assert '<span class="pill planned">Planned</span>' in text
    assert '<td class="kind">Award</td>' in text
    assert "籌備中" not in text
    chinese = console.get(LIST, headers={"Accept-Language": "zh-HK"}).get_data(as_text=True)
    assert "2026年3月2日（星期一）10:50" in chinese
    assert '<span class="pill planned">籌備中</span>' in chinese
    assert '<td class="kind">頒授</td>' in chinese
    assert "Planned" not in chinese
    simplified = console.get(LIST, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert '<span class="pill planned">筹备中</span>' in simplified


def test_plan_a_ceremony_from_the_page_and_an_empty_title_is_named(
    app: Flask, console: FlaskClient, organiser: dict[str, str], gathering: Any
) -> None:
    refused = post(
        console,
        LIST,
        "",
        kind="pledge",
        title_zh="承諾儀式",
        title_en="  ",
        starts_at="2026-03-02T12:00",
        location="Hall",
    )
    assert refused.status_code == 422
    text = html.unescape(refused.get_data(as_text=True))
    assert re.search(r'id="plan-title_en-error">must not be empty', text)
    assert 'value="承諾儀式"' in text
    assert 'value="2026-03-02T12:00"' in text
    assert console.get(CEREMONIES, headers=organiser).json["items"] == []

    outside = post(console, LIST, "", **details(starts_at="2026-03-03T12:00"), kind="signing")
    assert outside.status_code == 422
    assert 'id="plan-starts_at-error"' in outside.get_data(as_text=True)

    planned = post(console, LIST, "", **details(), kind="signing")
    assert planned.status_code == 303
    [ceremony] = console.get(CEREMONIES, headers=organiser).json["items"]
    assert planned.headers["Location"].endswith(f"/ceremonies/{ceremony['id']}")
    assert instant(ceremony["starts_at"]) == instant("2026-03-02T02:50:00+00:00")
    assert ceremony["location"] == "Main stage 主會場"


def test_edit_mark_ready_sign_then_editing_is_refused_as_locked(
    app: Flask, console: FlaskClient, organiser: dict[str, str], gathering: Any
) -> None:
    ceremony = plan_ceremony(console, organiser)
    page = page_of(ceremony)

    edited = post(
        console,
        page,
        "",
        **details(title_en="Signing ceremony of tenants", starts_at="2026-03-02T11:05"),
    )
    assert edited.status_code == 303
    body = state_of(console, ceremony, organiser)
    assert body["title_en"] == "Signing ceremony of tenants"
    assert instant(body["starts_at"]) == instant("2026-03-02T03:05:00+00:00")

    added = post(console, page, "/items", **item_form())
    assert added.status_code == 303
    [item] = state_of(console, ceremony, organiser)["items"]
    assert item["parties"] == [
        "Hong Kong Science and Technology Parks Corporation",
        "Bright Lab 明光實驗室",
    ]
    assert item["clauses"] == ["1. Premises: office B-405.", "2. Term: three years."]
    assert [p["name_zh"] for p in item["people"]] == ["陳大文"]

    ready = post(console, page, "/ready")
    assert ready.status_code == 303
    assert state_of(console, ceremony, organiser)["state"] == "ready"

    signed = post(console, page, "/complete", happened_at="2026-03-02T11:20", confirm="yes")
    assert signed.status_code == 303
    body = state_of(console, ceremony, organiser)
    assert body["state"] == "signed"
    assert instant(body["completed_at"]) == instant("2026-03-02T03:20:00+00:00")
    assert body["completed_by"] == "organiser:olivia"

    text, token, version = open_page(console, page)
    assert 'id="locked"' in text
    assert "Locked" in text
    assert "Save details" not in text
    assert "Add item" not in text
    history = html.unescape(text)
    assert "documents approved: ready" in history
    assert "Signed at Monday 2 March 2026, 11:20" in history
    chinese = html.unescape(
        console.get(page, headers={"Accept-Language": "zh-HK"}).get_data(as_text=True)
    )
    assert "2026年3月2日（星期一）11:20 已簽署" in chinese
    assert "文件已核准：已就緒" in chinese
    assert "已鎖定：organiser:olivia 於 2026年3月2日（星期一）11:20 記錄為已簽署" in chinese
    assert "organiser:olivia" in history

    before = stored_events(app, ceremony["id"])
    locked = console.post(
        page, data={"csrf_token": token, "version": version, **details(title_en="Too late")}
    )
    assert locked.status_code == 422
    assert "this ceremony is signed: its documents cannot change" in locked.get_data(as_text=True)
    refused_item = console.post(
        page + "/items", data={"csrf_token": token, "version": version, **item_form("X-1")}
    )
    assert refused_item.status_code == 422
    assert stored_events(app, ceremony["id"]) == before
    assert state_of(console, ceremony, organiser)["title_en"] == "Signing ceremony of tenants"


def test_mark_ready_is_refused_with_the_reason_when_an_item_has_no_text(
    app: Flask, console: FlaskClient, organiser: dict[str, str], gathering: Any
) -> None:
    ceremony = plan_ceremony(console, organiser)
    add_item(console, organiser, ceremony["id"], clauses=[])
    before = stored_events(app, ceremony["id"])

    refused = post(console, page_of(ceremony), "/ready")

    assert refused.status_code == 303
    text = console.get(page_of(ceremony)).get_data(as_text=True)
    assert "item SAMPLE-TA-001 has no text (clauses)" in text
    assert stored_events(app, ceremony["id"]) == before


def test_items_are_edited_reordered_and_removed_from_the_page(
    console: FlaskClient, organiser: dict[str, str], gathering: Any
) -> None:
    ceremony = plan_ceremony(console, organiser)
    first = add_item(console, organiser, ceremony["id"], reference="A-1")["item_id"]
    second = add_item(console, organiser, ceremony["id"], reference="A-2")["item_id"]
    page = page_of(ceremony)

    changed = post(
        console,
        page,
        f"/items/{first}",
        **item_form(
            "A-1",
            title_en="Renamed agreement",
            **{"people-1-name_en": "Lam Wing Hei", "people-1-organisation": "Bright Lab"},
        ),
    )
    assert changed.status_code == 303
    items = state_of(console, ceremony, organiser)["items"]
    assert items[0]["title_en"] == "Renamed agreement"
    assert [p["name_en"] for p in items[0]["people"]] == ["Chan Tai Man", "Lam Wing Hei"]

    duplicate = post(console, page, f"/items/{second}", **item_form("A-1"))
    assert duplicate.status_code == 422
    text = html.unescape(duplicate.get_data(as_text=True))
    assert "reference 'A-1' is used already" in text
    assert re.search(r"<details open>", text)

    moved = post(console, page, f"/items/{second}/move", direction="up")
    assert moved.status_code == 303
    assert [i["id"] for i in state_of(console, ceremony, organiser)["items"]] == [second, first]

    removed = post(console, page, f"/items/{first}/remove")
    assert removed.status_code == 303
    assert [i["id"] for i in state_of(console, ceremony, organiser)["items"]] == [second]
    words = html.unescape(console.get(page).get_data(as_text=True))
    assert "items put in a new order" in words
    assert f"item {first} removed" in words


def test_an_invalid_item_form_is_shown_again_with_the_fields_named(
    app: Flask, console: FlaskClient, organiser: dict[str, str], gathering: Any
) -> None:
    ceremony = plan_ceremony(console, organiser)
    before = stored_events(app, ceremony["id"])

    refused = post(
        console,
        page_of(ceremony),
        "/items",
        **item_form("", **{"people-0-organisation": "", "people-0-registration_id": "nope"}),
    )

    assert refused.status_code == 422
    text = html.unescape(refused.get_data(as_text=True))
    assert 'id="new-reference-error">must not be empty' in text
    assert "row 1: Organisation: must not be empty" in text
    assert "row 1: Registration id: not a valid id" in text
    _, token, version = open_page(console, page_of(ceremony))
    chinese = console.post(
        page_of(ceremony) + "/items",
        data={
            "csrf_token": token,
            "version": version,
            **item_form("", **{"people-0-organisation": ""}),
        },
        headers={"Accept-Language": "zh-HK"},
    )
    assert chinese.status_code == 422
    said = html.unescape(chinese.get_data(as_text=True))
    assert 'id="new-reference-error">不可留空' in said
    assert "第 1 行：機構：不可留空" in said
    assert "請修正下列欄位，未有作出任何更改。" in said
    assert "must not be empty" not in said
    assert 'value="Tenancy agreement: Bright Lab"' in text  # typed values kept
    assert stored_events(app, ceremony["id"]) == before


def test_bad_time_is_named_and_a_stale_form_is_refused(
    app: Flask, console: FlaskClient, organiser: dict[str, str], gathering: Any
) -> None:
    ceremony = plan_ceremony(console, organiser)
    page = page_of(ceremony)

    bad = post(console, page, "", **details(starts_at="tomorrow-ish"))
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert 'id="details-starts_at-error"' in text
    assert "enter a date and time" in text
    assert 'value="tomorrow-ish"' in text

    _, token, seen = open_page(console, page)
    bob = second_organiser(app)
    add_item(console, bob, ceremony["id"])
    before = stored_events(app, ceremony["id"])
    stale = console.post(
        page, data={"csrf_token": token, "version": seen, **details(title_en="Mine")}
    )
    assert stale.status_code == 303
    assert stored_events(app, ceremony["id"]) == before
    text = console.get(page).get_data(as_text=True)
    assert "Nothing was changed" in text
    assert "organiser:bob" in text


def test_withdraw_and_unknown_ids(
    app: Flask, console: FlaskClient, organiser: dict[str, str], gathering: Any
) -> None:
    ceremony = plan_ceremony(console, organiser)
    page = page_of(ceremony)
    assert console.get(f"{LIST}/not-a-uuid").status_code == 404
    assert console.get(f"{LIST}/{'0' * 32}").status_code == 404
    assert post(console, page, "/items/nope/remove").status_code == 404
    assert post(console, page, "/items/nope").status_code == 404

    no_csrf = console.post(page + "/withdraw", data={"reason": "x"})
    assert no_csrf.status_code == 400
    assert state_of(console, ceremony, organiser)["state"] == "planned"

    withdrawn = post(console, page, "/withdraw", reason="Minister unavailable")
    assert withdrawn.status_code == 303
    assert state_of(console, ceremony, organiser)["state"] == "withdrawn"
    words = html.unescape(console.get(page).get_data(as_text=True))
    assert "withdrawn: Minister unavailable" in words
    assert "Mark ready" not in words
