"""The console's exhibition page: the booth map, allocate, move, swap, confirm, withdraw."""

from __future__ import annotations

import html
import re
from typing import Any
from uuid import UUID

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import SLUG, services_of
from tests.console_helpers import csrf_from
from tests.planning_helpers import (
    act,
    apply_firm,
    create_gathering,
    define_slot,
    exhibitor,
    placed_firm,
    second_organiser,
    stored_events,
)

PAGE = f"/organiser/gatherings/{SLUG}/exhibition"


def open_page(console: FlaskClient) -> tuple[str, str, str]:
    """Open the exhibition page; return its text, CSRF token and the exhibition's version."""
    response = console.get(PAGE)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', text)
    return text, csrf_from(text), version.group(1) if version else ""


def booth(text: str, code: str) -> str:
    """Return the (unescaped) card of one booth of the map."""
    match = re.search(rf'<li class="booth [a-z]+" id="booth-{code}">(.*?)</li>', text, re.S)
    assert match, f"no booth {code} on the map"
    return html.unescape(match.group(1))


def exhibition_events(app: Flask) -> int:
    return stored_events(app, services_of(app).planning.exhibition(SLUG).id)


def post(console: FlaskClient, path: str, **fields: Any) -> Any:
    """Open the page, then post `fields` with its CSRF token and version (unless given)."""
    _, token, version = open_page(console)
    data = {"csrf_token": token, "version": version, **fields}
    return console.post(PAGE + path, data=data)


def slots(client: FlaskClient, organiser: dict[str, str], *codes: str) -> None:
    for code in codes:
        define_slot(client, organiser, code)


def test_the_map_shows_booths_by_zone_and_firms_without_a_booth(
    console: FlaskClient, organiser: dict[str, str], gathering: Any
) -> None:
    slots(console, organiser, "A01", "A02")
    placed_firm(console, organiser, "A02", "Bright Lab")
    apply_firm(console, organiser, "Force Sense Robotics")

    text, _, version = open_page(console)

    assert "Block B exhibition hall" in text
    assert "free" in booth(text, "A01")
    assert "Bright Lab" in booth(text, "A02")
    assert "0 / 2" in booth(text, "A02")  # staff badges taken / quota
    waiting = re.search(r'<ul class="waiting" id="waiting">(.*?)</ul>', text, re.S)
    assert waiting
    assert "Force Sense Robotics" in waiting.group(1)
    assert "Bright Lab" not in waiting.group(1)
    assert int(version) > 0


def test_allocate_and_move_from_the_page_with_history_in_words(
    app: Flask, console: FlaskClient, organiser: dict[str, str], gathering: Any
) -> None:
    slots(console, organiser, "A01", "A02")
    firm = apply_firm(console, organiser, "Force Sense Robotics")

    allocated = post(console, "/allocate", firm_id=firm["id"], slot="a01")
    assert allocated.status_code == 303
    text = console.get(allocated.headers["Location"]).get_data(as_text=True)
    assert "Booth A01 allocated to Force Sense Robotics" in text
    assert "已分配" not in text
    assert "Force Sense Robotics" in booth(text, "A01")
    assert "free" in booth(text, "A02")

    moved = post(console, f"/firms/{firm['id']}/move", slot="A02")
    assert moved.status_code == 303
    text = console.get(PAGE).get_data(as_text=True)
    assert "moved to booth A02" in text
    assert "Force Sense Robotics" in booth(text, "A02")
    assert "free" in booth(text, "A01")

    history = console.get(f"{PAGE}/firms/{firm['id']}/history")
    assert history.status_code == 200
    words = html.unescape(history.get_data(as_text=True))
    assert "booth A01 allocated to Force Sense Robotics 力感機器人" in words
    assert "Force Sense Robotics 力感機器人 moved from booth A01 to A02" in words
    assert "organiser:olivia" in words
    assert re.search(
        r'<td class="when">[A-Z][a-z]+day \d+ [A-Z][a-z]+ 20\d\d, \d\d:\d\d</td>', words
    )
    chinese = console.get(
        f"{PAGE}/firms/{firm['id']}/history", headers={"Accept-Language": "zh-HK"}
    ).get_data(as_text=True)
    assert "Force Sense Robotics 力感機器人 由展位 A01 調往 A02" in html.unescape(chinese)
    assert "Force Sense Robotics 力感機器人 的記錄" in html.unescape(chinese)
    assert "moved from" not in chinese

    slot_words = html.unescape(console.get(f"{PAGE}/slots/a01/history").get_data(as_text=True))
    assert "moved from booth A01 to A02" in slot_words
    assert "booth A01 defined" in slot_words


def test_confirm_from_the_page(
    console: FlaskClient, organiser: dict[str, str], gathering: Any
) -> None:
    slots(console, organiser, "A01")
    firm = placed_firm(console, organiser, "A01")

    confirmed = post(console, f"/firms/{firm['id']}/confirm")

    assert confirmed.status_code == 303
    text = console.get(PAGE).get_data(as_text=True)
    assert "Confirmed" in booth(text, "A01")
    assert "已確認" not in text  # a page without a language is in English only
    chinese = console.get(PAGE, headers={"Accept-Language": "zh-HK"}).get_data(as_text=True)
    assert "已確認" in booth(chinese, "A01")
    assert "展位圖" in chinese
    assert "Booth map" not in chinese
    simplified = console.get(PAGE, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "已确认" in booth(simplified, "A01")
    assert "展位图" in simplified
    chosen = console.get(PAGE + "?lang=zh-HK").get_data(as_text=True)
    assert "展位圖" in chosen
    remembered = console.get(PAGE).get_data(as_text=True)  # the choice is kept in a cookie
    assert "展位圖" in remembered
    assert "Booth map" not in remembered


def test_swap_two_firms(console: FlaskClient, organiser: dict[str, str], gathering: Any) -> None:
    slots(console, organiser, "A01", "A02")
    first = placed_firm(console, organiser, "A01", "Bright Lab")
    second = placed_firm(console, organiser, "A02", "Force Sense Robotics")

    swapped = post(console, "/swap", first_firm_id=first["id"], second_firm_id=second["id"])

    assert swapped.status_code == 303
    text = console.get(PAGE).get_data(as_text=True)
    assert "swapped booths" in text
    assert "Force Sense Robotics" in booth(text, "A01")
    assert "Bright Lab" in booth(text, "A02")
    words = html.unescape(console.get(f"{PAGE}/slots/A01/history").get_data(as_text=True))
    assert "(booth A01) and Force Sense Robotics" in words
    assert "swapped booths" in words


def test_swap_with_itself_is_refused_with_the_message(
    app: Flask, console: FlaskClient, organiser: dict[str, str], gathering: Any
) -> None:
    slots(console, organiser, "A01")
    firm = placed_firm(console, organiser, "A01")
    before = exhibition_events(app)

    refused = post(console, "/swap", first_firm_id=firm["id"], second_firm_id=firm["id"])

    assert refused.status_code == 303
    text = console.get(PAGE).get_data(as_text=True)
    assert "a firm cannot swap with itself" in text
    assert exhibition_events(app) == before


def test_withdraw_a_firm_frees_its_booth(
    console: FlaskClient, organiser: dict[str, str], gathering: Any
) -> None:
    slots(console, organiser, "A01")
    firm = placed_firm(console, organiser, "A01")

    withdrawn = post(
        console, f"/firms/{firm['id']}/withdraw", reason="Pulled out of the show", confirm="yes"
    )

    assert withdrawn.status_code == 303
    text = console.get(PAGE).get_data(as_text=True)
    assert "free" in booth(text, "A01")
    row = re.search(rf'<tr id="firm-{firm["id"]}"[^>]*>(.*?)</tr>', text, re.S)
    assert row
    assert "Withdrawn" in row.group(1)
    chinese = console.get(PAGE, headers={"Accept-Language": "zh-HK"}).get_data(as_text=True)
    row = re.search(rf'<tr id="firm-{firm["id"]}"[^>]*>(.*?)</tr>', chinese, re.S)
    assert row
    assert "已撤回" in row.group(1)
    words = html.unescape(console.get(f"{PAGE}/firms/{firm['id']}/history").get_data(as_text=True))
    assert "withdrawn, booth A01 freed: Pulled out of the show" in words
    zh = console.get(f"{PAGE}/firms/{firm['id']}/history", headers={"Accept-Language": "zh-HK"})
    assert "已退出，展位 A01 已騰空：Pulled out of the show" in html.unescape(
        zh.get_data(as_text=True)
    )


def test_a_stale_form_about_a_booth_someone_just_took_is_refused_and_writes_nothing(
    app: Flask, console: FlaskClient, organiser: dict[str, str], gathering: Any
) -> None:
    slots(console, organiser, "A01", "A02", "A03")
    placed = placed_firm(console, organiser, "A01", "Bright Lab")
    waiting = apply_firm(console, organiser, "Force Sense Robotics")
    _, token, seen = open_page(console)  # the organiser opens the page ...

    bob = second_organiser(app)  # ... and meanwhile bob moves a firm into booth A03
    assert act(console, bob, placed["id"], "move", {"slot": "A03"}).status_code == 200
    before = exhibition_events(app)

    stale = console.post(
        f"{PAGE}/allocate",
        data={"csrf_token": token, "version": seen, "firm_id": waiting["id"], "slot": "A03"},
    )

    assert stale.status_code == 303
    assert exhibition_events(app) == before
    text = html.unescape(console.get(PAGE).get_data(as_text=True))
    assert "Nothing was changed" in text
    assert "organiser:bob" in text
    assert "FirmMoved at 17:00:00 Asia/Shanghai" in text
    assert "Bright Lab" in booth(text, "A03")
    assert "free" in booth(text, "A01")


def test_changes_to_other_booths_and_staff_badges_do_not_block_an_action(
    app: Flask, console: FlaskClient, organiser: dict[str, str]
) -> None:
    create_gathering(console, organiser)
    slots(console, organiser, "A01", "A02", "A03", "A04")
    placed = placed_firm(console, organiser, "A01", "Bright Lab")
    other = placed_firm(console, organiser, "A02", "Harbour Bionics")
    waiting = apply_firm(console, organiser, "Force Sense Robotics")
    _, token, seen = open_page(console)

    bob = second_organiser(app)  # bob moves another firm to another booth ...
    assert act(console, bob, other["id"], "move", {"slot": "A04"}).status_code == 200
    staff = exhibitor(console, 1, placed["id"])  # ... and a guest takes a staff badge
    assert staff.status_code == 201, staff.json

    allocated = console.post(
        f"{PAGE}/allocate",
        data={"csrf_token": token, "version": seen, "firm_id": waiting["id"], "slot": "A03"},
    )
    assert allocated.status_code == 303
    confirmed = console.post(
        f"{PAGE}/firms/{placed['id']}/confirm", data={"csrf_token": token, "version": seen}
    )
    assert confirmed.status_code == 303
    text = html.unescape(console.get(PAGE).get_data(as_text=True))
    assert "Nothing was changed" not in text
    assert "Force Sense Robotics" in booth(text, "A03")
    assert "Harbour Bionics" in booth(text, "A04")
    show = services_of(app).planning.exhibition(SLUG)
    assert show.firm(UUID(placed["id"]))["state"] == "confirmed"


def test_a_version_the_page_never_showed_is_refused(
    app: Flask, console: FlaskClient, organiser: dict[str, str], gathering: Any
) -> None:
    slots(console, organiser, "A01")
    waiting = apply_firm(console, organiser, "Force Sense Robotics")
    _, token, seen = open_page(console)
    before = exhibition_events(app)
    forged = console.post(
        f"{PAGE}/allocate",
        data={
            "csrf_token": token,
            "version": str(int(seen) + 5),
            "firm_id": waiting["id"],
            "slot": "A01",
        },
    )
    assert forged.status_code == 303
    assert exhibition_events(app) == before
    assert "Nothing was changed" in html.unescape(console.get(PAGE).get_data(as_text=True))


def test_a_post_without_csrf_is_refused_and_writes_nothing(
    app: Flask, console: FlaskClient, organiser: dict[str, str], gathering: Any
) -> None:
    slots(console, organiser, "A01")
    firm = apply_firm(console, organiser)
    _, _, version = open_page(console)
    before = exhibition_events(app)

    for token in ({}, {"csrf_token": "forged"}):
        refused = console.post(
            f"{PAGE}/allocate",
            data={"version": version, "firm_id": firm["id"], "slot": "A01", **token},
        )
        assert refused.status_code == 400
        assert "nothing was changed" in refused.get_data(as_text=True)

    assert exhibition_events(app) == before


def test_bad_input_never_gives_a_server_error(
    app: Flask, console: FlaskClient, organiser: dict[str, str], gathering: Any
) -> None:
    slots(console, organiser, "A01")
    taken = placed_firm(console, organiser, "A01", "Bright Lab")
    firm = apply_firm(console, organiser)
    before = exhibition_events(app)

    assert post(console, "/firms/not-an-id/confirm").status_code == 404
    assert post(console, f"/firms/{'0' * 32}/move", slot="A01").status_code == 404
    assert console.get(f"{PAGE}/firms/{'1' * 32}/history").status_code == 404
    assert console.get(f"{PAGE}/slots/Z99/history").status_code == 404
    assert console.get("/organiser/gatherings/no-such-event/exhibition").status_code == 404

    no_firm = post(console, "/allocate", firm_id="", slot="A01")
    assert no_firm.status_code == 303
    assert "Firm: choose a firm" in console.get(PAGE).get_data(as_text=True)
    _, token, version = open_page(console)
    console.post(
        PAGE + "/allocate",
        data={"csrf_token": token, "version": version, "firm_id": "", "slot": "A01"},
        headers={"Accept-Language": "zh-HK"},
    )
    said = console.get(PAGE, headers={"Accept-Language": "zh-HK"}).get_data(as_text=True)
    assert "未能完成：企業：請選擇企業。請檢查輸入。" in said

    bad_code = post(console, "/allocate", firm_id=firm["id"], slot="A 01!")
    assert bad_code.status_code == 303
    assert "Booth: " in console.get(PAGE).get_data(as_text=True)

    slot_taken = post(console, "/allocate", firm_id=firm["id"], slot="A01")
    assert slot_taken.status_code == 303
    assert "booth A01 already holds another firm" in console.get(PAGE).get_data(as_text=True)

    confirm_twice = post(console, f"/firms/{taken['id']}/confirm")
    assert confirm_twice.status_code == 303
    assert post(console, f"/firms/{taken['id']}/confirm").status_code == 303
    assert "cannot confirm a firm that is confirmed" in console.get(PAGE).get_data(as_text=True)
    assert exhibition_events(app) == before + 1  # only the first confirmation
