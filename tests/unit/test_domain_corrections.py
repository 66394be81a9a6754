"""Domain tests of corrections: the gathering, the guest list's limits, a registration, prints."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.badge_prints import BadgePrints, badge_edition
from domain.errors import (
    CapacityBelowConfirmed,
    CategoryFull,
    EmailAlreadyRegistered,
    InvalidSchedule,
    InvalidTransition,
    InvalidValue,
    NoSeatAvailable,
)
from domain.gathering import Capacity, CategoryPolicy, Gathering
from domain.guest_list import GuestList
from domain.registration import Registration, RegistrationState
from events_app.store.reads import replay
from tests.refusal_texts import said_in
from tests.unit.test_domain_gathering import schedule


def hashed(email: str) -> str:
    """Return a test's keyed hash of an e-mail address (the app's is an HMAC)."""
    return "h:" + email


T0 = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
ACTOR = "organiser:olivia"


def reloaded(aggregate: Any) -> Any:
    """Return the aggregate rebuilt from its events, as the store would."""
    return replay(None, aggregate.collect_events())


def test_gathering_correction_records_before_and_after() -> None:
    gathering = schedule()
    changed = gathering.correct({"venue": "Hall 2", "title_en": "Launch"}, T0, ACTOR)
    assert changed == {"venue": ("HKSP Shenzhen", "Hall 2")}  # the title was already so
    later = T0 + timedelta(hours=1)
    more = {"ends_at": T0 + timedelta(hours=5), "capacity": 300}
    assert set(gathering.correct(more, later, ACTOR)) == {"ends_at", "capacity"}
    again = reloaded(gathering)
    assert (again.venue, again.capacity, again.ends_at) == ("Hall 2", 300, T0 + timedelta(hours=5))
    assert gathering.correct({"venue": "Hall 2"}, later, ACTOR) == {}
    assert gathering.version == 3  # Scheduled, two corrections: none for the no-op


def test_gathering_categories_are_corrected_whole_and_none_dropped() -> None:
    gathering = schedule()
    policies = {"guest": {"capacity": None, "approval_required": False}}
    with pytest.raises(InvalidSchedule, match="'vip' cannot be removed"):
        gathering.correct({"categories": policies}, T0, ACTOR)
    policies["vip"] = {"capacity": 30, "approval_required": False}
    policies["press"] = {"capacity": 5, "approval_required": True}
    gathering.correct({"categories": policies}, T0, ACTOR)
    assert gathering.policy("press") == CategoryPolicy(5, True)
    assert reloaded(gathering).capacity_for("vip") == Capacity(200, 30)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": T0 - timedelta(hours=1)}, "ends_at"),
        ({"registration_closes_at": T0 + timedelta(days=1)}, "registration_closes_at"),
        ({"capacity": 10}, "categories"),  # VIP's 20 seats would exceed it
        ({"capacity": 0}, "capacity"),
        ({"slug": "other"}, "slug"),
        ({"timezone": "UTC"}, "timezone"),
    ],
)
def test_bad_gathering_corrections_are_refused_and_record_nothing(
    changes: dict[str, Any], field: str
) -> None:
    gathering = schedule()
    with pytest.raises((InvalidSchedule, InvalidValue)) as refused:
        gathering.correct(changes, T0, ACTOR)
    assert refused.value.field == field
    assert len(gathering.pending_events) == 1


def seated(confirmed: dict[str, int], waiting: list[str] = ()) -> tuple[GuestList, list[UUID]]:  # type: ignore[assignment]
    """Return a guest list with confirmed guests per category, then waitlisted ones."""
    guest_list = GuestList(gathering_id=uuid4())
    roomy = Capacity(1000, None)
    for category, count in confirmed.items():
        for _ in range(count):
            guest_list.admit(
                uuid4(), f"{uuid4()}@x.org", category, roomy, approval_required=False, hasher=hashed
            )
    queued = []
    for category in waiting:
        rid = uuid4()
        guest_list.admit(
            rid, f"{rid}@x.org", category, Capacity(0, 0), approval_required=False, hasher=hashed
        )
        queued.append(rid)
    return guest_list, queued


def test_lowering_below_confirmed_is_refused_with_the_numbers() -> None:
    guest_list, _ = seated({"vip": 12, "guest": 3})
    old = {"vip": Capacity(20, 15), "guest": Capacity(20, None)}
    with pytest.raises(CapacityBelowConfirmed) as refused:
        guest_list.resize(old, {"vip": Capacity(20, 11), "guest": Capacity(20, None)})
    assert (
        refused.value.message == "12 guests are confirmed in VIP; the capacity cannot go below 12"
    )
    assert "貴賓類別已有 12 位嘉賓確認出席" in said_in("zh_Hant_HK", refused.value)
    assert "贵宾类别已有 12 位嘉宾确认出席" in said_in("zh_Hans_CN", refused.value)
    with pytest.raises(CapacityBelowConfirmed, match="15 guests are confirmed; the capacity"):
        guest_list.resize(old, {"vip": Capacity(14, 12), "guest": Capacity(14, None)})
    guest_list.resize(old, {"vip": Capacity(15, 12), "guest": Capacity(15, None)})
    assert guest_list.limits == {"vip": [15, 12], "guest": [15, None]}


def test_a_limit_already_exceeded_by_overrides_may_still_be_raised() -> None:
    guest_list, _ = seated({"vip": 5})
    old = {"vip": Capacity(20, 3)}
    guest_list.resize(old, {"vip": Capacity(20, 4)})  # not lowered: allowed although 5 > 4


def test_raised_limits_promote_first_come_first_served() -> None:
    guest_list, waiting = seated({"vip": 3}, ["vip", "guest", "vip", "vip"])
    limits = {"vip": Capacity(10, 5), "guest": Capacity(10, None)}
    assert guest_list.next_promotions(limits) == waiting[:3]


def test_moving_a_confirmed_guest_needs_a_seat_in_the_new_category() -> None:
    guest_list, _ = seated({"vip": 3, "guest": 1})
    rid = UUID(next(r for r, c in guest_list.confirmed.items() if c == "guest"))
    with pytest.raises(CategoryFull, match="no VIP seat is free: all 3 VIP seats are taken"):
        guest_list.move(rid, "vip", Capacity(10, 3))
    guest_list.move(rid, "vip", Capacity(10, 4))
    assert guest_list.confirmed_count("vip") == 4
    assert reloaded(guest_list).confirmed_count("vip") == 4


def test_a_waitlisted_guest_keeps_their_place_when_moved() -> None:
    guest_list, waiting = seated({}, ["guest", "guest", "guest"])
    guest_list.move(waiting[1], "press", Capacity(0, 0))
    assert guest_list.waitlist_position(waiting[1]) == 2
    assert guest_list.waitlist[1][1] == "press"


def test_changed_email_frees_the_old_and_takes_the_new() -> None:
    guest_list = GuestList(gathering_id=uuid4())
    a, b = uuid4(), uuid4()
    guest_list.admit(
        a, "a@x.org", "guest", Capacity(5, None), approval_required=False, hasher=hashed
    )
    guest_list.admit(
        b, "b@x.org", "guest", Capacity(5, None), approval_required=False, hasher=hashed
    )
    with pytest.raises(EmailAlreadyRegistered):
        guest_list.change_email(a, " B@X.org", hashed)
    guest_list.change_email(a, "new@x.org", hashed)
    guest_list.check_email_free("a@x.org", hashed)
    with pytest.raises(EmailAlreadyRegistered):
        guest_list.check_email_free("NEW@x.org", hashed)


def test_guests_without_email_do_not_collide() -> None:
    guest_list = GuestList(gathering_id=uuid4())
    for _ in range(2):
        guest_list.admit(
            uuid4(), "", "guest", Capacity(5, None), approval_required=False, hasher=hashed
        )
    assert guest_list.emails == {}


def test_a_full_category_refusal_names_it_while_seats_are_left() -> None:
    guest_list, waiting = seated({"vip": 3}, ["vip"])
    with pytest.raises(NoSeatAvailable, match="no VIP seat is free: all 3 VIP seats are taken"):
        guest_list.decide(waiting[0], "vip", Capacity(10, 3))
    full, waiting = seated({"guest": 10}, ["vip"])
    with pytest.raises(NoSeatAvailable, match="no seat is free: all 10 seats are taken"):
        full.decide(waiting[0], "vip", Capacity(10, 3))


def registration(**details: str) -> Registration:
    base = {"full_name": "Jon", "email": "j@x.org", "organisation": "O", "job_title": "T"}
    return Registration(
        id=uuid4(),
        gathering_id=uuid4(),
        details={**base, **details},
        category="guest",
        state="confirmed",
        at=T0,
        actor="guest",
    )


def test_registration_correction_keeps_the_badge_and_records_before_and_after() -> None:
    found = registration()
    changed = found.correct({"full_name": "John", "category": "vip", "job_title": "T"}, T0, ACTOR)
    assert changed == {"full_name": ("Jon", "John"), "category": ("guest", "vip")}
    again = reloaded(found)
    assert (again.details["full_name"], again.category, again.badge_serial) == ("John", "vip", 1)
    assert found.correct({"full_name": "John"}, T0, ACTOR) == {}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"full_name": " "}, "full_name"),
        ({"badge_serial": "2"}, "badge_serial"),
        ({"state": "x"}, "state"),
    ],
)
def test_bad_registration_corrections_are_refused(changes: dict[str, str], field: str) -> None:
    found = registration()
    with pytest.raises(InvalidValue) as refused:
        found.correct(changes, T0, ACTOR)
    assert refused.value.field == field


def test_only_a_cancelled_registration_is_reinstated() -> None:
    found = registration()
    with pytest.raises(
        InvalidTransition, match="cannot reinstate a registration that is confirmed"
    ):
        found.reinstate("confirmed", T0, ACTOR)
    found.cancel(T0, ACTOR)
    found.reinstate("waitlisted", T0, ACTOR)
    assert reloaded(found).state is RegistrationState.WAITLISTED


def test_badge_prints_know_new_and_changed_badges() -> None:
    prints = BadgePrints(gathering_id=uuid4())
    a, b = uuid4(), uuid4()
    editions = {a: badge_edition(1, "guest", {"full_name": "A"}), b: badge_edition(1, "vip", {})}
    assert prints.due(editions) == [a, b]
    prints.record({a: editions[a]}, "single", T0, ACTOR)
    assert prints.due(editions) == [b]
    renamed = badge_edition(1, "guest", {"full_name": "A.", "notes": "x"})
    assert prints.due({a: renamed}) == [a]
    assert prints.due({a: badge_edition(1, "guest", {"full_name": "A", "notes": "x"})}) == []
    assert prints.due({a: badge_edition(2, "guest", {"full_name": "A"})}) == [a]  # reissued
    assert reloaded(prints).printed == prints.printed
    assert isinstance(Gathering.create_id("x"), UUID)
