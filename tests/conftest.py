"""Shared fixtures: the app on each store, a settable clock, organiser tokens."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from events_app import create_app
from events_app.context import services

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
pytest_plugins = ["tests.checkin_helpers", "tests.console_helpers"]  # shared fixtures

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
SLUG = "launch-2026"


class FakeClock:
    """A clock the tests set and move."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move the clock forward."""
        self.now += timedelta(**delta)


def postgres_available() -> str | None:
    """Return why PostgreSQL cannot be used, or None when it can."""
    try:
        import psycopg

        with psycopg.connect(POSTGRES_URL, connect_timeout=3):
            return None
    except Exception as error:
        return f"PostgreSQL at {POSTGRES_URL} is unreachable: {error}"


def require_postgres() -> None:
    """Fail in CI, skip elsewhere, when the PostgreSQL server is missing."""
    problem = postgres_available()
    if problem is None:
        return
    if IN_CI:
        pytest.fail(problem)
    pytest.skip(problem)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL whose tables live in a fresh schema, dropped afterwards."""
    require_postgres()
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    yield f"{POSTGRES_URL}?schema={schema}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def database_url_for(store: str, tmp_path: Any, request: pytest.FixtureRequest) -> str:
    """Return the DATABASE_URL of a store kind for one test."""
    if store == "memory":
        return "memory://"
    if store == "sqlite":
        return f"sqlite:///{tmp_path / 'events.sqlite'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def clock() -> FakeClock:
    """A clock set inside the test gathering's registration window."""
    return FakeClock(datetime(2026, 2, 1, 9, 0, tzinfo=UTC))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest) -> str:
    """Each persistent store the app runs on."""
    return str(request.param)


@pytest.fixture
def database_url(store: str, tmp_path: Any, request: pytest.FixtureRequest) -> str:
    """The DATABASE_URL of the store under test."""
    return database_url_for(store, tmp_path, request)


def make_app(database_url: str, clock: FakeClock) -> Flask:
    """Create an app for tests on `database_url`."""
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "CLOCK": clock,
            "SECRET_KEY": "test-secret-key",
            "SERVER_NAME": "localhost",
        }
    )
    return app


@pytest.fixture
def app(database_url: str, clock: FakeClock) -> Iterator[Flask]:
    """The app on the store under test."""
    app = make_app(database_url, clock)
    yield app
    services_of(app).close()


def services_of(app: Flask) -> Any:
    """Return the services of `app`."""
    with app.app_context():
        return services()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A CLI runner."""
    return app.test_cli_runner()


@pytest.fixture
def organiser(app: Flask) -> dict[str, str]:
    """Headers with a fresh organiser token."""
    token, _ = services_of(app).box_office.issue_organiser_token("alice")
    return {"Authorization": f"Bearer {token}"}


def gathering_payload(**overrides: Any) -> dict[str, Any]:
    """Return the JSON of a test gathering (the 2 March 2026 launch, scaled down)."""
    payload: dict[str, Any] = {
        "slug": SLUG,
        "title_en": "Launch ceremony of the Hetao Hong Kong Youth Innovation Valley",
        "title_zh": "河套香港青年科創谷啟動儀式",
        "venue": "Hong Kong Science Park Shenzhen Branch",
        "venue_zh": "香港科學園深圳分園",
        "timezone": "Asia/Shanghai",
        "starts_at": "2026-03-02T09:30:00+08:00",
        "ends_at": "2026-03-02T13:00:00+08:00",
        "capacity": 10,
        "registration_opens_at": "2026-01-15T09:00:00+08:00",
        "registration_closes_at": "2026-03-02T09:00:00+08:00",
        "categories": {
            "guest": {"capacity": None, "approval_required": False},
            "vip": {"capacity": 3, "approval_required": True},
            "press": {"capacity": 2, "approval_required": True},
        },
    }
    payload.update(overrides)
    return payload


@pytest.fixture
def gathering(client: FlaskClient, organiser: dict[str, str]) -> dict[str, Any]:
    """A gathering created through the API."""
    response = client.post("/api/v1/gatherings", json=gathering_payload(), headers=organiser)
    assert response.status_code == 201, response.json
    return dict(response.json)


def guest(n: int = 1, **overrides: Any) -> dict[str, Any]:
    """Return a guest's registration JSON."""
    data: dict[str, Any] = {
        "full_name": f"Guest Number {n}",
        "name_zh": "黃秉修",
        "organisation": "Hong Kong Science and Technology Parks Corporation",
        "job_title": "Director",
        "email": f"guest{n}@example.org",
        "consent": True,
    }
    data.update(overrides)
    return data


LEVELS = ("unit", "api", "pages", "cli", "integration", "browser")
"""The folders tests are grouped in; each test carries its folder's name as a marker."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with its level (`pytest -m unit` runs the in-memory ones)."""
    for item in items:
        level = item.path.parent.name
        if level in LEVELS:
            item.add_marker(level)


def check_every_answer(
    monkeypatch: pytest.MonkeyPatch, problem_with: Callable[[str, Any], str | None]
) -> None:
    """Fail the test when `problem_with(path, response)` finds fault with any test-client answer."""
    opened = FlaskClient.open

    def open_and_check(self: FlaskClient, *args: Any, **kwargs: Any) -> Any:
        response = opened(self, *args, **kwargs)
        path = str(args[0] if args else kwargs.get("path", ""))
        if problem := problem_with(path, response):
            pytest.fail(f"{kwargs.get('method', 'GET')} {path}: {problem}")
        return response

    monkeypatch.setattr(FlaskClient, "open", open_and_check)
