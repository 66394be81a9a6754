"""An invitee in real headless Chromium: opens their link, accepts in Simplified Chinese."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from events_app.languages.scripts import to_simplified
from events_app.schemas.gatherings import GatheringCreateSchema
from events_app.services.invitations import Invitee
from tests.browser_support import chromium, screenshot, serve
from tests.conftest import SLUG, FakeClock, gathering_payload, make_app, services_of

pytestmark = pytest.mark.browser


@pytest.fixture
def browser() -> Iterator[Any]:
    """Headless Chromium from the system package, driven by Playwright."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def invited(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The app served over HTTP with one invitation made; its base URL and the link's path."""
    clock = FakeClock(datetime(2026, 2, 1, 9, 0, tzinfo=UTC))
    app = make_app(f"sqlite:///{tmp_path / 'e.sqlite'}", clock)
    services = services_of(app)
    fields = GatheringCreateSchema().load(gathering_payload())
    services.box_office.schedule_gathering("organiser:test", **fields)
    invitation = services.invitations.invite(
        SLUG,
        Invitee(
            full_name="Wang Xiaoming",
            name_zh="王小明",
            organisation="Commerce Bureau",
            job_title="Director",
            email="wang@example.org",
            category="guest",
            batch="officials",
            deadline=datetime(2026, 2, 20, 10, 0, tzinfo=UTC),
            language="zh_Hans_CN",
            companions_allowed=1,
            companions_reserved=True,
        ),
        "organiser:test",
    )
    try:
        with serve(app) as base_url:
            yield base_url, f"/invitations/{services.invitations.token(invitation)}"
    finally:
        services.close()


def test_an_invitee_accepts_in_simplified_chinese_and_sees_their_badge(
    browser: Any, invited: tuple[str, str]
) -> None:
    from playwright.sync_api import expect

    server, path = invited
    context = browser.new_context(viewport={"width": 390, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        response = page.goto(f"{server}{path}")
        assert response is not None
        assert response.status == 200
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hans-CN")
        expect(page.locator("#accept")).to_contain_text("接受邀请")
        expect(page.locator("#name_zh")).to_have_value("王小明")
        expect(page.locator("#organisation")).to_have_value("Commerce Bureau")
        main = str(page.locator("main").inner_text())
        assert to_simplified(main) == main, "a Traditional character on a Simplified page"
        screenshot(page, "invitation-zh_Hans_CN")

        page.fill("#companion_name_0", "Li Aide")
        page.fill("#companion_role_0", "助理")
        page.check("#consent")
        with page.expect_navigation(url=f"{server}/gatherings/{SLUG}/registrations/*"):
            page.click("#accept")

        expect(page.locator("#state")).to_have_attribute("data-state", "confirmed")
        expect(page.locator("#state")).to_contain_text("您的报名已确认")
        badge = page.locator("#badge svg")
        expect(badge).to_be_visible()
        box = badge.bounding_box()
        assert box is not None
        assert box["width"] > 100
        expect(page.locator("#companions")).to_contain_text("Li Aide (助理)")
        screenshot(page, "invitation-accepted-zh_Hans_CN")

        again = page.goto(f"{server}{path}")
        assert again is not None
        assert again.status == 409
        expect(page.locator("#refusal")).to_contain_text("此邀请已被接受")
    finally:
        context.close()
