"""Invitees in real headless Chromium: one accepts in Simplified Chinese, one declines."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from domain.registration import GuestDetails
from events_app.languages.scripts import to_simplified
from events_app.schemas.gatherings import GatheringCreateSchema
from events_app.services.invitations import Invitee
from tests.browser_support import chromium, screenshot, serve
from tests.conftest import SLUG, FakeClock, gathering_payload, make_app, services_of

pytestmark = pytest.mark.browser
ONLY_GUESTS = {"guest": {"capacity": None, "approval_required": False}}


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


def test_a_declined_seat_goes_to_the_first_waitlisted_guest(browser: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    clock = FakeClock(datetime(2026, 2, 1, 9, 0, tzinfo=UTC))
    app = make_app(f"sqlite:///{tmp_path / 'e.sqlite'}", clock)
    services = services_of(app)
    fields = GatheringCreateSchema().load(gathering_payload(capacity=2, categories=ONLY_GUESTS))
    services.box_office.schedule_gathering("organiser:test", **fields)
    invitee = Invitee(
        full_name="Chan Tai Man",
        email="chan@example.hk",
        category="guest",
        batch="partners",
        deadline=datetime(2026, 2, 20, 10, 0, tzinfo=UTC),
        language="zh_Hant_HK",
    )
    invitation = services.invitations.invite(SLUG, invitee, "organiser:test")

    def public(n: int) -> Any:
        details = GuestDetails(
            full_name=f"Public Guest {n}",
            email=f"p{n}@example.org",
            organisation="HKSTP",
            job_title="Manager",
            consent=True,
        )
        return services.box_office.register_placed(SLUG, details, "guest").registration

    assert public(1).state == "confirmed"
    waiting = public(2)
    assert waiting.state == "waitlisted"  # the second seat is held for the invitee
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-HK")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        with serve(app) as server:
            page.goto(f"{server}/invitations/{services.invitations.token(invitation)}")
            expect(page.locator("#decline")).to_contain_text("婉拒")
            page.click("#decline")
            expect(page.locator("#refused")).to_have_attribute("data-code", "invitation_declined")
            expect(page.locator("h2")).to_contain_text("您已婉拒此邀請")
            screenshot(page, "invitation-declined-zh_Hant_HK")
        assert services.box_office.registration(waiting.id).state == "confirmed"
        assert services.box_office.guest_list(waiting.gathering_id).held_count() == 0
    finally:
        context.close()
        services.close()
