"""A guest cancels in real headless Chromium without JavaScript: asked first, on a phone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.test_browser import server  # noqa: F401 (the served app, a fixture)
from tests.browser_support import chromium, screenshot
from tests.conftest import SLUG, guest

pytestmark = pytest.mark.browser


@pytest.fixture
def browser() -> Iterator[Any]:
    """Headless Chromium with JavaScript off: the question must work without it."""
    with chromium() as launched:
        yield launched


def test_a_guest_is_asked_before_cancelling_and_the_page_fits_a_phone(
    browser: Any,
    server: str,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(
        viewport={"width": 390, "height": 844}, java_script_enabled=False, locale="zh-HK"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        made = page.request.post(f"{server}/api/v1/gatherings/{SLUG}/registrations", data=guest(1))
        assert made.status == 201
        token = made.json()["confirmation_token"]
        page.goto(f"{server}/gatherings/{SLUG}/registrations/{token}")
        with page.expect_navigation():
            page.click("#cancel")

        expect(page.locator("#ask-first-title")).to_contain_text("確定取消報名？")
        expect(page.locator("#irreversible")).to_contain_text("無法自行恢復")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "cancel-question-390")
        with page.expect_navigation():
            page.click("#confirm-no")
        expect(page.locator("#state")).to_have_attribute("data-state", "confirmed")

        with page.expect_navigation():
            page.click("#cancel")
        with page.expect_navigation():
            page.click("#confirm-yes")
        expect(page.locator("#state")).to_have_attribute("data-state", "cancelled")
        expect(page.locator("#notice")).to_contain_text("已取消")
    finally:
        context.close()
