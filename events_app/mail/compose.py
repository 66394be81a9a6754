"""The text of guest mails: one message in the guest's language, with attachments.

The words come from the mail catalogue, in the language the guest registered in
(`MailFacts.language`); a registration that recorded none (made before languages were,
or by an organiser at the door) gets English and Traditional Chinese side by side, as
every mail was before. Mails are written outside requests (by the sender), so each is
written under `force_locale` within an app context: the caller's app if it reads the
catalogues, else a bare one that only does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from functools import cache
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_app_context
from flask_babel import force_locale, gettext

from domain.common import N_
from domain.guest_mail import MailKind
from events_app import languages
from events_app.languages.dates import when_text
from events_app.languages.scripts import name_in
from events_app.languages.tags import NAMES, html_lang

ENGLISH, TRADITIONAL = "en", "zh_Hant_HK"
BILINGUAL = (ENGLISH, TRADITIONAL)
"""The languages of a mail whose guest's language is not recorded, in their order."""


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
    venue_zh: str
    timezone: str
    starts_at: datetime
    ends_at: datetime
    link: str
    language: str | None = None
    """The language the guest registered in; None: not recorded (a bilingual mail)."""
    deadline: datetime | None = None
    """An invitation's deadline to answer (None: not an invitation)."""

    @property
    def languages(self) -> tuple[str, ...]:
        """Return the languages the mail is written in, in order."""
        return (self.language,) if self.language else BILINGUAL


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
    """One kind of mail: its subject and the paragraph after the greeting (`%(title)s`)."""

    subject: str
    body: str


BADGE = N_(
    "Your badge is attached (badge.pdf): print it or keep it on your phone; its QR code is "
    "scanned at the entrance. The calendar entry (event.ics) adds the event to your calendar."
)

WORDING: dict[MailKind, Wording] = {
    MailKind.CONFIRMED: Wording(
        N_("Registration confirmed"),
        N_("Your registration for %(title)s is confirmed. We look forward to seeing you."),
    ),
    MailKind.PENDING: Wording(
        N_("Registration received, awaiting approval"),
        N_(
            "We have received your registration for %(title)s. It is awaiting the organisers' "
            "approval; we will write to you again as soon as they have decided."
        ),
    ),
    MailKind.WAITLISTED: Wording(
        N_("You are on the waitlist"),
        N_(
            "%(title)s is full at the moment, so your registration is on the waitlist. If a "
            "seat becomes free, waitlisted guests are confirmed in the order they registered, "
            "and we will write to you with your badge."
        ),
    ),
    MailKind.APPROVED: Wording(
        N_("Registration approved"),
        N_(
            "The organisers have approved your registration for %(title)s: your place is confirmed."
        ),
    ),
    MailKind.REJECTED: Wording(
        N_("Registration not accepted"),
        N_("We are sorry: the organisers could not accept your registration for %(title)s."),
    ),
    MailKind.PROMOTED: Wording(
        N_("A seat is free: your place is confirmed"),
        N_(
            "Good news: a seat has become free, and your registration for %(title)s has moved "
            "from the waitlist to confirmed."
        ),
    ),
    MailKind.CANCELLED: Wording(
        N_("Registration cancelled"),
        N_(
            "Your registration for %(title)s has been cancelled, and any badge issued for it "
            "no longer admits you. If this is a mistake, please register again or contact the "
            "organisers."
        ),
    ),
    MailKind.BADGE_REISSUED: Wording(
        N_("Your new badge"),
        N_(
            "A new badge has been issued for your registration for %(title)s. Your previous "
            "badge no longer works: please use the new one."
        ),
    ),
    MailKind.INVITATION: Wording(
        N_("You are invited"),
        N_(
            "The organisers invite you to %(title)s. A seat is held for you: please accept or "
            "decline with your personal link below."
        ),
    ),
    MailKind.INVITATION_REMINDER: Wording(
        N_("Reminder: please answer your invitation"),
        N_(
            "You have not yet answered your invitation to %(title)s. Your seat is held until "
            "the deadline: please accept or decline with your personal link below."
        ),
    ),
}


@cache
def catalogue_app() -> Flask:
    """Return a bare app that only reads the catalogues, for mails written outside any app."""
    app = Flask(__name__)
    languages.init_app(app)
    return app


@contextmanager
def in_language(language: str) -> Iterator[None]:
    """Translate into `language` (within the current app if it reads the catalogues)."""
    with ExitStack() as stack:
        if not (has_app_context() and "babel" in current_app.extensions):
            stack.enter_context(catalogue_app().app_context())
        stack.enter_context(force_locale(language))
        yield


def title(facts: MailFacts, language: str) -> str:
    """Return the gathering's title as a mail in `language` names it (in its script)."""
    return name_in(language, facts.title_en, facts.title_zh)


def venue(facts: MailFacts, language: str) -> str:
    """Return the venue as a mail in `language` names it (its Chinese in the mail's script)."""
    return name_in(language, facts.venue, facts.venue_zh)


def subject(facts: MailFacts) -> str:
    """Return the subject line: what happened (in each of the mail's languages), the title."""
    said = []
    for language in facts.languages:
        with in_language(language):
            said.append(gettext(WORDING[facts.kind].subject))
    first = facts.languages[0]
    with in_language(first):
        return gettext(
            "%(subject)s: %(title)s", subject=" / ".join(said), title=title(facts, first)
        )


def body(facts: MailFacts, *, with_badge: bool) -> str:
    """Return the plain-text body: in the guest's language, or in both, English first."""
    parts = [_paragraphs(facts, language, with_badge) for language in facts.languages]
    if len(parts) == 1:
        return "\n\n".join(parts[0]) + "\n"
    second = f"----- {NAMES[facts.languages[1]]} -----"
    return "\n\n".join([*parts[0], second, *parts[1]]) + "\n"


def _paragraphs(facts: MailFacts, language: str, with_badge: bool) -> list[str]:
    name = facts.full_name if language == ENGLISH else facts.name_zh or facts.full_name
    with in_language(language):
        paragraphs = [
            gettext("Dear %(name)s,", name=name),
            gettext(WORDING[facts.kind].body, title=title(facts, language)),
            gettext("When: %(when)s (%(zone)s)", when=when(facts, language), zone=zone_label(facts))
            + "\n"
            + gettext("Where: %(venue)s", venue=venue(facts, language)),
        ]
        if with_badge:
            paragraphs.append(gettext(BADGE))
        paragraphs.append(_link_paragraph(facts, language))
    return paragraphs


def _link_paragraph(facts: MailFacts, language: str) -> str:
    """Return the paragraph with the guest's link (and an invitation's deadline)."""
    if facts.deadline is None:
        return gettext("Your registration (to see it or cancel it):") + "\n" + facts.link
    deadline = when_text(facts.deadline, facts.timezone, language)
    return (
        gettext("Please answer by %(deadline)s (%(zone)s).", deadline=deadline, zone=facts.timezone)
        + "\n"
        + gettext("Your invitation (to accept or decline it):")
        + "\n"
        + facts.link
    )


def when(facts: MailFacts, language: str) -> str:
    """Return the event's day, start and end in the gathering's time zone, in `language`."""
    return when_text(facts.starts_at, facts.timezone, language, facts.ends_at)


def zone_label(facts: MailFacts) -> str:
    """Return the gathering's time zone and its offset then, e.g. Asia/Shanghai, UTC+08:00."""
    offset = f"{facts.starts_at.astimezone(ZoneInfo(facts.timezone)):%z}"
    return f"{facts.timezone}, UTC{offset[:3]}:{offset[3:]}"


def calendar_text(facts: MailFacts) -> tuple[str, str, str]:
    """Return the calendar entry's summary, location and description in the mail's languages."""
    titles, lines = [], []
    for language in facts.languages:
        titles.append(title(facts, language))
        with in_language(language):
            lines.append(gettext("Your registration: %(link)s", link=facts.link))
    places = [venue(facts, language) for language in facts.languages]
    return " / ".join(dict.fromkeys(titles)), " / ".join(dict.fromkeys(places)), "\n".join(lines)


def content_language(facts: MailFacts) -> str:
    """Return the Content-Language header of the mail."""
    return ", ".join(html_lang(language) for language in facts.languages)


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
    message["Content-Language"] = content_language(facts)  # set_content drops Content-*
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
