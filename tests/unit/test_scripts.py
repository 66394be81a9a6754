"""Chinese an organiser typed, shown in the page's script; names in each page's language."""

from __future__ import annotations

from events_app.languages.scripts import in_script, name_in


def test_typed_chinese_takes_the_script_and_quotes_of_a_simplified_page() -> None:
    title = "「Global Connect」合作夥伴簽約儀式"
    assert in_script(title, "zh_Hans_CN") == "“Global Connect”合作伙伴签约仪式"
    assert in_script(title, "zh_Hant_HK") == title
    assert in_script(title, "en") == title


def test_a_name_is_shown_in_the_page_language_and_falls_back_to_the_other() -> None:
    assert name_in("en", "Science Park", "科學園") == "Science Park"
    assert name_in("zh_Hans_CN", "Science Park", "科學園") == "科学园"
    assert name_in("zh_Hant_HK", "Science Park", "") == "Science Park"
    assert name_in("en", "", "科學園") == "科學園"
