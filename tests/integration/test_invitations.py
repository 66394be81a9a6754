"""Invitations on each store: held seats, answers by link, expiry, waitlist promotion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from flask import Flask

from domain.answers import InvalidAnswers
from domain.errors import (
    ByInvitationOnly,
    InvalidTransition,
    InvitationDeclined,
    InvitationExpired,
    InvitationUsed,
    NoSeatAvailable,
    NotFound,
)
from domain.questionnaire import Question
from domain.registration import GuestDetails
from events_app.services.invitations import Companion, Invitee
from events_app.services.planning import Row, RowsRefused
from tests.conftest import SLUG, FakeClock, gathering_payload, services_of

DEADLINE = datetime(2026, 2, 20, 18, 0, tzinfo=UTC)


def details(n: int, **overrides: Any) -> GuestDetails:
    """Return a guest's details as the form gives them."""
    data: dict[str, Any] = {
        "full_name": f"Guest {n}",
        "email": f"guest{n}@example.org",
        "organisation": "HKSTP",
        "job_title": "Director",
        "consent": True,
    }
    data.update(overrides)
    return GuestDetails(**data)


def invitee(n: int, **overrides: Any) -> Invitee:
    """Return an invitee of the VIP category in batch `officials`."""
    data: dict[str, Any] = {
        "full_name": f"Official {n}",
        "email": f"official{n}@example.org",
        "category": "vip",
        "batch": "officials",
        "deadline": DEADLINE,
        "organisation": "Government",
        "language": "zh_Hans_CN",
    }
    data.update(overrides)
    return Invitee(**data)


@pytest.fixture
def svc(app: Flask) -> Any:
    """The services, with a gathering whose guest seats are 4 of 6 and VIP 3 (no approval)."""
    services = services_of(app)
    payload = gathering_payload(capacity=6)
    payload["categories"] = {
        "guest": {"capacity": 4, "approval_required": False},
        "vip": {"capacity": 3, "approval_required": False, "invitation_only": True},
        "press": {"capacity": 2, "approval_required": True},
    }
    services.box_office.schedule_gathering("alice", **_fields(payload))
    return services


def _fields(payload: dict[str, Any]) -> dict[str, Any]:
    fields = dict(payload)
    for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        fields[name] = datetime.fromisoformat(fields[name])
    return fields


def test_held_seats_count_against_capacity(svc: Any) -> None:
    for n in range(3):
        svc.invitations.invite(SLUG, invitee(n, category="guest"), "alice")
    svc.box_office.register_placed(SLUG, details(1), "guest")
    second = svc.box_office.register_placed(SLUG, details(2), "guest").registration
    assert second.state == "waitlisted"  # 3 held + 1 confirmed fill the 4 guest seats


def test_accepting_takes_the_held_seat_and_the_link_is_then_used(svc: Any) -> None:
    invitation = svc.invitations.invite(SLUG, invitee(1), "alice")
    token = svc.invitations.token(invitation)
    registration = svc.invitations.accept(token, details(1, email="someone.else@example.org"))
    assert registration.state == "confirmed"
    assert registration.invitation_id == invitation.id
    guest_list = svc.box_office.guest_list(invitation.gathering_id)
    assert guest_list.held_count() == 0
    assert guest_list.confirmed_count("vip") == 1
    with pytest.raises(InvitationUsed):
        svc.invitations.accept(token, details(1))
    with pytest.raises(InvitationUsed):
        svc.invitations.decline(token)


def test_a_forged_or_unknown_token_is_not_found(svc: Any) -> None:
    invitation = svc.invitations.invite(SLUG, invitee(1), "alice")
    token = svc.invitations.token(invitation)
    for bad in ("", "x" * 43, token[:-2] + "AA"):
        with pytest.raises(NotFound):
            svc.invitations.by_token(bad)


def test_the_public_cannot_take_an_invitation_only_category(svc: Any) -> None:
    with pytest.raises(ByInvitationOnly) as refused:
        svc.box_office.register_placed(SLUG, details(1), "vip")
    assert refused.value.field == "category"


def test_declined_seat_goes_to_the_first_waitlisted_guest(svc: Any) -> None:
    invitations = [
        svc.invitations.invite(SLUG, invitee(n, category="guest"), "alice") for n in range(4)
    ]
    first = svc.box_office.register_placed(SLUG, details(1), "guest").registration
    svc.box_office.register_placed(SLUG, details(2), "guest")
    assert first.state == "waitlisted"
    declined = svc.invitations.decline(svc.invitations.token(invitations[2]))
    assert declined.state == "declined"
    assert svc.box_office.registration(first.id).state == "confirmed"
    with pytest.raises(InvitationDeclined):
        svc.invitations.accept(svc.invitations.token(invitations[2]), details(9))


def test_expiry_at_the_deadline_frees_the_seat(svc: Any, clock: FakeClock) -> None:
    invitations = [
        svc.invitations.invite(SLUG, invitee(n, category="guest"), "alice") for n in range(4)
    ]
    waiting = svc.box_office.register_placed(SLUG, details(1), "guest").registration
    clock.now = DEADLINE + timedelta(seconds=1)
    with pytest.raises(InvitationExpired):
        svc.invitations.accept(svc.invitations.token(invitations[0]), details(0))
    assert svc.invitations.invitation(invitations[0].id).state == "expired"
    assert svc.box_office.registration(waiting.id).state == "confirmed"
    assert svc.invitations.sweep(SLUG) == 3
    counts = svc.invitations.counts(SLUG)
    assert counts["guest"]["expired"] == 4
    assert counts["guest"]["invited"] == 0


def test_too_few_free_seats_refuse_the_invitation(svc: Any) -> None:
    svc.invitations.invite(
        SLUG, invitee(1, companions_allowed=2, companions_reserved=True), "alice"
    )
    with pytest.raises(RowsRefused) as refused:
        svc.invitations.invite(SLUG, invitee(2), "alice")
    assert isinstance(refused.value.problems[0].refusal, NoSeatAvailable)


def test_companions_get_their_own_registrations_in_reserved_seats(svc: Any) -> None:
    invitation = svc.invitations.invite(
        SLUG, invitee(1, companions_allowed=2, companions_reserved=True), "alice"
    )
    token = svc.invitations.token(invitation)
    registration = svc.invitations.accept(
        token, details(1), [Companion("Aide One", "aide", email="aide@example.org")]
    )
    guest_list = svc.box_office.guest_list(invitation.gathering_id)
    assert guest_list.confirmed_count("vip") == 2
    assert guest_list.held_count("vip") == 1
    later = svc.invitations.name_companion(token, Companion("Photo Grapher", "photographer"))
    assert later.companion_of == registration.id
    assert later.state == "confirmed"
    assert svc.invitations.invitation(invitation.id).companions[1][1] == "Photo Grapher"
    with pytest.raises(Exception, match="allows 2"):
        svc.invitations.name_companion(token, Companion("Third", "aide"))


def test_no_companion_is_named_for_an_invitee_who_cancelled(svc: Any) -> None:
    invitation = svc.invitations.invite(SLUG, invitee(1, companions_allowed=1), "alice")
    token = svc.invitations.token(invitation)
    registration = svc.invitations.accept(token, details(1))
    svc.box_office.cancel(registration.id, "guest")
    before = svc.invitations.invitation(invitation.id).version
    with pytest.raises(InvalidTransition, match="cancelled"):
        svc.invitations.name_companion(token, Companion("Aide One", "aide"))
    assert svc.invitations.invitation(invitation.id).version == before
    guest_list = svc.box_office.guest_list(invitation.gathering_id)
    assert guest_list.confirmed_count("vip") == 0


def test_an_import_with_bad_rows_writes_nothing(svc: Any) -> None:
    rows = [
        Row(2, invitee(1)),
        Row(3, invitee(2, category="nonsense")),
        Row(4, invitee(3, email="official1@example.org")),
        Row(5, invitee(4, batch="new-batch", deadline=None)),
    ]
    with pytest.raises(RowsRefused) as refused:
        svc.invitations.invite_many(SLUG, rows, "alice")
    assert [(p.number, p.field) for p in refused.value.problems] == [
        (3, "category"),
        (4, "email"),
        (5, "deadline"),
    ]
    assert svc.invitations.of_gathering(SLUG) == []


def test_reminders_are_sent_once(svc: Any, clock: FakeClock) -> None:
    svc.invitations.invite(SLUG, invitee(1), "alice")
    assert svc.invitations.remind(SLUG, timedelta(days=2)) == 0  # deadline is far away
    clock.now = DEADLINE - timedelta(days=1)
    assert svc.invitations.remind(SLUG, timedelta(days=2)) == 1
    assert svc.invitations.remind(SLUG, timedelta(days=2)) == 0


def test_an_invitee_is_confirmed_even_where_the_category_needs_approval(svc: Any) -> None:
    invitations = [
        svc.invitations.invite(SLUG, invitee(n, category="press"), "alice") for n in range(2)
    ]
    registration = svc.invitations.accept(svc.invitations.token(invitations[0]), details(1))
    assert registration.state == "confirmed"  # inviting them was the organiser's approval
    other = svc.box_office.register_placed(SLUG, details(2), "press").registration
    assert other.state == "pending"  # the public still asks for approval
    assert svc.box_office.approve(other.id, "alice").state == "waitlisted"  # a seat is held
    guest_list = svc.box_office.guest_list(registration.gathering_id)
    assert guest_list.confirmed_count("press") == 1
    assert guest_list.held_count("press") == 1


def ask(svc: Any) -> None:
    """Ask a required dietary question of everyone and a required outlet of the press only."""
    dietary = Question(
        "dietary",
        "one_choice",
        {"en": "Dietary requirement", "zh_Hant_HK": "飲食要求"},
        required=True,
        choices=[
            {"key": "none", "labels": {"en": "None", "zh_Hant_HK": "沒有"}},
            {"key": "halal", "labels": {"en": "Halal", "zh_Hant_HK": "清真"}},
        ],
    )
    outlet = Question(
        "outlet",
        "short_text",
        {"en": "Media outlet", "zh_Hant_HK": "傳媒機構"},
        required=True,
        categories=["press"],
    )
    svc.questionnaires.add(SLUG, dietary, "alice")
    svc.questionnaires.add(SLUG, outlet, "alice")


def test_accepting_without_a_required_answer_writes_nothing(svc: Any) -> None:
    ask(svc)
    invitation = svc.invitations.invite(
        SLUG, invitee(1, companions_allowed=1, companions_reserved=True), "alice"
    )
    token = svc.invitations.token(invitation)
    with pytest.raises(InvalidAnswers) as refused:
        svc.invitations.accept(token, details(1), [Companion("Aide", "aide")])
    assert set(refused.value.problems) == {"dietary"}  # outlet is asked of the press only
    with pytest.raises(InvalidAnswers) as refused:
        svc.invitations.accept(token, details(1), answers={"dietary": "halal", "outlet": "X"})
    assert set(refused.value.problems) == {"outlet"}
    assert svc.invitations.invitation(invitation.id).state == "invited"
    guest_list = svc.box_office.guest_list(invitation.gathering_id)
    assert guest_list.held_count("vip") == 2
    assert guest_list.confirmed_count("vip") == 0


def test_the_invitees_answers_are_stored_and_the_companions_answer_none(svc: Any) -> None:
    ask(svc)
    invitation = svc.invitations.invite(
        SLUG, invitee(1, category="press", companions_allowed=1), "alice"
    )
    token = svc.invitations.token(invitation)
    registration = svc.invitations.accept(
        token,
        details(1),
        [Companion("Photo Grapher", "photographer")],
        answers={"dietary": "halal", "outlet": "  RTHK "},
    )
    stored = svc.box_office.registration(registration.id)
    assert stored.answers == {"dietary": "halal", "outlet": "RTHK"}
    companion_id = svc.invitations.invitation(invitation.id).companions[0][0]
    assert svc.box_office.registration(UUID(companion_id)).answers == {}
