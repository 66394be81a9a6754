"""An invitee who never accepted is erased through their invitation (SQLite and PostgreSQL).

By an owner (API, CLI) or by retention: their details, decline reason and mails are gone
from the decoded events, the invitations list, the mail listing, the outbox folder and the
store's bytes; an open invitation's seats go back; erasing twice answers 409.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from flask import Flask

from domain.invitation import Invitation
from tests.conftest import SLUG, FakeClock, gathering_payload, services_of
from tests.integration.test_concurrency import run_together
from tests.integration.test_erasure_everywhere import sqlite_bytes
from tests.integration.test_mail_erasure import everything_of, folder_bytes, mailing
from tests.integration.test_mail_smtp import organiser_headers
from tests.integration.test_personal_data import EMAIL, NAME, invitee, leaked
from tests.mail_support import mail_app

__all__ = ["mailing"]
LATER = "later-2026"
DUE = datetime(2026, 5, 30, 16, 30, tzinfo=UTC)
"""00:30 on 31 May in Shanghai: the test gathering's end (2 March) plus 90 days."""


def invite(app: Flask, slug: str = SLUG, **overrides: Any) -> dict[str, Any]:
    """Invite the distinctive guest (or another) through the API; return the invitation."""
    answer = app.test_client().post(
        f"/api/v1/gatherings/{slug}/invitations",
        json=invitee(**overrides),
        headers=organiser_headers(app),
    )
    assert answer.status_code == 201, answer.json
    return dict(answer.json)


def erase(app: Flask, invitation_id: str, slug: str = SLUG) -> Any:
    """Post the erasure of an invitation as an owner."""
    return app.test_client().post(
        f"/api/v1/gatherings/{slug}/invitations/{invitation_id}/erasure",
        json={"reason": "the invitee asked"},
        headers=organiser_headers(app),
    )


def held(app: Flask, invitation_id: str) -> int:
    """Return the seats the guest list holds for the invitation."""
    box_office = services_of(app).box_office
    guest_list = box_office.guest_list(box_office.gathering(SLUG).id)
    return int(guest_list.seats_held_by(UUID(invitation_id)))


def invitation_events_text(app: Flask, invitation_id: str) -> str:
    """Return the invitation's events, decoded (personal data opened when they can be)."""
    box_office = services_of(app).box_office
    return "".join(
        json.dumps(vars(e), default=_plain, ensure_ascii=False)
        for e in box_office.events.get(UUID(invitation_id))
    )


def _plain(value: Any) -> Any:
    return dict(value) if isinstance(value, Mapping) else str(value)


def listed(app: Flask, slug: str = SLUG) -> str:
    """Return the invitations list of the API, as text."""
    answer = app.test_client().get(
        f"/api/v1/gatherings/{slug}/invitations", headers=organiser_headers(app)
    )
    assert answer.status_code == 200, answer.json
    return json.dumps(answer.json, ensure_ascii=False)


def test_an_unanswered_invitee_erased_by_an_owner_is_gone_everywhere(
    mailing: Flask, tmp_path: Path
) -> None:
    invitation = invite(mailing)
    other = invite(mailing, full_name="Someone Else", name_zh="", email="else@example.org")
    services = services_of(mailing)
    assert len(services.outbox.run_once().sent) == 2
    assert EMAIL.encode() in folder_bytes(tmp_path / "outbox")
    assert NAME in listed(mailing)
    assert NAME in invitation_events_text(mailing, invitation["id"])
    assert held(mailing, invitation["id"]) == 1
    resent = mailing.test_client().post(
        f"/api/v1/gatherings/{SLUG}/invitations/{invitation['id']}/resend",
        headers=organiser_headers(mailing),
    )
    assert resent.status_code == 200, resent.json
    services.outbox.catch_up()  # the resent mail queued, not sent: cancelled by the erasure
    where = "sqlite file" if services.storage.kind == "sqlite" else "pg_dump"
    assert set(everything_of(mailing, tmp_path)) == {"listing", "events", "outbox folder", where}

    answer = erase(mailing, invitation["id"])
    assert answer.status_code == 200, answer.json
    assert (answer.json["erased"], answer.json["state"]) == (True, "revoked")
    assert (answer.json["full_name"], answer.json["email"]) == ("erased", "")
    assert held(mailing, invitation["id"]) == 0  # the seat went back
    assert held(mailing, other["id"]) == 1
    again = erase(mailing, invitation["id"])
    assert (again.status_code, again.json["error"]["code"]) == (409, "already_erased")

    assert leaked(listed(mailing).encode()) == []
    assert "Someone Else" in listed(mailing)
    assert leaked(invitation_events_text(mailing, invitation["id"]).encode()) == []
    kinds = [type(e).__name__ for e in services.box_office.events.get(UUID(invitation["id"]))]
    assert kinds == ["Invited", "Resent", "Revoked", "PersonalDataErased"]
    assert services.outbox.run_once(everything=True).sent == []  # the resent one: cancelled
    assert everything_of(mailing, tmp_path) == {}
    if services.storage.kind == "sqlite":  # closed: every byte of the files, checkpointed
        services.close()
        assert leaked(sqlite_bytes(tmp_path)) == []


def test_a_declined_invitees_reason_is_erased_by_the_cli_and_the_state_stays(
    mailing: Flask,
) -> None:
    invitation = invite(mailing)
    token = invitation["link"].rsplit("/", 1)[1]
    declined = mailing.test_client().post(
        f"/api/v1/invitations/{token}/decline", json={"reason": "Quillfeather is abroad"}
    )
    assert declined.status_code == 200, declined.json
    assert "Quillfeather is abroad" in invitation_events_text(mailing, invitation["id"])
    runner = mailing.test_cli_runner()
    args = ["personal-data", "erase-invitation", invitation["id"], "--reason", "asked"]
    done = runner.invoke(args=[*args, "--yes"])
    assert done.exit_code == 0, done.output
    found = services_of(mailing).invitations.invitation(UUID(invitation["id"]))
    assert (found.erased, found.state.value) == (True, "declined")
    assert leaked(invitation_events_text(mailing, invitation["id"]).encode()) == []
    twice = runner.invoke(args=[*args, "--yes"])
    assert twice.exit_code == 1
    assert "already_erased" in twice.output


def test_an_accepted_invitation_is_erased_through_its_registration(mailing: Flask) -> None:
    invitation = invite(mailing)
    token = invitation["link"].rsplit("/", 1)[1]
    client = mailing.test_client()
    accepted = client.post(f"/api/v1/invitations/{token}/accept", json={"consent": True})
    assert accepted.status_code == 201, accepted.json
    refused = erase(mailing, invitation["id"])
    assert (refused.status_code, refused.json["error"]["code"]) == (409, "invalid_transition")
    assert "registration" in refused.json["error"]["message"]
    assert NAME in listed(mailing)  # nothing was done
    elsewhere = erase(mailing, invitation["id"], slug="no-such-gathering")
    assert elsewhere.status_code == 404
    empty = client.post(
        f"/api/v1/gatherings/{SLUG}/invitations/{invitation['id']}/erasure",
        json={},
        headers=organiser_headers(mailing),
    )
    assert (empty.status_code, empty.json["error"]["field"]) == (422, "reason")


def test_retention_erases_the_due_gatherings_unanswered_invitees_once(
    mailing: Flask, clock: FakeClock
) -> None:
    client = mailing.test_client()
    later = gathering_payload(
        slug=LATER,
        starts_at="2026-06-10T09:30:00+08:00",
        ends_at="2026-06-10T13:00:00+08:00",
        registration_closes_at="2026-06-10T09:00:00+08:00",
    )
    created = client.post("/api/v1/gatherings", json=later, headers=organiser_headers(mailing))
    assert created.status_code == 201, created.json
    open_one = invite(mailing)
    declined = invite(mailing, full_name="Declining Guest", email="declines@example.org")
    accepted = invite(mailing, full_name="Accepting Guest", email="accepts@example.org")
    kept = invite(mailing, LATER, deadline="2026-06-01T18:00:00+08:00")
    token = declined["link"].rsplit("/", 1)[1]
    assert client.post(f"/api/v1/invitations/{token}/decline").status_code == 200
    token = accepted["link"].rsplit("/", 1)[1]
    answer = client.post(f"/api/v1/invitations/{token}/accept", json={"consent": True})
    assert answer.status_code == 201, answer.json
    services = services_of(mailing)
    clock.now = DUE
    ids = services.guest_list.gathering_ids()
    due = {d.gathering.slug: d for d in services.retention.schedule(ids, invitees=True)}
    assert (due[SLUG].invitees, due[LATER].invitees) == (2, 1)
    dry = services.retention.expire(ids, dry_run=True)
    assert sorted(map(str, dry[0].invitations)) == sorted([open_one["id"], declined["id"]])

    run = services.retention.expire(ids)
    assert [e.gathering.slug for e in run] == [SLUG]
    assert sorted(map(str, run[0].invitations)) == sorted([open_one["id"], declined["id"]])
    state = {
        i: (services.invitations.invitation(UUID(i)).erased,)
        for i in (open_one["id"], declined["id"], accepted["id"], kept["id"])
    }
    assert state == {
        open_one["id"]: (True,),
        declined["id"]: (True,),
        accepted["id"]: (False,),  # erased with its registration (its key is gone)
        kept["id"]: (False,),
    }
    invitation = services.box_office.load(Invitation, UUID(open_one["id"]), "invitation")
    assert invitation.state.value == "expired"  # past its deadline: expired, seats back
    assert NAME in listed(mailing, LATER)
    assert leaked(listed(mailing).encode()) == []
    position = services.box_office.recorder.max_notification_id()
    rerun = services.retention.expire(ids)
    assert [(len(e.erased), len(e.invitations)) for e in rerun] == [(0, 0)]
    assert services.box_office.recorder.max_notification_id() == position
    assert services.retention.schedule(ids, invitees=True)[0].invitees == 0


def test_an_erasure_racing_the_acceptance_leaves_one_coherent_outcome(
    mailing: Flask, database_url: str, clock: FakeClock, tmp_path: Path
) -> None:
    """Erase and accept in real threads (two app instances): one wins, seats stay right."""
    other = mail_app(database_url, clock, tmp_path)
    try:
        for _ in range(3):
            invitation = invite(mailing, email=f"racer{uuid4().hex[:6]}@example.org")
            token = invitation["link"].rsplit("/", 1)[1]

            def work(index: int, token: str = token, invitation: Any = invitation) -> Any:
                if index == 0:
                    return erase(mailing, invitation["id"])
                body = {"consent": True}
                return other.test_client().post(f"/api/v1/invitations/{token}/accept", json=body)

            erased_answer, accepted_answer = run_together(2, work)
            codes = (erased_answer.status_code, accepted_answer.status_code)
            assert codes in ((200, 409), (409, 201)), (erased_answer.json, accepted_answer.json)
            found = services_of(mailing).invitations.invitation(UUID(invitation["id"]))
            assert held(mailing, invitation["id"]) == 0
            if codes == (200, 409):
                assert accepted_answer.json["error"]["code"] == "invitation_revoked"
                assert (found.erased, found.state.value) == (True, "revoked")
            else:
                assert erased_answer.json["error"]["code"] == "invalid_transition"
                assert (found.erased, found.state.value) == (False, "accepted")
                assert found.details["full_name"] == NAME
    finally:
        services_of(other).close()


def test_an_erasure_stopped_before_the_key_went_is_finished_by_retention(
    mailing: Flask, clock: FakeClock, monkeypatch: Any
) -> None:
    invitation = invite(mailing)
    services = services_of(mailing)
    erasure = services.personal_data
    finish = erasure._finish_invitation

    def stopped(*args: Any) -> None:
        raise RuntimeError("the process stopped")

    monkeypatch.setattr(erasure, "_finish_invitation", stopped)
    with pytest.raises(RuntimeError):
        erasure.erase_invitation(UUID(invitation["id"]), "alice", "asked")
    monkeypatch.setattr(erasure, "_finish_invitation", finish)
    found = services.invitations.invitation(UUID(invitation["id"]))
    assert found.erased
    assert NAME in invitation_events_text(mailing, invitation["id"])  # its key is still there
    clock.now = DUE
    run = services.retention.expire(services.guest_list.gathering_ids())
    assert run[0].invitations == []  # erased before: not counted again, its key destroyed
    assert leaked(listed(mailing).encode()) == []
    assert leaked(invitation_events_text(mailing, invitation["id"]).encode()) == []
