"""Console corrections: the event's edit form, a guest's edit form, reinstating, badges."""

from __future__ import annotations

import re
import uuid
from html import unescape
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from domain.badge_prints import BadgePrints
from tests.conftest import SLUG, guest, services_of
from tests.console_helpers import csrf_from

BASE = f"/organiser/gatherings/{SLUG}"
EDIT_EVENT = f"{BASE}/edit"


def register(client: FlaskClient, n: int, **overrides: Any) -> dict[str, Any]:
    response = client.post(f"/api/v1/gatherings/{SLUG}/registrations", json=guest(n, **overrides))
    assert response.status_code == 201, response.json
    return dict(response.json)


def approve(client: FlaskClient, organiser: dict[str, str], rid: str) -> str:
    response = client.post(f"/api/v1/registrations/{rid}/approve", json={}, headers=organiser)
    return str(response.json["state"])


def stored(app: Flask) -> int:
    return int(services_of(app).box_office.recorder.max_notification_id() or 0)


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def form_fields(html: str) -> dict[str, str]:
    """Return the values of a page's inputs, selected options and checked boxes."""
    found: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name is None or ('type="checkbox"' in tag and "checked" not in tag):
            continue
        found[name.group(1)] = value.group(1) if value else ""
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        found[name] = chosen.group(1) if chosen else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        found[name] = body
    return found


def submit(console: FlaskClient, page: str, action: str, **changes: Any) -> Any:
    """Open a form page, change some fields, post it as a browser would."""
    html = console.get(page).get_data(as_text=True)
    data = {**form_fields(html), **changes}
    return console.post(action, data={k: v for k, v in data.items() if v is not None})


# The event --------------------------------------------------------------------------


def test_raising_a_full_category_in_the_form_confirms_the_first_waitlisted(
    app: Flask,
    console: FlaskClient,
    client: FlaskClient,
    gathering: dict[str, Any],
    organiser: dict[str, str],
) -> None:
    vips = [register(client, n, category="vip") for n in range(5)]
    assert [approve(client, organiser, v["id"]) for v in vips][-1] == "waitlisted"
    response = submit(console, EDIT_EVENT, EDIT_EVENT, cap_vip="4")
    assert response.status_code == 303
    page = text_of(console.get(EDIT_EVENT).get_data(as_text=True))
    assert "Saved: Categories. 1 waitlisted guest now confirmed." in page
    events = services_of(app).box_office
    assert events.registration(uuid.UUID(vips[3]["id"])).state.value == "confirmed"
    assert events.registration(uuid.UUID(vips[4]["id"])).state.value == "waitlisted"


def test_lowering_below_confirmed_shows_the_numbers_in_the_page_s_language(
    app: Flask,
    console: FlaskClient,
    client: FlaskClient,
    gathering: dict[str, Any],
    organiser: dict[str, str],
) -> None:
    for n in range(3):
        approve(client, organiser, register(client, n, category="vip")["id"])
    before = stored(app)
    response = submit(console, EDIT_EVENT, EDIT_EVENT, cap_vip="1", venue="Hall 9")
    assert response.status_code == 422
    page = text_of(response.get_data(as_text=True))
    assert "3 guests are confirmed in VIP; the capacity cannot go below 3" in page
    assert "未能完成" not in page
    assert 'value="Hall 9"' in response.get_data(as_text=True)  # the typed values stay
    console.get(f"{EDIT_EVENT}?lang=zh-HK")  # the organiser chooses Chinese: remembered
    chinese = submit(console, EDIT_EVENT, EDIT_EVENT, cap_vip="1", venue="Hall 9")
    assert chinese.status_code == 422
    words = text_of(chinese.get_data(as_text=True))
    assert "未能完成：" in words
    assert "總名額" in words
    assert "Capacity (all guests)" not in words
    console.get(f"{EDIT_EVENT}?lang=en")
    assert stored(app) == before


def test_event_form_bad_values_are_named_and_write_nothing(
    app: Flask, console: FlaskClient, gathering: dict[str, Any]
) -> None:
    before = stored(app)
    cases = {
        "capacity": {"capacity": "many"},
        "cap_vip": {"cap_vip": "-1"},
        "ends_at": {"ends_at": "2026-03-02T08:00"},
        "starts_at": {"starts_at": "yesterday"},
        "title_en": {"title_en": ""},
        "door_list_max_age_minutes": {"door_list_max_age_minutes": "0"},
    }
    for field, changes in cases.items():
        response = submit(console, EDIT_EVENT, EDIT_EVENT, **changes)
        assert response.status_code == 422, field
        assert f'id="{field}-error"' in response.get_data(as_text=True), field
    assert stored(app) == before


def test_event_form_changes_titles_times_and_approval(
    app: Flask, console: FlaskClient, gathering: dict[str, Any]
) -> None:
    response = submit(
        console,
        EDIT_EVENT,
        EDIT_EVENT,
        title_en="Launch (corrected)",
        ends_at="2026-03-02T14:00",
        approval_vip=None,
        capacity="12",
        door_list_max_age_minutes="45",
    )
    assert response.status_code == 303
    found = services_of(app).box_office.gathering(SLUG)
    assert found.title_en == "Launch (corrected)"
    assert found.ends_at.isoformat() == "2026-03-02T14:00:00+08:00"
    assert found.capacity == 12
    assert found.door_list_max_age_minutes == 45
    assert found.categories["vip"]["approval_required"] is False
    assert found.categories["press"]["approval_required"] is True
    history = text_of(console.get(EDIT_EVENT).get_data(as_text=True))
    assert "organiser:olivia" in history
    assert "Title (English) “Launch ceremony of the Hetao" in history
    assert "Capacity “10” → “12”" in history
    assert "Door list age limit (minutes) “30” → “45”" in history
    assert "Categories VIP 3 (approval) → VIP 3" in history
    chinese = text_of(console.get(f"{EDIT_EVENT}?lang=zh-HK").get_data(as_text=True))
    assert "；名額「10」→「12」；" in chinese.replace(" ", "")
    assert "類別 貴賓 3（需審批） → 貴賓 3" in chinese
    console.get(f"{EDIT_EVENT}?lang=en")


def test_event_form_edited_meanwhile_is_refused(
    app: Flask, console: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    html = console.get(EDIT_EVENT).get_data(as_text=True)
    patched = console.patch(f"/api/v1/gatherings/{SLUG}", json={"venue": "X"}, headers=organiser)
    assert patched.status_code == 200
    data = {**form_fields(html), "capacity": "30"}
    response = console.post(EDIT_EVENT, data=data)
    assert response.status_code == 303
    page = text_of(console.get(EDIT_EVENT).get_data(as_text=True))
    assert "Nothing was changed" in page
    assert services_of(app).box_office.gathering(SLUG).capacity == 10


def test_event_form_needs_the_csrf_token(
    app: Flask, console: FlaskClient, gathering: dict[str, Any]
) -> None:
    html = console.get(EDIT_EVENT).get_data(as_text=True)
    data = {**form_fields(html), "csrf_token": "forged", "capacity": "30"}
    assert console.post(EDIT_EVENT, data=data).status_code == 400
    assert services_of(app).box_office.gathering(SLUG).capacity == 10


def test_console_pages_need_a_signed_in_organiser(
    client: FlaskClient, gathering: dict[str, Any]
) -> None:
    for page in (EDIT_EVENT, f"{BASE}/walk-ins"):
        assert client.get(page).status_code == 303


# One guest --------------------------------------------------------------------------


def guest_page(rid: str) -> str:
    return f"{BASE}/registrations/{rid}"


def test_correcting_a_name_keeps_the_badge_and_offers_a_reprint(
    app: Flask, console: FlaskClient, client: FlaskClient, gathering: dict[str, Any]
) -> None:
    rid = register(client, 1, full_name="Jon Smith")["id"]
    page = console.get(guest_page(rid)).get_data(as_text=True)
    assert 'id="print-badge"' in page
    assert ">Print badge<" in page
    assert "列印證件" not in page
    chinese = console.get(f"{guest_page(rid)}?lang=zh-HK").get_data(as_text=True)
    assert ">列印證件<" in chinese
    assert '<html lang="zh-Hant-HK">' in chinese
    console.get(f"{guest_page(rid)}?lang=en")
    badge = console.get(f"{guest_page(rid)}/badge.pdf")
    assert badge.status_code == 200
    assert badge.data.startswith(b"%PDF")
    response = submit(
        console,
        f"{guest_page(rid)}/edit",
        f"{guest_page(rid)}/edit",
        full_name="John Smith",
        job_title="CTO",
    )
    assert response.status_code == 303
    page = console.get(guest_page(rid)).get_data(as_text=True)
    words = text_of(page)
    assert "Corrected: Full name, Job title." in words
    assert "full name “Jon Smith” → “John Smith”; job title “Director” → “CTO”" in words
    assert "英文全名" not in words
    chinese = text_of(console.get(f"{guest_page(rid)}?lang=zh-HK").get_data(as_text=True))
    assert "英文全名「Jon Smith」→「John Smith」；職位「Director」→「CTO」" in chinese
    console.get(f"{guest_page(rid)}?lang=en")
    assert 'id="badge-outdated"' in page
    registration = services_of(app).box_office.registration(uuid.UUID(rid))
    assert registration.badge_serial == 1  # the badge still works at the door
    console.get(f"{guest_page(rid)}/badge.pdf")
    assert 'id="badge-outdated"' not in console.get(guest_page(rid)).get_data(as_text=True)


def test_guest_form_refusals_keep_the_form_and_write_nothing(
    app: Flask,
    console: FlaskClient,
    client: FlaskClient,
    gathering: dict[str, Any],
    organiser: dict[str, str],
) -> None:
    for n in range(3):
        approve(client, organiser, register(client, 10 + n, category="vip")["id"])
    rid = register(client, 1)["id"]
    register(client, 2)
    edit = f"{guest_page(rid)}/edit"
    before = stored(app)
    cases = [
        ({"email": "guest2@example.org"}, "email", "already registered"),
        ({"category": "vip"}, "category", "no VIP seat is free: all 3 VIP seats are taken"),
        ({"full_name": ""}, "full_name", "must not be empty"),
        ({"email": "nonsense"}, "email", "Not a valid email address"),
    ]
    for changes, field, message in cases:
        response = submit(console, edit, edit, **changes)
        html = response.get_data(as_text=True)
        assert response.status_code == 422, field
        assert f'id="{field}-error"' in html, field
        assert message in text_of(html), field
    console.get(f"{edit}?lang=zh-HK")
    chinese = text_of(submit(console, edit, edit, category="vip").data.decode())
    assert "未能完成：" in chinese
    assert "儲存更正" in chinese
    console.get(f"{edit}?lang=en")
    assert stored(app) == before


def test_guest_form_edited_meanwhile_is_refused(
    app: Flask,
    console: FlaskClient,
    client: FlaskClient,
    gathering: dict[str, Any],
    organiser: dict[str, str],
) -> None:
    rid = register(client, 1)["id"]
    edit = f"{guest_page(rid)}/edit"
    html = console.get(edit).get_data(as_text=True)
    client.patch(
        f"/api/v1/registrations/{rid}", json={"phone": "+852 2222 2222"}, headers=organiser
    )
    response = console.post(edit, data={**form_fields(html), "full_name": "Someone Else"})
    assert response.status_code == 303
    assert "Nothing was changed" in text_of(console.get(guest_page(rid)).get_data(as_text=True))
    assert (
        services_of(app).box_office.registration(uuid.UUID(rid)).details["full_name"]
        != "Someone Else"
    )


def test_guest_form_needs_the_csrf_token(
    app: Flask, console: FlaskClient, client: FlaskClient, gathering: dict[str, Any]
) -> None:
    rid = register(client, 1)["id"]
    edit = f"{guest_page(rid)}/edit"
    data = {**form_fields(console.get(edit).get_data(as_text=True)), "csrf_token": "x"}
    assert console.post(edit, data={**data, "full_name": "Forged"}).status_code == 400
    assert console.post(f"{guest_page(rid)}/reinstate", data={}).status_code == 400


def test_reinstate_from_the_console(
    app: Flask,
    console: FlaskClient,
    client: FlaskClient,
    gathering: dict[str, Any],
    organiser: dict[str, str],
) -> None:
    rid = register(client, 1)["id"]
    client.post(f"/api/v1/registrations/{rid}/cancel", json={}, headers=organiser)
    page = console.get(guest_page(rid)).get_data(as_text=True)
    assert 'id="reinstate"' in page
    html = page[page.index('id="reinstate-form"') :]
    version = re.search(r'name="version" value="(\d+)"', html).group(1)  # type: ignore[union-attr]
    response = console.post(
        f"{guest_page(rid)}/reinstate", data={"csrf_token": csrf_from(page), "version": version}
    )
    assert response.status_code == 303
    words = text_of(console.get(guest_page(rid)).get_data(as_text=True))
    assert "Reinstated and confirmed." in words
    assert "已恢復" not in words
    assert "Reinstated by organiser:olivia" in words
    again = console.post(
        f"{guest_page(rid)}/reinstate", data={"csrf_token": csrf_from(page), "version": version}
    )
    assert again.status_code == 303
    assert "Nothing was changed" in text_of(console.get(guest_page(rid)).get_data(as_text=True))


def test_badges_new_since_the_last_print(
    app: Flask,
    console: FlaskClient,
    client: FlaskClient,
    gathering: dict[str, Any],
    organiser: dict[str, str],
) -> None:
    printing = f"{BASE}/printing"
    first = [register(client, n)["id"] for n in range(3)]
    assert 'id="badges-due">3<' in console.get(printing).get_data(as_text=True)
    sheet = console.get(f"{printing}/badges.pdf")
    assert sheet.status_code == 200
    assert 'id="badges-due">0<' in console.get(printing).get_data(as_text=True)
    nothing = console.get(f"{printing}/new-badges.pdf")
    assert nothing.status_code == 422
    later = register(client, 9)["id"]
    client.patch(
        f"/api/v1/registrations/{first[0]}", json={"full_name": "New Name"}, headers=organiser
    )
    client.patch(
        f"/api/v1/registrations/{first[1]}", json={"notes": "not on the badge"}, headers=organiser
    )
    assert 'id="badges-due">2<' in console.get(printing).get_data(as_text=True)
    new = console.get(f"{printing}/new-badges.pdf")
    assert new.status_code == 200
    assert new.data.startswith(b"%PDF")
    assert 'id="badges-due">0<' in console.get(printing).get_data(as_text=True)
    prints = services_of(app).box_office.changes(BadgePrints.create_id(uuid.UUID(gathering["id"])))
    assert [e.data["kind"] for e in prints if e.type == "BadgesPrinted"] == ["sheet", "new"]
    assert set(prints[-1].data["badges"]) == {uuid.UUID(first[0]).hex, uuid.UUID(later).hex}
