"""The gathering's own questions over the API, and the answers guests give (both stores)."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.conftest import SLUG, guest

QUESTIONS = f"/api/v1/gatherings/{SLUG}/questions"
REGISTER = f"/api/v1/gatherings/{SLUG}/registrations"


def labels(en: str, hk: str) -> dict[str, str]:
    return {"en": en, "zh_Hant_HK": hk}


DIETARY = {
    "key": "dietary",
    "kind": "one_choice",
    "labels": labels("Dietary requirement", "飲食要求"),
    "required": True,
    "choices": [
        {"key": "none", "labels": labels("None", "沒有")},
        {"key": "vegetarian", "labels": labels("Vegetarian", "素食")},
        {"key": "halal", "labels": labels("Halal", "清真")},
    ],
}
SIGNING = {
    "key": "signing",
    "kind": "yes_no",
    "labels": labels("Will you attend the signing ceremony?", "你會出席簽約儀式嗎？"),
}
OUTLET = {
    "key": "outlet",
    "kind": "short_text",
    "labels": labels("Media outlet", "傳媒機構"),
    "required": True,
    "categories": ["press"],
}


@pytest.fixture
def asked(client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]) -> None:
    for question in (DIETARY, SIGNING, OUTLET):
        response = client.post(QUESTIONS, json=question, headers=organiser)
        assert response.status_code == 201, response.json


def register(client: FlaskClient, n: int = 1, **overrides: Any) -> Any:
    return client.post(REGISTER, json=guest(n, **overrides))


def total(client: FlaskClient, organiser: dict[str, str], **query: Any) -> int:
    return int(client.get(REGISTER, query_string=query, headers=organiser).json["total"])


def test_questions_are_added_with_simplified_labels_made_from_traditional(
    client: FlaskClient, asked: None, organiser: dict[str, str]
) -> None:
    listed = client.get(QUESTIONS, headers=organiser).json["questions"]
    assert [q["key"] for q in listed] == ["dietary", "signing", "outlet"]
    assert listed[0]["labels"]["zh_Hans_CN"] == "饮食要求"
    assert listed[0]["choices"][1]["labels"]["zh_Hans_CN"] == "素食"
    assert listed[2]["categories"] == ["press"]


def test_answers_are_stored_shown_and_filtered(
    client: FlaskClient, asked: None, organiser: dict[str, str]
) -> None:
    response = register(client, answers={"dietary": "halal", "signing": True})
    assert response.status_code == 201, response.json
    assert response.json["answers"] == {"dietary": "halal", "signing": True}
    register(client, 2, answers={"dietary": "none"})
    got = client.get(f"/api/v1/registrations/{response.json['id']}", headers=organiser).json
    assert got["answers"] == {"dietary": "halal", "signing": True}
    assert total(client, organiser, answer="dietary=halal") == 1
    assert total(client, organiser, answer="signing=yes") == 1
    assert total(client, organiser, answer="dietary=vegetarian") == 0
    assert total(client, organiser) == 2


@pytest.mark.parametrize(
    ("answers", "category", "key"),
    [
        ({"signing": True}, "guest", "dietary"),
        ({"dietary": 3}, "guest", "dietary"),
        ({"dietary": "vegan"}, "guest", "dietary"),
        ({"dietary": "none", "signing": "yes"}, "guest", "signing"),
        ({"dietary": "none", "shoe_size": "42"}, "guest", "shoe_size"),
        ({"dietary": "none", "outlet": "RTHK"}, "guest", "outlet"),
        ({"dietary": "none"}, "press", "outlet"),
    ],
)
def test_bad_answers_are_refused_by_key_and_record_nothing(
    client: FlaskClient,
    asked: None,
    organiser: dict[str, str],
    answers: dict[str, Any],
    category: str,
    key: str,
) -> None:
    response = register(client, answers=answers, category=category)
    assert response.status_code == 422, response.json
    error = response.json["error"]
    assert error["code"] == "invalid_answers"
    assert f"answers.{key}" in error["fields"]
    assert key in error["message"]
    assert total(client, organiser) == 0


def test_refused_answers_are_worded_in_the_readers_language(
    client: FlaskClient, asked: None
) -> None:
    response = client.post(
        REGISTER,
        json=guest(answers={"dietary": "vegan"}),
        headers={"Accept-Language": "zh-HK"},
    )
    assert response.status_code == 422
    message = response.json["error"]["fields"]["answers.dietary"][0]
    assert "vegan" in message
    assert "選項" in message
    missing = client.post(REGISTER, json=guest(), headers={"Accept-Language": "zh-CN"})
    assert missing.json["error"]["fields"]["answers.dietary"] == ["必须回答"]


def test_answers_must_be_an_object(client: FlaskClient, asked: None) -> None:
    response = register(client, answers=["halal"])
    assert response.status_code == 422
    assert response.json["error"]["code"] == "validation_failed"


def test_organiser_edits_are_recorded_with_their_actor(
    client: FlaskClient, asked: None, organiser: dict[str, str]
) -> None:
    rid = register(client, answers={"dietary": "none"}).json["id"]
    url = f"/api/v1/registrations/{rid}/answers"
    changed = client.patch(url, json={"answers": {"dietary": "vegetarian"}}, headers=organiser)
    assert changed.status_code == 200, changed.json
    assert changed.json["answers"] == {"dietary": "vegetarian"}
    cleared = client.patch(url, json={"answers": {"dietary": None}}, headers=organiser)
    assert cleared.json["answers"] == {}  # organisers may not know a required answer
    bad = client.patch(url, json={"answers": {"dietary": "vegan"}}, headers=organiser)
    assert bad.status_code == 422
    assert bad.json["error"]["code"] == "invalid_answers"
    history = client.get(f"/api/v1/registrations/{rid}/history", headers=organiser).json
    edits = [e for e in history["events"] if e["type"] == "AnswersChanged"]
    assert [e["data"]["changes"]["dietary"] for e in edits] == [
        ["none", "vegetarian"],
        ["vegetarian", None],
    ]
    assert all(e["actor"].startswith("organiser:") for e in edits)
    assert client.patch(url, json={"answers": {}}).status_code == 401


def test_changes_reorder_and_retirement_keep_the_answers(
    client: FlaskClient, asked: None, organiser: dict[str, str]
) -> None:
    rid = register(client, answers={"dietary": "halal", "signing": False}).json["id"]
    fewer = {"choices": DIETARY["choices"][:2]}
    refused = client.patch(f"{QUESTIONS}/dietary", json=fewer, headers=organiser)
    assert refused.status_code == 422
    assert refused.json["error"]["field"] == "choices"
    relabelled = client.patch(
        f"{QUESTIONS}/signing", json={"labels": labels("Signing?", "簽約？")}, headers=organiser
    )
    assert relabelled.json["labels"]["zh_Hans_CN"] == "签约？"
    order = client.put(
        f"{QUESTIONS}/order", json={"keys": ["signing", "outlet", "dietary"]}, headers=organiser
    )
    assert [q["key"] for q in order.json["questions"]] == ["signing", "outlet", "dietary"]
    retired = client.delete(f"{QUESTIONS}/signing", headers=organiser)
    assert retired.status_code == 200
    assert retired.json["retired"] is True
    got = client.get(f"/api/v1/registrations/{rid}", headers=organiser).json
    assert got["answers"] == {"dietary": "halal", "signing": False}
    again = register(client, 2, answers={"dietary": "none", "signing": True})
    assert again.json["error"]["fields"] == {"answers.signing": ["there is no such question"]}
    assert client.delete(f"{QUESTIONS}/nope", headers=organiser).status_code == 404
    history = client.get(f"{QUESTIONS}/history", headers=organiser).json["events"]
    assert [e["type"] for e in history] == [
        "Opened",
        *["QuestionAdded"] * 3,
        "QuestionChanged",
        "QuestionsReordered",
        "QuestionRetired",
    ]
    assert history[-1]["actor"].startswith("organiser:")
    assert history[-1]["data"]["key"] == "signing"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**SIGNING, "key": "Bad Key"}, "key"),
        ({**SIGNING, "key": "schema"}, "key"),
        ({**SIGNING, "kind": "colour"}, "kind"),
        ({**SIGNING, "labels": {"en": "x"}}, "labels.zh_Hant_HK"),
        ({**DIETARY, "key": "d2", "choices": []}, "choices"),
        ({**SIGNING, "categories": ["alien"]}, "categories.0"),
        (SIGNING, "key"),
    ],
)
def test_bad_questions_are_refused(
    client: FlaskClient, asked: None, organiser: dict[str, str], body: Any, field: str
) -> None:
    response = client.post(QUESTIONS, json=body, headers=organiser)
    assert response.status_code == 422, response.json
    error = response.json["error"]
    assert error["field"] == field or field in error["fields"]


def test_the_answers_schema_describes_each_question(client: FlaskClient, asked: None) -> None:
    schema = client.get(f"{QUESTIONS}/schema").json
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert schema["properties"]["dietary"]["enum"] == ["none", "vegetarian", "halal"]
    assert schema["properties"]["signing"]["type"] == "boolean"
    assert schema["required"] == ["dietary"]
    assert schema["x-categories"]["press"]["required"] == ["dietary", "outlet"]
    spec = client.get("/api/v1/openapi.json").json
    create = spec["components"]["schemas"]["RegistrationCreate"]["properties"]
    assert "invalid_answers" in create["answers"]["description"]
    assert "/api/v1/gatherings/{slug}/questions/schema" in spec["paths"]


def test_question_management_needs_an_organiser(client: FlaskClient, gathering: Any) -> None:
    assert client.post(QUESTIONS, json=SIGNING).status_code == 401
    assert client.get(QUESTIONS).status_code == 401
    assert client.get(f"{QUESTIONS}/schema").status_code == 200


def test_a_rebuilt_read_model_gives_the_same_answers(
    client: FlaskClient, asked: None, organiser: dict[str, str], runner: Any
) -> None:
    rid = register(client, answers={"dietary": "halal"}).json["id"]
    register(client, 2, answers={"dietary": "none", "signing": True})
    url = f"/api/v1/registrations/{rid}/answers"
    client.patch(url, json={"answers": {"signing": False}}, headers=organiser)
    before = [total(client, organiser, answer=a) for a in ("dietary=halal", "signing=no")]
    assert before == [1, 1]
    result = runner.invoke(args=["read-models", "rebuild"])
    assert result.exit_code == 0, result.output
    after = [total(client, organiser, answer=a) for a in ("dietary=halal", "signing=no")]
    assert after == before


def test_a_long_chinese_text_answer_is_stored_and_found(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    remarks = {"key": "remarks", "kind": "long_text", "labels": labels("Remarks", "備註")}
    assert client.post(QUESTIONS, json=remarks, headers=organiser).status_code == 201
    text = "請安排輪椅通道。" * 250  # 2,000 characters, 6,000 bytes in UTF-8
    response = register(client, answers={"remarks": text})
    assert response.status_code == 201, response.json
    assert total(client, organiser, answer=f"remarks={text[:200]}") == 0
    rid = response.json["id"]
    assert client.get(f"/api/v1/registrations/{rid}", headers=organiser).json["answers"] == {
        "remarks": text
    }
    too_long = register(client, 2, answers={"remarks": text + "多"})
    assert too_long.json["error"]["fields"]["answers.remarks"]
