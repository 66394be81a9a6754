"""The notification log's order is its commit order while many doors scan at once.

A projection follows the log by asking for the notifications after the last id it saw
(`select_notifications(last, limit, inclusive_of_start=False)`). That is only sound if no
notification ever commits with an id below one already visible: the follower would pass
it by for good. On PostgreSQL eventsourcing's inserts take `LOCK TABLE ... IN EXCLUSIVE
MODE` so that ids are handed out in commit order; SQLite serialises every write.
Shown able to fail (scratch run, not kept): with that lock skipped, the follower missed
29 to 56 notifications per run, with or without a 5 ms sleep between insert and commit.
"""

from __future__ import annotations

import multiprocessing
import threading
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from events_app.services.checkin import ScanRequest
from tests.checkin_helpers import badge_token, confirmed_guest, define_checkpoints, enrol_device
from tests.conftest import FakeClock, services_of
from tests.integration.test_concurrency import JOIN_TIMEOUT, FixedClock, run_together

pytestmark = pytest.mark.slow

SECRET_KEY = "test-secret-key"  # the key make_app gives the app: the badge keys derive from it
THREADS = 6
PROCESSES = 2
SCANS = 25
"""Scans per thread or process, each of its own badge, in and out in turn."""
PAGE = 50


@dataclass(frozen=True)
class Scene:
    """An enrolled door and one badge per scanning thread or process."""

    device_id: UUID
    tokens: list[str]


@pytest.fixture
def scene(
    app: Flask, client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> Scene:
    define_checkpoints(client, organiser)
    headers = enrol_device(client, organiser)
    tokens = []
    for n in range(THREADS + PROCESSES):
        registration = confirmed_guest(client, n + 1)
        assert registration["state"] == "confirmed"
        tokens.append(badge_token(app, registration["id"]))
    return Scene(UUID(headers["X-Device-Id"]), tokens)


def scan_many(checkin: Any, device: Any, token: str, now: datetime, name: str) -> int:
    """Scan one badge SCANS times, in and out in turn; return how many were recorded."""
    recorded = 0
    for k in range(SCANS):
        request = ScanRequest(
            token=token,
            checkpoint="main-entrance",
            client_scan_id=f"{name}-{k:04d}",
            scanned_at=now,
            direction="in" if k % 2 == 0 else "out",
        )
        result = checkin.scan(device, request)
        assert result.answer["status"] == "ok", result.answer
        recorded += result.recorded
    return recorded


def scan_in_process(
    database_url: str,
    instance_path: str,
    now: str,
    device_id: str,
    token: str,
    ready: Any,
    out: Any,
) -> None:
    """Child process: open own services, wait for the parent, scan one badge SCANS times."""
    from events_app.context import open_services

    try:
        services = open_services(
            database_url, instance_path, FixedClock(now), secret_key=SECRET_KEY
        )
        try:
            device = services.devices.device(UUID(device_id))
            ready.wait(timeout=JOIN_TIMEOUT)
            name = f"process-{uuid.uuid4().hex[:8]}"
            out.put(scan_many(services.checkin, device, token, datetime.fromisoformat(now), name))
        finally:
            services.close()
    except BaseException:
        ready.abort()
        out.put(traceback.format_exc())


class Follower:
    """A thread reading the log after the last id it saw, as a projection does."""

    def __init__(self, recorder: Any) -> None:
        self.recorder = recorder
        self.seen: list[int] = []
        self.done = threading.Event()
        self.failure: BaseException | None = None
        self.thread = threading.Thread(target=self.run, daemon=True)

    def poll(self) -> int:
        """Read what follows the last id seen; return how many notifications came."""
        last = self.seen[-1] if self.seen else 0
        page = self.recorder.select_notifications(last, PAGE, inclusive_of_start=False)
        self.seen.extend(n.id for n in page)
        return len(page)

    def run(self) -> None:
        try:
            while not self.done.is_set():
                self.poll()
            while self.poll():  # what the last writers committed
                pass
        except BaseException as error:
            self.failure = error

    def stop(self) -> list[int]:
        """Stop following; return the ids seen, in the order seen."""
        self.done.set()
        if self.thread.ident is not None:  # started
            self.thread.join(timeout=JOIN_TIMEOUT)
        assert not self.thread.is_alive(), "the follower did not stop"
        if self.failure is not None:
            raise self.failure
        return self.seen


def start_processes(
    database_url: str, instance_path: str, clock: FakeClock, scene: Scene
) -> tuple[list[Any], Any, Callable[[], list[Any]]]:
    """Start the scanning processes; return them, the start barrier and their results."""
    context = multiprocessing.get_context("spawn")
    ready = context.Barrier(PROCESSES + 1)
    out = context.Queue()
    processes = [
        context.Process(
            target=scan_in_process,
            args=(
                database_url,
                instance_path,
                clock.now.isoformat(),
                str(scene.device_id),
                scene.tokens[THREADS + n],
                ready,
                out,
            ),
        )
        for n in range(PROCESSES)
    ]
    for process in processes:
        process.start()

    def results() -> list[Any]:
        try:
            return [out.get(timeout=JOIN_TIMEOUT) for _ in processes]
        finally:
            for process in processes:
                process.join(timeout=JOIN_TIMEOUT)
                if process.is_alive():
                    process.kill()

    return processes, ready, results


def test_a_follower_of_the_log_misses_nothing_while_threads_and_processes_scan(
    app: Flask, scene: Scene, database_url: str, tmp_path: Any, clock: FakeClock
) -> None:
    services = services_of(app)
    recorder = services.box_office.recorder
    device = services.devices.device(scene.device_id)
    before = recorder.max_notification_id() or 0
    processes, ready, results = start_processes(database_url, str(tmp_path), clock, scene)
    follower = Follower(recorder)
    follower.seen.append(before)
    try:
        ready.wait(timeout=JOIN_TIMEOUT)  # every process has its services open
        follower.thread.start()
        in_threads = run_together(
            THREADS,
            lambda i: scan_many(services.checkin, device, scene.tokens[i], clock(), f"t{i}"),
        )
    finally:
        in_processes = results()
        seen = follower.stop()[1:]

    assert [r for r in in_processes if not isinstance(r, int)] == []
    assert [p.exitcode for p in processes] == [0] * PROCESSES
    assert in_threads + in_processes == [SCANS] * (THREADS + PROCESSES)
    assert seen == sorted(set(seen)), "the follower saw an id twice or out of order"
    every = [n.id for n in recorder.select_notifications(before, 100_000, inclusive_of_start=False)]
    assert len(every) >= 2 * SCANS * (THREADS + PROCESSES)  # a Scan, an Attendance change
    missed = sorted(set(every) - set(seen))
    assert missed == [], f"{len(missed)} notifications committed behind the follower"
    assert seen == every
