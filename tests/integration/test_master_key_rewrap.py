"""`flask personal-data rewrap`: every key sealed under a new master key (or none), at once."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from events_app import create_app
from events_app.store.personal_keys import KEY_BYTES, MasterKeyError
from tests.conftest import FakeClock, services_of
from tests.integration.test_personal_data import EMAIL, register


def config(database_url: str, clock: FakeClock, master: str = "") -> dict[str, Any]:
    """Return a test app's configuration with the master key `master`."""
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "CLOCK": clock,
        "SECRET_KEY": "test-secret-key",
        "SERVER_NAME": "localhost",
        "PERSONAL_DATA_MASTER_KEY": master,
    }


def stored_keys(app: Flask) -> list[bytes]:
    """Return every stored key row of the app's store, as stored."""
    rows = services_of(app).box_office.personal_keys._rows
    found: list[bytes] = []
    rows.rewrite(lambda subject, stored: found.append(stored) or stored)
    return found


def reopened(database_url: str, clock: FakeClock, master: str) -> Flask:
    """Return a new app on the store, started with the master key `master`."""
    return create_app(config(database_url, clock, master))


def test_a_store_gets_a_master_key_then_a_new_one_then_none(
    app: Flask, gathering: dict[str, Any], database_url: str, clock: FakeClock, tmp_path: Path
) -> None:
    registration = register(app)
    key_file = tmp_path / "keys" / "master.key"
    key_file.parent.mkdir()
    result = app.test_cli_runner().invoke(
        args=["personal-data", "rewrap", "--new-key-file", str(key_file)]
    )
    assert result.exit_code == 0, result.output
    assert "new master key written" in result.output
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    first = key_file.read_text().strip()
    assert all(len(stored) > KEY_BYTES for stored in stored_keys(app))
    services_of(app).close()
    with pytest.raises(MasterKeyError):
        reopened(database_url, clock, "")
    sealed = reopened(database_url, clock, first)
    assert services_of(sealed).box_office.registration(registration.id).email == EMAIL

    second = tmp_path / "second.key"
    second.write_text(base64.b64encode(os.urandom(KEY_BYTES)).decode())
    result = sealed.test_cli_runner().invoke(
        args=["personal-data", "rewrap", "--new-key-file", str(second)]
    )
    assert result.exit_code == 0, result.output
    assert "new master key written" not in result.output
    services_of(sealed).close()
    with pytest.raises(MasterKeyError):
        reopened(database_url, clock, first)
    again = reopened(database_url, clock, second.read_text().strip())
    assert services_of(again).box_office.registration(registration.id).email == EMAIL

    result = again.test_cli_runner().invoke(args=["personal-data", "rewrap", "--no-master-key"])
    assert result.exit_code == 0, result.output
    assert all(len(stored) == KEY_BYTES for stored in stored_keys(again))
    services_of(again).close()
    plain = reopened(database_url, clock, "")
    try:
        assert services_of(plain).box_office.registration(registration.id).email == EMAIL
    finally:
        services_of(plain).close()


def test_a_key_that_does_not_open_changes_nothing(
    app: Flask, gathering: dict[str, Any], tmp_path: Path
) -> None:
    register(app)
    keys = services_of(app).box_office.personal_keys
    rows = keys._rows
    before = stored_keys(app)
    rows.insert("feed" * 8, b"M1" + os.urandom(60), "2026-01-01T00:00:00+00:00")  # foreign
    with pytest.raises(MasterKeyError):
        keys.rewrap(os.urandom(KEY_BYTES))
    assert stored_keys(app)[: len(before)] == before


@pytest.mark.parametrize(
    "args", [[], ["--no-master-key", "--new-key-file", "x.key"]], ids=["none", "both"]
)
def test_rewrap_needs_exactly_one_choice(app: Flask, args: list[str]) -> None:
    result = app.test_cli_runner().invoke(args=["personal-data", "rewrap", *args])
    assert result.exit_code == 2
    assert "--new-key-file or --no-master-key" in result.output


def test_a_file_without_a_key_is_refused(app: Flask, tmp_path: Path) -> None:
    bad = tmp_path / "bad.key"
    bad.write_text("not base64!")
    result = app.test_cli_runner().invoke(
        args=["personal-data", "rewrap", "--new-key-file", str(bad)]
    )
    assert result.exit_code == 1
    assert "base64" in result.output
