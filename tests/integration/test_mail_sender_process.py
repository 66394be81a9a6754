"""The guest-mail sender as its own process (`flask mail send --loop`), off the request path.

On SQLite and PostgreSQL, against a real SMTP server (aiosmtpd): the loop sends what is
queued and stops on SIGTERM; a loop killed with SIGKILL in the middle of a pass and
started again sends every mail exactly once; gunicorn workers with the sender off never
render a badge (their renderer raises) while the separate sender mails it; and with the
in-process sender thread, every mail is composed in that thread, never in a request.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import events_app.mail.outbox as outbox_module
from domain.registration import GuestDetails
from events_app.config import system_clock
from events_app.context import open_services
from tests.conftest import SLUG as APP_SLUG
from tests.conftest import FakeClock, guest, services_of
from tests.integration.test_gunicorn import (
    ROOT,
    SLUG,
    prepare_store,
    request,
    stop,
    wait_until_answering,
)
from tests.integration.test_mail_smtp import open_gathering
from tests.mail_support import SmtpServer, attachments, free_port, mail_app, smtp_config

FLASK = str(Path(sys.executable).parent / "flask")
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
SENDER_THREAD = "guest-mail-sender"


def environment(database_url: str, tmp_path: Path, smtp: SmtpServer, **more: str) -> dict[str, str]:
    """Return the environment of the app's processes: the store, the SMTP server."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "LAUNCH_EVENTS_INSTANCE": str(tmp_path),
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(tmp_path)]),
        "PYTHONUNBUFFERED": "1",
        "MAIL_SMTP_HOST": "127.0.0.1",
        "MAIL_SMTP_PORT": str(smtp.port),
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        **more,
    }


def start_loop(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start `flask mail send --loop` with its output in `log` (appended)."""
    command = [FLASK, "--app", "wsgi", "mail", "send", "--loop", "--poll", "0.1"]
    with log.open("ab") as output:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)


def register(
    database_url: str, tmp_path: Path, numbers: range, language: str | None = None
) -> None:
    """Register guests through the services (no sender runs in this process)."""
    services = open_services(database_url, str(tmp_path), system_clock)
    try:
        for n in numbers:
            details = GuestDetails(**guest(n), language=language)
            services.box_office.register_placed(SLUG, details, "guest")
    finally:
        services.close()


def sent_rows(database_url: str, tmp_path: Path) -> list[Any]:
    """Return the mails listed as sent."""
    services = open_services(database_url, str(tmp_path), system_clock)
    try:
        rows, _ = services.outbox.search(states=["sent"], limit=1000)
    finally:
        services.close()
    return rows


def wait_exit(process: subprocess.Popen[bytes], log: Path, timeout: float = 15) -> int:
    """Wait for the process to end; fail with its output if it does not."""
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
        pytest.fail(f"the sender did not stop within {timeout} s:\n{log.read_text()}")


@pytest.mark.slow
def test_loop_sends_the_queued_mails_and_stops_on_sigterm(
    database_url: str, tmp_path: Path
) -> None:
    prepare_store(database_url, str(tmp_path))
    register(database_url, tmp_path, range(1, 4))
    smtp = SmtpServer().start()
    log = tmp_path / "sender.log"
    process = start_loop(environment(database_url, tmp_path, smtp), log)
    try:
        messages = smtp.inbox.wait_for(3, timeout=60)
        assert sorted(str(m["To"]) for m in messages) == [
            f"Guest Number {n} <guest{n}@example.org>" for n in range(1, 4)
        ]
        assert all("badge.pdf" in attachments(m) for m in messages)
        assert all(m["Subject"].startswith("Registration confirmed / 報名已確認") for m in messages)
        # The loop keeps following the log, and writes in the guest's language:
        register(database_url, tmp_path, range(4, 5), language="zh_Hans_CN")
        smtp.inbox.wait_for(4, timeout=30)
        (fourth,) = smtp.inbox.to("guest4@example.org")
        assert fourth["Subject"].startswith("报名已确认：")
        process.send_signal(signal.SIGTERM)
        assert wait_exit(process, log) == 0, log.read_text()
    finally:
        if process.poll() is None:
            process.kill()
        smtp.stop()
    output = log.read_text()
    assert "nice 10" in output, output  # requests get the CPUs first
    assert "guest-mail sender stopped" in output, output
    assert "Traceback" not in output, output
    assert len(sent_rows(database_url, tmp_path)) == 4


@pytest.mark.slow
def test_a_killed_loop_started_again_sends_every_mail_exactly_once(
    database_url: str, tmp_path: Path
) -> None:
    prepare_store(database_url, str(tmp_path))
    register(database_url, tmp_path, range(1, 6))
    smtp = SmtpServer().start()
    smtp.inbox.rcpt_delay = 0.5
    env = environment(database_url, tmp_path, smtp)
    log = tmp_path / "sender.log"
    first = start_loop(env, log)
    second = None
    try:
        # Mails go in the order they were queued: guests 1 and 2 are sent and recorded
        # when the sender names guest 3 to the server, which has not taken that mail yet.
        smtp.inbox.wait_for_rcpt("guest3@example.org", timeout=60)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        assert len(smtp.inbox.messages) == 2
        smtp.inbox.rcpt_delay = 0.0
        second = start_loop(env, log)  # the lock the killed run held is free again
        smtp.inbox.wait_for(5, timeout=60)
        time.sleep(1.5)  # time for a second copy to arrive, if one were sent
        second.send_signal(signal.SIGTERM)
        assert wait_exit(second, log) == 0, log.read_text()
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
        smtp.stop()
    received = Counter(str(m["To"]) for m in smtp.inbox.messages)
    assert received == Counter(f"Guest Number {n} <guest{n}@example.org>" for n in range(1, 6))
    rows = sent_rows(database_url, tmp_path)
    assert len(rows) == 5
    assert all(row.attempts == 1 for row in rows)


WORKER_THAT_CANNOT_RENDER = '''
"""gunicorn's app, with a badge renderer that fails: no worker may render a mail's badge."""

import events_app.mail.outbox


def render_badge(*args, **kwargs):
    raise AssertionError("a serving process rendered a badge PDF")


events_app.mail.outbox.render_badge = render_badge

from wsgi import app  # noqa: E402
'''


@pytest.mark.slow
def test_workers_with_the_sender_off_render_nothing_and_the_sender_mails_the_badge(
    database_url: str, tmp_path: Path
) -> None:
    token = prepare_store(database_url, str(tmp_path))
    (tmp_path / "no_render_wsgi.py").write_text(WORKER_THAT_CANNOT_RENDER)
    smtp = SmtpServer().start()
    env = environment(database_url, tmp_path, smtp, MAIL_SENDER_THREAD="off")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "gunicorn.log"
    command = [GUNICORN, "-w", "2", "-b", f"127.0.0.1:{port}", "no_render_wsgi:app"]
    with log.open("wb") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    sender = None
    try:
        wait_until_answering(server, url, log)
        for n in (1, 2):
            status, body = request(f"{url}/api/v1/gatherings/{SLUG}/registrations", body=guest(n))
            assert status == 201, body
        status, page = request(f"{url}/api/v1/gatherings/{SLUG}/mail", token=token)
        assert status == 200, page
        assert page["counts"]["queued"] == 2  # queued by the request that listed them
        time.sleep(0.5)
        assert smtp.inbox.messages == []  # nobody sends but the sender
        sender = start_loop(env, tmp_path / "sender.log")
        messages = smtp.inbox.wait_for(2, timeout=60)
        assert all(attachments(m)["badge.pdf"][1].startswith(b"%PDF") for m in messages)
    finally:
        if sender is not None:
            stop(sender)
        stop(server)
        smtp.stop()
    assert "rendered a badge" not in log.read_text(), log.read_text()


def test_with_the_sender_thread_mails_are_composed_in_it_never_in_a_request(
    database_url: str, clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, str]] = []

    def watched(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            calls.append((name, threading.current_thread().name))
            return original(*args, **kwargs)

        return call

    for name in ("render_badge", "calendar", "compose"):
        monkeypatch.setattr(outbox_module, name, watched(name, getattr(outbox_module, name)))
    smtp = SmtpServer().start()
    app = mail_app(
        database_url,
        clock,
        tmp_path,
        **smtp_config(smtp.port, MAIL_SENDER_THREAD="on", MAIL_POLL_SECONDS="0.05"),
    )
    try:
        client, _ = open_gathering(app)
        for n, language in ((1, "en"), (2, "zh-HK"), (3, "zh-CN")):
            response = client.post(
                f"/api/v1/gatherings/{APP_SLUG}/registrations",
                json=guest(n),
                headers={"Accept-Language": language},
            )
            assert response.status_code == 201, response.json
        messages = smtp.inbox.wait_for(3, timeout=30)
        assert all("badge.pdf" in attachments(m) for m in messages)
        # Written in the thread, outside any request, each in its guest's language:
        subjects = {n: str(smtp.inbox.to(f"guest{n}@example.org")[0]["Subject"]) for n in (1, 2, 3)}
        assert subjects[1].startswith("Registration confirmed: ")
        assert subjects[2] == "報名已確認：河套香港青年科創谷啟動儀式"
        assert subjects[3] == "报名已确认：河套香港青年科创谷启动仪式"
    finally:
        services_of(app).close()
        smtp.stop()
    assert {name for name, _ in calls} == {"render_badge", "calendar", "compose"}
    assert {thread for _, thread in calls} == {SENDER_THREAD}, calls
