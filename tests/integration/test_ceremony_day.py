"""A signing or award is recorded only on the gathering's day, an hour either side allowed.

The test gathering runs 09:30 to 13:00 (Asia/Shanghai): 08:30 to 14:00 is allowed.
"""

from __future__ import annotations

import html
import re
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import SLUG
from tests.console_helpers import csrf_from
from tests.planning_helpers import (
    CEREMONIES,
    add_item,
    create_gathering,
    plan_ceremony,
    stored_events,
)

RANGE = "2026-03-02 08:30 to 14:00 (Asia/Shanghai)"
MOMENTS = [
    ("2026-03-02T08:29:59+08:00", False),
    ("2026-03-02T08:30:00+08:00", True),
    ("2026-03-02T14:00:00+08:00", True),
    ("2026-03-02T06:00:01Z", False),  # 14:00:01 at the venue
    ("2025-12-02T11:00:00+08:00", False),  # three months early
]


def ready_ceremony(client: FlaskClient, organiser: dict[str, str]) -> str:
    ceremony = plan_ceremony(client, organiser)
    add_item(client, organiser, ceremony["id"])
    assert client.post(f"{CEREMONIES}/{ceremony['id']}/ready", headers=organiser).status_code == 200
    return str(ceremony["id"])


def state_of(client: FlaskClient, organiser: dict[str, str], ceremony_id: str) -> str:
    return str(client.get(f"{CEREMONIES}/{ceremony_id}", headers=organiser).json["state"])


@pytest.mark.parametrize(("moment", "allowed"), MOMENTS)
def test_the_api_records_a_signing_only_on_the_day(
    app: Flask, client: FlaskClient, organiser: dict[str, str], moment: str, allowed: bool
) -> None:
    create_gathering(client, organiser)
    ceremony_id = ready_ceremony(client, organiser)
    before = stored_events(app, UUID(ceremony_id))

    response = client.post(
        f"{CEREMONIES}/{ceremony_id}/complete", json={"happened_at": moment}, headers=organiser
    )

    if allowed:
        assert response.status_code == 200, response.json
        assert state_of(client, organiser, ceremony_id) == "signed"
        return
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "outside_gathering"
    assert error["field"] == "happened_at"
    assert RANGE in error["message"]
    assert "活動當日" not in error["message"]
    in_chinese = client.post(
        f"{CEREMONIES}/{ceremony_id}/complete",
        json={"happened_at": moment},
        headers=organiser | {"Accept-Language": "zh-HK"},
    ).json["error"]
    assert (in_chinese["code"], in_chinese["field"]) == ("outside_gathering", "happened_at")
    assert "活動當日" in in_chinese["message"]
    assert RANGE in in_chinese["message"]
    assert stored_events(app, UUID(ceremony_id)) == before
    assert state_of(client, organiser, ceremony_id) == "ready"


def test_the_api_refuses_now_when_now_is_not_the_day(
    app: Flask, client: FlaskClient, organiser: dict[str, str]
) -> None:
    create_gathering(client, organiser)  # the test clock is weeks before the gathering
    ceremony_id = ready_ceremony(client, organiser)
    response = client.post(f"{CEREMONIES}/{ceremony_id}/complete", headers=organiser)
    assert response.status_code == 422
    assert response.json["error"]["code"] == "outside_gathering"
    assert state_of(client, organiser, ceremony_id) == "ready"


def flashes(text: str) -> list[str]:
    found = re.findall(r'<p class="flash flash-(\w+)"[^>]*>(.*?)</p>', text, re.S)
    return [f"{kind}: {html.unescape(message)}" for kind, message in found]


@pytest.mark.parametrize(
    ("typed", "allowed"),
    [
        ("2026-03-02T08:29", False),
        ("2026-03-02T08:30", True),
        ("2026-03-02T14:01", False),
        ("", False),
    ],
)
def test_the_console_records_a_signing_only_on_the_day(
    app: Flask,
    client: FlaskClient,
    console: FlaskClient,
    organiser: dict[str, str],
    typed: str,
    allowed: bool,
) -> None:
    create_gathering(client, organiser)
    ceremony_id = ready_ceremony(client, organiser)
    page = f"/organiser/gatherings/{SLUG}/ceremonies/{ceremony_id}"
    text = console.get(page).get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', text)
    assert version
    data: dict[str, Any] = {"csrf_token": csrf_from(text), "version": version.group(1)}
    before = stored_events(app, UUID(ceremony_id))

    for confirm in ({}, {"confirm": "yes"}):
        response = console.post(f"{page}/complete", data={**data, "happened_at": typed, **confirm})
        if allowed and not confirm:
            assert 'id="ask-first-form"' in response.get_data(as_text=True)
            continue
        assert response.status_code == 303
        said = flashes(console.get(page).get_data(as_text=True))
        if allowed:
            assert said[0].startswith("ok: Signing recorded"), said
            assert state_of(client, organiser, ceremony_id) == "signed"
            return
        assert said[0].startswith("error: Not done: Happened at: enter a time on the gathering"), (
            said
        )
        assert "Monday 2 March 2026, 08:30–14:00" in said[0]  # the console's own wording
        assert "請輸入活動當日" not in said[0]  # one language: the organiser's
        assert stored_events(app, UUID(ceremony_id)) == before
