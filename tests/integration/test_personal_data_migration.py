"""`flask personal-data migrate` on a demo store written before sealing (SQLite, PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from flask import Flask

from domain.errors import EmailAlreadyRegistered
from domain.registration import GuestDetails
from events_app.cli.personal_data import migrate
from events_app.demo import DEMO_SLUG
from events_app.services.corrections import Corrections
from events_app.services.resealing import LOCK
from events_app.store.locks import Locks
from tests.conftest import FakeClock, make_app, services_of
from tests.migration_support import figures, leaks, migration_of, stored_states
from tests.plain_store import CORRECTED_AWAY, INVITEE, NAMES, fill_demo, writing_plain


@pytest.fixture
def plain_store(app: Flask, clock: FakeClock) -> dict[str, Any]:
    """The demo store filled as a version before sealing wrote it."""
    with writing_plain(app):
        return fill_demo(app, clock)


def test_migration_seals_everything_and_keeps_every_figure(
    app: Flask, plain_store: dict[str, Any], tmp_path: Path
) -> None:
    before = figures(app, plain_store)
    assert len(before["scans"]) == 5
    assert sum(1 for a in before["attendance"].values() if a) == 4
    assert before["scans"][0][2].count("Sample Organisation") == 1  # the guest the door saw
    plain = leaks(app)
    assert len(plain) > 20  # the plain store is plain: the test can fail
    for topic in ("GuestMail.Queued", "Invitation.Accepted", "Registration.Cancelled"):
        assert any(leak.endswith(topic) for leak in plain), topic  # free texts, plain
    services = services_of(app)
    if services.storage.kind == "sqlite":
        assert CORRECTED_AWAY[0].encode() in (tmp_path / "events.sqlite").read_bytes() + (
            (tmp_path / "events.sqlite-wal").read_bytes()
        )
    result = app.test_cli_runner().invoke(migrate, [])
    assert result.exit_code == 0, result.output
    assert "Registration.Submitted: 10" in result.output
    assert "GuestList.Joined: 8" in result.output  # the companion's has no e-mail
    assert "Scan.Recorded: 5" in result.output
    assert "Registration.Cancelled: 1" in result.output
    assert "Invitation.Accepted: 1" in result.output
    assert "GuestMail.Queued: 15" in result.output
    assert leaks(app) == []
    assert figures(app, plain_store) == before
    again = app.test_cli_runner().invoke(migrate, [])
    assert again.exit_code == 0, again.output
    runs = migration_of(app).runs()
    assert [run.rewritten for run in runs] == [46, 0]  # 29, a reason, companions, 15 mails
    assert runs[1].finished_at is not None
    assert figures(app, plain_store) == before
    if services.storage.kind == "sqlite":  # vacuumed, the log emptied: no old page left
        raw = (tmp_path / "events.sqlite").read_bytes()
        wal = tmp_path / "events.sqlite-wal"
        raw += wal.read_bytes() if wal.exists() else b""
        for text in (*CORRECTED_AWAY, INVITEE[0], INVITEE[1]):
            assert text.encode() not in raw, text
    status = app.test_cli_runner().invoke(migrate, ["--status"])
    assert "run 2 by cli" in status.output, status.output


class Stop(Exception):
    """Raised by the test hook after a batch."""


def test_interrupted_migration_continues_to_the_same_result(
    app: Flask, plain_store: dict[str, Any], clock: FakeClock, database_url: str
) -> None:
    before = figures(app, plain_store)
    migration = migration_of(app)

    def stop_after_second(run: Any) -> None:
        if run.batches == 2:
            raise Stop

    with pytest.raises(Stop):
        migration.run("cli", batch=4, after_batch=stop_after_second)
    stopped = migration.runs()[-1]
    assert stopped.finished_at is None
    assert stopped.batches == 2
    assert 0 < stopped.rewritten <= 8
    assert leaks(app) != []
    other = make_app(database_url, clock)  # another process, later
    try:
        resumed = migration_of(other).run("cli", batch=4)
        assert resumed.run == stopped.run
        assert resumed.rewritten == 46
        assert leaks(other) == []
        assert figures(other, plain_store) == before
    finally:
        services_of(other).close()
    assert figures(app, plain_store) == before


def test_a_guest_erased_before_the_migration_stays_erased(
    app: Flask, plain_store: dict[str, Any]
) -> None:
    services = services_of(app)
    rid = UUID(plain_store["ids"][2])
    services.personal_data.erase(rid, "alice", "asked before the upgrade was finished")
    assert services.box_office.registration(rid).details["full_name"] == "erased"
    assert any(NAMES[2] in leak for leak in leaks(app))  # the plain events still say it
    migration_of(app).run("cli")
    assert not any(NAMES[2] in leak for leak in leaks(app))
    assert services.box_office.personal_keys._rows.get(rid.hex) is None
    loaded = services.box_office.registration(rid)
    assert (loaded.details["full_name"], loaded.details["email"]) == ("erased", "")
    assert services.box_office.changes(rid)[0].data["details"]["name_zh"] == "已刪除"


def test_a_second_migration_at_once_is_refused(app: Flask, plain_store: dict[str, Any]) -> None:
    services = services_of(app)
    held, release = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        with Locks(services.storage, services.database).hold(LOCK):
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert held.wait(10)
        refused = app.test_cli_runner().invoke(migrate, [])
    finally:
        release.set()
        holder.join()
    assert refused.exit_code == 1
    assert "migration_running" in refused.output
    assert migration_of(app).runs() == []
    assert leaks(app) != []  # nothing was rewritten


def test_corrections_saved_while_it_runs_are_kept_and_sealed(
    app: Flask, plain_store: dict[str, Any]
) -> None:
    services = services_of(app)
    corrections = Corrections(services.box_office)
    done: list[str] = []
    failures: list[BaseException] = []

    def correct_meanwhile() -> None:
        try:
            for n in range(12):
                rid = UUID(plain_store["ids"][n % 4])
                corrections.correct_registration(rid, {"job_title": f"Director {n}"}, "alice")
                done.append(rid.hex)
        except BaseException as error:  # reported by the test
            failures.append(error)

    writer = threading.Thread(target=correct_meanwhile)
    writer.start()
    run = migration_of(app).run("cli", batch=2)
    writer.join()
    assert failures == []
    assert len(done) == 12
    assert run.finished_at is not None
    assert leaks(app) == []
    for n in range(4):
        registration = services.box_office.registration(UUID(plain_store["ids"][n]))
        assert registration.details["job_title"] == f"Director {8 + n}"
        assert registration.details["full_name"] != "erased"


def test_a_guest_list_snapshot_gets_hashed_keys(
    app: Flask, plain_store: dict[str, Any], clock: FakeClock
) -> None:
    services = services_of(app)
    clock.now = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)  # the form open again
    more = [f"late.guest{n}@example.org" for n in range(40)]
    with writing_plain(app):
        for email in more:
            services.box_office.register_placed(DEMO_SLUG, _late_guest(email), "guest")
    snapshots = [(t, s) for t, s in stored_states(app) if b'"emails"' in s]
    assert len(snapshots) == 1
    assert more[0].encode() in snapshots[0][1]
    gathering = services.box_office.gathering(DEMO_SLUG)
    holders = {e: services.box_office.guest_list(gathering.id).holder_of(e, str) for e in more}
    run = migration_of(app).run("cli")
    assert run.snapshots == 1
    assert run.counts["GuestList.Joined"] == 8 + 40
    assert leaks(app) == []
    assert not any(e.encode() in s for _t, s in stored_states(app) for e in more)
    guest_list = services.box_office.guest_list(gathering.id)  # from the snapshot
    hashed = services.box_office.email_hash
    assert {e: guest_list.holder_of(e, hashed) for e in more} == holders
    with pytest.raises(EmailAlreadyRegistered):
        services.box_office.register_placed(DEMO_SLUG, _late_guest(more[7].upper()), "guest")


def _late_guest(email: str) -> GuestDetails:
    return GuestDetails(
        full_name="Late Guest", email=email, organisation="Sample", job_title="Staff", consent=True
    )


def test_a_failed_vacuum_leaves_the_run_to_finish(
    app: Flask, plain_store: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    migration = migration_of(app)
    vacuumed: list[bool] = []

    def busy() -> None:
        raise Stop

    monkeypatch.setattr(migration._rows, "vacuum", busy)
    with pytest.raises(Stop):
        migration.run("cli")
    assert migration.runs()[-1].finished_at is None
    monkeypatch.setattr(migration._rows, "vacuum", lambda: vacuumed.append(True))
    finished = migration.run("cli")
    assert (finished.run, finished.rewritten, vacuumed) == (1, 46, [True])
    assert finished.finished_at is not None


def test_a_guest_erased_while_their_batch_is_made_ready_stays_erased(
    app: Flask, plain_store: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    services = services_of(app)
    keys = services.box_office.personal_keys
    rid = UUID(plain_store["ids"][3])
    cipher = keys.cipher

    def erased_first(subject: str, *, create: bool = False) -> Any:
        if create and subject == rid.hex and not services.box_office.registration(rid).erased:
            services.personal_data.erase(rid, "alice", "asked during the migration")
        return cipher(subject, create=create)

    monkeypatch.setattr(keys, "cipher", erased_first)
    migration_of(app).run("cli")
    assert services.box_office.registration(rid).erased
    assert keys._rows.get(rid.hex) is None  # the key made after the erasure destroyed too
    assert not any(NAMES[3] in leak for leak in leaks(app))
    monkeypatch.undo()
    loaded = services.box_office.registration(rid)
    assert loaded.details["full_name"] == "erased"
    assert services.box_office.changes(rid)[0].data["details"]["full_name"] == "erased"


def test_a_batch_of_nothing_is_refused_and_status_tells_of_no_run(
    app: Flask, plain_store: dict[str, Any]
) -> None:
    refused = app.test_cli_runner().invoke(migrate, ["--batch", "0"])
    assert refused.exit_code == 2
    assert "--batch" in refused.output
    status = app.test_cli_runner().invoke(migrate, ["--status"])
    assert status.exit_code == 0
    assert "never run" in status.output
    assert leaks(app) != []
