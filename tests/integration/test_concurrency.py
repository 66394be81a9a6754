"""Concurrency tests: many threads and OS processes changing one guest list at once.

Every test runs on an SQLite file and on PostgreSQL. Threads start together at a
barrier. Where a test spreads its threads over two app instances on the same store,
each instance has its own in-process locks, so only the store's optimistic concurrency
control (a unique version per aggregate) keeps the guest list consistent, as it does
between gunicorn workers.
"""

from __future__ import annotations

import multiprocessing
import threading
import traceback
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import SLUG, FakeClock, gathering_payload, guest, make_app, services_of

pytestmark = pytest.mark.slow

T = TypeVar("T")
REGISTER = f"/api/v1/gatherings/{SLUG}/registrations"
JOIN_TIMEOUT = 60


# Helpers -----------------------------------------------------------------------------


def run_together(count: int, work: Callable[[int], T]) -> list[T]:
    """Run `work(0)` .. `work(count - 1)` in threads released at once; return the results."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count
    failures: list[BaseException] = []

    def target(index: int) -> None:
        try:
            barrier.wait(timeout=JOIN_TIMEOUT)
            results[index] = work(index)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=target, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
    if failures:
        raise failures[0]
    return results


@pytest.fixture(params=[1, 2], ids=["one-instance", "two-instances"])
def apps(request: pytest.FixtureRequest, app: Flask, database_url: str, clock: FakeClock) -> Any:
    """The app under test, and with 2 a second app instance on the same store."""
    instances = [app]
    for _ in range(request.param - 1):
        instances.append(make_app(database_url, clock))
    yield instances
    for extra in instances[1:]:
        services_of(extra).close()


def create_gathering(client: FlaskClient, organiser: dict[str, str], **overrides: Any) -> Any:
    response = client.post(
        "/api/v1/gatherings", json=gathering_payload(**overrides), headers=organiser
    )
    assert response.status_code == 201, response.json
    return response.json


def registrations(client: FlaskClient, organiser: dict[str, str], **query: Any) -> Any:
    response = client.get(REGISTER, query_string={"limit": 500, **query}, headers=organiser)
    assert response.status_code == 200, response.json
    return response.json


def gathering_uuid(app: Flask) -> UUID:
    return services_of(app).box_office.gathering(SLUG).id  # type: ignore[no-any-return]


def stored_submissions(app: Flask) -> int:
    """Return how many registrations the event store holds (all gatherings)."""
    recorder = services_of(app).box_office.recorder
    notifications = recorder.select_notifications(start=1, limit=100_000)
    return sum(1 for n in notifications if n.topic.endswith("Registration.Submitted"))


def check_store_and_read_model_agree(app: Flask, organiser: dict[str, str]) -> dict[str, Any]:
    """Assert the guest-list aggregate and the read model tell the same; return the list."""
    events = services_of(app).box_office
    guest_list = events.guest_list(gathering_uuid(app))
    listed = registrations(app.test_client(), organiser)
    states = {item["id"]: item["state"] for item in listed["items"]}
    assert listed["total"] == len(states) == stored_submissions(app)
    by_state = Counter(states.values())
    assert by_state["confirmed"] == guest_list.confirmed_count()
    assert by_state["waitlisted"] == len(guest_list.waitlist)
    assert by_state["pending"] == len(guest_list.pending)
    assert {rid for rid, state in states.items() if state == "confirmed"} == {
        str(UUID(rid)) for rid in guest_list.confirmed
    }
    view = services_of(app).guest_list
    gid = str(gathering_uuid(app))
    for rid, _category in guest_list.waitlist:
        assert view.waitlist_position(gid, str(UUID(rid))) == guest_list.waitlist_position(
            UUID(rid)
        )
    assert listed["counts"]["by_state"] == {k: v for k, v in by_state.items() if v}
    return dict(listed)


# One e-mail address, one registration --------------------------------------------------


def email_variant(index: int) -> str:
    """Return guest@example.org spelt differently: case and surrounding spaces."""
    local = "".join(c.upper() if (index >> k) & 1 else c for k, c in enumerate("guest"))
    domain = "EXAMPLE.org" if index % 3 == 0 else "example.ORG" if index % 3 == 1 else "example.org"
    return " " * (index % 3) + f"{local}@{domain}" + "\t" * (index % 2)


def test_twenty_threads_register_one_email_once_over_http(
    apps: list[Flask], gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    def register(index: int) -> tuple[int, Any]:
        client = apps[index % len(apps)].test_client()
        response = client.post(REGISTER, json=guest(index, email=email_variant(index)))
        return response.status_code, response.json

    results = run_together(20, register)

    statuses = Counter(status for status, _ in results)
    assert statuses == {201: 1, 409: 19}, results
    refusals = {body["error"]["code"] for status, body in results if status == 409}
    assert refusals == {"email_already_registered"}
    winner = next(body for status, body in results if status == 201)

    app = apps[0]
    box_office = services_of(app).box_office
    guest_list = box_office.guest_list(gathering_uuid(app))
    assert guest_list.emails == {box_office.email_hash("guest@example.org"): UUID(winner["id"]).hex}
    assert stored_submissions(app) == 1
    for instance in apps:
        listed = registrations(instance.test_client(), organiser)
        assert listed["total"] == 1
        assert [item["id"] for item in listed["items"]] == [winner["id"]]
        found = services_of(instance).guest_list.search(str(gathering_uuid(app)), text="guest@")
        assert [row.id for row in found.rows] == [winner["id"]]


def test_twenty_threads_register_one_email_once_through_services(
    apps: list[Flask], gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    from domain.errors import EmailAlreadyRegistered
    from domain.registration import GuestDetails

    def register(index: int) -> str:
        events = services_of(apps[index % len(apps)]).box_office
        details = GuestDetails(**guest(index, email=email_variant(index)))
        try:
            return str(events.register_placed(SLUG, details, "guest").registration.id)
        except EmailAlreadyRegistered:
            return "refused"

    results = run_together(20, register)

    assert results.count("refused") == 19, results
    winner = next(r for r in results if r != "refused")
    app = apps[0]
    assert stored_submissions(app) == 1
    box_office = services_of(app).box_office
    guest_list = box_office.guest_list(gathering_uuid(app))
    assert guest_list.emails == {box_office.email_hash("guest@example.org"): UUID(winner).hex}
    page = services_of(app).guest_list.search(str(gathering_uuid(app)))
    assert [row.id for row in page.rows] == [winner]
    check_store_and_read_model_agree(app, organiser)


# The last seats -------------------------------------------------------------------------


def test_fifty_threads_compete_for_the_last_ten_seats(
    apps: list[Flask], client: FlaskClient, organiser: dict[str, str]
) -> None:
    create_gathering(client, organiser, capacity=13)
    for n in range(3):
        assert client.post(REGISTER, json=guest(1000 + n)).json["state"] == "confirmed"

    def register(index: int) -> Any:
        response = apps[index % len(apps)].test_client().post(REGISTER, json=guest(index))
        assert response.status_code == 201, response.json
        return response.json

    results = run_together(50, register)

    states = Counter(body["state"] for body in results)
    assert states == {"confirmed": 10, "waitlisted": 40}
    positions = sorted(b["waitlist_position"] for b in results if b["state"] == "waitlisted")
    assert positions == list(range(1, 41))
    assert all(b["waitlist_position"] is None for b in results if b["state"] == "confirmed")

    listed = check_store_and_read_model_agree(apps[0], organiser)
    assert listed["counts"]["by_state"] == {"confirmed": 13, "waitlisted": 40}
    assert client.get(f"/api/v1/gatherings/{SLUG}").json["seats_left"] == 0
    # Every instance's read model agrees, and so does each guest's own view.
    for instance in apps:
        assert registrations(instance.test_client(), organiser)["counts"] == listed["counts"]
    view = services_of(apps[-1]).guest_list
    gid = str(gathering_uuid(apps[0]))
    for body in results:
        assert view.waitlist_position(gid, body["id"]) == body["waitlist_position"]


# Decisions racing each other and racing registrations ------------------------------------


def approve(client: FlaskClient, organiser: dict[str, str], registration_id: str) -> Any:
    return client.post(
        f"/api/v1/registrations/{registration_id}/approve", json={}, headers=organiser
    )


def cancel(client: FlaskClient, organiser: dict[str, str], registration_id: str) -> Any:
    return client.post(
        f"/api/v1/registrations/{registration_id}/cancel", json={}, headers=organiser
    )


def test_two_organisers_approve_the_last_vip_seat(
    apps: list[Flask], gathering: dict[str, Any], client: FlaskClient, organiser: dict[str, str]
) -> None:
    vips = [client.post(REGISTER, json=guest(n, category="vip")).json for n in range(4)]
    assert {v["state"] for v in vips} == {"pending"}
    for vip in vips[:2]:
        assert approve(client, organiser, vip["id"]).json["state"] == "confirmed"
    second_token, _ = services_of(apps[-1]).box_office.issue_organiser_token("bob")
    organisers = [organiser, {"Authorization": f"Bearer {second_token}"}]

    def decide(index: int) -> Any:
        instance = apps[index % len(apps)]
        response = approve(instance.test_client(), organisers[index], vips[2 + index]["id"])
        assert response.status_code == 200, response.json
        return response.json

    results = run_together(2, decide)

    assert sorted(r["state"] for r in results) == ["confirmed", "waitlisted"]
    waiting = next(r for r in results if r["state"] == "waitlisted")
    assert waiting["waitlist_position"] == 1
    listed = check_store_and_read_model_agree(apps[0], organiser)
    assert listed["counts"]["by_category"]["vip"] == {"confirmed": 3, "waitlisted": 1}


def test_two_organisers_approve_one_registration(
    apps: list[Flask], gathering: dict[str, Any], client: FlaskClient, organiser: dict[str, str]
) -> None:
    vip = client.post(REGISTER, json=guest(1, category="vip")).json

    def decide(index: int) -> int:
        return approve(apps[index % len(apps)].test_client(), organiser, vip["id"]).status_code

    assert sorted(run_together(2, decide)) == [200, 409]
    history = client.get(f"/api/v1/registrations/{vip['id']}/history", headers=organiser).json
    assert [e["type"] for e in history["events"]] == ["Submitted", "Approved"]
    check_store_and_read_model_agree(apps[0], organiser)


@pytest.mark.parametrize("waiting", [0, 2], ids=["empty-waitlist", "two-waiting"])
def test_cancel_races_new_registrations(
    apps: list[Flask],
    gathering: dict[str, Any],
    client: FlaskClient,
    organiser: dict[str, str],
    waiting: int,
) -> None:
    seated = [client.post(REGISTER, json=guest(n)).json for n in range(10)]
    queued = [client.post(REGISTER, json=guest(100 + n)).json for n in range(waiting)]
    assert [q["state"] for q in queued] == ["waitlisted"] * waiting
    newcomers = 8

    def act(index: int) -> Any:
        instance_client = apps[index % len(apps)].test_client()
        if index == 0:
            response = cancel(instance_client, organiser, seated[0]["id"])
            assert response.status_code == 200, response.json
            return None
        response = instance_client.post(REGISTER, json=guest(200 + index))
        assert response.status_code == 201, response.json
        return response.json

    fresh = [body for body in run_together(1 + newcomers, act) if body is not None]

    def state_of(registration_id: str) -> Any:
        return client.get(f"/api/v1/registrations/{registration_id}", headers=organiser).json

    now_fresh = [state_of(body["id"]) for body in fresh]
    now_queued = [state_of(body["id"]) for body in queued]
    if waiting:
        # First come, first served: the head of the waitlist takes the freed seat.
        assert [q["state"] for q in now_queued] == ["confirmed", "waitlisted"]
        assert [r["state"] for r in now_fresh] == ["waitlisted"] * newcomers
    else:
        assert Counter(r["state"] for r in now_fresh) == {
            "confirmed": 1,
            "waitlisted": newcomers - 1,
        }
    waitlist = sorted(
        r["waitlist_position"] for r in now_fresh + now_queued if r["state"] == "waitlisted"
    )
    assert waitlist == list(range(1, newcomers + waiting))
    listed = check_store_and_read_model_agree(apps[0], organiser)
    assert listed["counts"]["by_state"] == {
        "confirmed": 10,
        "cancelled": 1,
        "waitlisted": newcomers + waiting - 1,
    }


def test_two_cancels_promote_the_two_first_waiting(
    apps: list[Flask], gathering: dict[str, Any], client: FlaskClient, organiser: dict[str, str]
) -> None:
    seated = [client.post(REGISTER, json=guest(n)).json for n in range(10)]
    queued = [client.post(REGISTER, json=guest(100 + n)).json for n in range(3)]
    leaving = [seated[2]["id"], seated[7]["id"], seated[7]["id"]]  # one cancelled twice

    def act(index: int) -> int:
        instance = apps[index % len(apps)]
        return cancel(instance.test_client(), organiser, leaving[index]).status_code

    assert sorted(run_together(3, act)) == [200, 200, 409]
    states = [
        client.get(f"/api/v1/registrations/{q['id']}", headers=organiser).json for q in queued
    ]
    assert [(s["state"], s["waitlist_position"]) for s in states] == [
        ("confirmed", None),
        ("confirmed", None),
        ("waitlisted", 1),
    ]
    listed = check_store_and_read_model_agree(apps[0], organiser)
    assert listed["counts"]["by_state"] == {"confirmed": 10, "cancelled": 2, "waitlisted": 1}


# Separate OS processes ------------------------------------------------------------------


class FixedClock:
    """A clock standing still at one instant (picklable by value: an ISO string)."""

    def __init__(self, iso: str) -> None:
        self.now = datetime.fromisoformat(iso)

    def __call__(self) -> datetime:
        return self.now


def register_in_process(
    database_url: str,
    instance_path: str,
    now: str,
    guests: list[dict[str, Any]],
    barrier: Any,
    results: Any,
) -> None:
    """Child process: open own services, wait for the others, register `guests`."""
    from domain.errors import DomainError
    from domain.registration import GuestDetails
    from events_app.context import open_services

    outcomes: list[tuple[str, str, str]] = []
    try:
        services = open_services(database_url, instance_path, FixedClock(now))
        try:
            barrier.wait(timeout=JOIN_TIMEOUT)
            for details in guests:
                try:
                    registration = services.box_office.register_placed(
                        SLUG, GuestDetails(**details), "guest"
                    ).registration
                except DomainError as error:
                    outcomes.append(("refused", error.code, ""))
                else:
                    outcomes.append(("registered", str(registration.id), registration.state.value))
            # Read-your-writes from this process's own read model.
            gathering_id = str(services.box_office.gathering(SLUG).id)
            listed = {row.id for row in services.guest_list.search(gathering_id, limit=500).rows}
            missing = [o[1] for o in outcomes if o[0] == "registered" and o[1] not in listed]
            outcomes.append(("missing", ",".join(missing), ""))
        finally:
            services.close()
    except BaseException:
        barrier.abort()  # let the other processes go on at once
        outcomes.append(("error", traceback.format_exc(), ""))
    finally:
        results.put(outcomes)


def run_processes(
    database_url: str, instance_path: str, clock: FakeClock, batches: list[list[dict[str, Any]]]
) -> list[tuple[str, str, str]]:
    """Run one spawned process per batch of guests; return every outcome."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(batches))
    results = context.Queue()
    processes = [
        context.Process(
            target=register_in_process,
            args=(database_url, instance_path, clock.now.isoformat(), batch, barrier, results),
        )
        for batch in batches
    ]
    for process in processes:
        process.start()
    try:
        outcomes = [results.get(timeout=JOIN_TIMEOUT) for _ in processes]
    finally:
        for process in processes:
            process.join(timeout=JOIN_TIMEOUT)
            if process.is_alive():
                process.kill()
    assert [p.exitcode for p in processes] == [0] * len(processes)
    everything = [o for batch in outcomes for o in batch]
    assert [o[1] for o in everything if o[0] == "error"] == []
    assert [o for o in everything if o[0] == "missing" and o[1]] == []
    return [o for o in everything if o[0] != "missing"]


@pytest.fixture
def instance_path(tmp_path: Any) -> str:
    return str(tmp_path)


def test_four_processes_register_one_email_once(
    app: Flask,
    gathering: dict[str, Any],
    organiser: dict[str, str],
    database_url: str,
    instance_path: str,
    clock: FakeClock,
) -> None:
    batches = [[guest(n, email=email_variant(n))] for n in range(4)]

    outcomes = run_processes(database_url, instance_path, clock, batches)

    assert Counter(o[0] for o in outcomes) == {"registered": 1, "refused": 3}
    assert {o[1] for o in outcomes if o[0] == "refused"} == {"email_already_registered"}
    winner = next(o[1] for o in outcomes if o[0] == "registered")
    assert stored_submissions(app) == 1
    listed = check_store_and_read_model_agree(app, organiser)
    assert [item["id"] for item in listed["items"]] == [winner]


def test_processes_never_confirm_more_than_capacity(
    app: Flask,
    client: FlaskClient,
    organiser: dict[str, str],
    database_url: str,
    instance_path: str,
    clock: FakeClock,
) -> None:
    create_gathering(client, organiser, capacity=12)
    for n in range(4):
        client.post(REGISTER, json=guest(1000 + n))
    batches = [[guest(100 * p + n) for n in range(6)] for p in range(4)]

    outcomes = run_processes(database_url, instance_path, clock, batches)

    assert Counter(o[2] for o in outcomes) == {"confirmed": 8, "waitlisted": 16}
    listed = check_store_and_read_model_agree(app, organiser)
    assert listed["counts"]["by_state"] == {"confirmed": 12, "waitlisted": 16}
    guest_list = services_of(app).box_office.guest_list(gathering_uuid(app))
    assert guest_list.confirmed_count() == 12
    assert [guest_list.waitlist_position(UUID(rid)) for rid, _ in guest_list.waitlist] == list(
        range(1, 17)
    )


def open_fresh_stores(urls: list[str], instance_path: str, barrier: Any, results: Any) -> None:
    """Child process: open each (new, empty) store at the same moment as the others."""
    from events_app.config import system_clock
    from events_app.context import open_services

    outcomes = []
    for url in urls:
        barrier.wait(timeout=JOIN_TIMEOUT)
        try:
            open_services(url, instance_path, system_clock).close()
        except Exception as error:
            outcomes.append(f"{url}: {type(error).__name__}: {error}")
        else:
            outcomes.append("ok")
    results.put(outcomes)


def test_processes_start_together_on_a_new_store(
    store: str, database_url: str, instance_path: str
) -> None:
    """Like gunicorn workers booting on a new database: each creates the tables at once."""
    urls = [f"{database_url}_{n}" for n in range(8)]
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(4)
    results = context.Queue()
    processes = [
        context.Process(target=open_fresh_stores, args=(urls, instance_path, barrier, results))
        for _ in range(4)
    ]
    for process in processes:
        process.start()
    try:
        outcomes = [o for _ in processes for o in results.get(timeout=JOIN_TIMEOUT)]
    finally:
        for process in processes:
            process.join(timeout=JOIN_TIMEOUT)
            if process.is_alive():
                process.kill()
        if store == "postgres":
            drop_schemas(urls)
    assert [o for o in outcomes if o != "ok"] == []


def drop_schemas(urls: list[str]) -> None:
    import psycopg

    from events_app.store.storage import parse_database_url
    from tests.conftest import POSTGRES_URL

    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        for url in urls:
            schema = parse_database_url(url, ".").schema
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def test_a_store_error_after_the_commit_does_not_rerun_the_command(
    app: Flask, gathering: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guest list is snapshotted right after the save that brings it to version 50.

    If writing that snapshot fails (e.g. "database is locked" under load), the
    registration is already recorded: it must not be run again (and refused as a
    duplicate of itself).
    """
    from eventsourcing.persistence import OperationalError

    from domain.registration import GuestDetails

    events = services_of(app).box_office
    for n in range(48):
        events.register_placed(SLUG, GuestDetails(**guest(n)), "guest")
    assert events.guest_list(gathering_uuid(app)).version == 49
    assert events.snapshots is not None
    real_put = events.snapshots.put
    failures = []

    def failing_put(*args: Any, **kwargs: Any) -> Any:
        if not failures:
            failures.append(args)
            raise OperationalError("database is locked")
        return real_put(*args, **kwargs)

    monkeypatch.setattr(events.snapshots, "put", failing_put)

    registration = events.register_placed(SLUG, GuestDetails(**guest(48)), "guest").registration

    assert failures
    assert registration.state == "waitlisted"
    guest_list = events.guest_list(gathering_uuid(app))
    assert guest_list.version == 50
    assert guest_list.emails[events.email_hash("guest48@example.org")] == registration.id.hex
    assert stored_submissions(app) == 49
