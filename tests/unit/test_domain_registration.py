"""Domain tests of the registration state machine and the guest list's invariants."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest

from domain.errors import (
    EmailAlreadyRegistered,
    InvalidTransition,
    NoSeatAvailable,
    OverrideNotAllowed,
)
from domain.gathering import Capacity
from domain.guest_list import GuestList
from domain.registration import GuestDetails, Registration, RegistrationState


def hashed(email: str) -> str:
    """Return a test's keyed hash of an e-mail address (the app's is an HMAC)."""
    return "h:" + email


AT = datetime(2026, 2, 1, 9, tzinfo=UTC)
GATHERING = uuid4()
S = RegistrationState


def registration(state: str = "pending", category: str = "guest") -> Registration:
    details = GuestDetails("Cha Yichao", "cha@example.org", "HKSTP", "Chairman", True, "查毅超")
    return Registration(
        id=uuid4(),
        gathering_id=GATHERING,
        details=details.as_dict(),
        category=category,
        state=state,
        at=AT,
        actor="guest",
    )


def last_event(registration: Registration) -> object:
    return registration.collect_events()[-1]


@pytest.mark.parametrize(
    ("start", "command", "end"),
    [
        ("pending", "approve", S.CONFIRMED),
        ("waitlisted", "approve", S.CONFIRMED),
        ("pending", "waitlist", S.WAITLISTED),
        ("pending", "reject", S.REJECTED),
        ("pending", "cancel", S.CANCELLED),
        ("confirmed", "cancel", S.CANCELLED),
        ("waitlisted", "cancel", S.CANCELLED),
        ("waitlisted", "promote", S.CONFIRMED),
    ],
)
def test_allowed_transitions(start: str, command: str, end: RegistrationState) -> None:
    r = registration(start)
    getattr(r, command)(AT, "organiser:alice")
    assert r.state is end
    event = last_event(r)
    assert event.actor == "organiser:alice"  # type: ignore[attr-defined]
    assert event.at == AT  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("start", "command"),
    [
        ("confirmed", "approve"),
        ("rejected", "approve"),
        ("cancelled", "approve"),
        ("confirmed", "waitlist"),
        ("waitlisted", "waitlist"),
        ("confirmed", "reject"),
        ("waitlisted", "reject"),
        ("cancelled", "reject"),
        ("rejected", "cancel"),
        ("cancelled", "cancel"),
        ("pending", "promote"),
        ("confirmed", "promote"),
    ],
)
def test_forbidden_transitions_change_nothing(start: str, command: str) -> None:
    r = registration(start)
    version = r.version
    with pytest.raises(InvalidTransition):
        getattr(r, command)(AT, "organiser:alice")
    assert r.state == start
    assert r.version == version


def test_approval_records_a_capacity_override() -> None:
    r = registration("pending", "vip")
    r.approve(AT, "organiser:alice", override=True)
    assert r.capacity_overridden
    assert last_event(r).capacity_override is True  # type: ignore[attr-defined]


def test_registration_remembers_its_history_in_order() -> None:
    r = registration("pending")
    r.approve(AT, "organiser:alice")
    r.cancel(AT, "guest", "cannot come")
    names = [type(e).__name__ for e in r.collect_events()]
    assert names == ["Submitted", "Approved", "Cancelled"]


# The guest list --------------------------------------------------------------------------

CAP = Capacity(overall=2, category=None)


def test_admit_confirms_while_seats_last_then_waitlists() -> None:
    gl = GuestList(gathering_id=GATHERING)
    states = [
        gl.admit(uuid4(), f"g{i}@example.org", "guest", CAP, approval_required=False, hasher=hashed)
        for i in range(4)
    ]
    assert states == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert gl.confirmed_count() == 2


def test_approval_required_makes_pending_and_takes_no_seat() -> None:
    gl = GuestList(gathering_id=GATHERING)
    assert (
        gl.admit(uuid4(), "v@example.org", "vip", CAP, approval_required=True, hasher=hashed)
        == "pending"
    )
    assert gl.confirmed_count() == 0


def test_one_active_registration_per_email_case_and_space_insensitive() -> None:
    gl = GuestList(gathering_id=GATHERING)
    first = uuid4()
    gl.admit(first, "Sun.Dong@Example.org", "guest", CAP, approval_required=False, hasher=hashed)
    with pytest.raises(EmailAlreadyRegistered) as refused:
        gl.admit(
            uuid4(), "  sun.dong@example.ORG ", "guest", CAP, approval_required=False, hasher=hashed
        )
    assert refused.value.field == "email"
    gl.release(first)
    assert gl.admit(
        uuid4(), "sun.dong@example.org", "guest", CAP, approval_required=False, hasher=hashed
    )


def test_category_capacity_is_enforced_alongside_overall() -> None:
    gl = GuestList(gathering_id=GATHERING)
    press = Capacity(overall=10, category=1)
    assert (
        gl.admit(uuid4(), "p1@x.org", "press", press, approval_required=False, hasher=hashed)
        == "confirmed"
    )
    assert (
        gl.admit(uuid4(), "p2@x.org", "press", press, approval_required=False, hasher=hashed)
        == "waitlisted"
    )
    assert (
        gl.admit(uuid4(), "g1@x.org", "guest", CAP, approval_required=False, hasher=hashed)
        == "confirmed"
    )


def test_decide_waitlists_when_full_and_override_is_vip_only() -> None:
    gl = GuestList(gathering_id=GATHERING)
    for i in range(2):
        gl.admit(uuid4(), f"g{i}@x.org", "guest", CAP, approval_required=False, hasher=hashed)
    vip, press = uuid4(), uuid4()
    gl.admit(vip, "vip@x.org", "vip", CAP, approval_required=True, hasher=hashed)
    gl.admit(press, "press@x.org", "press", CAP, approval_required=True, hasher=hashed)
    with pytest.raises(OverrideNotAllowed):
        gl.decide(press, "press", CAP, override=True)
    assert gl.decide(press, "press", CAP) == "waitlisted"
    assert gl.decide(vip, "vip", CAP, override=True) == "confirmed_over_capacity"
    assert gl.confirmed_count() == 3  # recorded over capacity
    assert not gl.has_seat("guest", CAP)


def test_an_override_is_not_used_while_a_seat_is_free() -> None:
    gl = GuestList(gathering_id=GATHERING)
    vip = uuid4()
    gl.admit(vip, "vip@x.org", "vip", CAP, approval_required=True, hasher=hashed)
    assert gl.decide(vip, "vip", CAP, override=True) == "confirmed"
    assert gl.collect_events()[-1].override is False  # type: ignore[attr-defined]


def test_approving_a_waitlisted_guest_without_a_seat_is_refused() -> None:
    gl = GuestList(gathering_id=GATHERING)
    for i in range(2):
        gl.admit(uuid4(), f"g{i}@x.org", "guest", CAP, approval_required=False, hasher=hashed)
    waiting = uuid4()
    gl.admit(waiting, "w@x.org", "guest", CAP, approval_required=False, hasher=hashed)
    with pytest.raises(NoSeatAvailable):
        gl.decide(waiting, "guest", CAP)


def test_promotions_are_first_come_first_served_among_those_who_fit() -> None:
    gl = GuestList(gathering_id=GATHERING)
    caps = {"guest": Capacity(2, None), "press": Capacity(2, 1)}
    seated = [uuid4(), uuid4()]
    gl.admit(seated[0], "a@x.org", "press", caps["press"], approval_required=False, hasher=hashed)
    gl.admit(seated[1], "b@x.org", "guest", caps["guest"], approval_required=False, hasher=hashed)
    press_waiting, guest_waiting, later = uuid4(), uuid4(), uuid4()
    gl.admit(
        press_waiting, "c@x.org", "press", caps["press"], approval_required=False, hasher=hashed
    )
    gl.admit(
        guest_waiting, "d@x.org", "guest", caps["guest"], approval_required=False, hasher=hashed
    )
    gl.admit(later, "e@x.org", "guest", caps["guest"], approval_required=False, hasher=hashed)
    assert gl.waitlist_position(later) == 3
    gl.release(seated[1])  # a guest seat frees; the press category is still full
    assert gl.next_promotions(caps) == [guest_waiting]
    gl.promote(guest_waiting)
    assert gl.waitlist_position(later) == 2
    gl.release(seated[0])  # the press seat frees
    assert gl.next_promotions(caps) == [press_waiting]


def test_release_frees_email_seat_and_waitlist_place() -> None:
    gl = GuestList(gathering_id=GATHERING)
    rid: UUID = uuid4()
    gl.admit(rid, "x@x.org", "guest", CAP, approval_required=False, hasher=hashed)
    gl.release(rid)
    assert gl.confirmed_count() == 0
    assert gl.emails == {}
