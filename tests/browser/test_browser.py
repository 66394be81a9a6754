"""The guest registration form in real headless Chromium, against a real HTTP server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from events_app.schemas.gatherings import GatheringCreateSchema
from tests.browser_support import chromium, screenshot, serve
from tests.conftest import SLUG, FakeClock, gathering_payload, make_app, services_of

pytestmark = pytest.mark.browser


@pytest.fixture
def browser() -> Iterator[Any]:
    """Headless Chromium from the system package, driven by Playwright."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The app on an SQLite file, served over HTTP from a background thread; its base URL."""
    clock = FakeClock(datetime(2026, 2, 1, 9, 0, tzinfo=UTC))
    app = make_app(f"sqlite:///{tmp_path / 'e.sqlite'}", clock)
    fields = GatheringCreateSchema().load(gathering_payload())
    services_of(app).box_office.schedule_gathering("organiser:test", **fields)
    try:
        with serve(app) as base_url:
            yield base_url
    finally:
        services_of(app).close()


def test_guest_corrects_a_mistake_and_is_confirmed(browser: Any, server: str) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 800, "height": 900}, locale="zh-HK")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        response = page.goto(f"{server}/gatherings/{SLUG}/register")
        assert response is not None
        assert response.status == 200
        expect(page.locator("label[for=full_name]")).to_contain_text("Full name")
        expect(page.locator("label[for=full_name]")).to_contain_text("英文全名")
        expect(page.locator("label[for=email]")).to_contain_text("電郵")
        # The stylesheet is served and applied (the masthead has the accent colour).
        expect(page.locator("header.masthead")).to_have_css("background-color", "rgb(11, 110, 79)")
        screenshot(page, "register-empty")

        page.fill("#full_name", "Sun Dong")
        page.fill("#name_zh", "孫東")
        page.fill("#organisation", "香港特別行政區政府 HKSAR Government")
        page.fill("#job_title", "Secretary for Innovation")
        page.fill("#email", "sun.dong-at-example.org")
        page.fill("#dietary", "素食 vegetarian")
        page.select_option("#category", "guest")
        page.check("#consent")
        with page.expect_navigation():
            page.click("#submit")

        expect(page.locator("#email-error")).to_be_visible()
        expect(page.locator("#email-error")).to_contain_text("email")
        expect(page.locator("#error-summary")).to_contain_text("請修正")
        expect(page.locator("#email")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#email-error")).to_have_css("color", "rgb(179, 38, 30)")
        expect(page.locator("#full_name")).to_have_value("Sun Dong")
        expect(page.locator("#name_zh")).to_have_value("孫東")
        expect(page.locator("#organisation")).to_have_value("香港特別行政區政府 HKSAR Government")
        expect(page.locator("#email")).to_have_value("sun.dong-at-example.org")
        expect(page.locator("#dietary")).to_have_value("素食 vegetarian")
        expect(page.locator("#consent")).to_be_checked()
        screenshot(page, "register-error")

        page.fill("#email", "sun.dong@example.org")
        with page.expect_navigation(url=f"{server}/gatherings/{SLUG}/registrations/*"):
            page.click("#submit")

        confirmation = page.locator("#confirmation")
        expect(confirmation).to_contain_text("Sun Dong")
        expect(confirmation).to_contain_text("孫東")
        expect(page.locator("#state")).to_have_attribute("data-state", "confirmed")
        expect(page.locator("#state")).to_contain_text("You are confirmed")
        expect(page.locator("#state")).to_contain_text("您的報名已確認")
        expect(page.locator("#cancel")).to_be_visible()
        screenshot(page, "confirmation")
    finally:
        context.close()
