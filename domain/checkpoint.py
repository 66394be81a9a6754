"""Checkpoints: where badges are scanned, which categories they admit, and when."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from domain.errors import InvalidSchedule
from domain.gathering_categories import GuestCategory


@dataclass(frozen=True)
class Checkpoint:
    """A place door staff scan at: main entrance, VIP lounge, signing stage area."""

    code: str
    name_en: str
    name_zh: str
    categories: tuple[str, ...]
    opens_at: datetime
    closes_at: datetime
    category_notes: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.categories:
            raise InvalidSchedule("a checkpoint admits at least one category", field="categories")
        known = {c.value for c in GuestCategory}
        for category in self.categories:
            if category not in known:
                raise InvalidSchedule(f"unknown guest category {category!r}", field="categories")
        if self.closes_at <= self.opens_at:
            raise InvalidSchedule("a checkpoint must close after it opens", field="closes_at")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Checkpoint:
        """Return a checkpoint from the plain data of a domain event."""
        return cls(**{**data, "categories": tuple(data["categories"])})

    def as_dict(self) -> dict[str, Any]:
        """Return the checkpoint as plain data for a domain event."""
        return {**asdict(self), "categories": list(self.categories)}

    def admits(self, category: str) -> bool:
        """Tell whether guests of `category` may enter here."""
        return category in self.categories

    def is_open(self, at: datetime) -> bool:
        """Tell whether the checkpoint is open at `at`."""
        return self.opens_at <= at < self.closes_at

    def note_for(self, category: str) -> str:
        """Return what door staff should know about guests of `category` here."""
        return self.category_notes.get(category, "")
