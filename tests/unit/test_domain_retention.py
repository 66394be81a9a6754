"""Domain tests of retention: the setting, its guard, and the day the erasure is due."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from domain.errors import InvalidValue
from domain.retention import due_at, erase_on, is_due
from tests.unit.test_domain_gathering import T0, schedule

AT = T0 + timedelta(days=1)


def test_a_gathering_keeps_personal_data_90_days_after_its_end_by_default() -> None:
    gathering = schedule(ends_at=datetime(2026, 3, 2, 15, 30, tzinfo=UTC))  # 23:30 there
    assert gathering.retention_days == 90
    assert erase_on(gathering) == date(2026, 5, 31)  # 2 March (Shanghai) + 90 days
    assert due_at(gathering) == datetime(2026, 5, 30, 16, 0, tzinfo=UTC)
    assert not is_due(gathering, datetime(2026, 5, 30, 15, 59, tzinfo=UTC))
    assert is_due(gathering, datetime(2026, 5, 30, 16, 0, tzinfo=UTC))


def test_setting_the_retention_records_it_once() -> None:
    gathering = schedule()
    assert gathering.set_retention(30, AT, "organiser:alice")
    assert not gathering.set_retention(30, AT, "organiser:alice")
    events = gathering.collect_events()
    changed = [e for e in events if type(e).__name__ == "RetentionChanged"]
    assert [(e.days, e.before, e.actor) for e in changed] == [(30, 90, "organiser:alice")]
    assert erase_on(gathering) == date(2026, 4, 1)


@pytest.mark.parametrize("days", [0, -1, 3651, 1.5, "30", True, None])
def test_a_retention_that_is_not_1_to_3650_whole_days_is_refused(days: Any) -> None:
    gathering = schedule()
    with pytest.raises(InvalidValue) as refused:
        gathering.set_retention(days, AT, "organiser:alice")
    assert refused.value.field == "retention_days"
    assert gathering.retention_days == 90
    assert [type(e).__name__ for e in gathering.collect_events()] == ["Scheduled"]
