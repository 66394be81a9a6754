"""Domain tests of the gathering: schedule checks, categories, registration window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.errors import InvalidSchedule, RegistrationClosed, UnknownCategory
from domain.gathering import CategoryPolicy, Gathering

T0 = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)


def schedule(**overrides: Any) -> Gathering:
    fields: dict[str, Any] = {
        "slug": "launch",
        "title_en": "Launch",
        "title_zh": "啟動儀式",
        "venue": "HKSP Shenzhen",
        "timezone": "Asia/Shanghai",
        "starts_at": T0,
        "ends_at": T0 + timedelta(hours=4),
        "capacity": 200,
        "registration_opens_at": T0 - timedelta(days=30),
        "registration_closes_at": T0 - timedelta(minutes=30),
        "categories": {"guest": CategoryPolicy(), "vip": CategoryPolicy(20, True)},
        "at": T0 - timedelta(days=60),
        "actor": "organiser:alice",
    }
    fields.update(overrides)
    return Gathering.schedule(**fields)


def test_scheduled_gathering_has_a_stable_id_from_its_slug() -> None:
    gathering = schedule()
    assert gathering.id == Gathering.create_id("launch")
    assert gathering.policy("vip") == CategoryPolicy(20, True)
    assert gathering.capacity_for("vip").overall == 200
    assert gathering.capacity_for("vip").category == 20


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_at": T0}, "ends_at"),
        ({"registration_closes_at": T0 - timedelta(days=31)}, "registration_closes_at"),
        ({"registration_closes_at": T0 + timedelta(hours=5)}, "registration_closes_at"),
        ({"capacity": 0}, "capacity"),
        ({"starts_at": datetime(2026, 3, 2, 9, 30)}, "starts_at"),
        ({"categories": {}}, "categories"),
        ({"categories": {"alien": CategoryPolicy()}}, "categories"),
        ({"categories": {"vip": CategoryPolicy(capacity=201)}}, "categories"),
    ],
)
def test_inconsistent_schedules_are_refused(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidSchedule) as refused:
        schedule(**overrides)
    assert refused.value.field == field


def test_registration_window() -> None:
    gathering = schedule()
    opens, closes = gathering.registration_opens_at, gathering.registration_closes_at
    with pytest.raises(RegistrationClosed, match="not opened"):
        gathering.check_registration_open(opens - timedelta(seconds=1))
    gathering.check_registration_open(opens)
    gathering.check_registration_open(closes - timedelta(seconds=1))
    with pytest.raises(RegistrationClosed, match="closed"):
        gathering.check_registration_open(closes)
    assert gathering.is_open_for_registration(opens)
    assert not gathering.is_open_for_registration(closes)


def test_unknown_category_is_refused_naming_the_field() -> None:
    with pytest.raises(UnknownCategory) as refused:
        schedule().policy("press")
    assert refused.value.field == "category"
