"""An owner answers a guest's request of access from the console: the page and the JSON file."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from domain.roles import Role
from tests.conftest import SLUG, guest, services_of
from tests.console_helpers import PASSWORD, console, sign_in

__all__ = ["console"]

REFUSED = {
    "en": "have been erased",
    "zh-HK": "已被刪除",
    "zh-CN": "已被删除",
}


def registered(client: FlaskClient, n: int = 9, **overrides: Any) -> str:
    answer = client.post(f"/api/v1/gatherings/{SLUG}/registrations", json=guest(n, **overrides))
    assert answer.status_code == 201, answer.json
    return str(answer.json["id"])


def test_the_registration_page_links_to_the_export_and_both_forms_answer(
    console: FlaskClient, gathering: Any
) -> None:
    rid = registered(console, dietary="vegetarian")
    base = f"/organiser/gatherings/{SLUG}/registrations/{rid}"
    detail = console.get(base).get_data(as_text=True)
    assert 'id="personal-data-export"' in detail
    assert f"{base}/personal-data" in detail
    page = console.get(f"{base}/personal-data")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    text = page.get_data(as_text=True)
    for held in ("Guest Number 9", "guest9@example.org", "vegetarian", 'class="history-submitted"'):
        assert held in text
    download = console.get(f"{base}/personal-data.json")
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert json.loads(download.get_data(as_text=True))["details"]["dietary"] == "vegetarian"
    missing = console.get(f"/organiser/gatherings/{SLUG}/registrations/{UUID(int=5)}/personal-data")
    assert missing.status_code == 404


@pytest.mark.parametrize("accept", REFUSED)
def test_exporting_an_erased_guest_says_so_in_the_organisers_language(
    app: Flask, console: FlaskClient, gathering: Any, accept: str
) -> None:
    rid = registered(console)
    services_of(app).personal_data.erase(UUID(rid), "owner:test", "asked")
    base = f"/organiser/gatherings/{SLUG}/registrations/{rid}/personal-data"
    for path in (base, f"{base}.json"):
        refused = console.get(path, headers={"Accept-Language": accept})
        assert refused.status_code == 409
        text = refused.get_data(as_text=True)
        assert REFUSED[accept] in text
        assert "Guest Number 9" not in text


def test_a_viewer_may_not_export(app: Flask, client: FlaskClient, gathering: Any) -> None:
    rid = registered(client)
    services_of(app).accounts.open("vera", "Vera", PASSWORD, "test", role=Role.VIEWER)
    assert sign_in(client, "vera").status_code == 303
    base = f"/organiser/gatherings/{SLUG}/registrations/{rid}"
    assert 'id="personal-data-export"' not in client.get(base).get_data(as_text=True)
    assert client.get(f"{base}/personal-data").status_code == 403
    assert client.get(f"{base}/personal-data.json").status_code == 403
