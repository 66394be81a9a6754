"""After an erasure no store, read model or door list holds the guest (SQLite and PostgreSQL).

The guest registers (with answers), is corrected, has their door list synced by a device
and is checked in; then an owner erases them. The bytes searched are the events', the
keys', the read models' and the mail listing's (and the outbox folder's, on SQLite).
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.checkin_helpers import badge_token, define_checkpoints, enrol_device, scan_body
from tests.conftest import IN_CI, SLUG, FakeClock, guest, services_of
from tests.console_helpers import open_account, sign_in

FIRST_NAME = "Theodora Wrexhamvale"
NAME = "Theodora Wrexhamvale-Abernethy"
NAME_ZH = "鄺燊霈"
EMAIL = "theodora.wrexhamvale@example.net"
PHONE = "+852 9187 4426"
ANSWER = "Wrexhamvale Gazette"
SECRETS = (NAME, FIRST_NAME, NAME_ZH, EMAIL, PHONE, "Wrexhamvale", "9187 4426", ANSWER)
ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")
OUTLET = {
    "key": "outlet",
    "kind": "short_text",
    "labels": {"en": "Media outlet", "zh_Hant_HK": "傳媒機構"},
}


def leaked(data: bytes) -> list[str]:
    """Return the guest's details found in `data`, in UTF-8 or UTF-16 (either order)."""
    secrets = {*SECRETS, *(s.lower() for s in SECRETS)}  # the search text is folded
    return sorted(
        f"{text} ({encoding})"
        for text in secrets
        for encoding in ENCODINGS
        if text.encode(encoding) in data
    )


def sqlite_bytes(tmp_path: Path) -> bytes:
    """Return every file under `tmp_path`, the store's log checkpointed into its file."""
    with sqlite3.connect(tmp_path / "events.sqlite") as connection:
        connection.execute("PRAGMA secure_delete = ON")
        busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        assert busy == 0
    files = [path for path in tmp_path.rglob("*") if path.is_file()]
    return b"".join(path.read_bytes() for path in sorted(files))


def pg_dump_bytes(database_url: str) -> bytes:
    """Return a pg_dump of the test schema, with bytea values decoded beside their hex."""
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        message = "pg_dump is missing (apt-get install postgresql-client)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    parts = urlsplit(database_url)
    schema = parse_qs(parts.query)["schema"][0]  # only this test's (others run beside it)
    server = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    dumped = subprocess.run(
        [pg_dump, *server, "-U", parts.username or "postgres", "-n", schema, parts.path[1:]],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout
    assert f"CREATE TABLE {schema}.rm_registrations".encode() in dumped
    hexes = re.findall(rb"\\\\x([0-9a-f]+)", dumped)
    assert hexes  # the events' states, as COPY writes bytea
    return dumped + b"".join(bytes.fromhex(h.decode()) for h in hexes)


def stored_bytes(app: Flask, tmp_path: Path, database_url: str) -> bytes:
    """Return what the store holds: the SQLite files, or the PostgreSQL schema's dump."""
    if services_of(app).storage.kind == "sqlite":
        return sqlite_bytes(tmp_path)
    return pg_dump_bytes(database_url)


RARE_TRIGRAMS = {"exh", "xha", "amv", "mva"}
"""Trigrams of "Wrexhamvale" that no other guest's search text has."""


def search_terms(tmp_path: Path) -> set[str]:
    """Return the terms SQLite's search index lists (of the rows it holds)."""
    with sqlite3.connect(tmp_path / "events.sqlite") as connection:
        connection.execute(
            "CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, rm_registrations_search, row)"
        )
        return {row[0] for row in connection.execute("SELECT term FROM temp.terms")}


def sync(client: FlaskClient, door: dict[str, str], since: int = 0) -> dict[str, Any]:
    response = client.get(f"/api/v1/door/list?since={since}", headers=door)
    assert response.status_code == 200, response.json
    return dict(response.json)


def figures(client: FlaskClient, organiser: dict[str, str], rid: str) -> dict[str, Any]:
    """Return the counts, the arrivals and the history's structure, as organisers see them."""
    listed = client.get(f"/api/v1/gatherings/{SLUG}/registrations", headers=organiser).json
    arrivals = client.get(f"/api/v1/gatherings/{SLUG}/arrivals", headers=organiser).json
    arrivals.pop("as_of", None)
    app_history = services_of(client.application).box_office.history(UUID(rid))
    return {
        "counts": listed["counts"],
        "total": listed["total"],
        "arrivals": arrivals,
        "history": [entry.type for entry in app_history],
    }


def rows_of(app: Flask, rid: str) -> dict[str, list[tuple[Any, ...]]]:
    """Return the guest's rows in the read model's personal tables."""
    with services_of(app).database.transaction() as tx:
        return {
            table: tx.execute(f"SELECT * FROM {table} WHERE {column} = ?", (rid,)).all()
            for table, column in (
                ("rm_registrations", "id"),
                ("rm_door_list", "registration_id"),
                ("rm_answers", "registration_id"),
            )
        }


@pytest.fixture
def lived(
    app: Flask, client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> dict[str, Any]:
    """The guest registered, answered, corrected, synced to a door and checked in."""
    asked = client.post(f"/api/v1/gatherings/{SLUG}/questions", json=OUTLET, headers=organiser)
    assert asked.status_code == 201, asked.json
    define_checkpoints(client, organiser)
    door = enrol_device(client, organiser)
    details = guest(1, full_name=FIRST_NAME, name_zh=NAME_ZH, email=EMAIL, phone=PHONE)
    answer = client.post(
        f"/api/v1/gatherings/{SLUG}/registrations", json={**details, "answers": {"outlet": ANSWER}}
    )
    assert answer.status_code == 201, answer.json
    rid = str(answer.json["id"])
    client.post(f"/api/v1/gatherings/{SLUG}/registrations", json=guest(2))  # someone else
    corrected = client.patch(
        f"/api/v1/registrations/{rid}", json={"full_name": NAME}, headers=organiser
    )
    assert corrected.status_code == 200, corrected.json
    synced = sync(client, door)
    assert NAME in {entry["full_name"] for entry in synced["entries"]}
    return {"rid": rid, "door": door, "synced": synced}


def test_after_erasure_nothing_holds_the_guest_and_the_figures_stay(
    app: Flask,
    client: FlaskClient,
    organiser: dict[str, str],
    lived: dict[str, Any],
    clock: FakeClock,
    tmp_path: Path,
    database_url: str,
) -> None:
    rid, door = lived["rid"], lived["door"]
    token = badge_token(app, rid)
    entered = client.post("/api/v1/scans", json=scan_body(token, clock()), headers=door).json
    assert (entered["status"], entered["guest"]["full_name"]) == ("ok", NAME)
    clock.advance(minutes=6)
    before = figures(client, organiser, rid)
    assert before["arrivals"] != {}
    assert before["total"] == 2
    version = sync(client, door)["version"]
    services_of(app).outbox.catch_up()  # their confirmation mail queued (not sent yet)
    assert NAME in " ".join(leaked(stored_bytes(app, tmp_path, database_url)))  # it finds them
    sqlite = services_of(app).storage.kind == "sqlite"
    if sqlite:
        assert search_terms(tmp_path) >= RARE_TRIGRAMS
    services_of(app).personal_data.erase(UUID(rid), "alice", "the guest asked")

    changes = sync(client, door, version)  # a device that held the guest forgets them
    assert {"registration_id": rid, "removed": True} in changes["entries"]
    assert changes["count"] == 1
    whole = sync(client, door)
    assert [entry["registration_id"] for entry in whole["entries"]] != [rid]
    assert rid not in {entry["registration_id"] for entry in whole["entries"]}
    clock.advance(minutes=1)
    again = client.post("/api/v1/scans", json=scan_body(token, clock()), headers=door).json
    assert (again["status"], again["guest"]) == ("unknown", None)

    after = figures(client, organiser, rid)
    assert after["history"] == [*before["history"], "PersonalDataErased"]
    assert {**after, "history": None} == {**before, "history": None}
    assert (
        client.get(
            f"/api/v1/gatherings/{SLUG}/registrations",
            query_string={"q": "Wrexhamvale"},
            headers=organiser,
        ).json["total"]
        == 0
    )
    projected = rows_of(app, rid)
    assert projected["rm_answers"] == []
    services_of(app).guest_list.rebuild()  # the events, read again, give the same rows
    assert rows_of(app, rid) == projected
    with services_of(app).database.transaction() as tx:
        mails = tx.execute("SELECT state FROM mail_messages WHERE registration_id = ?", (rid,))
        assert mails.all() == [("cancelled",)]  # listed, and searched below with the rest
    services_of(app).close()
    assert leaked(stored_bytes(app, tmp_path, database_url)) == []
    if sqlite:  # the search index lists no trigram of their name
        assert RARE_TRIGRAMS & search_terms(tmp_path) == set()


def test_the_console_history_reads_erased_where_the_name_was(
    app: Flask, client: FlaskClient, lived: dict[str, Any]
) -> None:
    rid = lived["rid"]
    page_url = f"/organiser/gatherings/{SLUG}/registrations/{rid}"
    signed_in = sign_in(client, open_account(app))
    assert signed_in.status_code == 303
    shown = client.get(page_url).get_data(as_text=True)
    assert FIRST_NAME in shown
    assert NAME in shown
    services_of(app).personal_data.erase(UUID(rid), "alice", "the guest asked")
    erased = client.get(page_url).get_data(as_text=True)
    assert leaked(erased.encode()) == []
    assert f"“{FIRST_NAME}” → “{NAME}”" in shown
    assert "“erased” → “erased”" in erased  # the correction, where the names were
