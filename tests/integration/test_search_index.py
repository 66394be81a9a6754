"""The search index finds exactly what reading the table finds (issue 15), in step with it.

On SQLite the index is the FTS5 trigram table `rm_registrations_search`; on PostgreSQL the
pg_trgm index. Each query is asked of the guest list and the door as they ask it and
compared with the same query written to read the table (`text_condition` without index).
"""

from __future__ import annotations

import logging
import random
import uuid
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from events_app.languages.scripts import search_key, to_simplified, to_traditional
from events_app.read_models import search
from events_app.read_models.guest_list import PROJECTION
from events_app.read_models.projector import set_position
from events_app.read_models.search import FTS5, SEARCH_TABLE, details_text, text_condition
from tests.checkin_helpers import confirmed_guest
from tests.conftest import FakeClock, database_url_for, make_app, services_of

TRADITIONAL = "黃陳張劉鄭楊鍾葉蘇國華偉傑門園區廣東秉修嘉欣"
SIMPLIFIED = "黄陈张刘郑杨钟叶苏国华伟杰门园区广东秉修嘉欣"
WORDS = ("wong", "chan", "O'Neil", 'say "hi"', "100%", "a_b", "back\\slash", "*star", "Ünï")
ORGANISATIONS = (
    "香港科技園",
    "深圳市政府",
    "皇崗口岸管理處",
    "Daily News",
    "50% off_ltd",
    '"Q" Co',
)
SPECIAL = (
    *("%", "_", "%_", '"', "'", "\\", "*", '"hi"', "100%", "a_b", "o'n", 'y "h', "0% o"),
    *('"q" c', "k\\s", "*st", "WONG", "  黄  ", "", " ", "none-such", "黄秉", "黃秉修"),
)
"""Wildcards, quotes and FTS5 syntax, case and spaces, nothing found."""
NUL = "ab\x00cd"
"""Ends SQLite's LIKE pattern, not an FTS5 string (PostgreSQL refuses it; the API too)."""


def generated(count: int, gathering_id: str) -> list[tuple[Any, ...]]:
    """Return `count` rm_registrations rows, Chinese names in both scripts, odd characters."""
    pick = random.Random(15)
    made = []
    for n in range(count):
        details = {
            "full_name": f"{pick.choice(WORDS)} {pick.choice(WORDS)} {n}",
            "name_zh": "".join(pick.choices(pick.choice((TRADITIONAL, SIMPLIFIED)), k=3)),
            "email": f"guest{n}@example.org",
            "organisation": pick.choice(ORGANISATIONS),
            "job_title": pick.choice(("Director", "總監", "总监")),
        }
        at = f"2026-03-01T09:{n // 60:02d}:{n % 60:02d}+08:00"
        made.append(
            (str(uuid.uuid4()), gathering_id, details["full_name"], details["name_zh"],
             details["organisation"], details["job_title"], details["email"], "", "guest",
             "confirmed", "", "", 0, at, at, details_text(details))
        )  # fmt: skip
    return made


def queries(made: list[tuple[Any, ...]]) -> list[str]:
    """Return pieces of 1, 2, 3 and 5 characters of the rows' fields, in either script."""
    pick = random.Random(7)
    found = list(SPECIAL)
    for length in (1, 2, 3, 5):
        for _ in range(25):
            text = str(pick.choice(made)[pick.choice((2, 3, 4, 5))])
            start = pick.randrange(max(1, len(text) - length + 1))
            piece = text[start : start + length]
            found.append(pick.choice((piece, to_traditional(piece), to_simplified(piece))))
    return found


def seed(app: Flask, made: list[tuple[Any, ...]]) -> None:
    with services_of(app).database.transaction() as tx:
        tx.execute_many(
            "INSERT INTO rm_registrations (id, gathering_id, full_name, name_zh, organisation, "
            "job_title, email, phone, category, state, dietary, accessibility, "
            "capacity_overridden, submitted_at, updated_at, search_text) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            made,
        )


def scanned(app: Flask, gathering_id: str, text: str) -> list[str]:
    """Return the ids a search for `text` finds reading the table, in the guest list's order."""
    with services_of(app).database.transaction() as tx:
        condition = text_condition(tx, "r", text)
        assert not condition.looked_up
        rows = tx.execute(
            f"SELECT r.id FROM rm_registrations r WHERE r.gathering_id = ? AND {condition.sql} "
            "ORDER BY r.submitted_at, r.id",
            [gathering_id, *condition.params],
        ).all()
    return [str(row[0]) for row in rows]


def looked_up(app: Flask, text: str) -> bool:
    services = services_of(app)
    with services.database.transaction() as tx:
        return text_condition(tx, "r", text, services.guest_list.search_index).looked_up


@pytest.mark.parametrize("lookup_limit", [search.LOOKUP_LIMIT, 15])
def test_indexed_searches_find_what_reading_the_table_finds(
    app: Flask, lookup_limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "LOOKUP_LIMIT", lookup_limit)  # 15: broad queries read the table
    services = services_of(app)
    gathering_id = str(uuid.uuid4())
    made = generated(400, gathering_id)
    seed(app, made)
    texts = {str(row[0]): str(row[-1]) for row in made}
    indexed = 0
    fts = services.guest_list.search_index == FTS5
    for q in [*queries(made), *([NUL] if fts else [])]:
        expected = scanned(app, gathering_id, q)
        if q != NUL:  # LIKE is `in` here: the folded text has no upper case
            key = search_key(q.strip())
            assert set(expected) == {rid for rid, text in texts.items() if key in text}, q
        page = services.guest_list.search(gathering_id, text=q, limit=1_000)
        assert [row.id for row in page.rows] == expected, q
        assert page.total == len(expected), q
        door = services.checkin_view.find_guests(gathering_id, q, limit=1_000)
        assert {guest["registration_id"] for guest in door} == set(expected), q
        indexed += looked_up(app, q)
    if fts:  # the 3- and 5-character pieces, the longer special ones (but the broad ones)
        assert indexed >= (40 if lookup_limit > 400 else 15)


def search_rows(app: Flask, registration_id: str) -> int:
    with services_of(app).database.transaction() as tx:
        row = tx.execute(f"SELECT COUNT(*) FROM {SEARCH_TABLE} WHERE id = ?", [registration_id])
        return int(row.one()[0])  # type: ignore[index]


def found(client: FlaskClient, organiser: dict[str, str], q: str) -> set[str]:
    response = client.get(
        "/api/v1/gatherings/launch-2026/registrations", query_string={"q": q}, headers=organiser
    )
    assert response.status_code == 200, response.json
    return {item["full_name"] for item in response.json["items"]}


@pytest.mark.parametrize("store", ["sqlite"])  # PostgreSQL's index is an index of the table
def test_the_sqlite_index_follows_corrections_and_rebuilds(
    app: Flask, client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    services = services_of(app)
    assert services.guest_list.search_index == FTS5
    guest = confirmed_guest(client, 1, full_name="Lee Ka Yan", name_zh="李嘉欣")
    other = confirmed_guest(client, 2, full_name="Chan Tai Man", name_zh="陳大文")
    corrected = client.patch(
        f"/api/v1/registrations/{guest['id']}",
        json={"name_zh": "鍾海峰", "organisation": "皇崗口岸管理處"},
        headers=organiser,
    )
    assert corrected.status_code == 200, corrected.json
    assert found(client, organiser, "钟海峰") == {"Lee Ka Yan"}
    assert found(client, organiser, "皇岗口岸") == {"Lee Ka Yan"}
    assert found(client, organiser, "李嘉欣") == set()
    assert search_rows(app, guest["id"]) == 1  # the old text is gone from the index
    services.guest_list.rebuild()  # the index is emptied with the table, and filled again
    assert search_rows(app, guest["id"]) == search_rows(app, other["id"]) == 1
    assert found(client, organiser, "鍾海峰") == {"Lee Ka Yan"}
    assert found(client, organiser, "陈大文") == {"Chan Tai Man"}


def test_without_the_trigram_tokenizer_sqlite_reads_the_table(
    tmp_path: Any,
    request: pytest.FixtureRequest,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    schema = search.SEARCH_TABLE_SCHEMA.replace("'trigram'", "'no_such_tokenizer'")
    monkeypatch.setattr(search, "SEARCH_TABLE_SCHEMA", schema)
    url = database_url_for("sqlite", tmp_path, request)
    with caplog.at_level(logging.WARNING, logger="events_app.read_models.search"):
        app = make_app(url, clock)
    gathering_id = str(uuid.uuid4())
    try:
        assert services_of(app).guest_list.search_index is None
        assert "no FTS5 trigram tokenizer" in caplog.text
        seed(app, generated(50, gathering_id))
        with services_of(app).database.transaction() as tx:  # as after a batch of events
            set_position(tx, PROJECTION, 1)
        assert_found_as_by_reading(app, gathering_id)
    finally:
        services_of(app).close()
    monkeypatch.undo()  # a later process that has the tokenizer indexes the rows there
    app = make_app(url, clock)
    try:
        assert services_of(app).guest_list.search_index == FTS5
        assert_found_as_by_reading(app, gathering_id)
    finally:
        services_of(app).close()


def assert_found_as_by_reading(app: Flask, gathering_id: str) -> None:
    for q in ("香港科技园", "黄", 'say "hi"', "guest7@", "50% off"):
        page = services_of(app).guest_list.search(gathering_id, text=q, limit=100)
        assert [row.id for row in page.rows] == scanned(app, gathering_id, q), q
    assert services_of(app).guest_list.search(gathering_id, text="guest7@").total == 1
