"""The gathering: a launch event with its schedule, capacity and guest categories."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.checkpoint import Checkpoint
from domain.common import derived_id, require_aware
from domain.errors import (
    AlreadyExists,
    InvalidSchedule,
    InvalidTransition,
    InvalidValue,
    NotFound,
    RegistrationClosed,
    UnknownCategory,
)
from domain.gathering_categories import GuestCategory

CORRECTABLE = (
    "title_en",
    "title_zh",
    "venue",
    "venue_zh",
    "starts_at",
    "ends_at",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "categories",
    "door_list_max_age_minutes",
)
"""What an organiser may correct on a gathering (its slug and time zone stay)."""
DOOR_LIST_MAX_AGE_MINUTES = 30
"""How old a door device's list may be before its offline answers are marked unverified."""
RETENTION_DAYS = 90
"""Days after the end at which guests' personal data are erased, unless set otherwise."""
MAX_RETENTION_DAYS = 3650


@dataclass(frozen=True)
class CategoryPolicy:
    """How one guest category is admitted: its own seat limit and whether approval is needed."""

    capacity: int | None = None
    approval_required: bool = False
    invitation_only: bool = False
    """Only invited guests get this category: the public form and API do not offer it."""

    def as_dict(self) -> dict[str, Any]:
        """Return the policy as plain data for a domain event."""
        return {
            "capacity": self.capacity,
            "approval_required": self.approval_required,
            "invitation_only": self.invitation_only,
        }


@dataclass(frozen=True)
class Capacity:
    """The seat limits that apply to one category: overall and the category's own."""

    overall: int
    category: int | None


class Gathering(Aggregate):
    """A launch event that guests register for."""

    door_list_max_age_minutes = DOOR_LIST_MAX_AGE_MINUTES
    """Until corrected, every gathering (of any version of the store) has the default."""
    venue_zh = ""
    """The venue's Chinese name; empty (as in stores before it) when `venue` serves all."""
    retention_days = RETENTION_DAYS
    """Until set, every gathering (of any version of the store) keeps data 90 days."""

    @staticmethod
    def create_id(slug: str) -> UUID:
        """Return the id of the gathering with this slug."""
        return derived_id("gathering", slug)

    @event("Scheduled")
    def __init__(
        self,
        slug: str,
        title_en: str,
        title_zh: str,
        venue: str,
        timezone: str,
        starts_at: datetime,
        ends_at: datetime,
        capacity: int,
        registration_opens_at: datetime,
        registration_closes_at: datetime,
        categories: dict[str, dict[str, Any]],
        at: datetime,
        actor: str,
        venue_zh: str = "",
    ) -> None:
        self.slug = slug
        self.title_en = title_en
        self.title_zh = title_zh
        self.venue = venue
        self.venue_zh = venue_zh
        self.timezone = timezone
        self.starts_at = starts_at
        self.ends_at = ends_at
        self.capacity = capacity
        self.registration_opens_at = registration_opens_at
        self.registration_closes_at = registration_closes_at
        self.categories = categories
        self.scheduled_at = at
        self.scheduled_by = actor
        self.checkpoints: dict[str, dict[str, Any]] = {}

    @classmethod
    def schedule(
        cls,
        *,
        slug: str,
        title_en: str,
        title_zh: str,
        venue: str,
        timezone: str,
        starts_at: datetime,
        ends_at: datetime,
        capacity: int,
        registration_opens_at: datetime,
        registration_closes_at: datetime,
        categories: dict[str, CategoryPolicy],
        at: datetime,
        actor: str,
        venue_zh: str = "",
    ) -> Gathering:
        """Plan a new gathering after checking its dates, capacity and categories."""
        check_schedule(starts_at, ends_at, registration_opens_at, registration_closes_at, capacity)
        check_categories(categories, capacity)
        return cls(
            slug=slug,
            title_en=title_en,
            title_zh=title_zh,
            venue=venue,
            venue_zh=venue_zh,
            timezone=timezone,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            registration_opens_at=registration_opens_at,
            registration_closes_at=registration_closes_at,
            categories={name: p.as_dict() for name, p in categories.items()},
            at=at,
            actor=actor,
        )

    def define_checkpoint(self, checkpoint: Checkpoint, at: datetime, actor: str) -> None:
        """Add a checkpoint, or replace the one with the same code (which reopens it)."""
        checkpoint.check_fits(set(self.categories), self.starts_at, self.ends_at)
        data = {**checkpoint.as_dict(), "closed": False}
        self._define_checkpoint(checkpoint=data, at=at, actor=actor)

    def add_checkpoint(self, checkpoint: Checkpoint, at: datetime, actor: str) -> None:
        """Add a checkpoint whose code is not taken yet."""
        if checkpoint.code in self.checkpoints:
            raise AlreadyExists(
                "a checkpoint with code %(code)r exists already", field="code", code=checkpoint.code
            )
        self.define_checkpoint(checkpoint, at, actor)

    def change_checkpoint(self, checkpoint: Checkpoint, at: datetime, actor: str) -> None:
        """Change (and reopen, if closed) the checkpoint with this code."""
        self.checkpoint(checkpoint.code)
        self.define_checkpoint(checkpoint, at, actor)

    @event("CheckpointDefined")
    def _define_checkpoint(self, checkpoint: dict[str, Any], at: datetime, actor: str) -> None:
        self.checkpoints[checkpoint["code"]] = checkpoint

    def close_checkpoint(self, code: str, at: datetime, actor: str) -> None:
        """Close a checkpoint: it admits no one until it is defined again."""
        if self.checkpoint(code).closed:
            raise InvalidTransition(
                "checkpoint %(code)r is closed already", field="checkpoint", code=code
            )
        self._close_checkpoint(code=code, at=at, actor=actor)

    @event("CheckpointClosed")
    def _close_checkpoint(self, code: str, at: datetime, actor: str) -> None:
        self.checkpoints[code] = {**self.checkpoints[code], "closed": True}

    def correct(
        self, changes: dict[str, Any], at: datetime, actor: str
    ) -> dict[str, tuple[Any, Any]]:
        """Correct some details after checking the whole; return each change as (before, after).

        `categories`, if given, holds every category's whole policy; none may be dropped.
        Nothing is recorded when nothing differs.
        """
        unknown = sorted(set(changes) - set(CORRECTABLE))
        if unknown:
            raise InvalidValue("%(name)s cannot be corrected", field=unknown[0], name=unknown[0])
        after = {name: getattr(self, name) for name in CORRECTABLE}
        after.update(changes)
        policies = {name: CategoryPolicy(**dict(p)) for name, p in after["categories"].items()}
        old = {name: CategoryPolicy(**dict(p)).as_dict() for name, p in self.categories.items()}
        dropped = sorted(set(self.categories) - set(policies))
        if dropped:
            raise InvalidSchedule(
                "the guest category %(category)r cannot be removed",
                field="categories",
                category=dropped[0],
            )
        check_schedule(
            after["starts_at"],
            after["ends_at"],
            after["registration_opens_at"],
            after["registration_closes_at"],
            after["capacity"],
        )
        check_categories(policies, after["capacity"])
        check_door_list_max_age(after["door_list_max_age_minutes"])
        after["categories"] = {name: p.as_dict() for name, p in policies.items()}
        current = {name: getattr(self, name) for name in CORRECTABLE} | {"categories": old}
        differ = {name: v for name, v in after.items() if current[name] != v}
        if differ:
            before = {name: getattr(self, name) for name in differ}
            self._correct(changes=differ, before=before, at=at, actor=actor)
        return {name: (before[name], differ[name]) for name in differ} if differ else {}

    @event("Corrected")
    def _correct(
        self, changes: dict[str, Any], before: dict[str, Any], at: datetime, actor: str
    ) -> None:
        for name, value in changes.items():
            setattr(self, name, value)

    def set_retention(self, days: Any, at: datetime, actor: str) -> bool:
        """Erase guests' personal data `days` after the end; tell whether it changed."""
        check_retention_days(days)
        if days == self.retention_days:
            return False
        self._set_retention(days=days, before=self.retention_days, at=at, actor=actor)
        return True

    @event("RetentionChanged")
    def _set_retention(self, days: int, before: int, at: datetime, actor: str) -> None:
        self.retention_days = days

    def capacities(self) -> dict[str, Capacity]:
        """Return the seat limits of every category."""
        return {name: self.capacity_for(name) for name in self.categories}

    def checkpoint(self, code: str) -> Checkpoint:
        """Return the checkpoint `code`, or raise NotFound naming the field."""
        try:
            return Checkpoint.from_dict(self.checkpoints[code])
        except KeyError:
            raise NotFound(
                "no checkpoint %(code)r at this gathering", field="checkpoint", code=code
            ) from None

    def policy(self, category: str) -> CategoryPolicy:
        """Return the admission policy of `category`, or raise UnknownCategory."""
        try:
            raw = self.categories[category]
        except KeyError:
            raise UnknownCategory(
                "this gathering has no guest category %(category)r",
                field="category",
                category=category,
            ) from None
        return CategoryPolicy(
            raw["capacity"], raw["approval_required"], bool(raw.get("invitation_only", False))
        )

    def capacity_for(self, category: str) -> Capacity:
        """Return the seat limits that apply to `category`."""
        return Capacity(self.capacity, self.policy(category).capacity)

    def is_open_for_registration(self, at: datetime) -> bool:
        """Tell whether guests may register at `at`."""
        return self.registration_opens_at <= at < self.registration_closes_at

    def check_registration_open(self, at: datetime) -> None:
        """Raise RegistrationClosed unless guests may register at `at`."""
        if at < self.registration_opens_at:
            raise RegistrationClosed("registration has not opened yet")
        if at >= self.registration_closes_at:
            raise RegistrationClosed("registration has closed")


def check_schedule(
    starts_at: datetime,
    ends_at: datetime,
    opens_at: datetime,
    closes_at: datetime,
    capacity: int,
) -> None:
    """Raise InvalidSchedule unless the dates and capacity of a gathering fit together."""
    for name, value in (
        ("starts_at", starts_at),
        ("ends_at", ends_at),
        ("registration_opens_at", opens_at),
        ("registration_closes_at", closes_at),
    ):
        try:
            require_aware(value, name)
        except ValueError:
            raise InvalidSchedule(
                "%(name)s must be timezone-aware", field=name, name=name
            ) from None
    if ends_at <= starts_at:
        raise InvalidSchedule("the gathering must end after it starts", field="ends_at")
    if closes_at <= opens_at:
        raise InvalidSchedule(
            "registration must close after it opens", field="registration_closes_at"
        )
    if closes_at > ends_at:
        raise InvalidSchedule(
            "registration cannot close after the gathering ends",
            field="registration_closes_at",
        )
    if capacity < 1:
        raise InvalidSchedule("capacity must be at least 1", field="capacity")


def check_door_list_max_age(minutes: Any) -> None:
    """Refuse a door list age limit that is not a whole number of minutes from 1 to a day."""
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 1440:
        raise InvalidValue(
            "the door list age limit is a whole number of minutes from 1 to 1440",
            field="door_list_max_age_minutes",
        )


def check_retention_days(days: Any) -> None:
    """Refuse a retention that is not a whole number of days from 1 to 3650."""
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_RETENTION_DAYS:
        raise InvalidValue(
            "personal data are kept a whole number of days from 1 to %(max)s after the end",
            field="retention_days",
            max=MAX_RETENTION_DAYS,
        )


def check_categories(categories: dict[str, CategoryPolicy], capacity: int) -> None:
    """Raise InvalidSchedule unless every category is known and fits the overall capacity."""
    if not categories:
        raise InvalidSchedule("at least one guest category is needed", field="categories")
    for name, policy in categories.items():
        if name not in GuestCategory.__members__.values():
            raise InvalidSchedule("unknown guest category %(name)r", field="categories", name=name)
        if policy.capacity is not None and not 0 <= policy.capacity <= capacity:
            raise InvalidSchedule(
                "capacity of %(name)r must be between 0 and the overall capacity",
                field="categories",
                name=name,
            )
