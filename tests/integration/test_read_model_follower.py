"""The read models follow the store in committed batches; no request waits for a backlog."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from events_app.consistency_http import BEHIND_HEADER, MIN_POSITION_HEADER, POSITION_HEADER
from tests.conftest import SLUG, guest, services_of
from tests.console_helpers import post_form


@pytest.fixture
def app(app: Flask) -> Flask:
    """The app with a short read allowance, so that waiting reads give up quickly."""
    services_of(app).guest_list.wait_seconds = 0.3
    return app


def register(client: FlaskClient, count: int, **details: Any) -> list[dict[str, Any]]:
    """Register `count` guests through the API; return their registrations."""
    made = []
    for n in range(1, 1 + count):
        response = client.post(f"/api/v1/gatherings/{SLUG}/registrations", json=guest(n, **details))
        assert response.status_code == 201, response.json
        made.append(response.json)
    return made


@contextmanager
def projection_held(app: Flask) -> Iterator[None]:
    """Hold the projection's lock in another thread, as a busy follower elsewhere would."""
    projector = services_of(app).guest_list.projector
    taken, done = threading.Event(), threading.Event()

    def hold() -> None:
        with projector.hold():
            taken.set()
            done.wait(30)

    thread = threading.Thread(target=hold)
    thread.start()
    taken.wait(5)
    try:
        yield
    finally:
        done.set()
        thread.join(5)


def listed(client: FlaskClient, organiser: dict[str, str], **headers: str) -> Any:
    return client.get(f"/api/v1/gatherings/{SLUG}/registrations", headers={**organiser, **headers})


def rows(app: Flask, sql: str) -> int:
    with services_of(app).database.transaction() as tx:
        return int(tx.execute(sql).one()[0])  # type: ignore[index]


def test_each_batch_commits_its_position_and_a_failed_batch_loses_only_itself(
    app: Flask, client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    services = services_of(app)
    register(client, 30)
    services.guest_list._forget()  # project everything again, from the start
    projector = services.guest_list.projector
    projector.batch = 10
    real_apply = projector._apply
    batches: list[int] = []

    def failing_third(tx: Any, notifications: Sequence[Any]) -> None:
        batches.append(len(notifications))
        real_apply(tx, notifications)  # the rows are written, then the batch fails
        if len(batches) == 3:
            raise RuntimeError("worker killed mid-batch")

    projector._apply = failing_third
    first = projector.step()
    second = projector.step()
    assert first is not None
    assert second is not None
    assert 0 < first < second < projector.latest()
    assert batches == [10, 10]  # ten events of the guest list each
    with pytest.raises(RuntimeError):
        projector.step()
    assert projector.position() == second  # the first two batches stay committed
    registered = rows(app, "SELECT COUNT(*) FROM rm_registrations")
    projector._apply = real_apply
    final = services.guest_list.catch_up()
    assert final == projector.latest()
    assert rows(app, "SELECT COUNT(*) FROM rm_registrations") == 30
    assert registered < 30  # the failed batch's rows were rolled back with it


def test_a_read_answers_from_what_is_there_and_says_how_far_behind(
    app: Flask, client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    assert listed(client, organiser).json["total"] == 0
    register(client, 3)
    with projection_held(app):
        behind = listed(client, organiser)
    assert behind.status_code == 200
    assert behind.json["total"] == 0
    assert int(behind.headers[BEHIND_HEADER]) >= 3
    caught_up = listed(client, organiser)
    assert caught_up.json["total"] == 3
    assert BEHIND_HEADER not in caught_up.headers


def test_an_api_read_that_asks_for_its_write_waits_for_it_or_answers_503(
    app: Flask, client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    response = client.post(f"/api/v1/gatherings/{SLUG}/registrations", json=guest(1))
    written = response.headers[POSITION_HEADER]
    assert int(written) == services_of(app).guest_list.projector.latest()
    with projection_held(app):
        refused = listed(client, organiser, **{MIN_POSITION_HEADER: written})
    assert refused.status_code == 503
    assert refused.json["error"]["code"] == "read_model_behind"
    assert 1 <= int(refused.headers["Retry-After"]) <= 30
    served = listed(client, organiser, **{MIN_POSITION_HEADER: written})
    assert served.status_code == 200
    assert served.json["total"] == 1
    # A position from another store (or a forged one) is never waited for beyond the log.
    far = listed(client, organiser, **{MIN_POSITION_HEADER: "999999999"})
    assert far.status_code == 200
    for junk in ("-1", "abc", "١٢", "9" * 40):
        assert listed(client, organiser, **{MIN_POSITION_HEADER: junk}).status_code == 200


def test_a_page_after_the_organisers_own_change_shows_it_or_says_one_moment(
    app: Flask, console: FlaskClient, gathering: dict[str, Any]
) -> None:
    (made,) = register(console, 1, category="vip")
    page = f"/organiser/gatherings/{SLUG}/registrations/{made['id']}"
    assert console.get(page).status_code == 200
    with projection_held(app):
        decided = post_form(console, page, f"{page}/approve")
        assert decided.status_code in (302, 303)
        with console.session_transaction() as session:
            assert session["written_position"] == services_of(app).guest_list.projector.latest()
        waiting = console.get(f"/organiser/gatherings/{SLUG}/registrations")
    assert waiting.status_code == 503
    assert waiting.headers["Retry-After"]
    html = waiting.get_data(as_text=True)
    assert "Your change is saved" in html
    assert 'http-equiv="refresh"' in html
    shown = console.get(f"/organiser/gatherings/{SLUG}/registrations?state=confirmed")
    assert shown.status_code == 200
    assert made["full_name"] in shown.get_data(as_text=True)


def test_a_follower_thread_keeps_the_tables_current_without_reads(
    app: Flask, client: FlaskClient, gathering: dict[str, Any]
) -> None:
    services = services_of(app)
    follower = services.follower
    projector = services.guest_list.projector
    projector.batch = 7
    register(client, 20)
    services.guest_list._forget()
    assert projector.position() < projector.latest()
    projector.applied.clear()
    follower.start()
    try:
        for _ in range(200):
            if projector.position() >= projector.latest():
                break
            projector.applied.wait(0.1)
            projector.applied.clear()
    finally:
        follower.stop()
    assert projector.position() == projector.latest()
    assert rows(app, "SELECT COUNT(*) FROM rm_registrations") == 20
