"""The text of guest mails: one message in English and Traditional Chinese, with attachments.

Pure: from plain data to an `email.message.EmailMessage`; no Flask, no store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from zoneinfo import ZoneInfo

from domain.guest_mail import MailKind

WEEKDAYS_ZH = "一二三四五六日"


@dataclass(frozen=True)
class MailFacts:
    """Everything a guest mail says, as plain data."""

    mail_id: str
    kind: MailKind
    full_name: str
    name_zh: str
    email: str
    title_en: str
    title_zh: str
    venue: str
    timezone: str
    starts_at: datetime
    ends_at: datetime
    link: str


@dataclass(frozen=True)
class Attachment:
    """A file sent with the mail."""

    filename: str
    maintype: str
    subtype: str
    data: bytes
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Wording:
    """One kind of mail in both languages: subject and the paragraphs after the greeting."""

    subject_en: str
    subject_zh: str
    body_en: str
    body_zh: str


BADGE_EN = (
    "Your badge is attached (badge.pdf): print it or keep it on your phone; its QR code is "
    "scanned at the entrance. The calendar entry (event.ics) adds the event to your calendar."
)
BADGE_ZH = (
    "隨郵件附上您的入場證（badge.pdf），請列印或保存在手機上，入場時出示二維碼以供掃描。"
    "附件 event.ics 可把活動加入您的日曆。"
)

WORDING: dict[MailKind, Wording] = {
    MailKind.CONFIRMED: Wording(
        "Registration confirmed",
        "報名已確認",
        "Your registration for {title_en} is confirmed. We look forward to seeing you.",
        "您報名參加「{title_zh}」已獲確認，期待與您見面。",
    ),
    MailKind.PENDING: Wording(
        "Registration received, awaiting approval",
        "已收到報名，正等待審批",
        "We have received your registration for {title_en}. It is awaiting the organisers' "
        "approval; we will write to you again as soon as they have decided.",
        "我們已收到您參加「{title_zh}」的報名，現正等待主辦單位審批；有結果後會再通知您。",
    ),
    MailKind.WAITLISTED: Wording(
        "You are on the waitlist",
        "已列入候補名單",
        "{title_en} is full at the moment, so your registration is on the waitlist. If a "
        "seat becomes free, waitlisted guests are confirmed in the order they registered, "
        "and we will write to you with your badge.",
        "「{title_zh}」名額暫時已滿，您的報名已列入候補名單。如有空位，將按報名先後次序"
        "確認，屆時我們會把入場證寄給您。",
    ),
    MailKind.APPROVED: Wording(
        "Registration approved",
        "報名已獲批准",
        "The organisers have approved your registration for {title_en}: your place is confirmed.",
        "主辦單位已批准您參加「{title_zh}」的報名，您的名額已確認。",
    ),
    MailKind.REJECTED: Wording(
        "Registration not accepted",
        "報名未獲接納",
        "We are sorry: the organisers could not accept your registration for {title_en}.",
        "很抱歉，主辦單位未能接納您參加「{title_zh}」的報名。",
    ),
    MailKind.PROMOTED: Wording(
        "A seat is free: your place is confirmed",
        "候補成功，名額已確認",
        "Good news: a seat has become free, and your registration for {title_en} has moved "
        "from the waitlist to confirmed.",
        "好消息：現有空位，您參加「{title_zh}」的報名已由候補轉為確認。",
    ),
    MailKind.CANCELLED: Wording(
        "Registration cancelled",
        "報名已取消",
        "Your registration for {title_en} has been cancelled, and any badge issued for it "
        "no longer admits you. If this is a mistake, please register again or contact the "
        "organisers.",
        "您參加「{title_zh}」的報名已取消，已發出的入場證亦隨之失效。如有誤會，請重新報名"
        "或聯絡主辦單位。",
    ),
    MailKind.BADGE_REISSUED: Wording(
        "Your new badge",
        "新入場證",
        "A new badge has been issued for your registration for {title_en}. Your previous "
        "badge no longer works: please use the new one.",
        "我們已為您參加「{title_zh}」的報名重新發出入場證，舊入場證已經失效，請使用新證。",
    ),
}


def subject(facts: MailFacts) -> str:
    """Return the subject line: both languages and the event's title."""
    wording = WORDING[facts.kind]
    return f"{wording.subject_en} / {wording.subject_zh}: {facts.title_en}"


def body(facts: MailFacts, *, with_badge: bool) -> str:
    """Return the plain-text body: the English part, then the Traditional Chinese part."""
    wording = WORDING[facts.kind]
    titles = {"title_en": facts.title_en, "title_zh": facts.title_zh}
    when_en, when_zh = when(facts)
    english = [
        f"Dear {facts.full_name},",
        wording.body_en.format(**titles),
        f"When: {when_en}\nWhere: {facts.venue}",
    ]
    chinese = [
        f"{facts.name_zh or facts.full_name}您好：",
        wording.body_zh.format(**titles),
        f"時間：{when_zh}\n地點：{facts.venue}",
    ]
    if with_badge:
        english.append(BADGE_EN)
        chinese.append(BADGE_ZH)
    english.append(f"Your registration (to see it or cancel it):\n{facts.link}")
    chinese.append(f"查看或取消報名：\n{facts.link}")
    return "\n\n".join([*english, "----- 中文 -----", *chinese]) + "\n"


def when(facts: MailFacts) -> tuple[str, str]:
    """Return the event's local date and time, in English and in Chinese."""
    zone = ZoneInfo(facts.timezone)
    starts, ends = facts.starts_at.astimezone(zone), facts.ends_at.astimezone(zone)
    offset = f"{starts:%z}"
    zone_label = f"{facts.timezone}, UTC{offset[:3]}:{offset[3:]}"
    end_en = f"{ends:%H:%M}" if ends.date() == starts.date() else f"{ends:%A %-d %B %Y, %H:%M}"
    end_zh = f"{ends:%H:%M}" if ends.date() == starts.date() else f"{_date_zh(ends)} {ends:%H:%M}"
    english = f"{starts:%A %-d %B %Y, %H:%M}–{end_en} ({zone_label})"
    chinese = f"{_date_zh(starts)} {starts:%H:%M}–{end_zh}（{zone_label}）"
    return english, chinese


def _date_zh(moment: datetime) -> str:
    return f"{moment.year}年{moment.month}月{moment.day}日（星期{WEEKDAYS_ZH[moment.weekday()]}）"


def compose(
    facts: MailFacts, sender: str, sent_at: datetime, attachments: list[Attachment]
) -> EmailMessage:
    """Return the message, ready to send; raise ValueError if an address cannot be used."""
    message = EmailMessage()
    message["Subject"] = subject(facts)
    message["From"] = sender
    message["To"] = recipient(facts.full_name, facts.email)
    message["Date"] = format_datetime(sent_at)
    message["Message-ID"] = f"<{facts.mail_id}@{_domain(sender)}>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(
        body(facts, with_badge=bool(attachments)), cte="quoted-printable", charset="utf-8"
    )
    for attachment in attachments:
        message.add_attachment(
            attachment.data,
            maintype=attachment.maintype,
            subtype=attachment.subtype,
            filename=attachment.filename,
            params=dict(attachment.params),
        )
    message["Content-Language"] = "en, zh-Hant"  # set_content drops Content-* headers
    return message


def recipient(name: str, email: str) -> Address:
    """Return the To address; raise ValueError for an address SMTP cannot carry."""
    local, at, domain = email.strip().rpartition("@")
    if not at or not local or not domain:
        raise ValueError(f"{email!r} is not an e-mail address")
    try:
        return Address(display_name=name, username=local, domain=domain)
    except (ValueError, IndexError) as error:
        raise ValueError(f"{email!r} cannot be used as an e-mail address ({error})") from None


def _domain(sender: str) -> str:
    _, address = parseaddr(sender)
    return address.rpartition("@")[2] or "launch-events.invalid"
