"""The live arrivals page in real headless Chromium: it follows scans without a reload."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.browser_support import chromium, screenshot, serve
from tests.checkin_helpers import (
    badge_token,
    confirmed_guest,
    define_checkpoints,
    enrol_device,
    scan_body,
)
from tests.conftest import SLUG, FakeClock, gathering_payload, make_app, services_of
from tests.console_helpers import PASSWORD, open_account

pytestmark = pytest.mark.browser


@dataclass
class Venue:
    """The app served over HTTP, and what the test needs to scan and sign in."""

    base_url: str
    app: Flask
    client: FlaskClient
    clock: FakeClock
    username: str
    door: dict[str, str]
    badges: list[str]

    def scan(self, n: int, **extra: Any) -> None:
        """Scan guest n's badge at the main entrance through the scan API."""
        body = scan_body(self.badges[n], self.clock(), **extra)
        response = self.client.post("/api/v1/scans", json=body, headers=self.door)
        assert response.json["status"] == "ok", response.json


@pytest.fixture
def browser() -> Iterator[Any]:
    """Headless Chromium from the system package, driven by Playwright."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def venue(tmp_path: Path) -> Iterator[Venue]:
    """A gathering with checkpoints, a door device and three confirmed guests, served."""
    clock = FakeClock(datetime(2026, 2, 1, 9, 0, tzinfo=UTC))
    app = make_app(f"sqlite:///{tmp_path / 'e.sqlite'}", clock)
    app.config["ARRIVALS_REFRESH_SECONDS"] = 1
    client = app.test_client()
    token, _ = services_of(app).box_office.issue_organiser_token("erin")
    username = open_account(app, "erin", "Erin Lau")
    organiser = {"Authorization": f"Bearer {token}"}
    created = client.post("/api/v1/gatherings", json=gathering_payload(), headers=organiser)
    assert created.status_code == 201, created.json
    define_checkpoints(client, organiser)
    door = enrol_device(client, organiser)
    badges = [badge_token(app, confirmed_guest(client, n)["id"]) for n in (1, 2, 3)]
    try:
        with serve(app) as base_url:
            yield Venue(base_url, app, client, clock, username, door, badges)
    finally:
        services_of(app).close()


def test_organiser_signs_in_and_the_page_follows_scans_without_a_reload(
    browser: Any, venue: Venue
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-HK")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{venue.base_url}/organiser/gatherings/{SLUG}/arrivals")
        expect(page).to_have_url(re.compile(r"/organiser/sign-in\?"))
        # the browser asks for Hong Kong Chinese: the pages speak it, and only it
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hant-HK")
        expect(page.locator("#notice")).to_contain_text("請先登入")
        expect(page.locator("#notice")).not_to_contain_text("Please sign in")
        page.fill("#username", venue.username)
        page.fill("#password", PASSWORD)
        with page.expect_navigation(url=re.compile(rf"/organiser/gatherings/{SLUG}/arrivals$")):
            page.click("#sign-in")
        expect(page.locator("#checked-in")).to_have_text("0")
        expect(page.locator("#expected")).to_have_text("3")
        expect(page.locator("#slots")).to_contain_text("尚未有賓客到場")
        expect(page.locator("header.masthead")).to_have_css("background-color", "rgb(11, 110, 79)")
        page.evaluate("window.loadedOnce = 'still the same page'")

        venue.scan(0)
        expect(page.locator("#checked-in")).to_have_text("1")
        expect(page.locator("#percent")).to_have_text("33")
        expect(page.locator("#inside")).to_have_text("1")
        expect(page.locator("#latest")).to_have_text("17:00")
        expect(page.locator("#by-category tr[data-category=guest]")).to_contain_text("1 / 3")
        redrawn = page.locator("#by-checkpoint tr[data-checkpoint=main-entrance]")
        expect(redrawn).to_contain_text("1 / 3")
        expect(redrawn).to_contain_text("B座正門")  # redrawn by the script, still in Chinese
        expect(redrawn).not_to_contain_text("Main entrance")
        expect(page.locator("#by-category tr[data-category=guest]")).to_contain_text("嘉賓")
        expect(page.locator("#slots .slot")).to_have_count(1)
        expect(page.locator("#slots .slot .count")).to_have_text("1")
        expect(page.locator("#status")).to_have_class(re.compile(r"\blive\b"))

        venue.clock.advance(minutes=12)
        venue.scan(1)
        venue.scan(0, direction="out")
        expect(page.locator("#checked-in")).to_have_text("2")
        expect(page.locator("#inside")).to_have_text("1")
        expect(page.locator("#slots .slot")).to_have_count(3)  # 17:00, 17:05, 17:10
        expect(page.locator("#latest")).to_have_text("17:12")
        expect(page.locator("#as-of")).to_have_text("17:12:00")
        screenshot(page, "live-arrivals-laptop")

        # The figures endpoint fails: the page says so and keeps the last figures.
        page.route("**/arrivals.json", lambda route: route.abort())
        expect(page.locator("#status")).to_have_class(re.compile(r"\breconnecting\b"))
        expect(page.locator("#status")).to_contain_text("正在重新連線")
        expect(page.locator("#status")).not_to_contain_text("Reconnecting")
        venue.scan(0)  # re-entry: not a second arrival
        venue.scan(2)
        page.wait_for_timeout(1500)
        expect(page.locator("#checked-in")).to_have_text("2")
        screenshot(page, "live-arrivals-reconnecting")
        page.unroute("**/arrivals.json")
        expect(page.locator("#checked-in")).to_have_text("3")
        expect(page.locator("#inside")).to_have_text("3")
        expect(page.locator("#percent")).to_have_text("100")
        expect(page.locator("#status-text")).to_have_text("即時")
        assert page.evaluate("window.loadedOnce") == "still the same page"

        page.set_viewport_size({"width": 390, "height": 844})
        screenshot(page, "live-arrivals-phone")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"

        # Closing the account ends the sign-in at once: the page goes to the sign-in form.
        services_of(venue.app).accounts.close(venue.username, "test", keep_an_owner=False)
        expect(page).to_have_url(re.compile(r"/organiser/sign-in\?"))
        expect(page.locator("#notice")).to_contain_text("您的登入已失效")
    finally:
        context.close()
