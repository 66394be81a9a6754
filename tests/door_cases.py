"""The door cases' worlds: tests/cases/door_cases.json built into one app, then synced.

Each case of the table names the world it needs: its guest (gathering, state, category,
reissued or not, erased after its prior scans or not), the scans made before the door
list was synced (by this device or another, in or out, at which checkpoint), the
checkpoint scanned at (closed by the organisers or not) and the scan (direction, time,
token kind). `build` makes every case's world in one app, one registration per case,
syncs the list of an enrolled device through the API, and returns what the online and
offline runners scan, so both build it alike.
"""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from events_app.services.badge_tokens import BadgeSigner, signer_from_config
from tests.checkin_helpers import CHECKPOINTS, badge_token, enrol_device, scan_body
from tests.conftest import SLUG, FakeClock, gathering_payload, guest, services_of

CASES_FILE = Path(__file__).resolve().parent / "cases" / "door_cases.json"
OTHER_SLUG = "another-launch"
ORGANISER = "organiser:door-cases"
ROOMY = {"guest": {"capacity": None, "approval_required": False}}
CATEGORIES = {
    **ROOMY,
    "vip": {"capacity": 50, "approval_required": True},
    "press": {"capacity": 0, "approval_required": True},
}
"""No seat for the press: an approved press guest is waitlisted."""
DEVICES = ("this", "another")
"""The door devices of a case's prior scans; "this" one syncs and scans the cases."""
FORGER = b"not the server's key, but 32 B."


def load_cases() -> list[dict[str, Any]]:
    """Return the table of door cases."""
    return list(json.loads(CASES_FILE.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class BuiltCase:
    """One case's scan, ready for either runner."""

    case: dict[str, Any]
    text: str
    checkpoint: str
    direction: str
    scanned_at: datetime

    @property
    def status(self) -> str:
        """Return the server's expected answer."""
        return str(self.case["status"])

    @property
    def offline_status(self) -> str:
        """Return the page's expected answer: the server's unless the case says why not."""
        return str(self.case.get("offline_status", self.case["status"]))

    def body(self) -> dict[str, Any]:
        """Return the POST /api/v1/scans body of the scan."""
        return scan_body(self.text, self.scanned_at, self.checkpoint, direction=self.direction)


@dataclass(frozen=True)
class DoorWorld:
    """Every case built, and the door list as the device received it."""

    cases: list[BuiltCase]
    gathering_id: str
    device: dict[str, str]
    list_text: str
    list_mac: str
    synced_at: datetime
    checkpoints: dict[str, dict[str, Any]]
    """The checkpoints as the device holds them (GET .../checkpoints), by code."""
    scan_clock: datetime
    """A time at which the server accepts every case's scan (none lies in its future)."""

    @property
    def device_token(self) -> str:
        """Return the device's bearer token."""
        return self.device["Authorization"].split(" ", 1)[1]


def build(app: Flask, clock: FakeClock) -> DoorWorld:
    """Build every case's world in `app` and sync the door list of an enrolled device."""
    cases = load_cases()
    client = app.test_client()
    organiser = _organiser(app)
    gathering_id = _gathering(client, organiser, SLUG, CATEGORIES)
    _gathering(client, organiser, OTHER_SLUG, ROOMY)  # the cases' other gathering
    _checkpoints(client, organiser, cases)
    devices = {name: enrol_device(client, organiser, f"door {name}") for name in DEVICES}
    signer = signer_from_config(app.config["SECRET_KEY"], app.config["BADGE_KEYS"])
    made = [
        _make(app, client, clock, devices, case, n, gathering_id, signer)
        for n, case in enumerate(cases)
    ]
    clock.advance(minutes=1)
    synced = client.get("/api/v1/door/list?since=0", headers=devices["this"])
    assert synced.status_code == 200, synced.json
    synced_at = clock()
    listed = client.get(f"/api/v1/gatherings/{SLUG}/checkpoints", headers=devices["this"])
    checkpoints = {c["code"]: c for c in listed.json["items"]}
    pairs = zip(cases, made, strict=True)
    built = [_scan(case, text, checkpoints, synced_at) for case, text in pairs]
    return DoorWorld(
        cases=built,
        gathering_id=str(gathering_id),
        device=devices["this"],
        list_text=synced.get_data(as_text=True),
        list_mac=synced.headers["X-Door-List-MAC"],
        synced_at=synced_at,
        checkpoints=checkpoints,
        scan_clock=max(c.scanned_at for c in built) + timedelta(minutes=1),
    )


def _organiser(app: Flask) -> dict[str, str]:
    token, _ = services_of(app).box_office.issue_organiser_token("door-cases")
    return {"Authorization": f"Bearer {token}"}


def _gathering(
    client: FlaskClient, organiser: dict[str, str], slug: str, categories: dict[str, Any]
) -> uuid.UUID:
    payload = gathering_payload(slug=slug, capacity=500, categories=categories)
    created = client.post("/api/v1/gatherings", json=payload, headers=organiser)
    assert created.status_code == 201, created.json
    return uuid.UUID(created.json["id"])


def closed_code(code: str) -> str:
    """Return the code of the closed copy of a checkpoint a case scans at."""
    return f"{code}-closed"


def _checkpoints(client: FlaskClient, organiser: dict[str, str], cases: list[Any]) -> None:
    """Define the test checkpoints, and a closed copy of each one a case needs closed."""
    url = f"/api/v1/gatherings/{SLUG}/checkpoints"
    closed = {c["world"]["checkpoint"]["code"] for c in cases if c["world"]["checkpoint"]["closed"]}
    copies = [{**c, "code": closed_code(c["code"])} for c in CHECKPOINTS if c["code"] in closed]
    for checkpoint in [*CHECKPOINTS, *copies]:
        defined = client.put(url, json=checkpoint, headers=organiser)
        assert defined.status_code == 200, defined.json
    for copy in copies:
        shut = client.post(f"{url}/{copy['code']}/close", headers=organiser)
        assert shut.status_code == 200, shut.json


def _make(
    app: Flask,
    client: FlaskClient,
    clock: FakeClock,
    devices: dict[str, dict[str, str]],
    case: dict[str, Any],
    n: int,
    gathering_id: uuid.UUID,
    signer: BadgeSigner,
) -> str:
    """Make one case's guest and prior scans; return the text its scan reads."""
    world = case["world"]
    person = world["guest"]
    slug = SLUG if person["gathering"] == "this" else OTHER_SLUG
    data = guest(100 + n, full_name=f"Case {n} {case['name'][:60]}", category=person["category"])
    registered = client.post(f"/api/v1/gatherings/{slug}/registrations", json=data)
    assert registered.status_code == 201, registered.json
    rid = uuid.UUID(registered.json["id"])
    first_token = badge_token(app, str(rid))
    _settle(app, rid, person)
    _prior_scans(app, client, clock, devices, case, rid)
    token = badge_token(app, str(rid))
    if person.get("erased"):  # after its check-ins: the badge names no one the door knows
        services_of(app).personal_data.erase(rid, ORGANISER, "door case")
    kind = world["scan"]["token"]
    if kind == "old_serial":
        return first_token
    if kind == "text":
        return str(world["scan"]["text"])
    if kind == "signed_for_this_gathering":
        return signer.sign(gathering_id, rid, 1)
    made = uuid.uuid5(uuid.NAMESPACE_URL, f"door-cases/{case['name']}")
    return token_of_kind(kind, token, signer, gathering_id, made)


def _prior_scans(
    app: Flask,
    client: FlaskClient,
    clock: FakeClock,
    devices: dict[str, dict[str, str]],
    case: dict[str, Any],
    rid: uuid.UUID,
) -> None:
    """Make the case's scans before the sync, a minute apart, each let through."""
    for prior in case["world"]["prior_scans"]:
        body = scan_body(badge_token(app, str(rid)), clock(), prior["checkpoint"])
        body["direction"] = prior["direction"]
        done = client.post("/api/v1/scans", json=body, headers=devices[prior["device"]])
        assert done.status_code == 200, (case["name"], done.json)
        assert done.json["status"] == "ok", (case["name"], done.json)
        clock.advance(minutes=1)


def _settle(app: Flask, rid: uuid.UUID, person: dict[str, Any]) -> None:
    """Bring a fresh registration to the case's state (reissuing its badge first if asked)."""
    office = services_of(app).box_office
    if person["reissued"]:
        office.reissue_badge(rid, ORGANISER)
    state = person["state"]
    if person["category"] != "guest" and state not in {"pending", "rejected"}:
        office.approve(rid, ORGANISER)
    if state == "cancelled":
        office.cancel(rid, ORGANISER)
    elif state == "rejected":
        office.reject(rid, ORGANISER)
    assert office.registration(rid).state.value == state, (person, office.registration(rid))


def raw_of(token: str) -> bytearray:
    """Return a token's 34 bytes."""
    return bytearray(base64.b32decode(token + "=" * (-len(token) % 8)))


def text_of(raw: bytes) -> str:
    """Return bytes written as a token is (base32, unpadded)."""
    return base64.b32encode(bytes(raw)).decode().rstrip("=")


def token_of_kind(
    kind: str, token: str, signer: BadgeSigner, gathering_id: uuid.UUID, made: uuid.UUID
) -> str:
    """Return the code of a token kind made from a guest's genuine `token`."""
    raw = raw_of(token)
    forger = BadgeSigner({raw[1]: FORGER}, raw[1])
    if kind == "genuine":
        return token
    if kind == "whitespace_wrapped":
        return f"  {token}\t\n"
    if kind == "truncated":
        return token[:-3]
    if kind == "lower_case":
        return token.lower()
    if kind == "padded":
        return token + "="
    if kind == "forged_mac":
        registration, serial = uuid.UUID(bytes=bytes(raw[6:22])), raw[22] << 8 | raw[23]
        return forger.sign(gathering_id, registration, serial)
    if kind == "forged_random_registration":
        return forger.sign(gathering_id, made, 1)
    if kind == "signed_random_registration":
        return signer.sign(gathering_id, made, 1)
    if kind == "tampered_serial":
        raw[23] ^= 0x02
    elif kind == "tampered_registration":
        raw[6:22] = made.bytes
    elif kind == "version_zero":
        raw[0] = 0
    else:
        raise AssertionError(f"unknown token kind {kind!r}")
    return text_of(raw)


def _scan(
    case: dict[str, Any], text: str, checkpoints: dict[str, Any], synced_at: datetime
) -> BuiltCase:
    """Return a case's scan: where, which way and when, the time named by the case."""
    where = case["world"]["checkpoint"]
    code = closed_code(where["code"]) if where["closed"] else where["code"]
    scan = case["world"]["scan"]
    held = checkpoints[code]
    at = {
        "during": synced_at + timedelta(minutes=1),
        "before_opening": datetime.fromisoformat(held["opens_at"]) - timedelta(minutes=30),
        "after_closing": datetime.fromisoformat(held["closes_at"]) + timedelta(minutes=30),
    }[scan["at"]]
    return BuiltCase(case, text, code, scan["direction"], at)
