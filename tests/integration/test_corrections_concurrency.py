"""Two organisers raising and lowering one capacity at once, while guests register.

Real threads, on an SQLite file and on PostgreSQL, through one app instance (its lock
serialises them) and through two (only the store's optimistic concurrency does). At no
point of the store's history are more guests confirmed than the capacity then allows,
and afterwards no guest waits while a seat they fit is free.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from domain.gathering import Gathering
from domain.guest_list import GuestList
from events_app.store.reads import replay
from tests.conftest import SLUG, guest, services_of
from tests.integration.test_concurrency import (  # noqa: F401 (apps is a fixture)
    apps,
    check_store_and_read_model_agree,
    run_together,
)

pytestmark = pytest.mark.slow
REGISTER = f"/api/v1/gatherings/{SLUG}/registrations"
GATHERING = f"/api/v1/gatherings/{SLUG}"
ROUNDS = 20


def seat_vips(client: FlaskClient, organiser: dict[str, str], count: int) -> list[str]:
    """Register and approve VIPs: the first 3 get seats, the others wait."""
    ids = []
    for n in range(count):
        rid = client.post(REGISTER, json=guest(500 + n, category="vip")).json["id"]
        client.post(f"/api/v1/registrations/{rid}/approve", json={}, headers=organiser)
        ids.append(rid)
    return ids


def check_history(app: Flask) -> int:
    """Replay the whole store in commit order; assert the limits hold after every event.

    Returns how many guest-list states were checked.
    """
    events = services_of(app).box_office
    gathering_id = Gathering.create_id(SLUG)
    list_id = GuestList.create_id(gathering_id)
    kept: dict[UUID, Any] = {}
    checked = 0
    for notification in events.recorder.select_notifications(start=1, limit=1_000_000):
        domain_event = events.mapper.to_domain_event(notification)
        if domain_event.originator_id not in (gathering_id, list_id):
            continue
        kept[domain_event.originator_id] = replay(
            kept.get(domain_event.originator_id), [domain_event]
        )
        gathering, guest_list = kept.get(gathering_id), kept.get(list_id)
        if gathering is None or guest_list is None:
            continue
        vip_limit = gathering.categories["vip"]["capacity"]
        assert guest_list.confirmed_count("vip") <= vip_limit, (notification.id, vip_limit)
        assert guest_list.confirmed_count() <= gathering.capacity, notification.id
        checked += 1
    return checked


def test_two_organisers_raise_and_lower_one_capacity_at_once(
    apps: list[Flask],  # noqa: F811
    client: FlaskClient,
    gathering: dict[str, Any],
    organiser: dict[str, str],
) -> None:
    waiting = seat_vips(client, organiser, 9)  # 3 confirmed, 6 waitlisted
    other_token, _ = services_of(apps[0]).box_office.issue_organiser_token("bob")
    tokens = [organiser, {"Authorization": f"Bearer {other_token}"}]

    def organise(index: int) -> Counter[str]:
        chance = random.Random(index)
        outcomes: Counter[str] = Counter()
        instance = apps[index % len(apps)].test_client()
        for turn in range(ROUNDS):
            if index >= 2:  # two more threads: guests registering meanwhile
                body = guest(index * 100 + turn, category="guest")
                outcomes[str(instance.post(REGISTER, json=body).status_code)] += 1
                continue
            raise_it = (index + turn // 2) % 2 == 0
            if turn % 2 == 0:
                vip = chance.randint(4, 9) if raise_it else chance.randint(1, 3)
                body: dict[str, Any] = {"categories": {"vip": {"capacity": vip}}}
            else:
                body = {"capacity": chance.randint(15, 30) if raise_it else chance.randint(9, 14)}
            response = instance.patch(GATHERING, json=body, headers=tokens[index])
            assert response.status_code in (200, 409), response.json
            if response.status_code == 409:
                assert response.json["error"]["code"] == "capacity_below_confirmed"
                assert "guests are confirmed" in response.json["error"]["message"]
            outcomes[str(response.status_code)] += 1
        return outcomes

    results = run_together(5, organise)

    app = apps[0]
    totals = sum(results, Counter())
    assert totals["200"] > 0
    assert check_history(app) > ROUNDS
    final = services_of(app).box_office
    gathering_now = final.gathering(SLUG)
    guest_list = final.guest_list(gathering_now.id)
    vip_limit = gathering_now.categories["vip"]["capacity"]
    vip_seated = guest_list.confirmed_count("vip")
    assert vip_seated <= vip_limit
    assert guest_list.confirmed_count() <= gathering_now.capacity
    vip_waiting = [rid for rid, category in guest_list.waitlist if category == "vip"]
    if vip_waiting:  # they wait only because no seat they fit is free
        full = vip_seated >= vip_limit or guest_list.confirmed_count() >= gathering_now.capacity
        assert full, (vip_seated, vip_limit)
    seated_order = [UUID(r).hex for r in waiting if UUID(r).hex in guest_list.confirmed]
    assert seated_order == [UUID(r).hex for r in waiting[: len(seated_order)]]  # FIFO
    check_store_and_read_model_agree(app, organiser)
