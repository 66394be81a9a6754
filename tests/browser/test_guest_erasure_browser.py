"""A guest sees, then erases, their data in real headless Chromium at phone width, no JavaScript."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.test_browser import server  # noqa: F401 (the served app, a fixture)
from tests.browser_support import chromium, screenshot
from tests.conftest import SLUG, guest

pytestmark = pytest.mark.browser
PHONE = 390


@pytest.fixture
def browser() -> Iterator[Any]:
    """Headless Chromium with JavaScript off: erasing must work without it."""
    with chromium() as launched:
        yield launched


def fits(page: Any) -> bool:
    """Tell whether the page needs no sideways scrolling on the phone."""
    return bool(page.evaluate("document.documentElement.scrollWidth") <= PHONE)


def test_a_guest_sees_then_erases_their_data_on_a_phone(
    browser: Any,
    server: str,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(
        viewport={"width": PHONE, "height": 844}, java_script_enabled=False, locale="zh-HK"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        made = page.request.post(
            f"{server}/api/v1/gatherings/{SLUG}/registrations",
            data=guest(1, phone="+852 6123 4567"),
        )
        assert made.status == 201
        link = f"{server}/gatherings/{SLUG}/registrations/{made.json()['confirmation_token']}"
        page.goto(link)
        with page.expect_navigation():
            page.click("#see-my-data")
        expect(page.locator("#personal-data h2")).to_contain_text("你的個人資料")
        expect(page.locator("#held-details")).to_contain_text("+852 6123 4567")
        assert fits(page)
        screenshot(page, "guest-data-390")

        page.goto(link)
        with page.expect_navigation():
            page.click("#erase-my-data")
        expect(page.locator("#erase-my-data h2")).to_contain_text("刪除我的資料")
        assert fits(page)
        screenshot(page, "guest-erase-390")
        page.click("#erase")  # not ticked: the browser keeps the form (required)
        expect(page.locator("#erase-understood")).to_be_visible()
        page.check("#erase-understood")
        with page.expect_navigation():
            page.click("#erase")
        expect(page.locator("#ask-first-title")).to_contain_text("刪除你的資料？")
        assert fits(page)
        with page.expect_navigation():
            page.click("#confirm-yes")
        expect(page.locator("#data-erased h2")).to_contain_text("你的資料已被刪除")
        expect(page.locator("#notice")).to_contain_text("完成")
        assert fits(page)
        screenshot(page, "guest-erased-390")
        assert page.locator("#badge").count() == 0
        assert "Guest Number 1" not in page.content()
    finally:
        context.close()
