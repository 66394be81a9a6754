"""The console's exports: the guest list and the check-ins as CSV files for spreadsheets."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from events_app.read_models.guest_list import PROJECTION, GuestListView
from events_app.store.locks import Locks
from tests.checkin_helpers import badge_token, scan_body
from tests.conftest import SLUG, FakeClock, guest, services_of

EXPORTS = f"/organiser/gatherings/{SLUG}/exports"
ORGANISATION = 'Hetao "Innovation" Valley, Shenzhen'


def register(client: FlaskClient, n: int, **overrides: Any) -> dict[str, Any]:
    response = client.post(f"/api/v1/gatherings/{SLUG}/registrations", json=guest(n, **overrides))
    assert response.status_code == 201, response.json
    return dict(response.json)


def rows_of(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_exports_page_offers_both_files(console: FlaskClient, gathering: dict[str, Any]) -> None:
    page = console.get(EXPORTS)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'action="{EXPORTS}/guest-list.csv"' in html
    assert f'href="{EXPORTS}/check-ins.csv"' in html
    assert "<h2>Guest list</h2>" in html
    assert "<h2>Check-ins</h2>" in html
    assert "嘉賓名單" not in html
    chinese = console.get(EXPORTS, headers={"Accept-Language": "zh-HK,zh;q=0.8"})
    text = chinese.get_data(as_text=True)
    assert "<h2>嘉賓名單</h2>" in text
    assert "<h2>簽到記錄</h2>" in text
    assert '<option value="pending">待審批</option>' in text
    simplified = console.get(EXPORTS, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "<h2>嘉宾名单</h2>" in simplified
    assert "<h2>签到记录</h2>" in simplified


def test_guest_list_csv_keeps_chinese_quotes_and_commas(
    app: Flask, console: FlaskClient, gathering: dict[str, Any]
) -> None:
    huang = register(
        console, 1, full_name="Wong Ping-sau", name_zh="黃秉修", organisation=ORGANISATION
    )
    register(console, 2, full_name='=HYPERLINK("http://evil")', phone="+852 1234 5678")
    vip = register(console, 3, full_name="Very Important", category="vip")

    response = console.get(f"{EXPORTS}/guest-list.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert (
        response.headers["Content-Disposition"]
        == f'attachment; filename="{SLUG}-guest-list-2026-02-01.csv"'
    )
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = rows_of(body)
    assert len(rows) == 3
    by_id = {row["registration_id"]: row for row in rows}
    row = by_id[huang["id"]]
    assert row["name_zh"] == "黃秉修"
    assert row["organisation"] == ORGANISATION
    assert row["state"] == "confirmed"
    assert row["category"] == "guest"
    assert row["submitted_at"] == "2026-02-01 17:00:00"  # in Asia/Shanghai
    # Formula-like cells are defused for spreadsheets.
    evil = next(r for r in rows if "HYPERLINK" in r["full_name"])
    assert evil["full_name"] == '\'=HYPERLINK("http://evil")'
    assert evil["phone"] == "'+852 1234 5678"
    assert by_id[vip["id"]]["state"] == "pending"

    pending = rows_of(console.get(f"{EXPORTS}/guest-list.csv?state=pending").get_data())
    assert [r["registration_id"] for r in pending] == [vip["id"]]
    guests = rows_of(console.get(f"{EXPORTS}/guest-list.csv?category=guest&state=").get_data())
    assert {r["registration_id"] for r in guests} == set(by_id) - {vip["id"]}

    bad = console.get(f"{EXPORTS}/guest-list.csv?state=sleeping")
    assert bad.status_code == 303
    assert bad.headers["Location"].endswith(EXPORTS)
    assert "Not exported: unknown state" in console.get(EXPORTS).get_data(as_text=True)


def test_check_ins_csv_has_a_row_per_scan(
    app: Flask,
    console: FlaskClient,
    gathering: dict[str, Any],
    door: dict[str, str],
    clock: FakeClock,
) -> None:
    huang = register(
        console, 1, full_name="Wong Ping-sau", name_zh="黃秉修", organisation=ORGANISATION
    )
    empty = rows_of(console.get(f"{EXPORTS}/check-ins.csv").get_data())
    assert empty == []

    token = badge_token(app, huang["id"])
    scanned = console.post("/api/v1/scans", json=scan_body(token, clock()), headers=door)
    assert scanned.json["status"] == "ok", scanned.json
    clock.advance(minutes=5)
    by_name = console.post(
        "/api/v1/door/check-ins",
        json={
            "registration_id": huang["id"],
            "checkpoint": "main-entrance",
            "client_scan_id": uuid.uuid4().hex,
            "scanned_at": clock().isoformat(),
        },
        headers=door,
    )
    assert by_name.status_code == 200, by_name.json
    assert by_name.json["status"] == "already_checked_in"

    response = console.get(f"{EXPORTS}/check-ins.csv")
    assert response.status_code == 200
    assert (
        response.headers["Content-Disposition"]
        == f'attachment; filename="{SLUG}-check-ins-2026-02-01.csv"'
    )
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = rows_of(body)
    assert len(rows) == 2
    first, second = rows
    assert first["scanned_at"] == "2026-02-01 17:00:00"  # 09:00 UTC in Asia/Shanghai
    assert first["full_name"] == "Wong Ping-sau"
    assert first["name_zh"] == "黃秉修"
    assert first["organisation"] == ORGANISATION
    assert first["category"] == "guest"
    assert first["checkpoint"] == "main-entrance"
    assert first["direction"] == "in"
    assert first["status"] == "ok"
    assert first["status_text"] == "Let in"
    assert first["device"] == "door 1"
    assert first["manual"] == "no"
    assert first["offline"] == "no"
    assert first["registration_id"] == huang["id"]
    assert second["scanned_at"] == "2026-02-01 17:05:00"
    assert second["status"] == "already_checked_in"
    assert second["manual"] == "yes"
    # The read model holds exactly these scans.
    services = services_of(app)
    with services.database.transaction() as tx:
        stored = {str(r[0]) for r in tx.execute("SELECT id FROM rm_scans").all()}
    assert {first["scan_id"], second["scan_id"]} == stored


def test_invalid_badge_scan_is_listed_without_a_guest(
    app: Flask,
    console: FlaskClient,
    gathering: dict[str, Any],
    door: dict[str, str],
    clock: FakeClock,
) -> None:
    answer = console.post("/api/v1/scans", json=scan_body("NOT-A-BADGE", clock()), headers=door)
    assert answer.json["status"] == "invalid"
    rows = rows_of(console.get(f"{EXPORTS}/check-ins.csv").get_data())
    assert len(rows) == 1
    assert rows[0]["status"] == "invalid"
    assert rows[0]["full_name"] == ""
    assert rows[0]["registration_id"] == ""
    assert rows[0]["reason"]


V4_SCANS = """CREATE TABLE rm_scans (
    id TEXT PRIMARY KEY, gathering_id TEXT NOT NULL, device_id TEXT NOT NULL,
    checkpoint TEXT NOT NULL, direction TEXT NOT NULL, registration_id TEXT,
    category TEXT, status TEXT NOT NULL, scanned_at TEXT NOT NULL,
    received_at TEXT NOT NULL, offline INTEGER NOT NULL, seq BIGINT NOT NULL)"""
"""The scans table as the previous version of the projection made it."""


def test_a_store_projected_by_the_previous_version_exports_the_same_check_ins(
    app: Flask,
    console: FlaskClient,
    gathering: dict[str, Any],
    door: dict[str, str],
    clock: FakeClock,
) -> None:
    """Its tables, without the columns this version adds, are made again and refilled."""
    huang = register(console, 1)
    console.post("/api/v1/scans", json=scan_body("NOT-A-BADGE", clock()), headers=door)
    clock.advance(minutes=5)
    by_name = {
        "registration_id": huang["id"],
        "checkpoint": "main-entrance",
        "client_scan_id": uuid.uuid4().hex,
        "scanned_at": clock().isoformat(),
    }
    assert console.post("/api/v1/door/check-ins", json=by_name, headers=door).status_code == 200
    before = console.get(f"{EXPORTS}/check-ins.csv").get_data()
    assert [row["manual"] for row in rows_of(before)] == ["no", "yes"]

    services = services_of(app)
    with services.database.transaction(exclusive=True) as tx:
        tx.execute("DROP TABLE rm_scans")
        tx.execute(V4_SCANS)
        tx.execute("UPDATE rm_positions SET name = 'read_model:v4' WHERE name = ?", (PROJECTION,))
    GuestListView(
        services.box_office, services.database, Locks(services.storage, services.database)
    )
    with services.database.transaction() as tx:
        forgotten = "SELECT COUNT(*) FROM rm_positions WHERE name LIKE ?"
        assert tx.execute(forgotten, ("read_model:%",)).one() == (0,)  # the mail's are kept
    assert console.get(f"{EXPORTS}/check-ins.csv").get_data() == before
