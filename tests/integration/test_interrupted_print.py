"""`flask badges print -o FILE` killed part-way, failing part-way, or selecting nobody.

The kill is real: a subprocess running the CLI (tests/slow_badges_cli.py says when each
sheet is done and holds after the second) gets SIGKILL there, when the temporary file holds
part of the PDF. The store type does not matter here, so these run on SQLite only.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient, FlaskCliRunner

import events_app.services.badge_print as badge_print
from events_app import INSTANCE_ENV
from events_app.store.atomic_files import temporaries_of
from tests.checkin_helpers import confirmed_guest
from tests.conftest import SLUG, gathering_payload
from tests.pdf_helpers import run, tool

ROOT = Path(__file__).resolve().parents[2]
SLOW_CLI = ROOT / "tests" / "slow_badges_cli.py"
OLD = b"%PDF-1.7 yesterday's badges, still good\n" * 2000
GUESTS = 24  # six sheets of four


@pytest.fixture
def store() -> str:
    """SQLite only: what is tested is the file, not the store."""
    return "sqlite"


@pytest.fixture
def gathering(client: FlaskClient, organiser: dict[str, str]) -> dict[str, Any]:
    """A gathering with room for every guest these tests confirm."""
    payload = gathering_payload(capacity=100)
    response = client.post("/api/v1/gatherings", json=payload, headers=organiser)
    assert response.status_code == 201, response.json
    return dict(response.json)


def start_print(database_url: str, tmp_path: Path, out: Path, hold: int = 0) -> Any:
    """Start `badges print -o out` in its own process; return it and its log."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "EVENTS_SECRET_KEY": "test-secret-key",
        INSTANCE_ENV: str(tmp_path / "instance"),
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
        "HOLD_AFTER_BADGES": str(hold),
    }
    log = tmp_path / f"print-{time.monotonic_ns()}.log"
    command = [
        sys.executable,
        str(SLOW_CLI),
        "badges",
        "print",
        "--gathering",
        SLUG,
        "-o",
        str(out),
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    return process, log


def wait_for(process: Any, log: Path, text: str, timeout: float = 60) -> None:
    """Wait until the process's log shows text; fail if it ends or takes too long."""
    deadline = time.monotonic() + timeout
    while text not in log.read_text(errors="replace"):
        assert process.poll() is None, log.read_text(errors="replace")
        assert time.monotonic() < deadline, f"no {text!r} in: {log.read_text()}"
        time.sleep(0.05)


def seed(client: FlaskClient, count: int = GUESTS) -> None:
    for n in range(count):
        confirmed_guest(client, n)


def test_a_print_killed_mid_batch_leaves_the_old_file_and_the_next_run_cleans_up(
    client: FlaskClient, gathering: dict[str, Any], database_url: str, tmp_path: Path
) -> None:
    seed(client)
    folder = tmp_path / "prints"
    folder.mkdir()
    out = folder / "badges.pdf"
    out.write_bytes(OLD)
    process, log = start_print(database_url, tmp_path, out, hold=8)
    try:
        wait_for(process, log, "sheet done: 8 badge(s)")
        partial = temporaries_of(out)
        assert len(partial) == 1
        written = partial[0].read_bytes()  # reportlab writes the PDF once the batch is drawn
        assert written == b"" or written.startswith(b"%PDF")
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        process.kill()
    assert out.read_bytes() == OLD
    assert temporaries_of(out) == partial  # nobody could clean up after SIGKILL

    again, log = start_print(database_url, tmp_path, out)
    assert again.wait(timeout=120) == 0, log.read_text()
    assert f"{GUESTS} badge(s) written to {out}" in log.read_text()
    assert "Pages:           6" in run(tool("pdfinfo"), out)
    assert sorted(path.name for path in folder.iterdir()) == ["badges.pdf"]


def test_a_first_print_killed_mid_batch_creates_no_file(
    client: FlaskClient, gathering: dict[str, Any], database_url: str, tmp_path: Path
) -> None:
    seed(client, 8)
    out = tmp_path / "badges.pdf"
    process, log = start_print(database_url, tmp_path, out, hold=4)
    try:
        wait_for(process, log, "sheet done: 4 badge(s)")
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        process.kill()
    assert not out.exists()


def failing_after(sheets: int) -> Callable[..., int]:
    """Return write_badge_sheets that raises once `sheets` sheets are written."""
    real = badge_print.write_badge_sheets

    def write(badges: Any, out: Any, *, progress: Any = None) -> int:
        def step(count: int) -> None:
            if count >= 4 * sheets:
                raise RuntimeError("the renderer broke part-way")
            progress(count)

        return real(badges, out, progress=step)

    return write


def test_an_exception_mid_batch_leaves_the_old_file_and_no_temporary(
    client: FlaskClient,
    gathering: dict[str, Any],
    runner: FlaskCliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed(client, 16)
    out = tmp_path / "badges.pdf"
    out.write_bytes(OLD)
    monkeypatch.setattr(badge_print, "write_badge_sheets", failing_after(2))
    result = runner.invoke(args=["badges", "print", "--gathering", SLUG, "-o", str(out)])
    assert result.exit_code == 1
    assert isinstance(result.exception, RuntimeError)
    assert out.read_bytes() == OLD
    assert temporaries_of(out) == []
    fresh = tmp_path / "new.pdf"
    result = runner.invoke(args=["badges", "print", "--gathering", SLUG, "-o", str(fresh)])
    assert isinstance(result.exception, RuntimeError)
    assert not fresh.exists()
    assert temporaries_of(fresh) == []


def test_a_batch_that_selects_nobody_says_so_and_touches_no_file(
    client: FlaskClient, gathering: dict[str, Any], runner: FlaskCliRunner, tmp_path: Path
) -> None:
    seed(client, 3)  # all in the guest category
    confirmed_guest(client, 99, category="vip")  # pending, so not printed
    out = tmp_path / "badges.pdf"
    out.write_bytes(OLD)
    before = out.stat().st_mtime_ns
    args = ["badges", "print", "--gathering", SLUG, "--category", "vip", "-o"]
    result = runner.invoke(args=[*args, str(out)])
    assert result.exit_code == 1
    assert "no badge to print: no confirmed guest among vip" in result.output
    assert (out.read_bytes(), out.stat().st_mtime_ns) == (OLD, before)
    absent = tmp_path / "none.pdf"
    result = runner.invoke(args=[*args, str(absent)])
    assert result.exit_code == 1
    assert f"{absent} not written" in result.output
    assert not absent.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_badges_go_to_stdout_with_dash_and_the_report_to_stderr(
    client: FlaskClient, gathering: dict[str, Any], runner: FlaskCliRunner, tmp_path: Path
) -> None:
    seed(client, 5)
    result = runner.invoke(args=["badges", "print", "--gathering", SLUG, "-o", "-"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"%PDF")
    assert result.stdout_bytes.rstrip().endswith(b"%%EOF")
    assert "5 badge(s) written to stdout" in result.stderr
    assert not (ROOT / "-").exists()


def test_an_unwritable_folder_is_a_clean_error(
    client: FlaskClient, gathering: dict[str, Any], runner: FlaskCliRunner, tmp_path: Path
) -> None:
    seed(client, 1)
    missing = tmp_path / "no-such-folder" / "badges.pdf"
    result = runner.invoke(args=["badges", "print", "--gathering", SLUG, "-o", str(missing)])
    assert result.exit_code == 1
    assert f"cannot write {missing}" in result.output
    assert "Traceback" not in result.output
