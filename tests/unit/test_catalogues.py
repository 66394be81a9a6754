"""The message catalogues keep step with the code: nothing untranslated, nothing unbuilt."""

from __future__ import annotations

import pytest
from babel.messages.catalog import Catalog

from events_app.languages import catalogues
from events_app.languages.mainland import Mainland, unmatchable
from events_app.languages.tags import best_language


def test_every_message_the_code_uses_is_translated_and_compiled() -> None:
    assert catalogues.problems() == []


def test_the_simplified_catalogues_are_made_from_the_hong_kong_ones() -> None:
    hk = Catalog(locale="zh_Hant_HK")
    hk.add("E-mail", "電郵")
    hk.add("Organisation", "機構")
    hk.add("The event's details", "活動資料")
    made = {m.id: m.string for m in catalogues.simplified_of(hk, catalogues.mainland_terms())}
    assert made["E-mail"] == "电子邮件"
    assert made["Organisation"] == "单位"
    assert made["The event's details"] == "活动信息"


def test_terms_match_longest_first_in_one_pass() -> None:
    mainland = Mainland({"储存": "保存", "不会储存": "不会存储", "保存": "存档", "甲乙": "丙"})
    assert mainland("不會儲存，已儲存") == "不会存储，已保存"  # what a term writes stays
    assert mainland("甲乙乙") == "丙乙"
    assert Mainland({})("「搜尋」") == "“搜寻”"


def test_a_term_not_written_as_hk2s_writes_it_is_found() -> None:
    found = unmatchable({"搜尋": "搜索", "搜寻": "搜索", "": "x"})
    assert len(found) == 2
    assert "'搜尋'" in found[0]


def test_a_message_left_untranslated_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    real = catalogues.read

    def emptied(area: str, language: str) -> Catalog:
        catalogue = real(area, language)
        for message in catalogue:
            if message.id:
                message.string = ""
        return catalogue

    monkeypatch.setattr(catalogues, "read", emptied)
    found = catalogues.problems(catalogues.AREAS[:1])
    assert any(line.startswith("guest: not translated: 'Full name'") for line in found)


@pytest.mark.parametrize(
    ("tag", "language"),
    [
        ("zh-CN", "zh_Hans_CN"),
        ("zh-Hans", "zh_Hans_CN"),
        ("zh", "zh_Hans_CN"),
        ("zh-SG", "zh_Hans_CN"),
        ("zh-HK", "zh_Hant_HK"),
        ("zh-TW", "zh_Hant_HK"),
        ("zh-Hant", "zh_Hant_HK"),
        ("zh_Hant_HK", "zh_Hant_HK"),
        ("en-GB", "en"),
        ("en", "en"),
        ("fr-FR", None),
        ("", None),
        ("x" * 40, None),
    ],
)
def test_language_tags_name_one_of_the_three_languages(tag: str, language: str | None) -> None:
    assert best_language(tag) == language


def test_two_catalogues_translating_one_message_differently_are_found(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = catalogues.read

    def clashing(area: str, language: str) -> Catalog:
        catalogue = real(area, language)
        if area == "door":
            catalogue.add("Full name", "全名")
        return catalogue

    monkeypatch.setattr(catalogues, "read", clashing)
    found = catalogues.clashes()
    assert any("'Full name' is '全名' here but '英文全名' in guest" in line for line in found)
