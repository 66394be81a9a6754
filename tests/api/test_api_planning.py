"""Application tests of the planning API (exhibition, ceremonies, running order).

Run on SQLite and on PostgreSQL (the `client` fixture is parametrised over both stores).
Every refused command is checked to answer its stable 4xx code and to write nothing.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from domain.running_order import RunningOrder
from tests.checkin_helpers import enrol_device
from tests.conftest import SLUG, FakeClock, gathering_payload, services_of
from tests.planning_helpers import (
    AGENDA,
    CEREMONIES,
    EXHIBITION,
    REGISTER,
    act,
    add_item,
    agenda_body,
    apply_firm,
    assert_error,
    ceremony_body,
    create_gathering,
    define_slot,
    exhibition_version,
    exhibitor,
    firm_body,
    item_body,
    placed_firm,
    plan_ceremony,
    schedule,
    second_organiser,
    stored_count,
    stored_events,
)


@pytest.fixture
def show(client: FlaskClient, organiser: dict[str, str]) -> dict[str, Any]:
    """A gathering with exhibitors and four booth slots."""
    gathering = create_gathering(client, organiser)
    for code in ("A01", "A02", "B07", "B08"):
        define_slot(client, organiser, code)
    return dict(gathering)


def exhibition(client: FlaskClient, organiser: dict[str, str]) -> Any:
    response = client.get(EXHIBITION, headers=organiser)
    assert response.status_code == 200, response.json
    return response.json


def firm(client: FlaskClient, organiser: dict[str, str], firm_id: str) -> Any:
    response = client.get(f"{EXHIBITION}/firms/{firm_id}", headers=organiser)
    assert response.status_code == 200, response.json
    return response.json


def mismatch(case: str, response: Any, status: int, code: str, field: str | None) -> list[str]:
    """Return what is wrong with a refusal (nothing when it has this status, code and field)."""
    body = response.json or {}
    error = body.get("error") or {}
    got = (response.status_code, error.get("code"), error.get("field"))
    if got != (status, code, field) or (field and field not in error.get("fields", {})):
        return [f"{case}: expected {(status, code, field)}, got {got}: {body}"]
    return []


# Exhibition ------------------------------------------------------------------------------


def test_a_new_exhibition_is_empty_with_the_three_sectors(
    app: Flask, client: FlaskClient, organiser: dict[str, str]
) -> None:
    create_gathering(client, organiser)
    body = exhibition(client, organiser)
    assert body["version"] == 0
    assert body["sectors"] == ["life-health", "ai-data", "advanced-manufacturing"]
    assert (body["slots"], body["firms"], body["free_slots"]) == ([], [], [])
    sectors = client.get(f"{EXHIBITION}/sectors", headers=organiser).json
    assert sectors["items"] == body["sectors"]
    added = client.post(f"{EXHIBITION}/sectors", json={"sector": "clean-energy"}, headers=organiser)
    assert added.status_code == 201
    assert added.json["items"][-1] == "clean-energy"
    version = exhibition_version(app)
    again = client.post(f"{EXHIBITION}/sectors", json={"sector": "clean-energy"}, headers=organiser)
    assert_error(again, 409, "already_exists", "sector")
    assert exhibition_version(app) == version


def test_slots_are_defined_changed_and_removed(
    app: Flask, show: dict[str, Any], client: FlaskClient, organiser: dict[str, str]
) -> None:
    changed = client.put(
        f"{EXHIBITION}/slots/b07",
        json={"zone": "Block B, east wing", "floor": "1/F", "sector": "life-health"},
        headers=organiser,
    )
    assert changed.status_code == 200
    assert changed.json == {
        "code": "B07",
        "zone": "Block B, east wing",
        "floor": "1/F",
        "sector": "life-health",
        "size": "",
        "firm_id": None,
        "firm_name_en": None,
        "firm_name_zh": None,
    }
    body = exhibition(client, organiser)
    assert [s["code"] for s in body["slots"]] == ["A01", "A02", "B07", "B08"]
    assert body["free_slots"] == ["A01", "A02", "B07", "B08"]
    removed = client.delete(f"{EXHIBITION}/slots/A02", headers=organiser)
    assert removed.status_code == 204
    assert [s["code"] for s in exhibition(client, organiser)["slots"]] == ["A01", "B07", "B08"]
    assert_error(client.delete(f"{EXHIBITION}/slots/A02", headers=organiser), 404, "not_found")


def test_a_firm_applies_is_allocated_and_confirms(
    show: dict[str, Any], client: FlaskClient, organiser: dict[str, str]
) -> None:
    applied = apply_firm(client, organiser)
    assert applied["state"] == "applied"
    assert applied["slot"] is None
    assert (applied["staff_quota"], applied["staff_taken"], applied["staff_left"]) == (2, 0, 2)
    allocated = act(client, organiser, applied["id"], "allocate", {"slot": "b07"})
    assert allocated.status_code == 200
    assert (allocated.json["state"], allocated.json["slot"]) == ("allocated", "B07")
    confirmed = act(client, organiser, applied["id"], "confirm")
    assert confirmed.json["state"] == "confirmed"
    body = exhibition(client, organiser)
    b07 = next(s for s in body["slots"] if s["code"] == "B07")
    assert (b07["firm_id"], b07["firm_name_zh"]) == (applied["id"], "力感機器人")
    assert "B07" not in body["free_slots"]
    assert body["staff_quota"] == 2
    redefined = client.put(
        f"{EXHIBITION}/slots/b07", json={"sector": "ai-data", "zone": "Hall"}, headers=organiser
    )
    assert (redefined.json["code"], redefined.json["firm_id"]) == ("B07", applied["id"])
    listed = client.get(
        f"{EXHIBITION}/firms", query_string={"state": "confirmed"}, headers=organiser
    ).json
    assert [f["id"] for f in listed["items"]] == [applied["id"]]
    none = client.get(f"{EXHIBITION}/firms", query_string={"state": "applied"}, headers=organiser)
    assert none.json["items"] == []


def test_a_firm_profile_changes(
    show: dict[str, Any], client: FlaskClient, organiser: dict[str, str]
) -> None:
    applied = apply_firm(client, organiser)
    body = firm_body(name_en="Force Sense Robotics Ltd", staff_quota=4, sector="ai-data")
    changed = client.put(f"{EXHIBITION}/firms/{applied['id']}", json=body, headers=organiser)
    assert changed.status_code == 200, changed.json
    assert (changed.json["name_en"], changed.json["staff_quota"]) == ("Force Sense Robotics Ltd", 4)
    assert changed.json["sector"] == "ai-data"


def test_who_moved_booth_b07_and_when(
    app: Flask,
    show: dict[str, Any],
    client: FlaskClient,
    organiser: dict[str, str],
    clock: FakeClock,
) -> None:
    force = placed_firm(client, organiser, "B07")
    clock.advance(hours=2)
    moved_at = clock.now
    bob = second_organiser(app, "bob")
    moved = act(client, bob, force["id"], "move", {"slot": "A01"})
    assert moved.status_code == 200, moved.json
    assert moved.json["slot"] == "A01"
    clock.advance(minutes=5)
    vision = placed_firm(client, organiser, "B07", "Sandbar Vision", name_zh="沙洲視覺")

    history = client.get(f"{EXHIBITION}/slots/b07/history", headers=organiser)

    assert history.status_code == 200
    events = history.json["events"]
    assert history.json["subject"] == "booth B07"
    assert [e["type"] for e in events] == [
        "SlotDefined",
        "SlotAllocated",
        "FirmMoved",
        "SlotAllocated",
    ]
    move = events[2]
    assert move["actor"].startswith("organiser:bob#")
    assert UUID(move["data"]["firm_id"]) == UUID(force["id"])
    assert (move["data"]["from_slot"], move["data"]["to_slot"]) == ("B07", "A01")
    assert move["at"].startswith(moved_at.isoformat()[:19])
    assert move["summary"] == "Force Sense Robotics 力感機器人 moved from booth B07 to A01"
    assert events[3]["summary"] == "booth B07 allocated to Sandbar Vision 沙洲視覺"
    assert events[1]["actor"].startswith("organiser:alice#")
    # The firm's own history tells the same move.
    firm_history = client.get(f"{EXHIBITION}/firms/{force['id']}/history", headers=organiser).json[
        "events"
    ]
    assert [e["type"] for e in firm_history] == ["FirmApplied", "SlotAllocated", "FirmMoved"]
    assert UUID(vision["id"]) not in {UUID(e["data"]["firm_id"]) for e in firm_history}


def test_a_removed_slot_keeps_its_history(
    show: dict[str, Any], client: FlaskClient, organiser: dict[str, str]
) -> None:
    assert client.delete(f"{EXHIBITION}/slots/B08", headers=organiser).status_code == 204
    history = client.get(f"{EXHIBITION}/slots/B08/history", headers=organiser).json["events"]
    assert [e["type"] for e in history] == ["SlotDefined", "SlotRemoved"]
    unknown = client.get(f"{EXHIBITION}/slots/Z99/history", headers=organiser)
    assert_error(unknown, 404, "not_found", "slot")


def test_two_firms_swap_booths(
    show: dict[str, Any], client: FlaskClient, organiser: dict[str, str]
) -> None:
    first = placed_firm(client, organiser, "A01")
    second = placed_firm(client, organiser, "B07", "Sandbar Vision")
    body = {"first_firm_id": first["id"], "second_firm_id": second["id"]}
    swapped = client.post(f"{EXHIBITION}/swap", json=body, headers=organiser)
    assert swapped.status_code == 200, swapped.json
    assert [(f["id"], f["slot"]) for f in swapped.json["items"]] == [
        (first["id"], "B07"),
        (second["id"], "A01"),
    ]
    history = client.get(f"{EXHIBITION}/slots/A01/history", headers=organiser).json["events"]
    assert history[-1]["type"] == "FirmsSwapped"
    assert "swapped booths" in history[-1]["summary"]


def test_withdrawing_a_firm_frees_its_slot_and_cancels_its_staff(
    app: Flask, show: dict[str, Any], client: FlaskClient, organiser: dict[str, str]
) -> None:
    force = placed_firm(client, organiser, "B07", staff_quota=3)
    staff = [exhibitor(client, n, force["id"]).json for n in range(2)]
    assert [s["state"] for s in staff] == ["confirmed", "confirmed"]
    assert firm(client, organiser, force["id"])["staff_taken"] == 2
    other = exhibitor(client, 9, placed_firm(client, organiser, "A01", "Sandbar Vision")["id"])
    assert other.status_code == 201

    withdrawn = act(client, organiser, force["id"], "withdraw", {"reason": "cannot attend"})

    assert withdrawn.status_code == 200, withdrawn.json
    assert (withdrawn.json["state"], withdrawn.json["slot"]) == ("withdrawn", None)
    assert withdrawn.json["staff_taken"] == 0
    for registration in staff:
        now = client.get(f"/api/v1/registrations/{registration['id']}", headers=organiser).json
        assert now["state"] == "cancelled"
        history = client.get(
            f"/api/v1/registrations/{registration['id']}/history", headers=organiser
        ).json["events"]
        assert history[-1]["type"] == "Cancelled"
        assert history[-1]["data"]["reason"] == "exhibitor withdrawn: cannot attend"
    still = client.get(f"/api/v1/registrations/{other.json['id']}", headers=organiser).json
    assert still["state"] == "confirmed"
    assert "B07" in exhibition(client, organiser)["free_slots"]
    listed = client.get(REGISTER, query_string={"category": "exhibitor"}, headers=organiser).json
    assert listed["counts"]["by_state"] == {"cancelled": 2, "confirmed": 1}
    # The freed slot goes to another firm; the withdrawn firm can do nothing more.
    placed_firm(client, organiser, "B07", "Lion Rock Imaging", sector="life-health")
    assert_error(act(client, organiser, force["id"], "confirm"), 409, "invalid_transition")
    history = client.get(f"{EXHIBITION}/firms/{force['id']}/history", headers=organiser).json
    assert history["events"][-1]["type"] == "FirmWithdrawn"
    assert history["events"][-1]["summary"].endswith("booth B07 freed: cannot attend")


# Exhibitor staff and their quota ---------------------------------------------------------


def test_exhibitor_staff_take_their_firm_s_badges_up_to_its_quota(
    app: Flask, show: dict[str, Any], client: FlaskClient, organiser: dict[str, str]
) -> None:
    force = placed_firm(client, organiser, "B07")
    first = exhibitor(client, 1, force["id"])
    assert first.status_code == 201, first.json
    assert first.json["firm_id"] == force["id"]
    assert exhibitor(client, 2, force["id"]).status_code == 201
    submissions, version = stored_count(app, "Registration.Submitted"), exhibition_version(app)

    third = exhibitor(client, 3, force["id"])

    assert_error(third, 409, "staff_quota_exceeded", "firm_id")
    assert stored_count(app, "Registration.Submitted") == submissions
    assert exhibition_version(app) == version
    assert firm(client, organiser, force["id"])["staff_taken"] == 2
    # A cancelled staff registration gives its badge back.
    cancelled = client.post(
        f"/api/v1/registrations/{first.json['id']}/cancel", json={}, headers=organiser
    )
    assert cancelled.status_code == 200
    assert firm(client, organiser, force["id"])["staff_taken"] == 1
    assert exhibitor(client, 3, force["id"]).status_code == 201


STAFF_REFUSALS = {
    # case: (status, code); every one names the field firm_id
    "no-firm": (422, "invalid_value"),
    "guest-with-firm": (422, "invalid_value"),
    "unknown-firm": (404, "not_found"),
    "applied-firm": (409, "invalid_transition"),
    "withdrawn-firm": (409, "invalid_transition"),
    "bad-id": (422, "validation_failed"),
}


def test_exhibitor_staff_must_name_a_placed_firm(
    app: Flask, show: dict[str, Any], client: FlaskClient, organiser: dict[str, str]
) -> None:
    placed = placed_firm(client, organiser, "B07")
    applied = apply_firm(client, organiser, "Sandbar Vision")
    withdrawn = placed_firm(client, organiser, "A01", "Lion Rock Imaging", name_zh="獅子山")
    assert act(client, organiser, withdrawn["id"], "withdraw").status_code == 200
    firm_ids: dict[str, Any] = {
        "no-firm": None,
        "guest-with-firm": placed["id"],
        "unknown-firm": "5b1e8f8e-0000-4000-8000-000000000000",
        "applied-firm": applied["id"],
        "withdrawn-firm": withdrawn["id"],
        "bad-id": "B07",
    }
    version = exhibition_version(app)
    wrong = []
    for case, (status, code) in STAFF_REFUSALS.items():
        category = "guest" if case == "guest-with-firm" else "exhibitor"
        body = {**_guest(1), "category": category, "firm_id": firm_ids[case]}
        wrong += mismatch(case, client.post(REGISTER, json=body), status, code, "firm_id")
    assert wrong == []
    assert stored_count(app, "Registration.Submitted") == 0
    assert exhibition_version(app) == version


def _guest(n: int) -> dict[str, Any]:
    from tests.conftest import guest

    return guest(n)


# Bad input on the exhibition: clear 4xx, nothing written -----------------------------------


def bad_exhibition_requests(firms: dict[str, str]) -> dict[str, tuple[str, str, Any]]:
    """Requests the exhibition must refuse, by name: (method, path, body)."""
    placed, other, applied = firms["placed"], firms["other"], firms["applied"]
    return {
        "allocate-unknown-slot": ("POST", f"firms/{applied}/allocate", {"slot": "Z99"}),
        "allocate-taken-slot": ("POST", f"firms/{applied}/allocate", {"slot": "B07"}),
        "allocate-a-placed-firm": ("POST", f"firms/{placed}/allocate", {"slot": "A02"}),
        "move-to-taken-slot": ("POST", f"firms/{placed}/move", {"slot": "A01"}),
        "move-to-own-slot": ("POST", f"firms/{placed}/move", {"slot": "B07"}),
        "move-to-unknown-slot": ("POST", f"firms/{other}/move", {"slot": "Z99"}),
        "move-an-applicant": ("POST", f"firms/{applied}/move", {"slot": "A02"}),
        "confirm-an-applicant": ("POST", f"firms/{applied}/confirm", None),
        "swap-with-itself": (
            "POST",
            "swap",
            {"first_firm_id": placed, "second_firm_id": placed},
        ),
        "swap-an-applicant": (
            "POST",
            "swap",
            {"first_firm_id": placed, "second_firm_id": applied},
        ),
        "remove-a-taken-slot": ("DELETE", "slots/B07", None),
        "slot-of-unknown-sector": ("PUT", "slots/C01", {"sector": "space-travel"}),
        "slot-code-with-a-space": ("PUT", "slots/C 01", {"sector": "ai-data"}),
        "slot-code-too-long": ("PUT", "slots/C0123456789012", {"sector": "ai-data"}),
        "firm-without-a-name": ("POST", "firms", firm_body(name_en="", name_zh="")),
        "firm-name-too-long": ("POST", "firms", firm_body("x" * 201)),
        "firm-name-zh-too-long": ("POST", "firms", firm_body(name_zh="科" * 101)),
        "firm-quota-too-high": ("POST", "firms", firm_body(staff_quota=51)),
        "firm-quota-negative": ("POST", "firms", firm_body(staff_quota=-1)),
        "firm-applies-twice": ("POST", "firms", firm_body("sandbar vision", name_zh="沙洲視覺")),
        "firm-bad-email": ("POST", "firms", firm_body(contact_email="not-an-address")),
        "quota-below-staff": ("PUT", f"firms/{placed}", firm_body(staff_quota=0)),
        "unknown-firm": ("POST", "firms/5b1e8f8e-0000-4000-8000-000000000000/confirm", None),
        "sector-bad-name": ("POST", "sectors", {"sector": "Clean Energy!"}),
    }


EXPECTED = {
    "allocate-unknown-slot": (404, "not_found", "slot"),
    "allocate-taken-slot": (409, "slot_taken", "slot"),
    "allocate-a-placed-firm": (409, "firm_already_placed", "firm_id"),
    "move-to-taken-slot": (409, "slot_taken", "slot"),
    "move-to-own-slot": (422, "invalid_value", "slot"),
    "move-to-unknown-slot": (404, "not_found", "slot"),
    "move-an-applicant": (409, "invalid_transition", "firm_id"),
    "confirm-an-applicant": (409, "invalid_transition", "firm_id"),
    "swap-with-itself": (422, "invalid_value", "second_firm_id"),
    "swap-an-applicant": (409, "invalid_transition", "firm_id"),
    "remove-a-taken-slot": (409, "slot_taken", "slot"),
    "slot-of-unknown-sector": (422, "invalid_value", "sector"),
    "slot-code-with-a-space": (422, "invalid_value", "code"),
    "slot-code-too-long": (422, "invalid_value", "code"),
    "firm-without-a-name": (422, "invalid_value", "name_en"),
    "firm-name-too-long": (422, "validation_failed", "name_en"),
    "firm-name-zh-too-long": (422, "validation_failed", "name_zh"),
    "firm-quota-too-high": (422, "validation_failed", "staff_quota"),
    "firm-quota-negative": (422, "validation_failed", "staff_quota"),
    "firm-applies-twice": (409, "already_exists", "name_en"),
    "firm-bad-email": (422, "validation_failed", "contact_email"),
    "quota-below-staff": (409, "staff_quota_exceeded", "staff_quota"),
    "unknown-firm": (404, "not_found", "firm_id"),
    "sector-bad-name": (422, "validation_failed", "sector"),
}


def test_bad_exhibition_commands_answer_their_code_and_write_nothing(
    app: Flask, show: dict[str, Any], client: FlaskClient, organiser: dict[str, str]
) -> None:
    placed = placed_firm(client, organiser, "B07")
    assert exhibitor(client, 1, placed["id"]).status_code == 201
    other = placed_firm(client, organiser, "A01", "Sandbar Vision", name_zh="沙洲視覺")
    applied = apply_firm(client, organiser, "Lion Rock Imaging", name_zh="獅子山醫學影像")
    requests = bad_exhibition_requests(
        {"placed": placed["id"], "other": other["id"], "applied": applied["id"]}
    )
    assert set(requests) == set(EXPECTED)
    version = exhibition_version(app)
    before = exhibition(client, organiser)
    wrong = []

    for case, (method, path, body) in requests.items():
        response = client.open(f"{EXHIBITION}/{path}", method=method, json=body, headers=organiser)
        wrong += mismatch(case, response, *EXPECTED[case])
        if exhibition_version(app) != version:
            wrong.append(f"{case}: wrote to the exhibition")
            break

    assert wrong == []
    assert exhibition(client, organiser) == before


# Ceremonies --------------------------------------------------------------------------------


def ceremony(client: FlaskClient, organiser: dict[str, str], ceremony_id: str) -> Any:
    response = client.get(f"{CEREMONIES}/{ceremony_id}", headers=organiser)
    assert response.status_code == 200, response.json
    return response.json


def test_a_signing_goes_from_planned_to_ready_to_signed(
    app: Flask, client: FlaskClient, organiser: dict[str, str], clock: FakeClock
) -> None:
    create_gathering(client, organiser)
    planned = plan_ceremony(client, organiser)
    assert (planned["state"], planned["kind"], planned["items"]) == ("planned", "signing", [])
    assert planned["starts_at"] == "2026-03-02T10:50:00+08:00"
    first = add_item(client, organiser, planned["id"])
    second = add_item(client, organiser, planned["id"], reference="SAMPLE-TA-002")
    assert [i["reference"] for i in second["items"]] == ["SAMPLE-TA-001", "SAMPLE-TA-002"]
    assert second["items"][0]["people"][0]["name_zh"] == "陳大文"
    path = f"{CEREMONIES}/{planned['id']}"
    reordered = client.post(
        f"{path}/reorder", json={"order": [second["item_id"], first["item_id"]]}, headers=organiser
    )
    assert [i["reference"] for i in reordered.json["items"]] == ["SAMPLE-TA-002", "SAMPLE-TA-001"]
    ready = client.post(f"{path}/ready", headers=organiser)
    assert ready.json["state"] == "ready"
    # Editing a ready document sends it back to planned.
    edited = client.put(
        f"{path}/items/{first['item_id']}",
        json=item_body(clauses=["1. Premises: office B-403, Block B."]),
        headers=organiser,
    )
    assert edited.status_code == 200, edited.json
    assert edited.json["state"] == "planned"
    assert client.post(f"{path}/ready", headers=organiser).json["state"] == "ready"
    clock.advance(days=29)
    signed = client.post(
        f"{path}/complete", json={"happened_at": "2026-03-02T10:58:00+08:00"}, headers=organiser
    )
    assert signed.status_code == 200, signed.json
    assert signed.json["state"] == "signed"
    assert signed.json["completed_at"] == "2026-03-02T10:58:00+08:00"
    assert signed.json["completed_by"].startswith("organiser:alice#")
    history = client.get(f"{path}/history", headers=organiser).json
    assert [e["type"] for e in history["events"]] == [
        "Planned",
        "ItemAdded",
        "ItemAdded",
        "ItemsReordered",
        "MarkedReady",
        "ItemChanged",
        "MarkedReady",
        "Completed",
    ]
    assert history["events"][-1]["summary"] == "signed at 2026-03-02T10:58:00+08:00"
    assert history["events"][-1]["at"] == clock.now.isoformat()


def test_an_award_is_awarded_and_the_list_is_in_time_order(
    client: FlaskClient, organiser: dict[str, str]
) -> None:
    create_gathering(client, organiser)
    award = plan_ceremony(
        client,
        organiser,
        kind="award",
        title_en="Business-visa endorsement certificates",
        title_zh="頒發成功辦理商務簽注證書",
        starts_at="2026-03-02T11:45:00+08:00",
    )
    signing = plan_ceremony(client, organiser)
    add_item(client, organiser, award["id"], reference="SAMPLE-BVE-001")
    path = f"{CEREMONIES}/{award['id']}"
    assert client.post(f"{path}/ready", headers=organiser).json["state"] == "ready"
    awarded = client.post(f"{path}/complete", json=ON_THE_DAY, headers=organiser)
    assert awarded.json["state"] == "awarded"
    listed = client.get(CEREMONIES, headers=organiser).json["items"]
    assert [c["id"] for c in listed] == [signing["id"], award["id"]]


def ceremony_in_state(client: FlaskClient, organiser: dict[str, str], state: str) -> Any:
    """Return a ceremony with one item, brought to `state`."""
    planned = plan_ceremony(client, organiser)
    item = add_item(client, organiser, planned["id"])
    path = f"{CEREMONIES}/{planned['id']}"
    if state in ("ready", "signed"):
        assert client.post(f"{path}/ready", headers=organiser).status_code == 200
    if state == "signed":
        signed = client.post(f"{path}/complete", json=ON_THE_DAY, headers=organiser)
        assert signed.status_code == 200
    if state == "withdrawn":
        assert client.post(f"{path}/withdraw", json={}, headers=organiser).status_code == 200
    return {**ceremony(client, organiser, planned["id"]), "item_id": item["item_id"]}


def details_body(**changes: Any) -> dict[str, Any]:
    """Return a ceremony's changed title, time and place (a ceremony's kind never changes)."""
    body = ceremony_body(**changes)
    del body["kind"]
    return body


ON_THE_DAY = {"happened_at": "2026-03-02T11:00:00+08:00"}
CEREMONY_REFUSALS = [
    # (state, method, path under the ceremony, body, status, code, field)
    ("signed", "PUT", "items/{item}", item_body(), 409, "document_locked", "state"),
    ("signed", "POST", "items", item_body("SAMPLE-TA-009"), 409, "document_locked", "state"),
    ("signed", "DELETE", "items/{item}", None, 409, "document_locked", "state"),
    ("signed", "PUT", "", details_body(title_en="Renamed"), 409, "document_locked", "state"),
    ("signed", "POST", "withdraw", {}, 409, "document_locked", "state"),
    ("signed", "POST", "complete", {}, 409, "invalid_transition", "state"),
    ("withdrawn", "POST", "complete", {}, 409, "invalid_transition", "state"),
    ("withdrawn", "POST", "ready", None, 409, "invalid_transition", "state"),
    ("withdrawn", "PUT", "items/{item}", item_body(), 409, "invalid_transition", "state"),
    ("planned", "POST", "complete", {}, 409, "invalid_transition", "state"),
    ("ready", "POST", "complete", {}, 422, "outside_gathering", "happened_at"),
    (
        "ready",
        "POST",
        "complete",
        {"happened_at": "2025-12-02T11:00:00+08:00"},
        422,
        "outside_gathering",
        "happened_at",
    ),
    ("ready", "POST", "ready", None, 409, "invalid_transition", "state"),
    ("planned", "POST", "items", item_body(), 409, "already_exists", "reference"),
    ("planned", "POST", "reorder", {"order": []}, 422, "invalid_value", "order"),
    ("planned", "PUT", "items/nope", item_body(), 404, "not_found", "item_id"),
    ("planned", "DELETE", "items/nope", None, 404, "not_found", "item_id"),
    (
        "planned",
        "PUT",
        "",
        details_body(starts_at="2026-03-02T14:00:00+08:00"),
        422,
        "outside_gathering",
        "starts_at",
    ),
    (
        "planned",
        "PUT",
        "",
        details_body(starts_at="2026-03-02T10:50:00"),
        422,
        "validation_failed",
        "starts_at",
    ),
    ("planned", "PUT", "", details_body(title_en=""), 422, "validation_failed", "title_en"),
    ("planned", "PUT", "", details_body(title_en="   "), 422, "validation_failed", "title_en"),
    ("planned", "PUT", "", details_body(title_zh="簽" * 101), 422, "validation_failed", "title_zh"),
    ("planned", "POST", "items", item_body(reference=""), 422, "validation_failed", "reference"),
    (
        "planned",
        "POST",
        "items",
        item_body("SAMPLE-X", parties=["HKSTP", "HKSTP"]),
        422,
        "invalid_value",
        "parties",
    ),
    (
        "planned",
        "POST",
        "items",
        item_body("SAMPLE-X", people=[{"name_en": "", "name_zh": "", "organisation": "HKSTP"}]),
        422,
        "invalid_value",
        "people",
    ),
    (
        "planned",
        "POST",
        "items",
        item_body("SAMPLE-X", clauses=["x" * 4001]),
        422,
        "validation_failed",
        "clauses.0",
    ),
    (
        "planned",
        "POST",
        "items",
        item_body(
            "SAMPLE-X", people=[{"organisation": "HKSTP", "registration_id": str(UUID(int=7))}]
        ),
        404,
        "not_found",
        "people",
    ),
    (
        "planned",
        "POST",
        "complete",
        {"happened_at": "2026-03-02T11:00"},
        422,
        "validation_failed",
        "happened_at",
    ),
]


def test_bad_ceremony_commands_answer_their_code_and_write_nothing(
    app: Flask, client: FlaskClient, organiser: dict[str, str]
) -> None:
    create_gathering(client, organiser)
    subjects = {
        state: ceremony_in_state(client, organiser, state)
        for state in ("planned", "ready", "signed", "withdrawn")
    }
    wrong = []

    for n, (state, method, path, body, status, code, field) in enumerate(CEREMONY_REFUSALS):
        subject = subjects[state]
        url = f"{CEREMONIES}/{subject['id']}/{path.format(item=subject['item_id'])}".rstrip("/")
        events = stored_events(app, UUID(subject["id"]))
        response = client.open(url, method=method, json=body, headers=organiser)
        case = f"#{n} {state} {method} {path or 'details'}"
        wrong += mismatch(case, response, status, code, field)
        if stored_events(app, UUID(subject["id"])) != events:
            wrong.append(f"{case}: wrote to the ceremony")
            break

    assert wrong == []
    for state, subject in subjects.items():
        after = ceremony(client, organiser, subject["id"])
        assert (after["state"], after["items"], after["version"]) == (
            state,
            subject["items"],
            subject["version"],
        )


def test_a_ready_ceremony_needs_people_and_text(
    client: FlaskClient, organiser: dict[str, str]
) -> None:
    create_gathering(client, organiser)
    empty = plan_ceremony(client, organiser)
    path = f"{CEREMONIES}/{empty['id']}"
    assert_error(client.post(f"{path}/ready", headers=organiser), 422, "invalid_value", "items")
    add_item(client, organiser, empty["id"], clauses=[])
    assert_error(client.post(f"{path}/ready", headers=organiser), 422, "invalid_value", "clauses")


BAD_CEREMONIES = [
    ({"starts_at": "2026-03-02T08:00:00+08:00"}, 422, "outside_gathering", "starts_at"),
    ({"starts_at": "2026-03-03T10:50:00+08:00"}, 422, "outside_gathering", "starts_at"),
    ({"starts_at": "2026-03-02T10:50:00"}, 422, "validation_failed", "starts_at"),
    ({"kind": "concert"}, 422, "validation_failed", "kind"),
    ({"title_en": ""}, 422, "validation_failed", "title_en"),
    ({"title_en": "T" * 201}, 422, "validation_failed", "title_en"),
    ({"title_zh": ""}, 422, "validation_failed", "title_zh"),
    ({"title_zh": "題" * 101}, 422, "validation_failed", "title_zh"),
]


def test_a_bad_ceremony_is_not_planned(
    app: Flask, client: FlaskClient, organiser: dict[str, str]
) -> None:
    create_gathering(client, organiser)
    wrong = []
    for changes, status, code, field in BAD_CEREMONIES:
        response = client.post(CEREMONIES, json=ceremony_body(**changes), headers=organiser)
        wrong += mismatch(str(changes)[:60], response, status, code, field)
    assert wrong == []
    assert stored_count(app, "Ceremony.Planned") == 0
    assert client.get(CEREMONIES, headers=organiser).json["items"] == []


def test_a_ceremony_of_another_gathering_is_not_found(
    client: FlaskClient, organiser: dict[str, str]
) -> None:
    create_gathering(client, organiser)
    other = client.post(
        "/api/v1/gatherings", json=gathering_payload(slug="other-launch"), headers=organiser
    )
    assert other.status_code == 201
    mine = plan_ceremony(client, organiser)
    theirs = f"/api/v1/gatherings/other-launch/ceremonies/{mine['id']}"
    assert_error(client.get(theirs, headers=organiser), 404, "not_found")
    assert_error(client.post(f"{theirs}/ready", headers=organiser), 404, "not_found")
    assert_error(
        client.get(f"{CEREMONIES}/{UUID(int=5)}/history", headers=organiser), 404, "not_found"
    )


# Running order ----------------------------------------------------------------------------


def running_order_events(app: Flask) -> int:
    gathering_id = services_of(app).box_office.gathering(SLUG).id
    return stored_events(app, RunningOrder.create_id(gathering_id))


def test_the_running_order_is_kept_in_time_order(
    app: Flask, client: FlaskClient, organiser: dict[str, str]
) -> None:
    create_gathering(client, organiser)
    speech = schedule(client, organiser, "09:45", "09:55")
    opening = schedule(
        client,
        organiser,
        "09:30",
        "09:45",
        title_en="Opening and launch ceremony",
        title_zh="開幕暨啟動儀式",
        kind="ceremony",
        speaker_name="",
    )
    show = schedule(
        client,
        organiser,
        "09:30",
        "13:00",
        title_en="Science and technology achievements exhibition",
        title_zh="科創成果展",
        kind="exhibition",
        location="Block B exhibition hall",
        speaker_name="",
    )
    tour = schedule(
        client,
        organiser,
        "10:15",
        "10:45",
        title_en="Exhibition tour",
        title_zh="參觀科創成果展",
        kind="tour",
        location="Block B exhibition hall",
        parallel=True,
        speaker_name="",
    )
    agenda = client.get(AGENDA, headers=organiser).json
    assert [i["id"] for i in agenda["items"]] == [
        opening["id"],
        show["id"],
        speech["id"],
        tour["id"],
    ]
    assert agenda["items"][0]["starts_at"] == "2026-03-02T09:30:00+08:00"
    assert agenda["version"] == running_order_events(app)
    one = client.get(f"{AGENDA}/{speech['id']}", headers=organiser).json
    assert one["speaker_name"] == "Sun Dong 孫東"


def test_an_agenda_item_is_changed_removed_and_keeps_its_history(
    app: Flask, client: FlaskClient, organiser: dict[str, str]
) -> None:
    create_gathering(client, organiser)
    speech = schedule(client, organiser, "09:45", "09:55")
    schedule(client, organiser, "10:05", "10:15", title_en="Speech by Cha Yichao")
    changed = client.put(
        f"{AGENDA}/{speech['id']}", json=agenda_body("09:50", "10:00"), headers=organiser
    )
    assert changed.status_code == 200, changed.json
    assert changed.json["starts_at"] == "2026-03-02T09:50:00+08:00"
    assert client.delete(f"{AGENDA}/{speech['id']}", headers=organiser).status_code == 204
    assert_error(client.get(f"{AGENDA}/{speech['id']}", headers=organiser), 404, "not_found")
    history = client.get(f"{AGENDA}/{speech['id']}/history", headers=organiser).json["events"]
    assert [e["type"] for e in history] == ["ItemScheduled", "ItemChanged", "ItemRemoved"]
    assert all(e["actor"].startswith("organiser:alice#") for e in history)
    assert_error(client.get(f"{AGENDA}/nope/history", headers=organiser), 404, "not_found")
    assert_error(client.delete(f"{AGENDA}/nope", headers=organiser), 404, "not_found")


def test_a_speaker_is_linked_to_their_registration(
    app: Flask, client: FlaskClient, organiser: dict[str, str]
) -> None:
    create_gathering(client, organiser)
    registration = client.post(
        REGISTER, json={**_guest(1), "full_name": "Sun Dong", "name_zh": "孫東"}
    ).json
    linked = schedule(
        client,
        organiser,
        "09:45",
        "09:55",
        speaker_name="",
        speaker_registration_id=registration["id"],
    )
    assert linked["speaker_name"] == "Sun Dong 孫東"
    assert linked["speaker_registration_id"] == registration["id"]
    signing = plan_ceremony(client, organiser)
    staged = schedule(
        client, organiser, "10:50", "11:05", kind="ceremony", ceremony_id=signing["id"]
    )
    assert staged["ceremony_id"] == signing["id"]


AGENDA_REFUSALS = [
    ({"start": "09:50", "end": "10:00"}, 409, "agenda_overlap", "starts_at"),
    ({"start": "09:00", "end": "09:40"}, 422, "outside_gathering", "starts_at"),
    ({"start": "12:30", "end": "13:30"}, 422, "outside_gathering", "ends_at"),
    ({"start": "10:30", "end": "10:20"}, 422, "invalid_value", "ends_at"),
    ({"starts_at": "2026-03-02T10:30:00"}, 422, "validation_failed", "starts_at"),
    ({"ends_at": "2026-03-02T10:40:00"}, 422, "validation_failed", "ends_at"),
    ({"title_en": ""}, 422, "validation_failed", "title_en"),
    ({"title_en": "S" * 201}, 422, "validation_failed", "title_en"),
    ({"title_zh": " "}, 422, "validation_failed", "title_zh"),
    ({"kind": "party"}, 422, "validation_failed", "kind"),
    ({"location": ""}, 422, "validation_failed", "location"),
    ({"speaker_registration_id": str(UUID(int=9))}, 404, "not_found", "speaker_registration_id"),
    ({"ceremony_id": str(UUID(int=9))}, 404, "not_found", "ceremony_id"),
]


def test_bad_agenda_items_answer_their_code_and_write_nothing(
    app: Flask, client: FlaskClient, organiser: dict[str, str]
) -> None:
    create_gathering(client, organiser)
    speech = schedule(client, organiser, "09:45", "09:55")
    events = running_order_events(app)
    before = client.get(AGENDA, headers=organiser).json
    wrong = []

    for changes, status, code, field in AGENDA_REFUSALS:
        fields = {k: v for k, v in changes.items() if k not in ("start", "end")}
        body = agenda_body(changes.get("start", "10:30"), changes.get("end", "10:40"), **fields)
        case = str(changes)[:60]
        wrong += mismatch(
            f"add {case}", client.post(AGENDA, json=body, headers=organiser), status, code, field
        )
        if code != "agenda_overlap":  # the speech itself may take its own old time
            changed = client.put(f"{AGENDA}/{speech['id']}", json=body, headers=organiser)
            wrong += mismatch(f"change {case}", changed, status, code, field)
        if running_order_events(app) != events:
            wrong.append(f"{case}: wrote to the running order")
            break

    assert wrong == []
    assert client.get(AGENDA, headers=organiser).json == before


# Access ---------------------------------------------------------------------------------------


def test_planning_needs_an_organiser_and_refuses_door_devices(
    client: FlaskClient, organiser: dict[str, str]
) -> None:
    create_gathering(client, organiser)
    device = enrol_device(client, organiser)
    for method, path in [
        ("GET", EXHIBITION),
        ("PUT", f"{EXHIBITION}/slots/A01"),
        ("POST", f"{EXHIBITION}/firms"),
        ("GET", CEREMONIES),
        ("POST", CEREMONIES),
        ("GET", AGENDA),
        ("POST", AGENDA),
    ]:
        body = {"sector": "ai-data"}
        assert_error(client.open(path, method=method, json=body), 401, "unauthorized")
        refused = client.open(path, method=method, json=body, headers=device)
        assert_error(refused, 403, "forbidden")
    assert exhibition(client, organiser)["version"] == 0


def test_unknown_gathering_is_not_found(client: FlaskClient, organiser: dict[str, str]) -> None:
    for path in ("exhibition", "ceremonies", "agenda"):
        response = client.get(f"/api/v1/gatherings/nowhere/{path}", headers=organiser)
        assert_error(response, 404, "not_found")


JUNK_BODIES = [[], "text", 7, {"slot": 7, "sector": [], "starts_at": {}, "people": "x"}, None]


def test_junk_never_gets_a_500(
    app: Flask, show: dict[str, Any], client: FlaskClient, organiser: dict[str, str]
) -> None:
    placed = placed_firm(client, organiser, "B07")
    signing = plan_ceremony(client, organiser)
    item = add_item(client, organiser, signing["id"])
    speech = schedule(client, organiser, "09:45", "09:55")
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or not any(
            part in rule.rule for part in ("/exhibition", "/ceremonies", "/agenda")
        ):
            continue
        values = {
            "slug": SLUG,
            "code": "B07",
            "firm_id": placed["id"],
            "ceremony_id": signing["id"],
            "item_id": item["item_id"] if "/ceremonies/" in rule.rule else speech["id"],
        }
        path = rule.rule
        for name, value in values.items():
            path = path.replace(f"<uuid:{name}>", str(value)).replace(f"<{name}>", str(value))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS", "GET", "DELETE"}):
            for body in JUNK_BODIES:
                response = client.open(path, method=method, json=body, headers=organiser)
                assert response.status_code < 500, (method, path, body, response.json)
                assert response.is_json, (method, path, body)
                assert response.status_code < 300 or response.json["error"]["code"]
            checked += 1
    assert checked >= 18
