"""Helpers for rate-limit tests: apps with small limits on one store, requests from an address."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from events_app import create_app
from tests.conftest import FakeClock, services_of


def limited_app(database_url: str, clock: FakeClock, **config: Any) -> Flask:
    """Create a test app on `database_url` with these settings (e.g. small limits)."""
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "CLOCK": clock,
            "SECRET_KEY": "test-secret-key",
            "SERVER_NAME": "localhost",
            **config,
        }
    )


@contextmanager
def apps(
    database_url: str, clock: FakeClock, count: int = 2, **config: Any
) -> Iterator[list[Flask]]:
    """Several app instances on one store (as gunicorn workers or machines), closed after."""
    made = [limited_app(database_url, clock, **config) for _ in range(count)]
    try:
        yield made
    finally:
        for app in made:
            services_of(app).close()


def from_address(client: FlaskClient, address: str) -> FlaskClient:
    """Make the client's requests come from `address`."""
    client.environ_base["REMOTE_ADDR"] = address
    return client


def retry_after(response: Any) -> int:
    """Return the Retry-After of a 429, checking it is whole seconds."""
    assert response.status_code == 429, response.get_data(as_text=True)[:300]
    value = response.headers["Retry-After"]
    assert value.isdigit(), value
    return int(value)
