"""The door page's offline rules (door.js judgeLocally) follow the judgement table's order.

The door judges a scan itself while offline, by the rules of domain/scan_rules.py marked
`offline`. This reads judgeLocally's answers in the order they are written and holds them
to the table, so a rule moved or added on one side only fails here; and, in Chromium, runs
judgeLocally itself on every fault the door can see (and each pair of them) against the
domain's Judgement.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from domain.scan_rules import RULES
from events_app.services.badge_tokens import BadgeSigner, InvalidBadge
from tests.browser_support import chromium
from tests.unit.test_domain_gathering import T0, schedule
from tests.unit.test_domain_scan_judgement import DURING, FAULTS, FINE, Door, guest, judge_faults

DOOR_JS = Path(__file__).resolve().parents[2] / "events_app" / "pages" / "static" / "door.js"
DOOR_NAMES = {"exit": "offline_exit", "already_checked_in": "offline_seen", "entry": "offline_ok"}
"""What the door shows for the rules that let a guest through (the server decides later)."""


CLOSED_FIRST = 'if (checkpoint && checkpoint.closed) return { status: "closed", local: "refused" };'


def judge_locally_source() -> str:
    source = DOOR_JS.read_text(encoding="utf-8")
    found = re.search(r"\n  function judgeLocally\(item\) \{\n(.*?)\n  \}\n", source, re.S)
    assert found, "door.js has no judgeLocally(item) function"
    return found.group(1)


def door_answers(body: str) -> list[str]:
    return re.findall(r'return \{ status: "(\w+)"', body)


def table_answers() -> list[str]:
    return [DOOR_NAMES.get(r.name, r.status.value) for r in RULES if r.offline]


def test_the_door_answers_offline_in_the_order_of_the_judgement_table() -> None:
    assert door_answers(judge_locally_source()) == table_answers()


def test_the_offline_rules_are_those_the_door_can_tell_without_the_server() -> None:
    offline = [r.name for r in RULES if r.offline]
    assert offline == [
        "not_a_badge",
        "badge_of_another_gathering",
        "cancelled",
        "not_confirmed",
        "closed_by_organisers",
        "category_not_admitted",
        "outside_hours",
        "exit",
        "already_checked_in",
        "entry",
    ]


@pytest.mark.parametrize(
    "drifted",
    [
        # the category checked before the organisers' closing, as door.js once did
        lambda body: body.replace(CLOSED_FIRST, "").replace(
            "at < new Date", "checkpoint.closed || at < new Date"
        ),
        # a rule dropped
        lambda body: body.replace('return { status: "cancelled", local: "refused" };', ""),
    ],
)
def test_the_check_fails_when_door_js_drifts(drifted: Callable[[str], str]) -> None:
    body = judge_locally_source()
    changed = drifted(body)
    assert changed != body
    assert door_answers(changed) != table_answers()


JS_BLOCK = re.compile(r"\n(  var BASE32 = .*?)\n  function remember\(", re.S)
RUN = """([source, gatheringId, checkpoints, items]) => {
  const make = new Function("state", "checkpointByCode", source + "\\nreturn judgeLocally;");
  const judge = make({ device: { gathering_id: gatheringId }, seen: {} }, (c) => checkpoints[c]);
  return items.map((item) => judge(item).status);
}"""
KNOWN_OFFLINE = [
    "cancelled",
    "not_confirmed",
    "closed_by_organisers",
    "category_not_admitted",
    "outside_hours",
]
"""The faults of a guest found by name that the door can see: state, category, checkpoint."""
SIGNER = BadgeSigner({1: b"k" * 32}, 1)


def door_checkpoint(closed: bool) -> dict[str, Any]:
    """The vip lounge as the door holds it (as enrolment sends it): with its hours."""
    return {
        "categories": ["vip"],
        "closed": closed,
        "opens_at": T0.isoformat(),
        "closes_at": (T0 + timedelta(hours=4)).isoformat(),
    }


def manual_item(s: dict[str, Any], checkpoint: str) -> dict[str, Any]:
    body = {"checkpoint": checkpoint, "scanned_at": s["scanned_at"].isoformat(), "direction": "in"}
    return {
        "kind": "manual",
        "guest": {"state": s["state"], "category": s["category"]},
        "body": body,
    }


def scan_cases(door: Door) -> list[tuple[str, str]]:
    """Return (token, the table's answer as the door names it) for codes the door can tell."""
    ours = guest(door.gathering, category="vip")
    other = schedule(slug="another")
    cases = []
    for token in (
        "NOT-A-BADGE",
        "A" * 55,  # base32 of the right length, but version 0
        SIGNER.sign(other.id, ours.id, 1),
        SIGNER.sign(door.gathering.id, ours.id, 1),
    ):
        try:
            badge, why = SIGNER.verify(token), ""
        except InvalidBadge as error:
            badge, why = None, str(error)
        judged = door.judge(badge, ours, checkpoint="lounge", invalid_reason=why)
        assert judged.rule is not None
        cases.append((token, DOOR_NAMES.get(judged.rule.name, judged.status.value)))
    return cases


@pytest.mark.browser
def test_door_js_answers_as_the_table_for_what_it_knows_offline() -> None:
    """Run door.js's judgeLocally in Chromium and compare it with the domain's judgement."""
    found = JS_BLOCK.search(DOOR_JS.read_text(encoding="utf-8"))
    assert found, "door.js has no block from BASE32 to judgeLocally"
    faults = [
        [],
        *([f] for f in KNOWN_OFFLINE),
        *map(list, itertools.combinations(KNOWN_OFFLINE, 2)),
    ]
    faults = [f for f in faults if f[:2] != ["cancelled", "not_confirmed"]]
    expected, items, checkpoints = [], [], {}
    for n, chosen in enumerate(faults):
        s = {**FINE, **{k: v for f in chosen for k, v in FAULTS[f].items()}}
        judged = judge_faults(Door(), *chosen)
        assert judged.rule is not None
        expected.append(DOOR_NAMES.get(judged.rule.name, judged.status.value))
        checkpoints[f"lounge-{n}"] = door_checkpoint(s["closed"])
        items.append(manual_item(s, f"lounge-{n}"))
    door = Door()
    for token, name in scan_cases(door):
        body = {"token": token, "checkpoint": "lounge-0", "scanned_at": DURING.isoformat()}
        items.append({"kind": "scan", "body": {**body, "direction": "in"}})
        expected.append(name)
    with chromium() as browser:
        page = browser.new_page()
        answers = page.evaluate(RUN, [found.group(1), str(door.gathering.id), checkpoints, items])
    assert answers == expected
