"""Ceremonies: items, the planned -> ready -> signed/awarded lifecycle, and locked documents."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.ceremony import Ceremony, CeremonyItem, CeremonyState, Person
from domain.errors import (
    AlreadyExists,
    DocumentLocked,
    InvalidTransition,
    InvalidValue,
    NotFound,
    OutsideGathering,
)
from domain.gathering_day import GatheringDay
from tests.refusal_texts import said_in

AT = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
STARTS = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
WINDOW = (STARTS, STARTS + timedelta(hours=4))
ORG = "organiser:test"
DAY = GatheringDay(*WINDOW, "Asia/Shanghai")


def plan(kind: str = "signing") -> Ceremony:
    return Ceremony.plan(
        gathering_id=uuid.uuid4(),
        kind=kind,
        title_en="Tenant enterprise signing ceremony",
        title_zh="入駐企業簽約儀式",
        starts_at=STARTS + timedelta(hours=2),
        location="Block B atrium",
        window=WINDOW,
        at=AT,
        actor=ORG,
    )


def item(reference: str = "HKSTP-SZ-2026-001", **changes: object) -> CeremonyItem:
    fields: dict[str, object] = {
        "reference": reference,
        "title_en": "Tenancy agreement",
        "title_zh": "入駐協議",
        "parties": ("HKSTP 香港科技園公司", "Force Sense Robotics"),
        "people": (
            Person("Huang Bingxiu", "黃秉修", "CEO", "HKSTP"),
            Person("Yu Chen", "魚晨", "CEO", "Force Sense Robotics"),
        ),
        "clauses": ("The tenant takes office 5-12 in Block B.",),
    }
    fields.update(changes)
    return CeremonyItem(**fields)  # type: ignore[arg-type]


def test_planned_ready_signed() -> None:
    ceremony = plan()
    ceremony.add_item("i1", item(), AT, ORG)
    ceremony.mark_ready(AT, ORG)
    assert ceremony.state is CeremonyState.READY
    ceremony.complete(STARTS + timedelta(hours=2), AT, "organiser:alice", day=DAY)
    assert ceremony.state is CeremonyState.SIGNED
    assert ceremony.completed_by == "organiser:alice"


def test_an_award_ends_awarded() -> None:
    ceremony = plan("award")
    ceremony.add_item("i1", item(), AT, ORG)
    ceremony.mark_ready(AT, ORG)
    ceremony.complete(STARTS, AT, ORG, day=DAY)
    assert ceremony.state is CeremonyState.AWARDED


def test_editing_a_ready_ceremony_sends_it_back_to_planned() -> None:
    ceremony = plan()
    ceremony.add_item("i1", item(), AT, ORG)
    ceremony.mark_ready(AT, ORG)
    ceremony.change_item("i1", item(clauses=("Amended clause.",)), AT, ORG)
    assert ceremony.state is CeremonyState.PLANNED
    with pytest.raises(InvalidTransition):
        ceremony.complete(STARTS, AT, ORG, day=DAY)


@pytest.mark.parametrize(
    "edit",
    [
        lambda c: c.add_item("i2", item("X-2"), AT, ORG),
        lambda c: c.change_item("i1", item(), AT, ORG),
        lambda c: c.remove_item("i1", AT, ORG),
        lambda c: c.reorder_items(["i1"], AT, ORG),
        lambda c: c.withdraw("", AT, ORG),
        lambda c: c.change_details(
            title_en="x",
            title_zh="x",
            starts_at=STARTS,
            location="",
            window=WINDOW,
            at=AT,
            actor=ORG,
        ),
    ],
)
def test_nothing_signed_can_be_edited(edit) -> None:
    ceremony = plan()
    ceremony.add_item("i1", item(), AT, ORG)
    ceremony.mark_ready(AT, ORG)
    ceremony.complete(STARTS, AT, ORG, day=DAY)
    version = ceremony.version
    with pytest.raises(DocumentLocked):
        edit(ceremony)
    assert ceremony.version == version
    assert ceremony.state is CeremonyState.SIGNED


def test_a_withdrawn_ceremony_takes_no_signature_and_no_edit() -> None:
    ceremony = plan()
    ceremony.add_item("i1", item(), AT, ORG)
    ceremony.mark_ready(AT, ORG)
    ceremony.withdraw("the partner postponed", AT, ORG)
    with pytest.raises(InvalidTransition):
        ceremony.complete(STARTS, AT, ORG, day=DAY)
    with pytest.raises(InvalidTransition):
        ceremony.add_item("i2", item("X-2"), AT, ORG)
    with pytest.raises(InvalidTransition):
        ceremony.mark_ready(AT, ORG)


def test_ready_needs_items_people_and_text() -> None:
    ceremony = plan()
    with pytest.raises(InvalidValue, match="at least one item"):
        ceremony.mark_ready(AT, ORG)
    ceremony.add_item("i1", item(people=()), AT, ORG)
    with pytest.raises(InvalidValue) as refused:
        ceremony.mark_ready(AT, ORG)
    assert refused.value.field == "people"
    ceremony.change_item("i1", item(clauses=()), AT, ORG)
    with pytest.raises(InvalidValue) as refused:
        ceremony.mark_ready(AT, ORG)
    assert refused.value.field == "clauses"


def test_items_keep_their_order_and_unique_references() -> None:
    ceremony = plan("pledge")
    for n in range(1, 4):
        ceremony.add_item(f"i{n}", item(f"GC-{n}"), AT, ORG)
    with pytest.raises(AlreadyExists):
        ceremony.add_item("i4", item("GC-1"), AT, ORG)
    ceremony.reorder_items(["i3", "i1", "i2"], AT, ORG)
    assert [i["reference"] for i in ceremony.items] == ["GC-3", "GC-1", "GC-2"]
    with pytest.raises(InvalidValue):
        ceremony.reorder_items(["i3", "i1"], AT, ORG)
    ceremony.remove_item("i1", AT, ORG)
    with pytest.raises(NotFound):
        ceremony.item("i1")


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"title_en": ""}, InvalidValue, "title_en"),
        ({"title_en": "x" * 201}, InvalidValue, "title_en"),
        ({"kind": "party"}, InvalidValue, "kind"),
        ({"starts_at": STARTS - timedelta(minutes=1)}, OutsideGathering, "starts_at"),
    ],
)
def test_bad_ceremonies_are_refused(changes: dict, error: type, field: str) -> None:
    fields = {
        "gathering_id": uuid.uuid4(),
        "kind": "signing",
        "title_en": "Signing",
        "title_zh": "簽約",
        "starts_at": STARTS,
        "location": "",
        "window": WINDOW,
        "at": AT,
        "actor": ORG,
        **changes,
    }
    with pytest.raises(error) as refused:
        Ceremony.plan(**fields)
    assert refused.value.field == field


def test_a_person_needs_a_name_and_parties_are_distinct() -> None:
    ceremony = plan()
    with pytest.raises(InvalidValue):
        ceremony.add_item("i1", item(people=(Person("", "", "CEO", "HKSTP"),)), AT, ORG)
    with pytest.raises(InvalidValue):
        ceremony.add_item("i1", item(parties=("HKSTP", "HKSTP")), AT, ORG)
    assert ceremony.items == []


@pytest.mark.parametrize(
    ("offset", "allowed"),
    [
        (timedelta(hours=-1, seconds=-1), False),
        (timedelta(hours=-1), True),
        (timedelta(0), True),
        (timedelta(hours=5), True),
        (timedelta(hours=5, seconds=1), False),
        (timedelta(days=-90), False),
    ],
)
def test_a_signing_is_recorded_only_on_the_gathering_s_day(
    offset: timedelta, allowed: bool
) -> None:
    ceremony = plan()
    ceremony.add_item("i1", item(), AT, ORG)
    ceremony.mark_ready(AT, ORG)
    if allowed:
        ceremony.complete(STARTS + offset, AT, ORG, day=DAY)
        assert ceremony.state is CeremonyState.SIGNED
        return
    with pytest.raises(OutsideGathering) as refused:
        ceremony.complete(STARTS + offset, AT, ORG, day=DAY)
    assert "2026-03-02 08:30 to 14:30 (Asia/Shanghai)" in refused.value.message
    assert "活動當日" not in refused.value.message
    assert "2026-03-02 08:30 to 14:30 (Asia/Shanghai)" in said_in("zh_Hant_HK", refused.value)
    assert "活動當日" in said_in("zh_Hant_HK", refused.value)
    assert "活动当日" in said_in("zh_Hans_CN", refused.value)
    assert refused.value.field == "happened_at"
    assert ceremony.state is CeremonyState.READY
