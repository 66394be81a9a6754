"""Domain tests of checkpoints: the gathering's hours as default window, close, old events."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from domain.checkpoint import Checkpoint
from domain.errors import (
    AlreadyExists,
    InvalidSchedule,
    InvalidTransition,
    InvalidValue,
    NotFound,
)
from domain.gathering import Gathering
from tests.unit.test_domain_gathering import T0, schedule

ALICE = "organiser:alice"


def entrance(**overrides: Any) -> Checkpoint:
    fields: dict[str, Any] = {
        "code": "main-entrance",
        "name_en": "Main entrance",
        "name_zh": "正門",
        "categories": ("guest", "vip"),
        "category_notes": {"vip": "escort to the front row 請引領至前排"},
    }
    fields.update(overrides)
    return Checkpoint(**fields)


def replayed(gathering: Gathering) -> Gathering:
    """Return the gathering rebuilt from its events alone."""
    rebuilt: Any = None
    for domain_event in gathering.pending_events:
        rebuilt = domain_event.mutate(rebuilt)
    return rebuilt


def test_without_a_window_a_checkpoint_is_open_during_the_gathering() -> None:
    gathering = schedule()
    gathering.define_checkpoint(entrance(), T0, ALICE)
    checkpoint = replayed(gathering).checkpoint("main-entrance")
    hours = gathering.starts_at, gathering.ends_at
    assert checkpoint.opens_at is None
    assert checkpoint.closes_at is None
    assert checkpoint.follows_gathering_hours()
    assert checkpoint.window(*hours) == hours
    assert not checkpoint.is_open(T0 - timedelta(seconds=1), *hours)
    assert checkpoint.is_open(T0, *hours)
    assert checkpoint.is_open(hours[1] - timedelta(seconds=1), *hours)
    assert not checkpoint.is_open(hours[1], *hours)


def test_one_own_time_keeps_the_gathering_for_the_other() -> None:
    gathering = schedule()
    early = T0 - timedelta(hours=1)
    gathering.define_checkpoint(entrance(opens_at=early), T0, ALICE)
    checkpoint = gathering.checkpoint("main-entrance")
    assert checkpoint.window(gathering.starts_at, gathering.ends_at) == (early, gathering.ends_at)
    assert checkpoint.is_open(early, gathering.starts_at, gathering.ends_at)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"opens_at": T0 + timedelta(hours=5)}, "opens_at"),
        ({"closes_at": T0 - timedelta(hours=1)}, "closes_at"),
        ({"categories": ("press",)}, "categories"),
        ({"category_notes": {"guest": "x", "press": "not admitted here"}}, "category_notes"),
        ({"name_en": "  "}, "name_en"),
        ({"name_zh": ""}, "name_zh"),
        ({"code": ""}, "code"),
    ],
)
def test_a_checkpoint_that_does_not_fit_the_gathering_is_refused(
    overrides: dict[str, Any], field: str
) -> None:
    gathering = schedule()
    with pytest.raises((InvalidSchedule, InvalidValue)) as refused:
        gathering.define_checkpoint(entrance(**overrides), T0, ALICE)
    assert refused.value.field == field
    assert gathering.checkpoints == {}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"categories": ()}, "categories"),
        ({"opens_at": T0, "closes_at": T0}, "closes_at"),
        ({"opens_at": T0.replace(tzinfo=None)}, "opens_at"),
    ],
)
def test_a_checkpoint_must_make_sense_on_its_own(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidSchedule) as refused:
        entrance(**overrides)
    assert refused.value.field == field


def test_a_closed_checkpoint_admits_no_one_until_it_is_changed() -> None:
    gathering = schedule()
    gathering.define_checkpoint(entrance(), T0, ALICE)
    gathering.close_checkpoint("main-entrance", T0 + timedelta(hours=1), ALICE)
    closed = replayed(gathering).checkpoint("main-entrance")
    hours = gathering.starts_at, gathering.ends_at
    assert closed.closed
    assert not closed.admits("guest")
    assert not closed.is_open(T0 + timedelta(hours=2), *hours)
    with pytest.raises(InvalidTransition):
        gathering.close_checkpoint("main-entrance", T0, ALICE)
    gathering.change_checkpoint(entrance(name_en="Main entrance, Block B"), T0, ALICE)
    reopened = gathering.checkpoint("main-entrance")
    assert not reopened.closed
    assert reopened.admits("guest")
    assert reopened.name_en == "Main entrance, Block B"
    types = [type(e).__name__ for e in gathering.pending_events]
    assert types[-3:] == ["CheckpointDefined", "CheckpointClosed", "CheckpointDefined"]


def test_add_refuses_a_taken_code_and_change_or_close_an_unknown_one() -> None:
    gathering = schedule()
    gathering.add_checkpoint(entrance(), T0, ALICE)
    with pytest.raises(AlreadyExists) as taken:
        gathering.add_checkpoint(entrance(), T0, ALICE)
    assert taken.value.field == "code"
    with pytest.raises(NotFound):
        gathering.change_checkpoint(entrance(code="vip-lounge"), T0, ALICE)
    with pytest.raises(NotFound):
        gathering.close_checkpoint("vip-lounge", T0, ALICE)
    assert list(gathering.checkpoints) == ["main-entrance"]


def test_an_old_checkpoint_defined_event_with_its_window_still_replays() -> None:
    gathering = schedule()
    old_data = {  # as recorded before the window was optional and checkpoints could close
        "code": "main-entrance",
        "name_en": "Main entrance",
        "name_zh": "正門",
        "categories": ["guest"],
        "opens_at": T0 - timedelta(hours=1),
        "closes_at": T0 + timedelta(hours=2),
        "category_notes": {},
    }
    gathering._define_checkpoint(checkpoint=old_data, at=T0, actor=ALICE)
    checkpoint = replayed(gathering).checkpoint("main-entrance")
    assert checkpoint.opens_at == T0 - timedelta(hours=1)
    assert checkpoint.closes_at == T0 + timedelta(hours=2)
    assert not checkpoint.closed
    assert not checkpoint.follows_gathering_hours()
    assert checkpoint.is_open(T0 - timedelta(minutes=30), T0, T0 + timedelta(hours=4))
    assert not checkpoint.is_open(T0 + timedelta(hours=3), T0, T0 + timedelta(hours=4))
