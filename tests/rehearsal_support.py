"""A newcomer's install from nothing: empty instance folder, cold font cache, gunicorn -w 2."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from events_app import INSTANCE_ENV
from printing.font_source import CACHE_ENV

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
PASSWORD = "rehearsal password 1"


@dataclass
class Install:
    """A running fresh install: its address, folders and the server's log."""

    url: str
    instance: Path
    font_cache: Path
    log: Path
    env: dict[str, str]

    def flask(self, *args: str, stdin: str = "") -> str:
        """Run one `flask` command against this install; return what it printed."""
        done = subprocess.run(
            [str(BIN / "flask"), *args],
            cwd=ROOT,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"flask {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def server_problems(self) -> list[str]:
        """Return the lines of the server log that tell of a traceback or a killed worker."""
        text = self.log.read_text(errors="replace")
        return [
            line for line in text.splitlines() if "Traceback" in line or "WORKER TIMEOUT" in line
        ]


def fresh_env(folder: Path) -> dict[str, str]:
    """Return the environment of an install whose every folder is new and empty."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "EVENTS_SECRET_KEY", "BADGE_KEYS", "PUBLIC_BASE_URL"}
    }
    return {
        **env,
        "FLASK_APP": "wsgi",
        INSTANCE_ENV: str(folder / "instance"),
        CACHE_ENV: str(folder / "font-cache"),
        "MAIL_SENDER_THREAD": "off",
        "PYTHONUNBUFFERED": "1",
    }


def answering(url: str) -> bool:
    """Tell whether the server answers its OpenAPI document."""
    try:
        with OPENER.open(f"{url}/api/v1/openapi.json", timeout=2) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


@contextmanager
def gunicorn(install: Install, port: int, workers: int = 2) -> Iterator[None]:
    """Run gunicorn with its default timeout for the install; stop it afterwards."""
    command = [str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", "wsgi:app"]
    if int(importlib.metadata.version("gunicorn").split(".")[0]) >= 27:
        command[-1:-1] = ["--no-control-socket"]
    with install.log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=install.env, stdout=output, stderr=output)
    try:
        deadline = time.monotonic() + 30
        while not answering(install.url):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not start:\n{install.log.read_text()}")
            time.sleep(0.2)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def free_port() -> int:
    """Return a free TCP port on the loopback address."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
