"""The running order: items inside the gathering, no overlap in one place unless parallel."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import AgendaOverlap, InvalidValue, NotFound, OutsideGathering
from domain.running_order import AgendaItem, RunningOrder

AT = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
STARTS = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
WINDOW = (STARTS, STARTS + timedelta(hours=4))
ORG = "organiser:test"


def item(
    start_min: int, end_min: int, location: str = "Main hall", **changes: object
) -> AgendaItem:
    fields: dict[str, object] = {
        "starts_at": STARTS + timedelta(minutes=start_min),
        "ends_at": STARTS + timedelta(minutes=end_min),
        "title_en": "Speech by Sun Dong",
        "title_zh": "孫東致辭",
        "kind": "speech",
        "location": location,
        "speaker_name": "Sun Dong 孫東",
    }
    fields.update(changes)
    return AgendaItem(**fields)  # type: ignore[arg-type]


def test_items_are_kept_in_time_order() -> None:
    order = RunningOrder(gathering_id=uuid.uuid4())
    order.schedule("b", item(30, 40), WINDOW, AT, ORG)
    order.schedule("a", item(0, 30), WINDOW, AT, ORG)  # touching is not overlapping
    order.schedule("c", item(35, 90, "Exhibition hall", kind="exhibition"), WINDOW, AT, ORG)
    assert [i["id"] for i in order.in_order()] == ["a", "b", "c"]


def test_overlap_in_one_place_is_refused_unless_parallel() -> None:
    order = RunningOrder(gathering_id=uuid.uuid4())
    order.schedule("a", item(0, 30), WINDOW, AT, ORG)
    with pytest.raises(AgendaOverlap):
        order.schedule("b", item(20, 40, "main HALL"), WINDOW, AT, ORG)
    order.schedule("b", item(20, 40, parallel=True, kind="other"), WINDOW, AT, ORG)
    with pytest.raises(AgendaOverlap):
        order.schedule("c", item(10, 15), WINDOW, AT, ORG)
    order.change("a", item(0, 45), WINDOW, AT, ORG)  # an item never overlaps itself
    assert order.item("a")["ends_at"] == STARTS + timedelta(minutes=45)


@pytest.mark.parametrize(
    ("bad", "error", "field"),
    [
        (item(-10, 20), OutsideGathering, "starts_at"),
        (item(200, 250), OutsideGathering, "ends_at"),
        (item(30, 30), InvalidValue, "ends_at"),
        (item(0, 10, title_en=""), InvalidValue, "title_en"),
        (item(0, 10, title_zh="字" * 101), InvalidValue, "title_zh"),
        (item(0, 10, kind="party"), InvalidValue, "kind"),
        (item(0, 10, location=""), InvalidValue, "location"),
    ],
)
def test_bad_items_are_refused(bad: AgendaItem, error: type, field: str) -> None:
    order = RunningOrder(gathering_id=uuid.uuid4())
    with pytest.raises(error) as refused:
        order.schedule("x", bad, WINDOW, AT, ORG)
    assert refused.value.field == field
    assert order.items == {}


def test_remove_and_unknown_items() -> None:
    order = RunningOrder(gathering_id=uuid.uuid4())
    order.schedule("a", item(0, 30), WINDOW, AT, ORG)
    with pytest.raises(InvalidValue):
        order.schedule("a", item(40, 50), WINDOW, AT, ORG)
    order.remove("a", AT, ORG)
    with pytest.raises(NotFound):
        order.remove("a", AT, ORG)
    with pytest.raises(NotFound):
        order.change("zz", item(0, 30), WINDOW, AT, ORG)
