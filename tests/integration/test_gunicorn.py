"""The app under gunicorn with three worker processes: read-your-writes across processes.

Each request opens a new connection, so different workers answer a guest's registration
and the organiser's look at the guest list right after it; every worker's read model
must already show the registration.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from events_app.config import system_clock
from events_app.context import open_services
from tests.conftest import guest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SLUG = "gunicorn-launch"
CAPACITY = 20
WORKERS = 3
CLIENTS = 6
PER_CLIENT = 5
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
ACCESS_LOG_FORMAT = '%(p)s "%(r)s" %(s)s'


@dataclass
class Server:
    """A running gunicorn and what the test needs to talk to it."""

    url: str
    token: str
    access_log: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def request(
    url: str, *, body: Any = None, token: str | None = None, timeout: float = 30
) -> tuple[int, Any]:
    """Send one request on a new connection; return the status and the JSON body."""
    headers = {"Accept": "application/json", "Connection": "close"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=data, headers=headers)
    try:
        with OPENER.open(req, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def prepare_store(database_url: str, instance_path: str) -> str:
    """Create the gathering (open now, by the real clock) and an organiser token."""
    services = open_services(database_url, instance_path, system_clock)
    try:
        now = datetime.now(UTC)
        starts = now + timedelta(days=2)
        services.box_office.schedule_gathering(
            "test",
            slug=SLUG,
            title_en="Launch under gunicorn",
            title_zh="啟動儀式",
            venue="Hong Kong Science Park Shenzhen Branch",
            timezone="Asia/Shanghai",
            starts_at=starts,
            ends_at=starts + timedelta(hours=4),
            capacity=CAPACITY,
            registration_opens_at=now - timedelta(days=1),
            registration_closes_at=now + timedelta(days=1),
            categories={
                "guest": {"capacity": None, "approval_required": False},
                "vip": {"capacity": 3, "approval_required": True},
            },
        )
        token, _ = services.box_office.issue_organiser_token("gunicorn-test")
    finally:
        services.close()
    return token


def wait_until_answering(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited with {process.returncode}:\n{log.read_text()}")
        try:
            status, _ = request(f"{url}/api/v1/gatherings/{SLUG}", timeout=2)
        except OSError:
            time.sleep(0.2)
            continue
        if status == 200:
            return
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer within 30 s:\n{log.read_text()}")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[Server]:
    """Gunicorn with three workers on the store under test."""
    token = prepare_store(database_url, str(tmp_path))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "gunicorn.log"
    access_log = tmp_path / "access.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "EVENTS_SECRET_KEY": "gunicorn-test-secret",
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),  # the guest mails the workers send
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "-w",
        str(WORKERS),
        "-b",
        f"127.0.0.1:{port}",
        "--timeout",
        "60",
        "--access-logfile",
        str(access_log),
        "--access-logformat",
        ACCESS_LOG_FORMAT,
        "wsgi:app",
    ]
    if int(importlib.metadata.version("gunicorn").split(".")[0]) >= 27:
        # Else every gunicorn shares one control socket in the home directory.
        command[-1:-1] = ["--no-control-socket"]
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    try:
        wait_until_answering(process, url, log)
        yield Server(url, token, access_log)
    finally:
        stop(process)


def run_clients(work: Any) -> list[Any]:
    barrier = threading.Barrier(CLIENTS)
    results: list[Any] = [None] * CLIENTS
    failures: list[BaseException] = []

    def target(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = work(index)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=target, args=(i,), daemon=True) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a client did not finish"
    if failures:
        raise failures[0]
    return results


def test_every_worker_reads_its_own_and_the_others_writes(server: Server) -> None:
    registrations = f"{server.url}/api/v1/gatherings/{SLUG}/registrations"

    def client(index: int) -> list[tuple[int, Any]]:
        outcomes = []
        for k in range(PER_CLIENT):
            n = index * 100 + k
            details = guest(n) if k else guest(n, email="  Shared@Example.org ")
            status, body = request(registrations, body=details)
            outcomes.append((status, body))
            if status != 201:
                continue
            # Read-your-writes: at once, on a new connection, likely another worker.
            status, page = request(
                f"{registrations}?{urllib.parse.urlencode({'limit': 500, 'q': body['email']})}",
                token=server.token,
            )
            assert status == 200, page
            mine = [item for item in page["items"] if item["id"] == body["id"]]
            assert len(mine) == 1, (body, page)
            assert mine[0]["state"] == body["state"]
        return outcomes

    outcomes = [o for batch in run_clients(client) for o in batch]

    created = [body for status, body in outcomes if status == 201]
    refused = [body for status, body in outcomes if status != 201]
    assert len(outcomes) == CLIENTS * PER_CLIENT
    assert [b["error"]["code"] for b in refused] == ["email_already_registered"] * (CLIENTS - 1)
    assert len(created) == CLIENTS * PER_CLIENT - (CLIENTS - 1)
    by_state = Counter(body["state"] for body in created)
    assert by_state == {"confirmed": CAPACITY, "waitlisted": len(created) - CAPACITY}
    waiting = sorted(b["waitlist_position"] for b in created if b["state"] == "waitlisted")
    assert waiting == list(range(1, len(created) - CAPACITY + 1))

    # Every worker tells the same totals (new connection per request, several tries).
    for _ in range(2 * WORKERS):
        status, page = request(f"{registrations}?limit=500", token=server.token)
        assert status == 200, page
        assert page["total"] == len(created)
        assert sorted(item["id"] for item in page["items"]) == sorted(b["id"] for b in created)
        assert page["counts"]["by_state"] == dict(by_state)
        states = {item["id"]: item["state"] for item in page["items"]}
        assert all(states[b["id"]] == b["state"] for b in created)
    status, gathering = request(f"{server.url}/api/v1/gatherings/{SLUG}")
    assert (gathering["confirmed"], gathering["waitlisted"]) == (
        CAPACITY,
        len(created) - CAPACITY,
    )

    # The requests really were spread over several worker processes.
    pids = {line.split(" ", 1)[0] for line in server.access_log.read_text().splitlines()}
    assert len(pids) > 1, pids
