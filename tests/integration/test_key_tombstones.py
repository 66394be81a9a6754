"""A destroyed key leaves a tombstone: no write racing the erasure makes the subject a new key."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from flask import Flask

from domain.personal import Kind, personal
from events_app.store.key_rows import MemoryRows, Rows, SQLiteRows
from events_app.store.personal_keys import PersonalKeys
from events_app.store.sealing import SealedPersonalData
from tests.conftest import services_of


@pytest.fixture(params=["memory", "sqlite"])
def rows(request: pytest.FixtureRequest, tmp_path: Path) -> Rows:
    if request.param == "memory":
        return MemoryRows()
    return SQLiteRows(str(tmp_path / "keys.sqlite"))


def test_a_destroyed_subject_gets_no_new_key_and_seals_nothing(rows: Rows) -> None:
    keys = PersonalKeys(rows)
    subject = uuid.uuid4()
    sealing = SealedPersonalData(keys)
    details = personal(
        subject, {"full_name": "Chan Tai Man", "email": "chan@example.org"}, Kind.DETAILS
    )
    before = sealing.encode(details)
    assert sealing.decode(before)["full_name"] == "Chan Tai Man"
    assert keys.destroy(subject.hex) is True
    assert keys.cipher(subject.hex, create=True) is None  # the tombstone stays
    late = sealing.encode(details)  # e.g. a scan saved just after the erasure
    assert "Chan Tai Man" not in json.dumps(late, ensure_ascii=False)
    assert "chan@example.org" not in json.dumps(late, ensure_ascii=False)
    assert sealing.decode(late)["full_name"] == "erased"
    assert sealing.decode(before)["full_name"] == "erased"
    assert keys.destroy(subject.hex) is False  # nothing left to destroy
    other = uuid.uuid4()
    assert keys.cipher(other.hex, create=True) is not None  # others still get keys
    keys.close()


def test_the_stores_tombstones_hold_on_sqlite_and_postgresql(app: Flask) -> None:
    keys = services_of(app).box_office.personal_keys
    subject = uuid.uuid4().hex
    assert keys.cipher(subject, create=True) is not None
    assert keys.destroy(subject) is True
    assert keys.cipher(subject, create=True) is None
    assert keys.cipher(subject) is None
    assert keys.destroy(subject) is False
