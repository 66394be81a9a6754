"""The guest form's own questions in headless Chromium: only those of the chosen category show."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from domain.questionnaire import Question
from events_app.schemas.gatherings import GatheringCreateSchema
from tests.browser_support import chromium, serve
from tests.conftest import SLUG, FakeClock, gathering_payload, make_app, services_of

pytestmark = pytest.mark.browser


@pytest.fixture
def browser() -> Iterator[Any]:
    """Headless Chromium from the system package, driven by Playwright."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The app with a gathering asking one question of everyone and one of the press only."""
    clock = FakeClock(datetime(2026, 2, 1, 9, 0, tzinfo=UTC))
    app = make_app(f"sqlite:///{tmp_path / 'e.sqlite'}", clock)
    services = services_of(app)
    fields = GatheringCreateSchema().load(gathering_payload())
    services.box_office.schedule_gathering("organiser:test", **fields)
    for key, categories in (("arrival", []), ("outlet", ["press"])):
        labels = {"en": key.title(), "zh_Hant_HK": "問題"}
        question = Question(key=key, kind="short_text", labels=labels, categories=categories)
        services.questionnaires.add(SLUG, question, "organiser:test")
    try:
        with serve(app) as base_url:
            yield base_url
    finally:
        services.close()


def test_a_press_only_question_shows_when_press_is_chosen(browser: Any, server: str) -> None:
    page = browser.new_context(locale="en-GB").new_page()
    page.goto(f"{server}/gatherings/{SLUG}/register")
    assert page.locator("#question-arrival").is_visible()
    assert not page.locator("#question-outlet").is_visible()
    page.select_option("#category", "press")
    assert page.locator("#question-outlet").is_visible()
    page.select_option("#category", "guest")
    assert not page.locator("#question-outlet").is_visible()
