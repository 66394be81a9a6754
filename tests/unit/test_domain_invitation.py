"""Invitations in the domain: held seats in the guest list, the answers, batches' deadlines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.errors import (
    AlreadyErased,
    InvalidTransition,
    InvalidValue,
    InvitationDeclined,
    InvitationExpired,
    InvitationRevoked,
    InvitationUsed,
    NoSeatAvailable,
)
from domain.gathering import Capacity, CategoryPolicy, Gathering
from domain.guest_list import GuestList
from domain.invitation import Invitation, InvitationRoll


def hashed(email: str) -> str:
    """Return a test's keyed hash of an e-mail address (the app's is an HMAC)."""
    return "h:" + email


AT = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
DEADLINE = AT + timedelta(days=10)
VIP = Capacity(overall=10, category=3)


def invitation(companions: int = 0, reserved: bool = False) -> Invitation:
    """Return a new invitation to the VIP category."""
    return Invitation(
        id=uuid4(),
        gathering_id=uuid4(),
        batch="officials",
        deadline=DEADLINE,
        details={"full_name": "Official", "email": "o@example.org"},
        category="vip",
        companions_allowed=companions,
        companions_reserved=reserved,
        token_digest="d",
        at=AT,
        actor="alice",
    )


def test_held_seats_keep_others_out_and_waitlist_them() -> None:
    guest_list = GuestList(gathering_id=uuid4())
    guest_list.hold(uuid4(), "vip", 2, VIP)
    assert guest_list.admit(
        uuid4(), "a@example.org", "vip", VIP, approval_required=False, hasher=hashed
    ) == ("confirmed")
    assert guest_list.admit(
        uuid4(), "b@example.org", "vip", VIP, approval_required=False, hasher=hashed
    ) == ("waitlisted")
    with pytest.raises(NoSeatAvailable):
        guest_list.hold(uuid4(), "vip", 1, VIP)


def test_a_held_seat_is_taken_by_the_invitee_and_released_seats_promote() -> None:
    guest_list = GuestList(gathering_id=uuid4())
    holder, other = uuid4(), uuid4()
    guest_list.hold(holder, "vip", 2, VIP)
    guest_list.hold(other, "vip", 1, VIP)
    waiting = uuid4()
    guest_list.admit(waiting, "w@example.org", "vip", VIP, approval_required=False, hasher=hashed)
    invitee = uuid4()
    state = guest_list.admit_held(
        invitee, "i@example.org", holder, "vip", VIP, approval_required=False, hasher=hashed
    )
    assert state == "confirmed"
    assert guest_list.seats_held_by(holder) == 1
    assert guest_list.next_promotions({"vip": VIP}) == []
    guest_list.unhold(other)
    assert guest_list.next_promotions({"vip": VIP}) == [waiting]


def test_a_pending_invitee_keeps_the_seat_held_until_approved() -> None:
    guest_list = GuestList(gathering_id=uuid4())
    holder, invitee = uuid4(), uuid4()
    guest_list.hold(holder, "vip", 1, Capacity(10, 1))
    state = guest_list.admit_held(
        invitee,
        "i@example.org",
        holder,
        "vip",
        Capacity(10, 1),
        approval_required=True,
        hasher=hashed,
    )
    assert state == "pending"
    assert guest_list.held_count("vip") == 1
    assert guest_list.decide(invitee, "vip", Capacity(10, 1)) == "confirmed"
    assert guest_list.held_count() == 0


def test_answers_move_the_invitation_once() -> None:
    accepted = invitation()
    accepted.accept(uuid4(), [], AT, "guest")
    with pytest.raises(InvitationUsed):
        accepted.decline(AT, "guest")
    declined = invitation()
    declined.decline(AT, "guest")
    with pytest.raises(InvitationDeclined):
        declined.accept(uuid4(), [], AT, "guest")
    revoked = invitation()
    revoked.revoke(AT, "alice")
    with pytest.raises(InvitationRevoked):
        revoked.accept(uuid4(), [], AT, "guest")
    late = invitation()
    with pytest.raises(InvitationExpired):
        late.accept(uuid4(), [], DEADLINE, "guest")
    with pytest.raises(InvalidTransition):
        invitation().expire(AT, "system")
    late.expire(DEADLINE, "system")
    assert late.state == "expired"


def test_companions_are_limited_and_reserved_seats_are_held() -> None:
    assert invitation(2, reserved=True).seats == 3
    assert invitation(2, reserved=False).seats == 1
    limited = invitation(1)
    with pytest.raises(InvalidValue) as refused:
        limited.accept(uuid4(), [["a", "A", "aide"], ["b", "B", "aide"]], AT, "guest")
    assert refused.value.field == "companions"


def test_reminded_once_before_the_deadline() -> None:
    invited = invitation()
    assert invited.remind(AT, "system") is True
    assert invited.remind(AT, "system") is False
    assert invitation().remind(DEADLINE, "system") is False


def test_a_batch_keeps_its_deadline() -> None:
    roll = InvitationRoll(gathering_id=uuid4())
    with pytest.raises(InvalidValue):
        roll.deadline_of("officials", None)
    roll.add(invitation())
    assert roll.deadline_of("officials", None) == DEADLINE
    with pytest.raises(InvalidValue):
        roll.deadline_of("officials", DEADLINE + timedelta(days=1))


def test_a_stored_category_without_the_invitation_flag_is_open_to_all() -> None:
    gathering = Gathering.schedule(
        slug="launch",
        title_en="Launch",
        title_zh="啟動",
        venue="Park",
        timezone="Asia/Shanghai",
        starts_at=DEADLINE + timedelta(days=1),
        ends_at=DEADLINE + timedelta(days=1, hours=3),
        capacity=10,
        registration_opens_at=AT,
        registration_closes_at=DEADLINE,
        categories={"guest": CategoryPolicy()},
        at=AT,
        actor="alice",
    )
    gathering.categories = {"guest": {"capacity": None, "approval_required": False}}
    assert gathering.policy("guest").invitation_only is False
    assert gathering.correct({"capacity": 10}, AT, "alice") == {}


def test_an_unaccepted_invitations_data_are_erased_once_and_an_open_or_accepted_one_refuses() -> (
    None
):
    declined = invitation()
    declined.decline(AT, "invitee", "abroad")
    declined.erase_personal_data(AT, "alice", "asked")
    assert declined.erased
    assert (declined.details["full_name"], declined.email) == ("erased", "")
    assert declined.state.value == "declined"
    with pytest.raises(AlreadyErased):
        declined.erase_personal_data(AT, "alice", "asked")
    open_one = invitation()
    with pytest.raises(InvalidTransition):  # withdrawn first (the service does it)
        open_one.erase_personal_data(AT, "alice", "asked")
    open_one.revoke(AT, "alice")
    open_one.erase_personal_data(AT, "alice", "asked")
    accepted = invitation()
    accepted.accept(uuid4(), [], AT, "invitee")
    with pytest.raises(InvalidTransition, match="registration"):
        accepted.erase_personal_data(AT, "alice", "asked")
    assert not accepted.erased
