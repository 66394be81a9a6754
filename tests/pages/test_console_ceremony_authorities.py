"""The console's item form: an award's issuing authorities (signatory, seal) and presenters."""

from __future__ import annotations

import html
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.pages.test_console_ceremonies import item_form, open_page, page_of, post, state_of
from tests.planning_helpers import add_item, plan_ceremony, stored_events

BUREAU_ROW = {
    "authorities-0-name_en": "Shenzhen Municipal Public Security Bureau Exit-Entry Administration",
    "authorities-0-name_zh": "深圳市公安局出入境管理局",
    "authorities-0-signatory_name_en": "Lau Chi Keung (sample)",
    "authorities-0-signatory_name_zh": "劉志強（示例）",
    "authorities-0-signatory_title_en": "Director (sample)",
    "authorities-0-signatory_title_zh": "局長（示例）",
    "authorities-0-seal": "1",
}
HETAO_ROW = {
    "authorities-1-name_en": "Hetao Development Authority",
    "authorities-1-name_zh": "河套發展署",
    "authorities-1-signatory_name_en": "",
    "authorities-1-signatory_name_zh": "",
    "authorities-1-signatory_title_en": "",
    "authorities-1-signatory_title_zh": "",
}
PRESENTER_ROW = {
    "presenters-0-name_en": "Zhong Hai",
    "presenters-0-name_zh": "钟海",
    "presenters-0-title": "Director (sample)",
    "presenters-0-organisation": "Hetao Development Authority",
    "presenters-0-registration_id": "",
}


def award_form(**changes: str) -> dict[str, str]:
    return item_form("SAMPLE-BVE-001", **{**BUREAU_ROW, **HETAO_ROW, **PRESENTER_ROW, **changes})


def award(console: FlaskClient, organiser: dict[str, str]) -> dict[str, Any]:
    return dict(plan_ceremony(console, organiser, kind="award", title_en="Certificates"))


def test_an_award_s_authorities_are_entered_edited_and_removed_in_the_form(
    console: FlaskClient, organiser: dict[str, str], gathering: Any
) -> None:
    ceremony = award(console, organiser)
    page = page_of(ceremony)
    text, _, _ = open_page(console, page)
    assert 'name="authorities-0-signatory_title_zh"' in text
    assert 'name="presenters-0-name_en"' in text

    added = post(console, page, "/items", **award_form())
    assert added.status_code == 303, added.get_data(as_text=True)
    [item] = state_of(console, ceremony, organiser)["items"]
    assert [(a["name_zh"], a["seal"]) for a in item["authorities"]] == [
        ("深圳市公安局出入境管理局", True),
        ("河套發展署", False),
    ]
    assert item["authorities"][0]["signatory"]["title_zh"] == "局長（示例）"
    assert [p["name_zh"] for p in item["presenters"]] == ["钟海"]
    shown = html.unescape(console.get(page).get_data(as_text=True))
    assert "劉志強（示例）, Director (sample) 局長（示例） · seal" in shown
    assert 'name="authorities-0-seal" value="1" checked' in shown
    assert 'name="authorities-2-name_en" value=""' in shown  # a blank row to add one more

    edited = award_form(
        **{"authorities-0-signatory_title_en": "Deputy Director (sample)"},
        **{key: "" for key in HETAO_ROW},
        **{key: "" for key in PRESENTER_ROW},
    )
    del edited["authorities-0-seal"]  # an unticked box is not sent
    changed = post(console, page, f"/items/{item['id']}", **edited)
    assert changed.status_code == 303, changed.get_data(as_text=True)
    [item] = state_of(console, ceremony, organiser)["items"]
    assert [(a["name_en"][:8], a["seal"]) for a in item["authorities"]] == [("Shenzhen", False)]
    assert item["authorities"][0]["signatory"]["title_en"] == "Deputy Director (sample)"
    assert item["presenters"] == []


def test_a_signing_s_form_has_presenters_but_no_authorities(
    console: FlaskClient, organiser: dict[str, str], gathering: Any
) -> None:
    signing = plan_ceremony(console, organiser)
    add_item(console, organiser, signing["id"])
    text, _, _ = open_page(console, page_of(signing))
    assert "authorities-0-name_en" not in text
    assert "presenters-0-name_en" in text
    refused = post(console, page_of(signing), "/items", **award_form())
    assert refused.status_code == 422  # posted by hand: the domain refuses it, naming the field
    said = html.unescape(refused.get_data(as_text=True))
    assert "only the items of an award name issuing authorities" in said


def test_a_bad_authority_is_named_in_the_reader_s_language_and_the_form_kept(
    app: Flask, console: FlaskClient, organiser: dict[str, str], gathering: Any
) -> None:
    ceremony = award(console, organiser)
    page = page_of(ceremony)
    before = stored_events(app, ceremony["id"])
    nameless = {"authorities-1-signatory_title_en": "Director", "authorities-1-name_en": ""}
    for language, words in (
        ("en", "the signatory for 河套發展署 needs a name in English or Chinese"),
        ("zh-HK", "河套發展署的簽署人須有英文或中文姓名"),
        ("zh-CN", "河套發展署的签署人须有英文或中文姓名"),
    ):
        _, token, version = open_page(console, page)
        refused = console.post(
            page + "/items",
            data={"csrf_token": token, "version": version, **award_form(**nameless)},
            headers={"Accept-Language": language},
        )
        assert refused.status_code == 422
        said = html.unescape(refused.get_data(as_text=True))
        assert words in said, language
        assert 'value="局長（示例）"' in said  # typed values kept
    too_long = post(console, page, "/items", **award_form(**{"authorities-0-name_zh": "署" * 101}))
    assert too_long.status_code == 422
    said = html.unescape(too_long.get_data(as_text=True))
    assert "row 1: Name (Chinese): must be at most 100 characters" in said
    assert stored_events(app, ceremony["id"]) == before


def test_the_form_s_labels_are_translated(
    console: FlaskClient, organiser: dict[str, str], gathering: Any
) -> None:
    page = page_of(award(console, organiser))
    for language, words in (
        ("zh-HK", ("簽發機構", "蓋印", "頒授人或見證人")),
        ("zh-CN", ("签发单位", "盖印", "颁奖人或见证人")),
    ):
        text = console.get(page, headers={"Accept-Language": language}).get_data(as_text=True)
        assert all(word in text for word in words), language
        assert "Issuing authorities" not in text
