"""Retention: a gathering's guests' personal data erased N days after its end, once a day."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.checkin_helpers import badge_token, scan_body
from tests.conftest import SLUG, FakeClock, gathering_payload, guest, make_app, services_of

LATER = "later-2026"
DUE = datetime(2026, 5, 30, 16, 30, tzinfo=UTC)
"""00:30 on 31 May in Shanghai: the end (2 March) plus 90 days."""


def register(client: FlaskClient, slug: str, n: int) -> str:
    response = client.post(f"/api/v1/gatherings/{slug}/registrations", json=guest(n))
    assert response.status_code == 201, response.json
    return str(response.json["id"])


@pytest.fixture
def guests(
    app: Flask, client: FlaskClient, organiser: dict[str, str], door: dict[str, str]
) -> dict[str, list[str]]:
    """Three guests of the test gathering (one checked in), two of a later one."""
    later = gathering_payload(
        slug=LATER,
        starts_at="2026-06-10T09:30:00+08:00",
        ends_at="2026-06-10T13:00:00+08:00",
        registration_closes_at="2026-06-10T09:00:00+08:00",
    )
    assert client.post("/api/v1/gatherings", json=later, headers=organiser).status_code == 201
    first = [register(client, SLUG, n) for n in range(3)]
    clock = services_of(app).box_office.clock
    scanned = client.post(
        "/api/v1/scans", json=scan_body(badge_token(app, first[0]), clock()), headers=door
    )
    assert scanned.status_code == 200, scanned.json
    return {SLUG: first, LATER: [register(client, LATER, n) for n in range(10, 12)]}


def erased(app: Flask, ids: list[str]) -> list[bool]:
    box_office = services_of(app).box_office
    return [box_office.registration(uuid.UUID(rid)).erased for rid in ids]


def stored(app: Flask) -> int:
    return int(services_of(app).box_office.recorder.max_notification_id() or 0)


def figures(app: Flask) -> tuple[Any, Any]:
    """Return the aggregate figures: counts by state and category, and the arrivals."""
    found = services_of(app)
    with app.test_request_context():
        gathering_id = str(found.box_office.gathering(SLUG).id)
        return found.guest_list.counts(gathering_id), found.arrivals.figures(SLUG)


def test_expire_erases_exactly_the_due_gathering_s_guests_and_once(
    app: Flask, clock: FakeClock, guests: dict[str, list[str]]
) -> None:
    runner = app.test_cli_runner()
    clock.now = datetime(2026, 5, 30, 15, 0, tzinfo=UTC)  # 23:00 on 30 May there: not yet
    early = runner.invoke(args=["personal-data", "expire"])
    assert early.exit_code == 0, early.output
    assert "No gathering" in early.output
    assert erased(app, guests[SLUG]) == [False] * 3
    clock.now = DUE
    before = figures(app)
    result = runner.invoke(args=["personal-data", "expire"])
    assert result.exit_code == 0, result.output
    assert f"{SLUG}: erased 3 guests" in result.output
    assert all(rid in result.output for rid in guests[SLUG])
    assert LATER not in result.output
    assert erased(app, guests[SLUG]) == [True] * 3
    assert erased(app, guests[LATER]) == [False] * 2
    assert figures(app) == before  # counts and arrivals per 5 minutes survive
    history = services_of(app).box_office.history(uuid.UUID(guests[SLUG][1]))
    assert (history[-1].type, history[-1].actor) == ("PersonalDataErased", "retention")
    assert history[-1].data == {"reason": "retention: 90 days after the end"}
    written = stored(app)
    again = runner.invoke(args=["personal-data", "expire"])
    assert again.exit_code == 0, again.output
    assert f"{SLUG}: erased 0 guests" in again.output
    assert stored(app) == written


def test_a_dry_run_lists_and_writes_nothing(
    app: Flask, clock: FakeClock, guests: dict[str, list[str]]
) -> None:
    clock.now = DUE
    written = stored(app)
    result = app.test_cli_runner().invoke(args=["personal-data", "expire", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"{SLUG}: would erase 3 guests" in result.output
    assert stored(app) == written
    assert erased(app, guests[SLUG]) == [False] * 3
    keys = services_of(app).box_office.personal_keys
    assert all(keys._rows.get(uuid.UUID(rid).hex) for rid in guests[SLUG])


def test_due_lists_each_gathering_s_day_and_guests(
    app: Flask, clock: FakeClock, guests: dict[str, list[str]]
) -> None:
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["personal-data", "due"]).output
    assert f"{SLUG}: 3 guests, erased on 2026-05-31 (90 days after the end)" in listed
    assert f"{LATER}: 2 guests, erased on 2026-09-08 (90 days after the end)" in listed
    clock.now = DUE
    assert runner.invoke(args=["personal-data", "expire"]).exit_code == 0
    listed = runner.invoke(args=["personal-data", "due"]).output
    assert f"{SLUG}: 0 guests, erased on 2026-05-31 (90 days after the end), due now" in listed
    assert f"{LATER}: 2 guests" in listed


def test_the_daily_run_runs_once_a_day_across_two_instances(
    app: Flask, clock: FakeClock, database_url: str, guests: dict[str, list[str]]
) -> None:
    other = make_app(database_url, clock)
    try:
        clock.now = DUE
        instances = [services_of(app), services_of(other)]
        barrier = threading.Barrier(2)
        runs: list[Any] = []

        def run(found: Any) -> None:
            barrier.wait()
            runs.append(found.retention.run_daily(found.guest_list.gathering_ids))

        threads = [threading.Thread(target=run, args=(found,)) for found in instances]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        done = [r for r in runs if r is not None]
        assert len(runs) == 2
        assert len(done) == 1, runs
        assert (done[0].day, done[0].erased) == ("2026-05-30", 3)
        clock.advance(hours=6)  # the same day (UTC): a restart does not run it again
        assert [
            found.retention.run_daily(found.guest_list.gathering_ids) for found in instances
        ] == [
            None,
            None,
        ]
        for rid in guests[SLUG]:
            kinds = [e.type for e in instances[1].box_office.history(uuid.UUID(rid))]
            assert kinds.count("PersonalDataErased") == 1
        clock.advance(days=1)
        next_day = instances[1].retention.run_daily(instances[1].guest_list.gathering_ids)
        assert next_day is not None
        assert (next_day.day, next_day.erased) == ("2026-05-31", 0)
        assert [r.day for r in instances[0].retention.view.runs()] == ["2026-05-31", "2026-05-30"]
    finally:
        services_of(other).close()


def test_serving_processes_start_the_daily_run_and_tests_leave_it_off(
    app: Flask, clock: FakeClock, database_url: str, guests: dict[str, list[str]]
) -> None:
    clock.now = DUE
    app.test_client().get("/api/v1/health")
    assert services_of(app).daily_retention._thread is None  # TESTING: off
    serving = make_app(database_url, clock)
    serving.config["RETENTION_RUNNER"] = "on"
    try:
        from events_app.context import retain_with_first_request

        retain_with_first_request(serving, lambda: services_of(serving).daily_retention)
        serving.test_client().get("/api/v1/health")
        view = services_of(serving).retention.view
        deadline = time.monotonic() + 30
        while view.run_of("2026-05-30") is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert view.run_of("2026-05-30") is not None
        assert erased(app, guests[SLUG]) == [True] * 3
        assert erased(app, guests[LATER]) == [False] * 2
    finally:
        services_of(serving).close()


# Setting the retention -------------------------------------------------------------


def test_the_api_shows_and_changes_the_retention(
    client: FlaskClient, organiser: dict[str, str], guests: dict[str, list[str]]
) -> None:
    shown = client.get(f"/api/v1/gatherings/{SLUG}", headers=organiser).json
    assert (shown["retention_days"], shown["erase_on"]) == (90, "2026-05-31")
    changed = client.patch(
        f"/api/v1/gatherings/{SLUG}", json={"retention_days": 30}, headers=organiser
    )
    assert changed.status_code == 200, changed.json
    assert (changed.json["retention_days"], changed.json["erase_on"]) == (30, "2026-04-01")
    assert {"field": "retention_days", "before": 90, "after": 30} in changed.json["changes"]
    spec = client.get("/api/v1/openapi.json").json
    assert "retention_days" in spec["components"]["schemas"]["GatheringPatch"]["properties"]


@pytest.mark.parametrize("value", [0, 3651, -5, 1.5, "ninety", True, None])
def test_bad_retention_values_get_422_naming_the_field(
    app: Flask,
    client: FlaskClient,
    organiser: dict[str, str],
    gathering: dict[str, Any],
    value: Any,
) -> None:
    written = stored(app)
    response = client.patch(
        f"/api/v1/gatherings/{SLUG}", json={"retention_days": value}, headers=organiser
    )
    assert response.status_code == 422, response.json
    assert response.json["error"]["field"] == "retention_days", response.json
    assert stored(app) == written


def test_the_console_sets_the_retention_and_the_dashboard_tells_when(
    app: Flask, console: FlaskClient, guests: dict[str, list[str]]
) -> None:
    from tests.pages.test_console_corrections import EDIT_EVENT, submit, text_of

    written = stored(app)
    for bad in ("0", "3651", "ninety", "2.5"):
        refused = submit(console, EDIT_EVENT, EDIT_EVENT, retention_days=bad)
        assert refused.status_code == 422, bad
        assert 'id="retention_days-error"' in refused.get_data(as_text=True), bad
    assert stored(app) == written
    assert submit(console, EDIT_EVENT, EDIT_EVENT, retention_days="30").status_code == 303
    assert services_of(app).box_office.gathering(SLUG).retention_days == 30
    edit = text_of(console.get(EDIT_EVENT).get_data(as_text=True))
    assert "Saved: Personal data kept after the end (days)." in edit
    assert "Personal data kept after the end (days) “90” → “30”" in edit
    dashboard = f"/organiser/gatherings/{SLUG}/"
    page = text_of(console.get(dashboard).get_data(as_text=True))
    expected = (
        "Personal data of 3 guests will be erased on Wednesday 1 April 2026 "
        "(30 days after the end)."
    )
    assert expected in page
    chinese = text_of(console.get(f"{dashboard}?lang=zh-HK").get_data(as_text=True))
    assert "2026年4月1日" in chinese
    assert "Personal data of" not in chinese
    simplified = text_of(console.get(f"{dashboard}?lang=zh-CN").get_data(as_text=True))
    assert "2026年4月1日" in simplified
    assert "Personal data of" not in simplified
    console.get(f"{dashboard}?lang=en")


def test_a_run_finishes_what_was_erased_before_or_left_midway(
    app: Flask, clock: FakeClock, guests: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    found = services_of(app)
    first, halfway, last = (uuid.UUID(rid) for rid in guests[SLUG])
    found.personal_data.erase(first, "alice", "the guest asked")

    def stop(_registration: Any) -> None:
        raise RuntimeError("the process stopped before the key was destroyed")

    with monkeypatch.context() as patched:
        patched.setattr(found.personal_data, "_destroy_keys", stop)
        with pytest.raises(RuntimeError):
            found.personal_data.erase(halfway, "retention", "retention: 90 days after the end")
    keys = found.box_office.personal_keys._rows
    assert keys.get(halfway.hex) is not None
    clock.now = DUE
    result = app.test_cli_runner().invoke(args=["personal-data", "expire"])
    assert result.exit_code == 0, result.output
    assert f"{SLUG}: erased 1 guests" in result.output
    assert str(last) in result.output
    assert [keys.get(rid.hex) for rid in (first, halfway, last)] == [None, None, None]
    history = [e for e in found.box_office.history(first) if e.type == "PersonalDataErased"]
    assert [e.actor for e in history] == ["alice"]
