"""Walk-ins at the desk: registered, checked in at the checkpoint picked, badge offered."""

from __future__ import annotations

import re
import uuid
from html import unescape
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from domain.attendance import Attendance
from tests.checkin_helpers import define_checkpoints
from tests.conftest import SLUG, FakeClock, guest, services_of
from tests.console_helpers import csrf_from, sign_in

WALK_IN = f"/organiser/gatherings/{SLUG}/walk-ins"


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def stored(app: Flask) -> int:
    return int(services_of(app).box_office.recorder.max_notification_id() or 0)


def walk_in(console: FlaskClient, **fields: Any) -> Any:
    html = console.get(WALK_IN).get_data(as_text=True)
    data = {
        "csrf_token": csrf_from(html),
        "full_name": "Wendy Walker",
        "name_zh": "王慧",
        "organisation": "Passing By Ltd",
        "email": "",
        "category": "guest",
        "checkpoint": "main-entrance",
        "consent": "1",
        **fields,
    }
    return console.post(WALK_IN, data={k: v for k, v in data.items() if v is not None})


def test_walk_in_is_registered_checked_in_and_badged(
    app: Flask,
    console: FlaskClient,
    client: FlaskClient,
    gathering: dict[str, Any],
    organiser: dict[str, str],
    clock: FakeClock,
) -> None:
    define_checkpoints(client, organiser)
    clock.advance(days=28, hours=17)  # 2 March, 10:00 there: registration has closed
    assert sign_in(console, "olivia").status_code == 303
    response = walk_in(console, category="vip", checkpoint="main-entrance")
    assert response.status_code == 303, text_of(response.get_data(as_text=True))
    result = console.get(response.headers["Location"]).get_data(as_text=True)
    words = text_of(result)
    assert "Wendy Walker" in words
    assert "Confirmed" in words
    assert "Checked in at Main entrance, Block B , 10:00 (Asia/Shanghai) — manual check-in" in words
    chinese = text_of(console.get(f"{response.headers['Location']}?lang=zh-HK").text)
    assert "已確認" in chinese
    assert "已於 B座正門 簽到，10:00（Asia/Shanghai）— 人工簽到" in chinese
    console.get(f"{response.headers['Location']}?lang=en")
    rid = uuid.UUID(re.search(r"walk-ins/([0-9a-f-]+)", response.headers["Location"]).group(1))  # type: ignore[union-attr]
    badge = console.get(f"/organiser/gatherings/{SLUG}/registrations/{rid}/badge.pdf")
    assert badge.status_code == 200
    assert badge.data.startswith(b"%PDF")
    events = services_of(app).box_office
    registration = events.registration(rid)
    assert (registration.state.value, registration.category) == ("confirmed", "vip")
    attendance = events.load(Attendance, Attendance.create_id(rid), "attendance")
    entry = attendance.first_entry_at("main-entrance")
    assert entry is not None
    assert entry["device"].startswith("device:desk organiser:olivia")
    scans = services_of(app).checkin_view.conflicts(str(registration.gathering_id))
    assert scans == []
    history = [e.type for e in events.history(rid)]
    assert history == ["Submitted"]
    assert events.history(rid)[0].actor.startswith("organiser:olivia")


def test_two_walk_ins_without_email(
    console: FlaskClient,
    client: FlaskClient,
    gathering: dict[str, Any],
    organiser: dict[str, str],
) -> None:
    define_checkpoints(client, organiser)
    assert walk_in(console, full_name="A One").status_code == 303
    assert walk_in(console, full_name="B Two").status_code == 303
    assert client.post(f"/api/v1/gatherings/{SLUG}/registrations", json=guest(1)).status_code == 201


def test_walk_in_refusals_write_nothing(
    app: Flask,
    console: FlaskClient,
    client: FlaskClient,
    gathering: dict[str, Any],
    organiser: dict[str, str],
) -> None:
    define_checkpoints(client, organiser)
    client.post(f"/api/v1/gatherings/{SLUG}/registrations", json=guest(1))
    for n in range(2):
        registered = client.post(
            f"/api/v1/gatherings/{SLUG}/registrations", json=guest(10 + n, category="press")
        ).json
        client.post(f"/api/v1/registrations/{registered['id']}/approve", json={}, headers=organiser)
    before = stored(app)
    cases = [
        ({"full_name": ""}, "full_name", "must not be empty"),
        ({"email": "guest1@example.org"}, "email", "already registered"),
        ({"email": "no-at-sign"}, "email", "Not a valid email"),
        ({"consent": None}, "consent", "the guest must agree to the use of their data"),
        ({"checkpoint": "vip-lounge"}, "checkpoint", "Guest guests are not admitted at VIP lounge"),
        ({"checkpoint": "nowhere"}, "checkpoint", "no checkpoint 'nowhere'"),
        ({"category": "press"}, "category", "no Press seat is free: all 2 Press seats are taken"),
        ({"category": "speaker"}, "category", "no guest category 'speaker'"),
    ]
    for fields, field, message in cases:
        response = walk_in(console, **fields)
        html = response.get_data(as_text=True)
        assert response.status_code == 422, (field, text_of(html))
        assert f'id="{field}-error"' in html, field
        assert message in text_of(html), (field, text_of(html))
    console.get(f"/organiser/gatherings/{SLUG}/walk-ins?lang=zh-HK")
    chinese = text_of(walk_in(console, category="press", consent=None).get_data(as_text=True))
    assert "嘉賓須同意使用其資料" in chinese
    assert "現場登記" in chinese
    console.get(f"/organiser/gatherings/{SLUG}/walk-ins?lang=en")
    assert stored(app) == before


def test_walk_in_at_a_closed_checkpoint_is_refused(
    app: Flask,
    console: FlaskClient,
    client: FlaskClient,
    gathering: dict[str, Any],
    organiser: dict[str, str],
    clock: FakeClock,
) -> None:
    define_checkpoints(client, organiser)
    clock.advance(hours=4)  # the VIP lounge closed at 12:00 UTC
    assert sign_in(console, "olivia").status_code == 303
    before = stored(app)
    response = walk_in(console, category="vip", checkpoint="vip-lounge")
    assert response.status_code == 422
    assert "VIP lounge is closed now" in text_of(response.get_data(as_text=True))
    assert stored(app) == before


def test_walk_in_form_needs_csrf_and_lists_checkpoints(
    app: Flask, console: FlaskClient, gathering: dict[str, Any]
) -> None:
    page = console.get(WALK_IN).get_data(as_text=True)
    assert 'id="no-checkpoints"' in page
    response = console.post(WALK_IN, data={"full_name": "X", "organisation": "Y"})
    assert response.status_code == 400


def test_a_checked_in_guest_moves_category_and_is_counted_there(
    app: Flask,
    console: FlaskClient,
    client: FlaskClient,
    gathering: dict[str, Any],
    organiser: dict[str, str],
) -> None:
    from events_app.read_models.arrivals_view import ArrivalsView

    define_checkpoints(client, organiser)
    response = walk_in(console)
    rid = response.headers["Location"].rsplit("/", 1)[1]
    services = services_of(app)
    view = ArrivalsView(services.guest_list, services.database)
    assert view.counts(gathering["id"]).checked_in == {"guest": 1}
    moved = client.patch(
        f"/api/v1/registrations/{rid}", json={"category": "press"}, headers=organiser
    )
    assert moved.status_code == 200, moved.json
    assert view.counts(gathering["id"]).checked_in == {"press": 1}
    client.post(f"/api/v1/registrations/{rid}/cancel", json={}, headers=organiser)
    assert not any(view.counts(gathering["id"]).checked_in.values())
    client.post(f"/api/v1/registrations/{rid}/reinstate", headers=organiser)
    assert view.counts(gathering["id"]).checked_in == {"press": 1}
    services.guest_list.rebuild()
    assert view.counts(gathering["id"]).checked_in == {"press": 1}


def test_the_same_walk_in_form_sent_twice_registers_once(
    app: Flask,
    console: FlaskClient,
    client: FlaskClient,
    gathering: dict[str, Any],
    organiser: dict[str, str],
) -> None:
    define_checkpoints(client, organiser)
    html = console.get(WALK_IN).get_data(as_text=True)
    form_id = re.search(r'name="walk_in" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    first = walk_in(console, walk_in=form_id)
    before = stored(app)
    second = walk_in(console, walk_in=form_id)
    assert first.headers["Location"] == second.headers["Location"]
    assert stored(app) == before
    other = walk_in(console, walk_in="not-an-id")
    assert other.headers["Location"] != first.headers["Location"]
