"""Console problems found in review: each test pins one fix (see the module's tests)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import SLUG, guest
from tests.console_helpers import csrf_from
from tests.planning_helpers import (
    CEREMONIES,
    add_item,
    apply_firm,
    create_gathering,
    define_slot,
    placed_firm,
    plan_ceremony,
    schedule,
    stored_events,
)

BASE = f"/organiser/gatherings/{SLUG}"


def open_page(console: FlaskClient, page: str) -> tuple[str, str, str]:
    """Open a page; return its text, CSRF token and the version its forms carry."""
    response = console.get(page)
    assert response.status_code == 200, page
    text = response.get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', text)
    return text, csrf_from(text), version.group(1) if version else ""


def post(console: FlaskClient, page: str, path: str, **fields: Any) -> Any:
    """Open `page`, then post `fields` to page + path with its CSRF token and version."""
    _, token, version = open_page(console, page)
    return console.post(page + path, data={"csrf_token": token, "version": version, **fields})


def flashes(text: str) -> list[str]:
    """Return the flash messages of a page, unescaped."""
    found = re.findall(r'<p class="flash flash-(\w+)"[^>]*>(.*?)</p>', text, re.S)
    return [f"{kind}: {html.unescape(message)}" for kind, message in found]


# Approving when no seat is free ---------------------------------------------------------


def test_an_approval_that_lands_on_the_waitlist_does_not_also_say_approved(
    app: Flask, console: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    for n in range(1, 4):
        seated = console.post(
            f"/api/v1/gatherings/{SLUG}/registrations", json=guest(n, category="vip")
        ).json
        console.post(f"/api/v1/registrations/{seated['id']}/approve", json={}, headers=organiser)
    vip = console.post(
        f"/api/v1/gatherings/{SLUG}/registrations", json=guest(4, category="vip")
    ).json
    page = f"{BASE}/registrations/{vip['id']}"

    response = post(console, page, "/approve")

    assert response.status_code == 303
    said = flashes(console.get(page).get_data(as_text=True))
    assert said == [  # seats are left overall: the message names the full category
        "error: All 3 VIP seats are taken (seats are left overall), so the registration is "
        "now on the waitlist."
    ]
    other = console.post(
        f"/api/v1/gatherings/{SLUG}/registrations", json=guest(5, category="vip")
    ).json
    other_page = f"{BASE}/registrations/{other['id']}"
    console.get(f"{other_page}?lang=zh-HK")  # an organiser who reads Chinese
    assert post(console, other_page, "/approve").status_code == 303
    said = flashes(console.get(other_page).get_data(as_text=True))
    assert said == ["error: 貴賓類別的 3 個名額已滿（整體尚有名額），此登記已列入候補名單。"]
    console.get(f"{other_page}?lang=en")


# Recording a signing at an absurd time --------------------------------------------------


def test_a_signing_time_far_from_the_gathering_is_refused_and_nothing_is_written(
    app: Flask, console: FlaskClient, organiser: dict[str, str], gathering: dict[str, Any]
) -> None:
    ceremony = plan_ceremony(console, organiser)
    add_item(console, organiser, ceremony["id"])
    page = f"{BASE}/ceremonies/{ceremony['id']}"
    assert post(console, page, "/ready").status_code == 303
    before = stored_events(app, ceremony["id"])

    for typed in ("0001-01-01T00:00", "9999-12-31T23:59", "2020-03-02T11:20"):
        response = post(console, page, "/complete", happened_at=typed)
        assert response.status_code == 303, typed
        shown = console.get(page)
        assert shown.status_code == 200, typed
        [said] = flashes(shown.get_data(as_text=True))
        assert said.startswith("error: Not done: Happened at: enter a time within a year"), said
        assert stored_events(app, ceremony["id"]) == before
    state = console.get(f"{CEREMONIES}/{ceremony['id']}", headers=organiser).json["state"]
    assert state == "ready"

    signed = post(console, page, "/complete", happened_at="2026-03-02T11:20", confirm="yes")
    assert signed.status_code == 303
    assert console.get(f"{CEREMONIES}/{ceremony['id']}", headers=organiser).json["state"] == (
        "signed"
    )


# The refusal page's link back -----------------------------------------------------------


def test_the_refused_page_links_back_only_to_this_site(
    console: FlaskClient, gathering: dict[str, Any]
) -> None:
    evil = console.post(
        f"{BASE}/devices",
        data={"name": "door"},
        headers={"Referer": "https://evil.example/phish"},
    )
    assert evil.status_code == 400
    text = evil.get_data(as_text=True)
    assert "evil.example" not in text
    assert "Back to the page" not in text

    scripted = console.post(
        f"{BASE}/devices", data={"name": "door"}, headers={"Referer": "javascript:alert(1)"}
    )
    assert "javascript:" not in scripted.get_data(as_text=True)

    own = console.post(
        f"{BASE}/devices",
        data={"name": "door"},
        headers={"Referer": f"http://localhost{BASE}/devices"},
    )
    assert f'href="{BASE}/devices"' in own.get_data(as_text=True)


# Navigation ---------------------------------------------------------------------------------


def current_links(text: str) -> list[str]:
    """Return the hrefs of the navigation links marked as the current page."""
    nav = re.search(r'<nav class="console-nav".*?</nav>', text, re.S)
    assert nav
    return re.findall(r'<a href="([^"]+)"\s+aria-current="page"', nav.group(0))


def test_the_nav_marks_the_section_of_a_sub_page_as_current(
    app: Flask, console: FlaskClient, organiser: dict[str, str], gathering: dict[str, Any]
) -> None:
    registration = console.post(f"/api/v1/gatherings/{SLUG}/registrations", json=guest(1)).json
    ceremony = plan_ceremony(console, organiser)
    item = schedule(console, organiser)
    pages = {
        f"{BASE}/registrations/{registration['id']}": f"{BASE}/registrations",
        f"{BASE}/ceremonies/{ceremony['id']}": f"{BASE}/ceremonies",
        f"{BASE}/running-order/{item['id']}/edit": f"{BASE}/running-order",
        f"{BASE}/running-order/{item['id']}/history": f"{BASE}/running-order",
        f"{BASE}/registrations": f"{BASE}/registrations",
        f"{BASE}/": f"{BASE}/",
    }
    for page, section in pages.items():
        assert current_links(console.get(page).get_data(as_text=True)) == [section], page


# Labels ---------------------------------------------------------------------------------------


class Controls(HTMLParser):
    """Collect a page's form controls and what labels them."""

    def __init__(self) -> None:
        super().__init__()
        self.label_depth = 0
        self.label_for: set[str] = set()
        self.controls: list[dict[str, str | None]] = []
        self.unnamed_buttons = 0
        self.button_text: list[str] | None = None
        self.button_attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "label":
            self.label_depth += 1
            if found.get("for"):
                self.label_for.add(str(found["for"]))
        elif tag in ("input", "select", "textarea") and found.get("type") != "hidden":
            self.controls.append({**found, "wrapped": "yes" if self.label_depth else None})
        elif tag == "button":
            self.button_text, self.button_attrs = [], found

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.label_depth -= 1
        elif tag == "button" and self.button_text is not None:
            if not "".join(self.button_text).strip() and not self.button_attrs.get("aria-label"):
                self.unnamed_buttons += 1
            self.button_text = None

    def handle_data(self, data: str) -> None:
        if self.button_text is not None:
            self.button_text.append(data)

    def unlabelled(self) -> list[str]:
        """Return the names of the controls no label names."""
        return [
            str(c.get("name"))
            for c in self.controls
            if not (c["wrapped"] or c.get("aria-label") or c.get("id") in self.label_for)
        ]


def test_every_form_control_has_a_label_and_every_button_text(
    app: Flask, console: FlaskClient, organiser: dict[str, str]
) -> None:
    create_gathering(console, organiser)
    for code in ("A01", "A02", "A03"):
        define_slot(console, organiser, code)
    placed_firm(console, organiser, "A01", "Bright Lab")
    placed_firm(console, organiser, "A02", "Force Sense Robotics")
    apply_firm(console, organiser, "Waiting Firm")
    ceremony = plan_ceremony(console, organiser)
    add_item(console, organiser, ceremony["id"])
    add_item(console, organiser, ceremony["id"], reference="SAMPLE-TA-002")
    item = schedule(console, organiser)
    registration = console.post(
        f"/api/v1/gatherings/{SLUG}/registrations", json=guest(1, category="vip")
    ).json
    console.post(f"/api/v1/gatherings/{SLUG}/devices", json={"name": "door 1"}, headers=organiser)
    pages = [
        "/",
        "/registrations",
        f"/registrations/{registration['id']}",
        "/exhibition",
        "/ceremonies",
        f"/ceremonies/{ceremony['id']}",
        "/running-order",
        f"/running-order/{item['id']}/edit",
        "/printing",
        "/devices",
        "/exports",
    ]
    console_own = {"/", "/registrations", f"/registrations/{registration['id']}", "/devices"}
    for page in pages:
        parser = Controls()
        parser.feed(open_page(console, BASE + page)[0])
        assert parser.unlabelled() == [], page
        assert parser.unnamed_buttons == 0, page
        labels = re.findall(
            r'aria-label="([^"]*)"', open_page(console, f"{BASE}{page}?lang=zh-HK")[0]
        )
        not_chinese = [x for x in labels if not re.search(r"[\u4e00-\u9fff]", html.unescape(x))]
        assert not_chinese == [], page  # a Chinese page labels its controls in Chinese
        labels = re.findall(r'aria-label="([^"]*)"', open_page(console, f"{BASE}{page}?lang=en")[0])
        chinese = [x for x in labels if re.search(r"[\u4e00-\u9fff]", html.unescape(x))]
        if page in console_own:  # (the planning pages' own labels are worded apart)
            assert chinese == [], page


# Errors tied to their fields --------------------------------------------------------------


def described_by(text: str, control_id: str) -> str:
    """Return the error text a control's aria-describedby points to ('' if none)."""
    tag = re.search(rf'<(?:input|textarea|select)[^>]*\bid="{control_id}"[^>]*>', text)
    assert tag, control_id
    if 'aria-invalid="true"' not in tag.group(0):
        return ""
    target = re.search(r'aria-describedby="([^"]+)"', tag.group(0))
    assert target, control_id
    error = re.search(rf'id="{target.group(1)}"[^>]*>(.*?)<', text, re.S)
    assert error, target.group(1)
    return html.unescape(error.group(1))


def test_running_order_errors_are_tied_to_each_field(
    app: Flask, console: FlaskClient, gathering: dict[str, Any]
) -> None:
    page = f"{BASE}/running-order"
    response = post(
        console,
        page,
        "",
        starts_at="2026-03-02T09:45",
        ends_at="2026-03-02T09:55",
        title_en="Speech",
        title_zh="致辭",
        kind="speech",
        location="Main stage",
        speaker_name="S" * 300,
        speaker_registration_id="not-an-id",
        ceremony_id="nonsense",
        notes="N" * 600,
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    for name in ("speaker_name", "speaker_registration_id", "ceremony_id", "notes"):
        assert described_by(text, f"new-{name}"), name
    assert described_by(text, "new-title_en") == ""


def test_ceremony_item_text_errors_are_tied_to_their_fields(
    app: Flask, console: FlaskClient, organiser: dict[str, str], gathering: dict[str, Any]
) -> None:
    ceremony = plan_ceremony(console, organiser)
    page = f"{BASE}/ceremonies/{ceremony['id']}"
    response = post(
        console,
        page,
        "/items",
        reference="REF-1",
        title_en="Agreement",
        title_zh="協議",
        parties="\n".join(f"Party {n}" for n in range(60)),
        clauses="x" * 30_000,
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert described_by(text, "new-parties")
    assert described_by(text, "new-clauses")


# Double submits -----------------------------------------------------------------------------


def test_planning_the_same_ceremony_twice_plans_it_once(
    app: Flask, console: FlaskClient, organiser: dict[str, str], gathering: dict[str, Any]
) -> None:
    page = f"{BASE}/ceremonies"
    _, token, _ = open_page(console, page)
    form = {
        "csrf_token": token,
        "kind": "signing",
        "title_en": "Tenant enterprise signing ceremony",
        "title_zh": "入駐企業簽約儀式",
        "starts_at": "2026-03-02T10:50",
        "location": "Main stage 主會場",
    }
    first = console.post(page, data=form)
    second = console.post(page, data=form)

    assert first.status_code == 303
    assert second.status_code == 422
    assert "is already planned" in html.unescape(second.get_data(as_text=True))
    assert len(console.get(CEREMONIES, headers=organiser).json["items"]) == 1
    # a different time is another ceremony
    assert console.post(page, data={**form, "starts_at": "2026-03-02T11:50"}).status_code == 303
    assert len(console.get(CEREMONIES, headers=organiser).json["items"]) == 2
