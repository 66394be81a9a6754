"""Search across scripts: Simplified finds Traditional and the other way round (API, door)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from events_app.languages.scripts import search_key
from events_app.read_models.search import FTS5, PG_TRGM, text_condition
from events_app.store.sql import PostgresDatabase
from tests.checkin_helpers import confirmed_guest, door  # noqa: F401 (a fixture)
from tests.conftest import SLUG, services_of

REGISTER = f"/api/v1/gatherings/{SLUG}/registrations"


def found(client: FlaskClient, organiser: dict[str, str], q: str) -> set[str]:
    response = client.get(REGISTER, query_string={"q": q, "limit": 100}, headers=organiser)
    assert response.status_code == 200, response.json
    return {item["full_name"] for item in response.json["items"]}


def door_found(client: FlaskClient, headers: dict[str, str], q: str) -> set[str]:
    response = client.get("/api/v1/door/guests", query_string={"q": q}, headers=headers)
    assert response.status_code == 200, response.json
    return {item["full_name"] for item in response.json["items"]}


def three_guests(client: FlaskClient) -> None:
    confirmed_guest(client, 1, full_name="Wong Ping Sau", name_zh="黃秉修", organisation="HKU")
    confirmed_guest(client, 2, full_name="Huang Wei", name_zh="黄伟", organisation="深圳市政府")
    confirmed_guest(
        client, 3, full_name="Chan Tai Man", name_zh="陳大文", organisation="香港科技園"
    )


def test_registration_search_finds_either_script(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    three_guests(client)
    assert found(client, organiser, "黄秉") == {"Wong Ping Sau"}  # Simplified finds Traditional
    assert found(client, organiser, "黃秉修") == {"Wong Ping Sau"}
    assert found(client, organiser, "黃偉") == {"Huang Wei"}  # Traditional finds Simplified
    assert found(client, organiser, "黄伟") == {"Huang Wei"}
    assert found(client, organiser, "香港科技园") == {"Chan Tai Man"}
    assert found(client, organiser, "深圳市政府") == {"Huang Wei"}
    assert found(client, organiser, "HUANG") == {"Huang Wei"}
    assert found(client, organiser, "黄") == {"Wong Ping Sau", "Huang Wei"}
    assert found(client, organiser, "陳小文") == set()


def test_door_search_finds_either_script(
    client: FlaskClient,
    gathering: dict[str, Any],
    door: dict[str, str],  # noqa: F811
) -> None:
    three_guests(client)
    assert door_found(client, door, "黄秉") == {"Wong Ping Sau"}
    assert door_found(client, door, "黃偉") == {"Huang Wei"}
    assert door_found(client, door, "香港科技园") == {"Chan Tai Man"}
    assert door_found(client, door, "陈大") == {"Chan Tai Man"}
    assert door_found(client, door, "张三") == set()


def test_corrected_name_is_found_in_either_script(
    client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    guest = confirmed_guest(client, 1, full_name="Lee Ka Yan", name_zh="李嘉欣")
    corrected = client.patch(
        f"/api/v1/registrations/{guest['id']}",
        json={"name_zh": "鍾海", "organisation": "皇崗口岸"},
        headers=organiser,
    )
    assert corrected.status_code == 200, corrected.json
    assert found(client, organiser, "钟海") == {"Lee Ka Yan"}
    assert found(client, organiser, "皇岗") == {"Lee Ka Yan"}
    assert found(client, organiser, "李嘉欣") == set()


def plan(app: Flask, query: str) -> str:
    """Return the database's plan of the guest list's search for `query`, scans discouraged."""
    services = services_of(app)
    services.guest_list.catch_up()
    with services.database.transaction() as tx:
        searched = text_condition(tx, "r", query, services.guest_list.search_index)
        sql = f"SELECT r.id FROM rm_registrations r WHERE {searched.sql}"
        if store_of(app) == "postgres":
            tx.execute("SET LOCAL enable_seqscan = off")
            explained = tx.execute(f"EXPLAIN {sql}", searched.params).all()
            return "\n".join(str(r[0]) for r in explained)
        # as the guest list asks, within a gathering, whose index SQLite takes for selective
        sql += f" AND {searched.beside('r.gathering_id')} = ?"
        explained = tx.execute(f"EXPLAIN QUERY PLAN {sql}", [*searched.params, "g"]).all()
        return "\n".join(str(r[-1]) for r in explained)


def store_of(app: Flask) -> str:
    return "postgres" if isinstance(services_of(app).database, PostgresDatabase) else "sqlite"


def test_searches_of_three_characters_are_served_by_a_trigram_index(
    app: Flask, client: FlaskClient, gathering: dict[str, Any]
) -> None:
    three_guests(client)
    long_query, short_query = plan(app, "香港科技园"), plan(app, "黄伟")
    if store_of(app) == "postgres":
        assert services_of(app).guest_list.search_index == PG_TRGM
        assert "rm_registrations_trigrams" in long_query
        assert "rm_registrations_trigrams" not in short_query  # no trigram to look up
    else:  # SQLite 3.34 or later: its FTS5 trigram table finds the rows, by their id
        assert services_of(app).guest_list.search_index == FTS5
        assert "rm_registrations_search VIRTUAL TABLE" in long_query
        assert "SEARCH r USING INDEX sqlite_autoindex_rm_registrations_1 (id=?)" in long_query
        assert "rm_registrations_search" not in short_query
        assert "rm_registrations_by_gathering" in short_query  # the gathering's every row
    assert found_with_key(app, "香港科技園") == 1


def found_with_key(app: Flask, text: str) -> int:
    services = services_of(app)
    with services.database.transaction() as tx:
        row = tx.execute(
            "SELECT COUNT(*) FROM rm_registrations WHERE search_text LIKE ?",
            [f"%{search_key(text)}%"],
        ).one()
    return int(row[0])
