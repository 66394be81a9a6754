"""Badges end to end: PDF from the API, rasterised, QR decoded, scanned through the API."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tests.checkin_helpers import badge_token, confirmed_guest
from tests.conftest import SLUG, FakeClock, services_of
from tests.pdf_helpers import decode_pages, font_rows, run, tool


def save(tmp_path: Path, name: str, response: Any) -> Path:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf"
    path = tmp_path / name
    path.write_bytes(response.get_data())
    return path


def scan(client: FlaskClient, door: dict[str, str], token: str, clock: FakeClock) -> str:
    body = {
        "token": token,
        "checkpoint": "main-entrance",
        "client_scan_id": uuid.uuid4().hex,
        "scanned_at": clock().isoformat(),
    }
    response = client.post("/api/v1/scans", json=body, headers=door)
    assert response.status_code == 200, response.json
    return str(response.json["status"])


def test_printed_badge_scans_ok_then_already_checked_in(
    client: FlaskClient,
    door: dict[str, str],
    organiser: dict[str, str],
    clock: FakeClock,
    tmp_path: Path,
) -> None:
    guest = confirmed_guest(
        client, 1, full_name="Sun Dong", name_zh="孫東", organisation="香港特區政府"
    )
    pdf = save(
        tmp_path,
        "badge.pdf",
        client.get(f"/api/v1/registrations/{guest['id']}/badge.pdf", headers=organiser),
    )
    assert all(row[-5] == "yes" for row in font_rows(pdf)), font_rows(pdf)  # emb column
    text = run(tool("pdftotext"), pdf, "-")
    assert "孫東" in text
    assert "Sun Dong" in text
    assert "香港特區政府" in text
    [[decoded]] = decode_pages(pdf, tmp_path)
    assert scan(client, door, decoded, clock) == "ok"
    clock.advance(minutes=1)
    assert scan(client, door, decoded, clock) == "already_checked_in"


def test_guest_downloads_their_badge_and_a_pending_guest_has_none(
    client: FlaskClient, gathering: dict[str, Any], tmp_path: Path
) -> None:
    guest = confirmed_guest(client, 1)
    token = guest["confirmation_token"]
    for fmt, mime in (("svg", "image/svg+xml"), ("png", "image/png"), ("pdf", "application/pdf")):
        response = client.get(f"/api/v1/confirmations/{token}/badge.{fmt}")
        assert (response.status_code, response.mimetype) == (200, mime)
    assert client.get(f"/api/v1/confirmations/{token}/badge.gif").status_code == 404
    pending = confirmed_guest(client, 2, category="vip")
    refused = client.get(f"/api/v1/confirmations/{pending['confirmation_token']}/badge.pdf")
    assert (refused.status_code, refused.json["error"]["code"]) == (409, "invalid_transition")


def test_badge_sheets_follow_the_order_asked_and_every_qr_decodes(
    app: Flask,
    client: FlaskClient,
    gathering: dict[str, Any],
    organiser: dict[str, str],
    tmp_path: Path,
) -> None:
    names = [
        ("Zhong Hai", "钟海"),
        ("Cha Yichao", "查毅超"),
        ("Huang Wei", "黃偉"),
        ("Jian Yiwen", "簡依雯"),
        ("Yu Chen", "魚晨"),
    ]
    ids = {
        name: confirmed_guest(client, n, full_name=name, name_zh=zh)["id"]
        for n, (name, zh) in enumerate(names)
    }
    confirmed_guest(client, 99, category="vip")  # pending: not printed
    pdf = save(
        tmp_path,
        "sheets.pdf",
        client.get(f"/api/v1/gatherings/{SLUG}/badges.pdf?order=name", headers=organiser),
    )
    decoded = [code for page in decode_pages(pdf, tmp_path) for code in page]
    expected = [badge_token(app, ids[name]) for name in sorted(ids)]
    assert decoded == expected
    text = run(tool("pdftotext"), pdf, "-")
    assert all(zh in text for _, zh in names)


def test_cli_prints_badges_with_progress(
    app: Flask,
    runner: FlaskCliRunner,
    client: FlaskClient,
    gathering: dict[str, Any],
    tmp_path: Path,
) -> None:
    for n in range(6):
        confirmed_guest(client, n)
    out = tmp_path / "badges.pdf"
    result = runner.invoke(args=["badges", "print", "--gathering", SLUG, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "6 badge(s) written" in result.output
    assert "Pages:           2" in run(tool("pdfinfo"), out)
    assert services_of(app)  # the app stays usable after printing
