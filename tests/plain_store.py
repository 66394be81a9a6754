"""A demo store as versions before sealing wrote it: personal data in plain, e-mails as keys.

`writing_plain(app)` makes the app write as those versions did (commit ee45000^ and
before: `GuestDetails.as_dict()` and the other mappings stored as plain dicts, guest lists
keyed by `normalise_email(email)`): the transcoder is given plain dicts in place of
`PersonalData`, and the e-mail hasher is the identity on the normalised address. The demo
gathering is then filled through the API as organisers, guests and doors fill it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from domain.personal import PersonalData
from events_app.cli.demo import create_demo_gathering
from events_app.demo import DEMO_SLUG
from tests.checkin_helpers import badge_token, scan_body
from tests.conftest import FakeClock, services_of

BASE = f"/api/v1/gatherings/{DEMO_SLUG}"
GUESTS = [
    ("Ottoline Brackenbury-Vasquez", "白靜嫻", "guest", "+852 6123 4401"),
    ("Peregrine Achterberg", "歐陽霆鋒", "guest", "+852 6123 4402"),
    ("Wilhelmina Oyelaran", "司徒慧芬", "vip", "+852 6123 4403"),
    ("Thaddeus Quennell", "諸葛朗軒", "press", "+852 6123 4404"),
    ("Seraphina Lindqvist", "上官穎琳", "staff", "+852 6123 4405"),
    ("Bartholomew Nakashima", "端木俊傑", "guest", "+852 6123 4406"),
    ("Clementine Abernathy", "尉遲雅雯", "partner", "+852 6123 4407"),
    ("Lysander Fairweather", "東方志遠", "guest", "+852 6123 4408"),
]
CORRECTED_AWAY = ("Ottoline Brackenbury-Vasquez", "+852 6123 4401", "白靜嫻")
"""Values corrected since: only the events hold them (the read models the new ones)."""
INVITEE = ("Evangeline Marchetti-Osei", "慕容曉晴", "evangeline.marchetti@example.org")
"""An invitee who has not answered: only the events hold her details."""
NAMES = (*(name for name, *_ in GUESTS), INVITEE[0], "Cornelius Aide-Whitlock")
EMAILS = tuple(f"{name.split()[0].lower()}@example.org" for name, *_ in GUESTS)


TEXTS = ({"text"}, {"email"}, {"error"})
"""Personal data holding one free text, which older versions stored as a plain string."""


def _plain(value: Any) -> Any:
    """Return `value` with every `PersonalData` as older versions stored it.

    Mappings as plain dicts; a free text (a reason, a mail's recipient or error) as its
    string; a companion [id, sealed name and role] as [id, name, role].
    """
    if isinstance(value, PersonalData):
        data = value.plain()
        if set(data) in TEXTS:
            return next(iter(data.values()))
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        if len(value) == 2 and isinstance(value[1], PersonalData) and "role" in value[1]:
            return [value[0], value[1]["full_name"], value[1]["role"]]
        return [_plain(v) for v in value]
    return value


@contextmanager
def writing_plain(app: Flask) -> Iterator[None]:
    """Make `app` write events as versions before sealing did, while inside."""
    box_office = services_of(app).box_office
    transcoder = box_office.mapper.transcoder
    encode = transcoder.encode
    transcoder.encode = lambda obj: encode(_plain(obj))
    box_office.email_hash = lambda normalised: normalised
    try:
        yield
    finally:
        del transcoder.encode
        del box_office.email_hash


def fill_demo(app: Flask, clock: FakeClock) -> dict[str, Any]:
    """Create the demo gathering and fill it: guests, corrections, invitations, scans."""
    services = services_of(app)
    client = app.test_client()
    token, _ = services.box_office.issue_organiser_token("alice")
    organiser = {"Authorization": f"Bearer {token}"}
    create_demo_gathering(services.box_office, services.planning)
    ids = [_register(client, organiser, n, *row) for n, row in enumerate(GUESTS)]
    _ok(
        client.patch(
            f"/api/v1/registrations/{ids[0]}",
            json={
                "full_name": "Ottoline Brackenbury",
                "phone": "+852 6999 0001",
                "name_zh": "白靜雯",
                "email": "ottoline.b@example.org",
            },
            headers=organiser,
        )
    )
    _ok(
        client.patch(
            f"/api/v1/registrations/{ids[1]}/answers",
            json={"answers": {"meal": "halal"}},
            headers=organiser,
        )
    )
    reason = {"reason": f"{GUESTS[5][0]} called: {GUESTS[5][0].split()[0]} cannot come"}
    _ok(client.post(f"/api/v1/registrations/{ids[5]}/cancel", json=reason, headers=organiser))
    invited = _invite(client, organiser, "Marcus Delacroix-Yeung", "marcus.dy@example.org")
    _ok(
        client.post(
            f"/api/v1/invitations/{invited}/accept",
            json={
                "consent": True,
                "companions": [{"full_name": "Cornelius Aide-Whitlock", "role": "aide"}],
            },
        )
    )
    _invite(client, organiser, INVITEE[0], INVITEE[2], name_zh=INVITEE[1])
    clock.now = datetime(2026, 3, 2, 1, 10, tzinfo=UTC)  # 09:10 at the venue
    door = _enrol(client, organiser)
    for rid in (ids[0], ids[1], ids[2], ids[4], ids[0]):  # the first guest twice
        scan = scan_body(badge_token(app, rid), clock.now)
        _ok(client.post("/api/v1/scans", json=scan, headers=door))
        clock.advance(minutes=3)
    services.outbox.catch_up()  # the guests' mails queued, naming their recipients
    return {"ids": ids, "organiser": organiser}


def _register(
    client: FlaskClient,
    organiser: dict[str, str],
    n: int,
    name: str,
    name_zh: str,
    category: str,
    phone: str,
) -> str:
    body = {
        "full_name": name,
        "name_zh": name_zh,
        "phone": phone,
        "category": category,
        "organisation": "Sample Organisation",
        "job_title": "Director",
        "consent": True,
        "email": EMAILS[n],
        "dietary": "no shellfish" if n % 2 else "",
        "answers": {"meal": "vegetarian", "interpretation": "cantonese"},
    }
    made = client.post(f"{BASE}/registrations", json=body)
    assert made.status_code == 201, made.json
    rid = str(made.json["id"])
    if made.json["state"] == "pending" and n != 6:  # the partner stays pending
        _ok(client.post(f"/api/v1/registrations/{rid}/approve", json={}, headers=organiser))
    return rid


def _invite(
    client: FlaskClient, organiser: dict[str, str], name: str, email: str, **extra: str
) -> str:
    body = {
        "full_name": name,
        "organisation": "Government",
        "job_title": "Secretary",
        "email": email,
        "category": "vip",
        "batch": "officials",
        "companions_allowed": 1,
        "deadline": "2026-02-25T18:00:00+08:00",
        **extra,
    }
    made = client.post(f"{BASE}/invitations", json=body, headers=organiser)
    assert made.status_code == 201, made.json
    return str(made.json["link"].rsplit("/", 1)[1])


def _enrol(client: FlaskClient, organiser: dict[str, str]) -> dict[str, str]:
    made = client.post(f"{BASE}/devices", json={"name": "door 1"}, headers=organiser)
    assert made.status_code == 201, made.json
    enrolled = client.post("/api/v1/devices/enrol", json={"setup_code": made.json["setup_code"]})
    assert enrolled.status_code == 201, enrolled.json
    return {
        "Authorization": f"Bearer {enrolled.json['device_token']}",
        "X-Device-Id": enrolled.json["device_id"],
    }


def _ok(response: Any) -> Any:
    assert response.status_code in (200, 201), response.json
    return response.json
