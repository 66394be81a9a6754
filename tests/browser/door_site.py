"""The door page's test site: the app served over HTTP, a phone-sized page, and door gestures."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.browser_support import serve
from tests.checkin_helpers import define_checkpoints
from tests.conftest import SLUG, FakeClock, gathering_payload, make_app, services_of

PHONE = {"width": 390, "height": 844}
GREEN, AMBER, RED = "rgb(15, 123, 60)", "rgb(242, 169, 0)", "rgb(179, 38, 30)"


@dataclass
class Site:
    """The app served over HTTP, with a test client and an organiser token beside it."""

    app: Flask
    clock: FakeClock
    url: str
    client: FlaskClient
    organiser: dict[str, str]
    paths: list[str] = field(default_factory=list)

    def new_device(self, name: str = "door 1", valid_minutes: int = 60) -> dict[str, Any]:
        """Register a door device; return what the organiser is shown."""
        response = self.client.post(
            f"/api/v1/gatherings/{SLUG}/devices",
            json={"name": name, "valid_minutes": valid_minutes},
            headers=self.organiser,
        )
        assert response.status_code == 201, response.json
        return dict(response.json)

    def setup_url(self, device: dict[str, Any]) -> str:
        """Return the URL the device's set-up QR code holds, on this server."""
        return f"{self.url}/door?setup={device['setup_code'].replace('-', '')}"


@contextmanager
def door_site(tmp_path: Path) -> Iterator[Site]:
    """The app on an SQLite file with the test gathering and its two checkpoints, served."""
    clock = FakeClock(datetime(2026, 2, 1, 9, 0, tzinfo=UTC))
    app = make_app(f"sqlite:///{tmp_path / 'door.sqlite'}", clock)
    client = app.test_client()
    token, _ = services_of(app).box_office.issue_organiser_token("alice")
    organiser = {"Authorization": f"Bearer {token}"}
    created = client.post("/api/v1/gatherings", json=gathering_payload(), headers=organiser)
    assert created.status_code == 201, created.json
    define_checkpoints(client, organiser)
    paths: list[str] = []
    inner = app.wsgi_app

    def recording(environ: dict[str, Any], start_response: Any) -> Any:
        paths.append(environ["PATH_INFO"])
        return inner(environ, start_response)

    app.wsgi_app = recording  # type: ignore[method-assign]
    try:
        with serve(app) as url:
            yield Site(app, clock, url, client, organiser, paths)
    finally:
        services_of(app).close()


@contextmanager
def phone_page(browser: Any, locale: str = "en-GB") -> Iterator[Any]:
    """A fresh phone-sized page whose browser asks for `locale`; fails on script errors."""
    context = browser.new_context(viewport=PHONE, locale=locale, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    page.on(
        "console",
        lambda message: (
            errors.append(f"console: {message.text}")
            if message.type == "error" and "Failed to load resource" not in message.text
            else None
        ),
    )
    try:
        yield page
        assert errors == []
    finally:
        context.close()


def enrol(page: Any, site: Site, checkpoint: str = "main-entrance") -> dict[str, Any]:
    """Open the device's set-up URL, as scanning its QR code does, and pick a checkpoint."""
    from playwright.sync_api import expect

    device = site.new_device()
    page.goto(site.setup_url(device))
    expect(page.locator("#choose")).to_be_visible()
    page.click(f"button.choice[data-code='{checkpoint}']")
    expect(page.locator("#scanner")).to_be_visible()
    return device


def wedge(page: Any, text: str) -> None:
    """Type like a keyboard-wedge USB scanner: the code, then Enter, into whatever has focus."""
    page.keyboard.type(text, delay=2)
    page.keyboard.press("Enter")


def scans(app: Flask) -> list[tuple[Any, ...]]:
    """Return the recorded scans (status, offline, direction, device), oldest first."""
    services = services_of(app)
    services.guest_list.catch_up()
    with services.database.transaction() as tx:
        rows = tx.execute(
            "SELECT status, offline, direction, device_id FROM rm_scans ORDER BY scanned_at, seq"
        ).all()
    return [tuple(row) for row in rows]


def local(page: Any, key: str) -> Any:
    """Return a value the page keeps in localStorage."""
    return page.evaluate(f"JSON.parse(localStorage.getItem('{key}'))")
