"""The invitations API: organisers invite and import; invitees answer by their link."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.conftest import SLUG, FakeClock

BASE = f"/api/v1/gatherings/{SLUG}/invitations"
DEADLINE = "2026-02-20T18:00:00+08:00"


def invite(client: FlaskClient, organiser: dict[str, str], **overrides: Any) -> Any:
    """Invite an official to the guest category; return the answer."""
    body: dict[str, Any] = {
        "full_name": "Official One",
        "name_zh": "官員一",
        "organisation": "Government",
        "job_title": "Secretary",
        "email": "official1@example.org",
        "category": "guest",
        "language": "zh-Hans-CN",
        "batch": "officials",
        "deadline": DEADLINE,
    }
    body.update(overrides)
    return client.post(BASE, json=body, headers=organiser)


def token_of(invited: Any) -> str:
    """Return the token of the link an invitation answer gives."""
    return str(invited.json["link"].rsplit("/", 1)[1])


def test_invite_then_accept_with_the_form_filled_in(
    client: FlaskClient, organiser: dict[str, str], gathering: dict[str, Any]
) -> None:
    invited = invite(client, organiser, companions_allowed=1, companions_reserved=True)
    assert invited.status_code == 201, invited.json
    assert invited.json["state"] == "invited"
    token = token_of(invited)
    view = client.get(f"/api/v1/invitations/{token}")
    assert view.status_code == 200
    assert view.json["form"]["full_name"] == "Official One"
    assert view.json["form"]["name_zh"] == "官員一"
    answer = client.post(
        f"/api/v1/invitations/{token}/accept",
        json={"consent": True, "companions": [{"full_name": "Aide", "role": "aide"}]},
    )
    assert answer.status_code == 201, answer.json
    assert answer.json["registration"]["state"] == "confirmed"
    assert answer.json["registration"]["email"] == "official1@example.org"
    assert answer.json["registration"]["language"] == "zh_Hans_CN"
    assert answer.json["companions"][0]["full_name"] == "Aide"
    again = client.post(f"/api/v1/invitations/{token}/accept", json={"consent": True})
    assert again.status_code == 409
    assert again.json["error"]["code"] == "invitation_used"
    listed = client.get(BASE, headers=organiser)
    assert listed.json["counts"]["guest"]["accepted"] == 1


def test_declined_then_accepted_is_refused(
    client: FlaskClient, organiser: dict[str, str], gathering: dict[str, Any]
) -> None:
    token = token_of(invite(client, organiser))
    assert client.post(f"/api/v1/invitations/{token}/decline", json={}).status_code == 200
    late = client.post(f"/api/v1/invitations/{token}/accept", json={"consent": True})
    assert late.status_code == 409
    assert late.json["error"]["code"] == "invitation_declined"


def test_expired_link_is_refused_and_nothing_written(
    client: FlaskClient, organiser: dict[str, str], gathering: dict[str, Any], clock: FakeClock
) -> None:
    token = token_of(invite(client, organiser))
    clock.advance(days=30)
    late = client.post(f"/api/v1/invitations/{token}/accept", json={"consent": True})
    assert late.status_code == 409
    assert late.json["error"]["code"] == "invitation_expired"
    listed = client.get(f"/api/v1/gatherings/{SLUG}/registrations", headers=organiser)
    assert listed.json["total"] == 0


def test_bad_input_names_the_field(
    client: FlaskClient, organiser: dict[str, str], gathering: dict[str, Any]
) -> None:
    assert invite(client, organiser, email="not-an-email").json["error"]["field"] == "email"
    assert invite(client, organiser, deadline=None, batch="new").json["error"]["field"] == (
        "deadline"
    )
    answer = invite(client, organiser, companions_allowed=99)
    assert answer.status_code == 422
    assert answer.json["error"]["field"] == "companions_allowed"
    assert invite(client, {}).status_code == 401
    token = token_of(invite(client, organiser))
    missing = client.post(f"/api/v1/invitations/{token}/accept", json={})
    assert missing.status_code == 422
    assert missing.json["error"]["field"] == "consent"
    many = client.post(
        f"/api/v1/invitations/{token}/accept",
        json={"consent": True, "companions": [{"full_name": "A", "role": "aide"}]},
    )
    assert many.status_code == 422
    assert many.json["error"]["field"] == "companions"
    assert client.get("/api/v1/invitations/forged-token").status_code == 404


def test_public_registration_refuses_an_invitation_only_category(
    client: FlaskClient, organiser: dict[str, str], gathering: dict[str, Any]
) -> None:
    changed = client.patch(
        f"/api/v1/gatherings/{SLUG}",
        json={"categories": {"vip": {"invitation_only": True}}},
        headers=organiser,
    )
    assert changed.status_code == 200, changed.json
    answer = client.post(
        f"/api/v1/gatherings/{SLUG}/registrations",
        json={
            "full_name": "Walk Up",
            "organisation": "Org",
            "job_title": "Boss",
            "email": "w@example.org",
            "consent": True,
            "category": "vip",
        },
    )
    assert answer.status_code == 422
    assert answer.json["error"]["code"] == "by_invitation_only"
    assert answer.json["error"]["field"] == "category"


CSV_GOOD = (
    "full_name,name_zh,organisation,title,email,category,language\n"
    "Official One,官員一,Gov,Secretary,o1@example.org,guest,zh-Hans-CN\n"
    "Official Two,官員二,Gov,Director,o2@example.org,vip,en\n"
)


def test_csv_import_all_or_nothing(
    client: FlaskClient, organiser: dict[str, str], gathering: dict[str, Any]
) -> None:
    bad = (
        CSV_GOOD
        + "No Mail,,Gov,Clerk,not-mail,guest,en\nBad Cat,,Gov,Clerk,x@example.org,dogs,en\n"
    )
    refused = client.post(
        f"{BASE}/import",
        json={"csv": bad, "batch": "officials", "deadline": DEADLINE},
        headers=organiser,
        environ_base={"HTTP_ACCEPT_LANGUAGE": "zh-HK"},
    )
    assert refused.status_code == 422, refused.json
    assert refused.json["error"]["code"] == "invalid_csv"
    assert set(refused.json["error"]["fields"]) == {"line 4.email", "line 5.category"}
    assert client.get(BASE, headers=organiser).json["items"] == []
    made = client.post(
        f"{BASE}/import",
        json={"csv": CSV_GOOD, "batch": "officials", "deadline": DEADLINE},
        headers=organiser,
    )
    assert made.status_code == 201, made.json
    assert [i["email"] for i in made.json["items"]] == ["o1@example.org", "o2@example.org"]
    assert made.json["counts"]["vip"]["invited"] == 1


def test_revoke_frees_the_seat_and_kills_the_link(
    client: FlaskClient, organiser: dict[str, str], gathering: dict[str, Any]
) -> None:
    invited = invite(client, organiser)
    revoked = client.post(f"{BASE}/{invited.json['id']}/revoke", headers=organiser)
    assert revoked.json["state"] == "revoked"
    answer = client.post(f"/api/v1/invitations/{token_of(invited)}/accept", json={"consent": True})
    assert answer.json["error"]["code"] == "invitation_revoked"
    resent = client.post(f"{BASE}/{invited.json['id']}/resend", headers=organiser)
    assert resent.status_code == 409


def test_the_invitees_address_on_the_public_form_does_not_take_the_held_seat(
    client: FlaskClient, organiser: dict[str, str], gathering: dict[str, Any]
) -> None:
    patched = client.patch(
        f"/api/v1/gatherings/{SLUG}",
        json={"categories": {"guest": {"capacity": 1}}},
        headers=organiser,
    )
    assert patched.status_code == 200, patched.json
    token = token_of(invite(client, organiser))
    squatter = client.post(
        f"/api/v1/gatherings/{SLUG}/registrations",
        json={
            "full_name": "Someone Else",
            "organisation": "Org",
            "job_title": "Boss",
            "email": "official1@example.org",
            "consent": True,
        },
    )
    assert squatter.status_code == 201
    assert squatter.json["state"] == "waitlisted"  # the one guest seat is held
    accepted = client.post(
        f"/api/v1/invitations/{token}/accept",
        json={"consent": True, "email": "official1.private@example.org"},
    )
    assert accepted.status_code == 201, accepted.json
    assert accepted.json["registration"]["state"] == "confirmed"


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


def ask_dietary(client: FlaskClient, organiser: dict[str, str]) -> None:
    """Ask every guest the required dietary question."""
    asked = client.post(f"/api/v1/gatherings/{SLUG}/questions", json=DIETARY, headers=organiser)
    assert asked.status_code == 201, asked.json


def test_accepting_without_a_required_answer_is_refused_and_writes_nothing(
    client: FlaskClient, organiser: dict[str, str], gathering: dict[str, Any]
) -> None:
    ask_dietary(client, organiser)
    token = token_of(invite(client, organiser, companions_allowed=1, companions_reserved=True))
    url = f"/api/v1/invitations/{token}/accept"
    body = {"consent": True, "companions": [{"full_name": "Aide", "role": "aide"}]}
    refused = client.post(url, json=body, headers={"Accept-Language": "zh-HK"})
    assert refused.status_code == 422, refused.json
    assert refused.json["error"]["code"] == "invalid_answers"
    assert refused.json["error"]["fields"] == {"answers.dietary": ["必須回答"]}
    wrong = client.post(url, json={**body, "answers": {"dietary": "vegan", "nope": "x"}})
    assert wrong.status_code == 422
    assert set(wrong.json["error"]["fields"]) == {"answers.dietary", "answers.nope"}
    assert client.get(f"/api/v1/invitations/{token}").json["state"] == "invited"
    listed = client.get(f"/api/v1/gatherings/{SLUG}/registrations", headers=organiser)
    assert listed.json["total"] == 0
    seats = client.get(f"/api/v1/gatherings/{SLUG}", headers=organiser).json
    assert seats["held"] == 2  # the invitee's and the companion's seats are still held
    assert seats["confirmed"] == 0


def test_the_invitees_answers_are_stored_and_documented(
    client: FlaskClient, organiser: dict[str, str], gathering: dict[str, Any]
) -> None:
    ask_dietary(client, organiser)
    token = token_of(invite(client, organiser))
    answer = client.post(
        f"/api/v1/invitations/{token}/accept",
        json={"consent": True, "answers": {"dietary": "halal"}},
    )
    assert answer.status_code == 201, answer.json
    assert answer.json["registration"]["answers"] == {"dietary": "halal"}
    rid = answer.json["registration"]["id"]
    got = client.get(f"/api/v1/registrations/{rid}", headers=organiser).json
    assert got["answers"] == {"dietary": "halal"}
    spec = client.get("/api/v1/openapi.json").json
    accept = spec["components"]["schemas"]["Accept"]["properties"]
    assert "invalid_answers" in accept["answers"]["description"]
