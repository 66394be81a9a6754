"""The message catalogues keep step with the code: nothing untranslated, nothing unbuilt."""

from __future__ import annotations

import pytest
from babel.messages.catalog import Catalog

from events_app.languages import catalogues
from events_app.languages.mainland import Mainland, unmatchable
from events_app.languages.tags import best_language

HONG_KONG_ONLY = (
    *("搜寻", "联络", "储存", "设定", "预设", "襟章", "电邮", "上载", "列印", "讯息", "支援"),
    *("用户名称", "质素", "短讯", "撷取", "透过", "帐户", "帐号", "职衔", "连结", "程式"),
    *("汇出", "汇入", "载入", "连线", "登入", "登出", "存取", "栏位", "即场", "未有", "只可"),
    *("查无", "真确", "覆核", "界别", "场刊", "嘉许", "键入", "伺服器", "权杖", "字元"),
    *("寄件匣", "间企业", "登记"),  # a mainland guest 报名s for an event
    *("「", "」", "『", "』"),
)
"""Hong Kong words (as OpenCC hk2s writes them) and marks no mainland page shows."""


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


def test_simplified_pages_use_the_mainland_words_and_quotation_marks() -> None:
    hk = Catalog(locale="zh_Hant_HK")
    hk.add("Search", "搜尋")
    hk.add("Set up this device", "設定此裝置")
    hk.add("Saved: %(fields)s.", "已儲存：%(fields)s。")
    hk.add("It is not stored.", "系統不會儲存。")
    hk.add("Record that %(ceremony)s took place?", "記錄「%(ceremony)s」已舉行？")
    hk.add("Title", "『頒授』")
    made = {m.id: m.string for m in catalogues.simplified_of(hk, catalogues.mainland_terms())}
    assert made["Search"] == "搜索"
    assert made["Set up this device"] == "设置此设备"
    assert made["Saved: %(fields)s."] == "已保存：%(fields)s。"
    assert made["It is not stored."] == "系统不会存储。"
    assert made["Record that %(ceremony)s took place?"] == "记录“%(ceremony)s”已举行？"
    assert made["Title"] == "‘颁奖’"


def test_terms_match_longest_first_in_one_pass() -> None:
    mainland = Mainland({"储存": "保存", "不会储存": "不会存储", "保存": "存档", "甲乙": "丙"})
    assert mainland("不會儲存，已儲存") == "不会存储，已保存"  # what a term writes stays
    assert mainland("甲乙乙") == "丙乙"
    assert Mainland({})("「搜尋」") == "“搜寻”"


def test_a_term_not_written_as_hk2s_writes_it_is_found() -> None:
    found = unmatchable({"搜尋": "搜索", "搜寻": "搜索", "": "x"})
    assert len(found) == 2
    assert "'搜尋'" in found[0]


def test_no_simplified_message_keeps_a_hong_kong_word() -> None:
    kept = [
        f"{area.name}: {message.id!r} says {word}"
        for area in catalogues.AREAS
        for message in catalogues.read(area.name, catalogues.SIMPLIFIED)
        if message.id
        for text in (message.string if isinstance(message.string, tuple) else (message.string,))
        for word in HONG_KONG_ONLY
        if word in text
    ]
    assert kept == []


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


def test_a_plural_message_with_an_empty_form_is_untranslated() -> None:
    from babel.messages.catalog import Message

    from events_app.languages.catalogues import untranslated

    assert untranslated(Message(("%(n)d guest", "%(n)d guests"), ("",)))
    assert untranslated(Message("a guest", ""))
    assert not untranslated(Message(("%(n)d guest", "%(n)d guests"), ("%(n)d 位嘉賓",)))
    assert not untranslated(Message("a guest", "一位嘉賓"))
