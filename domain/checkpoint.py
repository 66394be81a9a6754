"""Checkpoints: where badges are scanned, which categories they admit, and when.

A checkpoint's opening window is optional: without its own `opens_at` (or `closes_at`)
it opens (closes) with the gathering, so it follows the gathering's hours when those
change. A closed checkpoint admits no one until an organiser defines it again.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from domain.common import check_text, require_aware
from domain.errors import InvalidSchedule
from domain.gathering_categories import GuestCategory

REACH = timedelta(days=366)
"""How far before its start and after its end a gathering's checkpoints may open and
scans may be dated (a year, as for ceremonies): beyond it a time is a mistake (or a
forgery), never a real arrival; well within it, a rehearsal months ahead still works."""


def within_reach(at: datetime, starts_at: datetime, ends_at: datetime) -> bool:
    """Tell whether `at` lies within REACH of a gathering from `starts_at` to `ends_at`."""
    return starts_at - REACH <= at <= ends_at + REACH


@dataclass(frozen=True)
class Checkpoint:
    """A place door staff scan at: main entrance, VIP lounge, signing stage area."""

    code: str
    name_en: str
    name_zh: str
    categories: tuple[str, ...]
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    category_notes: dict[str, str] = field(default_factory=dict)
    closed: bool = False

    def __post_init__(self) -> None:
        if not self.categories:
            raise InvalidSchedule("a checkpoint admits at least one category", field="categories")
        known = {c.value for c in GuestCategory}
        for category in self.categories:
            if category not in known:
                raise InvalidSchedule(
                    "unknown guest category %(category)r", field="categories", category=category
                )
        for name in ("opens_at", "closes_at"):
            value = getattr(self, name)
            try:
                value is None or require_aware(value, name)
            except ValueError:
                raise InvalidSchedule(
                    "%(name)s must be timezone-aware", field=name, name=name
                ) from None
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise InvalidSchedule("a checkpoint must close after it opens", field="closes_at")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Checkpoint:
        """Return a checkpoint from the plain data of a domain event (also an old one)."""
        return cls(**{**data, "categories": tuple(data["categories"])})

    def as_dict(self) -> dict[str, Any]:
        """Return the checkpoint as plain data for a domain event."""
        return {**asdict(self), "categories": list(self.categories)}

    def admits(self, category: str) -> bool:
        """Tell whether guests of `category` may enter here (never while closed)."""
        return not self.closed and category in self.categories

    def window(self, starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
        """Return when it opens and closes, given the gathering's start and end."""
        return self.opens_at or starts_at, self.closes_at or ends_at

    def follows_gathering_hours(self) -> bool:
        """Tell whether the checkpoint has no window of its own at all."""
        return self.opens_at is None and self.closes_at is None

    def is_open(self, at: datetime, starts_at: datetime, ends_at: datetime) -> bool:
        """Tell whether it is open at `at` for a gathering from `starts_at` to `ends_at`."""
        opens, closes = self.window(starts_at, ends_at)
        return not self.closed and opens <= at < closes

    def note_for(self, category: str) -> str:
        """Return what door staff should know about guests of `category` here."""
        return self.category_notes.get(category, "")

    def check_fits(self, categories: set[str], starts_at: datetime, ends_at: datetime) -> None:
        """Raise InvalidSchedule unless it fits a gathering with these categories and hours.

        Also checks what an old recorded checkpoint may lack: its names and code are given.
        """
        check_text(self.code, "code", limit=40)
        check_text(self.name_en, "name_en", limit=120)
        check_text(self.name_zh, "name_zh", limit=120)
        unknown = set(self.categories) - categories
        if unknown:
            raise InvalidSchedule(
                "this gathering has no guest category %(category)r",
                field="categories",
                category=sorted(unknown)[0],
            )
        stray = sorted(set(self.category_notes) - set(self.categories))
        if stray:
            raise InvalidSchedule(
                "a note for %(category)r, a category this checkpoint does not admit",
                field="category_notes",
                category=stray[0],
            )
        for name in ("opens_at", "closes_at"):
            value = getattr(self, name)
            if value is not None and not within_reach(value, starts_at, ends_at):
                raise InvalidSchedule(
                    "%(name)s must lie within %(days)s days of the gathering's hours",
                    field=name,
                    name=name,
                    days=REACH.days,
                )
        opens, closes = self.window(starts_at, ends_at)
        if closes <= opens:
            field = "opens_at" if self.closes_at is None else "closes_at"
            raise InvalidSchedule(
                "the checkpoint would close before it opens (without its own time it "
                "opens when the gathering starts and closes when it ends)",
                field=field,
            )
