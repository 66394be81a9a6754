"""The console's door devices page: list, register with a one-time set-up QR, revoke."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID, uuid4

from flask import Flask
from flask.testing import FlaskClient

from tests.checkin_helpers import badge_token, confirmed_guest, define_checkpoints, scan_body
from tests.conftest import SLUG, FakeClock, gathering_payload, services_of
from tests.console_helpers import csrf_from, post_form

PAGE = f"/organiser/gatherings/{SLUG}/devices"


def decode_svg_qr(svg: str) -> str:
    """Rasterise the unit squares of a qrcode SvgPathImage and decode it with zxing-cpp."""
    import zxingcpp
    from PIL import Image, ImageDraw

    view = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    assert view, "the SVG has no viewBox"
    scale = 8
    size = int(view.group(1)) * scale
    image = Image.new("L", (size, size), 255)
    draw = ImageDraw.Draw(image)
    squares = re.findall(r"M(\d+),(\d+)H(\d+)V(\d+)H\d+z", svg)
    assert squares, "no QR modules in the SVG"
    for x0, y0, x1, y1 in squares:
        draw.rectangle(
            (int(x0) * scale, int(y0) * scale, int(x1) * scale - 1, int(y1) * scale - 1), fill=0
        )
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1, "the QR code does not decode"
    return str(found[0].text)


def element(text: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</', text, re.S)
    assert match, f"no #{element_id}"
    return html.unescape(match.group(1)).strip()


def device_row(text: str, device_id: str) -> str:
    match = re.search(rf'<tr data-device="{device_id}" data-state="(\w+)">(.*?)</tr>', text, re.S)
    assert match, f"no row for device {device_id}"
    return match.group(1) + " " + html.unescape(match.group(2))


def register(console: FlaskClient, **fields: Any) -> Any:
    return post_form(console, PAGE, PAGE, **fields)


def stored_devices(app: Flask) -> list[dict[str, Any]]:
    services = services_of(app)
    return list(services.checkin_view.devices(str(services.box_office.gathering(SLUG).id)))


def test_register_from_the_page_enrol_with_its_qr_then_revoke(
    app: Flask,
    console: FlaskClient,
    client: FlaskClient,
    gathering: Any,
    organiser: dict[str, str],
    clock: FakeClock,
) -> None:
    define_checkpoints(client, organiser)
    empty = console.get(PAGE)
    assert empty.status_code == 200
    assert 'id="no-devices"' in empty.get_data(as_text=True)

    answer = register(console, name="  Main entrance iPad  ", valid_minutes="60")
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    text = answer.get_data(as_text=True)
    qr = re.search(r'<div class="qr" id="setup-qr"[^>]*>(<svg.*?</svg>)</div>', text, re.S)
    assert qr, "no inline SVG QR code"
    assert "<?xml" not in text
    code = element(text, "setup-code")
    assert re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}", code)
    url = element(text, "setup-url")
    assert url == f"http://localhost/door?setup={code.replace('-', '')}"
    assert decode_svg_qr(qr.group(1)) == url
    assert "Valid until" in text
    assert "Sunday 1 February 2026, 18:00" in text

    [device] = stored_devices(app)
    assert device["name"] == "Main entrance iPad"
    listed = device_row(text, device["id"])
    assert listed.startswith("registered")
    assert "Waiting for set-up" in listed
    assert "expires" in listed
    assert "Sunday 1 February 2026, 18:00" in listed
    assert "No scans yet" in listed
    row = device_row(console.get(f"{PAGE}?lang=zh-HK").get_data(as_text=True), device["id"])
    chinese = re.sub(r"<[^>]+>", "", row)
    assert "等待設定" in chinese
    assert "2026年2月1日（星期日）18:00 到期" in chinese
    assert "Waiting for set-up" not in chinese
    console.get(f"{PAGE}?lang=en")

    # the code is shown once: the list page never shows it again
    assert code not in console.get(PAGE).get_data(as_text=True)

    # the door enrols with what the QR code holds
    setup = parse_qs(urlsplit(decode_svg_qr(qr.group(1))).query)["setup"][0]
    enrolled = client.post("/api/v1/devices/enrol", json={"setup_code": setup})
    assert enrolled.status_code == 201, enrolled.json
    assert enrolled.json["device_id"] == device["id"]
    door = {"Authorization": f"Bearer {enrolled.json['device_token']}"}
    token = badge_token(app, confirmed_guest(client)["id"])
    clock.advance(minutes=5)
    first = client.post("/api/v1/scans", json=scan_body(token, clock()), headers=door)
    assert first.status_code == 200
    assert first.json["status"] == "ok"

    page = console.get(PAGE).get_data(as_text=True)
    listed = device_row(page, device["id"])
    assert listed.startswith("enrolled")
    assert "Enrolled" in listed
    assert "Main entrance, Block B" in listed
    assert "Sunday 1 February 2026, 17:05" in listed
    assert "used" in listed

    revoked = console.post(f"{PAGE}/{device['id']}/revoke", data={"csrf_token": csrf_from(page)})
    assert revoked.status_code == 303
    after = console.get(revoked.headers["Location"]).get_data(as_text=True)
    assert "is revoked" in html.unescape(after)
    assert device_row(after, device["id"]).startswith("revoked")
    assert f"{PAGE}/{device['id']}/revoke" not in after  # no revoke button any more

    refused = client.post("/api/v1/scans", json=scan_body(token, clock()), headers=door)
    assert (refused.status_code, refused.json["error"]["code"]) == (401, "device_revoked")

    # revoking twice: a plain message, nothing recorded
    events = len(list(services_of(app).box_office.events.get(UUID(device["id"]))))
    twice = console.post(f"{PAGE}/{device['id']}/revoke", data={"csrf_token": csrf_from(page)})
    assert twice.status_code == 303
    message = html.unescape(console.get(PAGE).get_data(as_text=True))
    assert "was already revoked" in message
    assert len(list(services_of(app).box_office.events.get(UUID(device["id"])))) == events


def test_expired_set_up_codes_are_shown_as_expired(
    app: Flask, console: FlaskClient, gathering: Any, clock: FakeClock
) -> None:
    assert register(console, name="Side door", valid_minutes="15").status_code == 200
    [device] = stored_devices(app)
    assert "Waiting for set-up" in device_row(
        console.get(PAGE).get_data(as_text=True), device["id"]
    )
    clock.advance(minutes=16)
    listed = device_row(console.get(PAGE).get_data(as_text=True), device["id"])
    assert "Set-up code expired" in listed
    assert "Waiting" not in listed


def test_bad_names_and_validity_re_render_the_form(
    app: Flask, console: FlaskClient, gathering: Any
) -> None:
    cases = [
        ({"name": "   ", "valid_minutes": "60"}, "Enter a name"),
        ({"name": "x" * 81, "valid_minutes": "60"}, "80 characters or fewer"),
        ({"name": "door\x00one", "valid_minutes": "60"}, "control characters"),
        ({"name": "Door", "valid_minutes": "0"}, "1 minute to 7 days"),
        ({"name": "Door", "valid_minutes": "10081"}, "1 minute to 7 days"),
        ({"name": "Door", "valid_minutes": "soon"}, "1 minute to 7 days"),
        ({"name": "Door", "valid_minutes": "-5"}, "1 minute to 7 days"),
    ]
    for fields, message in cases:
        response = register(console, **fields)
        assert response.status_code == 422, fields
        text = html.unescape(response.get_data(as_text=True))
        assert message in text, fields
        assert 'id="setup-qr"' not in text
    kept = register(console, name="Kept name", valid_minutes="nope").get_data(as_text=True)
    assert 'value="Kept name"' in kept
    assert stored_devices(app) == []


def test_posts_without_the_csrf_token_are_refused_and_change_nothing(
    app: Flask,
    console: FlaskClient,
    client: FlaskClient,
    gathering: Any,
    organiser: dict[str, str],
) -> None:
    forged = console.post(PAGE, data={"name": "Evil door", "valid_minutes": "60"})
    assert forged.status_code == 400
    assert stored_devices(app) == []
    created = client.post(
        f"/api/v1/gatherings/{SLUG}/devices", json={"name": "door"}, headers=organiser
    )
    device_id = created.json["id"]
    for data in ({}, {"csrf_token": "not-the-token"}):
        refused = console.post(f"{PAGE}/{device_id}/revoke", data=data)
        assert refused.status_code == 400
    [device] = stored_devices(app)
    assert device["state"] == "registered"


def test_unknown_devices_answer_404(
    app: Flask,
    console: FlaskClient,
    client: FlaskClient,
    gathering: Any,
    organiser: dict[str, str],
) -> None:
    token = csrf_from(console.get(PAGE).get_data(as_text=True))
    assert console.post(f"{PAGE}/{uuid4()}/revoke", data={"csrf_token": token}).status_code == 404
    assert console.post(f"{PAGE}/nonsense/revoke", data={"csrf_token": token}).status_code == 404
    other = client.post(
        "/api/v1/gatherings", json=gathering_payload(slug="other-launch"), headers=organiser
    )
    assert other.status_code == 201
    elsewhere = client.post(
        "/api/v1/gatherings/other-launch/devices", json={"name": "their door"}, headers=organiser
    ).json
    response = console.post(f"{PAGE}/{elsewhere['id']}/revoke", data={"csrf_token": token})
    assert response.status_code == 404
    assert services_of(app).devices.device(UUID(elsewhere["id"])).is_revoked is False
    assert console.get("/organiser/gatherings/no-such-event/devices").status_code == 404
