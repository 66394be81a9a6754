"""Corrections in real headless Chromium: raise a full category, correct a name, a walk-in."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import pytest
from flask import Flask

from tests.browser_support import chromium, screenshot, serve
from tests.checkin_helpers import CHECKPOINTS
from tests.conftest import SLUG, FakeClock, gathering_payload, guest, make_app, services_of
from tests.console_helpers import PASSWORD, open_account
from tests.pdf_helpers import page_texts, squeezed

pytestmark = pytest.mark.browser
CONSOLE = f"/organiser/gatherings/{SLUG}"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, Flask, list[str]]]:
    """A gathering whose 3 VIP seats are taken, 2 VIPs waiting, a checkpoint; over HTTP."""
    clock = FakeClock(datetime(2026, 2, 1, 9, 0, tzinfo=UTC))
    app = make_app(f"sqlite:///{tmp_path / 'site.sqlite'}", clock)
    token, _ = services_of(app).box_office.issue_organiser_token("setup")
    headers = {"Authorization": f"Bearer {token}"}
    client = app.test_client()
    assert (
        client.post("/api/v1/gatherings", json=gathering_payload(), headers=headers).status_code
        == 201
    )
    client.put(f"/api/v1/gatherings/{SLUG}/checkpoints", json=CHECKPOINTS[0], headers=headers)
    vips = []
    for n in range(5):
        rid = client.post(
            f"/api/v1/gatherings/{SLUG}/registrations", json=guest(n, category="vip")
        ).json["id"]
        client.post(f"/api/v1/registrations/{rid}/approve", json={}, headers=headers)
        vips.append(rid)
    open_account(app, "olivia", "Olivia Chan")
    try:
        with serve(app) as base_url:
            yield base_url, app, vips
    finally:
        services_of(app).close()


def test_raise_a_full_category_correct_a_name_print_and_admit_a_walk_in(
    site: tuple[str, Flask, list[str]], tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    base_url, app, vips = site
    with chromium() as browser:
        context = browser.new_context(
            viewport={"width": 1280, "height": 860}, accept_downloads=True
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{base_url}/organiser/sign-in")
        page.fill("#username", "olivia")
        page.fill("#password", PASSWORD)
        page.click("#sign-in")
        page.goto(f"{base_url}{CONSOLE}/")
        page.click("#edit-gathering-link")
        page.fill("#cap_vip", "4")
        page.click("#save")
        expect(page.locator(".flash-ok")).to_contain_text("1 waitlisted guest now confirmed")
        screenshot(page, "corrections-event-form")
        assert services_of(app).box_office.registration(UUID(vips[3])).state.value == "confirmed"

        page.goto(f"{base_url}{CONSOLE}/registrations/{vips[3]}")
        page.click("#edit-details")
        page.fill("#full_name", "Guest Number Three, corrected")
        page.click("#save")
        expect(page.locator("#history")).to_contain_text(
            "“Guest Number 3” → “Guest Number Three, corrected”"
        )
        with page.expect_download() as download_info:
            page.click("#print-badge")
        badge = tmp_path / "badge.pdf"
        download_info.value.save_as(badge)
        assert "GuestNumberThree,corrected" in squeezed(" ".join(page_texts(badge)))
        screenshot(page, "corrections-registration")

        page.goto(f"{base_url}{CONSOLE}/")
        page.click("#walk-in-link")
        page.fill("#full_name", "Wendy Walker")
        page.fill("#organisation", "Passing By Ltd")
        page.check("#consent")
        page.click("#register-walk-in")
        expect(page.locator("#check-ins")).to_contain_text("Main entrance")
        screenshot(page, "corrections-walk-in")
        with page.expect_download() as download_info:
            page.click("#print-badge")
        walk_in = tmp_path / "walk-in.pdf"
        download_info.value.save_as(walk_in)
        assert "WendyWalker" in squeezed(" ".join(page_texts(walk_in)))
        for path in ("/edit", "/walk-ins", f"/registrations/{vips[3]}/edit"):
            page.goto(f"{base_url}{CONSOLE}{path}")
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= 1280, (path, scroll)
        context.close()
