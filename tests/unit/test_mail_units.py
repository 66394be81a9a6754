"""Guest mails without a server: the .ics writer, the mail aggregate, settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from domain.errors import InvalidTransition
from domain.guest_mail import (
    FIRST_RETRY,
    LONGEST_WAIT,
    MAX_ATTEMPTS,
    GuestMail,
    MailKind,
    MailState,
    retry_delay,
)
from events_app.mail.ics import CalendarEvent, calendar, escape_text, fold, transitions
from events_app.mail.settings import MailConfigError, mail_settings
from events_app.mail.transport import ServerUnavailable, SmtpSettings, SmtpTransport
from tests.mail_support import SmtpServer, free_port

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)


def entry(timezone: str = "Asia/Shanghai", **changes: object) -> CalendarEvent:
    zone = ZoneInfo(timezone)
    fields: dict[str, object] = {
        "uid": "4d2c@launch-events",
        "starts_at": datetime(2026, 3, 2, 9, 30, tzinfo=zone),
        "ends_at": datetime(2026, 3, 2, 13, 0, tzinfo=zone),
        "timezone": timezone,
        "summary": "Launch ceremony, Hetao; 河套香港青年科創谷啟動儀式",
        "location": "Hong Kong Science Park Shenzhen Branch 香港科學園深圳分園, Futian\\Shenzhen",
        "description": "Your registration:\nhttps://example.org/gatherings/x/registrations/abc",
        "url": "https://example.org/gatherings/x/registrations/abc",
        "stamp": T0,
    }
    fields.update(changes)
    return CalendarEvent(**fields)  # type: ignore[arg-type]


def raw_lines(ics: bytes) -> list[bytes]:
    assert ics.endswith(b"\r\n")
    lines = ics[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in lines), "bare LF or CR"
    return lines


# The .ics file -----------------------------------------------------------------------


def test_every_line_is_crlf_terminated_and_folded_at_75_octets_without_splitting_characters() -> (
    None
):
    ics = calendar(entry(summary="河套" * 80, description="x;y," * 50))
    lines = raw_lines(ics)
    assert all(len(line) <= 75 for line in lines), [len(line) for line in lines]
    for line in lines:
        line.decode()  # a fold inside a UTF-8 character would not decode
    assert any(line.startswith(b" ") for line in lines)
    unfolded = ics.decode().replace("\r\n ", "")
    assert "SUMMARY:" + "河套" * 80 + "\r\n" in unfolded
    assert "DESCRIPTION:" + "x\\;y\\," * 50 + "\r\n" in unfolded


def test_fold_keeps_short_lines_and_splits_long_ones_at_75_octets() -> None:
    assert fold("SUMMARY:short") == b"SUMMARY:short\r\n"
    folded = fold("X:" + "a" * 200)
    first, *rest = folded[:-2].split(b"\r\n")
    assert len(first) == 75
    assert all(part.startswith(b" ") and len(part) <= 75 for part in rest)
    assert folded.replace(b"\r\n ", b"") == b"X:" + b"a" * 200 + b"\r\n"


def test_text_values_escape_backslash_semicolon_comma_and_newlines() -> None:
    assert escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


def test_the_calendar_parses_back_with_the_event_time_venue_and_link() -> None:
    parsed = Calendar.from_ical(calendar(entry()))
    assert str(parsed["VERSION"]) == "2.0"
    assert str(parsed["METHOD"]) == "PUBLISH"
    (event,) = parsed.walk("VEVENT")
    assert event.decoded("DTSTART") == datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert str(event["LOCATION"]).startswith("Hong Kong Science Park Shenzhen Branch 香港科學園")
    assert str(event["LOCATION"]).endswith("Futian\\Shenzhen")
    assert str(event["SUMMARY"]) == "Launch ceremony, Hetao; 河套香港青年科創谷啟動儀式"
    assert "\n" in str(event["DESCRIPTION"])
    assert str(event["URL"]) == "https://example.org/gatherings/x/registrations/abc"
    assert str(event["UID"]) == "4d2c@launch-events"
    assert event.decoded("DTSTAMP") == T0
    (zone,) = parsed.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Asia/Shanghai"
    local = zone.to_tz().utcoffset(datetime(2026, 3, 2, 9, 30))  # type: ignore[union-attr]
    assert local == timedelta(hours=8)


@pytest.mark.parametrize(
    "timezone",
    [
        "Europe/London",
        "America/New_York",
        "Australia/Lord_Howe",
        "America/Santiago",
        "Asia/Shanghai",
    ],
)
def test_the_vtimezone_gives_the_zones_offsets_through_its_changes(timezone: str) -> None:
    zone = ZoneInfo(timezone)
    ics = calendar(entry(timezone, starts_at=datetime(2026, 3, 30, 9, 30, tzinfo=zone)))
    (vtimezone,) = Calendar.from_ical(ics).walk("VTIMEZONE")
    written = vtimezone.to_tz(lookup_tzid=False)  # from the STANDARD/DAYLIGHT blocks alone
    assert not isinstance(written, ZoneInfo)
    changes = transitions(zone, datetime(2025, 4, 1, tzinfo=UTC), datetime(2027, 3, 1, tzinfo=UTC))
    assert (len(changes) >= 3) is (timezone != "Asia/Shanghai")
    moments = [change + timedelta(minutes=m) for change in changes for m in range(-180, 181, 15)]
    moments += [datetime(2025, 4, 1, tzinfo=UTC) + timedelta(hours=7 * n) for n in range(2400)]
    for moment in moments:
        local = moment.astimezone(zone)
        if local.fold:
            continue  # a wall time that occurs twice: its first occurrence is checked
        wall = local.replace(tzinfo=None)
        assert written.utcoffset(wall) == local.utcoffset(), (timezone, moment, wall)


def test_a_gathering_in_utc_gets_utc_times_and_no_vtimezone() -> None:
    ics = calendar(
        entry(
            "UTC",
            starts_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
            ends_at=datetime(2026, 3, 2, 12, 0, tzinfo=UTC),
        )
    ).decode()
    assert "BEGIN:VTIMEZONE" not in ics
    assert "DTSTART:20260302T093000Z\r\n" in ics
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    assert event.decoded("DTEND") == datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


# The mail aggregate --------------------------------------------------------------------


def queued() -> GuestMail:
    return GuestMail.queue(
        registration_id=uuid4(),
        registration_version=1,
        gathering_id=uuid4(),
        kind=MailKind.CONFIRMED,
        recipient="a@example.org",
        at=T0,
        actor="system",
    )


def test_one_mail_per_registration_event_by_its_id() -> None:
    registration_id = uuid4()
    assert GuestMail.create_id(registration_id, 2) == GuestMail.create_id(registration_id, 2)
    assert GuestMail.create_id(registration_id, 2) != GuestMail.create_id(registration_id, 3)
    mail = queued()
    assert mail.id == GuestMail.create_id(mail.registration_id, 1)
    assert (mail.state, mail.next_attempt_at, mail.attempts) == (MailState.QUEUED, T0, 0)


def test_temporary_failures_back_off_doubling_up_to_an_hour_then_give_up() -> None:
    assert [retry_delay(n) for n in (1, 2, 3)] == [FIRST_RETRY, FIRST_RETRY * 2, FIRST_RETRY * 4]
    assert retry_delay(30) == LONGEST_WAIT
    mail = queued()
    at = T0
    for attempt in range(1, MAX_ATTEMPTS):
        mail.delivery_failed(at, "system", "connection refused", permanent=False)
        assert mail.attempts == attempt
        assert mail.next_attempt_at == at + retry_delay(attempt)
        assert not mail.gave_up
    mail.delivery_failed(at, "system", "connection refused", permanent=False)
    assert mail.gave_up
    assert mail.next_attempt_at is None
    assert mail.state is MailState.FAILED


def test_a_permanent_failure_gives_up_at_once_and_a_retry_brings_it_back() -> None:
    mail = queued()
    mail.delivery_failed(T0, "system", "550 no such user", permanent=True)
    assert mail.gave_up
    assert mail.last_error == "550 no such user"
    mail.requeue(T0 + timedelta(hours=1), "cli")
    assert not mail.gave_up
    assert mail.next_attempt_at == T0 + timedelta(hours=1)
    mail.delivered(T0 + timedelta(hours=1), "system", "smtp")
    assert (mail.state, mail.attempts, mail.next_attempt_at) == (MailState.SENT, 2, None)


def test_a_sent_mail_cannot_fail_be_sent_again_or_retried() -> None:
    mail = queued()
    mail.delivered(T0, "system", "smtp")
    with pytest.raises(InvalidTransition):
        mail.delivered(T0, "system", "smtp")
    with pytest.raises(InvalidTransition):
        mail.delivery_failed(T0, "system", "late", permanent=False)
    with pytest.raises(InvalidTransition):
        mail.requeue(T0, "cli")
    with pytest.raises(InvalidTransition):
        queued().requeue(T0, "cli")  # never failed


# Settings and the SMTP session ---------------------------------------------------------


def test_settings_default_to_the_outbox_folder_and_no_thread_in_tests() -> None:
    settings = mail_settings({}, "/srv/instance", testing=True)
    assert settings.smtp is None
    assert settings.outbox_dir == "/srv/instance/outbox"
    assert settings.sender_thread is False
    assert mail_settings({}, "/srv/instance").sender_thread is True
    assert mail_settings({"MAIL_SENDER_THREAD": "on"}, "/i", testing=True).sender_thread
    assert not mail_settings({"MAIL_SENDER_THREAD": "off"}, "/i").sender_thread


def test_smtp_settings_are_read_and_checked() -> None:
    settings = mail_settings(
        {
            "MAIL_SMTP_HOST": "smtp.example.org",
            "MAIL_SMTP_PORT": "2525",
            "MAIL_SMTP_SECURITY": "STARTTLS",
            "MAIL_SMTP_USER": "launch",
            "MAIL_SMTP_PASSWORD": "secret",
        },
        "/i",
    )
    assert settings.smtp == SmtpSettings(
        host="smtp.example.org", port=2525, security="starttls", user="launch", password="secret"
    )
    with pytest.raises(MailConfigError, match="MAIL_SMTP_SECURITY"):
        mail_settings({"MAIL_SMTP_HOST": "h", "MAIL_SMTP_SECURITY": "tls1.3"}, "/i")
    with pytest.raises(MailConfigError, match="MAIL_SMTP_PORT"):
        mail_settings({"MAIL_SMTP_HOST": "h", "MAIL_SMTP_PORT": "twenty-five"}, "/i")
    with pytest.raises(MailConfigError, match="MAIL_SENDER_THREAD"):
        mail_settings({"MAIL_SENDER_THREAD": "sometimes"}, "/i")


def test_an_unreachable_server_is_told_in_plain_words() -> None:
    port = free_port()
    transport = SmtpTransport(SmtpSettings(host="127.0.0.1", port=port, timeout=2))
    with pytest.raises(ServerUnavailable) as caught, transport.session():
        pass
    assert caught.value.message == (
        f"the mail server at 127.0.0.1:{port} refused the connection "
        "(is it running, and is the port right?)"
    )
    assert not caught.value.permanent


def test_starttls_asked_of_a_server_without_it_points_at_the_setting() -> None:
    server = SmtpServer().start()
    try:
        transport = SmtpTransport(
            SmtpSettings(host="127.0.0.1", port=server.port, security="starttls", timeout=5)
        )
        with pytest.raises(ServerUnavailable, match="MAIL_SMTP_SECURITY"), transport.session():
            pass
    finally:
        server.stop()
