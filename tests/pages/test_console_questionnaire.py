"""The console's questions page, a guest's answers on their page, the list filter and the CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.api.test_api_questions import DIETARY, SIGNING
from tests.conftest import SLUG, guest
from tests.console_helpers import csrf_from, post_form

CONSOLE = f"/organiser/gatherings/{SLUG}"
PAGE = f"{CONSOLE}/questionnaire"
QUESTIONS = f"/api/v1/gatherings/{SLUG}/questions"


def add(console: FlaskClient, **fields: Any) -> Any:
    return post_form(console, PAGE, PAGE, **fields)


def keys_shown(console: FlaskClient) -> list[str]:
    html = console.get(PAGE).get_data(as_text=True)
    return [line.split('"')[1].removeprefix("question-") for line in html.split("<tr id=")[1:]]


def register(console: FlaskClient, n: int, **answers: Any) -> str:
    response = console.post(
        f"/api/v1/gatherings/{SLUG}/registrations", json=guest(n, answers=answers)
    )
    assert response.status_code == 201, response.json
    return str(response.json["id"])


@pytest.fixture
def asked(console: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]) -> None:
    for question in (DIETARY, SIGNING):
        assert console.post(QUESTIONS, json=question, headers=organiser).status_code == 201


def test_organisers_add_change_reorder_and_retire_questions(
    console: FlaskClient, gathering: dict[str, Any]
) -> None:
    assert "/questionnaire" in console.get(f"{CONSOLE}/registrations").get_data(as_text=True)
    assert 'id="questions-link"' in console.get(f"{CONSOLE}/").get_data(as_text=True)
    added = add(
        console,
        key="interpreter",
        kind="one_choice",
        label_en="Interpreter language",
        label_zh_Hant_HK="傳譯語言",
        choices="cantonese | Cantonese | 粵語\nputonghua | Putonghua | 普通話",
        categories="vip",
    )
    assert added.status_code == 303, added.get_data(as_text=True)
    add(console, key="signing", kind="yes_no", label_en="Signing?", label_zh_Hant_HK="簽約？")
    assert keys_shown(console) == ["interpreter", "signing"]
    edit = f"{PAGE}/interpreter"
    form = console.get(edit).get_data(as_text=True)
    assert 'name="label_zh_Hans_CN" maxlength="200" value=""' in form  # made, not typed
    assert "putonghua | Putonghua | 普通話\n" in form or "putonghua | Putonghua | 普通話<" in form
    changed = post_form(
        console,
        edit,
        edit,
        label_en="Interpretation",
        label_zh_Hant_HK="即時傳譯",
        choices="cantonese | Cantonese | 粵語\nputonghua | Putonghua | 普通話\nen | English | 英語",
        required="yes",
    )
    assert changed.status_code == 303
    api = console.get(f"{QUESTIONS}/schema").json["properties"]["interpreter"]
    assert api["enum"] == ["cantonese", "putonghua", "en"]
    assert api["x-labels"]["zh_Hans_CN"] == "即时传译"
    assert api["x-categories"] == []
    post_form(console, PAGE, f"{PAGE}/signing/move", to="up")
    assert keys_shown(console) == ["signing", "interpreter"]
    asked_first = post_form(console, PAGE, f"{PAGE}/signing/retire")
    assert "Retire the question" in asked_first.get_data(as_text=True)
    post_form(console, PAGE, f"{PAGE}/signing/retire", confirm="yes")
    assert keys_shown(console) == ["interpreter"]
    assert "Retired questions" in console.get(PAGE).get_data(as_text=True)


def test_a_refused_question_shows_the_form_again_in_traditional(
    console: FlaskClient, gathering: dict[str, Any]
) -> None:
    hk = {"Accept-Language": "zh-HK"}
    html = console.get(PAGE, headers=hk).get_data(as_text=True)
    refused = console.post(
        PAGE,
        data={
            "csrf_token": csrf_from(html),
            "key": "dietary",
            "kind": "one_choice",
            "label_en": "Dietary",
            "label_zh_Hant_HK": "飲食",
            "choices": "just one column",
        },
        headers=hk,
    )
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert 'id="q-choices-error"' in text
    assert "第 1 行" in text
    assert 'value="Dietary"' in text
    assert keys_shown(console) == []


def test_answers_are_shown_edited_with_history_filtered_and_exported(
    console: FlaskClient, asked: None, organiser: dict[str, str]
) -> None:
    rid = register(console, 1, dietary="halal", signing=True)
    register(console, 2, dietary="none")
    page = f"{CONSOLE}/registrations/{rid}"
    html = console.get(page).get_data(as_text=True)
    assert "Dietary requirement" in html
    assert "Halal" in html
    saved = post_form(
        console,
        page,
        f"{page}/answers",
        **{"answers.dietary": "vegetarian", "answers.signing": "no"},
    )
    assert saved.status_code == 303
    history = console.get(f"/api/v1/registrations/{rid}/history", headers=organiser).json
    edit = history["events"][-1]
    assert edit["type"] == "AnswersChanged"
    assert edit["actor"] == "organiser:olivia"
    assert edit["data"]["changes"] == {"dietary": ["halal", "vegetarian"], "signing": [True, False]}
    shown = console.get(page).get_data(as_text=True)
    assert "Answers changed by organiser:olivia: dietary “halal” → “vegetarian”" in shown
    refused = post_form(console, page, f"{page}/answers", **{"answers.dietary": "vegan"})
    assert refused.status_code == 303
    assert "vegan" in console.get(page).get_data(as_text=True)
    listed = console.get(f"{CONSOLE}/registrations?answer=dietary%3Dvegetarian").get_data(
        as_text=True
    )
    assert "Guest Number 1" in listed
    assert "Guest Number 2" not in listed
    body = console.get(f"{CONSOLE}/exports/guest-list.csv").get_data()
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert list(rows[0])[-2:] == ["answer:dietary", "answer:signing"]
    by_name = {row["full_name"]: row for row in rows}
    assert by_name["Guest Number 1"]["answer:dietary"] == "Vegetarian"
    assert by_name["Guest Number 1"]["answer:signing"] == "no"
    assert by_name["Guest Number 2"]["answer:signing"] == ""
    console.delete(f"{QUESTIONS}/signing", headers=organiser)
    body = console.get(f"{CONSOLE}/exports/guest-list.csv").get_data()
    kept = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert {row["full_name"]: row["answer:signing"] for row in kept}["Guest Number 1"] == "no"
    assert "(retired question)" in console.get(page).get_data(as_text=True)
