"""The guest registration form in real headless Chromium, against a real HTTP server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from events_app.languages.scripts import to_simplified
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


WORDS = {
    # (locale, full-name label, e-mail label, error summary, confirmed state)
    "en": ("en-GB", "Full name", "E-mail", "Please correct", "You are confirmed"),
    "zh_Hant_HK": ("zh-HK", "英文全名", "電郵", "請修正", "您的報名已確認"),
    "zh_Hans_CN": ("zh-CN", "英文全名", "电子邮件", "请修正", "您的报名已确认"),
}
FOREIGN = {
    "en": ["報名", "报名", "請", "请", "電郵", "电子邮件"],
    "zh_Hant_HK": ["Full name", "Register", "Please", "报名", "请", "电子邮件", "单位"],
    "zh_Hans_CN": ["Full name", "Register", "Please", "報名", "請", "電郵", "機構"],
}
TYPED = (
    "Sun Dong",
    "孫東",
    "香港特別行政區政府 HKSAR Government",
    "Secretary for Innovation",
    "素食 vegetarian",
    "sun.dong-at-example.org",
    "sun.dong@example.org",
)
"""What the guest typed: the only text of another language a page may show."""


LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
LATIN_KEPT = {"Asia", "Shanghai", "UTC", "QR", "PDF", "PNG"}
"""Latin words a Chinese page may show: the time zone's name, QR, file formats."""


def assert_in_one_language(page: Any, language: str) -> None:
    """Check the whole page, masthead included, speaks `language` only (beside what was typed)."""
    text = str(page.locator("body").inner_text())
    text = text.replace(str(page.locator("#languages").inner_text()), "")
    for typed in TYPED:
        text = text.replace(typed, "")
    if language == "en":
        assert not CJK.findall(text), CJK.findall(text)
        return
    assert set(LATIN_WORD.findall(text)) <= LATIN_KEPT, set(LATIN_WORD.findall(text))
    if language == "zh_Hans_CN":
        assert to_simplified(text) == text, "a Traditional character on a Simplified page"


def shown_text(page: Any) -> str:
    """Return what the guest reads in the page's main part, minus what they typed themselves."""
    text = str(page.locator("main").inner_text())
    for typed in TYPED:
        text = text.replace(typed, "")
    return text


@pytest.mark.parametrize("language", list(WORDS))
def test_guest_corrects_a_mistake_and_is_confirmed(
    browser: Any, server: str, language: str
) -> None:
    from playwright.sync_api import expect

    locale, name_label, email_label, summary, confirmed = WORDS[language]
    context = browser.new_context(viewport={"width": 390, "height": 900}, locale=locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        response = page.goto(f"{server}/gatherings/{SLUG}/register")
        assert response is not None
        assert response.status == 200
        expected_lang = {"en": "en", "zh_Hant_HK": "zh-Hant-HK", "zh_Hans_CN": "zh-Hans-CN"}
        expect(page.locator("html")).to_have_attribute("lang", expected_lang[language])
        expect(page.locator("label[for=full_name]")).to_contain_text(name_label)
        expect(page.locator("label[for=email]")).to_contain_text(email_label)
        # The stylesheet is served and applied (the masthead has the accent colour).
        expect(page.locator("header.masthead")).to_have_css("background-color", "rgb(11, 110, 79)")
        for word in FOREIGN[language]:
            assert word not in shown_text(page), (language, word)
        assert_in_one_language(page, language)
        screenshot(page, f"register-empty-{language}")

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
        expect(page.locator("#error-summary")).to_contain_text(summary)
        expect(page.locator("#email")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#email-error")).to_have_css("color", "rgb(179, 38, 30)")
        expect(page.locator("#full_name")).to_have_value("Sun Dong")
        expect(page.locator("#name_zh")).to_have_value("孫東")
        expect(page.locator("#organisation")).to_have_value("香港特別行政區政府 HKSAR Government")
        expect(page.locator("#email")).to_have_value("sun.dong-at-example.org")
        expect(page.locator("#dietary")).to_have_value("素食 vegetarian")
        expect(page.locator("#consent")).to_be_checked()
        for word in FOREIGN[language]:
            assert word not in shown_text(page), (language, word)
        assert_in_one_language(page, language)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        screenshot(page, f"register-error-{language}")

        page.fill("#email", "sun.dong@example.org")
        with page.expect_navigation(url=f"{server}/gatherings/{SLUG}/registrations/*"):
            page.click("#submit")

        confirmation = page.locator("#confirmation")
        expect(confirmation).to_contain_text("Sun Dong")
        expect(confirmation).to_contain_text("孫東")
        expect(page.locator("#state")).to_have_attribute("data-state", "confirmed")
        expect(page.locator("#state")).to_contain_text(confirmed)
        expect(page.locator("#cancel")).to_be_visible()
        for word in FOREIGN[language]:
            assert word not in shown_text(page), (language, word)
        assert_in_one_language(page, language)
        screenshot(page, f"confirmation-{language}")
    finally:
        context.close()


def test_the_language_switch_is_remembered_across_pages(browser: Any, server: str) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 390, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{server}/gatherings/{SLUG}/register")
        expect(page.locator("#submit")).to_have_text("Register")
        page.click("#languages a[hreflang=zh-Hans-CN]")
        expect(page.locator("#submit")).to_have_text("报名")
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hans-CN")
        page.goto(f"{server}/gatherings/{SLUG}/register")  # a later visit, no ?lang=
        expect(page.locator("#submit")).to_have_text("报名")
        expect(page.locator("#languages a[aria-current=true]")).to_have_text("简体中文")
        page.click("#languages a[hreflang=zh-Hant-HK]")
        expect(page.locator("#submit")).to_have_text("報名")
        screenshot(page, "register-switch")
    finally:
        context.close()
