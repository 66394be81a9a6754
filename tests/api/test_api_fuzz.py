"""A short, seeded schemathesis pass over the whole API, in process (WSGI): never a 5xx.

Every operation of /api/v1/openapi.json gets schemathesis' deterministic coverage cases
(boundary values, wrong types, missing fields: about 2,800) with an organiser's token,
then a few seeded generated requests, valid and invalid, with a door device's token and
with an organiser's, on the demo gathering (its slug fixed, so requests reach past the
gathering lookup). The exceptions the app logs for its 500s are collected; any 500 fails
the test, with the exception and a curl command that reproduces it.
benchmarks/fuzz_api.py runs the same over HTTP for longer, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, has_request_context, request

from events_app.cli.demo import create_demo_gathering
from events_app.demo import DEMO_SLUG
from tests.conftest import FakeClock, guest, make_app, services_of

schemathesis = pytest.importorskip("schemathesis")

EXAMPLES = 4
SEED = 20_261_102
CASE = "X-Fuzz-Case"


class Crashes(logging.Handler):
    """Remembers the exception the app logs for an unexpected error, by fuzz case."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.by_case: dict[str, str] = {}

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the exception's type and message."""
        if record.exc_info and record.exc_info[1] and has_request_context():
            error = record.exc_info[1]
            self.by_case[request.headers.get(CASE, "")] = f"{type(error).__name__}: {error}"


@dataclass
class Findings:
    """The requests sent and the 5xx answers."""

    sent: int = 0
    server_errors: list[str] = field(default_factory=list)


@pytest.fixture
def fuzzed_app(tmp_path: Path) -> Iterator[Flask]:
    """The demo gathering on an SQLite file, with the app's crash log collected."""
    app = make_app(f"sqlite:///{tmp_path / 'fuzz.sqlite'}", FakeClock(datetime.now(UTC)))
    with app.app_context():
        create_demo_gathering(services_of(app).box_office, services_of(app).planning)
    try:
        yield app
    finally:
        services_of(app).close()


def token_for(app: Flask, kind: str) -> str:
    """Return a new organiser token, or a newly enrolled door device's token."""
    services = services_of(app)
    if kind == "organiser":
        return str(services.box_office.issue_organiser_token("fuzz")[0])
    new = services.devices.register(DEMO_SLUG, "fuzz door", timedelta(days=1), "fuzz")
    return str(services.devices.enrol(new.setup_code).token)


def send(case: Any, token: str, findings: Findings, crashes: Crashes) -> None:
    """Send one case; keep a 5xx answer with its exception and a curl command."""
    findings.sent += 1
    label = f"{case.operation.label} #{findings.sent}"
    if "slug" in (case.path_parameters or {}):
        case.path_parameters["slug"] = DEMO_SLUG
    response = case.call(headers={"Authorization": f"Bearer {token}", CASE: label})
    if response.status_code < 500:
        return
    cause = crashes.by_case.get(label, "no exception logged")
    found = f"{response.status_code} {label}: {cause[:200]}\n  {case.as_curl_command()}"
    findings.server_errors.append(found)


def coverage_cases(schema: Any, operation: Any) -> Iterator[Any]:
    """Yield schemathesis' coverage-phase cases of an operation, valid and invalid."""
    from schemathesis import GenerationMode

    yield from schema.iter_coverage_cases(
        operation,
        generation_modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        generation_config=schema.config.generation_for(operation=operation),
    )


def fuzz_operation(operation: Any, token: str, findings: Findings, crashes: Crashes) -> None:
    """Send a few seeded positive and negative cases to one operation."""
    from hypothesis import HealthCheck, Phase, given, seed, settings
    from hypothesis import strategies as st
    from schemathesis import GenerationMode

    cases = st.one_of(
        operation.as_strategy(mode) for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    )

    @seed(SEED)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases)
    def run(case: Any) -> None:
        send(case, token, findings, crashes)

    run()


@pytest.mark.slow
def test_fuzzed_api_never_answers_5xx(fuzzed_app: Flask) -> None:
    crashes = Crashes()
    logger = logging.getLogger("events_app")
    logger.addHandler(crashes)
    findings = Findings()
    try:
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzzed_app)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 60
        for kind in ("device", "organiser"):  # the organiser's cases revoke devices
            token = token_for(fuzzed_app, kind)
            for operation in operations:
                fuzz_operation(operation, token, findings, crashes)
                if kind == "organiser":
                    for case in coverage_cases(schema, operation):
                        send(case, token, findings, crashes)
        # Issue 12's integers past 64 bits and lone surrogates, answered 4xx.
        probe = schema["/api/v1/gatherings/{slug}/registrations"]["GET"]
        for offset in (2**63, 2**70):
            case = probe.Case(path_parameters={"slug": DEMO_SLUG}, query={"offset": offset})
            send(case, token, findings, crashes)
        register = schema["/api/v1/gatherings/{slug}/registrations"]["POST"]
        body = guest(1, full_name="Guest \ud800")  # would reach the store if not refused
        case = register.Case(
            path_parameters={"slug": DEMO_SLUG}, body=body, media_type="application/json"
        )
        send(case, token, findings, crashes)
    finally:
        logger.removeHandler(crashes)
    assert findings.sent >= 2_000
    assert findings.server_errors == [], "\n".join(findings.server_errors)


def test_the_crash_log_names_the_exception_of_a_500(fuzzed_app: Flask) -> None:
    fuzzed_app.add_url_rule("/api/v1/boom", "boom", lambda: str(1 // 0))
    crashes = Crashes()
    logger = logging.getLogger("events_app")
    logger.addHandler(crashes)
    try:
        response = fuzzed_app.test_client().get("/api/v1/boom", headers={CASE: "boom #1"})
    finally:
        logger.removeHandler(crashes)
    assert response.status_code == 500
    assert crashes.by_case["boom #1"].startswith("ZeroDivisionError")
