"""The console's running-order page: items in local time, add, edit, remove, history."""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import SLUG, services_of
from tests.console_helpers import csrf_from
from tests.planning_helpers import (
    AGENDA,
    plan_ceremony,
    schedule,
    second_organiser,
    stored_events,
)

PAGE = f"/organiser/gatherings/{SLUG}/running-order"


def open_page(console: FlaskClient, page: str = PAGE) -> tuple[str, str, str]:
    response = console.get(page)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', text)
    return text, csrf_from(text), version.group(1) if version else ""


def post(console: FlaskClient, path: str, page: str = PAGE, **fields: Any) -> Any:
    _, token, version = open_page(console, page)
    return console.post(PAGE + path, data={"csrf_token": token, "version": version, **fields})


def item_form(start: str = "09:45", end: str = "09:55", **changes: str) -> dict[str, str]:
    fields = {
        "starts_at": f"2026-03-02T{start}",
        "ends_at": f"2026-03-02T{end}",
        "title_en": "Speech by Sun Dong",
        "title_zh": "孫東局長致辭",
        "kind": "speech",
        "location": "Main stage 主會場",
        "speaker_name": "Sun Dong 孫東",
        "speaker_registration_id": "",
        "ceremony_id": "",
        "notes": "",
    }
    fields.update(changes)
    return fields


def agenda(console: FlaskClient, organiser: dict[str, str]) -> list[dict[str, Any]]:
    return list(console.get(AGENDA, headers=organiser).json["items"])


def agenda_events(app: Flask) -> int:
    return stored_events(app, services_of(app).planning.running_order(SLUG).id)


def test_items_show_by_time_in_the_gathering_zone(
    console: FlaskClient, organiser: dict[str, str], gathering: Any
) -> None:
    ceremony = plan_ceremony(console, organiser)
    schedule(
        console,
        organiser,
        "10:50",
        "11:20",
        title_en="Signing",
        kind="ceremony",
        ceremony_id=ceremony["id"],
        speaker_name="",
    )
    schedule(console, organiser, "09:45", "09:55")
    schedule(
        console,
        organiser,
        "09:50",
        "10:30",
        title_en="Showcase tour",
        kind="tour",
        location="Main stage 主會場",
        parallel=True,
        speaker_name="",
    )

    text, _, _ = open_page(console)

    rows = re.findall(r'<tr id="item-[^"]+">(.*?)</tr>', text, re.S)
    assert len(rows) == 3
    assert "<b>09:45–09:55</b>" in rows[0]
    assert '<td class="kind">Speech</td>' in rows[0]
    assert "Monday 2 March 2026" in rows[0]
    assert "選填" not in text
    assert "新增項目" not in text
    assert "Sun Dong 孫東" in rows[0]
    assert "<b>09:50–10:30</b>" in rows[1]
    assert "parallel" in rows[1]
    assert "parallel" not in rows[0]
    assert "<b>10:50–11:20</b>" in rows[2]
    assert f"/ceremonies/{ceremony['id']}" in rows[2]
    chinese = console.get(PAGE, headers={"Accept-Language": "zh-HK"}).get_data(as_text=True)
    rows = re.findall(r'<tr id="item-[^"]+">(.*?)</tr>', chinese, re.S)
    assert '<td class="kind">致辭</td>' in rows[0]
    assert "2026年3月2日（星期一）" in rows[0]
    assert "同步" in rows[1]
    assert "新增項目" in chinese
    assert "Add an item" not in chinese
    simplified = console.get(PAGE, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert '<td class="kind">致辞</td>' in simplified


def test_add_an_item_then_an_overlapping_one_is_refused_naming_the_field(
    app: Flask, console: FlaskClient, organiser: dict[str, str], gathering: Any
) -> None:
    added = post(console, "", **item_form())
    assert added.status_code == 303
    [item] = agenda(console, organiser)
    assert datetime.fromisoformat(item["starts_at"]) == datetime.fromisoformat(
        "2026-03-02T01:45:00+00:00"
    )
    assert "Added to the running order: Speech by Sun Dong" in console.get(PAGE).get_data(
        as_text=True
    )
    before = agenda_events(app)

    overlap = post(console, "", **item_form("09:50", "10:05", title_en="Welcome remarks"))

    assert overlap.status_code == 422
    text = html.unescape(overlap.get_data(as_text=True))
    error = re.search(r'<p class="error" id="new-starts_at-error">(.*?)</p>', text, re.S)
    assert error, "the start time is not named"
    assert "is taken then by 'Speech by Sun Dong'" in error.group(1)
    assert 'value="Welcome remarks"' in text  # typed values kept
    assert 'value="2026-03-02T09:50"' in text
    assert agenda_events(app) == before
    assert len(agenda(console, organiser)) == 1

    parallel = post(console, "", **item_form("09:50", "10:05", title_en="Tour"), parallel="1")
    assert parallel.status_code == 303
    assert len(agenda(console, organiser)) == 2


def test_invalid_values_are_named_and_nothing_is_written(
    app: Flask, console: FlaskClient, organiser: dict[str, str], gathering: Any
) -> None:
    schedule(console, organiser)
    before = agenda_events(app)
    cases = {
        "starts_at": item_form(starts_at="not a time"),
        "ends_at": item_form("10:00", "09:30"),
        "title_en": item_form(title_en=" "),
        "kind": item_form(kind="party"),
        "speaker_registration_id": item_form("11:00", "11:10", speaker_registration_id="x"),
    }
    for field, form in cases.items():
        refused = post(console, "", **form)
        assert refused.status_code == 422, field
        assert f'id="new-{field}-error"' in refused.get_data(as_text=True), field
    outside = post(console, "", **item_form("14:00", "14:30"))
    assert outside.status_code == 422
    assert "must fall within the gathering" in outside.get_data(as_text=True)
    assert agenda_events(app) == before


def test_edit_and_remove_an_item_with_its_history_in_words(
    app: Flask, console: FlaskClient, organiser: dict[str, str], gathering: Any
) -> None:
    item = schedule(console, organiser)
    other = schedule(console, organiser, "10:00", "10:10", title_en="Video")
    edit_page = f"{PAGE}/{item['id']}/edit"
    text, _, _ = open_page(console, edit_page)
    assert 'value="2026-03-02T09:45"' in text  # local time of the gathering

    clash = post(console, f"/{item['id']}", edit_page, **item_form("10:05", "10:20"))
    assert clash.status_code == 422
    assert 'id="edit-starts_at-error"' in clash.get_data(as_text=True)

    changed = post(
        console, f"/{item['id']}", edit_page, **item_form("09:40", "09:58", title_en="Keynote")
    )
    assert changed.status_code == 303
    by_id = {i["id"]: i for i in agenda(console, organiser)}
    assert by_id[item["id"]]["title_en"] == "Keynote"

    removed = post(console, f"/{other['id']}/remove")
    assert removed.status_code == 303
    assert [i["id"] for i in agenda(console, organiser)] == [item["id"]]

    words = html.unescape(console.get(f"{PAGE}/{item['id']}/history").get_data(as_text=True))
    assert "scheduled: Speech by Sun Dong in Main stage 主會場" in words
    assert "item Keynote changed" in words
    chinese = console.get(f"{PAGE}/{item['id']}/history", headers={"Accept-Language": "zh-HK"})
    said = html.unescape(chinese.get_data(as_text=True))
    assert "已安排：Speech by Sun Dong（Main stage 主會場）" in said
    assert "已更改項目 Keynote" in said
    assert "記錄：Keynote" in said
    assert "organiser:olivia" in words
    gone = html.unescape(console.get(f"{PAGE}/{other['id']}/history").get_data(as_text=True))
    assert f"item {other['id']} removed" in gone


def test_stale_forms_csrf_and_unknown_items(
    app: Flask, console: FlaskClient, organiser: dict[str, str], gathering: Any
) -> None:
    item = schedule(console, organiser)
    _, token, seen = open_page(console)
    schedule(console, second_organiser(app), "11:00", "11:10", title_en="Bob's item")
    before = agenda_events(app)

    stale = console.post(
        PAGE, data={"csrf_token": token, "version": seen, **item_form("12:00", "12:10")}
    )
    assert stale.status_code == 303
    assert agenda_events(app) == before
    text = console.get(PAGE).get_data(as_text=True)
    assert "Nothing was changed" in text
    assert "organiser:bob" in text

    no_csrf = console.post(PAGE, data=item_form("12:00", "12:10"))
    assert no_csrf.status_code == 400
    no_csrf_remove = console.post(f"{PAGE}/{item['id']}/remove", data={})
    assert no_csrf_remove.status_code == 400
    assert agenda_events(app) == before

    assert console.get(f"{PAGE}/nope/edit").status_code == 404
    assert console.get(f"{PAGE}/nope/history").status_code == 404
    assert post(console, "/nope/remove").status_code == 404
    assert post(console, "/nope", **item_form()).status_code == 404
    assert console.get("/organiser/gatherings/no-such/running-order").status_code == 404
