"""The exhibition: slots, firms, allocation, moves, swaps, withdrawals and staff quotas."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from domain.errors import (
    AlreadyExists,
    FirmAlreadyPlaced,
    InvalidTransition,
    InvalidValue,
    NotFound,
    SlotTaken,
    StaffCodeInvalid,
    StaffQuotaExceeded,
)
from domain.exhibition import BoothSlot, Exhibition, FirmProfile, FirmState
from tests.refusal_texts import said_in

AT = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
ORG = "organiser:test"


def profile(name: str = "Force Sense Robotics", **changes: object) -> FirmProfile:
    fields: dict[str, object] = {
        "name_en": name,
        "name_zh": "力感機器人",
        "sector": "advanced-manufacturing",
        "description": "Fingertip-size multi-dimensional force sensors for embodied AI.",
        "contact_name": "Yu Chen 魚晨",
        "staff_quota": 2,
    }
    fields.update(changes)
    return FirmProfile(**fields)  # type: ignore[arg-type]


@pytest.fixture
def show() -> Exhibition:
    exhibition = Exhibition(gathering_id=uuid.uuid4())
    for code in ("A01", "A02", "B07"):
        exhibition.define_slot(BoothSlot(code, "Block B", "G/F", "ai-data", "3x3 m"), AT, ORG)
    return exhibition


def applied(show: Exhibition, name: str = "Force Sense Robotics", **changes: object) -> uuid.UUID:
    firm_id = uuid.uuid4()
    show.apply(firm_id, profile(name, **changes), AT, ORG)
    return firm_id


def test_a_firm_applies_is_allocated_and_confirms(show: Exhibition) -> None:
    firm = applied(show)
    assert show.firm(firm)["state"] == FirmState.APPLIED
    show.allocate(firm, "a01", AT, ORG)
    assert show.firm(firm)["slot"] == "A01"
    assert show.firm_in("A01") == firm
    show.confirm(firm, AT, ORG)
    assert show.firm(firm)["state"] == FirmState.CONFIRMED
    with pytest.raises(InvalidTransition):
        show.confirm(firm, AT, ORG)


def test_a_slot_never_holds_two_firms_and_a_firm_never_two_slots(show: Exhibition) -> None:
    first, second = applied(show), applied(show, "Surgical Robotics Ltd")
    show.allocate(first, "A01", AT, ORG)
    with pytest.raises(SlotTaken) as taken:
        show.allocate(second, "A01", AT, ORG)
    assert taken.value.field == "slot"
    with pytest.raises(FirmAlreadyPlaced):
        show.allocate(first, "A02", AT, ORG)
    with pytest.raises(NotFound):
        show.allocate(second, "Z99", AT, ORG)
    with pytest.raises(SlotTaken):
        show.allocate(second, " a01 ", AT, ORG)


def test_move_swap_and_withdraw_keep_slots_consistent(show: Exhibition) -> None:
    first, second = applied(show), applied(show, "Surgical Robotics Ltd")
    show.allocate(first, "A01", AT, ORG)
    show.allocate(second, "A02", AT, ORG)
    with pytest.raises(SlotTaken):
        show.move(first, "A02", AT, ORG)
    show.move(first, "B07", AT, ORG)
    assert (show.firm_in("A01"), show.firm_in("B07")) == (None, first)
    show.swap(first, second, AT, ORG)
    assert (show.firm_in("B07"), show.firm_in("A02")) == (second, first)
    show.withdraw(second, "cannot ship the robot", AT, ORG)
    assert show.firm_in("B07") is None
    assert show.firm(second)["state"] == FirmState.WITHDRAWN
    with pytest.raises(InvalidTransition):
        show.swap(first, second, AT, ORG)
    with pytest.raises(InvalidValue):
        show.swap(first, first, AT, ORG)
    holders = [f["slot"] for f in show.firms.values() if f["slot"]]
    assert sorted(holders) == sorted(show.occupant) == ["A02"]


def test_unplaced_firms_cannot_move_or_swap(show: Exhibition) -> None:
    first, second = applied(show), applied(show, "Other")
    show.allocate(first, "A01", AT, ORG)
    with pytest.raises(InvalidTransition):
        show.move(second, "A02", AT, ORG)
    with pytest.raises(InvalidTransition):
        show.swap(first, second, AT, ORG)


def test_a_withdrawn_firm_frees_its_name_and_cannot_be_withdrawn_twice(show: Exhibition) -> None:
    firm = applied(show)
    with pytest.raises(AlreadyExists):
        applied(show)
    show.withdraw(firm, "", AT, ORG)
    with pytest.raises(InvalidTransition):
        show.withdraw(firm, "", AT, ORG)
    applied(show)  # the name is free again


def test_the_staff_quota_is_enforced_and_released(show: Exhibition) -> None:
    firm = applied(show, staff_quota=2)
    staff = [uuid.uuid4() for _ in range(3)]
    with pytest.raises(InvalidTransition):  # not yet allocated a slot
        show.take_staff_badge(firm, staff[0], AT, ORG)
    show.allocate(firm, "A01", AT, ORG)
    show.take_staff_badge(firm, staff[0], AT, ORG)
    show.take_staff_badge(firm, staff[1], AT, ORG)
    with pytest.raises(StaffQuotaExceeded):
        show.take_staff_badge(firm, staff[2], AT, ORG)
    with pytest.raises(StaffQuotaExceeded):
        show.change_profile(firm, profile(staff_quota=1), AT, ORG)
    show.release_staff_badge(staff[0], AT, ORG)
    show.take_staff_badge(firm, staff[2], AT, ORG)
    assert sorted(show.staff_of(firm)) == sorted([staff[1], staff[2]])
    show.withdraw(firm, "", AT, ORG)
    assert show.staff_of(firm) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name_en": "", "name_zh": ""}, "name_en"),
        ({"name_en": "x" * 201}, "name_en"),
        ({"sector": "space"}, "sector"),
        ({"staff_quota": -1}, "staff_quota"),
        ({"staff_quota": 51}, "staff_quota"),
    ],
)
def test_bad_firm_profiles_are_refused(show: Exhibition, changes: dict, field: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        applied(show, **changes)
    assert refused.value.field == field
    assert show.firms == {}


def test_sectors_can_be_added_and_slots_changed_or_removed(show: Exhibition) -> None:
    show.add_sector("Green Energy", AT, ORG)
    assert "green-energy" in show.sectors
    with pytest.raises(AlreadyExists):
        show.add_sector("green-energy", AT, ORG)
    show.define_slot(BoothSlot("A01", "Block A", "1/F", "green-energy"), AT, ORG)
    assert show.slot("A01")["sector"] == "green-energy"
    firm = applied(show)
    show.allocate(firm, "A01", AT, ORG)
    with pytest.raises(SlotTaken):
        show.remove_slot("A01", AT, ORG)
    show.remove_slot("A02", AT, ORG)
    with pytest.raises(NotFound):
        show.slot("A02")
    with pytest.raises(InvalidValue):
        show.define_slot(BoothSlot("A 03", "", "", "ai-data"), AT, ORG)


def test_the_firm_in_a_slot_is_found_whatever_the_code_s_case(show: Exhibition) -> None:
    firm = applied(show)
    show.allocate(firm, "b07", AT, ORG)
    assert show.firm_in("b07") == show.firm_in(" B07 ") == firm
    assert show.firm_in("A01") is None


def test_a_firm_cannot_take_another_active_firm_s_name(show: Exhibition) -> None:
    first = applied(show)
    second = applied(show, "Sandbar Vision", name_zh="沙洲視覺")
    with pytest.raises(AlreadyExists):
        show.change_profile(second, profile("force sense robotics"), AT, ORG)
    assert show.firm(second)["name_en"] == "Sandbar Vision"
    show.change_profile(first, profile(staff_quota=3), AT, ORG)  # its own name is fine
    show.withdraw(first, "", AT, ORG)
    show.change_profile(second, profile(), AT, ORG)  # a withdrawn firm's name is free
    assert show.firm(second)["name_en"] == "Force Sense Robotics"


def test_staff_without_a_code_ask_and_take_a_badge_only_when_approved(show: Exhibition) -> None:
    firm = applied(show)
    show.allocate(firm, "A01", AT, ORG)
    strangers = [uuid.uuid4() for _ in range(3)]
    for stranger in strangers:
        assert show.admit_staff(firm, stranger, None, AT, "guest") is False
    assert show.staff_of(firm) == []
    assert show.requests_of(firm) == strangers
    insider = uuid.uuid4()
    assert show.admit_staff(firm, insider, True, AT, "guest") is True
    assert show.staff_of(firm) == [insider]

    show.take_staff_badge(firm, strangers[0], AT, ORG)  # approved
    assert show.firm_requested_by(strangers[0]) is None
    assert show.firm_of_staff(strangers[0]) == firm
    with pytest.raises(StaffQuotaExceeded):  # the quota of 2 applies to approvals too
        show.take_staff_badge(firm, strangers[1], AT, ORG)
    show.release_staff_badge(strangers[2], AT, ORG)  # rejected: the request is dropped
    assert show.requests_of(firm) == [strangers[1]]
    show.withdraw(firm, "", AT, ORG)
    assert show.requests_of(firm) == []


def test_a_wrong_code_is_refused_and_renewing_raises_the_generation(show: Exhibition) -> None:
    firm = applied(show)
    with pytest.raises(InvalidTransition):  # not placed yet: no staff at all
        show.admit_staff(firm, uuid.uuid4(), True, AT, "guest")
    show.allocate(firm, "A01", AT, ORG)
    version = show.version
    with pytest.raises(StaffCodeInvalid) as refused:
        show.admit_staff(firm, uuid.uuid4(), False, AT, "guest")
    assert refused.value.field == "staff_code"
    assert "Force Sense Robotics" in refused.value.message
    assert "無效" not in refused.value.message
    assert "此人員代碼對 力感機器人 無效" in said_in("zh_Hant_HK", refused.value)
    assert "此人员代码对 力感机器人 无效" in said_in("zh_Hans_CN", refused.value)
    assert show.version == version
    assert show.staff_code_generation(firm) == 1
    show.renew_staff_code(firm, AT, ORG)
    show.renew_staff_code(firm, AT, ORG)
    assert show.staff_code_generation(firm) == 3
    show.withdraw(firm, "", AT, ORG)
    with pytest.raises(InvalidTransition):
        show.renew_staff_code(firm, AT, ORG)
