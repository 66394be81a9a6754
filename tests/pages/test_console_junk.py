"""No console request ends in a 500: every route, with junk ids and junk form values."""

from __future__ import annotations

import re
import uuid
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import SLUG
from tests.console_helpers import csrf_from

JUNK_IDS = ["not-a-uuid", str(uuid.uuid4()), "A01", "%00", "9" * 300]
JUNK_FORMS: list[dict[str, str]] = [
    {},
    {"version": "x", "firm_id": "zzz", "slot": "", "reason": "r" * 10_000},
    {
        "version": "-1",
        "starts_at": "nonsense",
        "ends_at": "2026-13-40T25:61",
        "title_en": "",
        "kind": "party",
        "category": "<script>",
        "name": "\x00",
        "valid_for": "-5",
        "first_firm_id": str(uuid.uuid4()),
        "second_firm_id": "",
        "override": "maybe",
        "people-0-name_en": "x" * 5000,
    },
]


def test_no_console_route_answers_500_to_junk(
    app: Flask, console: FlaskClient, gathering: dict[str, Any]
) -> None:
    token = csrf_from(console.get(f"/organiser/gatherings/{SLUG}/").get_data(as_text=True))
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/organiser/gatherings/"):
            continue
        for junk in JUNK_IDS:
            path = rule.rule.replace("<slug>", SLUG)
            path = re.sub(r"<(?:[a-z]+:)?[a-z_]+>", junk, path)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                forms = JUNK_FORMS if method == "POST" else [{}]
                for form in forms:
                    data = {"csrf_token": token, **form} if method == "POST" else None
                    response = console.open(path, method=method, data=data)
                    assert response.status_code < 500, (method, path, form)
                    checked += 1
    assert checked > 100
