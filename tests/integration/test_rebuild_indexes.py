"""A rebuild fills the tables without their secondary indexes and always makes them again."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from events_app.read_models.guest_list import SCHEMA
from events_app.read_models.rebuilding import secondary_indexes
from tests.conftest import services_of
from tests.integration.test_read_model_follower import register

INDEXES = set(secondary_indexes(SCHEMA))


def indexes(app: Flask) -> set[str]:
    """Return the names of the indexes the read-model database has now."""
    services = services_of(app)
    sql = (
        "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
        if services.storage.kind == "postgres"
        else "SELECT name FROM sqlite_master WHERE type = 'index'"
    )
    with services.database.transaction() as tx:
        return {str(row[0]) for row in tx.execute(sql).all()}


def registrations(app: Flask) -> list[tuple[Any, ...]]:
    with services_of(app).database.transaction() as tx:
        return tx.execute("SELECT * FROM rm_registrations ORDER BY id").all()


def test_the_indexes_are_gone_while_the_log_is_applied_and_back_after(
    app: Flask, client: FlaskClient, gathering: dict[str, Any]
) -> None:
    register(client, 3)
    projector = services_of(app).guest_list.projector
    projector.run_to_end()
    before = registrations(app)
    assert {"rm_scans_by_gathering", "rm_scans_by_device", "rm_scans_by_registration"} <= INDEXES
    real_step, seen = projector.step, []

    def step(**options: Any) -> int | None:
        seen.append(indexes(app) & INDEXES)
        return real_step(**options)

    projector.step = step  # type: ignore[method-assign]
    services_of(app).guest_list.rebuild()
    assert seen
    assert all(found == set() for found in seen)
    assert indexes(app) >= INDEXES
    assert registrations(app) == before


def test_a_rebuild_that_fails_still_makes_the_indexes_again(
    app: Flask, client: FlaskClient, gathering: dict[str, Any]
) -> None:
    register(client, 2)
    projector = services_of(app).guest_list.projector

    def failing(**options: Any) -> int | None:
        raise RuntimeError("killed mid-rebuild")

    projector.step = failing  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        services_of(app).guest_list.rebuild()
    assert indexes(app) >= INDEXES
