"""100,000 scans with no read in between: gunicorn answers at once and catches up, even killed.

The store is filled by `benchmarks.event_mix` (the events real check-ins record, with the
figures a correct projection must show), then served by gunicorn with two workers, whose
followers project the backlog batch by batch. The first reads answer 200 from what is
projected, saying how far behind; `kill -9` of every process in the middle of the
catch-up loses no committed batch; after a restart the figures come out exact.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from benchmarks.event_mix import Mix, fill
from events_app.config import system_clock
from events_app.consistency_http import BEHIND_HEADER
from events_app.context import Services, open_services
from tests.integration.test_gunicorn import free_port

ROOT = Path(__file__).resolve().parents[2]
SCANS = 100_000
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
WAIT_BOUND = 10.0
"""A read waits READ_WAIT_SECONDS (1 s) at most; this bound only catches one that waits on."""


def get(url: str, token: str) -> tuple[int, dict[str, str], Any, float]:
    """GET `url` as the organiser; return status, headers, JSON body and seconds taken."""
    request = urllib.request.Request(
        url, headers={"Authorization": f"Bearer {token}", "Connection": "close"}
    )
    started = time.monotonic()
    try:
        with OPENER.open(request, timeout=60) as response:
            body = json.loads(response.read())
            return response.status, dict(response.headers), body, time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), None, time.monotonic() - started


@contextmanager
def gunicorn(database_url: str, instance: Path, log: Path) -> Iterator[tuple[str, int]]:
    """Run gunicorn -w 2 on the store in its own process group; yield its URL and group."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "LAUNCH_EVENTS_INSTANCE": str(instance),
        "EVENTS_SECRET_KEY": "backlog-test-secret",
        "MAIL_OUTBOX_DIR": str(instance / "outbox"),
    }
    command = [str(Path(sys.executable).parent / "gunicorn"), "-w", "2"]
    command += ["-b", f"127.0.0.1:{port}", "--no-control-socket", "wsgi:app"]
    with log.open("ab") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=output, start_new_session=True
        )
    try:
        yield f"http://127.0.0.1:{port}", process.pid
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


def wait_for_answers(url: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with OPENER.open(f"{url}/api/v1/openapi.json", timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer:\n{log.read_text()}")


def scans_up_to(services: Services, position: int) -> int:
    """Return how many scans the store holds up to `position`."""
    notifications = services.box_office.recorder.select_notifications(
        start=1, limit=position, stop=position, topics=["domain.scan:Scan.Recorded"]
    )
    return len(notifications)


def projected_scans(services: Services) -> int:
    with services.database.transaction() as tx:
        return int(tx.execute("SELECT COUNT(*) FROM rm_scans").one()[0])  # type: ignore[index]


def test_a_backlog_is_served_at_once_survives_kill_9_and_catches_up(
    database_url: str, tmp_path: Path
) -> None:
    services = open_services(database_url, str(tmp_path), system_clock)
    try:
        token, _ = services.box_office.issue_organiser_token("backlog")
        mix = fill(services.box_office, registrations=1_000, scans=SCANS, signer=services.signer)
        projector = services.guest_list.projector
        assert projector.position() < projector.latest() - SCANS  # nothing read in between
        log = tmp_path / "gunicorn.log"
        with gunicorn(database_url, tmp_path, log) as (url, group):
            wait_for_answers(url, log)
            for path in ("arrivals", "registrations"):
                status, headers, _, seconds = get(
                    f"{url}/api/v1/gatherings/{mix.slug}/{path}", token
                )
                print(
                    f"first read of {path}: {status} in {seconds:.2f} s, "
                    f"{headers.get(BEHIND_HEADER)} events behind"
                )
                assert status == 200
                assert int(headers[BEHIND_HEADER]) > 0  # answered without waiting for it all
                assert seconds < WAIT_BOUND
            killed_at = kill_mid_catch_up(services, group)
        committed = projector.position()
        print(f"killed at event {committed} of {projector.latest()}")
        assert 0 < committed < projector.latest()
        assert projected_scans(services) == scans_up_to(services, committed)
        with gunicorn(database_url, tmp_path, log) as (url, _group):
            assert projector.position() >= committed >= killed_at  # nothing was lost
            wait_for_answers(url, log)
            figures, seconds = figures_once_caught_up(url, token, mix.slug)
        print(f"caught up {seconds:.1f} s after the restart")
        assert_figures(figures, mix)
    finally:
        services.close()


def kill_mid_catch_up(services: Services, group: int) -> int:
    """Let the followers commit a few batches, then kill -9 every process; return the position."""
    projector = services.guest_list.projector
    start = projector.position()
    deadline = time.monotonic() + 120
    while projector.position() < start + 5 * projector.batch:
        assert time.monotonic() < deadline, "the followers made no progress"
        time.sleep(0.05)
    seen = projector.position()
    os.killpg(group, signal.SIGKILL)
    time.sleep(0.5)
    return seen


def figures_once_caught_up(url: str, token: str, slug: str) -> tuple[Any, float]:
    started = time.monotonic()
    while time.monotonic() - started < 300:
        status, headers, body, _ = get(f"{url}/api/v1/gatherings/{slug}/arrivals", token)
        assert status == 200
        if BEHIND_HEADER not in headers:
            return body, time.monotonic() - started
        time.sleep(1)
    pytest.fail("the read models did not catch up within 300 s")


def assert_figures(figures: Any, mix: Mix) -> None:
    assert figures["checked_in"] == mix.arrived
    assert figures["inside"] == mix.inside
    assert figures["expected"] == sum(mix.expected.values())
    by_checkpoint = {c["code"]: (c["checked_in"], c["inside"]) for c in figures["by_checkpoint"]}
    for code, arrived in mix.arrived_by_checkpoint.items():
        assert by_checkpoint[code] == (arrived, mix.inside_by_checkpoint[code])
    by_category = {c["category"]: c["checked_in"] for c in figures["by_category"]}
    assert {k: v for k, v in by_category.items() if v} == mix.arrived_by_category
