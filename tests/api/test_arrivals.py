"""Live arrival figures: checked in / expected, by category, checkpoint and 5 minutes.

Scans go through the scan API, figures come from GET /api/v1/gatherings/{slug}/arrivals,
on SQLite and PostgreSQL.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient

from events_app.read_models.guest_list import PROJECTION, GuestListView
from events_app.store.locks import Locks
from tests.checkin_helpers import (
    badge_token,
    confirmed_guest,
    enrol_device,
    scan_body,
)
from tests.conftest import SLUG, FakeClock, services_of

ARRIVALS = f"/api/v1/gatherings/{SLUG}/arrivals"
SHANGHAI = ZoneInfo("Asia/Shanghai")
READ_MODEL_POSITIONS = "SELECT name FROM rm_positions WHERE name LIKE ?"
"""The read model's own positions, beside the outbox's projections'."""


def arrivals(client: FlaskClient, organiser: dict[str, str]) -> dict[str, Any]:
    response = client.get(ARRIVALS, headers=organiser)
    assert response.status_code == 200, response.json
    return dict(response.json)


def scan(client: FlaskClient, door: dict[str, str], body: dict[str, Any]) -> str:
    response = client.post("/api/v1/scans", json=body, headers=door)
    assert response.status_code == 200, response.json
    return str(response.json["status"])


def approve(app: Flask, registration_id: str) -> None:
    services_of(app).box_office.approve(uuid.UUID(registration_id), "organiser:test")


def category(figures: dict[str, Any], name: str) -> tuple[int, int, int]:
    (row,) = [c for c in figures["by_category"] if c["category"] == name]
    return row["checked_in"], row["expected"], row["inside"]


def checkpoint(figures: dict[str, Any], code: str) -> tuple[int, int, int]:
    (row,) = [c for c in figures["by_checkpoint"] if c["code"] == code]
    return row["checked_in"], row["expected"], row["inside"]


def headline(figures: dict[str, Any]) -> tuple[int, int, int]:
    return figures["checked_in"], figures["expected"], figures["inside"]


def slot_counts(figures: dict[str, Any]) -> dict[str, int]:
    return {s["label"]: s["count"] for s in figures["slots"] if s["count"]}


def test_figures_follow_scans_and_re_entries_exits_do_not_double_count(
    app: Flask,
    client: FlaskClient,
    door: dict[str, str],
    organiser: dict[str, str],
    clock: FakeClock,
) -> None:
    guests = [confirmed_guest(client, n) for n in (1, 2, 3)]
    vip = confirmed_guest(client, 4, category="vip")
    approve(app, vip["id"])
    pending_press = confirmed_guest(client, 5, category="press")
    assert pending_press["state"] == "pending"
    first = badge_token(app, guests[0]["id"])

    before = arrivals(client, organiser)
    assert headline(before) == (0, 4, 0)
    assert before["not_arrived"] == 4
    assert [c["category"] for c in before["by_category"]] == ["guest", "vip", "press"]
    assert category(before, "guest") == (0, 3, 0)
    assert checkpoint(before, "main-entrance") == (0, 4, 0)
    assert checkpoint(before, "vip-lounge") == (0, 1, 0)
    assert (before["slots"], before["latest_arrival_at"]) == ([], None)

    t0 = clock()
    assert scan(client, door, scan_body(first, t0)) == "ok"
    assert headline(arrivals(client, organiser)) == (1, 4, 1)
    assert scan(client, door, scan_body(first, t0)) == "already_checked_in"
    clock.advance(minutes=10)
    assert scan(client, door, scan_body(first, clock(), direction="out")) == "ok"
    after_exit = arrivals(client, organiser)
    assert headline(after_exit) == (1, 4, 0)
    assert checkpoint(after_exit, "main-entrance") == (1, 4, 0)
    clock.advance(minutes=10)
    assert scan(client, door, scan_body(first, clock())) == "ok"  # re-entry
    vip_token = badge_token(app, vip["id"])
    assert scan(client, door, scan_body(vip_token, clock())) == "ok"
    assert scan(client, door, scan_body(vip_token, clock(), "vip-lounge")) == "ok"
    press_token = badge_token(app, pending_press["id"])
    assert scan(client, door, scan_body(press_token, clock())) == "not_confirmed"

    figures = arrivals(client, organiser)
    assert headline(figures) == (2, 4, 2)
    assert figures["not_arrived"] == 2
    assert category(figures, "guest") == (1, 3, 1)
    assert category(figures, "vip") == (1, 1, 1)
    assert category(figures, "press") == (0, 0, 0)
    assert checkpoint(figures, "main-entrance") == (2, 4, 2)
    assert checkpoint(figures, "vip-lounge") == (1, 1, 1)
    # The guest arrived once, at 17:00 in Shanghai; the VIP at 17:20.
    assert [s["label"] for s in figures["slots"]] == ["17:00", "17:05", "17:10", "17:15", "17:20"]
    assert [s["count"] for s in figures["slots"]] == [1, 0, 0, 0, 1]
    assert figures["slots"][0]["start"] == "2026-02-01T17:00:00+08:00"
    assert figures["latest_arrival_at"] == "2026-02-01T17:20:00+08:00"
    assert figures["as_of"] == "2026-02-01T17:20:00+08:00"
    assert figures["timezone"] == "Asia/Shanghai"
    assert figures["cancelled_after_check_in"] == 0


def test_offline_batch_lands_in_the_slot_it_was_scanned_in(
    app: Flask,
    client: FlaskClient,
    door: dict[str, str],
    organiser: dict[str, str],
    clock: FakeClock,
) -> None:
    offline_door = enrol_device(client, organiser, "door 2")
    online, early, later = (badge_token(app, confirmed_guest(client, n)["id"]) for n in (1, 2, 3))
    vip = confirmed_guest(client, 4, category="vip")
    approve(app, vip["id"])
    vip_token = badge_token(app, vip["id"])
    t0 = clock()  # 09:00 UTC, 17:00 in Shanghai
    clock.advance(minutes=12)
    assert scan(client, door, scan_body(online, clock())) == "ok"
    clock.advance(minutes=13)
    assert scan(client, door, scan_body(vip_token, clock())) == "ok"  # 17:25
    assert slot_counts(arrivals(client, organiser)) == {"17:10": 1, "17:25": 1}

    clock.advance(minutes=5)  # 17:30: the offline door comes back and uploads
    batch = [
        # made at 17:07 and 17:03 local; the device sends its own offset or UTC
        scan_body(later, (t0 + timedelta(minutes=7)), offline=True, local_status="ok"),
        scan_body(
            early, (t0 + timedelta(minutes=3)).astimezone(SHANGHAI), offline=True, local_status="ok"
        ),
        # the VIP had been let into the lounge at 17:04, before the main entrance at 17:25
        scan_body(
            vip_token, t0 + timedelta(minutes=4), "vip-lounge", offline=True, local_status="ok"
        ),
        # it also let in, at 17:01, a badge already let in online: a conflict to review,
        # not an earlier arrival (the guest's first accepted entry stays 17:12)
        scan_body(online, t0 + timedelta(minutes=1), offline=True, local_status="ok"),
    ]
    response = client.post("/api/v1/scans/batch", json={"scans": batch}, headers=offline_door)
    results = response.json["results"]
    assert [r["status"] for r in results] == ["ok", "ok", "ok", "already_checked_in"]
    assert results[3]["conflict"] is True

    figures = arrivals(client, organiser)
    assert headline(figures) == (4, 4, 4)
    assert slot_counts(figures) == {"17:00": 2, "17:05": 1, "17:10": 1}
    assert [s["label"] for s in figures["slots"]][-1] == "17:30"  # up to now, within the hour
    assert sum(s["count"] for s in figures["slots"]) == figures["checked_in"]
    assert figures["latest_arrival_at"] == "2026-02-01T17:12:00+08:00"
    assert checkpoint(figures, "vip-lounge") == (1, 1, 1)


def test_cancelled_after_check_in_counts_in_neither_figure(
    app: Flask,
    client: FlaskClient,
    door: dict[str, str],
    organiser: dict[str, str],
    clock: FakeClock,
) -> None:
    stays, leaves = confirmed_guest(client, 1), confirmed_guest(client, 2)
    scan(client, door, scan_body(badge_token(app, stays["id"]), clock()))
    clock.advance(minutes=5)
    scan(client, door, scan_body(badge_token(app, leaves["id"]), clock()))
    assert headline(arrivals(client, organiser)) == (2, 2, 2)

    cancelled = client.post(f"/api/v1/registrations/{leaves['id']}/cancel", headers=organiser)
    assert cancelled.status_code == 200, cancelled.json
    figures = arrivals(client, organiser)
    assert headline(figures) == (1, 1, 1)
    assert figures["cancelled_after_check_in"] == 1
    assert category(figures, "guest") == (1, 1, 1)
    assert checkpoint(figures, "main-entrance") == (1, 1, 1)
    assert slot_counts(figures) == {"17:00": 1}
    assert figures["latest_arrival_at"] == "2026-02-01T17:00:00+08:00"


def test_slots_cover_one_day_at_most_and_count_the_rest_as_earlier(
    app: Flask,
    client: FlaskClient,
    door: dict[str, str],
    organiser: dict[str, str],
    clock: FakeClock,
) -> None:
    scan(client, door, scan_body(badge_token(app, confirmed_guest(client, 1)["id"]), clock()))
    clock.advance(days=2)
    scan(client, door, scan_body(badge_token(app, confirmed_guest(client, 2)["id"]), clock()))
    figures = arrivals(client, organiser)
    assert len(figures["slots"]) == 288
    assert figures["earlier"] == 1
    assert figures["slots"][-1]["start"] == "2026-02-03T17:00:00+08:00"
    assert sum(s["count"] for s in figures["slots"]) == 1


def test_figures_survive_a_rebuild_and_an_older_projection_is_rebuilt(
    app: Flask,
    client: FlaskClient,
    door: dict[str, str],
    organiser: dict[str, str],
    clock: FakeClock,
) -> None:
    token = badge_token(app, confirmed_guest(client, 1)["id"])
    scan(client, door, scan_body(token, clock()))
    clock.advance(minutes=6)
    scan(client, door, scan_body(token, clock(), direction="out"))
    scan(client, door, scan_body(badge_token(app, confirmed_guest(client, 2)["id"]), clock()))
    expected = arrivals(client, organiser)
    assert headline(expected) == (2, 2, 1)

    services = services_of(app)
    services.guest_list.rebuild()
    assert arrivals(client, organiser) == expected

    # A store projected by the previous version (no arrival tables yet) is forgotten on
    # start, and projected again by the next reads, batch by batch.
    with services.database.transaction(exclusive=True) as tx:
        for table in ("rm_presence", "rm_arrivals", "rm_arrival_counts"):
            tx.execute(f"DELETE FROM {table}")
        tx.execute("UPDATE rm_positions SET name = 'read_model:v2' WHERE name = ?", (PROJECTION,))
    GuestListView(
        services.box_office, services.database, Locks(services.storage, services.database)
    )
    with services.database.transaction() as tx:
        assert tx.execute(READ_MODEL_POSITIONS, ("read_model:%",)).all() == []
    assert arrivals(client, organiser) == expected
    with services.database.transaction() as tx:
        assert tx.execute("SELECT COUNT(*) FROM rm_presence").one() == (2,)
        assert tx.execute(READ_MODEL_POSITIONS, ("read_model:%",)).all() == [(PROJECTION,)]


def test_arrivals_endpoint_refuses_without_an_active_organiser_token(
    app: Flask, client: FlaskClient, door: dict[str, str], organiser: dict[str, str]
) -> None:
    token, credential_id = services_of(app).box_office.issue_organiser_token("bob")
    bob = {"Authorization": f"Bearer {token}"}
    assert client.get(ARRIVALS, headers=bob).status_code == 200
    services_of(app).box_office.revoke_organiser_credential(credential_id)
    cases = [
        ({}, 401, "unauthorized"),
        ({"Authorization": "Basic abc"}, 401, "unauthorized"),
        ({"Authorization": "Bearer org_not-a-real-token"}, 401, "invalid_credential"),
        (bob, 401, "invalid_credential"),
        (door, 403, "forbidden"),
    ]
    for headers, status, code in cases:
        response = client.get(ARRIVALS, headers=headers)
        assert (response.status_code, response.json["error"]["code"]) == (status, code), headers
        assert set(response.json["error"]) == {"code", "message", "field", "fields"}
    missing = client.get("/api/v1/gatherings/no-such-event/arrivals", headers=organiser)
    assert (missing.status_code, missing.json["error"]["code"]) == (404, "not_found")
    assert set(missing.json["error"]) == {"code", "message", "field", "fields"}


def test_openapi_documents_the_arrivals_endpoint_and_its_errors(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").json
    operation = spec["paths"]["/api/v1/gatherings/{slug}/arrivals"]["get"]
    assert operation["security"] == [{"organiserToken": []}]
    assert {"200", "401", "403", "404"} <= set(operation["responses"])
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ok.endswith("/Arrivals")
    error = operation["responses"]["401"]["content"]["application/json"]["schema"]["$ref"]
    assert error.endswith("/Error")
    properties = spec["components"]["schemas"]["Arrivals"]["properties"]
    assert {"checked_in", "expected", "inside", "by_category", "by_checkpoint", "slots"} <= set(
        properties
    )


def test_time_of_latest_arrival_is_the_latest_first_entry(
    app: Flask,
    client: FlaskClient,
    door: dict[str, str],
    organiser: dict[str, str],
    clock: FakeClock,
) -> None:
    early = badge_token(app, confirmed_guest(client, 1)["id"])
    scan(client, door, scan_body(early, datetime(2026, 2, 1, 9, 0, 41, tzinfo=UTC)))
    clock.advance(minutes=30)
    scan(client, door, scan_body(early, clock(), direction="out"))
    scan(client, door, scan_body(early, clock()))
    assert arrivals(client, organiser)["latest_arrival_at"] == "2026-02-01T17:00:41+08:00"


def test_running_totals_match_figures_worked_out_from_the_scan_answers(
    app: Flask,
    client: FlaskClient,
    door: dict[str, str],
    organiser: dict[str, str],
    clock: FakeClock,
) -> None:
    """Random entries, exits, late offline scans and cancellations, checked against a model."""
    rng = random.Random(20260302)
    guests = {}
    for n in range(1, 9):
        registration = confirmed_guest(client, n, category="vip" if n in (2, 4, 6) else "guest")
        if registration["category"] == "vip":
            approve(app, registration["id"])
        guests[registration["id"]] = (
            registration["category"],
            badge_token(app, registration["id"]),
        )
    first: dict[str, datetime] = {}
    inside: dict[tuple[str, str], bool] = {}
    cancelled: set[str] = set()
    for _ in range(100):
        clock.advance(minutes=rng.randint(0, 2))
        rid = rng.choice(list(guests))
        if rng.random() < 0.04 and rid not in cancelled:
            client.post(f"/api/v1/registrations/{rid}/cancel", headers=organiser)
            cancelled.add(rid)
            continue
        token = guests[rid][1]
        where = rng.choice(["main-entrance", "vip-lounge"])
        late = rng.random() < 0.4
        at = clock() - timedelta(minutes=rng.randint(0, 30) if late else 0)
        direction = "out" if rng.random() < 0.3 else "in"
        body = scan_body(token, at, where, direction=direction, offline=late, local_status="ok")
        if scan(client, door, body) != "ok":
            continue
        if direction == "in":
            first[rid] = min(first.get(rid, at), at)
        inside[(rid, where)] = direction == "in"

    counted = {rid: at for rid, at in first.items() if rid not in cancelled}
    figures = arrivals(client, organiser)
    assert figures["checked_in"] == len(counted) > 0
    assert figures["expected"] == len(guests) - len(cancelled)
    assert figures["cancelled_after_check_in"] == len(set(first) & cancelled)
    in_now = {rid for (rid, _), now in inside.items() if now and rid in counted}
    assert figures["inside"] == len(in_now)
    for row in figures["by_category"]:
        mine = [rid for rid in counted if guests[rid][0] == row["category"]]
        assert row["checked_in"] == len(mine), row
        assert row["inside"] == len([rid for rid in mine if rid in in_now]), row
    for row in figures["by_checkpoint"]:
        here = {rid for (rid, where) in inside if where == row["code"] and rid in counted}
        assert row["checked_in"] == len(here), row
        assert row["inside"] == len([r for r in here if inside[(r, row["code"])]]), row
    by_slot: Counter[str] = Counter()
    for at in counted.values():
        local = at.astimezone(SHANGHAI)
        by_slot[f"{local:%H}:{local.minute // 5 * 5:02d}"] += 1
    assert slot_counts(figures) == dict(by_slot)
    latest = max(counted.values()).astimezone(SHANGHAI).replace(microsecond=0)
    assert figures["latest_arrival_at"] == latest.isoformat()
    services_of(app).guest_list.rebuild()
    assert arrivals(client, organiser) == figures


def test_a_scan_stored_in_year_1_by_an_older_version_does_not_break_the_figures(
    app: Flask, client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    """Scans are bounded to the gathering's dates now; one stored before must not be a 500."""
    from domain.scan import Scan

    registration = confirmed_guest(client)
    services = services_of(app)
    gathering = services.box_office.gathering(SLUG)
    year_one = datetime(1, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
    device_id = uuid.uuid4()
    scan = Scan(
        device_id=device_id,
        client_scan_id="old",
        gathering_id=gathering.id,
        checkpoint="main-entrance",
        direction="in",
        token_fingerprint="old",
        registration_id=uuid.UUID(registration["id"]),
        scanned_at=year_one,
        received_at=datetime.now(UTC),
        offline=True,
        status="ok",
        reason="",
        answer={"status": "ok", "guest": {"category": "guest"}},
    )
    services.box_office.save(scan)
    figures = client.get(f"/api/v1/gatherings/{SLUG}/arrivals", headers=organiser)
    assert figures.status_code == 200, figures.json
    assert figures.json["checked_in"] == 1
