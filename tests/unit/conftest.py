"""Unit tests: the domain, the printing functions and the source tree, in memory.

No app, no database, no server: a unit test that asks for one of the app fixtures is
refused here, so the level stays fast and runs anywhere.
"""

from __future__ import annotations

import pytest

APP_FIXTURES = ("app", "client", "runner", "database_url", "postgres_url", "gathering")


def _refuse(request: pytest.FixtureRequest) -> None:
    pytest.fail(
        f"{request.node.nodeid} asks for {request.fixturename!r}: unit tests run in memory "
        "without the app; move it to tests/api, tests/pages or tests/integration"
    )


@pytest.fixture
def app(request: pytest.FixtureRequest) -> None:
    """Refused: unit tests do not start the app."""
    _refuse(request)


@pytest.fixture
def client(request: pytest.FixtureRequest) -> None:
    """Refused: unit tests do not start the app."""
    _refuse(request)


@pytest.fixture
def runner(request: pytest.FixtureRequest) -> None:
    """Refused: unit tests do not start the app."""
    _refuse(request)


@pytest.fixture
def database_url(request: pytest.FixtureRequest) -> None:
    """Refused: unit tests open no database."""
    _refuse(request)
