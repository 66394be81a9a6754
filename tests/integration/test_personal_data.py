"""Personal data erasable by design: sealed in the event store, erased by destroying a key."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import Flask
from flask.testing import FlaskClient

from domain.errors import AlreadyErased, EmailAlreadyRegistered
from domain.invitation import Invitation
from domain.registration import GuestDetails, Registration
from events_app import create_app
from events_app.errors import DOMAIN_STATUSES
from events_app.services.corrections import Corrections
from events_app.store.personal_keys import MasterKeyError
from tests.checkin_helpers import badge_token, scan_body
from tests.conftest import SLUG, FakeClock, services_of

NAME = "Zephyrine Quillfeather-Okonkwo"
NAME_ZH = "龔鷺璇"
EMAIL = "zephyrine.quillfeather@example.org"
PHONE = "+852 6234 9817"
SECRETS = (NAME, NAME_ZH, EMAIL, PHONE, "Quillfeather", "6234 9817")


def details(**overrides: Any) -> GuestDetails:
    """Return the distinctive guest's details."""
    values: dict[str, Any] = {
        "full_name": NAME,
        "name_zh": NAME_ZH,
        "email": EMAIL,
        "phone": PHONE,
        "organisation": "Hong Kong Science and Technology Parks Corporation",
        "job_title": "Director",
        "consent": True,
    }
    return GuestDetails(**{**values, **overrides})


def invitee(**overrides: Any) -> dict[str, Any]:
    """Return the API body inviting the distinctive guest."""
    body = {
        "full_name": NAME,
        "name_zh": NAME_ZH,
        "organisation": "Government",
        "job_title": "Secretary",
        "email": EMAIL,
        "category": "guest",
        "batch": "officials",
        "deadline": "2026-02-20T18:00:00+08:00",
    }
    return {**body, **overrides}


def register(app: Flask, **overrides: Any) -> Registration:
    """Register the distinctive guest through the services (no read model is asked)."""
    return (
        services_of(app)
        .box_office.register_placed(SLUG, details(**overrides), "guest")
        .registration
    )


def stored_bytes(app: Flask, tmp_path: Path) -> bytes:
    """Return what the event store holds: the SQLite file and its log, or PostgreSQL's rows."""
    services = services_of(app)
    if services.storage.kind == "sqlite":
        files = [tmp_path / "events.sqlite", tmp_path / "events.sqlite-wal"]
        return b"".join(f.read_bytes() for f in files if f.exists())
    import psycopg

    schema = services.storage.schema
    with psycopg.connect(_postgres_url(services.storage)) as connection:
        rows = []
        for table in ("launchevents_events", "launchevents_snapshots"):
            rows += connection.execute(f'SELECT state FROM "{schema}".{table}').fetchall()
    return b"".join(bytes(row[0]) for row in rows)


def _postgres_url(storage: Any) -> str:
    p = storage.postgres
    return f"postgresql://{p['user']}:{p['password']}@{p['host']}:{p['port']}/{p['dbname']}"


def leaked(data: bytes) -> list[str]:
    """Return the distinctive details found in `data` (in UTF-8 or UTF-16)."""
    found = []
    for text in SECRETS:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            if text.encode(encoding) in data:
                found.append(f"{text} ({encoding})")
    return found


def key_row(app: Flask, subject: UUID) -> bytes | None:
    """Return the stored key of `subject`, read straight from the table."""
    return services_of(app).box_office.personal_keys._rows.get(subject.hex)


@pytest.fixture
def erasing(app: Flask, gathering: dict[str, Any]) -> Flask:
    """The app with its test gathering."""
    return app


def test_the_event_store_holds_no_personal_detail_in_plain(erasing: Flask, tmp_path: Path) -> None:
    registration = register(erasing)
    box_office = services_of(erasing).box_office
    shown = box_office.registration(registration.id).details
    assert (shown["full_name"], shown["name_zh"], shown["email"]) == (NAME, NAME_ZH, EMAIL)
    assert shown["phone"] == PHONE
    assert leaked(stored_bytes(erasing, tmp_path)) == []
    assert key_row(erasing, registration.id) is not None


def test_erasing_leaves_placeholders_and_the_states_and_counts(
    erasing: Flask, tmp_path: Path
) -> None:
    services = services_of(erasing)
    registration = register(erasing)
    key = key_row(erasing, registration.id)
    assert key is not None
    before = services.box_office.guest_list(registration.gathering_id)
    erased = services.personal_data.erase(registration.id, "alice", "the guest asked")
    assert erased.erased
    assert erased.state == registration.state
    for app in (erasing, _same_store_app(erasing)):
        loaded = services_of(app).box_office.registration(registration.id)
        assert loaded.details["full_name"] == "erased"
        assert loaded.details["name_zh"] == "已刪除"
        assert (loaded.details["email"], loaded.details["phone"]) == ("", "")
        assert (loaded.state, loaded.category) == (registration.state, registration.category)
    assert key_row(erasing, registration.id) is None
    if services.storage.kind == "sqlite":  # deleted securely and checkpointed: no copy left
        assert key not in stored_bytes(erasing, tmp_path)
    after = services.box_office.guest_list(registration.gathering_id)
    assert after.confirmed_count() == before.confirmed_count() == 1
    history = services.box_office.history(registration.id)
    assert history[-1].type == "PersonalDataErased"
    assert history[-1].data == {"reason": "the guest asked"}
    assert history[0].data["details"]["full_name"] == "erased"
    register(erasing, full_name="Someone Else")  # the e-mail address is free again


def _same_store_app(app: Flask) -> Flask:
    """Return a second app on the same store (as another process would be)."""
    other = create_app({**app.config, "SERVER_NAME": "localhost"})
    services_of(app).closing.append(services_of(other).close)
    return other


def test_erasing_twice_is_refused(erasing: Flask) -> None:
    services = services_of(erasing)
    registration = register(erasing)
    services.personal_data.erase(registration.id, "alice", "asked")
    with pytest.raises(AlreadyErased) as refused:
        services.personal_data.erase(registration.id, "alice", "asked again")
    assert refused.value.code == "already_erased"
    assert DOMAIN_STATUSES["already_erased"] == 409
    with pytest.raises(AlreadyErased):
        Corrections(services.box_office).correct_registration(registration.id, {"phone": "1"}, "a")


def test_a_correction_is_sealed_too(erasing: Flask, tmp_path: Path) -> None:
    registration = register(erasing, full_name="Plain Person", phone="")
    corrections = Corrections(services_of(erasing).box_office)
    corrected = corrections.correct_registration(
        registration.id, {"full_name": NAME, "phone": PHONE}, "alice"
    )
    assert set(corrected.changed) == {"full_name", "phone"}
    shown = services_of(erasing).box_office.registration(registration.id).details
    assert (shown["full_name"], shown["phone"]) == (NAME, PHONE)
    assert leaked(stored_bytes(erasing, tmp_path)) == []


def test_events_stored_before_sealing_still_load(erasing: Flask, tmp_path: Path) -> None:
    box_office = services_of(erasing).box_office
    gathering = box_office.gathering(SLUG)
    rid = uuid4()
    old = Registration(
        id=rid,
        gathering_id=gathering.id,
        details=details().as_dict(),  # a plain dict, as events were stored before
        category="guest",
        state="confirmed",
        at=erasing.config["CLOCK"](),
        actor="guest",
    )
    guest_list = box_office.guest_list(gathering.id)
    guest_list._join(registration_id=rid.hex, email=EMAIL, category="guest", standing="confirmed")
    box_office.save(old, guest_list)
    assert leaked(stored_bytes(erasing, tmp_path))  # as plain as they were: the test sees them
    loaded = _same_store_app(erasing)
    assert services_of(loaded).box_office.registration(rid).details["full_name"] == NAME
    with pytest.raises(EmailAlreadyRegistered):  # the plain key of an older list still holds
        register(erasing, email=EMAIL.upper())


def test_with_a_master_key_the_key_table_alone_opens_nothing(
    database_url: str, clock: FakeClock, tmp_path: Path
) -> None:
    master = base64.b64encode(os.urandom(32)).decode()
    config = {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "CLOCK": clock,
        "SECRET_KEY": "test-secret-key",
        "SERVER_NAME": "localhost",
        "PERSONAL_DATA_MASTER_KEY": master,
    }
    app = create_app(config)
    try:
        from tests.conftest import gathering_payload

        client = app.test_client()
        token, _ = services_of(app).box_office.issue_organiser_token("alice")
        created = client.post(
            "/api/v1/gatherings",
            json=gathering_payload(),
            headers={"Authorization": f"Bearer {token}"},
        )
        assert created.status_code == 201, created.json
        registration = register(app)
        stored = key_row(app, registration.id)
        assert stored is not None
        assert len(stored) > 32  # sealed: a nonce, the key sealed and its tag
        sealed = _sealed_details(app, registration.id)
        nonce, text = sealed[:12], sealed[12:]
        for candidate in (stored[:32], stored[-32:], stored[2:34], stored[14:46]):
            with pytest.raises(InvalidTag):
                AESGCM(candidate).decrypt(nonce, text, registration.id.hex.encode())
        with pytest.raises(MasterKeyError, match="set the master key"):
            create_app({**config, "PERSONAL_DATA_MASTER_KEY": ""})
        wrong = base64.b64encode(os.urandom(32)).decode()
        with pytest.raises(MasterKeyError, match="does not open"):
            create_app({**config, "PERSONAL_DATA_MASTER_KEY": wrong})
        again = create_app(dict(config))
        try:
            assert services_of(again).box_office.registration(registration.id).email == EMAIL
        finally:
            services_of(again).close()
    finally:
        services_of(app).close()


def _sealed_details(app: Flask, registration_id: UUID) -> bytes:
    """Return the sealed details of a registration's first event, as stored."""
    import json

    recorder = services_of(app).box_office.recorder
    first = recorder.select_events(registration_id, lte=1)[0]
    state = json.loads(first.state)
    return base64.b64decode(state["details"]["_data_"]["c"])


def test_a_scan_keeps_the_guest_sealed_and_erasure_keeps_the_check_in(
    app: Flask, client: FlaskClient, door: dict[str, str], clock: FakeClock, tmp_path: Path
) -> None:
    registration = register(app)
    token = badge_token(app, str(registration.id))
    body = scan_body(token, clock())
    first = scan(client, door, body)
    assert (first["status"], first["guest"]["full_name"]) == ("ok", NAME)
    assert first["guest"]["category"] == "guest"
    assert leaked(stored_bytes(app, tmp_path)) == []
    services_of(app).personal_data.erase(registration.id, "alice", "asked")
    clock.advance(minutes=3)
    second = scan(client, door, scan_body(token, clock()))  # an erased guest is unknown
    assert (second["status"], second["guest"], second["first_check_in"]) == ("unknown", None, None)
    replayed = scan(client, door, body)  # the first scan's answer, as it was recorded
    assert (replayed["recorded"], replayed["status"]) == (False, "ok")
    assert (replayed["guest"]["full_name"], replayed["guest"]["name_zh"]) == ("erased", "已刪除")
    assert replayed["guest"]["category"] == "guest"
    assert key_row(app, registration.id) is None  # the scans since made no key again
    services = services_of(app)
    services.guest_list.catch_up()
    with services.database.transaction() as tx:
        rows = tx.execute("SELECT category, status FROM rm_scans ORDER BY seq").all()
    assert rows == [("guest", "ok"), (None, "unknown")]


def scan(client: FlaskClient, door: dict[str, str], body: dict[str, Any]) -> Any:
    """Post one scan from the door device; return its answer."""
    response = client.post("/api/v1/scans", json=body, headers=door)
    assert response.status_code == 200, response.json
    return response.json


def test_an_invitation_is_sealed_and_erased_with_the_invitees_registration(
    app: Flask,
    client: FlaskClient,
    organiser: dict[str, str],
    gathering: dict[str, Any],
    tmp_path: Path,
) -> None:
    invited = client.post(
        f"/api/v1/gatherings/{SLUG}/invitations",
        json=invitee(),
        headers=organiser,
    )
    assert invited.status_code == 201, invited.json
    assert leaked(stored_bytes(app, tmp_path)) == []
    token = invited.json["link"].rsplit("/", 1)[1]
    accepted = client.post(f"/api/v1/invitations/{token}/accept", json={"consent": True})
    assert accepted.status_code == 201, accepted.json
    assert accepted.json["registration"]["full_name"] == NAME
    box_office = services_of(app).box_office
    invitation_id = UUID(invited.json["id"])
    assert box_office.load(Invitation, invitation_id, "invitation").details["full_name"] == NAME
    registration_id = UUID(accepted.json["registration"]["id"])
    services_of(app).personal_data.erase(registration_id, "alice", "asked")
    erased = box_office.load(Invitation, invitation_id, "invitation")
    assert (erased.details["full_name"], erased.email) == ("erased", "")
    assert erased.state == "accepted"
    assert key_row(app, invitation_id) is None


def test_a_key_is_stored_before_its_events_and_a_retried_save_keeps_it(
    erasing: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eventsourcing.persistence import OperationalError

    box_office = services_of(erasing).box_office
    insert = box_office.recorder.insert_events
    keys_when_inserting: list[bytes | None] = []

    def first_fails(stored: Any, **kwargs: Any) -> Any:
        submitted = [s for s in stored if s.topic.endswith("Registration.Submitted")]
        keys_when_inserting.append(key_row(erasing, UUID(str(submitted[0].originator_id))))
        if len(keys_when_inserting) == 1:
            raise OperationalError("the store went away for a moment")
        return insert(stored, **kwargs)

    monkeypatch.setattr(box_office.recorder, "insert_events", first_fails)
    registration = register(erasing)
    first, second = keys_when_inserting  # the save failed once, then was run again
    assert first is not None  # already committed when the events were written
    assert second == first  # the same key: the one made for the failed save
    monkeypatch.undo()
    assert box_office.registration(registration.id).details["full_name"] == NAME
