"""The Chinese of printed labels: the reader's script for documents, the guest's for badges."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tests.api.test_documents_api import BASE, SLUG, pdf_text, plan_day, signing_item
from tests.checkin_helpers import confirmed_guest
from tests.conftest import services_of
from tests.pdf_helpers import font_rows, page_texts, run, squeezed, tool, write
from tests.planning_helpers import assert_error

PROGRAMME_HANT = ("節目表", "節目流程", "簽約及頒授儀式", "參展企業", "展位圖", "訂約方", "簽署人")
PROGRAMME_HANS = ("节目表", "节目流程", "签约及颁奖仪式", "参展企业", "展位图", "订约方", "签署人")
"""Section and group labels of the programme, as Traditional and as Simplified print them."""


def test_a_programme_asked_for_in_simplified_has_simplified_labels_only(
    app: Flask, client: FlaskClient, organiser: dict[str, str], tmp_path: Path
) -> None:
    plan_day(app, client, organiser)
    default = client.get(f"{BASE}/programme.pdf", headers=organiser)
    text = pdf_text(tmp_path, "programme-", default)
    assert all(label in text for label in PROGRAMME_HANT), text
    assert b"/Lang (zh-Hant-HK)" in default.data

    asked = {"lang": "zh_Hans_CN"}
    simplified = client.get(f"{BASE}/programme.pdf", query_string=asked, headers=organiser)
    text = pdf_text(tmp_path, "programme-", simplified)
    for label in PROGRAMME_HANS:
        assert label in text, label
    for label in PROGRAMME_HANT:
        assert label not in text, label
    assert "截至" in text
    # What organisers typed in Traditional reads Simplified too, as a mainland reader expects.
    assert "河套香港青年科创谷启动仪式" in text
    assert "科創谷" not in text
    assert b"/Lang (zh-Hans-CN)" in simplified.data
    again = client.get(f"{BASE}/programme.pdf", query_string=asked, headers=organiser)
    assert again.data == simplified.data  # the same plan, the same bytes


def test_agreements_certificates_and_stage_sheet_follow_lang(
    app: Flask, client: FlaskClient, organiser: dict[str, str], tmp_path: Path
) -> None:
    ids = plan_day(app, client, organiser)
    asked = {"lang": "zh_Hans_CN"}
    signing = f"{BASE}/ceremonies/{ids['signing']}"
    award = f"{BASE}/ceremonies/{ids['award']}"
    expected = {
        f"{signing}/agreements.pdf": (
            "agreements-",
            ("AGREEMENT协议", "第1页，共"),
            "AGREEMENT協議",
        ),
        f"{award}/certificates.pdf": (
            "certificates-",
            ("CERTIFICATE证书", "兹证明"),
            "CERTIFICATE證書",
        ),
        f"{BASE}/stage-sheet.pdf": ("stage-sheet-", ("舞台监督表", "签署人"), "舞台監督表"),
    }
    for path, (name, simplified, traditional) in expected.items():
        text = pdf_text(tmp_path, name, client.get(path, query_string=asked, headers=organiser))
        assert all(label in text for label in simplified), (path, text)
        assert traditional not in text, path
        text = pdf_text(tmp_path, name, client.get(path, headers=organiser))
        assert traditional in text, path


def test_an_unknown_lang_is_refused_naming_it(
    app: Flask, client: FlaskClient, organiser: dict[str, str]
) -> None:
    plan_day(app, client, organiser)
    refused = client.get(f"{BASE}/programme.pdf?lang=fr", headers=organiser)
    assert_error(refused, 422, "validation_failed", "lang")
    # (test_documents_api checks every download's `lang` in the OpenAPI document)


def test_an_incomplete_document_is_refused_in_the_reader_s_words(
    app: Flask, client: FlaskClient, organiser: dict[str, str]
) -> None:
    ids = plan_day(app, client, organiser)
    planning = services_of(app).planning
    planning.add_ceremony_item(SLUG, ids["signing"], signing_item("TA-EMPTY", people=()), "alice")
    path = f"{BASE}/ceremonies/{ids['signing']}/agreements.pdf"
    said: dict[str, Any] = {}
    for language in ("en", "zh-HK", "zh-CN"):
        headers = {**organiser, "Accept-Language": language}
        response = client.get(path, headers=headers)
        assert_error(response, 422, "document_incomplete", "people")
        said[language] = response.json["error"]["message"]
    assert said["en"] == "agreement TA-EMPTY names no signatory: add at least one person"
    assert said["zh-HK"] == "協議 TA-EMPTY 沒有簽署人：請最少加入一人"
    assert said["zh-CN"] == "协议 TA-EMPTY 没有签署人：请至少加入一人"


def test_cli_language_option_prints_simplified(
    app: Flask,
    client: FlaskClient,
    organiser: dict[str, str],
    runner: FlaskCliRunner,
    tmp_path: Path,
) -> None:
    plan_day(app, client, organiser)
    target = tmp_path / "stage.pdf"
    args = ["documents", "stage-sheet", "--gathering", SLUG, "-o", str(target)]
    result = runner.invoke(args=[*args, "--language", "zh_Hans_CN"])
    assert result.exit_code == 0, result.output
    text = squeezed("".join(page_texts(target)))
    assert "舞台监督表" in text
    assert "舞台監督表" not in text
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "舞台監督表" in squeezed("".join(page_texts(target)))
    wrong = runner.invoke(args=[*args, "--language", "fr"])
    assert wrong.exit_code != 0
    assert "--language" in wrong.output


def test_each_badge_speaks_the_script_its_guest_registered_in(
    client: FlaskClient, organiser: dict[str, str], gathering: dict[str, Any], tmp_path: Path
) -> None:
    hans = confirmed_guest(client, 1, language="zh-Hans-CN")
    hant = confirmed_guest(client, 2, language="zh-HK")
    english = confirmed_guest(client, 3, language="en")
    texts, faces = {}, {}
    for name, guest in (("hans", hans), ("hant", hant), ("en", english)):
        response = client.get(f"/api/v1/registrations/{guest['id']}/badge.pdf", headers=organiser)
        assert response.status_code == 200, response.json
        pdf = write(tmp_path, f"{name}.pdf", response.data)
        texts[name] = run(tool("pdftotext"), pdf, "-")
        faces[name] = {row[0].split("+")[-1].split("-")[0] for row in font_rows(pdf)}
    assert "NotoSansCJKSC" in faces["hans"]  # Simplified glyph forms for a zh-Hans guest
    assert "NotoSansCJKHK" not in faces["hans"]
    assert "NotoSansCJKHK" in faces["hant"]
    assert "NotoSansCJKHK" in faces["en"]
    assert "嘉宾" in texts["hans"]
    assert "嘉賓" not in texts["hans"]
    assert "黃秉修" in texts["hans"]  # the guest's name as they typed it
    assert "科创谷启动仪式" in texts["hans"]  # the gathering's title in the guest's script
    assert "科創谷啟動儀式" not in texts["hans"]
    assert "科創谷啟動儀式" in texts["hant"]
    assert "嘉賓" in texts["hant"]
    assert "嘉宾" not in texts["hant"]
    assert "嘉賓" in texts["en"]  # English readers get the Hong Kong Chinese beside it
    sheet = client.get(f"/api/v1/gatherings/{SLUG}/badges.pdf", headers=organiser)
    assert sheet.status_code == 200, sheet.json
    text = run(tool("pdftotext"), write(tmp_path, "sheet.pdf", sheet.data), "-")
    assert text.count("嘉宾") == 1
    assert text.count("嘉賓") == 2
    assert b"/Lang" not in sheet.data  # badges in two scripts: the sheet names neither
