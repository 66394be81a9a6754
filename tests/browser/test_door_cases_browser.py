"""The door case table, offline: DoorList.judge (door-list.js) in Chromium gives each answer.

The page's list is built as a device builds it: DoorList.apply of the real sync answer
(its text and X-Door-List-MAC seal) to DoorList.emptyList, then every case of
tests/cases/door_cases.json is judged with the checkpoint as the device holds it. The
page must give the case's `offline_status` (where the case says why it cannot know what
the server knows), else its `status`, by the same rule of domain/scan_rules.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from domain.scan_rules import RULES
from tests.browser_support import chromium
from tests.conftest import FakeClock, make_app, services_of
from tests.door_cases import DoorWorld, build

pytestmark = pytest.mark.browser
STATIC = Path(__file__).resolve().parents[2] / "events_app" / "pages" / "static"
SCRIPTS = (STATIC / "vendor" / "sha256.js", STATIC / "door-list.js")
JUDGE_ALL = """([gatheringId, text, mac, deviceToken, syncedAt, scans]) => {
  const list = DoorList.emptyList(gatheringId);
  const problem = DoorList.apply(list, text, mac, deviceToken, syncedAt);
  const judged = scans.map((scan) => {
    const answer = DoorList.judge(list, {
      token: scan.token, checkpoint: scan.checkpoint, direction: scan.direction,
      at: new Date(scan.at), local: null,
    });
    return { status: answer.status, rule: answer.rule };
  });
  return { problem, size: list.entries.size, judged };
}"""
APPLY_ALTERED = """([gatheringId, genuine, altered, mac, deviceToken, syncedAt]) => {
  const fresh = DoorList.emptyList(gatheringId);
  const refused = DoorList.apply(fresh, altered, mac, deviceToken, syncedAt);
  const held = DoorList.emptyList(gatheringId);
  const applied = DoorList.apply(held, genuine, mac, deviceToken, syncedAt);
  const before = JSON.stringify([held.version, held.syncedAt, [...held.entries]]);
  const again = DoorList.apply(held, altered, mac, deviceToken, syncedAt + 5000);
  const after = JSON.stringify([held.version, held.syncedAt, [...held.entries]]);
  return {
    refused, freshSynced: fresh.syncedAt, freshSize: fresh.entries.size,
    applied, again, unchanged: before === after,
  };
}"""


@pytest.fixture
def world(tmp_path: Path, clock: FakeClock) -> Iterator[DoorWorld]:
    """Every door case built in an app on SQLite, and the list its device synced."""
    app = make_app(f"sqlite:///{tmp_path / 'events.sqlite'}", clock)
    try:
        yield build(app, clock)
    finally:
        services_of(app).close()


@pytest.fixture
def page() -> Iterator[Any]:
    """A blank Chromium page with sha256.js and door-list.js loaded, as the door loads them."""
    with chromium() as browser:
        page = browser.new_page()
        page.set_content("<!doctype html><title>door cases</title>")
        for script in SCRIPTS:
            page.add_script_tag(content=script.read_text(encoding="utf-8"))
        yield page


def synced_ms(world: DoorWorld) -> int:
    return int(world.synced_at.timestamp() * 1000)


def test_the_page_judges_every_case_as_the_table_says(world: DoorWorld, page: Any) -> None:
    scans = [
        {
            "token": b.text,
            "checkpoint": world.checkpoints[b.checkpoint],
            "direction": b.direction,
            "at": b.scanned_at.isoformat(),
        }
        for b in world.cases
    ]
    args = [world.gathering_id, world.list_text, world.list_mac, world.device_token]
    result = page.evaluate(JUDGE_ALL, [*args, synced_ms(world), scans])
    assert result["problem"] == ""
    erased = sum(bool(b.case["world"]["guest"].get("erased")) for b in world.cases)
    # Two cases' guests are of another gathering; an erased guest is in no list.
    assert result["size"] == len(world.cases) - 2 - erased
    pairs = list(zip(world.cases, result["judged"], strict=True))
    got = {b.case["name"]: answer["status"] for b, answer in pairs}
    assert got == {b.case["name"]: b.offline_status for b in world.cases}
    agreeing = [(b, a) for b, a in pairs if b.status == a["status"]]
    assert {b.case["name"]: a["rule"] for b, a in agreeing} == {
        b.case["name"]: b.case["rule"] for b, _ in agreeing
    }
    offline = {r.name for r in RULES if r.offline}
    assert {a["rule"] for a in result["judged"]} == offline, "RULES' offline flags are wrong"


def one_byte_changed(text: str) -> str:
    """Return the sync answer with one guest's badge serial raised by one: still JSON."""
    at = text.index('"serial":1,') + len('"serial":')
    return text[:at] + "2" + text[at + 1 :]


def test_a_sync_answer_with_one_byte_changed_is_refused_and_nothing_applied(
    world: DoorWorld, page: Any
) -> None:
    altered = one_byte_changed(world.list_text)
    assert len(altered) == len(world.list_text)
    assert altered != world.list_text
    args = [world.gathering_id, world.list_text, altered, world.list_mac, world.device_token]
    result = page.evaluate(APPLY_ALTERED, [*args, synced_ms(world)])
    assert result == {
        "refused": "seal",
        "freshSynced": 0,
        "freshSize": 0,
        "applied": "",
        "again": "seal",
        "unchanged": True,
    }
