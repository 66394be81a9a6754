"""The invitee's page: the form filled in, accepting into the held seat, clear refusals."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.conftest import SLUG, FakeClock
from tests.pages.test_web_form import csrf_of

INVITATIONS = f"/api/v1/gatherings/{SLUG}/invitations"


def invite(client: FlaskClient, organiser: dict[str, str], **overrides: Any) -> str:
    """Invite an official (one companion allowed); return the path of their link."""
    body: dict[str, Any] = {
        "full_name": "Wang Xiaoming",
        "name_zh": "王小明",
        "organisation": "Commerce Bureau",
        "job_title": "Director",
        "email": "wang@example.org",
        "category": "guest",
        "batch": "officials",
        "deadline": "2026-02-20T18:00:00+08:00",
        "companions_allowed": 1,
        "companions_reserved": True,
    }
    body.update(overrides)
    answer = client.post(INVITATIONS, json=body, headers=organiser)
    assert answer.status_code == 201, answer.json
    return "/invitations/" + answer.json["link"].rsplit("/", 1)[1]


def test_accepting_on_the_page_shows_the_badge_and_the_companion(
    client: FlaskClient, organiser: dict[str, str], gathering: dict[str, Any]
) -> None:
    path = invite(client, organiser)
    page = client.get(path + "?lang=zh_Hans_CN")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'value="王小明"' in html
    assert 'value="Commerce Bureau"' in html
    assert "接受邀请" in html
    form = {
        "csrf_token": csrf_of(page),
        "full_name": "Wang Xiaoming",
        "organisation": "Commerce Bureau",
        "job_title": "Director",
        "email": "wang@example.org",
        "consent": "yes",
        "companion_name_0": "Li Aide",
        "companion_role_0": "aide",
    }
    answer = client.post(path + "/accept", data=form)
    assert answer.status_code == 303, answer.get_data(as_text=True)
    confirmation = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert 'id="badge"' in confirmation
    assert "<svg" in confirmation
    assert "Li Aide (aide)" in confirmation
    companion_link = confirmation.split('class="companion"')[0].rsplit('href="', 1)[1].split('"')[0]
    companion = client.get(companion_link).get_data(as_text=True)
    assert 'id="badge"' in companion
    assert '<dd id="accompanies">Wang Xiaoming</dd>' in companion
    used = client.get(path)
    assert used.status_code == 409
    assert 'data-code="invitation_used"' in used.get_data(as_text=True)


def test_a_form_with_problems_is_shown_again_in_the_page_language(
    client: FlaskClient, organiser: dict[str, str], gathering: dict[str, Any]
) -> None:
    path = invite(client, organiser)
    page = client.get(path + "?lang=zh_Hant_HK")
    form = {"csrf_token": csrf_of(page), "email": "nope", "companion_name_0": "Half"}
    answer = client.post(path + "/accept", data=form)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert 'id="consent-error"' in html
    assert 'id="email-error"' in html
    assert "請填寫每位隨行人員的姓名及身份。" in html
    listed = client.get(f"/api/v1/gatherings/{SLUG}/registrations", headers=organiser)
    assert listed.json["total"] == 0


def test_declined_links_thank_and_refuse_acceptance_and_expired_links_refuse(
    client: FlaskClient, organiser: dict[str, str], gathering: dict[str, Any], clock: FakeClock
) -> None:
    path = invite(client, organiser)
    page = client.get(path)
    assert client.post(path + "/decline", data={"csrf_token": csrf_of(page)}).status_code == 303
    declined = client.get(path + "?lang=zh_Hant_HK")
    assert declined.status_code == 200  # the one who declined is thanked, not refused
    assert 'data-code="invitation_declined"' in declined.get_data(as_text=True)
    assert "您已婉拒此邀請" in declined.get_data(as_text=True)
    accepted_late = client.post(path + "/accept", data={"csrf_token": csrf_of(page)})
    assert accepted_late.status_code == 409
    late = invite(client, organiser, email="late@example.org")
    clock.advance(days=30)
    expired = client.get(late + "?lang=zh_Hans_CN")
    assert expired.status_code == 409
    assert "回复此邀请的截止时间已过" in expired.get_data(as_text=True)
    assert client.get("/invitations/not-a-token").status_code == 404


def test_the_public_form_does_not_offer_an_invitation_only_category(
    client: FlaskClient, organiser: dict[str, str], gathering: dict[str, Any]
) -> None:
    client.patch(
        f"/api/v1/gatherings/{SLUG}",
        json={"categories": {"vip": {"invitation_only": True}}},
        headers=organiser,
    )
    html = client.get(f"/gatherings/{SLUG}/register").get_data(as_text=True)
    assert 'value="vip"' not in html
    assert 'value="press"' in html


def ask(client: FlaskClient, organiser: dict[str, str], **question: Any) -> None:
    """Ask the guests one of the gathering's own questions."""
    asked = client.post(f"/api/v1/gatherings/{SLUG}/questions", json=question, headers=organiser)
    assert asked.status_code == 201, asked.json


DIETARY = {
    "key": "dietary",
    "kind": "one_choice",
    "labels": {"en": "Dietary requirement", "zh_Hant_HK": "飲食要求"},
    "required": True,
    "choices": [
        {"key": "none", "labels": {"en": "None", "zh_Hant_HK": "沒有"}},
        {"key": "halal", "labels": {"en": "Halal", "zh_Hant_HK": "清真"}},
    ],
}
OUTLET = {
    "key": "outlet",
    "kind": "short_text",
    "labels": {"en": "Media outlet", "zh_Hant_HK": "傳媒機構"},
    "required": True,
    "categories": ["press"],
}


def test_the_invitee_answers_the_questions_of_their_category(
    client: FlaskClient, organiser: dict[str, str], gathering: dict[str, Any]
) -> None:
    ask(client, organiser, **DIETARY)
    ask(client, organiser, **OUTLET)
    path = invite(client, organiser)
    page = client.get(path + "?lang=zh_Hant_HK")
    html = page.get_data(as_text=True)
    assert "飲食要求" in html
    assert 'name="answers.dietary"' in html
    assert "answers.outlet" not in html  # asked of the press only
    form = {"csrf_token": csrf_of(page), "consent": "yes", "companion_name_0": "Li Aide"}
    form["companion_role_0"] = "aide"
    refused = client.post(path + "/accept", data=form)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert '<p class="error" id="answers.dietary-error">必須回答</p>' in html
    assert 'value="Li Aide"' in html  # what was typed is kept
    listed = client.get(f"/api/v1/gatherings/{SLUG}/registrations", headers=organiser)
    assert listed.json["total"] == 0
    assert client.get(path).status_code == 200  # still invited
    answer = client.post(path + "/accept", data={**form, "answers.dietary": "halal"})
    assert answer.status_code == 303, answer.get_data(as_text=True)
    confirmation = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "<dt>飲食要求</dt><dd>清真</dd>" in confirmation
    companion_link = confirmation.split('class="companion"')[0].rsplit('href="', 1)[1].split('"')[0]
    assert "飲食要求" not in client.get(companion_link).get_data(as_text=True)


def accepted_page(client: FlaskClient, path: str) -> str:
    """Accept an invitation on its page naming one companion; return the confirmation path."""
    page = client.get(path)
    form = {"csrf_token": csrf_of(page), "consent": "yes"}
    form.update(companion_name_0="Li Aide", companion_role_0="aide")
    answer = client.post(path + "/accept", data=form)
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return str(answer.headers["Location"])


def test_the_invitee_names_a_companion_on_their_confirmation_page(
    client: FlaskClient, organiser: dict[str, str], gathering: dict[str, Any]
) -> None:
    path = invite(client, organiser, companions_allowed=2)
    confirmation = accepted_page(client, path)
    used = client.get(path).get_data(as_text=True)
    assert f'href="{confirmation}" id="registration-link"' in used
    page = client.get(confirmation + "?lang=zh_Hant_HK")
    html = page.get_data(as_text=True)
    assert 'id="companion-form"' in html
    assert "尚餘隨行人員名額：1" in html
    action = f"/gatherings/{SLUG}/registrations/{confirmation.rsplit('/', 1)[1]}/companions"
    half = client.post(action, data={"csrf_token": csrf_of(page), "full_name": "Photo Grapher"})
    html = half.get_data(as_text=True)
    assert half.status_code == 422
    assert 'id="companion_role-error"' in html
    assert 'value="Photo Grapher"' in html
    role_error = html.split('id="companion_role-error">')[1].split("</p>")[0]
    assert role_error
    assert not role_error.isascii()  # worded in the page's language
    stale = client.post(action, data={"full_name": "Photo Grapher", "role": "photographer"})
    assert stale.status_code == 400
    invitations = client.get(INVITATIONS, headers=organiser).json["items"]
    assert len(invitations[0]["companions"]) == 1  # nothing written by the refused forms
    form = {"csrf_token": csrf_of(page), "full_name": "Photo Grapher", "role": "photographer"}
    named = client.post(action, data=form)
    assert named.status_code == 303, named.get_data(as_text=True)
    after = client.get(named.headers["Location"]).get_data(as_text=True)
    assert "已加入隨行人員" in after
    assert "Photo Grapher (photographer)" in after
    assert 'id="companion-form"' not in after  # both places are named
    companion_link = after.split("Photo Grapher (photographer)")[0].rsplit('href="', 1)[1]
    companion = client.get(companion_link.split('"')[0]).get_data(as_text=True)
    assert 'id="badge"' in companion
    assert 'id="companion-form"' not in companion
    full = client.post(action, data=form)
    assert full.status_code == 422
    assert "2" in full.get_data(as_text=True).split('id="notice">')[1].split("</p>")[0]


def test_no_companion_is_named_after_the_deadline(
    client: FlaskClient, organiser: dict[str, str], gathering: dict[str, Any], clock: FakeClock
) -> None:
    confirmation = accepted_page(client, invite(client, organiser, companions_allowed=2))
    page = client.get(confirmation)
    assert 'id="companion-form"' in page.get_data(as_text=True)
    clock.advance(days=30)
    late = client.get(confirmation + "?lang=zh_Hant_HK")
    assert 'id="companion-form"' not in late.get_data(as_text=True)
    form = {"csrf_token": csrf_of(page), "full_name": "Photo Grapher", "role": "photographer"}
    refused = client.post(confirmation + "/companions", data=form)
    assert refused.status_code == 409
    assert "回覆此邀請的截止時間已過" in refused.get_data(as_text=True)
