"""The console's checkpoints page: add, edit, close and reopen; bad input; CSRF; stale forms."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from domain.gathering import Gathering
from tests.checkin_helpers import badge_token, confirmed_guest, enrol_device, scan_body
from tests.conftest import SLUG, FakeClock, services_of
from tests.console_helpers import csrf_from, sign_in

PAGE = f"/organiser/gatherings/{SLUG}/checkpoints"
DURING = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 at the venue, during the gathering


def form(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "code": "main-entrance",
        "name_en": "Main entrance",
        "name_zh": "正門",
        "categories": ["guest", "vip"],
        "note_vip": "Escort to the front row 請引領至前排",
        "note_guest": "",
        "note_press": "",
        "opens_at": "",
        "closes_at": "",
    }
    fields.update(overrides)
    return fields


def opened(console: FlaskClient, page: str = PAGE) -> tuple[str, str, str]:
    """Return a page's text, its CSRF token and the gathering version its forms carry."""
    text = console.get(page).get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', text)
    assert version, "no version in the page"
    return text, csrf_from(text), version.group(1)


def post(console: FlaskClient, action: str, page: str = PAGE, **fields: Any) -> Any:
    _, token, version = opened(console, page)
    return console.post(action, data={"csrf_token": token, "version": version, **fields})


def stored(app: Flask, code: str = "main-entrance") -> Any:
    return services_of(app).box_office.gathering(SLUG).checkpoint(code)


def gathering_events(app: Flask) -> int:
    return len(list(services_of(app).box_office.events.get(Gathering.create_id(SLUG))))


def words(console: FlaskClient, page: str = PAGE) -> str:
    return html.unescape(console.get(page).get_data(as_text=True))


def test_add_edit_close_and_reopen_a_checkpoint(
    app: Flask,
    console: FlaskClient,
    client: FlaskClient,
    gathering: Any,
    organiser: dict[str, str],
    clock: FakeClock,
) -> None:
    assert "No checkpoint yet" in words(console)
    added = post(console, PAGE, **form())
    assert added.status_code == 303
    checkpoint = stored(app)
    assert (checkpoint.opens_at, checkpoint.closes_at) == (None, None)
    assert checkpoint.categories == ("guest", "vip")
    assert checkpoint.category_notes == {"vip": "Escort to the front row 請引領至前排"}
    listed = words(console)
    assert "Saved checkpoint Main entrance" in listed
    row = re.search(r'<tr id="checkpoint-main-entrance" data-state="open">(.*?)</tr>', listed, re.S)
    assert row, "no row for the checkpoint"
    assert "Monday 2 March 2026, 09:30 <small>(with the event)</small>" in row.group(1)
    assert "13:00 <small>(with the event)</small>" in row.group(1)
    assert "活動" not in listed
    chinese = words(console, PAGE + "?lang=zh-HK")
    row = re.search(
        r'<tr id="checkpoint-main-entrance" data-state="open">(.*?)</tr>', chinese, re.S
    )
    assert row, "no row for the checkpoint"
    assert "2026年3月2日（星期一）09:30 <small>(與活動同步)</small>" in row.group(1)
    assert '<span class="pill">貴賓</span>' in row.group(1)
    assert "新增入口" in chinese
    assert "Add a checkpoint" not in chinese
    console.get(PAGE + "?lang=en")
    assert "Escort to the front row" in row.group(1)

    edit_page = f"{PAGE}/main-entrance/edit"
    edited = post(
        console,
        f"{PAGE}/main-entrance",
        edit_page,
        **form(code="ignored", name_en="Main entrance, Block B", opens_at="2026-03-02T08:45"),
    )
    assert edited.status_code == 303
    checkpoint = stored(app)
    assert checkpoint.name_en == "Main entrance, Block B"
    assert checkpoint.opens_at == datetime(2026, 3, 2, 0, 45, tzinfo=UTC)
    assert checkpoint.closes_at is None
    assert "ignored" not in services_of(app).box_office.gathering(SLUG).checkpoints

    device = enrol_device(client, organiser)
    token = badge_token(app, confirmed_guest(client)["id"])
    closed = post(console, f"{PAGE}/main-entrance/close")
    assert closed.status_code == 303
    assert stored(app).closed
    assert 'data-state="closed"' in words(console)
    assert "Save and reopen" in words(console, edit_page)
    clock.now = DURING
    refused = client.post("/api/v1/scans", json=scan_body(token, DURING), headers=device)
    assert refused.json["status"] == "closed"
    assert "organisers have closed" in refused.json["reason"]

    sign_in(console, "olivia")  # a month later, the console session has expired
    reopened = post(console, f"{PAGE}/main-entrance", edit_page, **form())
    assert reopened.status_code == 303
    assert not stored(app).closed
    welcome = client.post("/api/v1/scans", json=scan_body(token, DURING), headers=device)
    assert welcome.json["status"] == "ok"
    assert welcome.json["guest"]["notes"] == []

    history = words(console, f"{PAGE}/main-entrance/history")
    assert history.count("checkpoint main-entrance defined") == 3
    assert "checkpoint main-entrance closed: it admits no one" in history
    assert "opens Monday 2 March 2026, 08:45" in history
    assert "organiser:olivia" in history
    chinese = words(console, f"{PAGE}/main-entrance/history?lang=zh-CN")
    assert "入口 main-entrance 已关闭：不接待任何人" in chinese
    assert "开放 2026年3月2日（星期一）08:45" in chinese


BAD = [
    ({"name_en": ""}, "name_en", "must not be empty", "不可留空"),
    ({"categories": []}, "categories", "must not be empty", "不可留空"),
    ({"code": "Main Entrance!"}, "code", "lower-case letters", "小寫英文字母"),
    ({"opens_at": "tomorrow"}, "opens_at", "enter a date and time", "請輸入日期及時間"),
    (
        {"opens_at": "2026-03-02T14:00"},
        "opens_at",
        "a checkpoint must close after it opens",
        "關閉時間必須在開放時間之後",
    ),
    ({"opens_at": "2026-03-02T12:00", "closes_at": "2026-03-02T11:00"}, "closes_at", "", ""),
    (
        {"note_press": "not admitted here"},
        "category_notes",
        "Write notes only for the categories this checkpoint admits",
        "只可為此入口接待的類別填寫備註",
    ),
]


def test_bad_input_shows_the_form_again_with_the_values_and_writes_nothing(
    app: Flask, console: FlaskClient, gathering: Any
) -> None:
    post(console, PAGE, **form(code="vip-lounge", categories=["vip"], note_vip=""))
    before = gathering_events(app)
    for overrides, field, english, chinese in BAD:
        for language, message in (("en", english), ("zh-HK", chinese)):
            _, token, version = opened(console)
            answer = console.post(
                PAGE,
                data={
                    "csrf_token": token,
                    "version": version,
                    **form(name_zh="正門甲", **overrides),
                },
                headers={"Accept-Language": language},
            )
            text = html.unescape(answer.get_data(as_text=True))
            assert answer.status_code == 422, (overrides, text)
            assert f'id="new-{field}-error"' in text or 'class="form-errors"' in text
            assert message in text, (overrides, message)
            assert 'value="正門甲"' in text  # what was typed is kept
    taken = post(console, PAGE, **form(code="vip-lounge"))
    assert taken.status_code == 422
    assert "This code is in use already" in html.unescape(taken.get_data(as_text=True))
    _, token, version = opened(console)
    taken = console.post(
        PAGE,
        data={"csrf_token": token, "version": version, **form(code="vip-lounge")},
        headers={"Accept-Language": "zh-HK"},
    )
    assert taken.status_code == 422
    assert "此代碼已被使用" in html.unescape(taken.get_data(as_text=True))
    assert gathering_events(app) == before
    assert console.get(f"{PAGE}/nope/edit").status_code == 404
    assert console.get(f"{PAGE}/nope/history").status_code == 404
    assert post(console, f"{PAGE}/nope/close").status_code == 404
    assert post(console, f"{PAGE}/nope", **form()).status_code == 404
    assert console.get("/organiser/gatherings/no-such/checkpoints").status_code == 404


def test_csrf_and_a_change_made_meanwhile_are_refused(
    app: Flask, console: FlaskClient, client: FlaskClient, gathering: Any, organiser: Any
) -> None:
    post(console, PAGE, **form())
    post(console, PAGE, **form(code="vip-lounge", name_en="VIP lounge", categories=["vip"]))
    _, token, seen = opened(console)
    before = gathering_events(app)
    assert console.post(PAGE, data=form(code="side-door")).status_code == 400
    no_csrf = console.post(f"{PAGE}/main-entrance/close", data={"version": seen})
    assert no_csrf.status_code == 400
    forged = {"csrf_token": "forged", "version": seen}
    assert console.post(f"{PAGE}/main-entrance/close", data=forged).status_code == 400
    assert gathering_events(app) == before

    # another organiser changes the main entrance through the API after the page was opened
    changed = client.put(
        f"/api/v1/gatherings/{SLUG}/checkpoints",
        json={
            "code": "main-entrance",
            "name_en": "Front door",
            "name_zh": "前門",
            "categories": ["guest"],
        },
        headers=organiser,
    )
    assert changed.status_code == 200
    stale = console.post(f"{PAGE}/main-entrance/close", data={"csrf_token": token, "version": seen})
    assert stale.status_code == 303
    assert not stored(app).closed
    text = words(console)
    assert "Nothing was changed" in text
    assert "CheckpointDefined" in text

    # ... which does not stop closing another checkpoint from the same page
    other = console.post(f"{PAGE}/vip-lounge/close", data={"csrf_token": token, "version": seen})
    assert other.status_code == 303
    assert stored(app, "vip-lounge").closed
    assert "Closed VIP lounge" in words(console)


def test_the_devices_page_points_to_the_checkpoints_while_there_are_none(
    console: FlaskClient, gathering: Any
) -> None:
    devices = f"/organiser/gatherings/{SLUG}/devices"
    assert 'id="no-checkpoints"' in console.get(devices).get_data(as_text=True)
    nav = re.search(
        r'<nav class="console-nav".*?</nav>', console.get(PAGE).get_data(as_text=True), re.S
    )
    assert nav, "no console navigation"
    current = re.findall(r'href="([^"]+)"\s+aria-current="page"', nav.group(0))
    assert current == [PAGE]
    post(console, PAGE, **form())
    assert 'id="no-checkpoints"' not in console.get(devices).get_data(as_text=True)
