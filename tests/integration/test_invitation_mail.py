"""Invitation mails through the outbox: in the invitee's language, with their personal link."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import SLUG, FakeClock, services_of
from tests.integration.test_mail_smtp import open_gathering
from tests.mail_support import SmtpServer, mail_app, smtp_config, text_of


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


def test_invitation_and_one_reminder_in_simplified_chinese_with_the_link(
    app: Flask, smtp: SmtpServer, clock: FakeClock
) -> None:
    client, organiser = open_gathering(app)
    invited = client.post(
        f"/api/v1/gatherings/{SLUG}/invitations",
        json={
            "full_name": "Wang Xiaoming",
            "name_zh": "王小明",
            "email": "wang@example.org",
            "category": "guest",
            "language": "zh-Hans-CN",
            "batch": "officials",
            "deadline": "2026-02-20T18:00:00+08:00",
        },
        headers=organiser,
    )
    assert invited.status_code == 201, invited.json
    token = invited.json["link"].rsplit("/", 1)[1]
    outbox = services_of(app).outbox
    assert len(outbox.run_once().sent) == 1
    (invitation,) = smtp.inbox.wait_for(1)
    text = text_of(invitation).replace("\r\n", "\n")
    assert str(invitation["Subject"]).startswith("诚邀您出席：")
    assert invitation["Content-Language"] == "zh-Hans-CN"
    assert text.startswith("王小明您好：")
    assert f"/invitations/{token}\n" in text
    assert "请于2026年2月20日" in text

    clock.advance(days=18)
    services = services_of(app)
    assert services.invitations.remind(SLUG, timedelta(days=2)) == 1
    assert services.invitations.remind(SLUG, timedelta(days=2)) == 0
    assert len(outbox.run_once().sent) == 1
    reminder = smtp.inbox.wait_for(2)[1]
    assert str(reminder["Subject"]).startswith("提示：请回复邀请")
    assert f"/invitations/{token}\n" in text_of(reminder).replace("\r\n", "\n")
