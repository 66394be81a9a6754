"""The organiser console in real headless Chromium: sign in, approve, print the programme."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from PIL import Image

from events_app.cli.demo import create_demo_gathering
from events_app.demo import DEMO_SLUG
from tests.browser_support import chromium, screenshot, serve
from tests.conftest import FakeClock, make_app, services_of
from tests.console_helpers import PASSWORD, open_account
from tests.pdf_helpers import page_texts, rasterise, squeezed

pytestmark = pytest.mark.browser
CONSOLE = f"/organiser/gatherings/{DEMO_SLUG}"
VIP = {
    "full_name": "Sun Dong",
    "name_zh": "孫東",
    "organisation": "Innovation, Technology and Industry Bureau",
    "job_title": "Secretary",
    "email": "sun.dong@example.org",
    "consent": True,
    "category": "vip",
}


@pytest.fixture
def console_site(tmp_path: Path) -> Iterator[tuple[str, Flask]]:
    """The demo launch with one VIP awaiting approval and an account, served over HTTP."""
    clock = FakeClock(datetime(2026, 2, 1, 9, 0, tzinfo=UTC))
    app = make_app(f"sqlite:///{tmp_path / 'console.sqlite'}", clock)
    with app.app_context():
        create_demo_gathering(services_of(app).box_office, services_of(app).planning)
    registered = app.test_client().post(f"/api/v1/gatherings/{DEMO_SLUG}/registrations", json=VIP)
    assert registered.status_code == 201, registered.json
    assert registered.json["state"] == "pending"
    open_account(app, "olivia", "Olivia Chan")
    try:
        with serve(app) as base_url:
            yield base_url, app
    finally:
        services_of(app).close()


@pytest.fixture
def browser() -> Iterator[Any]:
    """Headless Chromium from the system package, driven by Playwright."""
    with chromium() as launched:
        yield launched


def no_sideways_scroll(page: Any, width: int) -> None:
    """Assert the page fits the window's width (usable on a tablet)."""
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} scrolls sideways at {width}px ({scroll}px)"


def test_organiser_signs_in_approves_a_vip_and_prints_the_programme(
    browser: Any, console_site: tuple[str, Flask], tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    base_url, app = console_site
    context = browser.new_context(
        viewport={"width": 1280, "height": 860}, locale="en-GB", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{base_url}/organiser/")
        expect(page).to_have_url(re.compile(r"/organiser/sign-in\?"))
        page.fill("#username", "olivia")
        page.fill("#password", "not my password")
        page.click("#sign-in")
        expect(page.locator("#sign-in-error")).to_contain_text("Wrong username or password")
        page.fill("#password", PASSWORD)
        with page.expect_navigation(url=re.compile(r"/organiser/$")):
            page.click("#sign-in")
        expect(page.locator("#who")).to_have_text("Olivia Chan")

        page.click(f"a[href='{CONSOLE}/']")
        expect(page.locator("h2.page-title")).to_contain_text("Dashboard")
        screenshot(page, "console-dashboard-laptop")

        page.click("nav.console-nav >> text=Registrations")
        page.click("#count-pending")
        row = page.locator("#registrations tbody tr", has_text="Sun Dong")
        expect(row).to_have_count(1)
        # the organiser switches the console to Chinese: the same list, the filter kept
        page.click("#languages a[hreflang='zh-Hant-HK']")
        expect(page).to_have_url(re.compile(r"state=pending&lang=zh_Hant_HK$"))
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hant-HK")
        expect(page.locator("h2.page-title")).to_have_text("登記")
        expect(page.locator("nav.console-nav")).not_to_contain_text("Registrations")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("待審批")
        page.goto(f"{base_url}{CONSOLE}/")  # the choice is remembered from page to page
        expect(page.locator("h2.page-title")).to_have_text("總覽")
        page.go_back()
        page.click("#languages a[hreflang='en']")
        expect(page.locator("h2.page-title")).to_have_text("Registrations")
        row.locator("a").first.click()
        expect(page.locator("#state")).to_contain_text("Pending")
        page.click("#approve")
        expect(page.locator(".flash-ok")).to_be_visible()
        expect(page.locator("#state")).to_contain_text("Confirmed")
        expect(page.locator("#history")).to_contain_text("Approved by organiser:olivia")
        screenshot(page, "console-registration-approved")
        registration_id = row_id(page)
        stored = services_of(app).box_office.registration(registration_id)
        assert stored.state.value == "confirmed"

        page.click("nav.console-nav >> text=Printing")
        with page.expect_download() as download_info:
            page.click("#programme-a5")
        download = download_info.value
        assert download.suggested_filename.endswith(".pdf")
        pdf = tmp_path / "programme.pdf"
        download.save_as(pdf)
        assert pdf.read_bytes().startswith(b"%PDF")
        text = squeezed(" ".join(page_texts(pdf)))
        assert "HetaoHongKongYouthInnovationValley" in text
        assert "河套香港青年科創谷" in text
        cover = rasterise(pdf, tmp_path)[0]
        with Image.open(cover) as image:
            low, high = image.convert("L").getextrema()
        assert high - low > 100, "the programme's cover rendered blank"

        page.set_viewport_size({"width": 1024, "height": 768})
        for path in ("/", "/registrations", "/exhibition", "/ceremonies", "/printing"):
            page.goto(f"{base_url}{CONSOLE}{path}")
            no_sideways_scroll(page, 1024)
            screenshot(page, f"console-tablet-{path.strip('/') or 'dashboard'}")

        page.click("#sign-out")
        expect(page.locator("#notice")).to_contain_text("signed out")
        page.goto(f"{base_url}{CONSOLE}/registrations")
        expect(page).to_have_url(re.compile(r"/organiser/sign-in\?"))
    finally:
        context.close()


def row_id(page: Any) -> Any:
    """Return the registration id in the current page's address."""
    from uuid import UUID

    return UUID(page.url.rstrip("/").rsplit("/", 1)[-1])
