"""The door page's language switch in real headless Chromium: chosen once, kept offline too.

A device set up in English switches to Simplified Chinese: the page reloads in it, keeps it
(the `lang` cookie online, the service worker's copy of the page offline), answers a badge
offline in Simplified with the headline in English beside, and shows no Traditional text
but the names people typed. Offline, it can still switch back to English.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from events_app.languages.scripts import to_simplified
from tests.browser.door_site import GREEN, Site, door_site, enrol, phone_page, wedge
from tests.browser_support import LIST_SYNCED, chromium, eventually, screenshot
from tests.checkin_helpers import CHECKPOINTS, badge_token, confirmed_guest
from tests.conftest import gathering_payload

pytestmark = pytest.mark.browser


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


def typed_names_removed(text: str, guest_name: str) -> str:
    """Return the page's text without what people typed and the switch's own language names."""
    typed = [gathering_payload()["title_zh"], guest_name, "繁體中文"]
    typed += [checkpoint["name_zh"] for checkpoint in CHECKPOINTS]
    for name in typed:
        text = text.replace(name, "")
    return text


def test_a_device_switched_to_simplified_answers_in_simplified_and_keeps_it_offline(
    browser: Any, site: Site
) -> None:
    from playwright.sync_api import expect

    token = badge_token(site.app, confirmed_guest(site.client, 1, name_zh="李家明")["id"])
    with phone_page(browser, locale="en-GB") as page:
        enrol(page, site)
        assert page.evaluate("navigator.serviceWorker.ready.then(() => true)") is True
        html = page.locator("html")
        expect(html).to_have_attribute("lang", "en")
        page.click("#languages a[hreflang='zh-Hans-CN']")
        expect(html).to_have_attribute("lang", "zh-Hans-CN")
        expect(page.locator("#scanner")).to_be_visible()  # still set up, at its checkpoint
        expect(page.locator("#languages a[aria-current='true']")).to_have_text("简体中文")
        expect(page.locator("#search-open")).to_have_text("姓名搜索")
        page.goto(f"{site.url}/door")  # the cookie keeps the choice
        expect(html).to_have_attribute("lang", "zh-Hans-CN")
        expect(page.locator("#direction")).to_have_text("入场")
        eventually(page, LIST_SYNCED)

        page.context.set_offline(True)
        wedge(page, token)
        result = page.locator("#result")
        expect(result).to_have_attribute("data-offline", "true")
        expect(result).to_have_css("background-color", GREEN)
        expect(page.locator("#result-title .main")).to_have_text("请进（离线）")
        expect(page.locator("#result-title .second")).to_have_text("Let in (offline)")
        expect(page.locator("#result-detail")).to_contain_text("证件与此设备的嘉宾名单相符")
        expect(page.locator("#guest-category")).to_have_text("嘉宾")
        expect(page.locator("#net")).to_contain_text("离线，名单于")
        shown = typed_names_removed(page.inner_text("body"), "李家明")
        assert to_simplified(shown) == shown, shown
        screenshot(page, "door-simplified-offline-ok")

        # Offline, a reload and the bare address both come back in Simplified.
        page.reload()
        expect(html).to_have_attribute("lang", "zh-Hans-CN")
        expect(page.locator("#queue-count")).to_have_text("1")
        page.goto(f"{site.url}/door")
        expect(html).to_have_attribute("lang", "zh-Hans-CN")
        expect(page.locator("#ready .ready-title")).to_have_text("准备就绪：请扫描证件")

        # Offline, the device can still switch: the worker keeps the page in each language.
        page.click("#languages a[hreflang='en']")
        expect(html).to_have_attribute("lang", "en")
        expect(page.locator("#ready .ready-title")).to_have_text("Ready: scan a badge")
        page.goto(f"{site.url}/door")
        expect(html).to_have_attribute("lang", "en")
        expect(page.locator("#queue-count")).to_have_text("1")
