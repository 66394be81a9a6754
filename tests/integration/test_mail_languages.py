"""Guest e-mails in the language the guest registered in, end to end against aiosmtpd.

On SQLite and PostgreSQL: the guest form records the page's language, the API the
`language` field or else the request's Accept-Language; every later mail of the
registration is in that language; a registration without one (as every registration
stored before languages were recorded) keeps the English and Traditional Chinese mail.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar

from domain.registration import GuestDetails
from events_app.languages.scripts import to_simplified
from tests.conftest import SLUG, FakeClock, guest, services_of
from tests.integration.test_mail_smtp import open_gathering
from tests.mail_support import SmtpServer, attachments, mail_app, smtp_config, text_of
from tests.pages.test_web_form import csrf_of, form_data

REGISTER = f"/api/v1/gatherings/{SLUG}/registrations"
FORM = f"/gatherings/{SLUG}/register"
TITLE_EN = "Launch ceremony of the Hetao Hong Kong Youth Innovation Valley"
TITLE_HANS = "河套香港青年科创谷启动仪式"
TITLE_HANT = "河套香港青年科創谷啟動儀式"
CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A running SMTP server on a free loopback port."""
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def app(database_url: str, clock: FakeClock, tmp_path: Path, smtp: SmtpServer) -> Iterator[Flask]:
    """An app that sends its mails to the test's SMTP server."""
    made = mail_app(database_url, clock, tmp_path, **smtp_config(smtp.port))
    yield made
    services_of(made).close()


def register(client: FlaskClient, n: int, headers: dict[str, str], **fields: Any) -> Any:
    response = client.post(REGISTER, json=guest(n, **fields), headers=headers)
    assert response.status_code == 201, response.json
    return response.json


def sent(app: Flask, smtp: SmtpServer, count: int) -> list[EmailMessage]:
    """Send what is queued; return the messages the SMTP server received."""
    assert len(services_of(app).outbox.run_once().sent) == count
    return smtp.inbox.wait_for(count)


def plain(message: EmailMessage) -> str:
    """Return the text of a mail as received, with its lines ending in \\n."""
    return text_of(message).replace("\r\n", "\n")


def assert_simplified(message: EmailMessage) -> str:
    """Check a mail is in Simplified Chinese only; return its text."""
    line, text = str(message["Subject"]), plain(message)
    assert message["Content-Language"] == "zh-Hans-CN"
    assert to_simplified(line + text) == line + text, "a Traditional character"
    assert "報名" not in line + text
    assert not re.search(r"Dear|registration for|When|Where", text)
    assert text.startswith("王小明您好：")
    assert "地点：香港科学园深圳分园\n" in text
    assert "查看或取消您的报名：\nhttp://localhost/gatherings/launch-2026/registrations/" in text
    return text


def test_a_guest_who_registered_through_the_api_in_simplified_chinese_gets_simplified_mails(
    app: Flask, smtp: SmtpServer
) -> None:
    client, organiser = open_gathering(app)
    registration = register(
        client, 1, {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}, name_zh="王小明"
    )
    assert registration["language"] == "zh_Hans_CN"
    cancelled = client.post(f"/api/v1/registrations/{registration['id']}/cancel", headers=organiser)
    assert cancelled.status_code == 200, cancelled.json

    confirmed, cancellation = sent(app, smtp, 2)

    assert confirmed["Subject"] == f"报名已确认：{TITLE_HANS}"
    text = assert_simplified(confirmed)
    assert f"您报名参加“{TITLE_HANS}”已获确认，期待与您见面。" in text
    assert "时间：2026年3月2日（星期一）09:30–13:00（Asia/Shanghai, UTC+08:00）" in text
    assert "随邮件附上您的入场证（badge.pdf），请打印或保存在手机上" in text
    (event,) = Calendar.from_ical(attachments(confirmed)["event.ics"][1]).walk("VEVENT")
    assert str(event["SUMMARY"]) == TITLE_HANS
    assert str(event["LOCATION"]) == "香港科学园深圳分园"
    assert str(event["DESCRIPTION"]) == f"您的报名：{registration['confirmation_url']}"

    assert cancellation["Subject"] == f"报名已取消：{TITLE_HANS}"  # a later mail, same language
    assert "已发出的入场证也随之失效" in assert_simplified(cancellation)


def test_a_guest_who_registered_on_the_simplified_form_gets_a_simplified_mail(
    app: Flask, smtp: SmtpServer
) -> None:
    client, _ = open_gathering(app)
    token = csrf_of(client.get(f"{FORM}?lang=zh-Hans"))  # the choice is kept in a cookie
    response = client.post(FORM, data={**form_data(1, name_zh="王小明"), "csrf_token": token})
    assert response.status_code == 303, response.get_data(as_text=True)

    (message,) = sent(app, smtp, 1)

    assert message["Subject"] == f"报名已确认：{TITLE_HANS}"
    assert f"您报名参加“{TITLE_HANS}”已获确认" in assert_simplified(message)


def test_a_guest_who_registered_on_the_english_form_gets_an_english_mail(
    app: Flask, smtp: SmtpServer
) -> None:
    client, _ = open_gathering(app)
    token = csrf_of(client.get(FORM))  # no language asked for: the page is in English
    response = client.post(FORM, data={**form_data(1), "csrf_token": token})
    assert response.status_code == 303, response.get_data(as_text=True)

    (message,) = sent(app, smtp, 1)

    assert message["Subject"] == f"Registration confirmed: {TITLE_EN}"
    assert message["Content-Language"] == "en"
    text = plain(message)
    assert text.startswith("Dear Guest Number 1,\n\n")
    assert f"Your registration for {TITLE_EN} is confirmed." in text
    assert "When: Monday 2 March 2026, 09:30–13:00 (Asia/Shanghai, UTC+08:00)" in text
    assert "Where: Hong Kong Science Park Shenzhen Branch\n" in text
    assert not CJK.search(text), "Chinese in an English mail"
    (event,) = Calendar.from_ical(attachments(message)["event.ics"][1]).walk("VEVENT")
    assert str(event["SUMMARY"]) == TITLE_EN


def test_an_english_speaking_api_client_gets_english_mails_for_its_guest(
    app: Flask, smtp: SmtpServer
) -> None:
    client, _ = open_gathering(app)
    assert register(client, 1, {"Accept-Language": "en-GB"})["language"] == "en"
    (message,) = sent(app, smtp, 1)
    assert message["Subject"] == f"Registration confirmed: {TITLE_EN}"
    assert "----- 繁體中文 -----" not in plain(message)


def test_the_language_field_wins_over_accept_language_and_must_be_one_of_ours(
    app: Flask, smtp: SmtpServer
) -> None:
    client, _ = open_gathering(app)
    mainland = {"Accept-Language": "zh-CN"}
    assert register(client, 1, mainland, language="zh-HK")["language"] == "zh_Hant_HK"
    refused = client.post(REGISTER, json=guest(2, language="fr"), headers=mainland)
    assert refused.status_code == 422, refused.json
    assert "language" in str(refused.json)

    (message,) = sent(app, smtp, 1)

    assert message["Subject"] == f"報名已確認：{TITLE_HANT}"
    assert message["Content-Language"] == "zh-Hant-HK"
    text = plain(message)
    assert text.startswith("黃秉修您好：")
    assert f"您報名參加「{TITLE_HANT}」已獲確認" in text
    assert "隨郵件附上您的入場證（badge.pdf），請列印" in text
    assert not re.search(r"Dear|When|Where", text)


def test_a_registration_without_a_language_keeps_the_bilingual_mail(
    app: Flask, smtp: SmtpServer
) -> None:
    """As registrations stored before languages were recorded, and walk-ins, have none."""
    open_gathering(app)
    box_office = services_of(app).box_office
    registration = box_office.register_placed(SLUG, GuestDetails(**guest(1)), "guest").registration
    assert "language" not in box_office.registration(registration.id).details
    assert registration.language is None

    (message,) = sent(app, smtp, 1)

    assert message["Subject"] == f"Registration confirmed / 報名已確認: {TITLE_EN}"
    assert message["Content-Language"] == "en, zh-Hant-HK"
    english, chinese = plain(message).split("\n----- 繁體中文 -----\n")
    assert english.startswith("Dear Guest Number 1,")
    assert f"您報名參加「{TITLE_HANT}」已獲確認" in chinese
