"""The refusals of seat limits: no seat left, and a capacity lowered below its guests."""

from __future__ import annotations

from typing import Any, Protocol

from domain.errors import CapacityBelowConfirmed, NoSeatAvailable
from domain.gathering import Capacity
from domain.gathering_categories import category_term


class Seated(Protocol):
    """What the check of lowered limits reads of a guest list."""

    def confirmed_count(self, category: str | None = None) -> int:
        """Return how many guests (of `category`, if given) hold a seat."""
        ...


def no_seat(shortage: dict[str, Any]) -> NoSeatAvailable:
    """Return the refusal naming the limit (overall, or the category's) that is reached."""
    if "category" in shortage:
        return NoSeatAvailable(
            "no %(category)s seat is free: all %(count)s %(category)s seats are taken; "
            "approve with a capacity override (VIP only) or wait",
            field="override_capacity",
            **shortage,
        )
    return NoSeatAvailable(
        "no seat is free: all %(count)s seats are taken; approve with a capacity override "
        "(VIP only) or wait",
        field="override_capacity",
        **shortage,
    )


def check_limits(guest_list: Seated, old: dict[str, Capacity], new: dict[str, Capacity]) -> None:
    """Raise CapacityBelowConfirmed if a lowered limit is below the guests it already seats."""
    overall, was = next(iter(new.values())).overall, next(iter(old.values())).overall
    confirmed = guest_list.confirmed_count()
    if overall < was and confirmed > overall:
        raise CapacityBelowConfirmed(
            "%(count)s guests are confirmed; the capacity cannot go below %(count)s",
            field="capacity",
            count=confirmed,
        )
    for name, limit in new.items():
        before = old.get(name)
        if limit.category is None:
            continue
        lowered = before is None or before.category is None or limit.category < before.category
        confirmed = guest_list.confirmed_count(name)
        if lowered and confirmed > limit.category:
            raise CapacityBelowConfirmed(
                "%(count)s guests are confirmed in %(category)s; the capacity cannot go below "
                "%(count)s",
                field="categories",
                count=confirmed,
                category=category_term(name),
            )
