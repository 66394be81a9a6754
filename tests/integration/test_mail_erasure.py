"""Erasing a guest from the outbox: sealed recipients, cancelled mails, deleted .eml files."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from flask import Flask

from domain.guest_mail import ERASED_REASON, GuestMail, MailKind, MailState
from domain.registration import Registration
from events_app import create_app
from events_app.mail.transport import FolderTransport
from tests.conftest import SLUG, FakeClock, services_of
from tests.integration.test_mail_smtp import open_gathering, organiser_headers
from tests.integration.test_personal_data import (
    EMAIL,
    NAME,
    _postgres_url,
    details,
    invitee,
    leaked,
)
from tests.mail_support import SmtpServer, mail_app, smtp_config


@pytest.fixture
def mailing(database_url: str, clock: FakeClock, tmp_path: Path) -> Iterator[Flask]:
    """An app writing its mails to the outbox folder, with the test gathering."""
    app = mail_app(database_url, clock, tmp_path)
    open_gathering(app)
    yield app
    services_of(app).close()


def register(app: Flask) -> Registration:
    """Register the distinctive guest through the services (no read model is asked)."""
    return services_of(app).box_office.register_placed(SLUG, details(), "guest").registration  # type: ignore[no-any-return]


def mails(app: Flask) -> list[GuestMail]:
    """Return every mail of the store, as it is now."""
    services = services_of(app)
    rows, _ = services.outbox.search(limit=1000)
    return [services.box_office.load(GuestMail, UUID(row.id), "mail") for row in rows]


def listing_text(app: Flask) -> str:
    """Return every row of the mail listing as text."""
    with services_of(app).database.transaction() as tx:
        return repr(tx.execute("SELECT * FROM mail_messages").all())


def events_text(app: Flask) -> str:
    """Return every mail event as stored, decoded (personal data opened when they can be)."""
    box_office = services_of(app).box_office
    return "".join(
        json.dumps(vars(e), default=_plain, ensure_ascii=False)
        for mail in mails(app)
        for e in box_office.events.get(mail.id)
    )


def _plain(value: Any) -> Any:
    return dict(value) if isinstance(value, Mapping) else str(value)


def folder_bytes(folder: Path) -> bytes:
    """Return what every file in the folder holds (hidden temporaries too)."""
    return b"".join(f.read_bytes() for f in sorted(folder.rglob("*")) if f.is_file())


def sqlite_bytes(tmp_path: Path) -> bytes:
    """Return the SQLite file's bytes after its log is copied back and emptied."""
    path = tmp_path / "events.sqlite"
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    files = [path, tmp_path / "events.sqlite-wal"]
    return b"".join(f.read_bytes() for f in files if f.exists())


def pg_dump(storage: Any) -> bytes:
    """Return a dump of the test's PostgreSQL schema (every table: events, keys, listing)."""
    dump = subprocess.run(
        ["pg_dump", "--data-only", "-n", storage.schema, "-d", _postgres_url(storage)],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return dump.stdout


def everything_of(app: Flask, tmp_path: Path) -> dict[str, str]:
    """Return where the guest's details are still found: listing, events, folder, file."""
    places = {
        "listing": listing_text(app).encode(),
        "events": events_text(app).encode(),
        "outbox folder": folder_bytes(tmp_path / "outbox"),
    }
    storage = services_of(app).storage
    if storage.kind == "sqlite":
        places["sqlite file"] = sqlite_bytes(tmp_path)
    else:
        places["pg_dump"] = pg_dump(storage)
    return {place: ", ".join(found) for place, data in places.items() if (found := leaked(data))}


def test_erasure_cancels_the_queued_mail_and_deletes_the_sent_ones_file(
    mailing: Flask, tmp_path: Path
) -> None:
    services = services_of(mailing)
    registration = register(mailing)
    assert len(services.outbox.run_once().sent) == 1
    assert EMAIL.encode() in folder_bytes(tmp_path / "outbox")  # the check can fail
    assert EMAIL in listing_text(mailing)
    assert EMAIL in events_text(mailing)
    services.box_office.reissue_badge(registration.id, "alice")
    services.outbox.catch_up()
    sent, queued = mails(mailing)
    assert (sent.state, queued.state) == (MailState.SENT, MailState.QUEUED)
    assert queued.recipient == EMAIL
    before = everything_of(mailing, tmp_path)  # the search finds what is there
    assert {"listing", "outbox folder", "pg_dump" if "pg_dump" in before else "sqlite file"} <= set(
        before
    )

    services.personal_data.erase(registration.id, "alice", "the guest asked")

    sent, cancelled = mails(mailing)
    assert (sent.state, cancelled.state) == (MailState.SENT, MailState.CANCELLED)
    assert cancelled.cancel_reason == ERASED_REASON
    assert sent.recipient == cancelled.recipient == ""
    assert services.outbox.run_once(everything=True).sent == []
    assert mails(mailing)[1].state == MailState.CANCELLED
    assert list((tmp_path / "outbox").iterdir()) == []
    assert everything_of(mailing, tmp_path) == {}
    assert [row.state for row in services.outbox.search()[0]] == ["sent", "cancelled"]
    assert services.outbox.counts(str(registration.gathering_id))["cancelled"] == 1


def test_a_rebuilt_listing_of_an_erased_guest_holds_no_address(
    mailing: Flask, tmp_path: Path
) -> None:
    services = services_of(mailing)
    registration = register(mailing)
    services.outbox.run_once()
    services.personal_data.erase(registration.id, "alice", "asked")
    services.outbox.rebuild()
    (row,) = services.outbox.search()[0]
    assert (row.recipient, row.state) == ("", "sent")
    assert everything_of(mailing, tmp_path) == {}


def test_the_error_a_server_worded_with_the_address_is_erased_too(
    database_url: str, clock: FakeClock, tmp_path: Path
) -> None:
    server = SmtpServer().start()
    app = mail_app(database_url, clock, tmp_path, **smtp_config(server.port))
    try:
        open_gathering(app)
        services = services_of(app)
        server.inbox.refuse[EMAIL] = f"450 4.2.0 <{EMAIL}>: mailbox of {NAME} busy"
        registration = register(app)
        report = services.outbox.run_once()
        assert report.sent == []
        assert EMAIL in report.failed[0][1]
        assert EMAIL in listing_text(app)
        services.personal_data.erase(registration.id, "alice", "asked")
        (mail,) = mails(app)
        assert (mail.state, mail.last_error) == (MailState.CANCELLED, "")
        del server.inbox.refuse[EMAIL]
        assert services.outbox.run_once(everything=True).sent == []
        assert server.inbox.messages == []
        assert everything_of(app, tmp_path) == {}
    finally:
        services_of(app).close()
        server.stop()


def test_a_mail_left_queued_by_an_interrupted_erasure_is_cancelled_by_another_process(
    mailing: Flask, tmp_path: Path
) -> None:
    """The sender reads the guest afresh: its own key cache still opens the address."""
    other = create_app({**mailing.config})
    try:
        registration = register(mailing)
        services_of(mailing).outbox.catch_up()
        (queued,) = mails(other)  # the other process opened the address: its key is cached
        assert queued.recipient == EMAIL
        erasure = services_of(mailing).personal_data
        erasure.on_erased.clear()  # as if it stopped after the keys were destroyed
        erasure.erase(registration.id, "alice", "asked")
        assert mails(mailing)[0].state == MailState.QUEUED
        assert services_of(other).outbox.run_once().sent == []
        (mail,) = mails(mailing)
        assert (mail.state, mail.cancel_reason) == (MailState.CANCELLED, ERASED_REASON)
        assert not (tmp_path / "outbox").exists() or folder_bytes(tmp_path / "outbox") == b""
    finally:
        services_of(other).close()


def test_a_send_pass_running_during_the_erasure_leaves_no_file(
    mailing: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The erasure waits for the pass, which wrote the file; then the file is deleted."""
    services = services_of(mailing)
    registration = register(mailing)
    services.outbox.catch_up()
    writing = threading.Event()
    write = FolderTransport._write

    def slow_write(self: FolderTransport, mail_id: str, message: Any) -> str:
        writing.set()
        time.sleep(0.5)  # the erasure starts meanwhile
        return write(self, mail_id, message)

    monkeypatch.setattr(FolderTransport, "_write", slow_write)
    finished: dict[str, float] = {}

    def send() -> None:
        finished["sent"] = len(services.outbox.run_once().sent)
        finished["pass"] = time.monotonic()

    def erase() -> None:
        services.personal_data.erase(registration.id, "alice", "asked")
        finished["erasure"] = time.monotonic()

    sender = threading.Thread(target=send)
    sender.start()
    assert writing.wait(10)
    eraser = threading.Thread(target=erase)
    eraser.start()
    sender.join(20)
    eraser.join(20)
    assert finished["sent"] == 1  # handed over before the erasure took effect
    assert finished["erasure"] >= finished["pass"]
    (mail,) = mails(mailing)
    assert (mail.state, mail.recipient) == (MailState.SENT, "")
    assert list((tmp_path / "outbox").iterdir()) == []
    assert everything_of(mailing, tmp_path) == {}


def test_an_erasure_before_a_pass_sends_nothing_even_when_racing_it(
    mailing: Flask, tmp_path: Path
) -> None:
    """Passes and an erasure started together: the mail is either sent and deleted, or never."""
    services = services_of(mailing)
    registration = register(mailing)
    services.outbox.catch_up()
    start = threading.Barrier(3)
    errors: list[BaseException] = []

    def run(action: Any) -> None:
        try:
            start.wait(10)
            action()
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [
        threading.Thread(target=run, args=(lambda: services.outbox.run_once(),)),
        threading.Thread(target=run, args=(lambda: services.outbox.run_once(),)),
        threading.Thread(
            target=run,
            args=(lambda: services.personal_data.erase(registration.id, "alice", "asked"),),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    (mail,) = mails(mailing)
    assert mail.state in (MailState.SENT, MailState.CANCELLED)
    assert services.outbox.run_once(everything=True).sent == []
    outbox = tmp_path / "outbox"
    assert not outbox.exists() or list(outbox.iterdir()) == []
    assert everything_of(mailing, tmp_path) == {}


def test_an_invitation_mail_is_erased_with_the_invitees_registration(
    mailing: Flask, tmp_path: Path
) -> None:
    client = mailing.test_client()
    invited = client.post(
        f"/api/v1/gatherings/{SLUG}/invitations",
        json=invitee(),
        headers=organiser_headers(mailing),
    )
    assert invited.status_code == 201, invited.json
    services = services_of(mailing)
    assert len(services.outbox.run_once().sent) == 1
    assert EMAIL.encode() in folder_bytes(tmp_path / "outbox")
    token = invited.json["link"].rsplit("/", 1)[1]
    accepted = client.post(f"/api/v1/invitations/{token}/accept", json={"consent": True})
    assert accepted.status_code == 201, accepted.json
    registration_id = UUID(accepted.json["registration"]["id"])
    services.box_office.reissue_badge(registration_id, "alice")
    services.outbox.catch_up()
    services.personal_data.erase(registration_id, "alice", "asked")
    assert sorted(str(m.state) for m in mails(mailing)) == ["cancelled", "cancelled", "sent"]
    assert list((tmp_path / "outbox").iterdir()) == []
    found = everything_of(mailing, tmp_path)
    found.pop("sqlite file", None)  # the guest list's read model is the views' part
    found.pop("pg_dump", None)
    assert found == {}


def test_a_guest_erased_before_their_mail_was_queued_gets_none(mailing: Flask) -> None:
    services = services_of(mailing)
    registration = register(mailing)  # the outbox has not followed the log yet
    services.personal_data.erase(registration.id, "alice", "asked")
    services.outbox.catch_up()
    assert mails(mailing) == []
    assert services.box_office.personal_keys._rows.get(registration.id.hex) is None


def test_a_mail_queued_from_an_address_read_just_before_the_erasure_is_erased_too(
    mailing: Flask, tmp_path: Path
) -> None:
    """A queueing batch read the address, the erasure ran, then the batch saved its mail."""
    services = services_of(mailing)
    registration = register(mailing)
    erasure = services.personal_data
    erasure.on_erased.clear()
    erasure.erase(registration.id, "alice", "asked")
    late = GuestMail.queue(
        registration_id=registration.id,
        registration_version=1,
        gathering_id=registration.gathering_id,
        kind=MailKind.CONFIRMED,
        recipient=EMAIL,
        at=registration.submitted_at,
        actor="system",
    )
    services.box_office.save(late)  # the key's tombstone: it is sealed as erased, no new key
    keys = services.box_office.personal_keys
    assert keys._rows.get(registration.id.hex) is None
    assert services.box_office.repository.get(late.id).recipient == ""
    services.outbox.catch_up()
    assert services.outbox.get(late.id).recipient == ""  # listed after the erasure: blank
    assert services.outbox.erasure.forget(registration, "alice") == [str(late.id)]
    assert keys._rows.get(registration.id.hex) is None
    keys.forget(registration.id.hex)  # as another process, once its cache expired
    assert services.outbox.run_once(everything=True).sent == []
    assert everything_of(mailing, tmp_path) == {}


def test_files_written_before_an_smtp_server_was_set_are_deleted_too(
    database_url: str, clock: FakeClock, tmp_path: Path
) -> None:
    first = mail_app(database_url, clock, tmp_path)
    try:
        open_gathering(first)
        registration = register(first)
        assert len(services_of(first).outbox.run_once().sent) == 1
    finally:
        services_of(first).close()
    assert len(list((tmp_path / "outbox").iterdir())) == 1
    server = SmtpServer().start()
    app = mail_app(database_url, clock, tmp_path, **smtp_config(server.port))
    try:
        services_of(app).personal_data.erase(registration.id, "alice", "asked")
        assert list((tmp_path / "outbox").iterdir()) == []
        assert everything_of(app, tmp_path) == {}
    finally:
        services_of(app).close()
        server.stop()
