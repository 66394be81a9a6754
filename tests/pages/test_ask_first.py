"""Irreversible actions ask first: a post without `confirm=yes` never acts, with it acts once.

Each action is walked as a browser without JavaScript would: post the button's form, get the
question page, then post that page's own form (the "Yes, ..." button).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import SLUG, guest, services_of
from tests.console_helpers import csrf_from
from tests.pages.test_web_form import confirmation_path, csrf_of, submit
from tests.planning_helpers import (
    CEREMONIES,
    REGISTER,
    add_item,
    create_gathering,
    define_slot,
    exhibitor,
    placed_firm,
    plan_ceremony,
    stored_count,
    stored_events,
)

CONSOLE = f"/organiser/gatherings/{SLUG}"


def question_form(response: Any) -> tuple[str, dict[str, str]]:
    """Return the action and the hidden fields of a question page's "Yes" form."""
    assert response.status_code == 200, response.status_code
    text = response.get_data(as_text=True)
    form = re.search(
        r'<form method="post" action="([^"]+)" id="ask-first-form">(.*?)</form>', text, re.S
    )
    assert form, "no question on the page"
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(2))
    return html.unescape(form.group(1)), {n: html.unescape(v) for n, v in fields}


def words(response: Any) -> str:
    """Return the question panel's text, tags and spacing removed."""
    text = response.get_data(as_text=True)
    panel = re.search(r'<section class="card ask-first".*?</section>', text, re.S)
    assert panel, "no question panel"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", panel.group(0))).split())


def ask_then_confirm(
    client: FlaskClient, action: str, data: dict[str, str], before: Callable[[], int]
) -> Any:
    """Post without confirm (nothing may change), then post the question's own form."""
    count = before()
    asked = client.post(action, data=data)
    assert before() == count, "the first post acted"
    again = client.post(action, data=data)  # a second click without the question: asks again
    assert before() == count
    target, fields = question_form(again)
    assert target == action
    assert fields["confirm"] == "yes"
    assert {k: v for k, v in fields.items() if k != "confirm"} == data
    done = client.post(target, data=fields)
    assert done.status_code == 303
    assert before() == count + 1
    return asked, done


def test_the_guest_is_asked_in_their_own_language(
    client: FlaskClient, gathering: dict[str, Any]
) -> None:
    mine = confirmation_path(submit(client, 1))
    chinese = {"Accept-Language": "zh-HK"}
    data = {"csrf_token": csrf_of(client.get(mine, headers=chinese))}
    asked = client.post(f"{mine}/cancel", data=data, headers=chinese)
    said = words(asked)
    assert "確定取消報名" in said
    assert "取消後您無法自行恢復" in said
    assert "是，取消報名" in said
    assert "Cancel your registration?" not in said
    simplified = words(
        client.post(f"{mine}/cancel", data=data, headers={"Accept-Language": "zh-CN"})
    )
    assert "确定取消报名" in simplified


def test_the_guest_is_asked_before_cancelling_and_it_happens_once(
    app: Flask, client: FlaskClient, gathering: dict[str, Any]
) -> None:
    mine = confirmation_path(submit(client, 1))
    cancelled = lambda: stored_count(app, "Registration.Cancelled")  # noqa: E731
    data = {"csrf_token": csrf_of(client.get(mine))}
    chinese = words(client.post(f"{mine}/cancel?lang=zh-HK", data=data))
    for text in ("確定取消報名？", "取消後您無法自行恢復", "是，取消報名"):
        assert text in chinese
    assert "Cancel your registration?" not in chinese
    client.get(f"{mine}?lang=en")  # back to English, the page's language without a choice

    asked, done = ask_then_confirm(client, f"{mine}/cancel", data, cancelled)

    said = words(asked)
    assert "Cancel your registration?" in said
    assert "Your seat goes to the next guest on the waitlist" in said
    assert "You cannot undo this yourself" in said
    assert "Yes, cancel my registration" in said
    assert "確定取消報名" not in said
    assert f'href="{mine}"' in asked.get_data(as_text=True)  # "No, go back"
    confirmation = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Your registration is cancelled." in confirmation
    _, fields = question_form(asked)
    again = client.post(f"{mine}/cancel", data=fields)  # the yes posted twice: acts once
    assert again.status_code == 303
    assert "notice=not_cancellable" in again.headers["Location"]
    assert cancelled() == 1


def registration_page(console: FlaskClient, registration_id: str) -> tuple[str, dict[str, str]]:
    page = f"{CONSOLE}/registrations/{registration_id}"
    text = console.get(page).get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', text)
    assert version
    return page, {"csrf_token": csrf_from(text), "version": version.group(1)}


@pytest.mark.parametrize(
    ("action", "category", "event", "expected"),
    [
        ("cancel", "guest", "Registration.Cancelled", "Their seat goes to the first guest"),
        ("reject", "vip", "Registration.Rejected", "is turned down and gets no seat"),
    ],
)
def test_the_console_asks_before_cancelling_or_rejecting(
    app: Flask,
    console: FlaskClient,
    gathering: dict[str, Any],
    action: str,
    category: str,
    event: str,
    expected: str,
) -> None:
    made = console.post(
        REGISTER, json=guest(1, category=category, full_name="Lam Wing Yan", name_zh="林詠欣")
    )
    assert made.status_code == 201
    page, data = registration_page(console, made.json["id"])
    data["reason"] = "asked by phone"

    chinese = words(console.post(f"{page}/{action}?lang=zh-HK", data=data))
    assert {
        "cancel": "取消 Lam Wing Yan 林詠欣 的登記？",
        "reject": "拒絕 Lam Wing Yan 林詠欣 的登記？",
    }[action] in chinese
    assert "記錄原因：「asked by phone」。" in chinese
    assert "此操作無法撤銷。" in chinese
    assert "This cannot be undone." not in chinese
    console.get(f"{page}?lang=en")

    asked, _ = ask_then_confirm(console, f"{page}/{action}", data, lambda: stored_count(app, event))

    said = words(asked)
    assert f"{action.capitalize()} the registration of Lam Wing Yan 林詠欣?" in said
    assert expected in said
    assert "The reason recorded: “asked by phone”." in said
    assert "This cannot be undone." in said
    assert "此操作無法撤銷" not in said
    state = services_of(app).box_office.registration(UUID(made.json["id"])).state
    assert state.value == {"cancel": "cancelled", "reject": "rejected"}[action]


def test_the_console_asks_before_withdrawing_a_firm(
    app: Flask, client: FlaskClient, console: FlaskClient, organiser: dict[str, str]
) -> None:
    create_gathering(client, organiser)
    define_slot(client, organiser, "B07")
    firm = placed_firm(client, organiser, "B07", "Force Sense Robotics", staff_quota=3)
    assert exhibitor(client, 1, firm["id"]).status_code == 201
    page = f"{CONSOLE}/exhibition"
    text = console.get(page).get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', text)
    assert version
    data = {"csrf_token": csrf_from(text), "version": version.group(1), "reason": "left"}
    withdrawn = lambda: stored_count(app, "Exhibition.FirmWithdrawn")  # noqa: E731

    action = f"{page}/firms/{firm['id']}/withdraw"
    chinese = words(console.post(f"{action}?lang=zh-CN", data=data))
    assert "确定 Force Sense Robotics 力感機器人 退出展览？" in chinese  # the firm's name as typed
    assert "展位 B07 将空出。" in chinese
    assert "是，企业退出" in chinese
    console.get(f"{page}?lang=en")

    asked, _ = ask_then_confirm(console, action, data, withdrawn)

    said = words(asked)
    assert "Withdraw Force Sense Robotics 力感機器人?" in said
    assert "Booth B07 becomes free." in said
    assert "The registration of its 1 staff member is cancelled." in said
    assert "Yes, withdraw the firm" in said
    assert "是，企業退出" not in said
    assert stored_count(app, "Registration.Cancelled") == 1


def ready_ceremony(client: FlaskClient, organiser: dict[str, str], **changes: Any) -> str:
    """Return the console page of a ceremony whose documents are approved."""
    ceremony = plan_ceremony(client, organiser, **changes)
    add_item(client, organiser, ceremony["id"])
    ready = client.post(f"{CEREMONIES}/{ceremony['id']}/ready", headers=organiser)
    assert ready.status_code == 200
    return ceremony["id"]


def test_the_console_asks_before_recording_a_signing(
    app: Flask, client: FlaskClient, console: FlaskClient, organiser: dict[str, str]
) -> None:
    create_gathering(client, organiser)
    ceremony_id = ready_ceremony(client, organiser)
    page = f"{CONSOLE}/ceremonies/{ceremony_id}"
    text = console.get(page).get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', text)
    assert version
    data = {
        "csrf_token": csrf_from(text),
        "version": version.group(1),
        "happened_at": "2026-03-02T11:20",
    }

    asked, _ = ask_then_confirm(
        console, f"{page}/complete", data, lambda: stored_events(app, UUID(ceremony_id))
    )

    said = words(asked)
    assert "Record that Tenant enterprise signing ceremony took place?" in said
    assert "the agreements were signed on Monday 2 March 2026, 11:20." in said
    assert "locked for good" in said
    assert "Yes, record it and lock the ceremony" in said
    state = client.get(f"{CEREMONIES}/{ceremony_id}", headers=organiser).json["state"]
    assert state == "signed"
