"""The gathering's own questions on the guest form and the confirmation page (both stores)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.api.test_api_questions import DIETARY, OUTLET, QUESTIONS, SIGNING
from tests.conftest import SLUG, guest

FORM = f"/gatherings/{SLUG}/register"
API_REGISTER = f"/api/v1/gatherings/{SLUG}/registrations"
TOPICS = {
    "key": "topics",
    "kind": "several_choices",
    "labels": {"en": "Topics of interest", "zh_Hant_HK": "感興趣的範疇"},
    "choices": [
        {"key": "ai", "labels": {"en": "AI", "zh_Hant_HK": "人工智能"}},
        {"key": "biotech", "labels": {"en": "Biotech", "zh_Hant_HK": "生物科技"}},
    ],
}
ARRIVAL = {"key": "arrival", "kind": "date", "labels": {"en": "Arrival", "zh_Hant_HK": "抵達日期"}}


@pytest.fixture
def asked(client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]) -> None:
    for question in (DIETARY, SIGNING, OUTLET, TOPICS, ARRIVAL):
        assert client.post(QUESTIONS, json=question, headers=organiser).status_code == 201


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def submit(client: FlaskClient, headers: dict[str, str] | None = None, **form: Any) -> Any:
    page = client.get(FORM, headers=headers or {}).get_data(as_text=True)
    data = {k: str(v) for k, v in guest().items() if k != "consent"}
    data.update(consent="yes", csrf_token=csrf_of(page))
    data.update(form)
    return client.post(FORM, data=data, headers=headers or {})


def total(client: FlaskClient, organiser: dict[str, str]) -> int:
    return int(client.get(API_REGISTER, headers=organiser).json["total"])


def test_each_kind_has_its_input_labelled_in_the_guests_language(
    client: FlaskClient, asked: None
) -> None:
    html = client.get(FORM, headers={"Accept-Language": "zh-HK"}).get_data(as_text=True)
    assert '<select id="answers.dietary" name="answers.dietary"' in html
    assert 'type="radio" name="answers.signing" value="yes"' in html
    assert 'type="checkbox" name="answers.topics" value="ai"' in html
    assert 'type="date"' in html
    assert "飲食要求" in html
    assert "清真" in html
    assert 'data-categories="press"' in html
    assert "（必填）" in html or "(必填)" in html
    simplified = client.get(FORM, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "饮食要求" in simplified


def test_bad_answers_show_the_form_again_with_messages_in_traditional(
    client: FlaskClient, asked: None, organiser: dict[str, str]
) -> None:
    hk = {"Accept-Language": "zh-HK"}
    response = submit(
        client,
        hk,
        **{"answers.signing": "maybe", "answers.topics": "ai", "answers.arrival": "2026-02-30"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="answers.dietary-error"' in html
    assert 'id="answers.signing-error"' in html
    assert 'id="answers.arrival-error"' in html
    assert "必須回答" in html
    assert 'value="ai"\n          checked' in html or re.search(r'value="ai"\s+checked', html)
    assert 'value="2026-02-30"' in html  # what the guest typed stays
    assert total(client, organiser) == 0


def test_schema_and_answer_problems_are_shown_together(
    client: FlaskClient, asked: None, organiser: dict[str, str]
) -> None:
    response = submit(client, {"Accept-Language": "zh-HK"}, full_name="")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="full_name-error"' in html
    assert 'id="answers.dietary-error"' in html
    assert total(client, organiser) == 0


def test_questions_of_another_category_are_ignored_and_the_answers_confirmed(
    client: FlaskClient, asked: None, organiser: dict[str, str]
) -> None:
    response = submit(
        client,
        **{
            "answers.dietary": "halal",
            "answers.signing": "no",
            "answers.outlet": "RTHK",  # press only: a guest's stale input is not kept
            "answers.arrival": "2026-03-02",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    rows = client.get(API_REGISTER, headers=organiser).json["items"]
    got = client.get(f"/api/v1/registrations/{rows[0]['id']}", headers=organiser).json
    assert got["answers"] == {"dietary": "halal", "signing": False, "arrival": "2026-03-02"}
    page = client.get(response.headers["Location"], headers={"Accept-Language": "zh-HK"})
    text = page.get_data(as_text=True)
    assert "飲食要求" in text
    assert "清真" in text
    assert "否" in text


def test_a_press_guest_must_answer_the_press_question(
    client: FlaskClient, asked: None, organiser: dict[str, str]
) -> None:
    form = {"category": "press", "answers.dietary": "none"}
    refused = submit(client, **form)
    assert refused.status_code == 422
    assert 'id="answers.outlet-error"' in refused.get_data(as_text=True)
    accepted = submit(client, **form, **{"answers.outlet": "RTHK"})
    assert accepted.status_code == 303
