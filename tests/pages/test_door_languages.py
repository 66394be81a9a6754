"""The door page in English, Traditional and Simplified Chinese: one language per device.

The page's wording (door.html and the config door.js reads) comes from the door catalogue
in the language the device chose (`?lang=`, remembered in the `lang` cookie), else its
Accept-Language, else English. An answer's headline also comes in a second language.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from domain.scan import ScanStatus
from events_app.languages.scripts import to_simplified
from events_app.pages.door_labels import door_config

CJK = re.compile(r"[\u4e00-\u9fff]")
CONFIG = re.compile(r'<script type="application/json" id="door-config">(.*?)</script>', re.S)


def page_of(client: FlaskClient, path: str = "/door", **headers: str) -> tuple[str, dict[str, Any]]:
    """Return the door page's HTML without its config, and the config."""
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    found = CONFIG.search(html)
    assert found
    return html.replace(found.group(0), ""), json.loads(found.group(1))


def shown_text(html: str) -> str:
    """Return what the page says: its HTML without tags (and without its config)."""
    return re.sub(r"<[^>]+>", " ", html)


def test_without_a_language_the_door_is_english_with_chinese_headlines_beside(
    client: FlaskClient,
) -> None:
    html, config = page_of(client)
    assert '<html lang="en">' in html
    assert "<title>Door scanner</title>" in html
    assert "Set up this device" in html
    # The language switch names each language in itself; nothing else on the page is Chinese.
    assert CJK.findall(shown_text(html)) == CJK.findall("繁體中文简体中文")
    assert (config["language"], config["second_language"]) == ("en", "zh-Hant-HK")
    assert config["statuses"]["ok"]["title"] == ["Let in", "請進"]
    assert config["statuses"]["ok"]["detail"] == "Welcome."
    assert config["categories"]["vip"] == "VIP"
    assert config["states"]["waitlisted"] == "Waitlisted"
    assert config["messages"]["sent"] == "{n} saved scan(s) sent."
    assert not CJK.search(json.dumps([config["messages"], config["categories"]]))


@pytest.mark.parametrize(
    ("asked", "tag", "let_in", "set_up", "vip"),
    [
        ({"path": "/door?lang=zh_Hant_HK"}, "zh-Hant-HK", "請進", "設定此裝置", "貴賓"),
        ({"Accept-Language": "zh-HK,en;q=0.5"}, "zh-Hant-HK", "請進", "設定此裝置", "貴賓"),
        ({"path": "/door?lang=zh-CN"}, "zh-Hans-CN", "请进", "设置此设备", "贵宾"),
        ({"Accept-Language": "zh-CN"}, "zh-Hans-CN", "请进", "设置此设备", "贵宾"),
    ],
)
def test_a_device_in_chinese_reads_the_door_in_its_script(
    client: FlaskClient, asked: dict[str, str], tag: str, let_in: str, set_up: str, vip: str
) -> None:
    headers = dict(asked)
    html, config = page_of(client, headers.pop("path", "/door"), **headers)
    assert f'<html lang="{tag}">' in html
    assert set_up in html
    assert "Set up this device" not in html
    assert f'aria-current="true">{"繁體中文" if "Hant" in tag else "简体中文"}</a>' in html
    assert (config["language"], config["second_language"]) == (tag, "en")
    assert config["statuses"]["ok"]["title"] == [let_in, "Let in"]
    assert config["categories"]["vip"] == vip
    everything = json.dumps(config, ensure_ascii=False)
    assert "Welcome." not in everything  # details are in the device's language only
    if "Hans" in tag:
        wording = [config["messages"], config["states"], config["categories"]]
        assert to_simplified(json.dumps(wording, ensure_ascii=False)) == json.dumps(
            wording, ensure_ascii=False
        )
        assert to_simplified(shown_text(html)) == shown_text(html).replace("繁體中文", "繁体中文")


def test_the_choice_is_remembered_and_served_with_its_language(client: FlaskClient) -> None:
    chosen = client.get("/door?lang=zh_Hans_CN")
    assert chosen.headers["Content-Language"] == "zh-Hans-CN"
    assert "lang=zh_Hans_CN" in chosen.headers["Set-Cookie"]
    again = client.get("/door", headers={"Accept-Language": "en"})
    assert again.headers["Content-Language"] == "zh-Hans-CN"
    assert '<html lang="zh-Hans-CN">' in again.get_data(as_text=True)
    assert client.get("/door?lang=en").headers["Content-Language"] == "en"
    worker = client.get("/door-sw.js").get_data(as_text=True)
    assert '"zh-Hans-CN": "zh_Hans_CN"' in worker  # it keeps a copy of the page per language


def test_every_status_has_a_headline_in_both_languages_and_a_detail(app: Flask) -> None:
    statuses = [s.value for s in ScanStatus] + ["exit", "offline_ok", "offline_exit", "error"]
    for language in ("en", "zh_Hant_HK", "zh_Hans_CN"):
        with app.test_request_context(f"/door?lang={language}"):
            config = door_config()
        for status in statuses:
            text = config["statuses"][status]
            main, second = text["title"]
            chinese = main if language != "en" else second
            english = second if language != "en" else main
            assert CJK.search(chinese), (language, status)
            assert not CJK.search(english), (language, status)
            assert bool(CJK.search(text["detail"])) == (language != "en"), (language, status)
