"""Free texts that may name people: reasons and companions, sealed and erased with the guest."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from flask import Flask
from flask.testing import FlaskClient

from domain.invitation import Invitation
from domain.registration import Registration
from events_app.presenters.invitations import companions_data
from tests.conftest import SLUG, services_of
from tests.integration.test_personal_data import EMAIL, NAME, details, invitee, stored_bytes

REASON = "Mr Ravensworth-Tiberius asked for it on the guest's behalf"
COMPANION = "Isambard Wrexleigh-Poutney"
ROLE = "aide to Minister Ffoulkes-Marchbanks"


def found(app: Flask, tmp_path: Path, *texts: str) -> list[str]:
    """Return which texts the stored events hold in plain (UTF-8 or UTF-16)."""
    data = stored_bytes(app, tmp_path)
    return [
        text
        for text in texts
        for encoding in ("utf-8", "utf-16-le", "utf-16-be")
        if text.encode(encoding) in data
    ]


def test_reject_and_cancel_reasons_are_sealed_and_read_empty_once_erased(
    app: Flask, gathering: dict[str, Any], tmp_path: Path
) -> None:
    box_office = services_of(app).box_office
    pending = box_office.register_placed(SLUG, details(), "vip").registration
    box_office.reject(pending.id, "alice", REASON)
    guest = box_office.register_placed(
        SLUG, details(email="other@example.org"), "guest"
    ).registration
    box_office.cancel(guest.id, "alice", REASON.upper())
    box_office.cancel(
        box_office.register_placed(SLUG, details(email="x@example.org"), "guest").registration.id,
        "bo",
    )
    assert found(app, tmp_path, REASON, REASON.upper(), "Ravensworth") == []
    assert box_office.history(pending.id)[-1].data["reason"] == REASON
    assert box_office.history(guest.id)[-1].data["reason"] == REASON.upper()
    services_of(app).outbox.catch_up()  # the rejection's and cancellations' mails queue
    for registration in (pending, guest):
        services_of(app).personal_data.erase(registration.id, "alice", "asked")
    assert [e.data.get("reason") for e in box_office.history(pending.id)[-2:]] == ["", "asked"]
    assert box_office.history(guest.id)[-2].data["reason"] == ""


def test_companions_are_sealed_with_their_own_registration_and_erased_with_it(
    app: Flask,
    client: FlaskClient,
    organiser: dict[str, str],
    gathering: dict[str, Any],
    tmp_path: Path,
) -> None:
    invited = client.post(
        f"/api/v1/gatherings/{SLUG}/invitations",
        json=invitee(name_zh="", companions_allowed=2),
        headers=organiser,
    )
    assert invited.status_code == 201, invited.json
    token = invited.json["link"].rsplit("/", 1)[1]
    accepted = client.post(
        f"/api/v1/invitations/{token}/accept",
        json={"consent": True, "companions": [{"full_name": COMPANION, "role": ROLE}]},
    )
    assert accepted.status_code == 201, accepted.json
    named = client.post(
        f"/api/v1/invitations/{token}/companions", json={"full_name": "Second Person", "role": "x"}
    )
    assert named.status_code == 201, named.json
    box_office = services_of(app).box_office
    invitation_id = UUID(invited.json["id"])
    first, second = box_office.load(Invitation, invitation_id, "invitation").companions
    assert (first[1:], second[1:]) == ([COMPANION, ROLE], ["Second Person", "x"])
    assert found(app, tmp_path, COMPANION, ROLE, "Wrexleigh") == []
    services_of(app).personal_data.erase(UUID(first[0]), "alice", "the companion asked")
    invitation = box_office.load(Invitation, invitation_id, "invitation")
    assert companions_data(invitation) == [
        {"registration_id": first[0], "full_name": "erased", "role": ""},
        {"registration_id": second[0], "full_name": "Second Person", "role": "x"},
    ]
    history = box_office.changes(invitation_id)
    accepted_entry = next(e for e in history if e.type == "Accepted")
    assert accepted_entry.data["companions"][0][1] == {"full_name": "erased", "role": ""}


def test_reasons_and_companions_stored_plain_before_still_load(
    app: Flask, gathering: dict[str, Any]
) -> None:
    box_office = services_of(app).box_office
    gathering_id = box_office.gathering(SLUG).id
    at = app.config["CLOCK"]()
    old = Registration(
        id=uuid4(),
        gathering_id=gathering_id,
        details=details().as_dict(),
        category="guest",
        state="confirmed",
        at=at,
        actor="guest",
    )
    old._cancel(at=at, actor="alice", reason=REASON)  # a plain text, as stored before
    invitation = Invitation(
        id=uuid4(),
        gathering_id=gathering_id,
        batch="officials",
        deadline=at + timedelta(days=3),
        details={"full_name": NAME, "email": EMAIL},
        category="guest",
        companions_allowed=1,
        companions_reserved=False,
        token_digest="0" * 64,
        at=at,
        actor="alice",
    )
    companion_id = str(uuid4())
    invitation._accept(
        registration_id=old.id, companions=[[companion_id, COMPANION, ROLE]], at=at, actor="bo"
    )
    box_office.save(old, invitation)
    assert box_office.history(old.id)[-1].data["reason"] == REASON
    loaded = box_office.load(Invitation, invitation.id, "invitation")
    assert loaded.companions == [[companion_id, COMPANION, ROLE]]
