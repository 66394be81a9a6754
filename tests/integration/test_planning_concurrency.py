"""Concurrency of planning: one slot, two organisers; the last staff badges, many exhibitors.

Every test runs on an SQLite file and on PostgreSQL, with real threads released together
at a barrier. With two app instances on the same store each instance has its own
in-process locks, so only the store's optimistic concurrency control (a unique version
per aggregate) keeps a slot from holding two firms, as between gunicorn workers.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from domain.exhibition import Exhibition
from tests.conftest import SLUG, FakeClock, make_app, services_of
from tests.integration.test_concurrency import run_together
from tests.planning_helpers import (
    EXHIBITION,
    act,
    apply_firm,
    create_gathering,
    define_slot,
    exhibitor,
    placed_firm,
    second_organiser,
    stored_count,
)

pytestmark = pytest.mark.slow
ROUNDS = 4


@pytest.fixture(params=[1, 2], ids=["one-instance", "two-instances"])
def apps(request: pytest.FixtureRequest, app: Flask, database_url: str, clock: FakeClock) -> Any:
    """The app under test, and with 2 a second app instance on the same store."""
    instances = [app]
    for _ in range(request.param - 1):
        instances.append(make_app(database_url, clock))
    yield instances
    for extra in instances[1:]:
        services_of(extra).close()


def stored_exhibition(app: Flask) -> Exhibition:
    """Return the exhibition as the store has it, read afresh."""
    events = services_of(app).box_office
    return events.load(Exhibition, Exhibition.create_id(events.gathering(SLUG).id), "exhibition")


def check_one_firm_per_slot(exhibition: Exhibition) -> None:
    """Assert the occupants and the firms' slots tell the same, one to one."""
    placed = {f["slot"]: f["id"] for f in exhibition.firms.values() if f["slot"] is not None}
    assert len(placed) == sum(1 for f in exhibition.firms.values() if f["slot"] is not None)
    assert placed == exhibition.occupant


def test_two_organisers_allocate_one_slot_to_different_firms(
    apps: list[Flask], client: FlaskClient, organiser: dict[str, str]
) -> None:
    create_gathering(client, organiser)
    organisers = [organiser, second_organiser(apps[-1], "bob")]
    for round_ in range(ROUNDS):
        code = f"B{round_ + 1:02d}"
        define_slot(client, organiser, code)
        firms = [
            apply_firm(client, organiser, f"Firm {round_}-{n}", name_zh=f"企業{round_}{n}")["id"]
            for n in range(2)
        ]

        def allocate(index: int, firms: list[str] = firms, code: str = code) -> Any:
            instance_client = apps[index % len(apps)].test_client()
            response = act(
                instance_client, organisers[index], firms[index], "allocate", {"slot": code}
            )
            return response.status_code, response.json

        results = run_together(2, allocate)

        assert sorted(status for status, _ in results) == [200, 409], results
        loser = next(body for status, body in results if status == 409)
        assert (loser["error"]["code"], loser["error"]["field"]) == ("slot_taken", "slot")
        winner = next(body for status, body in results if status == 200)
        exhibition = stored_exhibition(apps[0])
        assert exhibition.firm_in(code) == UUID(winner["id"])
        assert [f["slot"] for f in (exhibition.firm(UUID(i)) for i in firms)].count(code) == 1
        check_one_firm_per_slot(exhibition)
        history = client.get(f"{EXHIBITION}/slots/{code}/history", headers=organiser).json
        assert [e["type"] for e in history["events"]] == ["SlotDefined", "SlotAllocated"]


def test_ten_organisers_race_for_three_slots(
    apps: list[Flask], client: FlaskClient, organiser: dict[str, str]
) -> None:
    """Each of ten firms is offered every free slot in turn: all slots fill, none twice."""
    create_gathering(client, organiser)
    codes = ["A01", "A02", "A03"]
    for code in codes:
        define_slot(client, organiser, code)
    firms = [
        apply_firm(client, organiser, f"Firm {n}", name_zh=f"企業{n}")["id"] for n in range(10)
    ]

    def allocate(index: int) -> list[int]:
        instance_client = apps[index % len(apps)].test_client()
        statuses = []
        for code in codes:
            response = act(instance_client, organiser, firms[index], "allocate", {"slot": code})
            statuses.append(response.status_code)
            if response.status_code == 200:
                break
            assert response.json["error"]["code"] == "slot_taken", response.json
        return statuses

    results = run_together(10, allocate)

    assert sum(statuses.count(200) for statuses in results) == 3
    exhibition = stored_exhibition(apps[0])
    assert set(exhibition.occupant) == set(codes)
    check_one_firm_per_slot(exhibition)


def test_two_exhibitor_staff_take_the_last_badge(
    apps: list[Flask], client: FlaskClient, organiser: dict[str, str]
) -> None:
    create_gathering(client, organiser)
    define_slot(client, organiser, "B07")
    firm = placed_firm(client, organiser, "B07", staff_quota=2)
    assert exhibitor(client, 100, firm["id"]).status_code == 201

    def register(index: int) -> Any:
        response = exhibitor(apps[index % len(apps)].test_client(), index, firm["id"])
        return response.status_code, response.json

    results = run_together(2, register)

    assert sorted(status for status, _ in results) == [201, 409], results
    loser = next(body for status, body in results if status == 409)
    assert (loser["error"]["code"], loser["error"]["field"]) == ("staff_quota_exceeded", "firm_id")
    exhibition = stored_exhibition(apps[0])
    assert len(exhibition.staff_of(UUID(firm["id"]))) == 2
    assert stored_count(apps[0], "Registration.Submitted") == 2
    winner = next(body for status, body in results if status == 201)
    assert exhibition.firm_of_staff(UUID(winner["id"])) == UUID(firm["id"])


def test_twelve_exhibitor_staff_race_for_three_badges(
    apps: list[Flask], client: FlaskClient, organiser: dict[str, str]
) -> None:
    create_gathering(client, organiser)
    define_slot(client, organiser, "B07")
    firm = placed_firm(client, organiser, "B07", staff_quota=4)
    assert exhibitor(client, 100, firm["id"]).status_code == 201

    def register(index: int) -> int:
        response = exhibitor(apps[index % len(apps)].test_client(), index, firm["id"])
        if response.status_code != 201:
            assert response.json["error"]["code"] == "staff_quota_exceeded", response.json
        return response.status_code

    results = run_together(12, register)

    assert Counter(results) == {201: 3, 409: 9}
    exhibition = stored_exhibition(apps[0])
    assert len(exhibition.staff_of(UUID(firm["id"]))) == 4
    listed = client.get(
        f"/api/v1/gatherings/{SLUG}/registrations",
        query_string={"category": "exhibitor", "limit": 100},
        headers=organiser,
    ).json
    assert listed["total"] == 4
    assert {UUID(item["id"]) for item in listed["items"]} == set(
        exhibition.staff_of(UUID(firm["id"]))
    )


def test_a_withdrawal_races_its_staff_registering(
    apps: list[Flask], client: FlaskClient, organiser: dict[str, str]
) -> None:
    """Staff registering while their firm is withdrawn: none is left holding a badge."""
    create_gathering(client, organiser)
    define_slot(client, organiser, "B07")
    firm = placed_firm(client, organiser, "B07", staff_quota=10)

    def work(index: int) -> int:
        instance_client = apps[index % len(apps)].test_client()
        if index == 0:
            return int(act(instance_client, organiser, firm["id"], "withdraw").status_code)
        return int(exhibitor(instance_client, index, firm["id"]).status_code)

    results = run_together(6, work)

    assert results[0] == 200
    assert set(results[1:]) <= {201, 409}
    exhibition = stored_exhibition(apps[0])
    assert exhibition.staff_of(UUID(firm["id"])) == []
    listed = client.get(
        f"/api/v1/gatherings/{SLUG}/registrations",
        query_string={"category": "exhibitor", "limit": 100},
        headers=organiser,
    ).json
    assert listed["counts"]["by_state"].get("confirmed", 0) == 0
    assert listed["total"] == results[1:].count(201)
