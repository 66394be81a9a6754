"""The wording of guest mails: one language per guest, from the mail catalogue."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from domain.guest_mail import INVITATION_KINDS, MailKind
from domain.registration import GuestDetails
from events_app import languages
from events_app.languages.mainland import to_mainland
from events_app.languages.scripts import to_simplified
from events_app.mail.compose import MailFacts, body, calendar_text, compose, subject
from tests.conftest import guest

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
LINK = "http://localhost/gatherings/launch/registrations/tok"
CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")

REGISTRATION_KINDS = [k for k in MailKind if k not in INVITATION_KINDS]
TRADITIONAL = {
    MailKind.CONFIRMED: ("報名已確認", "您報名參加「科創谷啟動儀式」已獲確認"),
    MailKind.PENDING: ("已收到報名，正等待審批", "現正等待主辦單位審批"),
    MailKind.WAITLISTED: ("已列入候補名單", "「科創谷啟動儀式」名額暫時已滿"),
    MailKind.APPROVED: ("報名已獲批准", "主辦單位已批准您參加「科創谷啟動儀式」"),
    MailKind.REJECTED: ("報名未獲接納", "很抱歉，主辦單位未能接納您"),
    MailKind.PROMOTED: ("候補成功，名額已確認", "已由候補轉為確認"),
    MailKind.CANCELLED: ("報名已取消", "已發出的入場證亦隨之失效"),
    MailKind.BADGE_REISSUED: ("新入場證", "舊入場證已經失效"),
}
ENGLISH = {
    MailKind.CONFIRMED: ("Registration confirmed", "is confirmed"),
    MailKind.PENDING: ("Registration received, awaiting approval", "awaiting the organisers'"),
    MailKind.WAITLISTED: ("You are on the waitlist", "is on the waitlist"),
    MailKind.APPROVED: ("Registration approved", "have approved your registration"),
    MailKind.REJECTED: ("Registration not accepted", "could not accept your registration"),
    MailKind.PROMOTED: ("A seat is free: your place is confirmed", "has moved from the waitlist"),
    MailKind.CANCELLED: ("Registration cancelled", "has been cancelled"),
    MailKind.BADGE_REISSUED: ("Your new badge", "A new badge has been issued"),
}


def facts(kind: MailKind, language: str | None, **changes: object) -> MailFacts:
    values: dict[str, object] = {
        "mail_id": "0b7e",
        "kind": kind,
        "full_name": "Chan Tai Man",
        "name_zh": "陳大文",
        "email": "tai.man@example.org",
        "title_en": "Launch of the Valley",
        "title_zh": "科創谷啟動儀式",
        "venue": "Science Park",
        "venue_zh": "科學園",
        "timezone": "Asia/Shanghai",
        "starts_at": datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI),
        "ends_at": datetime(2026, 3, 2, 13, 0, tzinfo=SHANGHAI),
        "link": LINK,
        "language": language,
    }
    values.update(changes)
    return MailFacts(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", REGISTRATION_KINDS)
def test_an_english_guest_gets_every_kind_of_mail_in_english_only(kind: MailKind) -> None:
    said, sentence = ENGLISH[kind]
    mail = facts(kind, "en")
    assert subject(mail) == f"{said}: Launch of the Valley"
    text = body(mail, with_badge=False)
    assert text.startswith("Dear Chan Tai Man,\n\n")
    assert sentence in text
    assert "Launch of the Valley" in text
    assert "When: Monday 2 March 2026, 09:30–13:00 (Asia/Shanghai, UTC+08:00)" in text
    assert "Where: Science Park\n" in text
    assert f"Your registration (to see it or cancel it):\n{LINK}\n" in text
    assert "badge.pdf" not in text
    assert not CJK.search(subject(mail) + text), "Chinese in an English mail"


@pytest.mark.parametrize("kind", REGISTRATION_KINDS)
def test_a_hong_kong_guest_gets_every_kind_of_mail_in_traditional_chinese(kind: MailKind) -> None:
    said, sentence = TRADITIONAL[kind]
    mail = facts(kind, "zh_Hant_HK")
    assert subject(mail) == f"{said}：科創谷啟動儀式"
    text = body(mail, with_badge=False)
    assert text.startswith("陳大文您好：\n\n")
    assert sentence in text
    assert "時間：2026年3月2日（星期一）09:30–13:00（Asia/Shanghai, UTC+08:00）" in text
    assert "地點：科學園\n" in text
    assert f"查看或取消您的報名：\n{LINK}\n" in text
    assert not re.search(r"Dear|registration|When|Where", text.replace(LINK, ""))


@pytest.mark.parametrize("kind", REGISTRATION_KINDS)
def test_a_mainland_guest_gets_every_kind_of_mail_in_simplified_chinese(kind: MailKind) -> None:
    mail = facts(kind, "zh_Hans_CN", name_zh="王小明")
    line, text = subject(mail), body(mail, with_badge=True)
    said, sentence = TRADITIONAL[kind]
    assert line == f"{to_mainland(said)}：科创谷启动仪式"
    assert text.startswith("王小明您好：\n\n")
    assert to_mainland(sentence) in text
    assert "时间：2026年3月2日（星期一）09:30–13:00" in text
    assert "地点：科学园\n" in text  # the venue's Chinese in the mail's script
    assert "请打印或保存在手机上" in text  # a mainland word, not Hong Kong's 列印
    assert f"查看或取消您的报名：\n{LINK}\n" in text
    assert to_simplified(line + text) == line + text, "a Traditional character"
    assert "報名" not in line + text
    assert not re.search(r"Dear|registration|When|Where", text.replace(LINK, ""))


def test_the_confirmation_in_simplified_chinese_reads_as_a_mainland_guest_expects() -> None:
    mail = facts(MailKind.CONFIRMED, "zh_Hans_CN")
    assert subject(mail) == "报名已确认：科创谷启动仪式"
    assert "您报名参加“科创谷启动仪式”已获确认，期待与您见面。" in body(mail, with_badge=False)
    assert calendar_text(mail) == (
        "科创谷启动仪式",
        "科学园",
        f"您的报名：{LINK}",
    )


def test_a_guest_whose_language_is_not_recorded_gets_english_and_traditional_chinese() -> None:
    mail = facts(MailKind.CONFIRMED, None)
    assert subject(mail) == "Registration confirmed / 報名已確認: Launch of the Valley"
    english, chinese = body(mail, with_badge=True).split("\n----- 繁體中文 -----\n")
    assert english.startswith("Dear Chan Tai Man,")
    assert "Launch of the Valley is confirmed" in english
    assert "Monday 2 March 2026, 09:30–13:00 (Asia/Shanghai, UTC+08:00)" in english
    assert "badge.pdf" in english
    assert not CJK.search(english)
    assert chinese.strip().startswith("陳大文您好：")
    assert "您報名參加「科創谷啟動儀式」已獲確認" in chinese
    assert "2026年3月2日（星期一）09:30–13:00" in chinese
    assert "隨郵件附上您的入場證（badge.pdf）" in chinese
    assert LINK in english
    assert LINK in chinese
    summary, location, description = calendar_text(mail)
    assert summary == "Launch of the Valley / 科創谷啟動儀式"
    assert location == "Science Park / 科學園"
    assert description == f"Your registration: {LINK}\n您的報名：{LINK}"


def test_a_guest_without_a_chinese_name_is_greeted_by_name_in_a_chinese_mail() -> None:
    text = body(facts(MailKind.PENDING, "zh_Hant_HK", name_zh=""), with_badge=False)
    assert text.startswith("Chan Tai Man您好：")


def test_a_gathering_without_a_chinese_title_keeps_its_english_one_in_a_chinese_mail() -> None:
    assert subject(facts(MailKind.CONFIRMED, "zh_Hans_CN", title_zh="")) == (
        "报名已确认：Launch of the Valley"
    )


def test_an_event_over_two_days_names_both_days_in_the_guests_language() -> None:
    ends = datetime(2026, 3, 3, 17, 0, tzinfo=SHANGHAI)
    english = body(facts(MailKind.CONFIRMED, "en", ends_at=ends), with_badge=True)
    assert "Monday 2 March 2026, 09:30 – Tuesday 3 March 2026, 17:00" in english
    assert "badge.pdf" in english
    chinese = body(facts(MailKind.CONFIRMED, "zh_Hant_HK", ends_at=ends), with_badge=True)
    assert "2026年3月2日（星期一）09:30 – 2026年3月3日（星期二）17:00" in chinese
    assert "隨郵件附上您的入場證（badge.pdf），請列印" in chinese


def test_times_are_the_gatherings_local_ones_whatever_zone_they_are_given_in() -> None:
    starts = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)  # 09:30 in Shanghai
    mail = facts(
        MailKind.CONFIRMED, "en", starts_at=starts, ends_at=starts.replace(hour=5, minute=0)
    )
    assert "Monday 2 March 2026, 09:30–13:00" in body(mail, with_badge=False)


@pytest.mark.parametrize(
    ("language", "header", "words"),
    [
        ("en", "en", "have approved your registration"),
        ("zh_Hant_HK", "zh-Hant-HK", "主辦單位已批准您"),
        ("zh_Hans_CN", "zh-Hans-CN", "主办单位已批准您"),
        (None, "en, zh-Hant-HK", "主辦單位已批准您"),
    ],
)
def test_the_message_has_the_headers_a_mail_program_needs(
    language: str | None, header: str, words: str
) -> None:
    message = compose(
        facts(MailKind.APPROVED, language), "Launch team <launch@example.org>", T0, []
    )
    assert message["To"].addresses[0].addr_spec == "tai.man@example.org"
    assert message["To"].addresses[0].display_name == "Chan Tai Man"
    assert message["Message-ID"] == "<0b7e@example.org>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Date"].datetime == T0
    assert message["Content-Language"] == header
    assert message.get_content_type() == "text/plain"
    assert words in message.get_content()


def test_mails_are_written_in_the_guests_language_within_a_request_in_another() -> None:
    app = Flask(__name__)
    languages.init_app(app)
    with app.test_request_context("/?lang=zh-HK"):
        assert subject(facts(MailKind.CONFIRMED, "en")).startswith("Registration confirmed")
        assert subject(facts(MailKind.CONFIRMED, "zh_Hans_CN")).startswith("报名已确认")
        assert languages.current_language() == "zh_Hant_HK"  # the request's is left as it was


def test_mails_written_by_threads_at_once_each_keep_their_own_language() -> None:
    found: dict[str, set[str]] = {"en": set(), "zh_Hant_HK": set(), "zh_Hans_CN": set()}

    def write(language: str) -> None:
        for _ in range(30):
            found[language].add(subject(facts(MailKind.CANCELLED, language)))

    threads = [threading.Thread(target=write, args=(language,)) for language in found]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == {
        "en": {"Registration cancelled: Launch of the Valley"},
        "zh_Hant_HK": {"報名已取消：科創谷啟動儀式"},
        "zh_Hans_CN": {"报名已取消：科创谷启动仪式"},
    }


@pytest.mark.parametrize("address", ["no-at-sign", "@example.org", "guest@"])
def test_an_unusable_address_is_refused_when_the_mail_is_written(address: str) -> None:
    with pytest.raises(ValueError, match="e-mail address"):
        compose(facts(MailKind.PENDING, "en", email=address), "launch@example.org", T0, [])


def test_details_without_a_language_are_stored_as_before_and_with_one_keep_it() -> None:
    assert set(GuestDetails(**guest(1)).as_dict()) == {
        "full_name",
        "email",
        "organisation",
        "job_title",
        "consent",
        "name_zh",
        "phone",
        "dietary",
        "accessibility",
        "notes",
    }
    assert GuestDetails(**guest(1), language="zh_Hans_CN").as_dict()["language"] == "zh_Hans_CN"


DEADLINE = datetime(2026, 2, 20, 18, 0, tzinfo=SHANGHAI)
INVITED = {
    "en": ("You are invited: Launch of the Valley", "Please answer by Friday 20 February 2026"),
    "zh_Hant_HK": ("誠邀您出席：科創谷啟動儀式", "請於2026年2月20日（星期五）18:00"),
    "zh_Hans_CN": ("诚邀您出席：科创谷启动仪式", "请于2026年2月20日（星期五）18:00"),
}


@pytest.mark.parametrize("language", list(INVITED))
def test_an_invitation_gives_the_deadline_and_the_personal_link_in_the_invitees_language(
    language: str,
) -> None:
    mail = facts(MailKind.INVITATION, language, link="http://localhost/invitations/tok")
    mail = MailFacts(**{**mail.__dict__, "deadline": DEADLINE})
    said, deadline = INVITED[language]
    assert subject(mail) == said
    text = body(mail, with_badge=False)
    assert deadline in text
    assert "http://localhost/invitations/tok\n" in text
    assert "registrations/" not in text
    if language != "en":
        assert not re.search(r"Dear|invit|When|Where|Please", text.replace(mail.link, ""))
    reminder = MailFacts(**{**mail.__dict__, "kind": MailKind.INVITATION_REMINDER})
    assert subject(reminder) != said
