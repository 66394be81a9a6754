"""`flask checkpoints` and the demo's checkpoints: a door device scans the demo at once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from domain.gathering import Gathering
from events_app.cli.demo import plan_demo
from events_app.demo import DEMO_SLUG, VENUE_TZ, demo_dates
from events_app.services.planning import Planning
from tests.checkin_helpers import badge_token, scan_body
from tests.conftest import SLUG, FakeClock, guest, services_of


def run(runner: FlaskCliRunner, *args: str, exit_code: int = 0) -> str:
    result = runner.invoke(args=list(args))
    assert result.exit_code == exit_code, result.output
    return result.output


def gathering_events(app: Flask, slug: str = SLUG) -> int:
    return len(list(services_of(app).box_office.events.get(Gathering.create_id(slug))))


def test_define_list_edit_close_and_history(
    runner: FlaskCliRunner, app: Flask, gathering: Any
) -> None:
    cp = ("checkpoints",)
    defined = run(
        runner, *cp, "define", SLUG, "main-entrance", "--name-en", "Main entrance",
        "--name-zh", "正門", "--category", "guest", "--category", "vip",
        "--note", "vip=Escort to the front row 請引領至前排", "--opens-at", "2026-03-02 08:45",
    )  # fmt: skip
    assert "main-entrance  [open]  Main entrance 正門  2026-03-02 08:45-13:00" in defined
    checkpoint = services_of(app).box_office.gathering(SLUG).checkpoint("main-entrance")
    assert checkpoint.opens_at == datetime(2026, 3, 2, 8, 45, tzinfo=VENUE_TZ)
    assert checkpoint.closes_at is None
    assert checkpoint.category_notes == {"vip": "Escort to the front row 請引領至前排"}

    edited = run(
        runner, *cp, "edit", SLUG, "main-entrance", "--opens-at", "event",
        "--note", "guest=Programme at the desk", "--note", "vip=",
    )  # fmt: skip
    assert "2026-03-02 09:30-13:00 (event)" in edited
    checkpoint = services_of(app).box_office.gathering(SLUG).checkpoint("main-entrance")
    assert checkpoint.name_en == "Main entrance"  # not given: kept
    assert checkpoint.opens_at is None
    assert checkpoint.category_notes == {"guest": "Programme at the desk"}

    assert "[CLOSED]" in run(runner, *cp, "close", SLUG, "main-entrance")
    listed = run(runner, *cp, "list", SLUG)
    assert "main-entrance  [CLOSED]" in listed
    assert "    guest: Programme at the desk" in listed
    assert "1 checkpoint(s), times in Asia/Shanghai" in listed
    assert "[open]" in run(runner, *cp, "edit", SLUG, "main-entrance", "--category", "guest")
    history = run(runner, *cp, "history", SLUG, "main-entrance")
    assert history.count("  cli  checkpoint main-entrance defined") == 3
    assert "  cli  checkpoint main-entrance closed: it admits no one" in history


def test_bad_input_is_refused_with_a_clear_message_and_a_non_zero_exit(
    runner: FlaskCliRunner, app: Flask, gathering: Any
) -> None:
    base = ("checkpoints", "define", SLUG, "side-door", "--name-en", "Door", "--name-zh", "門")
    door = ("checkpoints", "define", SLUG, "door", "--name-en", "Door", "--name-zh", "門")
    run(runner, *door, "--category", "guest")
    before = gathering_events(app)
    cases = [
        ((*door, "--category", "guest"), 1, "already_exists (code)"),
        (base, 2, "name at least one --category"),
        ((*base, "--category", "alien"), 2, "'alien' is not one of"),
        ((*base, "--category", "speaker"), 1, "this gathering has no guest category"),
        ((*base, "--category", "guest", "--opens-at", "soon"), 2, "not a time: 'soon'"),
        ((*base, "--category", "guest", "--note", "vip"), 2, "write CATEGORY=NOTE"),
        ((*base, "--category", "guest", "--opens-at", "2026-03-02 14:00"), 1, "(opens_at)"),
        (("checkpoints", "edit", SLUG, "nope", "--name-en", "x"), 1, "not_found (checkpoint)"),
        (("checkpoints", "edit", SLUG, "door", "--note", "vip=hi"), 1, "(category_notes)"),
        (("checkpoints", "edit", SLUG, "door", "--name-zh", " "), 1, "(name_zh)"),
        (("checkpoints", "close", "no-such-event", "door"), 1, "gathering not found"),
        (("checkpoints", "list", "no-such-event"), 1, "gathering not found"),
    ]
    for args, status, message in cases:
        assert message in run(runner, *args, exit_code=status), args
    run(runner, "checkpoints", "close", SLUG, "door")
    assert "closed already" in run(runner, "checkpoints", "close", SLUG, "door", exit_code=1)
    assert gathering_events(app) == before + 1


def test_a_door_device_enrolled_on_the_fresh_demo_scans_at_the_main_entrance(
    runner: FlaskCliRunner, app: Flask, client: FlaskClient, clock: FakeClock
) -> None:
    assert "created" in run(runner, "demo", "create")
    token, _ = services_of(app).box_office.issue_organiser_token("alice")
    organiser = {"Authorization": f"Bearer {token}"}
    registered = client.post(f"/api/v1/gatherings/{DEMO_SLUG}/registrations", json=guest(1))
    assert (registered.status_code, registered.json["state"]) == (201, "confirmed")
    created = client.post(
        f"/api/v1/gatherings/{DEMO_SLUG}/devices", json={"name": "door 1"}, headers=organiser
    )
    enrolled = client.post("/api/v1/devices/enrol", json={"setup_code": created.json["setup_code"]})
    assert [c["code"] for c in enrolled.json["checkpoints"]] == [
        "main-entrance",
        "vip-lounge",
        "signing-stage",
    ]
    door = {"Authorization": f"Bearer {enrolled.json['device_token']}"}
    badge = badge_token(app, registered.json["id"])
    demo = services_of(app).box_office.gathering(DEMO_SLUG)
    clock.now = demo.starts_at.replace(hour=10)  # 10:00 at the venue, on the day
    answer = client.post("/api/v1/scans", json=scan_body(badge, clock()), headers=door)
    assert answer.json["status"] == "ok", answer.json
    assert answer.json["guest"]["full_name"] == "Guest Number 1"
    lounge = scan_body(badge, clock(), checkpoint="vip-lounge")
    assert client.post("/api/v1/scans", json=lounge, headers=door).json["status"] == (
        "not_admitted_here"
    )
    vip_note = demo.checkpoint("vip-lounge").note_for("vip")
    assert "主禮嘉賓" in vip_note
    assert demo.checkpoint("signing-stage").follows_gathering_hours()


def test_demo_create_adds_the_checkpoints_to_an_older_demo_store_once(
    runner: FlaskCliRunner, app: Flask, clock: FakeClock
) -> None:
    events = services_of(app).box_office
    from events_app.demo import DEMO_GATHERING

    events.schedule_gathering("cli:demo", **DEMO_GATHERING, **demo_dates(clock()))
    day = events.gathering(DEMO_SLUG).starts_at.astimezone(VENUE_TZ)
    plan_demo(Planning(events), DEMO_SLUG, day, "cli:demo")  # a demo as created before
    assert events.gathering(DEMO_SLUG).checkpoints == {}

    assert "created" in run(runner, "demo", "create")
    assert list(events.gathering(DEMO_SLUG).checkpoints) == [
        "main-entrance",
        "vip-lounge",
        "signing-stage",
    ]
    run(runner, "checkpoints", "close", DEMO_SLUG, "vip-lounge")
    recorded = gathering_events(app, DEMO_SLUG)
    assert "already present" in run(runner, "demo", "create")
    assert gathering_events(app, DEMO_SLUG) == recorded
    assert events.gathering(DEMO_SLUG).checkpoint("vip-lounge").closed  # left as changed
