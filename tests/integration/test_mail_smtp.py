"""Guest e-mails end to end, against a real SMTP server (aiosmtpd) started by each test.

On SQLite and PostgreSQL: what a confirmed guest receives (badge PDF, .ics), a mail for
every change of a registration, an unreachable server (the mail waits, with its failure
shown, and goes once the server is back), the outbox folder when no server is set, no
mail twice, and requests that never wait for the mail server.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar

from events_app.context import open_services
from events_app.mail import MailSettings, Outbox
from events_app.mail.listing import VIEW_POSITION
from events_app.mail.transport import SmtpSettings
from tests.conftest import SLUG, FakeClock, gathering_payload, guest, services_of
from tests.mail_support import (
    BlackHole,
    SmtpServer,
    attachments,
    eventually,
    free_port,
    mail_app,
    pdf_text,
    smtp_config,
    text_of,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
MAIL = f"/api/v1/gatherings/{SLUG}/mail"
TITLE = ": Launch ceremony of the Hetao Hong Kong Youth Innovation Valley"
WITH_BADGE = {"confirmed", "approved", "promoted", "badge_reissued"}


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A running SMTP server on a free loopback port."""
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def make(database_url: str, clock: FakeClock, tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Create apps on the store under test with mail settings; close them afterwards."""
    made: list[Flask] = []

    def factory(**config: Any) -> Flask:
        app = mail_app(database_url, clock, tmp_path, **config)
        made.append(app)
        return app

    yield factory
    for app in made:
        services_of(app).close()


def organiser_headers(app: Flask) -> dict[str, str]:
    token, _ = services_of(app).box_office.issue_organiser_token("alice")
    return {"Authorization": f"Bearer {token}"}


def open_gathering(app: Flask, **overrides: Any) -> tuple[FlaskClient, dict[str, str]]:
    client = app.test_client()
    headers = organiser_headers(app)
    response = client.post(
        "/api/v1/gatherings", json=gathering_payload(**overrides), headers=headers
    )
    assert response.status_code == 201, response.json
    return client, headers


def register(client: FlaskClient, n: int, **overrides: Any) -> dict[str, Any]:
    response = client.post(f"/api/v1/gatherings/{SLUG}/registrations", json=guest(n, **overrides))
    assert response.status_code == 201, response.json
    return dict(response.json)


def outbox(app: Flask) -> Outbox:
    return services_of(app).outbox  # type: ignore[no-any-return]


def listed(client: FlaskClient, headers: dict[str, str], query: str = "") -> dict[str, Any]:
    response = client.get(f"{MAIL}{query}", headers=headers)
    assert response.status_code == 200, response.json
    return dict(response.json)


# What a confirmed guest receives -----------------------------------------------------------


def test_a_confirmed_guest_gets_a_mail_with_badge_pdf_and_calendar_entry(
    make: Callable[..., Flask], smtp: SmtpServer, tmp_path: Path
) -> None:
    """A registration that states no language: English and Traditional Chinese, as before."""
    app = make(**smtp_config(smtp.port))
    client, headers = open_gathering(app)
    registration = register(
        client, 1, full_name="Chan Tai Man", name_zh="陳大文", email="tai.man@example.org"
    )
    assert registration["state"] == "confirmed"
    assert registration["language"] is None

    report = outbox(app).run_once()

    assert len(report.sent) == 1
    assert report.failed == []
    (message,) = smtp.inbox.wait_for(1)
    assert smtp.inbox.envelopes == [("launch@example.org", ["tai.man@example.org"])]
    assert message["Subject"] == (
        "Registration confirmed / 報名已確認: "
        "Launch ceremony of the Hetao Hong Kong Youth Innovation Valley"
    )
    assert message["To"].addresses[0].addr_spec == "tai.man@example.org"
    assert message["From"].addresses[0].addr_spec == "launch@example.org"
    text = text_of(message)
    english, chinese = text.split("----- 繁體中文 -----")
    assert "Dear Chan Tai Man," in english
    assert "is confirmed" in english
    assert "Monday 2 March 2026, 09:30–13:00 (Asia/Shanghai, UTC+08:00)" in english
    assert "Where: Hong Kong Science Park Shenzhen Branch\r\n" in english
    assert "陳大文您好：" in chinese
    assert "地點：香港科學園深圳分園\r\n" in chinese
    assert "「河套香港青年科創谷啟動儀式」已獲確認" in chinese
    assert "2026年3月2日（星期一）09:30–13:00" in chinese
    link = registration["confirmation_url"]
    assert link.startswith("http://localhost/gatherings/launch-2026/registrations/")
    assert link in english
    assert link in chinese
    assert client.get(link).status_code == 200  # the link opens the guest's own page

    files = attachments(message)
    assert set(files) == {"badge.pdf", "event.ics"}
    pdf_type, pdf = files["badge.pdf"]
    assert pdf_type == "application/pdf"
    assert pdf.startswith(b"%PDF-")
    assert "Chan Tai Man" in pdf_text(pdf, tmp_path)

    ics_type, ics = files["event.ics"]
    assert ics_type == "text/calendar"
    lines = ics[:-2].split(b"\r\n")
    assert ics.endswith(b"\r\n")
    assert all(len(line) <= 75 and b"\n" not in line for line in lines)
    calendar = Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI)
    assert event.decoded("DTEND") == datetime(2026, 3, 2, 13, 0, tzinfo=SHANGHAI)
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert str(event["LOCATION"]) == "Hong Kong Science Park Shenzhen Branch / 香港科學園深圳分園"
    assert str(event["SUMMARY"]) == TITLE.removeprefix(": ") + " / 河套香港青年科創谷啟動儀式"
    assert str(event["URL"]) == link
    assert str(event["UID"]) == f"{registration['id']}@launch-events"
    (zone,) = calendar.walk("VTIMEZONE")
    written = zone.to_tz(lookup_tzid=False)
    assert written.utcoffset(datetime(2026, 3, 2, 9, 30)) == timedelta(hours=8)

    page = listed(client, headers)
    assert page["total"] == 1
    (item,) = page["items"]
    assert item["kind"] == "confirmed"
    assert item["to"] == "tai.man@example.org"
    assert item["state"] == "sent"
    assert item["attempts"] == 1
    assert item["registration_id"] == registration["id"]
    assert item["via"] == f"smtp 127.0.0.1:{smtp.port}"
    assert page["counts"] == {"queued": 0, "failed": 0, "sent": 1, "cancelled": 0}


def test_every_change_of_a_registration_sends_its_own_mail(
    make: Callable[..., Flask], smtp: SmtpServer
) -> None:
    app = make(**smtp_config(smtp.port))
    client, headers = open_gathering(
        app,
        capacity=2,
        categories={
            "guest": {"capacity": None, "approval_required": False},
            "vip": {"capacity": None, "approval_required": True},
            "press": {"capacity": None, "approval_required": True},
        },
    )
    first = register(client, 1)  # confirmed
    vip = register(client, 2, category="vip")  # pending
    assert client.post(f"/api/v1/registrations/{vip['id']}/approve", headers=headers).json[
        "state"
    ] == ("confirmed")
    waiting = register(client, 3)  # the gathering is full: waitlisted
    assert waiting["state"] == "waitlisted"
    press = register(client, 4, category="press")
    client.post(f"/api/v1/registrations/{press['id']}/reject", headers=headers)
    late_vip = register(client, 5, category="vip")
    approved = client.post(f"/api/v1/registrations/{late_vip['id']}/approve", headers=headers)
    assert approved.json["state"] == "waitlisted"  # approved, but no seat
    cancelled = client.post(f"/api/v1/registrations/{first['id']}/cancel", headers=headers)
    assert cancelled.status_code == 200  # the seat goes to guest 3, first on the waitlist
    reissued = client.post(f"/api/v1/registrations/{vip['id']}/reissue-badge", headers=headers)
    assert reissued.status_code == 200, reissued.json

    report = outbox(app).run_once()

    expected = {
        "guest1@example.org": ["confirmed", "cancelled"],
        "guest2@example.org": ["pending", "approved", "badge_reissued"],
        "guest3@example.org": ["waitlisted", "promoted"],
        "guest4@example.org": ["pending", "rejected"],
        "guest5@example.org": ["pending", "waitlisted"],
    }
    count = sum(len(kinds) for kinds in expected.values())
    assert len(report.sent) == count
    smtp.inbox.wait_for(count)
    subjects = {
        "confirmed": "Registration confirmed / 報名已確認",
        "pending": "Registration received, awaiting approval / 已收到報名，正等待審批",
        "approved": "Registration approved / 報名已獲批准",
        "waitlisted": "You are on the waitlist / 已列入候補名單",
        "rejected": "Registration not accepted / 報名未獲接納",
        "promoted": "A seat is free: your place is confirmed / 候補成功，名額已確認",
        "cancelled": "Registration cancelled / 報名已取消",
        "badge_reissued": "Your new badge / 新入場證",
    }
    for address, kinds in expected.items():
        received = smtp.inbox.to(address)
        assert [str(m["Subject"]).removesuffix(TITLE) for m in received] == [
            subjects[kind] for kind in kinds
        ], address
        for kind, message in zip(kinds, received, strict=True):
            files = set(attachments(message))
            assert files == ({"badge.pdf", "event.ics"} if kind in WITH_BADGE else set()), kind
            assert "/gatherings/launch-2026/registrations/" in text_of(message)

    page = listed(client, headers)
    assert [item["kind"] for item in page["items"] if item["to"] == "guest2@example.org"] == [
        "pending",
        "approved",
        "badge_reissued",
    ]
    assert page["counts"]["sent"] == count
    assert page["total"] == count


# An unreachable server --------------------------------------------------------------------


def test_an_unreachable_server_keeps_the_mail_queued_until_it_is_back_then_sends_it_once(
    make: Callable[..., Flask], clock: FakeClock
) -> None:
    port = free_port()  # nobody listens yet
    app = make(**smtp_config(port))
    client, headers = open_gathering(app)
    registration = register(client, 1)  # the guest's request succeeds
    assert registration["state"] == "confirmed"

    report = outbox(app).run_once()

    refused = f"the mail server at 127.0.0.1:{port} refused the connection"
    assert report.sent == []
    assert len(report.failed) == 1
    assert report.failed[0][1].startswith(refused)
    failed = listed(client, headers, "?state=failed")
    (item,) = failed["items"]
    assert item["state"] == "failed"
    assert item["attempts"] == 1
    assert item["last_error"].startswith(refused)
    assert item["gave_up"] is False
    assert item["next_attempt_at"] == (clock.now + timedelta(seconds=30)).isoformat()
    assert listed(client, headers, "?state=sent")["total"] == 0
    cli = app.test_cli_runner().invoke(args=["mail", "list", "--failed"])
    assert cli.exit_code == 0, cli.output
    assert refused in cli.output
    assert "guest1@example.org" in cli.output

    assert outbox(app).run_once().failed == []  # not due yet: no new attempt
    assert listed(client, headers)["items"][0]["attempts"] == 1

    server = SmtpServer(port).start()
    try:
        clock.advance(seconds=31)
        report = outbox(app).run_once()
        assert len(report.sent) == 1
        server.inbox.wait_for(1)
        assert outbox(app).run_once().sent == []
        clock.advance(hours=2)
        assert outbox(app).run_once().sent == []
        time.sleep(0.2)
        assert len(server.inbox.messages) == 1
        assert server.inbox.messages[0]["Subject"].startswith("Registration confirmed")
    finally:
        server.stop()
    (item,) = listed(client, headers)["items"]
    assert (item["state"], item["attempts"], item["last_error"]) == ("sent", 2, item["last_error"])
    assert item["next_attempt_at"] is None


def test_flask_mail_send_tells_why_nothing_went_and_sends_once_the_server_is_up(
    make: Callable[..., Flask],
) -> None:
    port = free_port()
    app = make(**smtp_config(port))
    client, _ = open_gathering(app)
    register(client, 1)
    runner = app.test_cli_runner()

    down = runner.invoke(args=["mail", "send"])

    assert down.exit_code == 1
    assert "sent 0 mail(s)" in down.output
    assert f"1 mail(s) not sent: the mail server at 127.0.0.1:{port} refused" in down.output
    assert "They stay in the outbox" in down.output
    server = SmtpServer(port).start()
    try:
        up = runner.invoke(args=["mail", "send", "--all"])  # without waiting for the retry
        assert up.exit_code == 0, up.output
        assert "sent 1 mail(s)" in up.output
        server.inbox.wait_for(1)
    finally:
        server.stop()
    listing = runner.invoke(args=["mail", "list", "--gathering", SLUG, "--state", "sent"])
    assert "sent" in listing.output
    assert "1 mail(s)" in listing.output


def test_a_recipient_refused_for_good_is_given_up_and_an_organiser_can_retry_it(
    make: Callable[..., Flask], smtp: SmtpServer, clock: FakeClock
) -> None:
    smtp.inbox.refuse["gone@example.org"] = "550 5.1.1 mailbox unavailable"
    smtp.inbox.refuse["busy@example.org"] = "451 4.3.0 try again later"
    app = make(**smtp_config(smtp.port))
    client, headers = open_gathering(app)
    register(client, 1, email="gone@example.org")
    register(client, 2, email="busy@example.org")
    register(client, 3)

    report = outbox(app).run_once()

    assert len(report.sent) == 1  # the third guest's mail goes despite the others
    items = {item["to"]: item for item in listed(client, headers, "?state=failed")["items"]}
    gone, busy = items["gone@example.org"], items["busy@example.org"]
    assert "550 5.1.1 mailbox unavailable" in gone["last_error"]
    assert (gone["gave_up"], gone["next_attempt_at"]) == (True, None)
    assert "451 4.3.0 try again later" in busy["last_error"]
    assert busy["gave_up"] is False
    clock.advance(hours=3)
    outbox(app).run_once()
    items = {item["to"]: item for item in listed(client, headers)["items"]}
    assert items["gone@example.org"]["attempts"] == 1  # given up: not tried again
    assert items["busy@example.org"]["attempts"] == 2  # temporary: tried again

    del smtp.inbox.refuse["gone@example.org"]  # e.g. the guest's mailbox is back
    retried = app.test_cli_runner().invoke(args=["mail", "retry", gone["id"]])
    assert retried.exit_code == 0, retried.output
    assert len(outbox(app).run_once().sent) == 1
    assert len(smtp.inbox.to("gone@example.org")) == 1
    again = app.test_cli_runner().invoke(args=["mail", "retry", gone["id"]])
    assert again.exit_code == 1
    assert "only a failed mail can be retried" in again.output


# No SMTP server configured ----------------------------------------------------------------


def test_without_an_smtp_server_the_mails_are_written_to_the_outbox_folder(
    make: Callable[..., Flask], tmp_path: Path
) -> None:
    app = make()  # no MAIL_SMTP_HOST
    client, headers = open_gathering(app)
    register(client, 1)
    register(client, 2, category="vip")

    report = outbox(app).run_once()

    folder = tmp_path / "outbox"
    files = sorted(folder.glob("*.eml"))
    assert len(report.sent) == 2
    assert sorted(path.stem for path in files) == sorted(report.sent)
    import email
    import email.policy

    messages = {
        path.stem: email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in files
    }
    by_to = {str(m["To"]): m for m in messages.values()}
    confirmed = by_to["Guest Number 1 <guest1@example.org>"]
    pending = by_to["Guest Number 2 <guest2@example.org>"]
    assert set(attachments(confirmed)) == {"badge.pdf", "event.ics"}  # type: ignore[arg-type]
    assert "awaiting approval" in pending["Subject"]
    items = listed(client, headers)["items"]
    assert {item["via"] for item in items} == {f"file {path}" for path in files}
    written = {path: path.stat().st_mtime_ns for path in files}
    assert outbox(app).run_once().sent == []
    assert {path: path.stat().st_mtime_ns for path in folder.glob("*.eml")} == written


# Nothing twice ----------------------------------------------------------------------------


def test_processing_the_log_again_or_in_another_process_sends_nothing_twice(
    make: Callable[..., Flask],
    smtp: SmtpServer,
    database_url: str,
    clock: FakeClock,
    tmp_path: Path,
) -> None:
    app = make(**smtp_config(smtp.port))
    client, headers = open_gathering(app)
    register(client, 1)
    register(client, 2)
    first = outbox(app).run_once()
    assert len(first.sent) == 2
    before = listed(client, headers)["items"]

    # As if a pass had stopped before storing how far it got: the whole log again.
    with services_of(app).database.transaction(exclusive=True) as tx:
        tx.execute("UPDATE rm_positions SET position = 0 WHERE name = 'mail:queue'")
    assert outbox(app).run_once().sent == []
    assert outbox(app).rebuild() > 0
    assert listed(client, headers)["items"] == before

    other = open_services(
        database_url,
        str(tmp_path),
        clock,
        secret_key="test-secret-key",
        mail=MailSettings(
            outbox_dir=str(tmp_path / "other"), smtp=SmtpSettings("127.0.0.1", smtp.port)
        ),
    )
    try:
        assert other.outbox.run_once().sent == []
        register(client, 3)
        assert len(other.outbox.run_once().sent) == 1  # a new one, sent by the other process
        assert outbox(app).run_once().sent == []
    finally:
        other.close()
    time.sleep(0.2)
    assert sorted(str(m["To"]) for m in smtp.inbox.messages) == [
        f"Guest Number {n} <guest{n}@example.org>" for n in (1, 2, 3)
    ]


def test_two_processes_sending_at_once_never_send_a_mail_twice(
    make: Callable[..., Flask],
    smtp: SmtpServer,
    database_url: str,
    clock: FakeClock,
    tmp_path: Path,
) -> None:
    smtp.inbox.delay = 0.05  # a slow server, so that the passes overlap
    app = make(**smtp_config(smtp.port))
    client, _ = open_gathering(app)
    for n in range(1, 9):
        register(client, n)
    other = open_services(
        database_url,
        str(tmp_path),
        clock,
        secret_key="test-secret-key",
        mail=MailSettings(
            outbox_dir=str(tmp_path / "other"), smtp=SmtpSettings("127.0.0.1", smtp.port)
        ),
    )
    reports: list[Any] = []
    barrier = threading.Barrier(4)

    def send(box: Outbox) -> None:
        barrier.wait(timeout=10)
        reports.append(box.run_once(wait=False))

    try:
        threads = [
            threading.Thread(target=send, args=(box,))
            for box in (outbox(app), other.outbox, outbox(app), other.outbox)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sum(len(report.sent) for report in reports) == 8
        assert sum(report.busy for report in reports) >= 1
        smtp.inbox.wait_for(8)
        time.sleep(0.3)
        ids = [str(m["Message-ID"]) for m in smtp.inbox.messages]
        assert len(ids) == 8
        assert len(set(ids)) == 8
    finally:
        other.close()


# The guest's request never waits for SMTP --------------------------------------------------


def test_requests_do_not_wait_for_a_mail_server_that_hangs(
    make: Callable[..., Flask], smtp: SmtpServer
) -> None:
    hole = BlackHole()  # accepts connections, never answers
    try:
        app = make(
            **smtp_config(
                hole.port,
                MAIL_SENDER_THREAD="on",
                MAIL_POLL_SECONDS="0.05",
                MAIL_SMTP_TIMEOUT="3",
            )
        )
        client, headers = open_gathering(app)  # the first request starts the sender thread
        started = time.monotonic()
        registration = register(client, 1)
        page = listed(client, headers)
        elapsed = time.monotonic() - started
        assert registration["state"] == "confirmed"
        assert elapsed < 1.5, f"the requests took {elapsed:.1f} s"
        eventually(lambda: listed(client, headers, "?state=failed")["total"] == 1, timeout=20)
        (item,) = listed(client, headers, "?state=failed")["items"]
        assert item["last_error"] == (
            f"the mail server at 127.0.0.1:{hole.port} did not answer within 3 s"
        )
        assert page["total"] in (0, 1)
    finally:
        hole.close()


def test_the_sender_thread_sends_by_itself_when_switched_on(
    make: Callable[..., Flask], smtp: SmtpServer
) -> None:
    app = make(**smtp_config(smtp.port, MAIL_SENDER_THREAD="on", MAIL_POLL_SECONDS="0.05"))
    client, headers = open_gathering(app)
    register(client, 1)
    (message,) = smtp.inbox.wait_for(1)  # no one called the outbox
    assert message["Subject"].startswith("Registration confirmed")
    eventually(lambda: listed(client, headers, "?state=sent")["total"] == 1)


def test_in_tests_the_sender_thread_is_off_unless_asked(
    make: Callable[..., Flask], smtp: SmtpServer
) -> None:
    app = make(**smtp_config(smtp.port, MAIL_POLL_SECONDS="0.05"))
    client, headers = open_gathering(app)
    register(client, 1)
    time.sleep(0.5)
    assert smtp.inbox.messages == []
    assert listed(client, headers, "?state=queued")["total"] == 1


# The organisers' endpoint -------------------------------------------------------------------


def test_the_mail_endpoint_answers_errors_in_the_shared_shape(
    make: Callable[..., Flask],
) -> None:
    app = make()
    client, headers = open_gathering(app)
    assert client.get(MAIL).status_code == 401
    assert client.get(MAIL, headers={"Authorization": "Bearer nope"}).status_code == 401
    unknown = client.get("/api/v1/gatherings/no-such-event/mail", headers=headers)
    assert unknown.status_code == 404
    assert unknown.json["error"]["code"] == "not_found"
    bad = client.get(f"{MAIL}?state=lost", headers=headers)
    assert bad.status_code == 422
    assert bad.json["error"]["code"] == "validation_failed"
    assert bad.json["error"]["field"].startswith("state")
    spec = client.get("/api/v1/openapi.json").json
    operation = spec["paths"]["/api/v1/gatherings/{slug}/mail"]["get"]
    assert {"200", "401", "403", "404", "422"} <= set(operation["responses"])
    assert operation["security"] == [{"organiserToken": []}]
    assert {p["name"] for p in operation["parameters"]} >= {"state", "limit", "offset"}


def test_an_outbox_on_an_existing_store_starts_at_the_end_of_the_log(
    database_url: str, clock: FakeClock, tmp_path: Path, smtp: SmtpServer
) -> None:
    """Old registrations get no mail when the outbox first runs on a store that had them."""
    app = mail_app(database_url, clock, tmp_path, **smtp_config(smtp.port))
    try:
        client, _ = open_gathering(app)
        register(client, 1)
        with services_of(app).database.transaction(exclusive=True) as tx:
            tx.execute("DROP TABLE mail_messages")
            # as before the outbox existed
            tx.execute("DELETE FROM rm_positions WHERE name LIKE ?", ("mail:%",))
    finally:
        services_of(app).close()
    app = mail_app(database_url, clock, tmp_path, **smtp_config(smtp.port))
    try:
        client = app.test_client()
        register(client, 2)
        assert len(outbox(app).run_once().sent) == 1
        assert [str(m["To"]) for m in smtp.inbox.wait_for(1)] == [
            "Guest Number 2 <guest2@example.org>"
        ]
    finally:
        services_of(app).close()


def test_an_outbox_that_kept_its_own_positions_goes_on_from_them(
    database_url: str, clock: FakeClock, tmp_path: Path, smtp: SmtpServer
) -> None:
    """A store whose outbox kept `mail_positions` neither loses nor repeats a mail."""
    app = mail_app(database_url, clock, tmp_path, **smtp_config(smtp.port))
    try:
        client, _ = open_gathering(app)
        register(client, 1)
        assert len(outbox(app).run_once().sent) == 1
        register(client, 2)  # after the outbox's last pass: not queued yet
        with services_of(app).database.transaction(exclusive=True) as tx:
            mine = "SELECT name, position FROM rm_positions WHERE name LIKE ?"
            positions = tx.execute(mine, ("mail:%",)).all()
            tx.execute("CREATE TABLE mail_positions (name TEXT PRIMARY KEY, position BIGINT)")
            tx.execute_many("INSERT INTO mail_positions (name, position) VALUES (?, ?)", positions)
            tx.execute("DELETE FROM rm_positions WHERE name LIKE ?", ("mail:%",))
    finally:
        services_of(app).close()
    app = mail_app(database_url, clock, tmp_path, **smtp_config(smtp.port))
    try:
        assert len(outbox(app).run_once().sent) == 1
        assert [str(m["To"]) for m in smtp.inbox.wait_for(2)] == [
            "Guest Number 1 <guest1@example.org>",
            "Guest Number 2 <guest2@example.org>",
        ]
        items = listed(app.test_client(), organiser_headers(app))["items"]
        assert [item["state"] for item in items] == ["sent", "sent"]
        with services_of(app).database.transaction() as tx:
            moved = tx.execute(mine + " ORDER BY name", ("mail:%",)).all()
        assert [name for name, _ in moved] == ["mail:queue", VIEW_POSITION]
    finally:
        services_of(app).close()


def test_the_mail_time_is_the_clock_of_the_app(
    make: Callable[..., Flask], smtp: SmtpServer, clock: FakeClock
) -> None:
    app = make(**smtp_config(smtp.port))
    client, _ = open_gathering(app)
    register(client, 1)
    clock.advance(minutes=5)
    outbox(app).run_once()
    (message,) = smtp.inbox.wait_for(1)
    assert message["Date"].datetime == datetime(2026, 2, 1, 9, 5, tzinfo=UTC)
