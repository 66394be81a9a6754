"""A fresh install under gunicorn, for the first-PDF test and benchmark.

A new store with the demo gathering (its plan and ceremonies), guests registered through the
public API, gunicorn with its default timeout on an empty font cache, and the URLs of the
first documents an organiser prints: badges, the programme, an agreement.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
SLUG = "hetao-youth-innovation-valley-launch"
GUESTS = [
    ("Wong Bing-sau", "黃秉修", "香港科技園公司"),
    ("Jian Yiwen", "簡依雯", "Hong Kong Science and Technology Parks"),
    ("Zhong Hai", "钟海", "河套深港科技创新合作区发展署"),
]


@dataclass
class FirstPdfServer:
    """A running gunicorn on a fresh store, and the documents to ask it for."""

    url: str
    token: str
    badges: list[str]
    programme: str
    agreement: str
    log: Path
    start_seconds: float = 0.0  # from launching gunicorn to its first answer


def free_port() -> int:
    """Return a free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def call(
    url: str, *, token: str = "", body: Any = None, timeout: float = 60
) -> tuple[int, bytes, float]:
    """Send one request; return the status, the body and the seconds it took."""
    headers = {"Connection": "close"}
    data = None
    if body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    start = time.perf_counter()
    try:
        with OPENER.open(urllib.request.Request(url, data, headers), timeout=timeout) as answer:
            return answer.status, answer.read(), time.perf_counter() - start
    except urllib.error.HTTPError as error:
        return error.code, error.read(), time.perf_counter() - start


def prepare_store(database_url: str, instance_path: str) -> str:
    """Create the demo gathering in a new store; return an organiser token."""
    from events_app.cli.demo import create_demo_gathering
    from events_app.config import system_clock
    from events_app.context import open_services

    services = open_services(database_url, instance_path, system_clock)
    try:
        create_demo_gathering(services.box_office, services.planning)
        token, _ = services.box_office.issue_organiser_token("first-pdf")
    finally:
        services.close()
    return token


def gunicorn_command(port: int, workers: int) -> list[str]:
    """Return the production command line (default timeout) on a port."""
    command = [str(Path(sys.executable).parent / "gunicorn"), "-w", str(workers)]
    command += ["-b", f"127.0.0.1:{port}", "wsgi:app"]
    if int(importlib.metadata.version("gunicorn").split(".")[0]) >= 27:
        command[-1:-1] = ["--no-control-socket"]  # else every gunicorn shares one socket
    return command


def wait_until_answering(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    """Wait (up to 60 s) until gunicorn answers; raise with its log if it does not."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log.read_text()}")
        with contextlib.suppress(OSError):
            if call(f"{url}/api/v1/gatherings/{SLUG}", timeout=2)[0] == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer within 60 s:\n{log.read_text()}")


def documents(url: str, token: str) -> tuple[list[str], str, str]:
    """Register the guests; return their badge URLs, the programme's and an agreement's."""
    api = f"{url}/api/v1"
    badges = []
    for index, (name, name_zh, organisation) in enumerate(GUESTS):
        body = {"full_name": name, "name_zh": name_zh, "organisation": organisation}
        body |= {"job_title": "Director", "email": f"first-pdf-{index}@example.org"}
        status, answer, _ = call(
            f"{api}/gatherings/{SLUG}/registrations", body=body | {"consent": True}
        )
        assert status == 201, answer
        badges.append(f"{api}/registrations/{json.loads(answer)['id']}/badge.pdf")
    status, answer, _ = call(f"{api}/gatherings/{SLUG}/ceremonies", token=token)
    assert status == 200, answer
    ceremony = next(c for c in json.loads(answer)["items"] if c["kind"] == "signing")
    item = ceremony["items"][0]["id"]
    agreement = f"{api}/gatherings/{SLUG}/ceremonies/{ceremony['id']}/items/{item}/agreement.pdf"
    return badges, f"{api}/gatherings/{SLUG}/programme.pdf", agreement


@contextlib.contextmanager
def first_pdf_server(work: Path, font_cache: Path, workers: int = 3) -> Iterator[FirstPdfServer]:
    """Run gunicorn on a new store in work with font_cache as the font cache."""
    database_url = f"sqlite:///{work / 'events.sqlite'}"
    token = prepare_store(database_url, str(work))
    port, log = free_port(), work / "gunicorn.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "EVENTS_SECRET_KEY": "first-pdf-secret",
        "MAIL_OUTBOX_DIR": str(work / "outbox"),
        "LAUNCH_EVENTS_FONT_CACHE": str(font_cache),
        "PYTHONPATH": str(ROOT),
    }
    with log.open("wb") as output:
        process = subprocess.Popen(
            gunicorn_command(port, workers), cwd=ROOT, env=env, stdout=output, stderr=output
        )
    url, launched = f"http://127.0.0.1:{port}", time.perf_counter()
    try:
        wait_until_answering(process, url, log)
        started = time.perf_counter() - launched
        yield FirstPdfServer(url, token, *documents(url, token), log=log, start_seconds=started)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
