"""The door case table, online: every case scanned through POST /api/v1/scans gets `status`.

tests/cases/door_cases.json is the one specification of the badge format and the door's
judgement; tests/browser/test_door_cases_browser.py holds the page's offline judgement
to the same table.
"""

from __future__ import annotations

from flask import Flask

from domain.scan_rules import RULES
from tests.conftest import FakeClock
from tests.door_cases import build, load_cases


def test_every_case_scanned_online_gets_its_status(app: Flask, clock: FakeClock) -> None:
    world = build(app, clock)
    clock.now = world.scan_clock
    client = app.test_client()
    answers = {}
    for built in world.cases:
        response = client.post("/api/v1/scans", json=built.body(), headers=world.device)
        assert response.status_code == 200, (built.case["name"], response.json)
        answers[built.case["name"]] = response.json["status"]
    assert answers == {b.case["name"]: b.status for b in world.cases}


def test_the_table_covers_every_rule_of_the_judgement() -> None:
    cases = load_cases()
    named = {c["rule"] for c in cases}
    assert named <= {r.name for r in RULES}, "a case names a rule the table does not have"
    missing = [r.name for r in RULES if r.name not in named]
    assert not missing, f"no door case exercises the rules {missing}"
    for case in cases:
        rule = next(r for r in RULES if r.name == case["rule"])
        assert case["status"] == rule.status.value, case["name"]


def test_every_case_has_a_name_and_says_why_the_page_differs() -> None:
    cases = load_cases()
    names = [c["name"] for c in cases]
    assert len(set(names)) == len(names), "two door cases share a name"
    for case in cases:
        if "offline_status" in case:
            assert case["offline_status"] != case["status"], case["name"]
            assert len(case.get("why", "")) > 20, f"{case['name']}: say why the page differs"
        else:
            assert "why" not in case, case["name"]
