"""The door page's offline judgement timed in headless Chromium, CPU throttled 4x.

Used by bench_door_list.py: a blank page loads vendor/sha256.js and door-list.js, is
handed a real full sync answer and the incremental one after it (text, MAC, device token),
applies them with DoorList.apply and then judges a mix of scans with DoorList.judge:
genuine badges (an entry), forged ones (a genuine badge with one MAC character changed:
"invalid"), cancelled guests' badges and badges of guests already inside. Each answer's
status is checked, so the timings are of the judgement the door gives.
"""

from __future__ import annotations

import os
import random
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import percentile  # noqa: E402
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

STATIC = ROOT / "events_app" / "pages" / "static"
THROTTLE = 4
APPLY_RUNS = 3
TARGET_MS = 20.0

APPLY_JS = """([text, mac, token, gatheringId, runs]) => {
  const times = [], seals = [];
  let problem = "";
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    window.sha256.hmac(window.sha256(token), text);
    seals.push(performance.now() - t);
    const list = DoorList.emptyList(gatheringId);
    t = performance.now();
    problem = DoorList.apply(list, text, mac, token, Date.now()) || problem;
    times.push(performance.now() - t);
    window.doorList = list;
  }
  return {times, seals, problem, size: window.doorList.entries.size};
}"""
INCREMENT_JS = """([text, mac, token]) => {
  const t = performance.now();
  const problem = DoorList.apply(window.doorList, text, mac, token, Date.now());
  return {ms: performance.now() - t, problem};
}"""
JUDGE_JS = """([tokens, checkpoint]) => {
  const times = [], statuses = [];
  const started = performance.now();
  for (const token of tokens) {
    const t = performance.now();
    const verdict = DoorList.judge(window.doorList, {
      token, checkpoint, direction: "in", at: new Date(), local: null});
    times.push(performance.now() - t);
    statuses.push(verdict.status);
  }
  return {times, statuses, total: performance.now() - started};
}"""


def forged(token: str) -> str:
    """Return the token with one character of its MAC changed (still badge-shaped)."""
    at = 40
    return token[:at] + ("B" if token[at] == "A" else "A") + token[at + 1 :]


def scan_mix(result: dict[str, Any], count: int) -> list[tuple[str, str]]:
    """Return (token, expected status): 80% genuine, 10% forged, 5% cancelled, 5% inside."""
    rng = random.Random(7)
    fresh = result["seeded"].badges[2 * len(result["entered"]) :]
    mix: list[tuple[str, str]] = []
    for n in range(count):
        kind = n % 20
        if kind < 16:
            mix.append((fresh[rng.randrange(len(fresh))], "ok"))
        elif kind < 18:
            mix.append((forged(fresh[rng.randrange(len(fresh))]), "invalid"))
        elif kind == 18:
            mix.append((rng.choice(result["cancelled"]), "cancelled"))
        else:
            mix.append((rng.choice(result["entered"]), "already_checked_in"))
    rng.shuffle(mix)
    return mix


def checkpoint_js(code: str) -> dict[str, Any]:
    """Return the checkpoint as the door page holds it, open now."""
    now = datetime.now(UTC)
    return {
        "code": code,
        "categories": ["guest", "press"],
        "opens_at": (now - timedelta(hours=1)).isoformat(),
        "closes_at": (now + timedelta(days=1)).isoformat(),
        "closed": False,
        "category_notes": {},
    }


def run_page(page: Any, result: dict[str, Any], mix: list[tuple[str, str]], code: str) -> None:
    """Apply the answers, judge the scans and print the figures."""
    seeded, full, incremental = result["seeded"], result["full"], result["incremental"]
    token = seeded.device_tokens[0]
    page.goto("about:blank")
    page.add_script_tag(path=str(STATIC / "vendor" / "sha256.js"))
    page.add_script_tag(path=str(STATIC / "door-list.js"))
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
    applied = page.evaluate(
        APPLY_JS, [full["text"], full["mac"], token, seeded.gathering_id, APPLY_RUNS]
    )
    if applied["problem"] or applied["size"] != full["entries"]:
        raise RuntimeError(f"the full answer was refused: {applied['problem']}")
    step = page.evaluate(INCREMENT_JS, [incremental["text"], incremental["mac"], token])
    if step["problem"]:
        raise RuntimeError(f"the incremental answer was refused: {step['problem']}")
    judged = page.evaluate(JUDGE_JS, [[t for t, _ in mix], checkpoint_js(code)])
    wrong = Counter(
        f"{got} (expected {want})"
        for (_, want), got in zip(mix, judged["statuses"], strict=True)
        if got != want
    )
    if wrong:
        raise RuntimeError(f"the page judged wrongly: {dict(wrong)}")
    times = judged["times"]
    print(f"\nbrowser: Chromium headless, CPU throttled {THROTTLE}x, {result['guests']:,} guests")
    print(
        f"apply full list ({len(full['text']):,} chars): median "
        f"{sorted(applied['times'])[len(applied['times']) // 2]:.0f} ms of {APPLY_RUNS} "
        f"(the seal check alone {sorted(applied['seals'])[APPLY_RUNS // 2]:.0f} ms); "
        f"apply incremental ({incremental['entries']} rows): {step['ms']:.1f} ms"
    )
    print(
        f"judge {len(mix):,} scans {dict(Counter(judged['statuses']))}: median "
        f"{percentile(times, 50):.3f} ms, p99 {percentile(times, 99):.3f} ms, max "
        f"{max(times):.3f} ms, mean {judged['total'] / len(mix):.3f} ms per scan "
        f"(target < {TARGET_MS:.0f} ms; performance.now() steps 0.1 ms, so the mean is the "
        "finer figure)"
    )


def judge_in_browser(result: dict[str, Any], scans: int, code: str) -> None:
    """Time DoorList.apply and DoorList.judge for a measured store's answers."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        raise SystemExit(f"{CHROMIUM} is missing: install the Debian package 'chromium'")
    mix = scan_mix(result, scans)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            run_page(browser.new_page(), result, mix, code)
        finally:
            browser.close()
