"""Layout in real headless Chromium: no page scrolls sideways, whatever the names.

A 200-character name, organisation and firm name without a space must wrap: on the
guest's phone (390 px: the form and the confirmation page with the badge), at the door
(390 px: the scan answer), in every console page and table at 1280 px (where the console's
navigation stays on one line) and on the exhibition page at 820 px. Every page has the
favicon. Screenshots are saved under test-artifacts/ to look at.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from events_app.cli.demo import create_demo_gathering
from events_app.demo import DEMO_SLUG
from events_app.services.confirmation import confirmation_token
from tests.browser_support import chromium, screenshot, serve
from tests.checkin_helpers import define_checkpoints
from tests.conftest import SLUG, FakeClock, gathering_payload, make_app, services_of
from tests.console_helpers import PASSWORD, open_account

pytestmark = pytest.mark.browser
LONG_NAME = ("Wolfeschlegelsteinhausenbergerdorff" * 6)[:200]
LONG_ORGANISATION = ("HetaoShenzhenHongKongScienceAndTechnology" * 5)[:200]
CONSOLE = f"/organiser/gatherings/{DEMO_SLUG}"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 860}
TABLET = {"width": 820, "height": 1180}
OVERFLOWING_TABLES = """[...document.querySelectorAll('table')]
  .filter(t => t.getBoundingClientRect().width > t.parentElement.clientWidth + 1)
  .map(t => (t.id || t.className) + ': ' + t.scrollWidth + ' > ' + t.parentElement.clientWidth)"""
NAV_ROWS = """new Set([...document.querySelectorAll('nav.console-nav li')]
  .map(li => Math.round(li.getBoundingClientRect().top))).size"""
NAV_HIDES_LINKS = """(() => { const ul = document.querySelector('nav.console-nav ul');
  return ul.scrollWidth > ul.clientWidth; })()"""


def long_guest(**overrides: Any) -> dict[str, Any]:
    """Return a guest's registration JSON with a 200-character name and organisation."""
    return {
        "full_name": LONG_NAME,
        "name_zh": "黃" * 50,
        "organisation": LONG_ORGANISATION,
        "job_title": "Chief" * 24,
        "email": f"{'x' * 60}@example.org",
        "consent": True,
        "category": "guest",
        **overrides,
    }


@dataclass
class Demo:
    """The demo launch served over HTTP, with one guest whose names never break."""

    app: Flask
    url: str
    registration_id: uuid.UUID

    def confirmation_url(self) -> str:
        """Return the guest's confirmation page."""
        token = confirmation_token(self.app.config["SECRET_KEY"], self.registration_id)
        return f"{self.url}/gatherings/{DEMO_SLUG}/registrations/{token}"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    """The demo launch with the long-named guest and firm, and an organiser's account."""
    app = make_app(
        f"sqlite:///{tmp_path / 'layout.sqlite'}", FakeClock(datetime(2026, 2, 1, 9, tzinfo=UTC))
    )
    with app.app_context():
        create_demo_gathering(services_of(app).box_office, services_of(app).planning)
    client = app.test_client()
    registered = client.post(f"/api/v1/gatherings/{DEMO_SLUG}/registrations", json=long_guest())
    assert registered.status_code == 201, registered.json
    token, _ = services_of(app).box_office.issue_organiser_token("layout")
    firm = client.post(
        f"/api/v1/gatherings/{DEMO_SLUG}/exhibition/firms",
        json={"name_en": LONG_ORGANISATION, "sector": "life-health", "contact_name": LONG_NAME},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert firm.status_code == 201, firm.json
    open_account(app, "olivia", "Olivia Chan")
    try:
        with serve(app) as url:
            yield Demo(app, url, uuid.UUID(registered.json["id"]))
    finally:
        services_of(app).close()


@pytest.fixture
def browser() -> Iterator[Any]:
    """Headless Chromium from the system package, driven by Playwright."""
    with chromium() as launched:
        yield launched


def fits(page: Any, name: str) -> None:
    """Assert the page and each of its tables fit the window's width; save a screenshot."""
    screenshot(page, name)
    width = page.evaluate("window.innerWidth")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} scrolls sideways at {width}px ({scroll}px)"
    assert page.evaluate(OVERFLOWING_TABLES) == [], f"a table of {page.url} is too wide"


def has_favicon(page: Any) -> None:
    """Assert the page links the SVG favicon."""
    assert page.locator("link[rel=icon][type='image/svg+xml']").count() == 1, page.url


def sign_in(page: Any, url: str) -> None:
    """Sign in to the console as Olivia."""
    page.goto(f"{url}/organiser/sign-in")
    page.fill("#username", "olivia")
    page.fill("#password", PASSWORD)
    with page.expect_navigation(url=re.compile(r"/organiser/$")):
        page.click("#sign-in")


def test_guest_form_and_confirmation_fit_a_phone(browser: Any, demo: Demo) -> None:
    from playwright.sync_api import expect

    page = browser.new_context(viewport=PHONE, locale="en-GB").new_page()
    page.goto(f"{demo.url}/gatherings/{DEMO_SLUG}/register")
    has_favicon(page)
    page.fill("#full_name", "Another" + LONG_NAME[7:])
    page.fill("#organisation", LONG_ORGANISATION)
    page.fill("#email", "another.long.name@example.org")
    page.click("#submit")  # no consent: the form comes back with the long values and errors
    expect(page.locator("#error-summary")).to_be_visible()
    fits(page, "layout-guest-form-390")
    page.goto(demo.confirmation_url())
    expect(page.locator("#badge svg")).to_be_visible()
    has_favicon(page)
    fits(page, "layout-confirmation-390")
    badge = page.locator("#badge svg").bounding_box()
    assert badge["x"] >= 0
    assert badge["x"] + badge["width"] <= PHONE["width"]


def test_console_pages_fit_a_laptop_with_the_navigation_on_one_line(
    browser: Any, demo: Demo
) -> None:
    page = browser.new_context(viewport=LAPTOP, locale="en-GB").new_page()
    page.set_default_timeout(15_000)
    sign_in(page, demo.url)
    page.goto(f"{demo.url}{CONSOLE}/")
    links = page.eval_on_selector_all("nav.console-nav a", "links => links.map(a => a.href)")
    assert len(links) >= 8
    pages = [*links, f"{demo.url}{CONSOLE}/registrations/{demo.registration_id}"]
    pages.append(f"{demo.url}{CONSOLE}/registrations?q=Wolfeschlegel")
    for n, link in enumerate(pages):
        page.goto(link)
        has_favicon(page)
        fits(page, f"layout-console-{n}-1280")
        if page.locator("nav.console-nav").count():
            assert page.evaluate(NAV_ROWS) == 1, f"the navigation wraps on {link}"
            assert not page.evaluate(NAV_HIDES_LINKS), f"the navigation scrolls on {link}"
    page.goto(f"{demo.url}{CONSOLE}/registrations")
    assert page.locator("#registrations", has_text=LONG_NAME[:40]).count() == 1


def test_exhibition_page_fits_a_tablet(browser: Any, demo: Demo) -> None:
    page = browser.new_context(viewport=TABLET, locale="en-GB").new_page()
    page.set_default_timeout(15_000)
    sign_in(page, demo.url)
    for name in ("exhibition", "registrations", ""):
        page.goto(f"{demo.url}{CONSOLE}/{name}")
        fits(page, f"layout-{name or 'dashboard'}-820")


def test_favicon_is_served_for_every_page(demo: Demo) -> None:
    client = demo.app.test_client()
    for path in ("/favicon.ico", "/web/static/favicon.svg"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.mimetype == "image/svg+xml"
        assert response.get_data(as_text=True).lstrip().startswith("<svg")
    for page in (f"/gatherings/{DEMO_SLUG}/register", "/door", "/organiser/sign-in"):
        assert b'rel="icon"' in client.get(page).data, page


@pytest.fixture
def door_site(tmp_path: Path) -> Iterator[tuple[str, Flask, dict[str, str]]]:
    """The test gathering with checkpoints and the long-named guest, served; organiser headers."""
    app = make_app(
        f"sqlite:///{tmp_path / 'door.sqlite'}", FakeClock(datetime(2026, 2, 1, 9, tzinfo=UTC))
    )
    client = app.test_client()
    token, _ = services_of(app).box_office.issue_organiser_token("layout")
    organiser = {"Authorization": f"Bearer {token}"}
    assert (
        client.post("/api/v1/gatherings", json=gathering_payload(), headers=organiser).status_code
        == 201
    )
    define_checkpoints(client, organiser)
    try:
        with serve(app) as url:
            yield url, app, organiser
    finally:
        services_of(app).close()


def test_door_answer_with_a_long_name_fits_a_phone(
    browser: Any, door_site: tuple[str, Flask, dict[str, str]]
) -> None:
    from playwright.sync_api import expect

    url, app, organiser = door_site
    client = app.test_client()
    registered = client.post(f"/api/v1/gatherings/{SLUG}/registrations", json=long_guest())
    assert registered.status_code == 201, registered.json
    services = services_of(app)
    badge = services.checkin.badge_token(
        services.box_office.registration(uuid.UUID(registered.json["id"]))
    )
    device = client.post(
        f"/api/v1/gatherings/{SLUG}/devices", json={"name": "door"}, headers=organiser
    )
    assert device.status_code == 201, device.json
    page = browser.new_context(viewport=PHONE, locale="zh-HK", has_touch=True).new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{url}/door?setup={device.json['setup_code'].replace('-', '')}")
    has_favicon(page)
    page.click("button.choice[data-code='main-entrance']")
    expect(page.locator("#scanner")).to_be_visible()
    page.keyboard.type(badge, delay=2)
    page.keyboard.press("Enter")
    expect(page.locator("#result")).to_be_visible()
    expect(page.locator("#guest-name-en")).to_have_text(LONG_NAME)
    fits(page, "layout-door-answer-390")
    page.click("#result-next")
    page.click("#search-open")
    page.fill("#search-input", LONG_NAME[:30])
    page.click("#search-submit")
    expect(page.locator("#search-results li").first).to_contain_text(LONG_NAME[:30])
    fits(page, "layout-door-search-390")
