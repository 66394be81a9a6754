"""The console's registrations pages: list, search, one registration, decisions, history."""

from __future__ import annotations

import re
import uuid
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import SLUG, gathering_payload, guest, services_of
from tests.console_helpers import csrf_from
from tests.planning_helpers import create_gathering, define_slot, exhibitor, placed_firm

LIST = f"/organiser/gatherings/{SLUG}/registrations"


def register(client: FlaskClient, n: int, **overrides: Any) -> dict[str, Any]:
    response = client.post(f"/api/v1/gatherings/{SLUG}/registrations", json=guest(n, **overrides))
    assert response.status_code == 201, response.json
    return dict(response.json)


def page_of(registration_id: str) -> str:
    return f"{LIST}/{registration_id}"


def version_in(html: str) -> str:
    match = re.search(r'name="version" value="(\d+)"', html)
    assert match, "no version field in the page"
    return match.group(1)


def decide(
    console: FlaskClient, registration_id: str, action: str, **fields: Any
) -> tuple[Any, str]:
    """Open the registration's page, post one of its forms; return the answer and the page after."""
    html = console.get(page_of(registration_id)).get_data(as_text=True)
    data = {"csrf_token": csrf_from(html), "version": version_in(html), **fields}
    response = console.post(f"{page_of(registration_id)}/{action}", data=data)
    after = console.get(page_of(registration_id)).get_data(as_text=True)
    return response, after


def state_of(app: Flask, registration_id: str) -> str:
    return str(services_of(app).box_office.registration(uuid.UUID(registration_id)).state.value)


def event_count(app: Flask) -> int:
    return int(services_of(app).box_office.recorder.max_notification_id() or 0)


def text_of(html: str) -> str:
    """Return a page's words without tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def listed_ids(html: str) -> set[str]:
    return set(re.findall(r'<tr data-id="([0-9a-f-]+)"', html))


def test_list_searches_and_filters(
    app: Flask, console: FlaskClient, gathering: dict[str, Any]
) -> None:
    alice = register(
        console, 1, full_name="Alice Wong", name_zh="黃秉修", organisation="Acme Robotics"
    )
    bob = register(console, 2, full_name="Bob Lee", name_zh="李波", category="vip")
    carol = register(
        console,
        3,
        full_name="Carol Ho",
        name_zh="何嘉",
        organisation="Daily News",
        category="press",
    )
    everyone = {alice["id"], bob["id"], carol["id"]}

    page = console.get(LIST)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert listed_ids(html) == everyone
    assert f'href="{page_of(alice["id"])}"' in html
    assert re.search(r'id="count-pending">\s*<b>2</b>', html)
    assert re.search(r'id="count-confirmed">\s*<b>1</b>', html)

    def ids(**query: str) -> set[str]:
        response = console.get(LIST, query_string=query)
        assert response.status_code == 200
        return listed_ids(response.get_data(as_text=True))

    assert ids(q="黃秉修") == {alice["id"]}
    assert ids(q="guest2@EXAMPLE") == {bob["id"]}
    assert ids(q="daily news") == {carol["id"]}
    assert ids(q="nobody-like-this") == set()
    assert ids(state="pending") == {bob["id"], carol["id"]}
    assert ids(state="confirmed") == {alice["id"]}
    assert ids(category="vip") == {bob["id"]}
    assert ids(state="pending", category="press") == {carol["id"]}
    assert ids(state="pending", q="bob") == {bob["id"]}
    # Bad filter values are ignored with a message, never a 500.
    bad = console.get(LIST, query_string={"state": "sleeping", "category": "alien", "page": "x"})
    assert bad.status_code == 200
    bad_html = bad.get_data(as_text=True)
    assert "Unknown state" in bad_html
    assert "Unknown category" in bad_html
    assert listed_ids(bad_html) == everyone


def test_list_pages(app: Flask, console: FlaskClient, gathering: dict[str, Any]) -> None:
    for n in range(1, 28):
        register(console, n)
    first = console.get(LIST).get_data(as_text=True)
    second = console.get(LIST, query_string={"page": "2"}).get_data(as_text=True)
    assert len(listed_ids(first)) == 25
    assert len(listed_ids(second)) == 2
    assert not listed_ids(first) & listed_ids(second)
    assert "page 1 of 2" in first
    assert 'rel="next"' in first
    beyond = console.get(LIST, query_string={"page": "99"}).get_data(as_text=True)
    assert listed_ids(beyond) == listed_ids(second)
    # 10 seats: the other 17 wait; the counts say so
    assert re.search(r'id="count-waitlisted">\s*<b>17</b>', first)


def test_approve_from_the_page_shows_in_the_history(
    app: Flask, console: FlaskClient, gathering: dict[str, Any]
) -> None:
    vip = register(console, 1, category="vip")
    html = console.get(page_of(vip["id"])).get_data(as_text=True)
    assert 'id="approve-form"' in html
    assert 'id="reject-form"' in html
    assert 'id="reissue-form"' not in html
    response, after = decide(console, vip["id"], "approve")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(page_of(vip["id"]))
    assert state_of(app, vip["id"]) == "confirmed"
    assert "Approval recorded" in after
    # 09:00 UTC is 17:00 in Asia/Shanghai, the gathering's zone
    assert "Sunday 1 February 2026, 17:00 — Approved by organiser:olivia" in text_of(after)
    assert "Registered as VIP by the guest, awaiting approval" in after
    assert "批准" not in after
    chinese = text_of(console.get(f"{page_of(vip['id'])}?lang=zh-HK").get_data(as_text=True))
    assert "2026年2月1日（星期日）17:00 — 由organiser:olivia批准" in chinese
    assert "由嘉賓本人登記（貴賓），等待審批" in chinese
    simplified = text_of(console.get(f"{page_of(vip['id'])}?lang=zh-CN").get_data(as_text=True))
    assert "由嘉宾本人报名（贵宾），等待审批" in simplified
    console.get(f"{page_of(vip['id'])}?lang=en")
    assert 'id="approve-form"' not in after
    assert 'id="reissue-form"' in after


def test_vip_approved_over_capacity_when_vip_seats_are_full(
    app: Flask, console: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    for n in range(1, 4):
        seated = register(console, n, category="vip")
        approved = console.post(
            f"/api/v1/registrations/{seated['id']}/approve", json={}, headers=organiser
        )
        assert approved.json["state"] == "confirmed"
    vip = register(console, 4, category="vip", full_name="Very Important")
    _, after = decide(console, vip["id"], "approve")
    assert state_of(app, vip["id"]) == "waitlisted"
    assert "All 3 VIP seats are taken" in after  # VIP is full, not the event
    assert "No. 1 on the waitlist" in after
    assert 'id="approve-override"' in after

    response, after = decide(console, vip["id"], "approve", override="1")
    assert response.status_code == 303
    registration = services_of(app).box_office.registration(uuid.UUID(vip["id"]))
    assert registration.state.value == "confirmed"
    assert registration.capacity_overridden is True
    assert "Approved by organiser:olivia, over capacity" in after
    assert "put on the waitlist" in after


def test_override_is_for_vips_only(
    app: Flask, console: FlaskClient, gathering: dict[str, Any]
) -> None:
    press = register(console, 1, category="press")
    html = console.get(page_of(press["id"])).get_data(as_text=True)
    assert 'id="approve-override"' not in html
    assert "Capacity can be overridden for VIP guests only" in html
    before = event_count(app)
    _, after = decide(console, press["id"], "approve", override="1")
    assert "Not done: capacity can be overridden for VIP guests only" in after
    assert state_of(app, press["id"]) == "pending"
    assert event_count(app) == before


def test_stale_form_is_refused_and_nothing_is_written(
    app: Flask, console: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    vip = register(console, 1, category="vip")
    html = console.get(page_of(vip["id"])).get_data(as_text=True)
    # Another organiser cancels while this page is open.
    cancelled = console.post(
        f"/api/v1/registrations/{vip['id']}/cancel", json={"reason": "asked"}, headers=organiser
    )
    assert cancelled.status_code == 200
    before = event_count(app)
    response = console.post(
        f"{page_of(vip['id'])}/approve",
        data={"csrf_token": csrf_from(html), "version": version_in(html)},
    )
    assert response.status_code == 303
    assert event_count(app) == before
    assert state_of(app, vip["id"]) == "cancelled"
    after = console.get(page_of(vip["id"])).get_data(as_text=True)
    assert re.search(r"Nothing was changed: organiser:alice\S* changed it \(Cancelled at", after)
    assert "after you opened this page" in after
    assert 'id="approve-form"' not in after


def test_post_without_csrf_token_is_refused(
    app: Flask, console: FlaskClient, gathering: dict[str, Any]
) -> None:
    vip = register(console, 1, category="vip")
    html = console.get(page_of(vip["id"])).get_data(as_text=True)
    before = event_count(app)
    for token in (None, "forged-token"):
        data = {"version": version_in(html)}
        if token:
            data["csrf_token"] = token
        response = console.post(f"{page_of(vip['id'])}/approve", data=data)
        assert response.status_code == 400
        assert "nothing was changed" in response.get_data(as_text=True)
    assert event_count(app) == before
    assert state_of(app, vip["id"]) == "pending"


def test_unknown_or_foreign_registration_is_not_found(
    app: Flask, console: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    assert console.get(page_of(str(uuid.uuid4()))).status_code == 404
    missing = console.get(page_of("not-an-id"))
    assert missing.status_code == 404
    assert "There is no such registration for this event" in missing.get_data(as_text=True)
    other = console.post(
        "/api/v1/gatherings",
        json=gathering_payload(slug="other-2026", title_en="Another launch"),
        headers=organiser,
    )
    assert other.status_code == 201, other.json
    foreign = console.post(
        "/api/v1/gatherings/other-2026/registrations", json=guest(9, category="vip")
    ).json
    assert console.get(page_of(foreign["id"])).status_code == 404
    html = console.get(LIST).get_data(as_text=True)
    before = event_count(app)
    refused = console.post(
        f"{page_of(foreign['id'])}/approve", data={"csrf_token": csrf_from(html), "version": "1"}
    )
    assert refused.status_code == 404
    assert event_count(app) == before
    assert state_of(app, foreign["id"]) == "pending"
    assert console.get("/organiser/gatherings/no-such-event/registrations").status_code == 404


def test_reject_cancel_reissue_and_promotion_in_plain_words(
    app: Flask, console: FlaskClient, gathering: dict[str, Any]
) -> None:
    press = register(console, 1, category="press")
    _, after = decide(console, press["id"], "reject", reason="not accredited", confirm="yes")
    assert state_of(app, press["id"]) == "rejected"
    assert "Rejected by organiser:olivia: “not accredited”" in after
    assert 'id="no-actions"' in after
    assert (
        '<form method="post" action' not in after.split('id="decisions"')[1].split("</section>")[0]
    )

    seated = [register(console, n) for n in range(2, 12)]
    waiting = register(console, 12)
    assert state_of(app, waiting["id"]) == "waitlisted"
    _, after = decide(console, seated[0]["id"], "reissue-badge")
    assert "Badge reissued (serial 2) by organiser:olivia" in after
    assert re.search(r'id="badge-serial">2', after)
    _, after = decide(console, seated[0]["id"], "cancel", reason="", confirm="yes")
    assert state_of(app, seated[0]["id"]) == "cancelled"
    assert "— Cancelled by organiser:olivia" in text_of(after)
    assert "取消" not in after
    assert state_of(app, waiting["id"]) == "confirmed"
    promoted = console.get(page_of(waiting["id"])).get_data(as_text=True)
    assert "Promoted from the waitlist by the system" in promoted
    assert "Registered as Guest by the guest, put on the waitlist" in promoted


def test_too_long_reason_is_refused_with_a_message(
    app: Flask, console: FlaskClient, gathering: dict[str, Any]
) -> None:
    vip = register(console, 1, category="vip")
    before = event_count(app)
    _, after = decide(console, vip["id"], "cancel", reason="x" * 501)
    assert "the reason must be at most 500 characters" in after
    assert state_of(app, vip["id"]) == "pending"
    assert event_count(app) == before


def test_exhibitor_staff_page_names_the_firm(
    app: Flask, console: FlaskClient, organiser: dict[str, str]
) -> None:
    create_gathering(console, organiser)
    define_slot(console, organiser, "B07")
    firm = placed_firm(console, organiser, "B07", "Force Sense Robotics")
    staff = exhibitor(console, 1, firm["id"])
    assert staff.status_code == 201, staff.json
    html = console.get(page_of(staff.json["id"])).get_data(as_text=True)
    assert 'id="firm">Force Sense Robotics 力感機器人</dd>' in html  # the firm's names as typed
    chinese = console.get(page_of(staff.json["id"]), headers={"Accept-Language": "zh-HK"})
    assert 'id="firm">力感機器人 Force Sense Robotics</dd>' in chinese.get_data(as_text=True)
    rows = console.get(f"/organiser/gatherings/{SLUG}/exports/guest-list.csv").get_data()
    assert "Force Sense Robotics 力感機器人" in rows.decode("utf-8-sig")


def test_list_search_finds_either_script(
    app: Flask, console: FlaskClient, gathering: dict[str, Any]
) -> None:
    wong = register(console, 1, full_name="Wong Ping Sau", name_zh="黃秉修")
    huang = register(console, 2, full_name="Huang Wei", name_zh="黄伟")
    chan = register(
        console, 3, full_name="Chan Tai Man", name_zh="陳大文", organisation="香港科技園"
    )

    def ids(q: str) -> set[str]:
        response = console.get(LIST, query_string={"q": q})
        assert response.status_code == 200
        return listed_ids(response.get_data(as_text=True))

    assert ids("黄秉") == {wong["id"]}
    assert ids("黃偉") == {huang["id"]}
    assert ids("香港科技园") == {chan["id"]}
    assert ids("黄") == {wong["id"], huang["id"]}
    assert ids("陳小文") == set()
