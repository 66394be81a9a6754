"""Files replaced whole or not at all (`store.atomic_files`), and every command using it."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from reportlab.pdfgen.canvas import Canvas

from events_app import config
from events_app.config import instance_secret
from events_app.mail.transport import FolderTransport
from events_app.store.atomic_files import create_once, remove_stale, replacing, temporaries_of
from tests.api.test_documents_api import ACTOR, plan_day
from tests.conftest import SLUG, services_of

OLD = b"the old content\n" * 100


class Broke(Exception):
    pass


@pytest.fixture
def store() -> str:
    """SQLite only: what is tested is the file, not the store."""
    return "sqlite"


def test_a_completed_write_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(OLD)
    with replacing(target) as out:
        out.write(b"new")
        assert target.read_bytes() == OLD  # nothing shows until it is complete
        (temporary,) = temporaries_of(target)
        assert temporary.name.startswith(".out.pdf.")
    assert target.read_bytes() == b"new"
    assert sorted(os.listdir(tmp_path)) == ["out.pdf"]


@pytest.mark.parametrize("error", [Broke, KeyboardInterrupt])
def test_an_error_part_way_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, error: type[BaseException]
) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(OLD)
    with pytest.raises(error), replacing(target) as out:
        raise error(out.write(b"half of it"))
    assert target.read_bytes() == OLD
    assert sorted(os.listdir(tmp_path)) == ["out.pdf"]
    with pytest.raises(Broke), replacing(tmp_path / "new.pdf"):
        raise Broke()
    assert sorted(os.listdir(tmp_path)) == ["out.pdf"]  # no new file either


def test_a_dead_writers_temporary_is_removed_and_a_live_ones_kept(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    dead = tmp_path / ".out.pdf.0123456789ab.tmp"  # as a killed run leaves it: unlocked
    dead.write_bytes(b"half")
    other = tmp_path / ".other.pdf.0123456789ab.tmp"  # another target's: not ours to judge
    other.write_bytes(b"half")
    with replacing(target) as live:
        live.write(b"being written")
        assert not dead.exists()
        (mine,) = temporaries_of(target)
        assert remove_stale(target) == []  # a second run meanwhile leaves the live one
        with replacing(target) as second:
            second.write(b"second")
        assert mine.exists()
        assert target.read_bytes() == b"second"
    assert target.read_bytes() == b"being written"  # the later rename wins, whole
    assert sorted(os.listdir(tmp_path)) == [".other.pdf.0123456789ab.tmp", "out.pdf"]


def test_writers_racing_on_one_target_each_leave_a_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    contents = [bytes([n]) * 200_000 for n in range(8)]
    failures: list[BaseException] = []
    barrier = threading.Barrier(len(contents))

    def write(data: bytes) -> None:
        try:
            barrier.wait()
            for _ in range(10):
                with replacing(target) as out:
                    out.write(data)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=write, args=(data,)) for data in contents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert target.read_bytes() in contents
    assert sorted(os.listdir(tmp_path)) == ["out.bin"]


def test_a_symlink_is_written_through_and_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    real = tmp_path / "shared" / "badges.pdf"
    real.parent.mkdir()
    real.write_bytes(OLD)
    real.chmod(0o640)
    link = tmp_path / "badges.pdf"
    link.symlink_to(real)
    with replacing(link) as out:
        out.write(b"new")
    assert link.is_symlink()
    assert real.read_bytes() == b"new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    umask = os.umask(0o022)
    try:
        with replacing(tmp_path / "fresh.pdf") as out:
            out.write(b"x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "fresh.pdf").stat().st_mode) == 0o644


def test_create_once_writes_a_whole_new_file_and_never_replaces(tmp_path: Path) -> None:
    target = tmp_path / "secret_key"
    (tmp_path / ".secret_key.0123456789ab.tmp").write_bytes(b"")  # a killed first run
    assert create_once(target, b"first") is True
    assert create_once(target, b"second") is False
    assert target.read_bytes() == b"first"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(os.listdir(tmp_path)) == ["secret_key"]


def refuse(*_: Any) -> bool:
    raise PermissionError("read-only folder")


def test_the_instance_secret_is_made_once_and_an_empty_one_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = instance_secret(str(tmp_path))
    assert len(key) == 64
    assert instance_secret(str(tmp_path)) == key
    monkeypatch.setattr(config, "create_once", refuse)  # as in a read-only instance folder
    assert instance_secret(str(tmp_path)) == key
    (tmp_path / "secret_key").write_text("")  # as the old code left it when killed
    with pytest.raises(RuntimeError, match="secret_key is empty"):
        instance_secret(str(tmp_path))


def test_the_mail_folder_replaces_a_mail_file_whole(tmp_path: Path) -> None:
    from email.message import EmailMessage

    folder = tmp_path / "outbox"
    folder.mkdir()
    (folder / ".m1.eml.0123456789ab.tmp").write_bytes(b"From: half")  # a killed sender's
    message = EmailMessage()
    message["Subject"] = "Your badge"
    message.set_content("Welcome")
    with FolderTransport(folder).session() as send:
        assert send("m1", message) == f"file {folder / 'm1.eml'}"
    assert b"Subject: Your badge" in (folder / "m1.eml").read_bytes()
    assert sorted(os.listdir(folder)) == ["m1.eml"]


def dot_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("command", ["programme", "stage-sheet", "agreements", "certificates"])
def test_every_documents_command_replaces_its_file_only_when_complete(
    app: Flask,
    client: FlaskClient,
    organiser: dict[str, str],
    runner: FlaskCliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
) -> None:
    ids = plan_day(app, client, organiser)
    argument = {"agreements": [str(ids["signing"])], "certificates": [str(ids["award"])]}
    target = tmp_path / "out.pdf"
    target.write_bytes(OLD)
    args = ["documents", command, *argument.get(command, []), "--gathering", SLUG, "-o"]
    done = runner.invoke(args=[*args, "-"])
    assert done.exit_code == 0, done.output
    assert done.stdout_bytes.startswith(b"%PDF")
    assert "written to stdout" in done.stderr

    real_page = Canvas.showPage

    def broken_page(self: Canvas) -> None:
        real_page(self)  # the same on reportlab: a page is finished, then the renderer fails
        raise Broke("the renderer broke part-way")

    monkeypatch.setattr(Canvas, "showPage", broken_page)
    saved = Canvas.save

    def broken_save(self: Canvas) -> None:
        saved(self)  # reportlab writes the whole PDF, then the renderer fails
        raise Broke("the renderer broke after writing")

    monkeypatch.setattr(Canvas, "save", broken_save)
    failed = runner.invoke(args=[*args, str(target)])
    assert isinstance(failed.exception, Broke)
    assert target.read_bytes() == OLD
    assert dot_files(tmp_path) == []


@pytest.mark.parametrize("command", ["agreements", "certificates"])
def test_a_documents_batch_with_nothing_in_it_fails_and_touches_no_file(
    app: Flask,
    client: FlaskClient,
    organiser: dict[str, str],
    runner: FlaskCliRunner,
    tmp_path: Path,
    command: str,
) -> None:
    ids = plan_day(app, client, organiser)
    ceremony = ids["signing" if command == "agreements" else "award"]
    planning = services_of(app).planning
    for item in planning.ceremony(SLUG, ceremony).items:
        planning.remove_ceremony_item(SLUG, ceremony, item["id"], ACTOR)
    target = tmp_path / "out.pdf"
    result = runner.invoke(
        args=["documents", command, str(ceremony), "--gathering", SLUG, "-o", str(target)]
    )
    assert result.exit_code == 1
    assert f"no {command[:-1]} to print" in result.output
    assert f"{target} not written" in result.output
    assert not target.exists()
    assert dot_files(tmp_path) == []
