"""The console dashboard: registrations, capacity, arrivals, scan conflicts and mails."""

from __future__ import annotations

import contextlib
import html
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from events_app.mail.transport import ServerUnavailable, Transport
from tests.checkin_helpers import badge_token, confirmed_guest, enrol_device, scan_body
from tests.conftest import SLUG, FakeClock, services_of

PAGE = f"/organiser/gatherings/{SLUG}/"


def row(text: str, category: str) -> str:
    """Return the registrations table row of one category ('all' for the totals)."""
    table = re.search(r'<table class="list" id="registrations-table">(.*?)</table>', text, re.S)
    assert table, "no registrations table"
    match = re.search(rf'<tr data-category="{category}">(.*?)</tr>', table.group(1), re.S)
    assert match, f"no row for {category}"
    return match.group(1)


def cell(row_html: str, attribute: str, value: str) -> str:
    match = re.search(rf'data-{attribute}="{value}">([^<]*)<', row_html)
    assert match, f"no {attribute} {value} cell"
    return match.group(1).strip()


def number(text: str, element_id: str) -> int:
    match = re.search(rf'id="{element_id}">(\d+)<', text)
    assert match, f"no #{element_id}"
    return int(match.group(1))


def post(client: FlaskClient, path: str, headers: dict[str, str], body: Any = None) -> Any:
    response = client.post(path, json=body or {}, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def test_dashboard_figures_match_registrations_scans_and_conflicts(
    app: Flask,
    console: FlaskClient,
    client: FlaskClient,
    door: dict[str, str],
    organiser: dict[str, str],
    clock: FakeClock,
) -> None:
    guests = [confirmed_guest(client, n, full_name=f"Guest Number {n}") for n in (1, 2, 3)]
    vip = confirmed_guest(client, 4, category="vip", full_name="Sun Dong", name_zh="孫東")
    confirmed_guest(client, 5, category="vip", full_name="Huang Wei")  # stays pending
    confirmed_guest(client, 6, category="press", full_name="Press Person")  # pending
    post(client, f"/api/v1/registrations/{vip['id']}/approve", organiser)
    post(client, f"/api/v1/registrations/{guests[2]['id']}/cancel", organiser)

    t0 = clock()
    # one guest scanned in at the main entrance (online)
    first = client.post(
        "/api/v1/scans", json=scan_body(badge_token(app, guests[0]["id"]), t0), headers=door
    )
    assert first.json["status"] == "ok"
    # door 2 lets guest 2 in online; door 1, offline, had let the same badge in earlier
    door_2 = enrol_device(client, organiser, "door 2")
    token_2 = badge_token(app, guests[1]["id"])
    online = client.post(
        "/api/v1/scans", json=scan_body(token_2, t0 + timedelta(minutes=2)), headers=door_2
    )
    assert online.json["status"] == "ok"
    clock.advance(minutes=30)
    offline = client.post(
        "/api/v1/scans/batch",
        json={"scans": [scan_body(token_2, t0, offline=True, local_status="ok")]},
        headers=door,
    )
    assert offline.json["results"][0]["conflict"] is True

    response = console.get(PAGE)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)

    # registrations by state and category
    guest_row, vip_row, press_row, total = (row(text, c) for c in ("guest", "vip", "press", "all"))
    assert cell(guest_row, "state", "confirmed") == "2"
    assert cell(guest_row, "state", "cancelled") == "1"
    assert cell(guest_row, "state", "total") == "3"
    assert cell(vip_row, "state", "confirmed") == "1"
    assert cell(vip_row, "state", "pending") == "1"
    assert cell(press_row, "state", "pending") == "1"
    assert cell(total, "state", "total") == "6"
    assert cell(total, "state", "confirmed") == "3"
    # capacity: 10 overall, VIP capped at 3, press at 2, guests share the overall capacity
    assert number(text, "capacity-left") == 7
    assert number(text, "confirmed-total") == 3
    assert (cell(vip_row, "field", "cap"), cell(vip_row, "field", "left")) == ("3", "2")
    assert (cell(press_row, "field", "cap"), cell(press_row, "field", "left")) == ("2", "2")
    assert cell(guest_row, "field", "cap") == "—"
    assert cell(total, "field", "left") == "7"

    # checked in / expected, and the chart counts every arrival once
    assert (number(text, "checked-in"), number(text, "expected")) == (2, 3)
    chart = [int(n) for n in re.findall(r'class="slot"[^>]*data-count="(\d+)"', text)]
    assert sum(chart) == 2
    assert 'data-start="2026-02-01T17:00:00+08:00"' in text  # slots in the gathering's zone

    # the conflict: who, at which doors, when (in Asia/Shanghai: 09:00 UTC is 17:00)
    assert number(text, "conflict-count") == 1
    table = re.search(r'<table class="list" id="conflict-table">(.*?)</table>', text, re.S)
    assert table, "no conflict table"
    conflict = html.unescape(table.group(1))
    assert "Guest Number 2" in conflict
    assert "Guest Number 1" not in conflict
    assert "Main entrance, Block B" in conflict
    first_door = re.search(r'class="first-door">(.*?)</td>', conflict, re.S)
    second_door = re.search(r'class="second-door">(.*?)</td>', conflict, re.S)
    assert first_door
    assert "door 2" in first_door.group(1)
    assert "17:02:00" in first_door.group(1)
    assert second_door
    assert "door 1" in second_door.group(1)
    assert "Sunday 1 February 2026, 17:00:00" in second_door.group(1)
    assert "B座正門" not in text
    assert "Scan conflicts to review" in text

    # the same page in Chinese, the checkpoint's Chinese name in the page's script
    chinese = html.unescape(console.get(f"{PAGE}?lang=zh-CN").get_data(as_text=True))
    assert '<html lang="zh-Hans-CN">' in chinese
    for words in ("待复核的扫描冲突", "B座正门", "2026年2月1日（星期日）17:00:00", ">总览</a>"):
        assert words in chinese
    assert "Main entrance, Block B" not in chinese
    assert "Scan conflicts" not in chinese
    console.get(f"{PAGE}?lang=en")

    # guest mails failed or waiting: the same numbers as the outbox
    counts = services_of(app).outbox.counts(str(services_of(app).box_office.gathering(SLUG).id))
    assert number(text, "mails-failed") == counts["failed"]
    assert number(text, "mails-queued") == counts["queued"]

    # links to the other pages
    for page in ("printing", "devices"):
        assert f'href="/organiser/gatherings/{SLUG}/{page}"' in text


class ServerDown(Transport):
    """An SMTP server that cannot be reached: every due mail fails for now."""

    @contextlib.contextmanager
    def session(self) -> Iterator[Any]:
        raise ServerUnavailable("connection refused by smtp.example.org")
        yield  # pragma: no cover


def test_failed_and_waiting_mails_are_counted_and_listed(
    app: Flask, console: FlaskClient, client: FlaskClient, gathering: Any
) -> None:
    outbox = services_of(app).outbox
    confirmed_guest(client, 1, email="first@example.org")
    confirmed_guest(client, 2, email="second@example.org")
    outbox._transport = ServerDown()
    report = outbox.run_once(everything=True)
    assert len(report.failed) == 2
    confirmed_guest(client, 3, email="third@example.org")  # queued, not tried yet

    text = console.get(PAGE).get_data(as_text=True)
    assert (number(text, "mails-failed"), number(text, "mails-queued")) == (2, 1)
    table = re.search(r'<table class="list" id="mail-table">(.*?)</table>', text, re.S)
    assert table, "no mail table"
    listed = re.findall(
        r'<tr data-mail="[^"]+" data-state="(failed|queued)">\s*<td>([^<]+)</td>', table.group(1)
    )
    assert sorted(listed) == [
        ("failed", "first@example.org"),
        ("failed", "second@example.org"),
        ("queued", "third@example.org"),
    ]
    assert "connection refused by smtp.example.org" in table.group(1)


def test_dashboard_of_an_empty_gathering_and_unknown_gatherings(
    console: FlaskClient, gathering: Any
) -> None:
    text = console.get(PAGE).get_data(as_text=True)
    assert number(text, "capacity-left") == 10
    assert (number(text, "checked-in"), number(text, "expected")) == (0, 0)
    assert 'id="no-conflicts"' in text
    assert "No arrivals yet" in text
    assert console.get("/organiser/gatherings/no-such-event/").status_code == 404


def test_dashboard_needs_a_signed_in_organiser(client: FlaskClient, gathering: Any) -> None:
    response = client.get(PAGE)
    assert response.status_code == 303
    assert "/organiser/sign-in" in response.headers["Location"]


def test_seats_held_for_invited_guests_are_not_shown_as_left(
    console: FlaskClient, client: FlaskClient, organiser: dict[str, str], gathering: Any
) -> None:
    body = {
        "full_name": "Wang Xiaoming",
        "email": "wang@example.org",
        "category": "vip",
        "batch": "officials",
        "deadline": "2026-02-20T18:00:00+08:00",
        "companions_allowed": 1,
        "companions_reserved": True,
    }
    invited = client.post(f"/api/v1/gatherings/{SLUG}/invitations", json=body, headers=organiser)
    assert invited.status_code == 201, invited.json
    text = console.get(PAGE).get_data(as_text=True)
    assert number(text, "capacity-left") == 8  # 10 seats, 2 held: the invitee and a companion
    assert "2 held for invited guests" in text
    assert cell(row(text, "vip"), "field", "left") == "1"  # VIP is capped at 3
