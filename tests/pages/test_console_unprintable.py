"""The console warns, before printing, of names with characters no font covers.

The guest's page names the characters (with their code points), the printing page counts
the badges that would show a box and lists their guests, and a ceremony's page flags its
people; in English, Traditional Chinese (Hong Kong) and Simplified Chinese.
"""

from __future__ import annotations

import html
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.checkin_helpers import confirmed_guest
from tests.conftest import SLUG
from tests.planning_helpers import add_item, create_gathering, plan_ceremony

CONSOLE = f"/organiser/gatherings/{SLUG}"
HIEROGLYPH, EMOJI = "\U00013000", "\U0001f600"
NAMED = f"{HIEROGLYPH} (U+13000)"


def text_of(response: Any) -> str:
    """Return a page's text without tags, white space squeezed."""
    assert response.status_code == 200, response.status_code
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def page(console: FlaskClient, path: str, lang: str = "en") -> str:
    """Return the text of a console page read in `lang`, leaving the console in English."""
    text = text_of(console.get(f"{path}?lang={lang}"))
    console.get(f"{CONSOLE}/printing?lang=en")
    return text


def test_the_guest_page_names_the_characters_the_fonts_lack(
    console: FlaskClient, gathering: Any
) -> None:
    scribe = confirmed_guest(console, 1, full_name=f"Ankh {HIEROGLYPH} Scribe")
    plain = confirmed_guest(console, 2, full_name="Chan Tai Man")
    path = f"{CONSOLE}/registrations/{scribe['id']}"
    english = page(console, path)
    assert f"Cannot be printed whole: no font has {NAMED}, which would show as a box" in english
    chinese = page(console, path, "zh-HK")
    assert f"未能完整列印：字型沒有 {NAMED}，印在證件上會變成方格。" in chinese
    simplified = page(console, path, "zh-CN")
    assert f"未能完整打印：字体没有 {NAMED}，印在证件上会变成方格。" in simplified
    assert 'id="unprintable"' not in console.get(f"{CONSOLE}/registrations/{plain['id']}").text


def test_the_printing_page_counts_and_lists_the_badges_that_would_show_a_box(
    console: FlaskClient, gathering: Any, organiser: dict[str, str]
) -> None:
    scribe = confirmed_guest(console, 1, full_name=f"Ankh {HIEROGLYPH} Scribe")
    confirmed_guest(console, 2, full_name="Chan Tai Man")
    confirmed_guest(console, 3, full_name="Ho Ka Yan", organisation=f"Smile Ltd {EMOJI}")
    english = page(console, f"{CONSOLE}/printing")
    assert "2 badges have characters the fonts cannot print:" in english
    assert f"Ankh {HIEROGLYPH} Scribe 黃秉修 — {NAMED}" in english
    assert f"Ho Ka Yan 黃秉修 — {EMOJI} (U+1F600)" in english
    assert "Chan Tai Man" not in english
    raw = console.get(f"{CONSOLE}/printing").text
    assert f'href="{CONSOLE}/registrations/{scribe["id"]}"' in raw
    chinese = page(console, f"{CONSOLE}/printing", "zh-HK")
    assert "2 個襟章有字型無法列印的字元：" in chinese
    assert "這些字元會印成方格。請先更正賓客資料，再列印。" in chinese
    assert "2 个胸卡有字体无法打印的字符：" in page(console, f"{CONSOLE}/printing", "zh-CN")
    path = f"/api/v1/registrations/{scribe['id']}"
    fixed = console.patch(path, json={"full_name": "Ankh Scribe"}, headers=organiser)
    assert fixed.status_code == 200, fixed.json
    assert "1 badge has characters the fonts cannot print:" in page(console, f"{CONSOLE}/printing")


def test_no_warning_when_every_badge_prints(console: FlaskClient, gathering: Any) -> None:
    confirmed_guest(console, 1, full_name="Nguyễn Văn An", name_zh="陳大文")
    assert 'id="badges-unprintable"' not in console.get(f"{CONSOLE}/printing").text


def test_the_ceremony_page_flags_people_the_fonts_cannot_print(
    app: Flask, console: FlaskClient, organiser: dict[str, str]
) -> None:
    create_gathering(console, organiser)
    planned = plan_ceremony(console, organiser)
    people = [
        {"name_en": f"Scribe {HIEROGLYPH}", "name_zh": "", "organisation": "HKSTP"},
        {"name_en": "Chan Tai Man", "name_zh": "陳大文", "organisation": "HKSTP"},
    ]
    add_item(console, organiser, planned["id"], people=people)
    path = f"{CONSOLE}/ceremonies/{planned['id']}"
    english = page(console, path)
    assert "1 person has characters the fonts cannot print" in english
    assert f"Scribe {HIEROGLYPH} (HKSTP) cannot print {NAMED}" in english
    assert "Chan Tai Man 陳大文 (HKSTP) cannot" not in english
    chinese = page(console, path, "zh-HK")
    assert "1 位人士的資料有字型無法列印的字元，會印成方格：請先更正，再列印。" in chinese
    assert f"無法列印 {NAMED}" in chinese
    printing = page(console, f"{CONSOLE}/printing")
    assert "1 name cannot print whole" in printing
    assert "1 個名字未能完整列印" in page(console, f"{CONSOLE}/printing", "zh-HK")
