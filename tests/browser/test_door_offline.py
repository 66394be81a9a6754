"""The door page offline, in real headless Chromium: it judges by its synced list, not by hope.

The network is cut with DevTools' offline emulation. A forged badge, a replaced badge's old
token, a cancelled guest's badge and a guest at a VIP-only checkpoint are refused with the
server's own words; a genuine badge shows the guest's name; back online, the queue uploads
and the server records each client scan once. Changes reach an online page within one sync
period, and a revoked device's list is gone after its next contact.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from domain.scan import Scan
from tests.browser.door_site import (
    AMBER,
    GREEN,
    RED,
    Site,
    door_site,
    enrol,
    phone_page,
    scans,
    wedge,
)
from tests.browser_support import LIST_SYNCED, chromium, eventually, screenshot
from tests.checkin_helpers import badge_token, confirmed_guest
from tests.conftest import SLUG, services_of

pytestmark = pytest.mark.browser
SYNC_PERIOD_MS = 10_000
"""A change must reach an online device within this (it asks every 5 s)."""
LIST_ROWS = """() => new Promise(async (resolve) => {
  const names = (await indexedDB.databases()).map((d) => d.name);
  if (!names.includes("door-list")) return resolve(null);
  const opened = indexedDB.open("door-list");
  opened.onsuccess = () => {
    const db = opened.result;
    const all = db.transaction("entries").objectStore("entries").getAll();
    all.onsuccess = () => { db.close(); resolve(all.result); };
  };
})"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    """The app on an SQLite file with the test gathering and its two checkpoints, served."""
    with door_site(tmp_path) as served:
        yield served


@pytest.fixture
def phone(browser: Any, site: Site) -> Iterator[Any]:
    """A fresh phone-sized page; fails the test on script errors."""
    with phone_page(browser) as page:
        yield page


def list_rows(page: Any) -> list[dict[str, Any]] | None:
    """Return the door list the page keeps in IndexedDB, or None when it keeps none."""
    return page.evaluate(LIST_ROWS)  # type: ignore[no-any-return]


def wait_for_list(page: Any, count: int) -> None:
    """Wait until the page has synced a list of `count` rows and keeps it."""
    eventually(page, LIST_SYNCED)
    eventually(
        page,
        f"async (n) => {{ const rows = await ({LIST_ROWS})(); "
        "return rows !== null && rows.length === n; }",
        count,
    )


def forged(token: str) -> str:
    """Return a token with one character of its MAC changed: the right shape and tag."""
    i = 45
    return token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :]


def answer(page: Any, code: str, status: str) -> None:
    """Scan `code` and wait for the answer `status`."""
    from playwright.sync_api import expect

    page.click("#result-next") if page.locator("#result").is_visible() else None
    wedge(page, code)
    expect(page.locator("#result")).to_have_attribute("data-status", status)


@pytest.fixture
def phone_hk(browser: Any, site: Site) -> Iterator[Any]:
    """A fresh phone-sized page of a phone set to Hong Kong Chinese."""
    with phone_page(browser, locale="zh-HK") as page:
        yield page


def test_offline_the_door_refuses_what_its_list_refuses_and_uploads_once(
    phone_hk: Any, site: Site
) -> None:
    from playwright.sync_api import expect

    client, organiser, app = site.client, site.organiser, site.app
    welcome = confirmed_guest(client, 1, full_name="Lee Ka Ming", name_zh="李家明")
    gone = confirmed_guest(client, 2, full_name="Chan Tai Man")
    client.post(f"/api/v1/registrations/{gone['id']}/cancel", json={}, headers=organiser)
    lost = confirmed_guest(client, 3, full_name="Wong Siu Ling")
    old_token = badge_token(app, lost["id"])
    reissued = client.post(f"/api/v1/registrations/{lost['id']}/reissue-badge", headers=organiser)
    assert reissued.status_code == 200, reissued.json
    page = phone_hk
    device = enrol(page, site)
    wait_for_list(page, 3)
    assert not {"email", "phone", "dietary", "accessibility"} & set(list_rows(page)[0])

    page.context.set_offline(True)
    result = page.locator("#result")
    answer(page, forged(badge_token(app, welcome["id"])), "invalid")
    expect(result).to_have_css("background-color", RED)
    expect(result).to_have_attribute("data-offline", "true")
    answer(page, old_token, "revoked")
    expect(page.locator("#result-title .main")).to_have_text("舊證件，已補發新證")
    expect(page.locator("#result-title .second")).to_have_text("Old badge: replaced")
    answer(page, badge_token(app, gone["id"]), "cancelled")
    expect(page.locator("#result-title")).to_contain_text("報名已取消")
    expect(page.locator("#result-detail")).to_have_text("此報名已取消，請勿放行，並聯絡主辦方。")
    answer(page, badge_token(app, welcome["id"]), "ok")
    expect(result).to_have_css("background-color", GREEN)
    expect(page.locator("#guest-name-en")).to_have_text("Lee Ka Ming")
    expect(page.locator("#guest-name-zh")).to_have_text("李家明")
    expect(page.locator("#guest-category")).to_have_text("嘉賓")
    expect(page.locator("#net")).to_contain_text("離線，名單於")
    expect(page.locator("#net")).not_to_contain_text("Offline")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "door-offline-list-ok")

    page.click("#result-next")
    page.click("#change-checkpoint")
    page.click("button.choice[data-code='vip-lounge']")
    answer(page, badge_token(app, welcome["id"]), "not_admitted_here")
    expect(page.locator("#result-title")).to_contain_text("不適用於此入口")
    expect(page.locator("#queue-count")).to_have_text("5")
    assert scans(app) == []
    screenshot(page, "door-offline-not-here")

    queued = page.evaluate("JSON.parse(localStorage.getItem('door.queue'))")
    ids = [item["body"]["client_scan_id"] for item in queued]
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#queue-count")).to_have_text("0", timeout=SYNC_PERIOD_MS)
    expected = ["invalid", "revoked", "cancelled", "ok", "not_admitted_here"]
    assert [s[0] for s in scans(app)] == expected
    boxes = services_of(app).box_office
    device_id = uuid.UUID(device["id"])
    for client_scan_id, status in zip(ids, expected, strict=True):
        scan = boxes.load(Scan, Scan.create_id(device_id, client_scan_id), "scan")
        assert (scan.status, scan.offline) == (status, True)
    with services_of(app).database.transaction() as tx:
        per_id = tx.execute(
            "SELECT COUNT(*), COUNT(DISTINCT id) FROM rm_scans WHERE device_id = ?",
            (str(device_id),),
        ).one()
    assert tuple(per_id) == (5, 5)


def test_a_cancellation_reaches_an_online_page_within_one_sync_period(
    phone: Any, site: Site
) -> None:
    from playwright.sync_api import expect

    guest = confirmed_guest(site.client, 4, full_name="Ho Man Yee")
    token = badge_token(site.app, guest["id"])
    page = phone
    enrol(page, site)
    wait_for_list(page, 1)
    cancelled = site.client.post(
        f"/api/v1/registrations/{guest['id']}/cancel", json={}, headers=site.organiser
    )
    assert cancelled.status_code == 200
    eventually(
        page,
        f"async (rid) => {{ const rows = await ({LIST_ROWS})(); "
        "return rows.some((r) => r.registration_id === rid && r.state === 'cancelled'); }",
        guest["id"],
        SYNC_PERIOD_MS,
    )
    page.context.set_offline(True)
    wedge(page, token)
    expect(page.locator("#result")).to_have_attribute("data-status", "cancelled")
    expect(page.locator("#result")).to_have_attribute("data-offline", "true")


def test_a_revoked_devices_list_is_gone_after_its_next_contact(phone: Any, site: Site) -> None:
    from playwright.sync_api import expect

    guest = confirmed_guest(site.client, 5, full_name="Ip Wing Sze")
    page = phone
    device = enrol(page, site)
    wait_for_list(page, 1)
    wedge(page, badge_token(site.app, guest["id"]))
    expect(page.locator("#recent")).to_contain_text("Ip Wing Sze")
    assert "Ip Wing Sze" in page.evaluate("localStorage.getItem('door.log')")
    revoked = site.client.post(f"/api/v1/devices/{device['id']}/revoke", headers=site.organiser)
    assert revoked.status_code == 200
    expect(page.locator("#enrol")).to_be_visible(timeout=SYNC_PERIOD_MS)
    expect(page.locator("#enrol-message")).to_contain_text("switched this device off")
    assert list_rows(page) is None
    assert page.evaluate("localStorage.getItem('door.device')") is None
    assert page.evaluate("localStorage.getItem('door.seen')") is None
    assert page.evaluate("localStorage.getItem('door.log')") is None  # nor the recent scans
    assert "Ip Wing Sze" not in page.content()


def test_answers_from_a_list_older_than_the_organisers_limit_are_marked_unverified(
    phone: Any, site: Site
) -> None:
    from playwright.sync_api import expect

    guest = confirmed_guest(site.client, 6, full_name="Kwok Fu Sing")
    limit = site.client.patch(
        f"/api/v1/gatherings/{SLUG}", json={"door_list_max_age_minutes": 20}, headers=site.organiser
    )
    assert limit.status_code == 200, limit.json
    page = phone
    page.clock.install()
    enrol(page, site)
    wait_for_list(page, 1)
    page.context.set_offline(True)
    page.clock.fast_forward("21:00")
    wedge(page, badge_token(site.app, guest["id"]))
    result = page.locator("#result")
    expect(result).to_have_attribute("data-status", "ok")
    expect(result).to_have_attribute("data-unverified", "true")
    expect(result).to_have_css("background-color", AMBER)
    expect(page.locator("#result-title")).to_contain_text("Check the name (unverified)")
    expect(page.locator("#result-flags")).to_contain_text("Unverified: the list is 21 min old")
    expect(page.locator("#guest-name-en")).to_have_text("Kwok Fu Sing")
    expect(page.locator("#net")).to_contain_text("answers unverified")
    screenshot(page, "door-offline-unverified")


def test_an_erased_guest_is_forgotten_by_a_synced_page_and_unknown_offline(
    phone: Any, site: Site
) -> None:
    from playwright.sync_api import expect

    guest = confirmed_guest(site.client, 7, full_name="Szeto Hoi Lam", name_zh="司徒凱琳")
    token = badge_token(site.app, guest["id"])
    page = phone
    enrol(page, site)
    wait_for_list(page, 1)
    answer(page, token, "ok")  # online: the recent scans name her
    expect(page.locator("#guest-name-en")).to_have_text("Szeto Hoi Lam")
    assert "Szeto Hoi Lam" in page.evaluate("localStorage.getItem('door.log')")
    services_of(site.app).personal_data.erase(uuid.UUID(guest["id"]), "alice", "asked")
    eventually(
        page,
        f"async () => {{ const rows = await ({LIST_ROWS})(); return rows.length === 0; }}",
        None,
        SYNC_PERIOD_MS,
    )
    stored = page.evaluate("JSON.stringify(localStorage)")
    assert "Szeto" not in stored
    assert "司徒" not in stored
    page.context.set_offline(True)
    answer(page, token, "unknown")
    expect(page.locator("#result")).to_have_attribute("data-offline", "true")
