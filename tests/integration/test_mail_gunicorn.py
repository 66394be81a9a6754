"""Guest mails from gunicorn with three workers, each running its own sender thread.

The workers share one store and one SMTP server; the outbox's lock must let exactly one
of them send each mail: every guest gets one mail, none gets two.
"""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.integration.test_gunicorn import (
    ROOT,
    SLUG,
    prepare_store,
    request,
    stop,
    wait_until_answering,
)
from tests.mail_support import SmtpServer, free_port

pytestmark = pytest.mark.slow

WORKERS = 3
GUESTS = 9


def test_workers_with_sender_threads_send_every_mail_exactly_once(
    database_url: str, tmp_path: Path
) -> None:
    token = prepare_store(database_url, str(tmp_path))
    smtp = SmtpServer().start()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "EVENTS_SECRET_KEY": "gunicorn-test-secret",
        "PYTHONUNBUFFERED": "1",
        "MAIL_SMTP_HOST": "127.0.0.1",
        "MAIL_SMTP_PORT": str(smtp.port),
        "MAIL_SENDER_THREAD": "on",
        "MAIL_POLL_SECONDS": "0.05",
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "-w",
        str(WORKERS),
        "-b",
        f"127.0.0.1:{port}",
        "--timeout",
        "60",
        "wsgi:app",
    ]
    if int(importlib.metadata.version("gunicorn").split(".")[0]) >= 27:
        command[-1:-1] = ["--no-control-socket"]
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    try:
        wait_until_answering(process, url, log)
        for n in range(1, GUESTS + 1):
            status, body = request(
                f"{url}/api/v1/gatherings/{SLUG}/registrations",
                body={
                    "full_name": f"Guest {n}",
                    "organisation": "HKSTP",
                    "job_title": "Engineer",
                    "email": f"guest{n}@example.org",
                    "consent": True,
                },
            )
            assert status == 201, body
            for _ in range(3):  # reach every worker, so that each starts its sender
                status, _ = request(f"{url}/api/v1/gatherings/{SLUG}")
                assert status == 200
        smtp.inbox.wait_for(GUESTS, timeout=120)
        time.sleep(1.5)  # time for a second copy to arrive, if one were sent
        recipients = sorted(str(m["To"]) for m in smtp.inbox.messages)
        assert recipients == sorted(
            f"Guest {n} <guest{n}@example.org>" for n in range(1, GUESTS + 1)
        )
        status, page = request(
            f"{url}/api/v1/gatherings/{SLUG}/mail?state=sent&limit=100", token=token
        )
        assert status == 200, page
        assert page["total"] == GUESTS
        assert all(item["attempts"] == 1 for item in page["items"])
    finally:
        stop(process)
        smtp.stop()
    assert "Traceback" not in log.read_text(), log.read_text()
